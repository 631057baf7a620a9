package rfc2136_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestApexTTLs: after `ttl --cap` lowers the apex SOA and NS TTLs and the
// SOA timers in git, push sets them at the server (the NS names and the
// SOA's MNAME/RNAME stay the server's), a second plan is empty, and a later
// raise works the same way; none of it counts as unsafe
// (providertest.ApexTTLs); a resolver is served the new SOA TTL.
func TestApexTTLs(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			providertest.ApexTTLs(t, p, providertest.ApexTTL{
				// git's apex differs from the server's in its NS names and
				// SOA names too: those stay the server's (no manage_apex).
				Extra: "ns1 A 192.0.2.53\nns2 A 198.51.100.53\n",
				// the address records keep the server's TTL 300
				Fix: func(d *zone.Zone) {
					for _, n := range []string{"ns1.example.com.", "ns2.example.com."} {
						d.Get(n, dns.TypeA).TTL = 300
					}
				},
				Served: func(t *testing.T) *zone.Zone {
					z, err := p.Records(context.Background(), origin)
					if err != nil {
						t.Fatal(err)
					}
					return z
				},
				OnlyApex: true,
				// what a resolver is served, not only what AXFR lists
				After: func(t *testing.T, ttl uint32, noSOA bool) {
					m := new(dns.Msg)
					m.SetQuestion(origin, dns.TypeSOA)
					r, err := dns.Exchange(m, srv.Addr)
					if err != nil || len(r.Answer) != 1 || (!noSOA && r.Answer[0].Header().Ttl != ttl) {
						t.Errorf("ttl %d: SOA query: %v %v", ttl, r, err)
					}
				},
			})
		})
	}
}

// TestApexNSTTLSingle: a server whose apex has a single NS takes git's
// TTL for it (the last apex NS can be neither deleted nor re-added with
// another TTL on its own: Knot and the placeholder path).
func TestApexNSTTLSingle(t *testing.T) {
	const text = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n"
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			lab.Require(t, s.bins...)
			srv := s.start(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, TSIG: key, AllowUpdate: true})
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			ctx := context.Background()
			desired, err := zone.Parse(strings.NewReader(strings.Replace(text, "$TTL 300", "$TTL 7", 1)), "capped.zone", origin, "")
			if err != nil {
				t.Fatal(err)
			}
			desired.Get("ns1.example.com.", dns.TypeA).TTL = 300
			cur, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
			if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
				t.Fatal(err)
			}
			got, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			if ns := got.Get(origin, dns.TypeNS); ns.TTL != 7 || !ns.SameData(cur.Get(origin, dns.TypeNS)) {
				t.Errorf("apex NS %d %v, want 7 %v", ns.TTL, ns.Strings(), cur.Get(origin, dns.TypeNS).Strings())
			}
		})
	}
}
