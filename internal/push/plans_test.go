package push

import (
	"errors"
	"slices"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/report"
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

// TestEntriesOfCheckAndPlans: push's entries (Check) and plan's (Plans)
// carry each target's error and warnings; an unsafe change (the apex NS)
// blocks push unless forced and is then a "forced" warning, while plan
// warns that push needs --force (forced: the same "forced" warning); an
// unsupported record blocks both.
func TestEntriesOfCheckAndPlans(t *testing.T) {
	apexNS := plan.Change{Name: "a.test.", Type: dns.TypeNS, Action: provider.Create, New: &zone.RRSet{Name: "a.test.", Type: dns.TypeNS}}
	const unsafe = "create the apex NS of a.test."
	target := func() *Target {
		return &Target{Plan: &plan.Plan{Provider: "new", Zone: "a.test.", Changes: []plan.Change{apexNS},
			Unsupported: []plan.Unsupported{{Set: &zone.RRSet{Name: "a.test.", Type: dns.TypeCAA}, Reason: "no CAA"}}},
			Warnings: []string{"a note"}, Failed: errors.New("half read")}
	}
	unsupported := target().Plan.Unsupported[0].String()
	for _, tc := range []struct {
		name          string
		force         bool
		plans         bool
		blocked, warn []string
	}{
		{"push", false, false, []string{unsupported, unsafe + " (use --force)"}, []string{"a note"}},
		{"push --force", true, false, []string{unsupported}, []string{"a note", "forced: " + unsafe}},
		{"plan", false, true, []string{unsupported}, []string{"a note", "push needs --force: " + unsafe}},
		{"plan --force", true, true, []string{unsupported}, []string{"a note", "forced: " + unsafe}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pol := plan.Policy{MaxChangePercent: 100, Force: tc.force}
			var es []report.PlanEntry
			if tc.plans {
				es, _ = Plans([]*Target{target()}, pol, false)
			} else {
				es, _ = Check([]*Target{target()}, pol)
			}
			e := es[0]
			if e.Error != "half read" || e.Applied != -1 || e.Plan.Zone != "a.test." {
				t.Errorf("entry %+v: want the target's error and plan, nothing applied", e)
			}
			if !slices.Equal(e.Blocked, tc.blocked) || !slices.Equal(e.Warnings, tc.warn) {
				t.Errorf("blocked %q, warnings %q; want %q, %q", e.Blocked, e.Warnings, tc.blocked, tc.warn)
			}
		})
	}
}

// TestEntriesDoNotShareWarnings: two entries made of one target (a
// check, then a plan) each keep their own warnings, even when the
// target's slice has room to grow in place.
func TestEntriesDoNotShareWarnings(t *testing.T) {
	apexNS := plan.Change{Name: "a.test.", Type: dns.TypeNS, Action: provider.Create, New: &zone.RRSet{Name: "a.test.", Type: dns.TypeNS}}
	warnings := make([]string, 1, 8)
	warnings[0] = "a note"
	target := &Target{Plan: &plan.Plan{Provider: "new", Zone: "a.test.", Changes: []plan.Change{apexNS}}, Warnings: warnings}
	checked, _ := Check([]*Target{target}, plan.Policy{MaxChangePercent: 100, Force: true})
	Plans([]*Target{target}, plan.Policy{MaxChangePercent: 100}, false)
	want := []string{"a note", "forced: create the apex NS of a.test."}
	if !slices.Equal(checked[0].Warnings, want) {
		t.Errorf("the check's warnings became %q after a plan of the same target; want %q", checked[0].Warnings, want)
	}
	if !slices.Equal(target.Warnings, []string{"a note"}) {
		t.Errorf("the target's warnings became %q", target.Warnings)
	}
}
