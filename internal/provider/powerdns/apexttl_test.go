package powerdns_test

import (
	"context"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestApexTTLs: a zone PowerDNS created with its own SOA (3600 s minimum)
// and NS takes git's apex SOA TTL and timers and apex NS TTL on push, its
// own SOA names and NS names kept; a second plan is empty; a later raise
// works the same way; none of it is unsafe (providertest.ApexTTLs, the
// zone read back by AXFR).
func TestApexTTLs(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	if err := p.CreateZone(context.Background(), origin, nil); err != nil {
		t.Fatal(err)
	}
	providertest.ApexTTLs(t, p, providertest.ApexTTL{
		Extra:  "www A 192.0.2.1\n",
		Served: func(t *testing.T) *zone.Zone { return axfr(t, srv.Addr) },
	})
}
