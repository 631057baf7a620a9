package zone

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// TestCAALongValue: a CAA value is the rest of the RDATA, not a
// character-string (RFC 8659 §4.1.1), so one of over 255 octets is read
// from a zone file (as BIND and Knot load it) and from one record's text
// (NewRR: what the providers list back), whatever its escapes, and its
// text reads back as the same record.
func TestCAALongValue(t *testing.T) {
	long := strings.Repeat("b", 300)
	for _, tc := range []struct {
		name, rdata, value string // value: the octets
	}{
		{"quoted", `0 issue "` + long + `"`, long},
		{"unquoted", `0 issue ` + long, long},
		{"escapes", `128 iodef "` + strings.Repeat(`\"\\\255`, 90) + `"`, strings.Repeat("\"\\\xff", 90)},
		{"255 octets", `0 issue "` + long[:255] + `"`, long[:255]},
		{"256 octets", `0 issue "` + long[:256] + `"`, long[:256]},
		{"a tag of capitals", `0 ISSUE "` + long + `"`, long},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := mustParse(t, "$TTL 300\n@ SOA ns. h. 1 2 3 4 5\n@ NS ns.example.\nx CAA "+tc.rdata+"\n")
			if ps := Check(z); HasErrors(ps) {
				t.Fatalf("zone file: %v", ps)
			}
			set := z.Get("x.example.test.", dns.TypeCAA)
			if set == nil || len(set.RRs()) != 1 {
				t.Fatalf("zone file: no CAA record read")
			}
			fromFile := set.RRs()[0]
			rr, err := NewRR("x.example.test. 300 IN CAA " + tc.rdata)
			if err != nil {
				t.Fatalf("NewRR: %v", err)
			}
			for _, got := range []dns.RR{fromFile, rr} {
				if v := got.(*dns.CAA).Value; Unescape(v) != tc.value {
					t.Errorf("value %q, want the octets %q", v, tc.value)
				}
			}
			again, err := NewRR(rr.String())
			if err != nil || !dns.IsDuplicate(again, rr) {
				t.Errorf("%s read back as %v (%v)", rr, again, err)
			}
		})
	}
}
