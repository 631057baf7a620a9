package cutover

import (
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// prestagedTrail is the audit trail of example.test. in a fresh folder
// whose status entries saw both sides at TTL 3600 two hours ago and at
// capped (seconds) an hour ago: the TTL gates pass for a cap at or above
// capped. It returns the trail's path.
func prestagedTrail(t *testing.T, capped uint32) string {
	t.Helper()
	path := TrailPath(t.TempDir(), "example.test.")
	now := time.Now().UTC()
	appendTrail(t, path,
		Entry{Time: now.Add(-2 * time.Hour), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 3600, NewMax: 3600}},
		Entry{Time: now.Add(-time.Hour), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: capped, NewMax: capped}})
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

// flipEntry is the trail entry of a flip done at flipped that moved the
// delegation from before to after and saw it confirmed: the parent
// delegates to the new side since.
func flipEntry(flipped time.Time, before, after registrar.Delegation) Entry {
	return Entry{Time: flipped, Command: "flip", Result: ResultDone, Before: &before, After: &after, ChangedAt: &flipped, DelegatedTo: []string{"new"}}
}

// signedFlipEntry is the flip entry of the multi-signer lab tests: an
// hour ago, from ns1.old (glued to oldIP) to ns1.new, the DS set ds
// (TTL 5) kept at the parent and seen there.
func signedFlipEntry(oldIP string, ds []string) Entry {
	flipped := time.Now().UTC().Add(-time.Hour)
	before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 5, DS: ds, DSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {oldIP}}}
	before.Normalize()
	after := registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5, DS: ds, DSTTL: 5}
	e := flipEntry(flipped, before, after)
	e.ParentDS = &DSSeen{DS: ds, TTL: 5}
	return e
}

// appendTrail appends es, in order, to the audit trail of example.test.
// at path.
func appendTrail(t *testing.T, path string, es ...Entry) {
	t.Helper()
	tr := readTrail(t, path)
	for _, e := range es {
		if err := tr.Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
}
