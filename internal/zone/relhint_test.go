package zone

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRelativeTargetHint: a target written without its final dot
// ("mx.mailhost.example" in dot.test.'s file is
// mx.mailhost.example.dot.test.) is the most common zone-file mistake; the
// warning (or the apex NS error) says so and what to write. A target
// whose top label holds names in the zone (mx.eu with eu there), or one
// label below the apex (mail), is an in-zone name: no hint.
func TestRelativeTargetHint(t *testing.T) {
	text := `$ORIGIN dot.test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 300
@ IN NS ns1.provider.net
@ IN NS ns1
ns1 IN A 192.0.2.53
@ IN MX 10 mx.mailhost.example
@ IN MX 20 mail
_sip._tcp IN SRV 10 5 5060 sip.voip.example.org
eu IN A 192.0.2.1
@ IN MX 30 mx.eu
`
	z, err := Parse(strings.NewReader(text), "dot.test.zone", "dot.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		4:  "NS 'ns1.provider.net.dot.test.' has no address records (A or AAAA) (written without a final dot? Then it is inside dot.test.; for the name outside the zone, write ns1.provider.net.)",
		7:  "dot.test. MX 'mx.mailhost.example.dot.test.' has no address records (A or AAAA) (written without a final dot? Then it is inside dot.test.; for the name outside the zone, write mx.mailhost.example.)",
		8:  "dot.test. MX 'mail.dot.test.' has no address records (A or AAAA)",
		9:  "_sip._tcp.dot.test. SRV 'sip.voip.example.org.dot.test.' has no address records (A or AAAA) (written without a final dot? Then it is inside dot.test.; for the name outside the zone, write sip.voip.example.org.)",
		11: "dot.test. MX 'mx.eu.dot.test.' has no address records (A or AAAA)",
	}
	holdLines(t, Check(z), want)
}

// holdLines fails t unless ps are exactly the problems want holds, one
// message by line.
func holdLines(t *testing.T, ps []Problem, want map[int]string) {
	t.Helper()
	for _, p := range ps {
		if w, ok := want[p.Pos.Line]; !ok || p.Message != w {
			t.Errorf("line %d: %q\nwant %q", p.Pos.Line, p.Message, w)
		}
		delete(want, p.Pos.Line)
	}
	for l, w := range want {
		t.Errorf("line %d: no problem, want %q", l, w)
	}
}

