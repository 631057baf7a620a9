package zone

import (
	"strings"
	"testing"
)

// TestBadNameSaysWhy: a domain name that cannot be one (a label over 63
// octets, a name over 255 octets on the wire, an empty label), as an
// owner, in a record's data or in $ORIGIN, is an error on its line that
// says which rule it breaks (RFC 1035 §2.3.4), not only "bad owner name".
func TestBadNameSaysWhy(t *testing.T) {
	l64 := strings.Repeat("a", 64)
	long := strings.Repeat(strings.Repeat("b", 60)+".", 5) // 306 octets on the wire
	tests := []struct {
		name, record string
		want         string
	}{
		{"owner label of 64", l64 + " IN A 192.0.2.1\n", "a label of 64 octets, over the 63 allowed"},
		{"owner label of 64 escaped", strings.Repeat("a", 61) + `\065\066\067 IN A 192.0.2.1` + "\n", "a label of 64 octets, over the 63 allowed"},
		{"owner name over 255", long + " IN A 192.0.2.1\n", "306 octets long on the wire, over the 255 allowed"},
		{"owner empty label", "a..b IN A 192.0.2.1\n", "empty label"},
		{"CNAME target label of 64", "x IN CNAME " + l64 + ".example.net.\n", "a label of 64 octets, over the 63 allowed"},
		{"MX target label of 64", "x IN MX 10 " + l64 + "\n", "a label of 64 octets, over the 63 allowed"},
		{"CNAME target over 255", "x IN CNAME " + long + "\n", "306 octets long on the wire, over the 255 allowed"},
		{"$ORIGIN label of 64", "$ORIGIN " + l64 + ".a.test.\nx IN A 192.0.2.1\n", "a label of 64 octets, over the 63 allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errorAt(t, "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.53\n"+tt.record, tt.want, 5)
		})
	}
}
