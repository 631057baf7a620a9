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

// ApexTTL connects ApexTTLs to a provider and what it serves.
type ApexTTL struct {
	// Extra are the zone-file lines (below $ORIGIN example.com.) git's
	// zone holds beside its apex SOA and NS; records without a TTL take
	// each step's (the other apex records ApexTTLs checks among them).
	Extra string
	// Floor, when set, is the least TTL the provider takes (Cloudflare's
	// 60, ClouDNS's list): the low step's TTL and SOA minimum are raised
	// to it (5 otherwise).
	Floor uint32
	// Fix, when not nil, adjusts git's zone once parsed (the TTLs the
	// server's own records keep).
	Fix func(d *zone.Zone)
	// Served reads example.com. as the server serves it (AXFR, or the
	// provider's Records when those are read by AXFR, or what the API
	// lists: a provider that keeps the SOA outside its records,
	// provider.Capabilities.NoApexSOA, may list none, nor an apex NS it
	// does not list, NoApexNSTTL); nil: the provider's Records.
	Served func(t *testing.T) *zone.Zone
	// OnlyApex: the plan changes the apex SOA and NS and nothing else
	// (Extra as the server holds it).
	OnlyApex bool
	// After, when not nil, checks what a resolver is served once a step
	// is pushed (git's apex TTL ttl; noSOA: the provider does not change
	// the SOA, provider.Capabilities.NoApexSOA).
	After func(t *testing.T, ttl uint32, noSOA bool)
}

// apexOrigin is the zone ApexTTLs pushes.
const apexOrigin = "example.com."

