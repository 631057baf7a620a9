package cutover

import (
	"strings"
	"testing"
	"time"
)

// TestStageCheckExplainsOnlyItsOwnMove: the parent already on the side a
// step moves to is a warning only from a stage the step moves from (a
// run of it that died after its registrar change); after finish, or a
// rollback the trail never flipped for, someone else moved the
// delegation: an error.
func TestStageCheckExplainsOnlyItsOwnMove(t *testing.T) {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	done := func(cmd string) Entry { return Entry{Time: at, Command: cmd, Result: ResultDone} }
	for _, tc := range []struct {
		name    string
		entries []Entry
		step    string
		live    string
		warning bool // else an error
	}{
		{"flip, not started, parent at new", nil, "flip", "new", true},
		{"flip, rolled back, parent at new", []Entry{done("flip"), done("rollback")}, "flip", "new", true},
		{"rollback, flipped, parent at old", []Entry{done("flip")}, "rollback", "old", true},
		{"rollback, finished, parent back at old", []Entry{done("flip"), done("finish")}, "rollback", "old", false},
		{"flip, finished, parent back at old", []Entry{done("flip"), done("finish")}, "flip", "old", false},
		{"rollback, not started, parent at new", nil, "rollback", "new", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := &Report{}
			rep.Delegation.PointsTo = tc.live
			rep.Delegation.NS = []string{"ns1.example.net."}
			stageCheck(&Trail{Zone: "example.test.", Entries: tc.entries}, rep, observedView, tc.step, false, nil)
			if tc.warning && (len(rep.Errors) > 0 || len(rep.Warnings) != 1) || !tc.warning && len(rep.Errors) != 1 {
				t.Errorf("stage %s, %s with the parent at %s: errors %q, warnings %q; want %s", rep.Stage, tc.step, tc.live, rep.Errors, rep.Warnings, map[bool]string{true: "one warning", false: "one error"}[tc.warning])
			}
			if said := strings.Join(append(rep.Errors, rep.Warnings...), "; "); !strings.Contains(said, "ns1.example.net.") {
				t.Errorf("%q does not name the NS set the parent serves", said)
			}
		})
	}
}
