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
