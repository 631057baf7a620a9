package zone

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// wantRE is one expected problem of a fixture line; a line may list
// several ("; want: warning: A ; want: warning: B").
var wantRE = regexp.MustCompile(`; want: (error|warning): ([^;]*[^; ])`)

// TestZoneFiles loads every zone under testdata/zones. A line holding
// "; want: SEVERITY: TEXT" expects exactly one problem of that severity on
// that line whose message contains TEXT; no other problem may appear.
// bad/ zones must have an error, warn/ zones warnings only, good/ none.
func TestZoneFiles(t *testing.T) {
	files, err := filepath.Glob("../../testdata/zones/*/*.zone")
	if err != nil || len(files) < 30 {
		t.Fatalf("testdata zones: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			type want struct {
				line    int
				sev     Severity
				text    string
				matched bool
			}
			var wants []*want
			for i, l := range strings.Split(string(text), "\n") {
				for _, m := range wantRE.FindAllStringSubmatch(l, -1) {
					wants = append(wants, &want{line: i + 1, sev: Severity(m[1]), text: m[2]})
				}
			}
			z, err := Load(f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			ps := Check(z)
			for _, p := range ps {
				ok := false
				for _, w := range wants {
					if !w.matched && p.Pos.Line == w.line && p.Severity == w.sev && strings.Contains(p.Message, w.text) {
						w.matched, ok = true, true
						break
					}
				}
				if !ok {
					t.Errorf("unexpected problem: %s (%s)", p, p.Severity)
				}
				if p.Pos.File != f {
					t.Errorf("problem names file %q, want %q", p.Pos.File, f)
				}
			}
			for _, w := range wants {
				if !w.matched {
					t.Errorf("missing %s on line %d containing %q; got %v", w.sev, w.line, w.text, ps)
				}
			}
			switch kind := filepath.Base(filepath.Dir(f)); kind {
			case "bad":
				if !HasErrors(ps) {
					t.Errorf("bad zone without an error")
				}
			case "warn":
				if HasErrors(ps) || len(ps) == 0 {
					t.Errorf("warn zone: want warnings only, got %v", ps)
				}
			case "good":
				if len(ps) != 0 {
					t.Errorf("good zone: got %v", ps)
				}
			}
		})
	}
}

