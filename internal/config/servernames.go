package config

import (
	"fmt"
	"strconv"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// ServerNames are the entries of the sides' nameservers (default: old and
// new, the servers parity compares by default) that
// are host names, not addresses, when resolver is "" (the run's: --resolver,
// else parity.resolver): dnsparity never asks the system resolver, so
// parity cannot look them up and refuses to run. One warning each, on the
// entry's line in the file: check says it (plan and push never look the
// servers up, so it blocks none of them); parity refuses with them.
func (c *Config) ServerNames(resolver string, sides ...string) []zone.Problem {
	if c == nil || resolver != "" {
		return nil
	}
	if len(sides) == 0 {
		sides = []string{"old", "new"}
	}
	var ps []zone.Problem
	for _, side := range sides {
		p := c.Providers[side]
		if p == nil {
			continue
		}
		for i, ns := range p.Nameservers {
			if nameserverName(ns) == "" {
				continue
			}
			key := "providers." + side + ".nameservers"
			line := c.line("providers", side, "nameservers", strconv.Itoa(i))
			ps = append(ps, zone.Problem{Pos: zone.Pos{File: c.Path, Line: line}, Severity: zone.Warning,
				Message: fmt.Sprintf("%s: %s is a name and parity.resolver is not set: parity cannot look it up (dnsparity never uses the system resolver) and refuses to run; give its address (IP or IP:port), or set parity.resolver to a resolver you run", key, ns)})
		}
	}
	return ps
}
