package query

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/miekg/dns"
)

// TestAppendQueryOptions: a query with NSID and an ECS option is byte for
// byte what miekg/dns packs for the same EDNS options (RFC 5001, RFC 7871
// §6: the address cut to the octets the source prefix covers).
func TestAppendQueryOptions(t *testing.T) {
	for _, c := range []struct {
		nsid   bool
		subnet string
	}{
		{true, ""},
		{false, "203.0.113.0/24"},
		{true, "198.51.100.128/25"},
		{true, "2001:db8:1::/48"},
		{true, "2001:db8:1:ff00::/57"},
		{true, "0.0.0.0/0"},
		{true, "192.0.2.7/32"},
	} {
		var p netip.Prefix
		if c.subnet != "" {
			var err error
			if p, err = ParseSubnet(c.subnet); err != nil {
				t.Fatal(err)
			}
		}
		m := new(dns.Msg)
		m.SetQuestion("www.parity.test.", dns.TypeA)
		m.RecursionDesired = false
		m.SetEdns0(1232, false)
		m.IsEdns0().Option = ednsOptions(c.nsid, false, p)
		m.Id = 0
		want, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		got, err := AppendQueryOpt(nil, "www.parity.test.", dns.TypeA, appendOptions(nil, c.nsid, p))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("nsid %v subnet %q:\n got %x\nwant %x", c.nsid, c.subnet, got, want)
		}
		// What a server reads back.
		var back dns.Msg
		if err := back.Unpack(got); err != nil {
			t.Fatalf("%q: %v", c.subnet, err)
		}
		for _, o := range back.IsEdns0().Option {
			if e, ok := o.(*dns.EDNS0_SUBNET); ok {
				if got := netip.PrefixFrom(netip.MustParseAddr(e.Address.String()), int(e.SourceNetmask)); got.Masked() != p {
					t.Errorf("%q: the server reads %s", c.subnet, got)
				}
			}
		}
	}
}

func TestParseSubnet(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"203.0.113.0/24", "203.0.113.0/24", ""},
		{" 2001:db8:1::/48", "2001:db8:1::/48", ""},
		{"192.0.2.7", "192.0.2.7/32", ""},
		{"203.0.113.1/24", "", "host bits"},
		{"::ffff:192.0.2.0/120", "", "as IPv4"},
		{"eu", "", "not a subnet"},
		{"10.0.0.0/33", "", "not a subnet"},
	} {
		p, err := ParseSubnet(c.in)
		switch {
		case c.err != "" && (err == nil || !bytes.Contains([]byte(err.Error()), []byte(c.err))):
			t.Errorf("%q: error %v, want one saying %q", c.in, err, c.err)
		case c.err == "" && (err != nil || p.String() != c.want):
			t.Errorf("%q: %v %v, want %s", c.in, p, err, c.want)
		}
	}
}

// TestReadEDNS: the NSID (text when printable, else hex) and the ECS
// scope of a response.
func TestReadEDNS(t *testing.T) {
	m := new(dns.Msg)
	m.SetQuestion("www.parity.test.", dns.TypeA)
	m.Response, m.Authoritative = true, true
	m.SetEdns0(1232, false)
	m.IsEdns0().Option = []dns.EDNS0{
		&dns.EDNS0_NSID{Code: dns.EDNS0NSID, Nsid: "667261312e6e73"}, // "fra1.ns"
		&dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1, SourceNetmask: 24, SourceScope: 16, Address: netip.MustParseAddr("203.0.113.0").AsSlice()},
	}
	a, _ := FromMsg(m, nil)
	if a.NSID != "fra1.ns" || !a.ECS || a.Scope != 16 {
		t.Errorf("NSID %q ECS %v scope %d, want fra1.ns true 16", a.NSID, a.ECS, a.Scope)
	}
	m.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_NSID{Code: dns.EDNS0NSID, Nsid: "00ff01"}}
	if a, _ := FromMsg(m, nil); a.NSID != "00ff01" || a.ECS {
		t.Errorf("NSID %q ECS %v, want hex 00ff01 and no ECS", a.NSID, a.ECS)
	}
}
