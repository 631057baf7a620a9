package rfc2136_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestKnotDNAMEAgreesWithKnot pushes each zone by UPDATE to real Knot
// with the generic flavor (no checks of ours), over what the server
// holds from the case's first push (before), and compares what Knot does
// with what the knot flavor's plan refuses. Knot refuses an update that
// leaves data below a DNAME, whichever of the two the update adds
// (REFUSED, the whole message); BIND takes it (the data is occluded and
// never served: `check` warns). The knot flavor's plan took it and Knot
// refused the push at apply.
func TestKnotDNAMEAgreesWithKnot(t *testing.T) {
	lab.Require(t, "knotd")
	srv := lab.Knot(t, lab.Options{Zones: []lab.Zone{lab.ZoneFile(t, origin, minZone)}, TSIG: key, AllowUpdate: true})
	a := newAgreement(t, srv.Addr, "knot")
	cases := []struct {
		name, before, lines string
		refused             bool
	}{
		{"a DNAME alone", "", "dn DNAME example.net.", false},
		{"a DNAME and data below", "", "dn DNAME example.net.\nx.dn A 192.0.2.1", true},
		{"data below a DNAME held", "dn DNAME example.net.", "dn DNAME example.net.\nx.dn A 192.0.2.1", true},
		{"a DNAME above data held", "x.dn A 192.0.2.1", "dn DNAME example.net.\nx.dn A 192.0.2.1", true},
		{"data far below", "", "dn DNAME example.net.\na.b.dn TXT \"deep\"", true},
		{"data beside the DNAME", "", "dn DNAME example.net.\ndn TXT \"beside\"", false},
		{"a DNAME below the apex, data elsewhere", "", "dn DNAME example.net.\nother A 192.0.2.2", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if u := a.judge(t, "Knot", tc.before, tc.lines, tc.refused); u != nil && (!strings.Contains(u.String(), "z.zone:") || !strings.Contains(u.Reason, "below")) {
				t.Errorf("refusal %q: want its file and line, and why", u.String())
			}
		})
	}
}
