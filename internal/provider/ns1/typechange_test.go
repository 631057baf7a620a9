package ns1_test

import (
	"slices"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestTypeChangeCreatesFirst: a name that changes type (A to CNAME, and
// back) gets its new record before the old one is deleted, as NS1 says
// to convert a type: NS1 keeps both meanwhile (the A answers first), and
// a name with nothing at it is answered NXDOMAIN, cached about five
// minutes (help.ns1.com, "Converting between CNAME, A, and ALIAS record
// types").
func TestTypeChangeCreatesFirst(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey)
	head := "$ORIGIN example.com.\n@ 3600 SOA dns1.p01.nsone.net. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n@ 3600 NS dns2.p01.nsone.net.\n"
	providertest.Push(t, p, providertest.Desired(t, "example.com.", head+"www 300 A 192.0.2.1\n"))
	for _, tc := range []struct{ zone, create, del string }{
		{"www 300 CNAME example.net.\n", "PUT example.com/www.example.com/CNAME", "DELETE example.com/www.example.com/A"},
		{"www 300 A 192.0.2.2\n", "PUT example.com/www.example.com/A", "DELETE example.com/www.example.com/CNAME"},
	} {
		s.Writes = nil
		providertest.Push(t, p, providertest.Desired(t, "example.com.", head+tc.zone))
		c, d := slices.Index(s.Writes, tc.create), slices.Index(s.Writes, tc.del)
		if c < 0 || d < 0 || c > d {
			t.Errorf("writes %v: want %q before %q", s.Writes, tc.create, tc.del)
		}
		providertest.ReadBack(t, p, providertest.Desired(t, "example.com.", head+tc.zone))
	}
}
