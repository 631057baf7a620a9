package providertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// ApexTTL connects ApexTTLs to a DNS server provider and its server.
type ApexTTL struct {
	// Extra are the zone-file lines (below $ORIGIN example.com.) git's
	// zone holds beside its apex SOA and NS.
	Extra string
	// Fix, when not nil, adjusts git's zone once parsed (the TTLs the
	// server's own records keep).
	Fix func(d *zone.Zone)
	// Served reads example.com. as the server serves it (AXFR, or the
	// provider's Records when those are read by AXFR).
	Served func(t *testing.T) *zone.Zone
	// OnlyApex: the plan changes the apex SOA and NS and nothing else
	// (Extra as the server holds it).
	OnlyApex bool
	// After, when not nil, checks what a resolver is served once a step
	// is pushed (git's apex TTL ttl; noSOA: the provider does not change
	// the SOA, provider.Capabilities.NoApexSOA).
	After func(t *testing.T, ttl uint32, noSOA bool)
}

// ApexTTLs: after `ttl --cap` lowers the apex SOA and NS TTLs and the SOA
// timers in git, push sets them at the server in example.com. (which p
// holds), the NS names and the SOA's MNAME/RNAME staying the server's
// (git's differ), with the serial raised; a second plan is empty, and a
// later raise works the same way; none of it counts as unsafe or
// unsupported, and Apply applies all of the plan, reporting its progress
// (recorder.check). A
// provider that cannot change the SOA (NoApexSOA) plans the NS alone and
// warns of the SOA's TTL, which stays as it was.
func ApexTTLs(t *testing.T, p provider.Provider, a ApexTTL) {
	t.Helper()
	const origin = "example.com."
	ctx := context.Background()
	noSOA := p.Capabilities().NoApexSOA != ""
	wantChanges := map[bool]int{false: 2, true: 1}[noSOA]
	for _, st := range []struct{ ttl, minimum, refresh uint32 }{{5, 5, 60}, {3600, 900, 7200}} {
		text := fmt.Sprintf("$ORIGIN example.com.\n$TTL %[1]d\n@ SOA git-ns.example.org. git.example.org. 99 %[3]d 600 1209600 %[2]d\n@ NS nsx.example.org.\n", st.ttl, st.minimum, st.refresh) + a.Extra
		desired, err := zone.Parse(strings.NewReader(text), "capped.zone", origin, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Fix != nil {
			a.Fix(desired)
		}
		before := a.Served(t)
		bsoa := soaOf(t, before)
		// the server's names must differ from git's, or "staying the
		// server's" proves nothing
		if gsoa := soaOf(t, desired); bsoa.Ns == gsoa.Ns || bsoa.Mbox == gsoa.Mbox || before.Get(origin, dns.TypeNS).SameData(desired.Get(origin, dns.TypeNS)) {
			t.Fatalf("ttl %d: the server's apex names are git's: SOA %v, NS %v", st.ttl, bsoa, before.Get(origin, dns.TypeNS).Strings())
		}
		pl := Plan(t, p, desired)
		apex := 0
		for _, c := range pl.Changes {
			if c.Name == origin {
				apex++
			}
			if c.Type == dns.TypeSOA && !strings.Contains(plan.Explain(origin, c), fmt.Sprintf("minimum %d → %d", bsoa.Minttl, st.minimum)) {
				t.Errorf("explain: %q", plan.Explain(origin, c))
			}
		}
		if apex != wantChanges || (a.OnlyApex && len(pl.Changes) != wantChanges) {
			t.Fatalf("ttl %d: plan %v, want %d changes of the apex NS and SOA", st.ttl, pl.Changes, wantChanges)
		}
		// PowerDNS keeps the SOA TTL on UPDATE: plan warns instead.
		if warned := len(pl.Warnings) == 1 && strings.Contains(pl.Warnings[0], "example.com. SOA: TTL"); noSOA != warned || (!noSOA && len(pl.Warnings) != 0) {
			t.Errorf("ttl %d: warnings %q", st.ttl, pl.Warnings)
		}
		if u := pl.Unsafe(plan.Policy{}); len(u) != 0 {
			t.Errorf("ttl %d: TTL-only apex changes are unsafe: %v", st.ttl, u)
		}
		var rec recorder
		res, err := p.Apply(ctx, origin, pl.Changes, &rec)
		if err != nil {
			t.Fatalf("ttl %d: apply: %v", st.ttl, err)
		}
		if len(res.Applied) != len(pl.Changes) {
			t.Fatalf("ttl %d: applied %d of %d", st.ttl, len(res.Applied), len(pl.Changes))
		}
		rec.check(t, res)
		got := a.Served(t)
		soaSet, soa := got.Get(origin, dns.TypeSOA), soaOf(t, got)
		if noSOA {
			if soaSet.TTL != before.Get(origin, dns.TypeSOA).TTL || soa.Minttl != bsoa.Minttl {
				t.Errorf("ttl %d: SOA changed though the plan did not change it: %v", st.ttl, soa)
			}
		} else if soaSet.TTL != st.ttl || soa.Minttl != st.minimum || soa.Refresh != st.refresh || soa.Ns != bsoa.Ns || soa.Mbox != bsoa.Mbox || !(soa.Serial > bsoa.Serial) {
			t.Errorf("ttl %d: served SOA %d %v (before %v)", st.ttl, soaSet.TTL, soa, bsoa)
		}
		ns := got.Get(origin, dns.TypeNS)
		if bns := before.Get(origin, dns.TypeNS); ns.TTL != st.ttl || !ns.SameData(bns) {
			t.Errorf("ttl %d: served apex NS %d %v, want %d %v", st.ttl, ns.TTL, ns.Strings(), st.ttl, bns.Strings())
		}
		if again := Plan(t, p, desired); !again.Empty() || len(again.Warnings) != len(pl.Warnings) {
			t.Errorf("ttl %d: second plan %v (warnings %q), want empty", st.ttl, again.Changes, again.Warnings)
		}
		if a.After != nil {
			a.After(t, st.ttl, noSOA)
		}
	}
}

// soaOf is z's apex SOA record, example.com.'s.
func soaOf(t *testing.T, z *zone.Zone) *dns.SOA {
	t.Helper()
	s := z.Get("example.com.", dns.TypeSOA)
	if s == nil || len(s.RRs()) != 1 {
		t.Fatalf("no SOA: %v", s)
	}
	return s.RRs()[0].(*dns.SOA)
}
