package rfc2136_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestCheckMXAgreesWithBIND sends each zone by UPDATE to real BIND with
// the generic flavor (no checks of ours) and compares what BIND does with
// what the bind flavor's plan refuses. BIND checks every MX an UPDATE
// adds against the zone as the update leaves it: a target inside the
// zone, above every cut, with no A or AAAA record there (directly or
// through a wildcard), or that is a CNAME or below a DNAME, refuses the
// whole message ("MX '…' has no address records (A or AAAA)", "… is a
// CNAME (illegal)"; REFUSED: check-integrity, on by default for a
// primary). `check` only warns of such a target; the bind flavor's plan
// took it and BIND refused the push at apply. SRV targets are not checked
// so (BIND logs nothing and takes them), nor MX targets outside the zone,
// below a delegation or reached through a wildcard.
func TestCheckMXAgreesWithBIND(t *testing.T) {
	lab.Require(t, "named")
	srv := lab.BIND(t, lab.Options{Zones: []lab.Zone{lab.ZoneFile(t, origin, minZone)}, TSIG: key, AllowUpdate: true})
	a := newAgreement(t, srv.Addr, "bind")
	cases := []struct {
		name, lines string
		refused     bool
	}{
		{"apex without address", "mx MX 10 example.com.", true},
		{"in-zone name without address", "mx MX 10 mail.example.com.\nmail TXT \"no address\"", true},
		{"nothing at the name", "mx MX 10 nowhere.example.com.", true},
		{"one of two targets", "mx MX 10 ns1.example.com.\nmx MX 20 mail.example.com.", true},
		{"address added with it", "mx MX 10 mail.example.com.\nmail A 192.0.2.25", false},
		{"AAAA only", "mx MX 10 mail.example.com.\nmail AAAA 2001:db8::25", false},
		{"through a wildcard", "mx MX 10 a.w.example.com.\n*.w A 192.0.2.26", false},
		{"below a delegation", "mx MX 10 mail.sub.example.com.\nsub NS ns1.example.net.", false},
		{"outside the zone", "mx MX 10 mail.example.net.", false},
		{"null MX", "mx MX 0 .", false},
		{"SRV without address", "_s._tcp SRV 0 0 1 nowhere.example.com.", false},
		{"MX to a CNAME", "mx MX 10 alias.example.com.\nalias CNAME ns1.example.com.", true},
		{"below a DNAME", "mx MX 10 a.dn.example.com.\ndn DNAME example.net.", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if u := a.judge(t, "BIND", "", tc.lines, tc.refused); u != nil && (u.Set.Type != 15 || !strings.Contains(u.String(), "z.zone:") || !strings.Contains(u.Reason, "check-integrity")) {
				t.Errorf("refusal %q: want the MX, its file and line, and why", u.String())
			}
		})
	}
}
