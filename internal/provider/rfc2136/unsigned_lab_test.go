package rfc2136_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestUnsignedRefusedNamesNoKey: a provider configured without a TSIG key
// whose server refuses the unsigned transfer (BIND answers REFUSED, Knot
// NOTAUTH; the lab allows transfers only with its key) is told the
// server's transfer policy refused it, and where to allow it, as for
// BIND's REFUSED: Knot's NOTAUTH named an empty key ("TSIG key  refused
// (wrong secret or key name?): credentials refused") when none was sent.
func TestUnsignedRefusedNamesNoKey(t *testing.T) {
	for _, s := range servers[:2] { // BIND and Knot
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p, err := rfc2136.New(&config.Provider{Name: "old", Type: "rfc2136", Settings: &rfc2136.Settings{Server: srv.Addr, Flavor: s.name}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Records(context.Background(), origin)
			if err == nil {
				t.Fatal("the server gave the unsigned transfer: the lab allows transfers with its key only")
			}
			msg := err.Error()
			if errors.Is(err, provider.ErrAuth) || strings.Contains(msg, "TSIG key  ") || strings.Contains(msg, `key ""`) ||
				!strings.Contains(msg, "the server refused the transfer") || !strings.Contains(msg, "no TSIG key is configured") {
				t.Errorf("unsigned transfer refused: %v; want the server's refusal, no key named (none is configured), as BIND's REFUSED says it", err)
			}
		})
	}
}

// TestUnsignedUpdateRefusedNamesNoKey: an UPDATE without a key that Knot
// answers NOTAUTH named an empty key too ("TSIG key  refused"): it says
// no key is configured and where updates are allowed.
func TestUnsignedUpdateRefusedNamesNoKey(t *testing.T) {
	srv := start(t, servers[1]) // Knot
	p, err := rfc2136.New(&config.Provider{Name: "old", Type: "rfc2136", Settings: &rfc2136.Settings{Server: srv.Addr, Flavor: "knot"}})
	if err != nil {
		t.Fatal(err)
	}
	rr, err := dns.NewRR("added." + origin + " 300 IN A 192.0.2.99")
	if err != nil {
		t.Fatal(err)
	}
	set, err := zone.NewRRSet([]dns.RR{rr})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Apply(context.Background(), origin, []provider.Change{{Action: provider.Create, Name: "added." + origin, Type: dns.TypeA, New: set}}, nil)
	if err == nil {
		t.Fatal("Knot took an unsigned UPDATE: the lab allows updates only with its key")
	}
	if msg := err.Error(); strings.Contains(msg, "TSIG key  ") || !strings.Contains(msg, "no TSIG key is configured") {
		t.Errorf("unsigned UPDATE refused: %v; want no key named (none is configured) and where updates are allowed", err)
	}
}
