package cutover

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
)

// TestOldAfterEmergency (hole 7): after an emergency flip (the trail says
// so) and until the next rollback or a planned flip, pushes take the old
// side last, only if it answers, and say why; not after a planned flip.
func TestOldAfterEmergency(t *testing.T) {
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
	steps := []struct {
		e    Entry
		skip bool
	}{
		{Entry{Time: t0, Command: "status", Result: ResultObserved}, false},
		{Entry{Time: t0.Add(time.Minute), Command: "flip", Emergency: true, Result: ResultRefused}, false},
		{Entry{Time: t0.Add(2 * time.Minute), Command: "flip", Emergency: true, Result: ResultDone}, true},
		{Entry{Time: t0.Add(3 * time.Minute), Command: "push", Result: ResultDone, Pushed: map[string]Pushed{"new": {MaxTTL: 300}}}, true},
		{Entry{Time: t0.Add(4 * time.Minute), Command: "rollback", Result: ResultDone}, false},
		{Entry{Time: t0.Add(5 * time.Minute), Command: "flip", Result: ResultDone}, false},
	}
	tr, _ := ReadTrail(path, "example.test.")
	for i, s := range steps {
		if err := tr.Append(path, s.e); err != nil {
			t.Fatal(err)
		}
		why, err := OldAfterEmergency(cfg, "EXAMPLE.test")
		if err != nil || (why != "") != s.skip {
			t.Errorf("after step %d (%s): %q %v, want skipped %v", i, s.e.Command, why, err, s.skip)
		}
		if s.skip && (!strings.Contains(why, "emergency flip of 2026-11-01T10:02:00Z") || !strings.Contains(why, "dnsparity push --provider old --zone example.test.")) {
			t.Errorf("why: %s", why)
		}
	}
}
