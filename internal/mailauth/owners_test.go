package mailauth_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestLookups: SPF.Lookups counts what Evaluate counts for the record
// itself (Node.Own) and names what it looks up.
func TestLookups(t *testing.T) {
	cases := []struct {
		rec   string
		n     int
		names []string
	}{
		{"v=spf1 -all", 0, nil},
		{"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all", 0, nil},
		{"v=spf1 a mx ptr -all", 3, []string{"owner.example", "owner.example"}},
		{"v=spf1 a:b.example/24 mx:c.example//64 exists:d.example ?all", 3, []string{"b.example", "c.example", "d.example"}},
		// %{d} is the owner's domain for every message: looked up.
		{"v=spf1 include:y.example include:_spf.%{d} redirect=z.example", 3, []string{"y.example", "_spf.owner.example", "z.example"}},
		{"v=spf1 include:%{i}._spf.%{d} -all", 1, nil},
		{"v=spf1 include:y.example redirect=z.example -all", 1, []string{"y.example"}}, // redirect next to all: ignored
		{"v=spf1 exists:%{i}.x.example exp=explain.example -all", 1, nil},
		// include= is an unknown modifier (a slip for include:), ignored
		// by receivers (RFC 7208 §6): no lookup.
		{"v=spf1 include=y.example -all", 0, nil},
		{"v=spf1 mx include=y.example redirect=z.example", 2, []string{"owner.example", "z.example"}},
	}
	for _, c := range cases {
		spf, err := mailauth.ParseSPF(c.rec)
		if err != nil {
			t.Fatalf("%q: %v", c.rec, err)
		}
		n, names := spf.Lookups("owner.example")
		if n != c.n || !reflect.DeepEqual(names, c.names) {
			t.Errorf("%q: Lookups %d %q, want %d %q", c.rec, n, names, c.n, c.names)
		}
		node := mailauth.Evaluate(context.Background(), suiteZone{"owner.example": {"TXT " + c.rec}}, "owner.example")
		if node.Own != n {
			t.Errorf("%q: Evaluate counts %d, Lookups %d", c.rec, node.Own, n)
		}
	}
}

