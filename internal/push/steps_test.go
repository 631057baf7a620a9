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
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// emergencyConfig is a config of the zones a., b. and c.: b. flipped in
// an emergency (the old provider was down), c. flipped in an emergency
// and then rolled back in one (the new provider was down in turn), as
// their audit trails say.
func emergencyConfig(t *testing.T) *config.Config {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse([]byte("zones:\n  - {name: a., file: a}\n  - {name: b., file: b}\n  - {name: c., file: c}\ncutover:\n  state_dir: st\n"), filepath.Join(dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC)
	back := at.Add(time.Hour)
	for _, z := range []struct {
		name    string
		entries []cutover.Entry
	}{
		{"b.", []cutover.Entry{{Time: at, Command: "flip", Emergency: true, Result: cutover.ResultDone, ChangedAt: &at}}},
		{"c.", []cutover.Entry{
			{Time: at, Command: "flip", Emergency: true, Result: cutover.ResultDone, ChangedAt: &at},
			{Time: back, Command: "rollback", Emergency: true, Result: cutover.ResultDone, ChangedAt: &back, ParentNSTTL: 86400},
		}},
	} {
		path := cutover.TrailPathFor(cfg, z.name)
		tr, _ := cutover.ReadTrail(path, z.name)
		for _, e := range z.entries {
			if err := tr.Append(path, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	return cfg
}

// TestSteps: which providers a zone goes to, in which order, and which
// stop the run. Without an emergency step (a.) old then new, both
// stopping, named or not; after an emergency flip (b.) new first, then old
// only if it answers; after an emergency rollback (c.) old first, then
// new only if it answers; in both cases unless the providers are named
// without --if-up. The IfUp step says why: the emergency step, its time,
// until when resolvers may ask the side left behind, the push by name.
func TestSteps(t *testing.T) {
	cfg := emergencyConfig(t)
	both := []string{"old", "new"}
	flipWhy := []string{"the old provider goes last", "emergency flip of 2026-12-05T07:00:00Z", "push --provider old --zone b."}
	rollWhy := []string{"the new provider goes last", "emergency rollback of 2026-12-05T08:00:00Z", "may ask it until 2026-12-06T08:00:00Z", "push --provider new --zone c."}
	for _, c := range []struct {
		zone        string
		provs       []string
		named, ifUp bool
		want        string
		why         []string
	}{
		{"a.", both, false, false, "old new", nil},
		{"a.", both, true, true, "old new", nil},
		{"a.", []string{"old"}, true, true, "old", nil},
		{"b.", both, false, false, "new old?", flipWhy},
		{"B", both, false, false, "new old?", flipWhy},
		{"b.", both, true, false, "old new", nil},
		{"b.", []string{"old"}, true, false, "old", nil},
		{"b.", []string{"old"}, true, true, "old?", flipWhy},
		{"b.", []string{"new"}, false, false, "new", nil},
		{"c.", both, false, false, "old new?", rollWhy},
		{"C", both, true, true, "old new?", rollWhy},
		{"c.", both, true, false, "old new", nil},
		{"c.", []string{"new"}, true, false, "new", nil},
		{"c.", []string{"new"}, true, true, "new?", rollWhy},
		{"c.", []string{"old"}, false, false, "old", nil},
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
				for _, w := range c.why {
					if !strings.Contains(s.Why, w) {
						t.Errorf("%+v: why lacks %q: %s", c, w, s.Why)
					}
				}
			}
			got = append(got, n)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%+v: steps %v, want %s", c, got, c.want)
		}
	}
}

// TestPasses: the Action's sync, provider by provider. Without an
// emergency one pass per provider over every zone (as the sync always
// did); with one, the stopping passes first, then the IfUp pass of the
// side each emergency left behind over its zones: the old side after an
// emergency flip, the new side after an emergency rollback. The IfUp
// passes run with --if-up.
func TestPasses(t *testing.T) {
	cfg := emergencyConfig(t)
	both := []string{"old", "new"}
	for _, c := range []struct {
		zones []string
		named bool
		want  string
	}{
		{[]string{"a."}, false, "[--provider old] [--provider new]"},
		{[]string{"a.", "b.", "c."}, true, "[--provider old] [--provider new]"},
		{[]string{"b."}, false, "[--provider new] [--provider old --if-up]"},
		{[]string{"a.", "b."}, false, "[--provider old --zone a.] [--provider new] [--provider old --zone b. --if-up]"},
		{[]string{"c."}, false, "[--provider old] [--provider new --if-up]"},
		{[]string{"a.", "c."}, false, "[--provider old] [--provider new --zone a.] [--provider new --zone c. --if-up]"},
		{[]string{"a.", "b.", "c."}, false, "[--provider old --zone a. --zone c.] [--provider new --zone a. --zone b.] [--provider old --zone b. --if-up] [--provider new --zone c. --if-up]"},
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
func (f fakeProv) Apply(_ context.Context, z string, cs []provider.Change, _ progress.Updater) (provider.Result, error) {
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
// (exit 2) and still stops nothing. After an emergency rollback the
// mirror: old first, and a new provider still down is a note.
func TestRunSteps(t *testing.T) {
	cfg := emergencyConfig(t)
	down := fmt.Errorf("GET zones: %w: dial tcp 127.0.0.1:8081: connect: connection refused", provider.ErrUnavailable)
	refused := provider.AuthError("credentials refused: the API key (HTTP 401)")
	for _, c := range []struct {
		name     string
		zones    []string
		oldErr   error
		newErr   error
		wantExit int
		want     string // what was applied, in order
		notSync  string // the provider noted not synced
	}{
		{"no emergency, old up", []string{"a."}, nil, nil, cli.ExitOK, "old a.,new a.", ""},
		{"no emergency, old down", []string{"a."}, down, nil, cli.ExitError, "", ""},
		{"emergency, old up", []string{"b."}, nil, nil, cli.ExitOK, "new b.,old b.", ""},
		{"emergency only, old down", []string{"b."}, down, nil, cli.ExitOK, "new b.", "old"},
		{"emergency, old refuses", []string{"b."}, refused, nil, cli.ExitError, "new b.", ""},
		{"emergency rollback, new up", []string{"c."}, nil, nil, cli.ExitOK, "old c.,new c.", ""},
		{"emergency rollback, new down", []string{"c."}, nil, down, cli.ExitOK, "old c.", "new"},
		{"emergency rollback, new refuses", []string{"c."}, nil, refused, cli.ExitError, "old c.", ""},
		{"emergency rollback, old down", []string{"c."}, down, nil, cli.ExitError, "", ""},
		{"no emergency, new down", []string{"a."}, nil, down, cli.ExitError, "old a.", ""},
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
						} else {
							f.err = c.newErr
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
			var noted string
			for _, e := range entries {
				if e.NotSynced != "" {
					noted = e.Plan.Provider
					if !strings.Contains(e.NotSynced, e.Plan.Provider+" provider still down: not synced; will be retried on the next scheduled sync") {
						t.Errorf("note: %s %s", e.Plan.Provider, e.NotSynced)
					}
				}
			}
			if noted != c.notSync {
				t.Errorf("not synced noted for %q, want %q: %+v", noted, c.notSync, entries)
			}
			if (errors.Is(c.oldErr, provider.ErrAuth) || errors.Is(c.newErr, provider.ErrAuth)) && !strings.Contains(fmt.Sprint(entries), "credentials refused") {
				t.Errorf("the refusal is not in the entries: %+v", entries)
			}
		})
	}
}
