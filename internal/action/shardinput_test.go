package action

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
)

// callsRunner records the commands the Action runs.
type callsRunner struct {
	mu   sync.Mutex
	ran  []string
	code int
}

func (f *callsRunner) Has(string) bool { return true }
func (f *callsRunner) Run(_ context.Context, args []string, _ cli.IO) int {
	f.mu.Lock()
	f.ran = append(f.ran, strings.Join(args, " "))
	f.mu.Unlock()
	return f.code
}

// TestShardOnlyForComposed: a shard (the shard input, or --shard in args)
// is the matrix's shard run of pr, sync or drift, whose merge job reads
// its report and posts the one comment, check run and issue. Given to
// another command it was passed over: check, plan, push and parity ran
// over every zone in each of the matrix's jobs (push: every zone pushed
// by N jobs at once), or with args' --shard posted their own comment and
// check run per job, each overwriting the last, in a report the merge
// refuses; a cutover step, matrix or merge ran as if it were not given.
// Each is refused before anything runs (exit 2), naming the input and
// the commands that take it.
func TestShardOnlyForComposed(t *testing.T) {
	type row struct{ command, shard, args string }
	var rows []row
	for _, c := range []string{"check", "plan", "push", "parity", "status", "flip", "rollback", "finish", "matrix", "merge"} {
		rows = append(rows, row{c, "2/16", ""}, row{c, "", "--shard=2/16"})
	}
	rows = append(rows, row{"push", "", "--dry-run --shard 2/16"}, row{"matrix", "2/16", "--shards 16"})
	for _, tc := range rows {
		t.Run(tc.command+" "+tc.shard+tc.args, func(t *testing.T) {
			e := newMergeEnv(t)
			e.env["INPUT_COMMAND"], e.env["INPUT_SHARD"], e.env["INPUT_ARGS"], e.env["INPUT_ZONE"] = tc.command, tc.shard, tc.args, "a.example."
			f := &callsRunner{}
			var out strings.Builder
			code := Run(context.Background(), Env{Commands: f, Stdout: &out, Stderr: &out, Getenv: func(k string) string { return e.env[k] }})
			given := "input shard"
			if tc.shard == "" {
				given = "--shard in args"
			}
			want := given + " applies to pr, sync and drift"
			if code != cli.ExitError || !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "command "+tc.command) {
				t.Errorf("exit %d, want %d saying %q and naming command %s:\n%s", code, cli.ExitError, want, tc.command, out.String())
			}
			if len(f.ran) > 0 {
				t.Errorf("ran %q, want nothing run", f.ran)
			}
		})
	}
}
