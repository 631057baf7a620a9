package zone

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingZoneFileNamesTheNearOne: a zone file that does not exist,
// beside one whose name is what was likely meant (the other extension,
// other capitals, one typo), names that one: the user wrote
// zones/example.com.zone in the config and has zones/example.com.db. No
// hint when nothing there is close.
func TestMissingZoneFileNamesTheNearOne(t *testing.T) {
	for _, tc := range []struct {
		name, have, want string // want "": no hint
	}{
		{"other extension", "example.com.db", "example.com.db"},
		{"other capitals", "Example.com.zone", "Example.com.zone"},
		{"a typo", "exmaple.com.zone", "exmaple.com.zone"},
		{"no extension", "example.com", "example.com"},
		{"nothing close", "other.test.zone", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(root, "zones", tc.have), "$TTL 300\n")
			_, err := Load(filepath.Join(root, "zones", "example.com.zone"), Options{Origin: "example.com."})
			if err == nil {
				t.Fatal("loaded")
			}
			hint := "did you mean " + filepath.Join(root, "zones", tc.want) + "?"
			switch has := strings.Contains(err.Error(), "did you mean"); {
			case tc.want == "" && has:
				t.Errorf("a hint: %v", err)
			case tc.want != "" && !strings.Contains(err.Error(), hint):
				t.Errorf("error %v, want %q", err, hint)
			}
		})
	}
}

// TestNear: the path a missing one was likely meant as, given to check,
// ttl or parity --file: one typo from a file (or, with dirs, a folder)
// beside it, else the same path from the repository root, written from
// the current folder (a path copied from a report, which names paths
// from the root, and given in a subfolder). On the code before, check and
// ttl said "no such file or directory" alone, and a --file only the typo.
func TestNear(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{".git", "zones", "docs/sub"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(root, "zones", "example.com.zone"), "$TTL 300\n")
	for _, tc := range []struct {
		name, cwd, path string
		dirs            bool
		want            string // the path meant; "": no hint
	}{
		{"a typo", ".", "zones/exmaple.com.zone", false, "zones/example.com.zone"},
		{"a folder's typo", ".", "zone/", true, "zones"},
		{"a typo in the folder of a file", ".", "zone/example.com.zone", false, "zones/example.com.zone"},
		{"the folder in other capitals", ".", "Zones/example.com.zone", false, "zones/example.com.zone"},
		{"a typo in the folder and the file", ".", "zone/exmaple.com.zone", false, "zones/example.com.zone"},
		{"a typo in the folder, no file near", ".", "zone/other.test.zone", false, ""},
		{"a folder, files only", ".", "zone/", false, ""},
		{"from a subfolder", "docs", "zones/example.com.zone", false, "../zones/example.com.zone"},
		{"from two folders down", "docs/sub", "zones/example.com.zone", false, "../../zones/example.com.zone"},
		{"a folder from a subfolder", "docs", "zones", true, "../zones"},
		{"a folder from a subfolder, files only", "docs", "zones", false, ""},
		{"at the root, nothing near", ".", "zones/other.test.zone", false, ""},
		{"from a subfolder, nothing there", "docs", "zones/other.test.zone", false, ""},
		{"absolute", "docs", filepath.Join(root, "docs", "zones", "example.com.zone"), false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(filepath.Join(root, tc.cwd))
			got := Near(tc.path, tc.dirs)
			switch {
			case tc.want == "" && got != "":
				t.Errorf("Near(%q) = %q, want none", tc.path, got)
			case tc.want != "" && !strings.HasPrefix(got, " (did you mean "+tc.want+"?"):
				t.Errorf("Near(%q) = %q, want %q meant", tc.path, got, tc.want)
			}
			if tc.want == "" {
				return
			}
			// The path said is there from the current folder.
			if _, err := os.Stat(tc.want); err != nil {
				t.Errorf("the path meant, %s: %v", tc.want, err)
			}
		})
	}
}
