package parent

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// prereqKinds are the parents whose writes are RFC 2136 UPDATEs, which
// carry prerequisites the server checks as it applies the message (RFC
// 2136 §3.2): BIND, Knot and PowerDNS with dnsupdate=yes. The PowerDNS
// API has no conditional write: its window is the one between the
// registrar's last read and its PATCH (see write).
var prereqKinds = []string{"bind", "knot", "powerdns-update"}

// setRRset makes the RRset (name, t) of the parent zone test. hold rrs
// (none: absent) through p, as another writer would.
func setRRset(ctx context.Context, p provider.Provider, name string, t uint16, rrs ...string) error {
	z, err := p.Records(ctx, "test.")
	if err != nil {
		return err
	}
	c, err := rrsetChange(z, name, t, rrs...)
	if err != nil || c.Action == 0 {
		return err
	}
	return applyTo(ctx, p, c)
}

// rrsetChange is the change that makes z's RRset (name, t) hold rrs
// (none: absent); no Action when it holds neither before nor after.
func rrsetChange(z *zone.Zone, name string, t uint16, rrs ...string) (provider.Change, error) {
	c := provider.Change{Name: name, Type: t, Old: z.Get(name, t)}
	if len(rrs) > 0 {
		var parsed []dns.RR
		for _, s := range rrs {
			rr, err := dns.NewRR(s)
			if err != nil {
				return c, err
			}
			parsed = append(parsed, rr)
		}
		var err error
		if c.New, err = zone.NewRRSet(parsed); err != nil {
			return c, err
		}
	}
	switch {
	case c.Old == nil && c.New == nil:
	case c.Old == nil:
		c.Action = provider.Create
	case c.New == nil:
		c.Action = provider.Delete
	default:
		c.Action = provider.Replace
	}
	return c, nil
}

const otherDS = "example.test. 5 IN DS 54321 13 2 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"
const ourDS = "example.test. 5 IN DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"

