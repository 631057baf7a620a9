package cutover

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrailErrorNamesTheLine: an audit trail that does not decode (cut
// short, a value of the wrong type, a stray character) stops every step
// with FILE:LINE: of the fault, not "unexpected end of JSON input" alone;
// the file is left as it is.
func TestTrailErrorNamesTheLine(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       string
	}{
		{"cut short", "{\"zone\": \"a.test.\",\n \"entries\": [\n  {\"command\": \"status\"\n", ":3: "},
		{"a value of the wrong type", "{\n \"zone\": \"a.test.\",\n \"entries\": 5\n}\n", ":3: "},
		{"a stray character", "{\n \"zone\": \"a.test.\",\n \"entries\": []\n}\nx\n", ":5: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "a.test.json")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadTrail(p, "a.test.")
			if err == nil || !strings.HasPrefix(err.Error(), p+tc.line+"audit trail: ") {
				t.Fatalf("ReadTrail = %v, want it to start %s%saudit trail: ", err, p, tc.line)
			}
			if b, _ := os.ReadFile(p); string(b) != tc.text {
				t.Errorf("the trail was changed: %q", b)
			}
		})
	}
}
