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
