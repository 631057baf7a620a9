package push

import (
	"errors"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestPlansExitWorst: plan's exit code is the worst of its zones', in
// whatever order they come: a zone that could not be planned (2) is not
// made 1 by a later zone whose plan is refused or has drifted, nor by a
// record a later provider cannot hold. On the code before, each zone set
// the code in turn, and the last zone's 1 hid an earlier zone's 2.
func TestPlansExitWorst(t *testing.T) {
	failed := func() *Target {
		return &Target{Plan: &plan.Plan{Provider: "old", Zone: "a.test."}, Failed: errors.New("provider unreachable")}
	}
	drifted := func() *Target { return &Target{Plan: &plan.Plan{Provider: "new", Zone: "b.test.", NewZone: true}} }
	blocked := func() *Target {
		return &Target{Plan: &plan.Plan{Provider: "new", Zone: "c.test.", Unsupported: []plan.Unsupported{{Set: &zone.RRSet{Name: "c.test.", Type: dns.TypeCAA}, Reason: "no CAA"}}}}
	}
	clean := func() *Target { return &Target{Plan: &plan.Plan{Provider: "new", Zone: "d.test."}} }
	for _, tc := range []struct {
		name    string
		targets []*Target
		drift   bool
		want    int
	}{
		{"failed, then drifted", []*Target{failed(), drifted()}, true, cli.ExitError},
		{"drifted, then failed", []*Target{drifted(), failed()}, true, cli.ExitError},
		{"failed, then blocked", []*Target{failed(), blocked()}, false, cli.ExitError},
		{"blocked, then clean", []*Target{blocked(), clean()}, false, cli.ExitProblem},
		{"drifted, then clean", []*Target{drifted(), clean()}, true, cli.ExitProblem},
		{"drifted without --detect-drift", []*Target{drifted(), clean()}, false, cli.ExitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, exit := Plans(tc.targets, plan.Policy{MaxChangePercent: 100}, tc.drift)
			if exit != tc.want || len(entries) != len(tc.targets) {
				t.Errorf("exit %d with %d entries, want %d with %d", exit, len(entries), tc.want, len(tc.targets))
			}
		})
	}
}
