package main

import (
	"context"

	"github.com/dnsparity/dnsparity/internal/action"
)

const actionHelp = `
The GitHub Action's entry point (the container runs it). It reads the inputs
the runner sets as INPUT_* variables and the GITHUB_* context, runs one
command, and reports it:

  pr        check the zone files, plan both providers (never push; skipped
            on fork pull requests), parity of what both providers serve now
            against the pull request's zone files: one sticky comment
  sync      push to both providers, one at a time (a failing provider stops
            the sync before the next is touched), then parity must hold
  drift     plan --detect-drift per provider; one labelled tracking issue is
            opened, updated while drift lasts, closed when it is gone
  status, flip, rollback, finish
            the cutover commands for the zone input
  check, plan, push, parity
            one command (args input: extra arguments)
  matrix    split the zones into shards for strategy.matrix (args:
            --shards N; output matrix)
  merge     report the shards' runs (reports input: a glob of their JSON
            reports) as one run

Every run writes the report to the step summary, annotates the zone-file
lines (through a check run; as workflow commands when the token may not
create one), keeps one sticky comment per pull request and job, saves the
JSON report in the workspace (.dnsparity/COMMAND.json) and sets the outputs
result (ok, problems, error), exit-code, errors, warnings, changes, report
(and matrix for command matrix; trail-dir, the audit trail's folder, for
sync, push, status, flip, rollback and finish, unset when the config cannot
be read or its state_dir leaves the workspace).

Inputs: command (default check), zone, config (default dnsparity.yaml),
args, shard (I/N: pr, sync or drift on one shard of a matrix), reports
(merge), shards-result (merge: the shard jobs' needs.JOB.result; anything
but success fails the merge), github-token (default GITHUB_TOKEN), github-login (the login of
an app token, e.g. my-app[bot]; GET /user tells it for personal tokens),
comment (true/false), fail-on (error or warning; warning makes warnings
fail the step).

Exit: 0 ok, 1 problems found (or warnings with fail-on: warning), 2 could
not run.`

func runAction(ctx context.Context, a *app, args []string) int {
	fl := a.newFlags("action", "", actionHelp)
	if code, ok := a.parseFlags(fl, args); !ok {
		return code
	}
	return action.Run(ctx, action.Env{Commands: inProcess{}, Stdout: a.stdout, Stderr: a.stderr, Getenv: a.getenv, Environ: a.environ, Types: knownTypes})
}
