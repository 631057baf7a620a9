package cutover

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestSummarizeRelative: the parity gates' examples name the zone file
// relative to the repository (the config's folder), as `dnsparity parity`
// and old-unreferenced do; the detail counts in words. On the code before,
// a config found from the working directory (an absolute path) put
// "old deviates from git (/tmp/rehearsal/zones/example.test.zone:20)" in
// the gate's detail, and "0 error, 0 warning".
func TestSummarizeRelative(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "zones", "example.test.zone")
	rep := &parity.Report{Queries: 1, Findings: []parity.Finding{{Name: "example.test.", Type: "MX", Kind: "rdata", Severity: parity.SevError,
		Detail: "example.test. MX differs; old deviates from git (" + file + ":20)", File: file, Line: 20}}}
	sum := summarize(rep, root, parity.SevError)
	if len(sum.Examples) != 1 || !strings.HasSuffix(sum.Examples[0], "old deviates from git (zones/example.test.zone:20)") {
		t.Errorf("examples %q: want the zone file relative to %s", sum.Examples, root)
	}
	if got, want := paritySummary(sum), "1 error, 0 warnings, 0 info findings in 1 query"; got != want {
		t.Errorf("detail %q, want %q", got, want)
	}
	if sum := summarize(rep, "", parity.SevError); !strings.Contains(sum.Examples[0], file+":20") {
		t.Errorf("no root: %q", sum.Examples)
	}
}
