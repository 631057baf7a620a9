package delegation

import (
	"testing"

	"github.com/miekg/dns"
)

// TestSameSOAJudged: a recorded NS name with no recorded addresses is
// judged by the SOA its addresses serve. An address not asked from here
// (no IPv6 route: such a probe refuses nothing) and one serving the
// side's SOA with an older serial (a secondary that lags) cannot be
// judged either way; another SOA, or none served with authority, differs.
func TestSameSOAJudged(t *testing.T) {
	const z = "example.test."
	soa := func(serial uint32, mbox string) *dns.SOA {
		return &dns.SOA{Hdr: dns.RR_Header{Name: z, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 300}, Ns: "ns1.old.test.", Mbox: mbox, Serial: serial, Refresh: 3600, Retry: 600, Expire: 604800, Minttl: 300}
	}
	probeOf := func(server string, s *dns.SOA, aa bool) *probe {
		m := new(dns.Msg)
		m.SetQuestion(z, dns.TypeSOA)
		m.Response, m.Authoritative = true, aa
		m.Answer = []dns.RR{s}
		return &probe{server: server + ":53", soa: s, soaMsg: m}
	}
	configured := probeOf("192.0.2.1", soa(10, "h.old.test."), true)
	for _, tc := range []struct {
		name               string
		p                  *probe
		ok, differ, unsure bool
	}{
		{"the same SOA", probeOf("192.0.2.9", soa(10, "h.old.test."), true), true, false, false},
		{"an older serial", probeOf("192.0.2.9", soa(9, "h.old.test."), true), false, false, true},
		{"a newer serial", probeOf("192.0.2.9", soa(11, "h.old.test."), true), false, true, false},
		{"another field", probeOf("192.0.2.9", soa(9, "hostmaster.elsewhere.test."), true), false, true, false},
		{"no authority", probeOf("192.0.2.9", soa(10, "h.old.test."), false), false, true, false},
		{"not asked from here", &probe{server: "[2001:db8::9]:53", notChecked: "no route to IPv6"}, false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg := &Target{Zone: z, Side: "old", Configured: []string{"192.0.2.1"}}
			addr := "192.0.2.9"
			if tc.p.notChecked != "" {
				addr = "2001:db8::9"
			}
			same, differ, unsure, judged := tg.sameSOA([]string{addr}, []*probe{configured, tc.p})
			if !judged {
				t.Fatalf("not judged")
			}
			if got := len(differ) > 0; got != tc.differ {
				t.Errorf("differ %q, want some: %v", differ, tc.differ)
			}
			if got := len(unsure) > 0; got != tc.unsure {
				t.Errorf("unsure %q, want some: %v", unsure, tc.unsure)
			}
			if tc.ok && (len(differ) > 0 || len(unsure) > 0 || same == "") {
				t.Errorf("want the address judged the side's: same %q, differ %q, unsure %q", same, differ, unsure)
			}
		})
	}
}
