package zone

import (
	"testing"

	"github.com/miekg/dns"
)

// TestAddrOf: an address record's address as a zone file writes it. An
// IPv4-mapped AAAA (::ffff:192.0.2.1) stays an IPv6 address: Go's net.IP
// prints it as the dotted quad 192.0.2.1, which named glue of the other
// family (providers8's finding: zone.Addrs and the parent's glue).
func TestAddrOf(t *testing.T) {
	for _, tc := range []struct {
		rr   string
		want string
		ok   bool
	}{
		{"a.example. 60 IN A 192.0.2.1", "192.0.2.1", true},
		{"a.example. 60 IN AAAA 2001:db8::1", "2001:db8::1", true},
		{"a.example. 60 IN AAAA ::ffff:192.0.2.1", "::ffff:192.0.2.1", true},
		{"a.example. 60 IN AAAA ::192.0.2.1", "::c000:201", true},
		{"a.example. 60 IN TXT x", "", false},
	} {
		rr, err := dns.NewRR(tc.rr)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := AddrOf(rr); got != tc.want || ok != tc.ok {
			t.Errorf("AddrOf(%s) = %q, %v; want %q, %v", tc.rr, got, ok, tc.want, tc.ok)
		}
	}
}
