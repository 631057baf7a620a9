package rfc2136_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestTransitions: providertest.Transitions on each real server (BIND,
// Knot, PowerDNS through UPDATE): generated zones pushed one over
// another, each held exactly and planned empty after its push.
func TestTransitions(t *testing.T) {
	const head = "$ORIGIN example.com.\n$TTL 300\n@ IN SOA ns1.example.net. hostmaster.example.com. 1 3600 600 1209600 300\n@ IN NS ns1.example.net.\n@ IN NS ns2.example.net.\n"
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			lab.Require(t, s.bins...)
			srv := s.start(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: head}}, TSIG: key, AllowUpdate: true})
			providertest.Transitions(t, providertest.Harness{
				Origin: origin, Secret: key.Secret, ZoneFile: head,
				New: func(t *testing.T, secret string) provider.Provider { return newFlavor(t, srv.Addr, secret, s.name) },
			})
		})
	}
}
