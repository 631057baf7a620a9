package zone

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// TestTTLAboveMax: a TTL above 2^31-1 (RFC 2181 §8) is read as 0 with a
// warning, as BIND does, for a record's TTL, $TTL and $GENERATE; the
// largest allowed TTL stays.
func TestTTLAboveMax(t *testing.T) {
	cases := []struct {
		name, text, owner string
		want              uint32
		warnLine          int
	}{
		{"record", rdataApex + "a 4294967295 A 192.0.2.2\n", "a.example.test.", 0, 5},
		{"record with units", rdataApex + "a 3551w A 192.0.2.2\n", "a.example.test.", 0, 5},
		{"max stays", rdataApex + "a 2147483647 A 192.0.2.2\n", "a.example.test.", 2147483647, 0},
		{"$TTL", "$TTL 2147483648\n@ 300 SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 300 NS ns1\nns1 300 A 192.0.2.1\na A 192.0.2.2\n", "a.example.test.", 0, 1},
		{"$GENERATE", rdataApex + "$GENERATE 1-2 g$ 2147483648 A 192.0.2.$\n", "g1.example.test.", 0, 5},
		{"last TTL after a capped one", "@ 300 SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 300 NS ns1\nns1 2147483648 A 192.0.2.1\nb A 192.0.2.2\n", "b.example.test.", 0, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			z := mustParse(t, c.text)
			s := z.Get(c.owner, dns.TypeA)
			if s == nil {
				t.Fatalf("no %s A; problems %v", c.owner, Check(z))
			}
			if s.TTL != c.want || s.Records[0].TTL != c.want {
				t.Errorf("TTL %d/%d, want %d", s.TTL, s.Records[0].TTL, c.want)
			}
			warned := false
			for _, p := range Check(z) {
				if p.Severity == Error {
					t.Errorf("error: %v", p)
				}
				if strings.Contains(p.Message, "> MAXTTL") {
					warned = true
					if p.Pos.Line != c.warnLine || p.Severity != Warning {
						t.Errorf("problem %v (%s), want a warning at line %d", p, p.Severity, c.warnLine)
					}
				}
			}
			if warned != (c.warnLine != 0) {
				t.Errorf("warned %v, want line %d", warned, c.warnLine)
			}
		})
	}
}
