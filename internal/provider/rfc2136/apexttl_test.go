package rfc2136_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestApexTTLs: after `ttl --cap` lowers the apex SOA and NS TTLs and the
// SOA timers in git, push sets them at the server (the NS names and the
// SOA's MNAME/RNAME stay the server's), a second plan is empty, and a later
// raise works the same way; none of it counts as unsafe.
func TestApexTTLs(t *testing.T) {
	steps := []struct{ ttl, minimum, refresh uint32 }{{5, 5, 60}, {3600, 900, 7200}}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			ctx := context.Background()
			for _, st := range steps {
				// git's apex differs from the server's in its NS names and
				// SOA names too: those stay the server's (no manage_apex).
				text := fmt.Sprintf("$ORIGIN example.com.\n$TTL %[1]d\n@ SOA git-ns.example.org. git.example.org. 99 %[3]d 600 1209600 %[2]d\n@ NS nsx.example.org.\nns1 A 192.0.2.53\nns2 A 198.51.100.53\n", st.ttl, st.minimum, st.refresh)
				desired, err := zone.Parse(strings.NewReader(text), "capped.zone", origin, "")
				if err != nil {
					t.Fatal(err)
				}
				// the address records keep the server's TTL 300
				for _, n := range []string{"ns1.example.com.", "ns2.example.com."} {
					desired.Get(n, dns.TypeA).TTL = 300
				}
				cur, err := p.Records(ctx, origin)
				if err != nil {
					t.Fatal(err)
				}
				before := soaRR(t, cur)
				pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
				// PowerDNS keeps the SOA TTL on UPDATE: plan warns instead.
				noSOA := p.Capabilities().NoApexSOA != ""
				if want := map[bool]int{false: 2, true: 1}[noSOA]; len(pl.Changes) != want {
					t.Fatalf("ttl %d: plan %v, want %d changes of the apex NS and SOA", st.ttl, pl.Changes, want)
				}
				if noSOA != (len(pl.Warnings) == 1 && strings.Contains(pl.Warnings[0], "example.com. SOA: TTL")) {
					t.Errorf("ttl %d: warnings %q", st.ttl, pl.Warnings)
				}
				if u := pl.Unsafe(plan.Policy{MaxChangePercent: 0}); len(u) != 0 {
					t.Errorf("ttl %d: TTL-only apex changes are unsafe: %v", st.ttl, u)
				}
				for _, c := range pl.Changes {
					if c.Type == dns.TypeSOA && !strings.Contains(plan.Explain(origin, c), fmt.Sprintf("minimum %d → %d", before.Minttl, st.minimum)) {
						t.Errorf("explain: %q", plan.Explain(origin, c))
					}
				}
				if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
					t.Fatalf("ttl %d: apply: %v", st.ttl, err)
				}
				got, err := p.Records(ctx, origin)
				if err != nil {
					t.Fatal(err)
				}
				soa := soaRR(t, got)
				if noSOA {
					if soa.Hdr.Ttl != before.Hdr.Ttl || soa.Minttl != before.Minttl {
						t.Errorf("ttl %d: SOA changed though the plan did not change it: %v", st.ttl, soa)
					}
				} else if soa.Hdr.Ttl != st.ttl || soa.Minttl != st.minimum || soa.Refresh != st.refresh || soa.Ns != before.Ns || soa.Mbox != before.Mbox || !(soa.Serial > before.Serial) {
					t.Errorf("ttl %d: served SOA %v (before %v)", st.ttl, soa, before)
				}
				ns := got.Get(origin, dns.TypeNS)
				if ns.TTL != st.ttl || !ns.SameData(cur.Get(origin, dns.TypeNS)) {
					t.Errorf("ttl %d: served apex NS %d %v, want %d %v", st.ttl, ns.TTL, ns.Strings(), st.ttl, cur.Get(origin, dns.TypeNS).Strings())
				}
				if again := plan.Compute(desired, got, plan.Options{Caps: p.Capabilities()}); len(again.Changes) != 0 || len(again.Warnings) != len(pl.Warnings) {
					t.Errorf("ttl %d: second plan %v, want empty", st.ttl, again.Changes)
				}
				// what a resolver is served, not only what AXFR lists
				m := new(dns.Msg)
				m.SetQuestion(origin, dns.TypeSOA)
				r, err := dns.Exchange(m, srv.Addr)
				if err != nil || len(r.Answer) != 1 || (!noSOA && r.Answer[0].Header().Ttl != st.ttl) {
					t.Errorf("ttl %d: SOA query: %v %v", st.ttl, r, err)
				}
			}
		})
	}
}

func soaRR(t *testing.T, z *zone.Zone) *dns.SOA {
	t.Helper()
	s := z.Get(origin, dns.TypeSOA)
	if s == nil || len(s.RRs()) != 1 {
		t.Fatalf("no SOA: %v", s)
	}
	return s.RRs()[0].(*dns.SOA)
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
