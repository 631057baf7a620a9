package inproc

import (
	"testing"

	"github.com/miekg/dns"
)

func rrs(t *testing.T, lines ...string) []dns.RR {
	t.Helper()
	var out []dns.RR
	for _, l := range lines {
		rr, err := dns.NewRR(l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rr)
	}
	return out
}

// TestPrerequisites: RFC 2136 §3.2 prerequisites decide whether a message
// applies, whole or not at all.
func TestPrerequisites(t *testing.T) {
	anyOf := func(name string, typ uint16, class uint16) dns.RR {
		return &dns.ANY{Hdr: dns.RR_Header{Name: name, Rrtype: typ, Class: class}}
	}
	www := "www.example.test."
	cases := []struct {
		name    string
		prereq  []dns.RR
		rcode   int
		applied bool
	}{
		{"none", nil, dns.RcodeSuccess, true},
		{"RRset exists, exactly these records", rrs(t, "www.example.test. 0 IN A 192.0.2.1", "WWW.example.test. 0 IN A 192.0.2.2"), dns.RcodeSuccess, true},
		{"RRset holds other records", rrs(t, "www.example.test. 0 IN A 192.0.2.1"), dns.RcodeNXRrset, false},
		{"RRset exists (any value)", []dns.RR{anyOf(www, dns.TypeA, dns.ClassANY)}, dns.RcodeSuccess, true},
		{"RRset exists, but it does not", []dns.RR{anyOf(www, dns.TypeTXT, dns.ClassANY)}, dns.RcodeNXRrset, false},
		{"RRset does not exist, but it does", []dns.RR{anyOf(www, dns.TypeA, dns.ClassNONE)}, dns.RcodeYXRrset, false},
		{"name in use", []dns.RR{anyOf(www, dns.TypeANY, dns.ClassANY)}, dns.RcodeSuccess, true},
		{"name in use, but it is not", []dns.RR{anyOf("nope.example.test.", dns.TypeANY, dns.ClassANY)}, dns.RcodeNameError, false},
		{"name not in use, but it is", []dns.RR{anyOf(www, dns.TypeANY, dns.ClassNONE)}, dns.RcodeYXDomain, false},
		{"a TTL in a prerequisite", rrs(t, "www.example.test. 5 IN A 192.0.2.1", "www.example.test. 5 IN A 192.0.2.2"), dns.RcodeFormatError, false},
		{"the SOA as it is", rrs(t, "example.test. 0 IN SOA ns1.example.test. hostmaster.example.test. 7 3600 600 86400 60"), dns.RcodeSuccess, true},
		{"an older SOA", rrs(t, "example.test. 0 IN SOA ns1.example.test. hostmaster.example.test. 6 3600 600 86400 60"), dns.RcodeNXRrset, false},
		{"outside the zone", rrs(t, "www.example.com. 0 IN A 192.0.2.1"), dns.RcodeNotZone, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			z := newStore("example.test.", rrs(t,
				"example.test. 60 IN SOA ns1.example.test. hostmaster.example.test. 7 3600 600 86400 60",
				"example.test. 60 IN NS ns1.example.test.",
				"www.example.test. 60 IN A 192.0.2.1", "www.example.test. 60 IN A 192.0.2.2"))
			up := append([]dns.RR{anyOf(www, dns.TypeA, dns.ClassANY)}, rrs(t, "www.example.test. 60 IN A 192.0.2.9")...)
			if rcode := z.apply(tc.prereq, up); rcode != tc.rcode {
				t.Errorf("rcode %s, want %s", dns.RcodeToString[rcode], dns.RcodeToString[tc.rcode])
			}
			set := z.nodes[www][dns.TypeA]
			applied := len(set) == 1 && set[0].(*dns.A).A.String() == "192.0.2.9"
			if applied != tc.applied {
				t.Errorf("applied %v, want %v: %v", applied, tc.applied, set)
			}
			if serial := z.soa().Serial; (serial == 8) != tc.applied {
				t.Errorf("serial %d after applied=%v", serial, applied)
			}
		})
	}
}

// TestSOAUpdate: an added SOA replaces the zone's only with a greater
// serial (RFC 2136 §3.4.2.2); otherwise it is ignored and the serial bumped.
func TestSOAUpdate(t *testing.T) {
	for _, tc := range []struct {
		name, soa  string
		ttl, min   uint32
		wantSerial uint32
	}{
		{"greater serial", "example.test. 5 IN SOA ns1.example.test. hostmaster.example.test. 8 3600 600 86400 5", 5, 5, 8},
		{"same serial", "example.test. 5 IN SOA ns1.example.test. hostmaster.example.test. 7 3600 600 86400 5", 60, 60, 8},
		{"older serial", "example.test. 5 IN SOA ns1.example.test. hostmaster.example.test. 6 3600 600 86400 5", 60, 60, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := newStore("example.test.", rrs(t,
				"example.test. 60 IN SOA ns1.example.test. hostmaster.example.test. 7 3600 600 86400 60",
				"example.test. 60 IN NS ns1.example.test."))
			if rcode := z.apply(nil, rrs(t, tc.soa)); rcode != dns.RcodeSuccess {
				t.Fatalf("rcode %s", dns.RcodeToString[rcode])
			}
			soa := z.soa()
			if soa.Hdr.Ttl != tc.ttl || soa.Minttl != tc.min || soa.Serial != tc.wantSerial || len(z.nodes["example.test."][dns.TypeSOA]) != 1 {
				t.Errorf("SOA %v, want TTL %d minimum %d serial %d", soa, tc.ttl, tc.min, tc.wantSerial)
			}
		})
	}
}
