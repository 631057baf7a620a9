package cutover

import (
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestAttemptedBeforeNamesNoNewSide: the delegation a flip found already
// made records, as what a rollback restores, the one an earlier run of
// it recorded before its registrar call. A run over a flip made half-way
// recorded the mixed set as it stood (a refused gate, a dry run, a
// registrar error): that set names the new side, and restored it would
// keep sending resolvers there. It is passed over for an older run's.
func TestAttemptedBeforeNamesNoNewSide(t *testing.T) {
	c := &Config{Old: Side{Name: "old", Delegation: []string{"ns1.old.example.test."}}, New: Side{Name: "new", Delegation: []string{"ns1.new.example.test."}}}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	entry := func(min int, result string, ns ...string) Entry {
		return Entry{Command: "flip", Result: result, Time: at.Add(time.Duration(min) * time.Minute), Before: &registrar.Delegation{NS: ns}}
	}
	for _, tc := range []struct {
		name    string
		entries []Entry
		want    string // "" for none
		restore []string
	}{
		{"the old set", []Entry{entry(0, ResultRefused, "ns1.old.example.test.")}, "ns1.old.example.test.", nil},
		{"a mixed set only", []Entry{entry(0, ResultRefused, "ns1.new.example.test.", "ns1.old.example.test.")}, "", nil},
		{"a mixed set after the old one", []Entry{entry(0, ResultError, "ns1.old.example.test."), entry(5, ResultDryRun, "ns1.new.example.test.", "ns1.old.example.test.")}, "ns1.old.example.test.", nil},
		// A trail an earlier release wrote over a half-made flip
		// recorded the mixed set as the one to restore: the new side's
		// name in it is still the new side's.
		{"a mixed set recorded to restore", []Entry{entry(0, ResultRefused, "ns1.new.example.test.", "ns1.old.example.test.")}, "", []string{"ns1.new.example.test.", "ns1.old.example.test."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.restore = nil
			if tc.restore != nil {
				c.restore = &registrar.Delegation{NS: tc.restore}
			}
			got := c.attemptedBefore(&Trail{Zone: "example.test.", Entries: tc.entries})
			if (got == nil) != (tc.want == "") || got != nil && strings.Join(got.NS, " ") != tc.want {
				t.Errorf("attemptedBefore = %+v, want %q", got, tc.want)
			}
		})
	}
}
