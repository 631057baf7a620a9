package action

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
)

// fakeRunner is a build of dnsparity whose every command prints out and
// exits with code.
type fakeRunner struct {
	out  string
	code int
}

func (f fakeRunner) Has(string) bool { return true }
func (f fakeRunner) Run(_ context.Context, _ []string, io cli.IO) int {
	fmt.Fprint(io.Stdout, f.out)
	return f.code
}

// TestCutoverUnreadableReport: when a cutover command's report cannot be
// read, the step says it could not run and fails, whatever the command's
// exit code: a flip that exited 0 may have changed the registrar, and a
// green step with "could not run" would hide it. A refusal (exit 1) stays 1.
func TestCutoverUnreadableReport(t *testing.T) {
	for _, tc := range []struct{ code, want int }{{cli.ExitOK, cli.ExitError}, {cli.ExitProblem, cli.ExitProblem}, {cli.ExitError, cli.ExitError}} {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			ws := t.TempDir()
			outputs := filepath.Join(ws, "outputs")
			env := map[string]string{
				"INPUT_COMMAND": "flip", "INPUT_ZONE": "example.test.", "INPUT_COMMENT": "false",
				"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": outputs, "GITHUB_EVENT_NAME": "workflow_dispatch",
			}
			var stdout, stderr bytes.Buffer
			got := Run(context.Background(), Env{Commands: fakeRunner{"not a report", tc.code}, Stdout: &stdout, Stderr: &stderr,
				Getenv: func(k string) string { return env[k] }})
			if got != tc.want {
				t.Errorf("flip exited %d with no readable report: the Action exits %d, want %d\n%s%s", tc.code, got, tc.want, stdout.String(), stderr.String())
			}
			b, _ := os.ReadFile(outputs)
			if !strings.Contains(string(b), fmt.Sprintf("exit-code=%d", tc.want)) || strings.Contains(string(b), "result=ok") {
				t.Errorf("outputs:\n%s", b)
			}
		})
	}
}
