package zone

import (
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// viewZone has nested cuts, a cut below a DNAME, a DNAME and a cut at one
// node, empty non-terminals, a wildcard owner and a wildcard that is an
// empty non-terminal.
const viewZone = `$ORIGIN t.test.
$TTL 300
@ IN SOA ns1 host 1 3600 600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
a.b.c IN TXT "two empty non-terminals above"
x.c IN TXT "c is met already"
sub IN NS ns.sub
ns.sub IN A 192.0.2.3
in.sub IN NS ns.sub
d IN DNAME t.t.test.
e.d IN NS ns1
f.e.d IN TXT "below both"
both IN NS ns1
both IN DNAME t.t.test.
*.w IN A 192.0.2.9
y.*.v IN TXT "below an empty wildcard"
`

func loadView(t *testing.T) *View {
	t.Helper()
	z, err := Parse(strings.NewReader(viewZone), "t.zone", "t.test.", "")
	if err != nil || len(z.Problems) > 0 {
		t.Fatalf("%v %v", err, z.Problems)
	}
	v := z.View()
	if z.View() != v {
		t.Fatal("View is built anew")
	}
	return v
}

func TestViewBoundaries(t *testing.T) {
	v := loadView(t)
	cases := []struct {
		name                  string
		cut, dname            string // Cut, DNAME
		bcut, bdname          string // Boundary
		occluder, occludeKind string // Occluder
	}{
		{name: "t.test."},
		{name: "ns1.t.test."},
		{name: "sub.t.test.", cut: "sub.t.test.", bcut: "sub.t.test."},
		{name: "ns.sub.t.test.", cut: "sub.t.test.", bcut: "sub.t.test.", occluder: "sub.t.test.", occludeKind: "delegation"},
		// the topmost cut: in.sub is occluded by sub
		{name: "in.sub.t.test.", cut: "sub.t.test.", bcut: "sub.t.test.", occluder: "sub.t.test.", occludeKind: "delegation"},
		{name: "x.in.sub.t.test.", cut: "sub.t.test.", bcut: "sub.t.test.", occluder: "sub.t.test.", occludeKind: "delegation"},
		// a DNAME's owner is not substituted; its descendants are
		{name: "d.t.test."},
		{name: "q.d.t.test.", dname: "d.t.test.", bdname: "d.t.test.", occluder: "d.t.test.", occludeKind: "DNAME"},
		// a cut below a DNAME is occluded by it
		{name: "e.d.t.test.", cut: "e.d.t.test.", dname: "d.t.test.", bdname: "d.t.test.", occluder: "d.t.test.", occludeKind: "DNAME"},
		{name: "f.e.d.t.test.", cut: "e.d.t.test.", dname: "d.t.test.", bdname: "d.t.test.", occluder: "d.t.test.", occludeKind: "DNAME"},
		// a cut and a DNAME at one node: the cut wins
		{name: "both.t.test.", cut: "both.t.test.", bcut: "both.t.test."},
		{name: "x.both.t.test.", cut: "both.t.test.", dname: "both.t.test.", bcut: "both.t.test.", occluder: "both.t.test.", occludeKind: "delegation"},
		{name: "nope.t.test."},
	}
	for _, c := range cases {
		if got := v.Cut(c.name); got != c.cut {
			t.Errorf("Cut(%s) = %q, want %q", c.name, got, c.cut)
		}
		if got := v.DNAME(c.name); got != c.dname {
			t.Errorf("DNAME(%s) = %q, want %q", c.name, got, c.dname)
		}
		if bc, bd := v.Boundary(c.name); bc != c.bcut || bd != c.bdname {
			t.Errorf("Boundary(%s) = %q, %q, want %q, %q", c.name, bc, bd, c.bcut, c.bdname)
		}
		if o, k := v.Occluder(c.name); o != c.occluder || k != c.occludeKind {
			t.Errorf("Occluder(%s) = %q, %q, want %q, %q", c.name, o, k, c.occluder, c.occludeKind)
		}
	}
	for name, want := range map[string]bool{"sub.t.test.": true, "in.sub.t.test.": true, "t.test.": false, "ns.sub.t.test.": false} {
		if v.IsCut(name) != want {
			t.Errorf("IsCut(%s) = %v", name, !want)
		}
	}
	if !v.IsDNAME("d.t.test.") || v.IsDNAME("e.d.t.test.") || !v.HasWildcard() || !v.Occludes() {
		t.Error("IsDNAME, HasWildcard or Occludes")
	}
}

// TestViewOccludedByCut: below the topmost cut only what the referral
// carries is served: the cut's NS and DS, and glue (an address of a name
// a served cut's NS set names), not the NS of a deeper cut, nor its
// names' addresses.
func TestViewOccludedByCut(t *testing.T) {
	v := loadView(t)
	for q, want := range map[string]bool{
		"sub.t.test. NS":        false,
		"sub.t.test. DS":        false,
		"sub.t.test. TXT":       true,
		"sub.t.test. A":         true, // not a name the NS set names
		"ns.sub.t.test. A":      false,
		"ns.sub.t.test. AAAA":   false,
		"ns.sub.t.test. TXT":    true,
		"in.sub.t.test. NS":     true,
		"in.sub.t.test. DS":     true,
		"x.in.sub.t.test. A":    true,
		"ns1.t.test. TXT":       false,
		"nope.t.test. A":        false,
		"both.t.test. NS":       false,
		"x.both.t.test. MX":     true,
		"a.b.c.t.test. TXT":     false,
		"q.other.sub.t.test. A": true,
	} {
		name, typ, _ := strings.Cut(q, " ")
		if got := v.OccludedByCut(name, dns.StringToType[typ]); got != want {
			t.Errorf("OccludedByCut(%s) = %v, want %v", q, got, want)
		}
	}
}

// TestViewApexDNAME: a DNAME at the apex substitutes every name below it;
// the apex is never a cut.
func TestViewApexDNAME(t *testing.T) {
	z, err := Parse(strings.NewReader("$ORIGIN a.test.\n@ 300 IN SOA ns1.b.test. h 1 2 3 4 5\n@ 300 IN NS ns1.b.test.\n@ 300 IN DNAME b.test.\n"), "a.zone", "a.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	v := z.View()
	if d := v.DNAME("x.a.test."); d != "a.test." {
		t.Errorf("DNAME = %q", d)
	}
	if c, d := v.Boundary("x.a.test."); c != "" || d != "a.test." {
		t.Errorf("Boundary = %q, %q", c, d)
	}
	if o, k := v.Occluder("x.a.test."); o != "a.test." || k != "DNAME" {
		t.Errorf("Occluder = %q, %q", o, k)
	}
	if o, _ := v.Occluder("a.test."); o != "" || v.Cut("a.test.") != "" || v.DNAME("a.test.") != "" {
		t.Error("the apex is occluded, a cut, or substituted")
	}
}

func TestViewExistence(t *testing.T) {
	v := loadView(t)
	cases := []struct {
		name     string
		exists   bool
		below    string // Below's owner
		encloser string // for a name that does not exist
		wildcard string
	}{
		{name: "t.test.", exists: true, below: "both.t.test."}, // canonical order: "both" < "c"
		{name: "ns1.t.test.", exists: true},
		{name: "c.t.test.", exists: true, below: "a.b.c.t.test."}, // empty non-terminals
		{name: "b.c.t.test.", exists: true, below: "a.b.c.t.test."},
		{name: "w.t.test.", exists: true, below: "*.w.t.test."},
		{name: "*.v.t.test.", exists: true, below: "y.*.v.t.test."},
		{name: "nope.t.test.", encloser: "t.test."},
		{name: "x.y.b.c.t.test.", encloser: "b.c.t.test."},
		{name: "any.w.t.test.", encloser: "w.t.test.", wildcard: "*.w.t.test."},
		{name: "a.b.w.t.test.", encloser: "w.t.test.", wildcard: "*.w.t.test."},
		// a wildcard that is an empty non-terminal exists (RFC 4592 §4.2)
		{name: "any.v.t.test.", encloser: "v.t.test.", wildcard: "*.v.t.test."},
	}
	for _, c := range cases {
		if got := v.Exists(c.name); got != c.exists {
			t.Errorf("Exists(%s) = %v", c.name, got)
		}
		below := ""
		if s := v.Below(c.name); s != nil {
			below = s.Name
		}
		if below != c.below {
			t.Errorf("Below(%s) = %q, want %q", c.name, below, c.below)
		}
		if c.exists {
			continue
		}
		if got := v.Encloser(c.name); got != c.encloser {
			t.Errorf("Encloser(%s) = %q, want %q", c.name, got, c.encloser)
		}
		if got := v.Wildcard(c.name); got != c.wildcard {
			t.Errorf("Wildcard(%s) = %q, want %q", c.name, got, c.wildcard)
		}
	}
}

// TestViewENTs compares the one-pass ENTs with every owner's ancestors
// walked in full (parity's former map), order included.
func TestViewENTs(t *testing.T) {
	for _, text := range []string{viewZone, "$ORIGIN e.test.\n@ 300 IN SOA ns h 1 2 3 4 5\n@ 300 IN NS ns\nns 300 IN A 192.0.2.1\n" +
		"a.b.c.d 300 IN TXT x\nz.c.d 300 IN TXT x\nd 300 IN TXT x\ny.x.w 300 IN TXT x\nx.w 300 IN TXT x\nq.p.x.w 300 IN TXT x\n\\.a.b 300 IN TXT x\nc\\.b 300 IN TXT x\nb.a\\.b 300 IN TXT x\n"} {
		z, err := Parse(strings.NewReader(text), "e.zone", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(z.Origin) < 2 {
			t.Fatal("no origin")
		}
		var want []string
		seen := map[string]bool{}
		for _, s := range z.Sets {
			seen[s.Name] = true
		}
		for _, s := range z.Sets {
			for n := Parent(s.Name); n != "." && n != z.Origin && z.InZone(n); n = Parent(n) {
				if !seen[n] {
					seen[n] = true
					want = append(want, n)
				}
			}
		}
		if got := z.View().ENTs(); !slices.Equal(got, want) {
			t.Errorf("%s: ENTs %q, want %q", z.Origin, got, want)
		}
	}
}
