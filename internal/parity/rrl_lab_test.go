package parity_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityRRLLab: old is BIND with response rate limiting (RRL) on its
// NXDOMAIN answers, new plain BIND, both serving the same zone. A limited
// answer is either a "slip" (an empty answer with TC=1: a resolver, and
// parity, asks again over TCP, which RRL does not limit) or dropped.
//
//   - slip 1 (every limited answer is a TC slip): resolvers get the same
//     answers from both sides, so parity holds with no finding about it;
//   - slip 0 (every limited answer dropped): what old would have said is
//     unknown. Not a pass (an error), and not a mismatch either: a
//     question a side did not answer is a "failure" ("could not
//     verify"), never an rcode difference against the other side's
//     NXDOMAIN nor a disagreement.
func TestParityRRLLab(t *testing.T) {
	lab.Require(t, "named")
	text := fixture(t)
	z := loadText(t, text)
	new := serve(t, "bind", text)
	for _, c := range []struct {
		name, rrl string
		ok        bool
	}{
		{"slip", "nxdomains-per-second 1; errors-per-second 1; slip 1; window 10;", true},
		{"drop", "nxdomains-per-second 1; errors-per-second 1; slip 0; window 10;", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, RateLimit: c.rrl}
			old := lab.BIND(t, o).Addr
			rep := run(t, z, []string{old}, []string{new})
			dump(t, rep)
			if rep.OK() != c.ok {
				t.Errorf("parity holds: %v, want %v", rep.OK(), c.ok)
			}
			failures := 0
			for _, f := range rep.Findings {
				if strings.Contains(f.Old, "timeout") || strings.Contains(f.New, "timeout") {
					if f.Kind != "failure" || f.Severity != parity.SevError || !strings.Contains(f.Detail, "could not verify") {
						t.Errorf("%s %s: %s %s: %s; want a failure error (could not verify), not a difference", f.Name, f.Type, f.Severity, f.Kind, f.Detail)
					}
					failures++
				}
			}
			if c.ok && len(rep.Findings) > 0 {
				for _, f := range rep.Findings {
					if f.Severity != parity.SevInfo {
						t.Errorf("a TC slip answered over TCP differs: %s %s %s %s: %s", f.Severity, f.Kind, f.Name, f.Type, f.Detail)
					}
				}
			}
			if !c.ok && failures == 0 {
				t.Errorf("no question went unanswered: RRL dropped nothing")
			}
		})
	}
}
