package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingPathSaysMeant: a PATH given to check (and ttl) that does not
// exist names the one likely meant (zone.Near): a typo beside it, a folder
// mistyped, the path from the repository root given in a subfolder. On
// the code before, each was "no such file or directory" alone.
func TestMissingPathSaysMeant(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{".git", "zones", "docs"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "zones", "example.com.zone"), []byte("$TTL 300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ cwd, arg, want string }{
		{".", "zones/exmaple.com.zone", "zones/exmaple.com.zone: no such file or directory (did you mean zones/example.com.zone?)"},
		{".", "zone", "zone: no such file or directory (did you mean zones?)"},
		{"docs", "zones/example.com.zone", "zones/example.com.zone: no such file or directory (did you mean ../zones/example.com.zone? a path is read from the current folder"},
		{"docs", "zones/", "zones/: no such file or directory (did you mean ../zones? "},
	} {
		t.Chdir(filepath.Join(root, tc.cwd))
		_, _, err := Targets([]string{tc.arg}, "", Scope{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("in %s, check %s: %v, want %q", tc.cwd, tc.arg, err, tc.want)
		}
	}
}

// TestOriginWithConfigZones: --origin with no PATH, where the config's
// zones are checked, is refused: each zone's origin is its zones: name.
// On the code before, every zone of the config was checked at the one
// origin given (two zones both as other.test., their origin mismatch
// not looked for: exit 0); with a PATH, or without a config, --origin
// still names the files' origin.
func TestOriginWithConfigZones(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.zone"), []byte("$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfg, []byte("zones:\n  - {name: a.test., file: a.zone}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := Targets(nil, "other.test.", Scope{Config: cfg})
	if err == nil || !strings.Contains(err.Error(), "--origin other.test.: the config's zones are named by their zones: entries") {
		t.Errorf("--origin with the config's zones: %v, want it refused", err)
	}
	ts, _, err := Targets([]string{filepath.Join(dir, "a.zone")}, "other.test.", Scope{Config: cfg})
	if err != nil || len(ts) != 1 || ts[0].Origin != "other.test." {
		t.Errorf("--origin with a PATH: %v, %v", ts, err)
	}
}