// TestExampleZonesClean: the zones a new user reads first have no problem.
func TestExampleZonesClean(t *testing.T) {
	files, _ := filepath.Glob("../../zones/*.zone")
	if len(files) == 0 {
		t.Fatal("no zones/*.zone")
	}
	for _, f := range files {
		z, err := Load(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if ps := Check(z); len(ps) != 0 {
			t.Errorf("%s: %v", f, ps)
		}
		if z.Records() < 10 {
			t.Errorf("%s: only %d records", f, z.Records())
		}
	}
}

func mustParse(t *testing.T, text string) *Zone {
	t.Helper()
	z, err := Parse(strings.NewReader(text), "test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// miekgParse parses text with miekg/dns alone, to show the behaviour each
// guard corrects.
func miekgParse(text, origin string) ([]dns.RR, error) {
	zp := dns.NewZoneParser(strings.NewReader(text), origin, "test.zone")
	zp.SetIncludeAllowed(true)
	var out []dns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		out = append(out, rr)
	}
	return out, zp.Err()
}

const apex = "@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n"

// TestGuardGenerateTTL: miekg/dns gives $GENERATE records TTL 3600
// whatever the $TTL; BIND (and we) use the $TTL.
func TestGuardGenerateTTL(t *testing.T) {
	text := "$TTL 300\n" + apex + "$GENERATE 1-3 host$ A 192.0.2.$\n"
	rrs, err := miekgParse(text, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	if got := rrs[len(rrs)-1].Header().Ttl; got != 3600 {
		t.Errorf("miekg/dns changed: $GENERATE record TTL %d (v1.1.73: 3600); review the guard", got)
	}
	z := mustParse(t, text)
	for i := 1; i <= 3; i++ {
		s := z.Get(fmt.Sprintf("host%d.example.test.", i), dns.TypeA)
		if s == nil || s.TTL != 300 {
			t.Fatalf("host%d: %+v, want TTL 300", i, s)
		}
		if s.Records[0].Pos.Line != 5 {
			t.Errorf("host%d at line %d, want 5 (the $GENERATE line)", i, s.Records[0].Pos.Line)
		}
	}
}

// TestGuardIncludeOrigin: miekg/dns drops the origin argument of $INCLUDE
// when it looks like a type name ("a", "mx").
func TestGuardIncludeOrigin(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "inc.zone")
	if err := os.WriteFile(inc, []byte("www A 192.0.2.80\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rrs, err := miekgParse("$TTL 300\n"+apex+"$INCLUDE "+inc+" mx\n", "example.test.")
	if err != nil || len(rrs) != 4 || rrs[3].Header().Name != "www.example.test." {
		t.Errorf("miekg/dns changed: $INCLUDE FILE mx gave %v, %v (v1.1.73: www.example.test.); review the guard", rrs, err)
	}
	for _, o := range []string{"a", "mx", "MX", "sub"} {
		t.Run(o, func(t *testing.T) {
			text := "$TTL 300\n" + apex + "$INCLUDE inc.zone " + o + "\nafter A 192.0.2.81\n"
			main := filepath.Join(dir, "main.zone")
			if err := os.WriteFile(main, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			z, err := Load(main, Options{Origin: "example.test.", Root: dir})
			if err != nil {
				t.Fatal(err)
			}
			if ps := Check(z); len(ps) != 0 {
				t.Fatalf("problems: %v", ps)
			}
			want := "www." + strings.ToLower(o) + ".example.test."
			s := z.Get(want, dns.TypeA)
			if s == nil {
				t.Fatalf("no %s; names %v", want, z.Names())
			}
			if s.Records[0].Pos.File != inc || s.Records[0].Pos.Line != 1 {
				t.Errorf("position %v, want %s:1", s.Records[0].Pos, inc)
			}
			if z.Get("after.example.test.", dns.TypeA) == nil {
				t.Errorf("origin not restored after $INCLUDE: %v", z.Names())
			}
		})
	}
}

// TestGuardEmptyLastRecord: miekg/dns accepts a last line "www A" (no
// newline, no address) as an A record with no data.
func TestGuardEmptyLastRecord(t *testing.T) {
	text := "$TTL 300\n" + apex + "www A\n"
	if rrs, err := miekgParse(text, "example.test."); err != nil || len(rrs) != 4 {
		t.Errorf("miekg/dns changed: \"www A\" gave %v, %v (v1.1.73: an empty A record); review the guard", rrs, err)
	}
	z := mustParse(t, text)
	ps := Check(z)
	if !HasErrors(ps) || ps[0].Pos.Line != 5 || !strings.Contains(ps[0].Message, "no data") {
		t.Fatalf("want an error at line 5, got %v", ps)
	}
	if z.Get("www.example.test.", dns.TypeA) != nil {
		t.Error("empty record added to the zone")
	}
}

// TestGuardNoTTL: without $TTL miekg/dns gives the SOA and NS TTL 0; BIND
// uses the SOA MINIMUM (with a warning), and later records inherit it.
func TestGuardNoTTL(t *testing.T) {
	text := "@ SOA ns1 hostmaster 1 3600 600 1209600 900\n@ NS ns1\nns1 A 192.0.2.1\nwww 60 A 192.0.2.2\nweb A 192.0.2.3\n"
	if rrs, err := miekgParse(text, "example.test."); err == nil && len(rrs) > 0 && rrs[0].Header().Ttl == 900 {
		t.Errorf("miekg/dns changed: no-$TTL SOA gets the MINIMUM; review the guard")
	} else {
		t.Logf("miekg/dns alone: %d records, %v", len(rrs), err)
	}
	z := mustParse(t, text)
	for _, c := range []struct {
		name string
		t    uint16
		ttl  uint32
	}{
		{"example.test.", dns.TypeSOA, 900},
		{"example.test.", dns.TypeNS, 900},
		{"ns1.example.test.", dns.TypeA, 900},
		{"www.example.test.", dns.TypeA, 60},
		{"web.example.test.", dns.TypeA, 60}, // BIND: the last explicit TTL
	} {
		s := z.Get(c.name, c.t)
		if s == nil || s.TTL != c.ttl {
			t.Errorf("%s %s: %+v, want TTL %d", c.name, dns.TypeToString[c.t], s, c.ttl)
		}
	}
	ps := Check(z)
	if HasErrors(ps) || len(ps) != 1 || !strings.Contains(ps[0].Message, "SOA MINTTL") {
		t.Errorf("want one warning about MINTTL, got %v", ps)
	}
}

// TestTXTWireEquality: spellings of the same TXT wire data are the same
// record; miekg/dns's String() (and so IsDuplicate on text) tells them
// apart.
func TestTXTWireEquality(t *testing.T) {
	cases := []struct{ a, b string }{
		{`"semi\;colon"`, `"semi;colon"`},
		{`semi\;colon`, `"semi;colon"`},
		{`"café"`, `"caf\195\169"`},
		{`"a" "b"`, `a b`},
		{`"\065"`, `"A"`},
	}
	for _, c := range cases {
		t.Run(c.a, func(t *testing.T) {
			ra, err := dns.NewRR("x.test. 300 IN TXT " + c.a)
			if err != nil {
				t.Fatal(err)
			}
			rb, err := dns.NewRR("x.test. 300 IN TXT " + c.b)
			if err != nil {
				t.Fatal(err)
			}
			ca, _ := CanonicalRdata(ra)
			cb, _ := CanonicalRdata(rb)
			if ca != cb {
				t.Fatalf("wire differs: %q vs %q", ca, cb)
			}
			z := mustParse(t, "$TTL 300\n"+apex+"x TXT "+c.a+"\nx TXT "+c.b+"\n")
			s := z.Get("x.example.test.", dns.TypeTXT)
			if s == nil || len(s.Records) != 1 {
				t.Fatalf("want one record, got %+v", s)
			}
			ps := Check(z)
			if len(ps) != 1 || !strings.Contains(ps[0].Message, "duplicate") || ps[0].Pos.Line != 6 {
				t.Errorf("want a duplicate warning at line 6, got %v", ps)
			}
		})
	}
}

// TestIncludeSandbox: $INCLUDE may not leave the repository root.
func TestIncludeSandbox(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	outside := filepath.Join(base, "outside.zone")
	for _, d := range []string{filepath.Join(root, ".git"), filepath.Join(root, "zones", "inc")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) { writeFile(t, p, s) }
	write(outside, "secret A 192.0.2.66\n")
	write(filepath.Join(root, "zones", "inc", "ok.zone"), "www A 192.0.2.80\n")
	if err := os.Symlink(outside, filepath.Join(root, "zones", "inc", "link.zone")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(base, filepath.Join(root, "zones", "inc", "dirlink")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, include, want string
	}{
		{"inside", "inc/ok.zone", ""},
		{"from repo root", "zones/inc/ok.zone", ""},
		{"dot-dot", "../../outside.zone", "outside the repository"},
		{"absolute outside", outside, "outside the repository"},
		{"symlink out", "inc/link.zone", "outside the repository"},
		{"symlinked dir out", "inc/dirlink/outside.zone", "outside the repository"},
		{"directory", "inc", "not a file"},
		{"missing", "inc/nope.zone", "no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			main := filepath.Join(root, "zones", "example.test.zone")
			write(main, "$TTL 300\n"+apex+"$INCLUDE "+c.include+"\n")
			z, err := Load(main, Options{})
			if err != nil {
				t.Fatal(err)
			}
			ps := Check(z)
			if c.want == "" {
				if len(ps) != 0 {
					t.Fatalf("problems: %v", ps)
				}
				if z.Get("www.example.test.", dns.TypeA) == nil {
					t.Fatal("included record missing")
				}
				return
			}
			if len(ps) != 1 || ps[0].Severity != Error || !strings.Contains(ps[0].Message, c.want) || ps[0].Pos.Line != 5 || ps[0].Pos.File != main {
				t.Fatalf("want one error at %s:5 containing %q, got %v", main, c.want, ps)
			}
			if z.Get("secret.example.test.", dns.TypeA) != nil {
				t.Fatal("a record from outside the repository was loaded")
			}
		})
	}
}

// TestParseErrorPosition: a syntax error names the file and line, also
// inside parentheses, after $GENERATE and in a batch far into the file.
func TestParseErrorPosition(t *testing.T) {
	var b strings.Builder
	b.WriteString("$TTL 300\n" + apex)
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "h%d A 192.0.2.1\n", i)
	}
	b.WriteString("multi TXT ( \"a\"\n  \"b\"\n  bad\"quote )\n")
	z := mustParse(t, b.String())
	ps := Check(z)
	if len(ps) != 1 || ps[0].Severity != Error {
		t.Fatalf("want one error, got %v", ps)
	}
	if want := 4 + 5000 + 1; ps[0].Pos.Line < want || ps[0].Pos.Line > want+2 {
		t.Errorf("error at line %d, want %d..%d: %v", ps[0].Pos.Line, want, want+2, ps[0])
	}
}

// TestCompareNames checks the fast comparison against a reference, and
// Sort on a zone large enough for the parallel path.
func TestCompareNames(t *testing.T) {
	names := []string{".", "example.", "a.example.", "A.example.", "z.example.", "yljkjljk.a.example.", "Z.a.example.",
		"zABC.a.EXAMPLE.", "*.z.example.", "\\001.z.example.", "z.a.example.", "ab.example.", "b.example.", "example.com.",
		"a.b.", "b.", "host1.example.", "xhost1.example.", "host10.example.", "ost1.example.", "a.host1.example.",
		"ahost1.example.", "a-b.example.", "a.b.example.", "b.a.example.", "ab.a.example.", "a\\.b.example."}
	for _, a := range names {
		for _, b := range names {
			if got, want := CompareNames(a, b), slowCompare(a, b); got != want {
				t.Errorf("CompareNames(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
	z := New("example.")
	add := func(n string) {
		z.addPacked(n, dns.TypeA, dns.ClassINET, 1, "\x01\x02\x03\x04", Pos{}, &z.inRun)
		z.addPacked(n, dns.TypeTXT, dns.ClassINET, 1, "\x00", Pos{}, &z.inRun)
	}
	for _, n := range []string{"example.", "abcdefghijklm.example.", "abcdefghijkl.example.", "x.abcdefghijkl.example.", "abcdefgh.example.", "a.abcdefg.example."} {
		add(n)
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 15000; i++ {
		add(fmt.Sprintf("h%d.example.", r.Intn(100000)))
		add(fmt.Sprintf("x%d.h%d.example.", r.Intn(100), r.Intn(100)))
	}
	z.Sort()
	if !slices.IsSortedFunc(z.Sets, func(a, b *RRSet) int {
		if c := slowCompare(a.Name, b.Name); c != 0 {
			return c
		}
		return int(a.Type) - int(b.Type)
	}) {
		t.Fatal("Sort: not in canonical order")
	}
}

// slowCompare is RFC 4034 §6.1 order, the obvious way.
func slowCompare(a, b string) int {
	la, lb := dns.SplitDomainName(a), dns.SplitDomainName(b)
	i, j := len(la)-1, len(lb)-1
	for i >= 0 && j >= 0 {
		if c := strings.Compare(labelBytes(la[i]), labelBytes(lb[j])); c != 0 {
			return c
		}
		i--
		j--
	}
	switch {
	case i < 0 && j < 0:
		return 0
	case i < 0:
		return -1
	}
	return 1
}

// TestLargeZone goes through the parallel paths (several batches, the
// two-core sort and validation) and checks that problems from every part
// of the file are found, in line order.
func TestLargeZone(t *testing.T) {
	var b strings.Builder
	b.WriteString("$TTL 300\n" + apex)
	line := 4
	var want []int
	for i := 0; i < 60000; i++ {
		line++
		switch {
		case i == 10 || i == 59990:
			fmt.Fprintf(&b, "m%d MX 10 alias%d\n", i, i)
			want = append(want, line)
			line++
			fmt.Fprintf(&b, "alias%d CNAME ns1\n", i)
		case i%3 == 0:
			fmt.Fprintf(&b, "h%d TXT \"t%d\"\n", i, i)
		default:
			fmt.Fprintf(&b, "h%d 60 A 192.0.2.%d\n", i, i%250)
		}
	}
	z := mustParse(t, b.String())
	if got := z.Records(); got != 60000+3+2 {
		t.Errorf("%d records", got)
	}
	ps := Check(z)
	if len(ps) != len(want) {
		t.Fatalf("problems %v, want lines %v", ps, want)
	}
	for i, p := range ps {
		if p.Pos.Line != want[i] || !strings.Contains(p.Message, "is a CNAME") {
			t.Errorf("problem %d: %v, want line %d", i, p, want[i])
		}
	}
	if s := z.Get("h59999.example.test.", dns.TypeA); s == nil || s.TTL != 60 || s.Records[0].Pos.Line != line {
		t.Errorf("last record: %+v, want line %d", s, line)
	}
}

// TestParseForms checks what the forms of the good zone turn into.
func TestParseForms(t *testing.T) {
	z, err := Load("../../testdata/zones/good/everything.zone", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if z.Origin != "example.test." {
		t.Fatalf("origin %q", z.Origin)
	}
	cases := []struct {
		name string
		t    uint16
		want []string // presentation RDATA, sorted
		line int
	}{
		{"example.test.", dns.TypeMX, []string{"10 mail.example.test."}, 7},
		{"www.example.test.", dns.TypeCNAME, []string{"web.example.test."}, 9},
		{"*.apps.example.test.", dns.TypeA, []string{"192.0.2.90"}, 11},
		{"txt.example.test.", dns.TypeTXT, []string{`"semi;colon" "quote\"d" "caf\195\169"`, `"two" "lines"`}, 12},
		{"unk.example.test.", 65000, []string{`\# 4 c0000201`}, 15},
		{"a3597.example.test.", dns.TypeA, []string{"192.0.2.2"}, 16}, // RFC 3597 form of a known type
		{"gen2.example.test.", dns.TypeA, []string{"192.0.2.2"}, 26},
	}
	for _, c := range cases {
		s := z.Get(c.name, c.t)
		if s == nil {
			t.Errorf("%s %d missing", c.name, c.t)
			continue
		}
		if got := s.Strings(); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if s.Pos().Line != c.line || s.TTL != 300 {
			t.Errorf("%s: line %d TTL %d, want line %d TTL 300", c.name, s.Pos().Line, s.TTL, c.line)
		}
	}
}

// TestRecordTooLong: RDATA over 65535 octets is an error in plain words
// (miekg/dns says "dns: bad rdata"), at the record's line.
func TestRecordTooLong(t *testing.T) {
	var b strings.Builder
	b.WriteString("$TTL 300\n" + apex + "long TXT")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, " \"%0250d\"", i)
	}
	b.WriteString("\nafter A 192.0.2.9\n")
	z := mustParse(t, b.String())
	ps := Check(z)
	if len(ps) != 1 || ps[0].Pos.Line != 5 || ps[0].Severity != Error ||
		ps[0].Message != "TXT record data is 75300 octets, over the 65535 a record can hold" {
		t.Fatalf("want one error at line 5 about 75300 octets, got %v", ps)
	}
	if z.Get("after.example.test.", dns.TypeA) == nil {
		t.Error("the record after the long one is missing")
	}
}

// TestMessagesPlain: no message leaks miekg/dns's "dns: " prefix or Go
// syntax, over every zone in testdata and some broken records.
func TestMessagesPlain(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/zones/*/*.zone")
	var ps []Problem
	for _, f := range files {
		z, err := Load(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, Check(z)...)
	}
	for _, rec := range []string{"x A", "x MX 10", "x SRV 1 2", "x CAA 0 issue", "x SOA ns1", "x AAAA ::g", "x TXT \"a",
		"x TYPE1 \\# 5 c000020101", "x TYPE1 \\# 3 c00002", "x TYPE16 \\# 0", "x DS 1 2", "x 99999999999 A 192.0.2.1", "x NAPTR 1", "x SSHFP 1 1 zz", "x TLSA 3 1 1 0"} {
		z := mustParse(t, "$TTL 300\n"+apex+rec+"\n")
		got := Check(z)
		if len(got) == 0 || got[0].Pos.Line != 5 {
			t.Errorf("%q: want an error at line 5, got %v", rec, got)
		}
		ps = append(ps, got...)
	}
	for _, p := range ps {
		if strings.Contains(p.Message, "dns: ") || strings.Contains(p.Message, "%!") || strings.Contains(p.Message, "<nil>") {
			t.Errorf("message not plain: %s", p)
		}
	}
}

// TestNestedIncludeAndOrigins: an include of an include, relative file names
// (from the including file's folder), file:line of a multi-line record in an
// included file, @ and relative names after $ORIGIN changes, and the origin
// restored after each $INCLUDE.
func TestNestedIncludeAndOrigins(t *testing.T) {
	root := t.TempDir()
	write := func(p, s string) { writeFile(t, p, s) }
	main := filepath.Join(root, "zones", "example.test.zone")
	one := filepath.Join(root, "zones", "inc", "one.zone")
	two := filepath.Join(root, "zones", "inc", "deeper", "two.zone")
	write(main, "$TTL 300\n"+apex+"$INCLUDE inc/one.zone sub\nback A 192.0.2.9\n$ORIGIN other.example.test.\n@ TXT \"o\"\nrel A 192.0.2.10\n")
	write(one, "@ TXT \"sub apex\"\n$INCLUDE deeper/two.zone\nx A 192.0.2.1\n")
	write(two, "; two\nmulti TXT ( \"a\"\n  \"b\" )\n$ORIGIN deep.example.test.\nd A 192.0.2.2\n")
	z, err := Load(main, Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	if ps := Check(z); len(ps) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	for _, c := range []struct {
		name string
		t    uint16
		pos  Pos
	}{
		{"sub.example.test.", dns.TypeTXT, Pos{one, 1}},
		{"multi.sub.example.test.", dns.TypeTXT, Pos{two, 2}},
		{"d.deep.example.test.", dns.TypeA, Pos{two, 5}},
		{"x.sub.example.test.", dns.TypeA, Pos{one, 3}}, // origin back to sub after two.zone
		{"back.example.test.", dns.TypeA, Pos{main, 6}},
		{"other.example.test.", dns.TypeTXT, Pos{main, 8}},
		{"rel.other.example.test.", dns.TypeA, Pos{main, 9}},
	} {
		s := z.Get(c.name, c.t)
		if s == nil {
			t.Errorf("%s missing; names %v", c.name, z.Names())
			continue
		}
		if s.Pos() != c.pos {
			t.Errorf("%s at %v, want %v", c.name, s.Pos(), c.pos)
		}
	}
}

// TestGenerateForms: ${offset,width,base}, a step, an explicit TTL, $TTL
// changes and \$ / $$, compared with what named-checkzone -D printed for the
// same directives.
func TestGenerateForms(t *testing.T) {
	text := "$TTL 300\n" + apex +
		"$GENERATE 1-10/3 h${10,4,d} A 192.0.2.$\n" +
		"$GENERATE 0-2 ${0,3,x}.rev PTR host${-1,2,X}.example.\n" +
		"$GENERATE 10-11 ${0,7,n}.nib TXT \"v${1}\"\n" +
		"$TTL 60\n" +
		"$GENERATE 1-2 t$ 30 A 192.0.2.$\n" +
		"$GENERATE 1-2 u$ A 192.0.2.$\n"
	z := mustParse(t, text)
	if ps := Check(z); len(ps) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	want := map[string]string{ // name type → TTL and data, as BIND 9.18
		"h0011 A": "300 192.0.2.1", "h0014 A": "300 192.0.2.4", "h0017 A": "300 192.0.2.7", "h0020 A": "300 192.0.2.10",
		"000.rev PTR": "300 hostffffffff.example.", "001.rev PTR": "300 host00.example.", "002.rev PTR": "300 host01.example.",
		"a.0.0.0.nib TXT": `300 "v11"`, "b.0.0.0.nib TXT": `300 "v12"`,
		"t1 A": "30 192.0.2.1", "t2 A": "30 192.0.2.2", "u1 A": "60 192.0.2.1", "u2 A": "60 192.0.2.2",
	}
	n := 0
	for _, s := range z.Sets {
		rel := strings.TrimSuffix(strings.TrimSuffix(s.Name, "example.test."), ".")
		if rel == "" || rel == "ns1" {
			continue
		}
		n++
		k := rel + " " + TypeName(s.Type)
		got := fmt.Sprintf("%d %s", s.TTL, strings.Join(s.Strings(), " "))
		if want[k] != got {
			t.Errorf("%s: %q, want %q", k, got, want[k])
		}
	}
	if n != len(want) {
		t.Errorf("%d generated sets, want %d", n, len(want))
	}
}

// TestSetEquality: RRsets are equal on canonical wire data: names in RDATA
// and owners lower-cased, TTL and order not part of equality, and text
// spellings of the same octets equal.
func TestSetEquality(t *testing.T) {
	mk := func(rrs ...string) *RRSet {
		t.Helper()
		var list []dns.RR
		for _, s := range rrs {
			rr, err := dns.NewRR(s)
			if err != nil {
				t.Fatal(err)
			}
			list = append(list, rr)
		}
		s, err := NewRRSet(list)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	cases := []struct {
		a, b []string
		same bool
	}{
		{[]string{"X.test. 300 IN MX 10 Mail.Example."}, []string{"x.test. 60 IN MX 10 mail.example."}, true},
		{[]string{"x.test. 300 IN A 192.0.2.1", "x.test. 300 IN A 192.0.2.2"}, []string{"x.test. 9 IN A 192.0.2.2", "x.test. 9 IN A 192.0.2.1"}, true},
		{[]string{`x.test. 300 IN TXT "a\;b" "\099"`}, []string{`x.test. 300 IN TXT "a;b" "c"`}, true},
		{[]string{`x.test. 300 IN TXT "ab"`}, []string{`x.test. 300 IN TXT "a" "b"`}, false},
		{[]string{`x.test. 300 IN TXT "Ab"`}, []string{`x.test. 300 IN TXT "ab"`}, false}, // TXT data keeps its case
		{[]string{"x.test. 300 IN A 192.0.2.1"}, []string{"x.test. 300 IN A 192.0.2.1", "x.test. 300 IN A 192.0.2.3"}, false},
	}
	for i, c := range cases {
		if got := mk(c.a...).SameData(mk(c.b...)); got != c.same {
			t.Errorf("case %d: SameData = %v, want %v", i, got, c.same)
		}
	}
}

// writeFile writes s to p, making p's folder first.
func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTopmostCutOrDNAMEApplies: below nested cuts or DNAMEs, the one
// closest to the apex is what a server's walk stops at (RFC 1034 §4.3.2)
// and what named-checkzone 9.18 names: an NS target below an occluded cut
// of the NS owner's own delegation needs REQUIRED glue, and a target below
// nested DNAMEs is below the outer one. At one node a delegation wins over
// a DNAME, as in BIND's database.
func TestTopmostCutOrDNAMEApplies(t *testing.T) {
	const text = `$ORIGIN e.test.
$TTL 300
@ IN SOA ns1 host 1 3600 600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
sub IN NS ns.in.sub
in.sub IN NS ns.in.sub
d1 IN DNAME t.e.test.
d2.d1 IN DNAME u.e.test.
sub2 IN NS ns.d2.d1
both IN NS ns1
both IN DNAME t.e.test.
x.both IN TXT "below both"
`
	z, err := Parse(strings.NewReader(text), "e.zone", "e.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]string{
		6:  {"error", "sub.e.test. NS 'ns.in.sub.e.test.' has no REQUIRED GLUE"},
		7:  {"warning", "in.sub.e.test. NS is below the delegation at sub.e.test."},
		9:  {"warning", "d2.d1.e.test. DNAME is below the DNAME at d1.e.test."},
		10: {"error", "sub2.e.test. NS 'ns.d2.d1.e.test.' is below a DNAME 'd1.e.test.'"},
		13: {"warning", "x.both.e.test. TXT is below the delegation at both.e.test."},
	}
	got := map[int]bool{}
	for _, p := range Check(z) {
		w, ok := want[p.Pos.Line]
		if !ok || got[p.Pos.Line] || string(p.Severity) != w[0] || !strings.Contains(p.Message, w[1]) {
			t.Errorf("unexpected: %s (%s)", p, p.Severity)
			continue
		}
		got[p.Pos.Line] = true
	}
	for line, w := range want {
		if !got[line] {
			t.Errorf("line %d: want %s %q", line, w[0], w[1])
		}
	}
}
