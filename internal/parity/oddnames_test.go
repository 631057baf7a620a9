package parity

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestLookupDNAMELength: git's answer below a DNAME is YXDOMAIN exactly
// when the substituted name exceeds 255 octets on the wire (RFC 6672
// §2.2), whatever its presentation form's length: a label of 63 octets
// written \128 is 252 characters, one octet each.
func TestLookupDNAMELength(t *testing.T) {
	const text = `$ORIGIN n.test.
$TTL 300
@ IN SOA ns1 host 1 3600 600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
d IN DNAME tttttttttt.n.test.
`
	z, err := zone.Parse(strings.NewReader(text), "n.zone", "n.test.", "")
	if err != nil || len(z.Problems) > 0 {
		t.Fatalf("%v %v", err, z.Problems)
	}
	v := newView(z)
	high := strings.Repeat(`\128`, 63)
	plain := strings.Repeat("l", 63)
	for _, c := range []struct {
		label string
		name  string // below d.n.test.
		yx    bool
	}{
		// 3*64 + 10 octets asked, 3*64 + 19 substituted.
		{"octets as \\DDD, 211 octets substituted", high + "." + high + "." + high, false},
		{"letters, 211 octets substituted", plain + "." + plain + "." + plain, false},
		// 3*64 + 50 + 10 = 252 octets asked, 261 substituted.
		{"letters, 261 octets substituted", plain + "." + plain + "." + plain + "." + strings.Repeat("m", 49), true},
		{"octets as \\DDD, 261 octets substituted", high + "." + high + "." + high + "." + strings.Repeat(`\.`, 49), true},
	} {
		qname := zone.CanonicalName(c.name + ".d.n.test.")
		a, _ := v.lookup(qname, dns.TypeA)
		if yx := a.Rcode == dns.RcodeYXDomain; yx != c.yx {
			t.Errorf("%s: rcode %s with %d records, want YXDOMAIN %v", c.label, dns.RcodeToString[a.Rcode], len(a.Answer), c.yx)
		}
		if !c.yx && (len(a.Answer) != 2 || a.Answer[1].Type != dns.TypeCNAME) {
			t.Errorf("%s: %d records, want the DNAME and its CNAME", c.label, len(a.Answer))
		}
	}
}
