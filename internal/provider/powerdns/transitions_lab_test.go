package powerdns_test

import (
	"context"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestTransitions: providertest.Transitions through PowerDNS's HTTP API
// on a real PowerDNS: generated zones pushed one over another, each held
// exactly and planned empty after its push.
func TestTransitions(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	if err := p.CreateZone(context.Background(), origin, nil); err != nil {
		t.Fatal(err)
	}
	providertest.Transitions(t, providertest.Harness{
		Origin: origin, Secret: srv.APIKey,
		ZoneFile: "$ORIGIN example.com.\n$TTL 300\n@ IN SOA ns1.example.net. hostmaster.example.com. 1 3600 600 1209600 300\n@ IN NS ns1.example.com.\n@ IN NS ns2.example.com.\n",
		New:      func(t *testing.T, key string) provider.Provider { return newProvider(t, srv.APIURL, key) },
	})
}
