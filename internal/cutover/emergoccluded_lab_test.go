package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestEmergencyBelowGitCutLab: the cases of TestCompleteBelowGitCutLab
// (data the old provider, real PowerDNS, holds at and below a cut of
// git's) in flip --emergency with the old side partly down, its one
// server still answering: old-complete there (downComplete) must judge
// them by the planned gate's rule (lacksServed, zone.View.OccludedByCut),
// with the provider listed and with its API down (the survivor's
// transfer alone): occluded data passes, the glue and the DS at the cut
// git lacks, which the referral carries and the new side will not serve,
// refuse. On the code before, the emergency path (gitGives) took
// anything at or below a cut of git's as given: the glue and the DS
// passed, vanishing at the emergency flip the planned flip refuses; and
// a survivor's referral carrying the glue asked for was judged as an NS
// answer.
func TestEmergencyBelowGitCutLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	git, cases := belowGitCut()
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: git + tc.extra}}})
			planned := pdnsOldConfig(t, srv, origin, git).oldComplete(t)
			for _, unlisted := range []bool{false, true} {
				c := pdnsOldConfig(t, srv, origin, git)
				if unlisted {
					c.Old.Provider = unlistable{c.Old.Provider}
				}
				c.defaults()
				c.Old.Servers = []string{srv.Addr, silent(t)}
				c.New = Side{Name: "new"}
				g := downComplete(ctx, c, &c.Old, &c.New, []string{srv.Addr})
				t.Logf("API down %v: old-complete ok=%v %s; warnings %q", unlisted, g.OK, g.Detail, g.warnings)
				if g.OK != planned.OK {
					t.Errorf("API down %v: flip --emergency's old-complete ok=%v (%s), the planned flip's ok=%v (%s): one rule for what git gives", unlisted, g.OK, g.Detail, planned.OK, planned.Detail)
				}
				switch {
				case tc.name == "" && (!g.OK || g.Err):
					t.Errorf("API down %v: %s held at the old provider, never served: ok=%v %s; want passed", unlisted, strings.TrimSpace(tc.extra), g.OK, g.Detail)
				case tc.name != "" && (g.OK || !strings.Contains(g.Detail, tc.name) || !strings.Contains(g.Detail, srv.Addr)):
					t.Errorf("API down %v: %s served by the surviving old server with the referral: ok=%v %s; want refused naming %s at %s", unlisted, strings.TrimSpace(tc.extra), g.OK, g.Detail, tc.name, srv.Addr)
				}
			}
		})
	}
}
