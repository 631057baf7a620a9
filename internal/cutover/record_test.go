package cutover

import (
	"slices"
	"testing"
	"time"
)

// TestStepAgainAt: a flip or finish names itself as next only at a time
// still to come: "finish not before" the end of an overlap already over
// (finish refused by another gate) is not what holds it back, and the
// text, Markdown and JSON all show what the report holds. No time (zero)
// names nothing.
func TestStepAgainAt(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	rep := &Report{}
	for _, tc := range []struct {
		step string
		at   time.Time
	}{{"over", now.Add(-time.Hour)}, {"now", now}, {"none", time.Time{}}, {"later", now.Add(time.Hour)}} {
		rep.stepAgainAt(tc.step, tc.at, now, "")
	}
	var got []string
	for _, n := range rep.Next {
		got = append(got, n.Step)
	}
	if !slices.Equal(got, []string{"later"}) {
		t.Errorf("next %q, want only the time to come", got)
	}
}
