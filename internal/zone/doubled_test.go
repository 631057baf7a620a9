package zone

import (
	"strings"
	"testing"
)

// TestDoubledOrigin: a name written with the zone's name but without the
// final dot ("www.dot.test" in dot.test.'s file) is that name under the
// zone's name again, www.dot.test.dot.test.: BIND loads it without a word
// and the record is served at a name nobody asks. An owner, a CNAME, DNAME
// or PTR target so written is a warning saying what to write; an MX, NS or
// SRV target so written gets the final-dot hint even where the doubled
// name's top label holds names (an owner doubled too).
func TestDoubledOrigin(t *testing.T) {
	text := `$ORIGIN dot.test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 300
@ IN NS ns1
ns1 IN A 192.0.2.53
www.dot.test IN A 192.0.2.1
web IN CNAME www.dot.test
old IN DNAME new.dot.test
1 IN PTR host.dot.test
@ IN MX 10 mail.dot.test
dot.test IN TXT "apex meant"
fine IN CNAME www
fine2 IN CNAME www.dot.test.
notdot.test IN A 192.0.2.2
`
	z, err := Parse(strings.NewReader(text), "dot.test.zone", "dot.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	hint := func(was, write string) string {
		return "the zone's name twice: " + was + " written without its final dot? Then write " + write
	}
	want := map[int]string{
		6:  "www.dot.test.dot.test.: " + hint("www.dot.test", "www.dot.test. (or www)"),
		7:  "web.dot.test. CNAME 'www.dot.test.dot.test.': " + hint("www.dot.test", "www.dot.test. (or www)"),
		8:  "old.dot.test. DNAME 'new.dot.test.dot.test.': " + hint("new.dot.test", "new.dot.test. (or new)"),
		9:  "1.dot.test. PTR 'host.dot.test.dot.test.': " + hint("host.dot.test", "host.dot.test. (or host)"),
		10: "dot.test. MX 'mail.dot.test.dot.test.' has no address records (A or AAAA) (" + hint("mail.dot.test", "mail.dot.test. (or mail)") + ")",
		11: "dot.test.dot.test.: " + hint("dot.test", "dot.test. (or @)"),
	}
	for _, p := range Check(z) {
		if w, ok := want[p.Pos.Line]; !ok || p.Message != w || p.Severity != Warning {
			t.Errorf("line %d (%s): %q\nwant %q", p.Pos.Line, p.Severity, p.Message, w)
		}
		delete(want, p.Pos.Line)
	}
	for l, w := range want {
		t.Errorf("line %d: no problem, want %q", l, w)
	}
}

// TestAtInsideName: "@" stands for the origin only as a whole name; inside
// one ("mail.@", "@.www") it is a label "@": mail.\@.dot.test. BIND loads
// it (check-names warns on address owners only), and the record is served
// at, or points to, a name nobody means. Each owner and CNAME, DNAME or PTR
// target so written is a warning naming the name meant, and an MX, NS or
// SRV target's "no address" warning says it in place of the final-dot hint.
func TestAtInsideName(t *testing.T) {
	text := `$ORIGIN dot.test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 300
@ IN NS ns1
ns1 IN A 192.0.2.53
mail IN A 192.0.2.25
txt.@ IN TXT "x"
@.www IN TXT "y"
web IN CNAME mail.@
@ IN MX 10 mail.@
_sip._tcp IN SRV 0 0 5060 mail.@
fine IN CNAME @
`
	z, err := Parse(strings.NewReader(text), "dot.test.zone", "dot.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	hint := func(meant, rel string) string {
		return "'@' inside a name is a label '@', not the origin (@ stands for the origin only as a whole name): write " + rel + " (or " + meant + ")"
	}
	want := map[int]string{
		7:  `txt.\@.dot.test.: ` + hint("txt.dot.test.", "txt"),
		8:  `\@.www.dot.test.: ` + hint("www.dot.test.", "www"),
		9:  `web.dot.test. CNAME 'mail.\@.dot.test.': ` + hint("mail.dot.test.", "mail"),
		10: `dot.test. MX 'mail.\@.dot.test.' has no address records (A or AAAA) (` + hint("mail.dot.test.", "mail") + ")",
		11: `_sip._tcp.dot.test. SRV 'mail.\@.dot.test.' has no address records (A or AAAA) (` + hint("mail.dot.test.", "mail") + ")",
	}
	for _, p := range Check(z) {
		if w, ok := want[p.Pos.Line]; ok && p.Message == w && p.Severity == Warning {
			delete(want, p.Pos.Line)
			continue
		}
		if strings.Contains(p.Message, "'@' inside a name") || p.Pos.Line == 12 {
			t.Errorf("line %d (%s): %q", p.Pos.Line, p.Severity, p.Message)
		}
	}
	for l, w := range want {
		t.Errorf("line %d: no such problem, want %q", l, w)
	}
}