// ApexTTLs: after `ttl --cap` lowers the apex TTLs and the SOA timers in
// git, push sets them at the server in example.com. (which p holds): the
// SOA's TTL and timers and the apex NS TTL, the NS names and the SOA's
// MNAME/RNAME staying the server's (git's differ), with the serial
// raised, and git's other apex records (Extra's) at git's TTL; a second
// plan is empty, and a later raise works the same way; none of it counts
// as unsafe or unsupported, and Apply applies all of the plan, reporting
// its progress (recorder.check). What a provider cannot set is planned
// as a warning, not a change, and stays as it was: the SOA
// (Capabilities.NoApexSOA: Cloudflare, NS1, DNS Made Easy and ClouDNS
// keep it outside their record APIs, and may list none), the apex NS TTL
// (NoApexNSTTL: Cloudflare's zone setting, DNS Made Easy's fixed system
// name servers, which may not be listed either); the other apex records
// are checked at every provider.
func ApexTTLs(t *testing.T, p provider.Provider, a ApexTTL) {
	t.Helper()
	const origin = apexOrigin
	ctx := context.Background()
	caps := p.Capabilities()
	noSOA, noNSTTL := caps.NoApexSOA != "", caps.NoApexNSTTL != ""
	low := max(a.Floor, 5)
	if a.Served == nil {
		a.Served = func(t *testing.T) *zone.Zone {
			t.Helper()
			z, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			return z
		}
	}
	for _, st := range []struct{ ttl, minimum, refresh uint32 }{{low, low, 60}, {3600, 900, 7200}} {
		text := fmt.Sprintf("$ORIGIN example.com.\n$TTL %[1]d\n@ SOA git-ns.example.org. git.example.org. 99 %[3]d 600 1209600 %[2]d\n@ NS nsx.example.org.\n", st.ttl, st.minimum, st.refresh) + a.Extra
		desired, err := zone.Parse(strings.NewReader(text), "capped.zone", origin, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Fix != nil {
			a.Fix(desired)
		}
		before := a.Served(t)
		bsoa := soaOf(t, before, noSOA)
		bns := before.Get(origin, dns.TypeNS)
		// the server's names must differ from git's, or "staying the
		// server's" proves nothing
		if gsoa := soaOf(t, desired, false); bsoa != nil && (bsoa.Ns == gsoa.Ns || bsoa.Mbox == gsoa.Mbox) || bns.SameData(desired.Get(origin, dns.TypeNS)) {
			t.Fatalf("ttl %d: the server's apex names are git's: SOA %v, NS %v", st.ttl, bsoa, dataOf(bns))
		}
		if bns == nil && !noNSTTL {
			t.Fatalf("ttl %d: no apex NS listed, and the provider says it sets its TTL", st.ttl)
		}
		wantChanges := 0
		if !noSOA {
			wantChanges++
		}
		if !noNSTTL {
			wantChanges++
		}
		pl := Plan(t, p, desired)
		apex := 0
		for _, c := range pl.Changes {
			if c.Name == origin && (c.Type == dns.TypeNS || c.Type == dns.TypeSOA) {
				apex++
			}
			if c.Type == dns.TypeSOA && !strings.Contains(plan.Explain(origin, c), fmt.Sprintf("minimum %d → %d", bsoa.Minttl, st.minimum)) {
				t.Errorf("explain: %q", plan.Explain(origin, c))
			}
		}
		if apex != wantChanges || (a.OnlyApex && len(pl.Changes) != wantChanges) {
			t.Fatalf("ttl %d: plan %v, want %d changes of the apex NS and SOA", st.ttl, pl.Changes, wantChanges)
		}
		apexWarned(t, st.ttl, pl, noSOA, noNSTTL)
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
		soaSet, soa := got.Get(origin, dns.TypeSOA), soaOf(t, got, noSOA)
		switch {
		case noSOA && (soa == nil) != (bsoa == nil):
			t.Errorf("ttl %d: SOA listed %v, before %v", st.ttl, soa, bsoa)
		case noSOA && soa != nil:
			if soaSet.TTL != before.Get(origin, dns.TypeSOA).TTL || soa.Minttl != bsoa.Minttl {
				t.Errorf("ttl %d: SOA changed though the plan did not change it: %v", st.ttl, soa)
			}
		case !noSOA:
			if soaSet.TTL != st.ttl || soa.Minttl != st.minimum || soa.Refresh != st.refresh || soa.Ns != bsoa.Ns || soa.Mbox != bsoa.Mbox || !(soa.Serial > bsoa.Serial) {
				t.Errorf("ttl %d: served SOA %d %v (before %v)", st.ttl, soaSet.TTL, soa, bsoa)
			}
		}
		ns, wantTTL := got.Get(origin, dns.TypeNS), st.ttl
		if noNSTTL && bns != nil {
			wantTTL = bns.TTL
		}
		if !ns.SameData(bns) || (ns != nil && ns.TTL != wantTTL) {
			t.Errorf("ttl %d: served apex NS %v %v, want %d %v", st.ttl, ttlOf(ns), dataOf(ns), wantTTL, dataOf(bns))
		}
		for _, d := range desired.Lookup(origin) {
			if d.Type == dns.TypeSOA || d.Type == dns.TypeNS {
				continue
			}
			if g := got.Get(origin, d.Type); !g.SameData(d) || g.TTL != d.TTL {
				t.Errorf("ttl %d: served apex %s %v %v, want git's %d %v", st.ttl, dns.Type(d.Type), ttlOf(g), dataOf(g), d.TTL, d.Strings())
			}
		}
		if again := Plan(t, p, desired); !again.Empty() || len(again.Warnings) != len(pl.Warnings) {
			t.Errorf("ttl %d: second plan %v (warnings %q), want empty", st.ttl, again.Changes, again.Warnings)
		}
		if a.After != nil {
			a.After(t, st.ttl, noSOA)
		}
	}
}

// apexWarned: the plan warns once of each apex RRset the provider cannot
// set (its SOA: noSOA; its apex NS TTL: noNSTTL), and of nothing else.
func apexWarned(t *testing.T, ttl uint32, pl *plan.Plan, noSOA, noNSTTL bool) {
	t.Helper()
	warned := map[uint16]int{}
	for _, w := range pl.Warnings {
		switch {
		case strings.Contains(w, apexOrigin+" SOA: "):
			warned[dns.TypeSOA]++
		case strings.Contains(w, apexOrigin+" NS: "):
			warned[dns.TypeNS]++
		default:
			t.Errorf("ttl %d: warning %q", ttl, w)
		}
	}
	if want := map[bool]int{true: 1}; warned[dns.TypeSOA] != want[noSOA] || warned[dns.TypeNS] != want[noNSTTL] {
		t.Errorf("ttl %d: warnings %q, want one for the SOA %v and for the apex NS %v", ttl, pl.Warnings, noSOA, noNSTTL)
	}
}

// ttlOf is s's TTL, "none" when there is no s.
func ttlOf(s *zone.RRSet) string {
	if s == nil {
		return "none"
	}
	return fmt.Sprint(s.TTL)
}

// dataOf is s's record data, none when there is no s.
func dataOf(s *zone.RRSet) []string {
	if s == nil {
		return nil
	}
	return s.Strings()
}

// soaOf is z's apex SOA record, example.com.'s (nil when z lists none
// and may: absent).
func soaOf(t *testing.T, z *zone.Zone, absent bool) *dns.SOA {
	t.Helper()
	s := z.Get("example.com.", dns.TypeSOA)
	if s == nil && absent {
		return nil
	}
	if s == nil || len(s.RRs()) != 1 {
		t.Fatalf("no SOA: %v", s)
	}
	return s.RRs()[0].(*dns.SOA)
}
