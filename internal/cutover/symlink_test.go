package cutover

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestStateFilesNeverFollowSymlinks: cutover.state_dir is confined to the
// repository, but what lies in it is repository content too: a committed
// symlink in place of a zone's lock or trail (or a folder a zone name with
// a "/" would reach) must not make a step read, create, truncate or write
// a file outside. Each is refused, naming the path; the file outside is
// untouched.
func TestStateFilesNeverFollowSymlinks(t *testing.T) {
	const kept = "not dnsparity's\n"
	victimAt := func(t *testing.T) string {
		t.Helper()
		p := filepath.Join(t.TempDir(), "victim")
		if err := os.WriteFile(p, []byte(kept), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	untouched := func(t *testing.T, victim string) {
		t.Helper()
		if b, err := os.ReadFile(victim); err != nil || string(b) != kept {
			t.Errorf("the file outside was changed through the symlink: %q %v", b, err)
		}
	}
	symlink := func(t *testing.T, target, link string) {
		t.Helper()
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	const origin = "example.test."
	entry := Entry{Time: time.Now(), Command: "push", Actor: "tester", Result: ResultDone}

	t.Run("the zone's lock", func(t *testing.T) {
		dir, victim := t.TempDir(), victimAt(t)
		path := TrailPath(dir, origin)
		symlink(t, victim, lockPath(path))
		unlock, err := LockZone(context.Background(), path, origin, Holder{Command: "flip", Actor: "tester"}, time.Second, nil)
		if err == nil {
			unlock()
		}
		untouched(t, victim)
		if err == nil || !strings.Contains(err.Error(), "symlink") || !strings.Contains(err.Error(), lockPath(path)) {
			t.Errorf("a lock that is a symlink: %v, want a refusal naming it", err)
		}
	})
	t.Run("the trail's lock, dangling", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(t.TempDir(), "created")
		path := TrailPath(dir, origin)
		symlink(t, target, trailLockPath(path))
		tr := &Trail{Zone: origin}
		err := tr.Append(path, entry)
		if _, serr := os.Lstat(target); serr == nil {
			t.Errorf("a file was created outside through the trail's lock")
		}
		if err == nil || !strings.Contains(err.Error(), "symlink") {
			t.Errorf("a trail lock that is a symlink: %v, want a refusal", err)
		}
	})
	t.Run("the trail", func(t *testing.T) {
		dir, victim := t.TempDir(), victimAt(t)
		path := TrailPath(dir, origin)
		symlink(t, victim, path)
		_, err := ReadTrail(path, origin)
		if err == nil || !strings.Contains(err.Error(), "symlink") || strings.Contains(err.Error(), "invalid character") {
			t.Errorf("a trail that is a symlink is read: %v", err)
		}
		if err := (&Trail{Zone: origin}).Append(path, entry); err == nil {
			t.Errorf("appended to a trail that is a symlink")
		}
		untouched(t, victim)
	})
	t.Run("a zone name with a slash", func(t *testing.T) {
		// RFC 2317 classless reverse zones have a "/" in a label.
		root := t.TempDir()
		outside := t.TempDir()
		state := filepath.Join(root, "state")
		if err := os.MkdirAll(state, 0o755); err != nil {
			t.Fatal(err)
		}
		symlink(t, outside, filepath.Join(state, "0"))
		cfg, err := config.Parse([]byte("zones:\n  - name: 0/25.2.0.192.in-addr.arpa.\n    file: rev.zone\ncutover:\n  state_dir: state\n"), filepath.Join(root, "dnsparity.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		z := "0/25.2.0.192.in-addr.arpa."
		p := TrailPathFor(cfg, z)
		if filepath.Dir(p) != state {
			t.Errorf("the trail of %s is %s, not a file of cutover.state_dir", z, p)
		}
		applied := map[string]map[string][]plan.Change{z: {"old": {{Type: 1, New: &zone.RRSet{TTL: 300}}}}}
		if err := RecordPushes(cfg, applied, "push", "tester", time.Now()); err != nil {
			t.Fatal(err)
		}
		if ents, _ := os.ReadDir(outside); len(ents) > 0 {
			t.Errorf("the trail went through the symlinked folder: %v", ents)
		}
		tr, err := ReadTrail(p, zone.CanonicalName(z))
		if err != nil || len(tr.Entries) != 1 {
			t.Errorf("the trail of %s: %+v %v", z, tr, err)
		}
	})
}
