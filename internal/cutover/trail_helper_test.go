package cutover

import (
	"testing"
	"time"
)

// prestagedTrail is the audit trail of example.test. in a fresh folder
// whose status entries saw both sides at TTL 3600 two hours ago and at
// capped (seconds) an hour ago: the TTL gates pass for a cap at or above
// capped. It returns the trail's path.
func prestagedTrail(t *testing.T, capped uint32) string {
	t.Helper()
	path := TrailPath(t.TempDir(), "example.test.")
	tr := readTrail(t, path)
	now := time.Now().UTC()
	for _, e := range []Entry{
		{Time: now.Add(-2 * time.Hour), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 3600, NewMax: 3600}},
		{Time: now.Add(-time.Hour), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: capped, NewMax: capped}},
	} {
		if err := tr.Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// readTrail is the audit trail of example.test. at path; a trail that
// cannot be read ends the test.
func readTrail(t *testing.T, path string) *Trail {
	t.Helper()
	tr, err := ReadTrail(path, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
