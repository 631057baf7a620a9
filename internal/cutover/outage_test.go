package cutover

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
)

// TestLeftBehind (hole 7, and its mirror): the side an emergency step
// left behind is the trail's last move of the delegation's: the old side
// after `flip --emergency`, the new side after `rollback --emergency`;
// none after a planned flip or rollback, a finish, a refused or dry-run
// step, or before any move. Pushes take that side last, only if it
// answers, and say why: the step, its time, until when resolvers may
// still ask that side (the delegation's expiry the step recorded), and
// the push that brings it up to date.
func TestLeftBehind(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Parse([]byte("zones:\n  - {name: Example.Test, file: z}\ncutover:\n  state_dir: st\n"), filepath.Join(dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := TrailPathFor(cfg, "example.test.")
	if path != filepath.Join(dir, "st", "example.test.json") {
		t.Fatalf("trail path %s", path)
	}
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	at := func(m int) *time.Time { v := t0.Add(time.Duration(m) * time.Minute); return &v }
	steps := []struct {
		e    Entry
		side string
		why  []string
	}{
		{Entry{Time: t0, Command: "status", Result: ResultObserved}, "", nil},
		{Entry{Time: *at(1), Command: "flip", Emergency: true, Result: ResultRefused}, "", nil},
		{Entry{Time: *at(2), Command: "flip", Emergency: true, Result: ResultDone, ChangedAt: at(2), ParentNSTTL: 3600}, "old",
			[]string{"the old provider goes last", "emergency flip of 2026-11-01T10:02:00Z", "may ask it until 2026-11-01T11:02:00Z", "dnsparity push --provider old --zone example.test.", "a rollback requires it"}},
		{Entry{Time: *at(3), Command: "push", Result: ResultDone, Pushed: map[string]Pushed{"new": {MaxTTL: 300}}}, "old", nil},
		{Entry{Time: *at(4), Command: "rollback", Result: ResultDone, ChangedAt: at(4)}, "", nil},
		{Entry{Time: *at(5), Command: "flip", Result: ResultDone, ChangedAt: at(5)}, "", nil},
		{Entry{Time: *at(6), Command: "rollback", Emergency: true, DryRun: true, Result: ResultDone}, "", nil},
		{Entry{Time: *at(7), Command: "rollback", Emergency: true, Result: ResultDone, ChangedAt: at(7), ParentNSTTL: 600, TTL: &TTLs{OldMax: 60, NewMax: 120}}, "new",
			[]string{"the new provider goes last", "emergency rollback of 2026-11-01T10:07:00Z", "may ask it until 2026-11-01T10:19:00Z", "dnsparity push --provider new --zone example.test.", "a flip requires it"}},
		{Entry{Time: *at(8), Command: "status", Result: ResultObserved}, "new", nil},
		{Entry{Time: *at(9), Command: "flip", Result: ResultDone, ChangedAt: at(9)}, "", nil},
		{Entry{Time: *at(10), Command: "finish", Result: ResultDone}, "", nil},
	}
	tr := readTrail(t, path)
	for i, s := range steps {
		if err := tr.Append(path, s.e); err != nil {
			t.Fatal(err)
		}
		side, why, err := LeftBehind(cfg, "EXAMPLE.test")
		if err != nil || side != s.side || (why != "") != (s.side != "") {
			t.Errorf("after step %d (%s): side %q why %q %v, want side %q", i, s.e.Command, side, why, err, s.side)
		}
		if got, e := tr.LeftBehind(); got != s.side || (e != nil) != (s.side != "") {
			t.Errorf("after step %d (%s): Trail.LeftBehind %q %v, want %q", i, s.e.Command, got, e, s.side)
		}
		for _, w := range s.why {
			if !strings.Contains(why, w) {
				t.Errorf("after step %d: why lacks %q: %s", i, w, why)
			}
		}
	}
}

// TestLeftBehindStale: status's error for a side left behind by an
// emergency step that answers again and differs from the side delegated
// to (the parity gate failed, not unproven) while the delegation before
// the step may still be cached; nothing once it expired, while parity
// holds or cannot be proven, or after a planned move.
func TestLeftBehindStale(t *testing.T) {
	at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	differs := Gate{Name: GateParity, Detail: "1 error"}
	for _, c := range []struct {
		name      string
		e         Entry
		g         Gate
		after     time.Duration
		want      []string
		wantEmpty bool
	}{
		{"emergency flip, old differs", Entry{Command: "flip", Emergency: true}, differs, time.Minute,
			[]string{"the old provider answers again after the emergency flip of 2026-11-01T10:00:00Z and differs from the new side (1 error)", "before the flip", "until 2026-11-01T11:00:00Z", "push --provider old --zone example.test."}, false},
		{"emergency rollback, new differs", Entry{Command: "rollback", Emergency: true}, differs, time.Minute,
			[]string{"the new provider answers again after the emergency rollback of 2026-11-01T10:00:00Z and differs from the old side (1 error)", "before the rollback", "until 2026-11-01T11:00:00Z", "push --provider new --zone example.test."}, false},
		{"emergency rollback, expired", Entry{Command: "rollback", Emergency: true}, differs, time.Hour, nil, true},
		{"emergency rollback, parity holds", Entry{Command: "rollback", Emergency: true}, Gate{Name: GateParity, OK: true}, time.Minute, nil, true},
		{"emergency rollback, new still down", Entry{Command: "rollback", Emergency: true}, Gate{Name: GateParity, unproven: true}, time.Minute, nil, true},
		{"planned rollback", Entry{Command: "rollback"}, differs, time.Minute, nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := c.e
			e.Time, e.ChangedAt, e.Result, e.ParentNSTTL = at, &at, ResultDone, 3600
			tr := &Trail{Entries: []Entry{e}}
			got := leftBehindStale(tr, c.g, at.Add(c.after), "example.test.")
			if (got == "") != c.wantEmpty {
				t.Fatalf("got %q, want empty %v", got, c.wantEmpty)
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q: %s", w, got)
				}
			}
		})
	}
}
