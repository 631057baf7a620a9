package powerdns_test

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

// TestApexTTLs: a zone PowerDNS created with its own SOA (3600 s minimum)
// and NS takes git's apex SOA TTL and timers and apex NS TTL on push, its
// own SOA names and NS names kept; a second plan is empty; a later raise
// works the same way; none of it is unsafe.
func TestApexTTLs(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	ctx := context.Background()
	if err := p.CreateZone(ctx, origin, nil); err != nil {
		t.Fatal(err)
	}
	for _, st := range []struct{ ttl, minimum, refresh uint32 }{{5, 5, 60}, {3600, 900, 7200}} {
		text := fmt.Sprintf("$ORIGIN example.com.\n$TTL %[1]d\n@ SOA git-ns.example.org. git.example.org. 99 %[3]d 600 1209600 %[2]d\n@ NS nsx.example.org.\nwww A 192.0.2.1\n", st.ttl, st.minimum, st.refresh)
		desired, err := zone.Parse(strings.NewReader(text), "capped.zone", origin, "")
		if err != nil {
			t.Fatal(err)
		}
		cur, err := p.Records(ctx, origin)
		if err != nil {
			t.Fatal(err)
		}
		before := axfr(t, srv.Addr)
		bsoa := before.Get(origin, dns.TypeSOA).RRs()[0].(*dns.SOA)
		pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
		if u := pl.Unsafe(plan.Policy{}); len(u) != 0 {
			t.Errorf("ttl %d: unsafe: %v", st.ttl, u)
		}
		var apex int
		for _, c := range pl.Changes {
			if c.Name == origin {
				apex++
				if c.Type == dns.TypeSOA && !strings.Contains(plan.Explain(origin, c), fmt.Sprintf("minimum %d → %d", bsoa.Minttl, st.minimum)) {
					t.Errorf("explain: %q", plan.Explain(origin, c))
				}
			}
		}
		if apex != 2 || len(pl.Warnings) != 0 {
			t.Fatalf("ttl %d: plan %v (warnings %q), want the apex SOA and NS", st.ttl, pl.Changes, pl.Warnings)
		}
		if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
			t.Fatal(err)
		}
		got := axfr(t, srv.Addr)
		soaSet := got.Get(origin, dns.TypeSOA)
		soa := soaSet.RRs()[0].(*dns.SOA)
		if soaSet.TTL != st.ttl || soa.Minttl != st.minimum || soa.Refresh != st.refresh || soa.Ns != bsoa.Ns || soa.Mbox != bsoa.Mbox || !(soa.Serial > bsoa.Serial) {
			t.Errorf("ttl %d: served SOA %d %v (before %v)", st.ttl, soaSet.TTL, soa, bsoa)
		}
		ns := got.Get(origin, dns.TypeNS)
		if ns.TTL != st.ttl || !ns.SameData(before.Get(origin, dns.TypeNS)) {
			t.Errorf("ttl %d: served apex NS %d %v", st.ttl, ns.TTL, ns.Strings())
		}
		now, err := p.Records(ctx, origin)
		if err != nil {
			t.Fatal(err)
		}
		if again := plan.Compute(desired, now, plan.Options{Caps: p.Capabilities()}); len(again.Changes) != 0 {
			t.Errorf("ttl %d: second plan %v, want empty", st.ttl, again.Changes)
		}
	}
}
