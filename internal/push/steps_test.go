package push

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// emergencyConfig is a config of the zones a. and b., b. flipped in an
// emergency (its audit trail says so).
func emergencyConfig(t *testing.T) *config.Config {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse([]byte("zones:\n  - {name: a., file: a}\n  - {name: b., file: b}\ncutover:\n  state_dir: st\n"), filepath.Join(dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := cutover.TrailPathFor(cfg, "b.")
	tr, _ := cutover.ReadTrail(path, "b.")
	at := time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC)
	if err := tr.Append(path, cutover.Entry{Time: at, Command: "flip", Emergency: true, Result: cutover.ResultDone, ChangedAt: &at}); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestSteps: which providers a zone goes to, in which order, and which
// stop the run. Without an emergency flip (a.) old then new, both
// stopping, named or not; after one (b.) new first, then old only if it
// answers, unless the providers are named without --old-if-up.
func TestSteps(t *testing.T) {
	cfg := emergencyConfig(t)
	both := []string{"old", "new"}
	for _, c := range []struct {
		zone         string
		provs        []string
		named, ifUp  bool
		want         string
		wantEmergent bool
	}{
		{"a.", both, false, false, "old new", false},
		{"a.", both, true, true, "old new", false},
		{"a.", []string{"old"}, true, true, "old", false},
		{"b.", both, false, false, "new old?", true},
		{"B", both, false, false, "new old?", true},
		{"b.", both, true, false, "old new", false},
		{"b.", []string{"old"}, true, false, "old", false},
		{"b.", []string{"old"}, true, true, "old?", true},
		{"b.", []string{"new"}, false, false, "new", false},
	} {
		steps, err := Steps(cfg, c.zone, c.provs, c.named, c.ifUp)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range steps {
			n := s.Provider
			if s.IfUp {
				n += "?"
				if !strings.Contains(s.Why, "emergency flip of 2026-12-05T07:00:00Z") {
					t.Errorf("%+v: why %q", c, s.Why)
				}
			}
			got = append(got, n)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%+v: steps %v, want %s", c, got, c.want)
		}
	}
}

// TestStepsAfterEmergencyRollback: a rollback --emergency after an
// emergency flip (the new provider down in turn) puts the delegation back
// on the old side: the zone's steps are the usual ones, old first, each
// stopping; not the emergency flip's order, which would push the old side
// last and only if it answers.
func TestStepsAfterEmergencyRollback(t *testing.T) {
	cfg := emergencyConfig(t)
	path := cutover.TrailPathFor(cfg, "b.")
	tr, err := cutover.ReadTrail(path, "b.")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	if err := tr.Append(path, cutover.Entry{Time: at, Command: "rollback", Emergency: true, Result: cutover.ResultDone, ChangedAt: &at}); err != nil {
		t.Fatal(err)
	}
	for _, named := range []bool{false, true} {
		steps, err := Steps(cfg, "b.", []string{"old", "new"}, named, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(steps) != 2 || steps[0] != (Step{Provider: "old"}) || steps[1] != (Step{Provider: "new"}) {
			t.Errorf("named %v: steps %+v, want old then new, both stopping", named, steps)
		}
	}
	passes, err := Passes(cfg, []string{"a.", "b."}, []string{"old", "new"}, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(passes) != 2 || passes[0].Provider != "old" || passes[0].IfUp || passes[1].Provider != "new" || passes[1].IfUp {
		t.Errorf("passes %+v, want old then new over every zone", passes)
	}
}

// TestPasses: the Action's sync, provider by provider. Without an
// emergency one pass per provider over every zone (as the sync always
// did); with one, the stopping passes first, then the old side's IfUp
// pass over the zones flipped in an emergency.
func TestPasses(t *testing.T) {
	cfg := emergencyConfig(t)
	both := []string{"old", "new"}
	for _, c := range []struct {
		zones []string
		named bool
		want  string
	}{
		{[]string{"a."}, false, "[--provider old] [--provider new]"},
		{[]string{"a.", "b."}, true, "[--provider old] [--provider new]"},
		{[]string{"b."}, false, "[--provider new] [--provider old --old-if-up]"},
		{[]string{"a.", "b."}, false, "[--provider old --zone a.] [--provider new] [--provider old --zone b. --old-if-up]"},
	} {
		passes, err := Passes(cfg, c.zones, both, c.named, false)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range passes {
			got = append(got, fmt.Sprint(p.Args()))
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%v named %v: passes %s, want %s", c.zones, c.named, strings.Join(got, " "), c.want)
		}
	}
}

// fakeProv applies every change, or fails with err.
type fakeProv struct {
	err     error
	applied *[]string
	name    string
}

func (f fakeProv) Nameservers(context.Context, string) ([]string, error) { return nil, nil }
func (f fakeProv) Records(context.Context, string) (*zone.Zone, error)   { return nil, nil }
func (f fakeProv) Capabilities() provider.Capabilities                   { return provider.Capabilities{} }
func (f fakeProv) ChecksOld()                                            {}
func (f fakeProv) Apply(_ context.Context, z string, cs []provider.Change) (provider.Result, error) {
	if f.err != nil {
		return provider.Result{}, f.err
	}
	*f.applied = append(*f.applied, f.name+" "+z)
	return provider.Result{Applied: cs, Requests: 1}, nil
}

// TestRunSteps: Run follows the steps. Without an emergency, old then
// new, and an old provider that fails stops the run (new untouched,
// exit 2), as before. After an emergency flip (the targets' steps) new
// goes first; an old provider still down is a note, not a failure
// (exit 0), and stops no other zone; one that fails otherwise counts
// (exit 2) and still stops nothing.
func TestRunSteps(t *testing.T) {
	cfg := emergencyConfig(t)
	down := fmt.Errorf("GET zones: %w: dial tcp 127.0.0.1:8081: connect: connection refused", provider.ErrUnavailable)
	refused := provider.AuthError("credentials refused: the API key (HTTP 401)")
	for _, c := range []struct {
		name     string
		zones    []string
		oldErr   error
		wantExit int
		want     string // what was applied, in order
		notSync  bool
	}{
		{"no emergency, old up", []string{"a."}, nil, cli.ExitOK, "old a.,new a.", false},
		{"no emergency, old down", []string{"a."}, down, cli.ExitError, "", false},
		{"emergency, old up", []string{"b."}, nil, cli.ExitOK, "new b.,old b.", false},
		{"emergency only, old down", []string{"b."}, down, cli.ExitOK, "new b.", true},
		{"emergency, old refuses", []string{"b."}, refused, cli.ExitError, "new b.", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var applied []string
			var targets []*Target
			provs := []string{"old", "new"}
			for _, p := range provs { // Setup's order: provider by provider
				for _, z := range c.zones {
					steps, err := Steps(cfg, z, provs, false, false)
					if err != nil {
						t.Fatal(err)
					}
					for rank, s := range steps {
						if s.Provider != p {
							continue
						}
						f := fakeProv{applied: &applied, name: p}
						if p == "old" {
							f.err = c.oldErr
						}
						a, err := dns.NewRR("www." + z + " 60 IN A 192.0.2.1")
						if err != nil {
							t.Fatal(err)
						}
						rr, err := zone.NewRRSet([]dns.RR{a})
						if err != nil {
							t.Fatal(err)
						}
						pl := &plan.Plan{Provider: p, Zone: z, Changes: []plan.Change{{Action: provider.Create, Name: rr.Name, Type: rr.Type, New: rr}}}
						targets = append(targets, &Target{Prov: f, Plan: pl, Step: s, Rank: rank})
					}
				}
			}
			entries, blocked := Check(targets, plan.Policy{MaxChangePercent: 100})
			if blocked {
				t.Fatal("blocked")
			}
			exit, _ := Run(context.Background(), targets, entries, Options{Stderr: io.Discard})
			if exit != c.wantExit || strings.Join(applied, ",") != c.want {
				t.Errorf("exit %d, applied %v; want exit %d, applied %s", exit, applied, c.wantExit, c.want)
			}
			var noted bool
			for _, e := range entries {
				if e.NotSynced != "" {
					noted = true
					if e.Plan.Provider != "old" || !strings.Contains(e.NotSynced, "old provider still down: not synced; will be retried on the next scheduled sync") {
						t.Errorf("note: %s %s", e.Plan.Provider, e.NotSynced)
					}
				}
			}
			if noted != c.notSync {
				t.Errorf("not synced noted %v, want %v: %+v", noted, c.notSync, entries)
			}
			if errors.Is(c.oldErr, provider.ErrAuth) && !strings.Contains(fmt.Sprint(entries), "credentials refused") {
				t.Errorf("the refusal is not in the entries: %+v", entries)
			}
		})
	}
}