// TestDoubledOrigin: a name written with the zone's name but without the
// final dot ("www.dot.test" in dot.test.'s file) is that name under the
// zone's name again, www.dot.test.dot.test.: BIND loads it without a word
// and the record is served at a name nobody asks. An owner, a CNAME, DNAME
// or PTR target so written is a warning saying what to write; an MX, NS or
// SRV target so written gets the final-dot hint even where the doubled
// name's top label holds names (an owner doubled too).
func TestDoubledOrigin(t *testing.T) {
	text := dotTestHead + `www.dot.test IN A 192.0.2.1
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
	want := map[int]string{
		6:  "www.dot.test.dot.test.: " + twiceHint("www.dot.test", "www.dot.test. (or www)"),
		7:  "web.dot.test. CNAME 'www.dot.test.dot.test.': " + twiceHint("www.dot.test", "www.dot.test. (or www)"),
		8:  "old.dot.test. DNAME 'new.dot.test.dot.test.': " + twiceHint("new.dot.test", "new.dot.test. (or new)"),
		9:  "1.dot.test. PTR 'host.dot.test.dot.test.': " + twiceHint("host.dot.test", "host.dot.test. (or host)"),
		10: "dot.test. MX 'mail.dot.test.dot.test.' has no address records (A or AAAA) (" + twiceHint("mail.dot.test", "mail.dot.test. (or mail)") + ")",
		11: "dot.test.dot.test.: " + twiceHint("dot.test", "dot.test. (or @)"),
	}
	ps := Check(z)
	if i := slices.IndexFunc(ps, func(p Problem) bool { return p.Severity != Warning }); i >= 0 {
		t.Errorf("%v: want warnings only", ps[i])
	}
	holdLines(t, ps, want)
}

// TestAtInsideName: "@" stands for the origin only as a whole name; inside
// one ("mail.@", "@.www") it is a label "@": mail.\@.dot.test. BIND loads
// it (check-names warns on address owners only), and the record is served
// at, or points to, a name nobody means. Each owner and CNAME, DNAME or PTR
// target so written is a warning naming the name meant, and an MX, NS or
// SRV target's "no address" warning says it in place of the final-dot hint.
func TestAtInsideName(t *testing.T) {
	text := dotTestHead + `mail IN A 192.0.2.25
txt.@ IN TXT "x"
@.www IN TXT "y"
web IN CNAME mail.@
@ IN MX 10 mail.@
_sip._tcp IN SRV 0 0 5060 mail.@
fine IN CNAME @
user\@x IN TXT "an @ within a label: no hint"
mail\@x IN A 192.0.2.26
@ IN MX 20 mail\@x
`
	z, err := Parse(strings.NewReader(text), "dot.test.zone", "dot.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		7:  `txt.\@.dot.test.: ` + atLabelHint("txt.dot.test.", "txt"),
		8:  `\@.www.dot.test.: ` + atLabelHint("www.dot.test.", "www"),
		9:  `web.dot.test. CNAME 'mail.\@.dot.test.': ` + atLabelHint("mail.dot.test.", "mail"),
		10: `dot.test. MX 'mail.\@.dot.test.' has no address records (A or AAAA) (` + atLabelHint("mail.dot.test.", "mail") + ")",
		11: `_sip._tcp.dot.test. SRV 'mail.\@.dot.test.' has no address records (A or AAAA) (` + atLabelHint("mail.dot.test.", "mail") + ")",
	}
	// The MX and SRV targets get check-names' own warning too (BIND's).
	holdLines(t, slices.DeleteFunc(Check(z), func(p Problem) bool { return strings.Contains(p.Message, "(check-names:") }), want)
}

// dotTestHead is dot.test.'s first five lines, for the cases after it.
const dotTestHead = "$ORIGIN dot.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"

// twiceHint and atLabelHint are the hints doubledHint and atHint give.
func twiceHint(was, write string) string {
	return "the zone's name twice: " + was + " written without its final dot? Then write " + write
}

func atLabelHint(meant, rel string) string {
	return "'@' inside a name is a label '@', not the origin (@ stands for the origin only as a whole name): write " + rel + " (or " + meant + ")"
}

// TestDoubledOriginSaidOnce: after "$ORIGIN sub.dot.test" (no final dot)
// every owner is under sub.dot.test.dot.test.: the $ORIGIN's own warning
// says so, once, and the owners below it do not each say it again (a
// thousand records made a thousand warnings); an owner doubled elsewhere
// still warns.
func TestDoubledOriginSaidOnce(t *testing.T) {
	text := dotTestHead + "$ORIGIN sub.dot.test\na A 192.0.2.1\nb A 192.0.2.2\n$ORIGIN dot.test.\nwww.dot.test A 192.0.2.3\n"
	z, err := Parse(strings.NewReader(text), "dot.test.zone", "dot.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	holdLines(t, Check(z), map[int]string{
		6:  `$ORIGIN "sub.dot.test" has no final dot: it is relative to dot.test., and gives "sub.dot.test.dot.test."; write "sub.dot.test." for the name itself`,
		10: "www.dot.test.dot.test.: " + twiceHint("www.dot.test", "www.dot.test. (or www)"),
	})
	// The $ORIGIN in other case: its owners are still said once.
	z, err = Parse(strings.NewReader(dotTestHead+"$ORIGIN Sub.DOT.test\na A 192.0.2.1\nb A 192.0.2.2\n"), "dot.test.zone", "dot.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	holdLines(t, Check(z), map[int]string{
		6: `$ORIGIN "Sub.DOT.test" has no final dot: it is relative to dot.test., and gives "Sub.DOT.test.dot.test."; write "Sub.DOT.test." for the name itself`,
	})
}

// TestDoubledOriginSpan: an $ORIGIN written without its final dot says
// it once for the owners read under it, from it to the next $ORIGIN (in
// the files it $INCLUDEs too, and again after them), and only for those:
// an owner below it written separately, after "$ORIGIN dot.test." or in
// a file included with its own origin, is its own mistake and warns.
func TestDoubledOriginSpan(t *testing.T) {
	const relWarn = `$ORIGIN "sub.dot.test" has no final dot: it is relative to dot.test., and gives "sub.dot.test.dot.test."; write "sub.dot.test." for the name itself`
	for _, c := range []struct {
		name, main, inc string
		want            map[string]string // by base name:line
	}{
		{"written after the next $ORIGIN",
			"$ORIGIN sub.dot.test\na A 192.0.2.1\n$ORIGIN dot.test.\nx.sub.dot.test A 192.0.2.3\n", "",
			map[string]string{"main.zone:6": relWarn,
				"main.zone:9": "x.sub.dot.test.dot.test.: " + twiceHint("x.sub.dot.test", "x.sub.dot.test. (or x.sub)")}},
		{"one owner inside and after",
			"$ORIGIN sub.dot.test\na A 192.0.2.1\n$ORIGIN dot.test.\na.sub.dot.test TXT \"x\"\n", "",
			map[string]string{"main.zone:6": relWarn,
				"main.zone:9": "a.sub.dot.test.dot.test.: " + twiceHint("a.sub.dot.test", "a.sub.dot.test. (or a.sub)")}},
		{"a blank owner after the next $ORIGIN",
			"$ORIGIN sub.dot.test\na A 192.0.2.1\n$ORIGIN dot.test.\n\tTXT \"x\"\n", "",
			map[string]string{"main.zone:6": relWarn,
				"main.zone:9": "record with inherited owner (a.sub.dot.test.dot.test.) immediately after $ORIGIN (dot.test.): the owner is the previous record's, not the new origin; write @ or the name"}},
		{"a relative $ORIGIN under it",
			"$ORIGIN sub.dot.test\n$ORIGIN www\na A 192.0.2.1\n", "",
			map[string]string{"main.zone:6": relWarn}},
		{"an $INCLUDE inheriting it, and after",
			"$ORIGIN sub.dot.test\n$INCLUDE inc.zone\nb A 192.0.2.2\n", "a A 192.0.2.1\n",
			map[string]string{"main.zone:6": relWarn}},
		{"an $INCLUDE with its own origin",
			"$ORIGIN sub.dot.test\n$INCLUDE inc.zone dot.test.\nb A 192.0.2.2\n", "y.sub.dot.test A 192.0.2.1\n",
			map[string]string{"main.zone:6": relWarn,
				"inc.zone:1": "y.sub.dot.test.dot.test.: " + twiceHint("y.sub.dot.test", "y.sub.dot.test. (or y.sub)")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			main := filepath.Join(dir, "main.zone")
			if err := os.WriteFile(main, []byte(dotTestHead+c.main), 0o644); err != nil {
				t.Fatal(err)
			}
			if c.inc != "" {
				if err := os.WriteFile(filepath.Join(dir, "inc.zone"), []byte(c.inc), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			z, err := Load(main, Options{Origin: "dot.test.", Root: dir})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range Check(z) {
				at := fmt.Sprintf("%s:%d", filepath.Base(p.Pos.File), p.Pos.Line)
				if w, ok := c.want[at]; !ok || p.Message != w {
					t.Errorf("%s: %q\nwant %q", at, p.Message, w)
				}
				delete(c.want, at)
			}
			for at, w := range c.want {
				t.Errorf("%s: no problem, want %q", at, w)
			}
		})
	}
}

// TestDoubledWrittenWithDot: a name that holds the zone's name twice but
// is written with its final dot ("test.test." in test.'s file, in any
// case, on a blank owner after it, in a $GENERATE) is a name of its own,
// which BIND loads as written: the hint asking whether the final dot was
// left out is not given. The same name written without it ("test", which
// most likely meant the apex) and a doubled owner so written still warn.
func TestDoubledWrittenWithDot(t *testing.T) {
	text := `$ORIGIN test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 300
@ IN NS ns1
ns1 IN A 192.0.2.53
test.test. IN A 192.0.2.1
@ IN MX 10 test.test.
www.test IN A 192.0.2.2
Test.TEST. IN TXT "x"
	IN AAAA 2001:db8::1
test IN TXT "y"
$GENERATE 1-2 h$.test.test. A 192.0.2.$
`
	z, err := Parse(strings.NewReader(text), "test.zone", "test.", "")
	if err != nil {
		t.Fatal(err)
	}
	holdLines(t, Check(z), map[int]string{
		8:  "www.test.test.: " + twiceHint("www.test", "www.test. (or www)"),
		11: "test.test.: " + twiceHint("test", "test. (or @)"),
	})
}