// TestParentLastReadRaceLab: another writer changes example.test.'s
// delegation after the registrar's last read of the parent zone (the one
// right before its write) and before its UPDATE reaches the server: no
// read of the registrar can see it, only the UPDATE's own prerequisites
// (RFC 2136 §2.4.2 "RRset exists (value dependent)", §2.4.3 "RRset does
// not exist"), which the server evaluates atomically with the update
// (§3.2, §3.7).
//
// The NS set the step replaces was already a prerequisite. The DS set a
// flip leaves alone (want.DS nil) was not: on the code before, a DS
// added, removed or created at the parent in that window went live
// under the new NS set unseen (no error; the UPDATE applied). Now the
// server refuses the UPDATE (NXRRSET/YXRRSET), the error is ErrConflict
// naming the DS, nothing is applied, and a run planned again converges.
//
// Prerequisites do not compare TTLs (§2.4.2: "TTL must be specified as
// zero"): a TTL-only change in the window is caught by the read-back
// when it is of an RRset the step leaves alone (the DS: ErrConflict
// saying the change applied and reads back otherwise; before, only the
// changed RRsets were read back, and no error); an RRset the step
// replaces gets the step's TTL whatever the other writer set (its change
// is superseded, as its RDATA would be: the step writes the RRset whole).
func TestParentLastReadRaceLab(t *testing.T) {
	noDS := strings.Replace(parentText, "example 5 DS "+ourDS[len("example.test. 5 IN DS "):]+"\n", "", 1)
	if noDS == parentText {
		t.Fatal("parentText holds no DS to leave out")
	}
	cases := []struct {
		what   string
		text   string
		change func(ctx context.Context, p provider.Provider) error
		// refused: the UPDATE is refused, nothing applied; readBack:
		// it applies and the read-back says otherwise; else it applies.
		refused, readBack bool
		// relied: it applies, and the glue a sibling came to rely on
		// is put back.
		relied bool
		// dsAfter is the DS set the parent holds at the end.
		dsAfter []string
		// alsoNS is a new NS name besides want's, whose address the
		// parent zone holds outside the child's cut.
		alsoNS string
	}{
		{what: "NS replaced", text: parentText, refused: true, dsAfter: []string{ourDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return setRRset(ctx, p, "example.test.", dns.TypeNS, "example.test. 5 IN NS ns.elsewhere.net.")
			}},
		{what: "DS added", text: parentText, refused: true, dsAfter: []string{ourDS, otherDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return setRRset(ctx, p, "example.test.", dns.TypeDS, ourDS, otherDS)
			}},
		{what: "DS removed", text: parentText, refused: true,
			change: func(ctx context.Context, p provider.Provider) error {
				return setRRset(ctx, p, "example.test.", dns.TypeDS)
			}},
		{what: "DS created", text: noDS, refused: true, dsAfter: []string{otherDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return setRRset(ctx, p, "example.test.", dns.TypeDS, otherDS)
			}},
		// A sibling delegation comes to name the old host whose glue
		// the step removes: no prerequisite can say "no NS set names
		// it", so the UPDATE applies; the read-back sees the sibling
		// rely on it and the glue is put back (ErrConflict saying so).
		{what: "old host named by a sibling meanwhile", text: waveParentText, relied: true, dsAfter: []string{ourDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return setRRset(ctx, p, "other.test.", dns.TypeNS, "other.test. 5 IN NS ns1.old.example.test.")
			}},
		// The new name's glue is in place already (an earlier flip's)
		// and the step leaves it alone: another writer's address for
		// it would go live with the new NS set.
		{what: "glue kept changed", text: parentText + "ns1.new.example 5 A 192.0.2.9\n", refused: true, dsAfter: []string{ourDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return setRRset(ctx, p, "ns1.new.example.test.", dns.TypeA, "ns1.new.example.test. 5 IN A 192.0.2.66")
			}},
		{what: "glue kept gains an AAAA", text: parentText + "ns1.new.example 5 A 192.0.2.9\n", refused: true, dsAfter: []string{ourDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return setRRset(ctx, p, "ns1.new.example.test.", dns.TypeAAAA, "ns1.new.example.test. 5 IN AAAA 2001:db8::66")
			}},
		// A new NS name whose address the parent zone holds outside the
		// child's cut (the parent's own host, a sibling's glue): the
		// referral and resolvers use that address too, so another
		// writer's new one would go live with the new NS set unjudged.
		// On the code before, only the glue below the child's cut was
		// required: the UPDATE applied.
		{what: "parent's own host re-addressed", text: parentText, alsoNS: "ns.test.", refused: true, dsAfter: []string{ourDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return setRRset(ctx, p, "ns.test.", dns.TypeA, "ns.test. 60 IN A 192.0.2.77")
			}},
		{what: "parent's own host gains an AAAA", text: parentText, alsoNS: "ns.test.", refused: true, dsAfter: []string{ourDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return setRRset(ctx, p, "ns.test.", dns.TypeAAAA, "ns.test. 60 IN AAAA 2001:db8::77")
			}},
		{what: "sibling glue re-addressed", text: waveParentText, alsoNS: "ns1.old.other.test.", refused: true, dsAfter: []string{ourDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return setRRset(ctx, p, "ns1.old.other.test.", dns.TypeA, "ns1.old.other.test. 5 IN A 192.0.2.78")
			}},
		{what: "DS TTL only", text: parentText, readBack: true, dsAfter: []string{ourDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return retime(ctx, p, "example.test.", dns.TypeDS, 300)
			}},
		{what: "NS TTL only", text: parentText, dsAfter: []string{ourDS},
			change: func(ctx context.Context, p provider.Provider) error {
				return retime(ctx, p, "example.test.", dns.TypeNS, 300)
			}},
	}
	for i := range len(prereqKinds) * len(cases) {
		kind, tc := prereqKinds[i/len(cases)], cases[i%len(cases)]
		want := registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns.provider.net."}, NSTTL: 5,
			Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9"}}}
		if tc.alsoNS != "" {
			want.NS = append(want.NS, tc.alsoNS)
		}
		want.Normalize()
		t.Run(kind+"/"+tc.what, func(t *testing.T) {
			ctx := context.Background()
			_, newReg := waveParent(t, kind, tc.text)
			someone, ex := newReg(nil), newReg(nil)
			ex.Provider.(interface{ wrapper() *between }).wrapper().beforeWrite = func() error { return tc.change(ctx, someone.Provider) }
			err := ex.SetDelegation(ctx, "example.test.", want)
			switch {
			case tc.refused:
				if !errors.Is(err, provider.ErrConflict) || strings.Contains(err.Error(), "reads back otherwise") {
					t.Fatalf("an UPDATE sent after another writer's change (%s): %v, want ErrConflict, refused by the server", tc.what, err)
				}
				if strings.HasPrefix(tc.what, "DS") && !strings.Contains(err.Error(), "example.test. DS") {
					t.Errorf("the refusal does not name example.test. DS: %v", err)
				}
			case tc.relied:
				if !errors.Is(err, provider.ErrConflict) || !strings.Contains(err.Error(), "other.test.") || !strings.Contains(err.Error(), "put back") {
					t.Fatalf("an UPDATE removing glue a sibling came to rely on: %v, want ErrConflict naming other.test. and the glue put back", err)
				}
			case tc.readBack:
				if !errors.Is(err, provider.ErrConflict) || !strings.Contains(err.Error(), "reads back otherwise") || !strings.Contains(err.Error(), "example.test. DS: TTL 5 was expected, it has TTL 300") {
					t.Fatalf("an UPDATE sent after another writer's TTL change (%s): %v, want ErrConflict from the read-back naming the DS TTL", tc.what, err)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
			}
			z, err := someone.Provider.Records(ctx, "test.")
			if err != nil {
				t.Fatal(err)
			}
			d := FromZone(z, "example.test.")
			applied := strings.Join(d.NS, " ") == strings.Join(want.NS, " ")
			if tc.refused == applied {
				t.Errorf("NS at the parent %v (applied %v), refused %v", d.NS, applied, tc.refused)
			}
			if g := z.Addrs("ns1.new.example.test."); tc.refused && slices.Contains(g, "192.0.2.9") && !strings.Contains(tc.text, "ns1.new.example 5 A") {
				t.Errorf("the refused UPDATE's glue is at the parent: %v", g)
			}
			if tc.relied {
				if g := z.Addrs("ns1.old.example.test."); len(g) != 1 || g[0] != "192.0.2.1" {
					t.Errorf("glue of ns1.old.example.test., which other.test. names: %v, want 192.0.2.1 put back", g)
				}
			}
			if applied && !tc.readBack && d.NSTTL != 5 {
				t.Errorf("NS TTL %d, want the step's 5", d.NSTTL)
			}
			if got, wantDS := len(d.DS), len(tc.dsAfter); got != wantDS {
				t.Errorf("DS at the parent %v, want %d records", d.DS, wantDS)
			}
			// Planned again, the step converges: the refused one
			// from what the other writer left, the one whose
			// read-back differed has nothing left to do.
			if tc.refused && tc.what == "NS replaced" {
				return
			}
			if strings.HasPrefix(tc.what, "glue kept") {
				// The other writer's glue is what the step then
				// sets back (the step owns its NS names' glue).
				tc.dsAfter = []string{ourDS}
			}
			again := newReg(nil)
			if err := again.SetDelegation(ctx, "example.test.", want); err != nil {
				t.Fatalf("the step planned again: %v", err)
			}
			z, err = someone.Provider.Records(ctx, "test.")
			if err != nil {
				t.Fatal(err)
			}
			if d := FromZone(z, "example.test."); strings.Join(d.NS, " ") != strings.Join(want.NS, " ") || len(d.DS) != len(tc.dsAfter) {
				t.Errorf("after the step planned again: %+v", d)
			}
		})
	}
}
