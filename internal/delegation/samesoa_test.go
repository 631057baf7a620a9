package delegation

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// TestSameSOAJudged: a recorded NS name with no recorded addresses is
// judged by the SOA its addresses serve. One serving the side's SOA with
// an older serial (a secondary that lags) cannot be judged either way
// (unsure); another SOA, none served with authority, or an address not
// asked from here (nothing asked it: a name taken over could gain an
// AAAA alone, on a runner without IPv6) differs.
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
		addr               string
		p                  *probe // nil: no probe of addr
		ok, differ, unsure bool
	}{
		{"the same SOA", "192.0.2.9", probeOf("192.0.2.9", soa(10, "h.old.test."), true), true, false, false},
		{"an older serial", "192.0.2.9", probeOf("192.0.2.9", soa(9, "h.old.test."), true), false, false, true},
		{"a newer serial", "192.0.2.9", probeOf("192.0.2.9", soa(11, "h.old.test."), true), false, true, false},
		{"another field", "192.0.2.9", probeOf("192.0.2.9", soa(9, "hostmaster.elsewhere.test."), true), false, true, false},
		{"no authority", "192.0.2.9", probeOf("192.0.2.9", soa(10, "h.old.test."), false), false, true, false},
		{"not asked from here", "2001:db8::9", &probe{server: "[2001:db8::9]:53", notChecked: "no route to IPv6"}, false, true, false},
		{"no probe of it", "192.0.2.10", nil, false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg := &Target{Zone: z, Side: "old", Configured: []string{"192.0.2.1"}}
			probes := []*probe{configured}
			if tc.p != nil {
				probes = append(probes, tc.p)
			}
			same, differ, unsure, judged := tg.sameSOA([]string{tc.addr}, probes)
			if !judged {
				t.Fatalf("not judged")
			}
			if got := len(differ) > 0; got != tc.differ {
				t.Errorf("differ %q, want some: %v", differ, tc.differ)
			}
			if got := len(unsure) > 0; got != tc.unsure {
				t.Errorf("unsure %q, want some: %v", unsure, tc.unsure)
			}
			if got := strings.HasPrefix(same, tc.addr+" "); got != tc.ok {
				t.Errorf("same %q: names %s %v, want %v", same, tc.addr, got, tc.ok)
			}
		})
	}
}