// TestFind: the SPF, DKIM and DMARC RRsets of a zone: SPF records split
// at any point or in capitals, two at a name, include targets marked,
// whether an evaluation from the zone's data can add anything.
func TestFind(t *testing.T) {
	z, err := zone.Parse(strings.NewReader(`$ORIGIN example.test.
$TTL 300
@ SOA ns1 hostmaster 1 3600 600 86400 300
@ NS ns1
@ TXT "v=spf1 include:_spf.example.test include:_spf.example.net -all"
_spf TXT "v=sp" "f1 ip4:192.0.2.0/24 -all"
a TXT "V=SPF1 -all"
a TXT "other"
b TXT "v=spf1 -all"
b TXT "v=spf1 ~all"
c TXT "v=spf1 include:_spf.example.net ~all"
d TXT "v=spf1 mx ~all"
e TXT "v=spf1 ip4:192.0.2.300 ~all"
f TXT "v=spf10 -all"
g TXT "v=spf1 include:_s.%{d} -all"
_s.g TXT "v=spf1 -all"
s1._domainkey TXT "v=DKIM1; p="
_dmarc TXT "v=DMARC1; p=none"
`), "t.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	sets := mailauth.Find(z)
	type got struct {
		name, rec           string
		count               int
		included, asks, bad bool
	}
	var gs []got
	for i := 0; i < sets.SPFLen(); i++ {
		o := sets.SPF(i)
		gs = append(gs, got{o.Set.Name, o.Record(), o.Count, o.Included, o.AsksZone(), o.Err != nil})
	}
	want := []got{
		{"example.test.", "v=spf1 include:_spf.example.test include:_spf.example.net -all", 1, false, true, false},
		{"_spf.example.test.", "v=spf1 ip4:192.0.2.0/24 -all", 1, true, false, false},
		{"a.example.test.", "V=SPF1 -all", 1, false, false, false},
		{"b.example.test.", "v=spf1 -all", 2, false, false, false},
		{"c.example.test.", "v=spf1 include:_spf.example.net ~all", 1, false, false, false},
		{"d.example.test.", "v=spf1 mx ~all", 1, false, true, false},
		{"e.example.test.", "v=spf1 ip4:192.0.2.300 ~all", 1, false, false, true},
		// include:_s.%{d} at g is _s.g for every message (RFC 7208 §7.3).
		{"g.example.test.", "v=spf1 include:_s.%{d} -all", 1, false, true, false},
		{"_s.g.example.test.", "v=spf1 -all", 1, true, false, false},
	}
	if !reflect.DeepEqual(gs, want) {
		t.Errorf("SPF owners:\n%+v\nwant\n%+v", gs, want)
	}
	if len(sets.DKIM) != 1 || sets.DKIM[0].Name != "s1._domainkey.example.test." || len(sets.DMARC) != 1 || sets.DMARC[0].Name != "_dmarc.example.test." {
		t.Errorf("DKIM %v, DMARC %v", sets.DKIM, sets.DMARC)
	}
	var evaluated []string
	sets.EachEvaluated(func(o mailauth.SPFOwner) []string {
		evaluated = append(evaluated, o.Set.Name)
		switch o.Set.Name {
		case "example.test.":
			return []string{"example.test.", "_spf.example.test."}
		case "g.example.test.":
			return []string{"g.example.test.", "_s.g.example.test."}
		}
		return nil
	})
	if want := []string{"example.test.", "a.example.test.", "b.example.test.", "c.example.test.", "d.example.test.", "e.example.test.", "g.example.test."}; !reflect.DeepEqual(evaluated, want) {
		t.Errorf("evaluated %q, want %q (the included _spf reached from the apex)", evaluated, want)
	}
}

// TestFindWarnings: each SPF owner's warnings (mailauth.SPFWarnings),
// worded only when asked, and where its SPF record is written: none for
// two records at a name or one that does not parse (a permerror).
func TestFindWarnings(t *testing.T) {
	z, err := zone.Parse(strings.NewReader(`$ORIGIN example.test.
$TTL 300
@ SOA ns1 hostmaster 1 3600 600 86400 300
@ NS ns1
@ TXT "google-site-verification=abc"
@ TXT "v=spf1 ptr -all"
a TXT "v=spf1 mx -all"
b TXT "v=spf1 +all"
b TXT "v=spf1 -all"
c TXT "v=spf1 ptr:x.example bad -all"
d TXT "v=spf1 -all include:_spf.example.net"
`), "t.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	sets := mailauth.Find(z)
	want := map[string]struct {
		line  int
		warns []string
	}{
		"example.test.":   {6, []string{"ptr: the ptr mechanism SHOULD NOT be published (RFC 7208 §5.5"}},
		"a.example.test.": {7, nil},
		"b.example.test.": {8, nil},
		"c.example.test.": {10, nil},
		"d.example.test.": {11, []string{"include:_spf.example.net after -all: receivers never test mechanisms after all (RFC 7208 §5.1)"}},
	}
	if sets.SPFLen() != len(want) {
		t.Fatalf("%d SPF owners, want %d", sets.SPFLen(), len(want))
	}
	for i := 0; i < sets.SPFLen(); i++ {
		o := sets.SPF(i)
		w := want[o.Set.Name]
		if got := o.RecordPos().Line; got != w.line {
			t.Errorf("%s: record at line %d, want %d", o.Set.Name, got, w.line)
		}
		got := o.Warnings()
		if len(got) != len(w.warns) {
			t.Errorf("%s: warnings %q, want %d", o.Set.Name, got, len(w.warns))
			continue
		}
		for j := range got {
			if !strings.Contains(got[j], w.warns[j]) {
				t.Errorf("%s: warning %q, want one with %q", o.Set.Name, got[j], w.warns[j])
			}
		}
	}
}

// TestFindIgnored: Find keeps, for each TXT record receivers ignore, the
// verdict Ignorer.Judge gives (what, error or warning, on the record's
// line), so that check reports it without judging again: every such
// record of an owner, and none at a name the zone's own CNAME leads to
// (receivers reach it there).
func TestFindIgnored(t *testing.T) {
	z, err := zone.Parse(strings.NewReader(`$ORIGIN example.test.
$TTL 300
@ SOA ns1 hostmaster 1 3600 600 86400 300
@ NS ns1
@ TXT v=spf1 mx -all
dmarc TXT "v=DMARC1; p=none"
dmarc TXT "v=DKIM1; k=rsa; p=AAAA"
_dmarc TXT "v=DMARC1; p=reject"
led TXT "v=DMARC1; p=none"
_dmarc.led CNAME led
`), "example.test.zone", "", "")
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		name, what string
		line       int
		sev        zone.Severity
	}
	var out []got
	for _, ig := range mailauth.Find(z).Ignored {
		out = append(out, got{ig.Set.Name, ig.What, ig.Pos.Line, ig.Severity()})
		if want, ok := mailauth.NewIgnorer(z).Judge(ig.Set.Name, rdataAt(ig.Set, ig.Pos)); !ok || want != ig.Ignore {
			t.Errorf("%s line %d: verdict %+v, Judge gives %+v, %v", ig.Set.Name, ig.Pos.Line, ig.Ignore, want, ok)
		}
	}
	want := []got{
		{"example.test.", "SPF", 5, zone.Error},
		{"dmarc.example.test.", "DMARC", 6, zone.Warning},
		{"dmarc.example.test.", "DKIM", 7, zone.Warning},
	}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("Ignored:\n%+v\nwant\n%+v", out, want)
	}
}

// rdataAt is the RDATA of s's record at p.
func rdataAt(s *zone.RRSet, p zone.Pos) string {
	for _, r := range s.Records {
		if r.Pos == p {
			return r.Rdata
		}
	}
	return ""
}
