package zone

import (
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
	ps := Check(z)
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
