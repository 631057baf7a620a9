package parityrun

import (
	"errors"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestOutcome: a run over zones stops at a zone that could not be
// compared, and goes on past one whose own transfer every server of a
// side refused; its exit code is 2 when a zone could not be compared or
// the run was interrupted, 1 when a zone fails check or parity does not
// hold, whatever comes after.
func TestOutcome(t *testing.T) {
	holds := &parity.Report{}
	differs := &parity.Report{Findings: []parity.Finding{{Severity: parity.SevError}}}
	partial := &parity.Report{Partial: true, Error: "interrupted"}
	refused := &parity.AXFRError{Side: "new", Rcodes: []string{"REFUSED"}, Errs: []string{"REFUSED"}}
	type zoneResult struct {
		rep     *parity.Report
		err     error
		checked bool
	}
	for _, tc := range []struct {
		name  string
		zones []zoneResult
		goOn  []bool
		exit  int
	}{
		{"holds", []zoneResult{{rep: holds}, {rep: holds}}, []bool{true, true}, cli.ExitOK},
		{"differs", []zoneResult{{rep: holds}, {rep: differs}}, []bool{true, true}, cli.ExitProblem},
		{"fails check", []zoneResult{{rep: differs, checked: true}, {rep: holds}}, []bool{true, true}, cli.ExitProblem},
		{"interrupted", []zoneResult{{rep: differs}, {rep: partial}}, []bool{true, true}, cli.ExitError},
		{"could not run: stops", []zoneResult{{rep: holds, err: errors.New("no answer")}}, []bool{false}, cli.ExitError},
		{"own transfer refused: goes on", []zoneResult{{rep: holds, err: refused}, {rep: differs}}, []bool{true, true}, cli.ExitError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o Outcome
			for i, z := range tc.zones {
				if got := o.Add(z.rep, z.err, z.checked); got != tc.goOn[i] {
					t.Errorf("zone %d: goes on %v, want %v", i, got, tc.goOn[i])
				}
			}
			if got := o.Exit(); got != tc.exit {
				t.Errorf("exit %d, want %d", got, tc.exit)
			}
		})
	}
}
