package config

import (
	"strconv"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// CutoverErrors are what the config lacks for a cutover step (status,
// flip, rollback, finish), each on its line of the file: providers old
// and new, each with nameservers that are addresses (the servers the
// steps ask; a name is never looked up), delegation names that are
// domain names, and cutover.parent_servers or cutover.resolvers (the
// parent's servers, or the resolvers that find them), and, withRegistrar
// (flip, rollback, finish: not status, which never uses it), a registrar:
// section, a manual one with cutover.parent_servers (where the change
// typed in by hand is verified; resolvers do not do). A key that is
// missing is said on the line of the block it goes in, else on line 1 (the
// whole file). The steps check it before they read a secret, ask a
// server or change anything; nil when nothing is missing.
func (c *Config) CutoverErrors(withRegistrar bool) error {
	if c == nil {
		return nil
	}
	at := func(path ...string) int {
		for n := len(path); n > 0; n-- {
			if l := c.line(path[:n]...); l > 0 {
				return l
			}
		}
		return 1
	}
	var errs []error
	for _, side := range []string{"old", "new"} {
		p := c.Providers[side]
		key := "providers." + side
		if p == nil {
			errs = append(errs, atLine(at("providers", side), nil, "%s is required for a cutover (the provider being left, old, and the one moved to, new)", key))
			continue
		}
		if len(p.Nameservers) == 0 {
			errs = append(errs, atLine(at("providers", side, "nameservers"), nil, "%s.nameservers: the addresses (IP or IP:port) of its authoritative servers are required for a cutover", key))
		}
		for i, ns := range p.Nameservers {
			if _, err := query.ParseAddr(ns); err != nil {
				errs = append(errs, atLine(at("providers", side, "nameservers", strconv.Itoa(i)), nil, "%s.nameservers: %v: a cutover asks the side's servers by address (its names go under delegation)", key, err))
			}
		}
		for i, n := range p.Delegation {
			if _, ok := dns.IsDomainName(n); !ok || n == "" {
				errs = append(errs, atLine(at("providers", side, "delegation", strconv.Itoa(i)), nil, "%s.delegation: %q is not a domain name", key, n))
			}
		}
	}
	switch {
	case len(c.Cutover.ParentServers) == 0 && len(c.Cutover.Resolvers) == 0:
		errs = append(errs, atLine(at("cutover"), nil, "cutover.parent_servers (the parent zone's authoritative servers, IP[:port]) or cutover.resolvers (resolvers that find them) is required for a cutover step"))
	case withRegistrar && c.Registrar != nil && c.Registrar.Type == "manual" && len(c.Cutover.ParentServers) == 0:
		errs = append(errs, atLine(at("cutover"), nil, "cutover.parent_servers is required with registrar type manual: the parent zone's authoritative servers, IP[:port], where the change you enter is verified (e.g. cutover: {parent_servers: [203.0.113.1:53]})"))
	}
	if withRegistrar && c.Registrar == nil {
		errs = append(errs, atLine(1, nil, "registrar: not configured: flip, rollback and finish change the delegation through it (add a registrar: section: parent, manual, route53domains, …)"))
	}
	if len(errs) == 0 {
		return nil
	}
	return fileErrors(c.Path, errs)
}
