package zone_test

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestHostnameOneRule: `check`'s check-names (CheckNames, as an NS
// and an MX target) and the delegation's host-name rule
// (HostnameProblem) judge every name of zonetest.Hostnames as BIND
// and RFC 1123 do, escapes decoded. Before, check-names refused any name
// holding a backslash (ns\065 is "nsA", which BIND loads), so `check`
// would have warned and the rfc2136 bind flavor refused records BIND
// takes, while the delegation gate passed the same name (their callers
// pass canonical names, where miekg/dns escapes only octets no host name
// holds, so neither had shown it yet).
func TestHostnameOneRule(t *testing.T) {
	for _, tc := range zonetest.Hostnames {
		for _, line := range []string{"sub NS " + tc.Name, "x MX 1 " + tc.Name} {
			rr, err := dns.NewRR("$ORIGIN example.com.\n" + line)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			rdata, err := zone.CanonicalRdata(rr)
			if err != nil {
				t.Fatal(err)
			}
			_, bad := zone.CheckNames(zone.CanonicalName(rr.Header().Name), rr.Header().Rrtype, rdata)
			if bad == tc.BIND {
				t.Errorf("check-names on %q: refused %v, BIND refuses it: %v", line, bad, !tc.BIND)
			}
		}
		// The name as written (a config's delegation, a name not yet
		// canonical): the same verdict.
		if got := zone.IsHostname(tc.Name, false); got != tc.BIND {
			t.Errorf("isHostname(%q) = %v, BIND: %v", tc.Name, got, tc.BIND)
		}
		got := zone.HostnameProblem(tc.Name)
		if (tc.Why == "") != (got == "") || !strings.Contains(got, tc.Why) {
			t.Errorf("HostnameProblem(%q) = %q, want %q", tc.Name, got, tc.Why)
		}
	}
}
