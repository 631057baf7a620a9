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
