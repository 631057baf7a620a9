package action

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cutover"
)

// TestCheckTrailAgreesWithUnmergedSteps: check-trail.sh runs on the
// runner, before the Action's container (where the binary lives), so its
// rule is written in jq; cutover.UnmergedSteps is the same rule in Go.
// Both judge every row of the table, a trail a side branch holds against
// the checkout's, and must agree: a step refused or let through, and for a
// refusal over entries, how many and the last one's command. A row where
// they differ fails here, whichever copy changed (before, only a comment
// tied them: the jq passed a side branch's trail file that was empty, two
// JSON values, or for another zone but not a trail, and one whose push
// entry had no valid time, all of which Go refuses, and refused one whose
// entries were null, which Go reads as none).
func TestCheckTrailAgreesWithUnmergedSteps(t *testing.T) {
	const (
		status = `{"time":"2026-11-01T10:00:00Z","command":"status"}`
		flip   = `{"time":"2026-11-01T10:00:01Z","command":"flip"}`
		sync   = `{"time":"2026-11-01T10:00:02Z","command":"sync"}`
		push   = `{"time":"2026-11-01T10:00:03Z","command":"push"}`
		back   = `{"time":"2026-11-01T10:00:04Z","command":"rollback"}`
	)
	trail := func(zone string, entries ...string) string {
		return `{"zone":"` + zone + `","entries":[` + strings.Join(entries, ",") + "]}\n"
	}
	const absent = "\x00absent"
	for _, tc := range []struct {
		name, theirs, ours string
	}{
		{"the same trail", trail("example.test.", status), trail("example.test.", status)},
		{"a flip the checkout lacks", trail("example.test.", status, flip), trail("example.test.", status)},
		{"a flip and a rollback", trail("example.test.", status, flip, back), trail("example.test.", status)},
		{"a flip, then a sync", trail("example.test.", status, flip, sync), trail("example.test.", status)},
		{"sync and push only", trail("example.test.", status, sync, push), trail("example.test.", status)},
		{"merged, the checkout ahead", trail("example.test.", status, flip), trail("example.test.", status, flip, back)},
		{"no trail in the checkout", trail("example.test.", status), absent},
		{"another zone's trail", trail("other.test.", status, flip), trail("example.test.", status)},
		{"no zone named", `{"entries":[` + flip + "]}\n", trail("example.test.", status)},
		{"the same entry, keys in another order", trail("example.test.", status, `{"command":"flip","time":"2026-11-01T10:00:01Z"}`), trail("example.test.", status, flip)},
		{"the same entry, a number written otherwise", trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"flip","ns_ttl":3600}`), trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"flip","ns_ttl":3600.0}`)},
		{"an entry changed", trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"flip","ns_ttl":300}`), trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"flip","ns_ttl":3600}`)},
		{"a dry-run flip", trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"flip","dry_run":true}`), trail("example.test.", status)},
		{"a command in capitals", trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"Push"}`), trail("example.test.", status)},
		{"an entry with no command", trail("example.test.", `{"time":"2026-11-01T10:00:01Z"}`), trail("example.test.", status)},
		{"a null entry", trail("example.test.", "null"), trail("example.test.", status)},
		{"entries null", `{"zone":"example.test.","entries":null}` + "\n", trail("example.test.", status)},
		{"an empty file", "", trail("example.test.", status)},
		{"two JSON values", trail("example.test.", status) + trail("example.test.", status, flip), trail("example.test.", status)},
		{"a list, not an object", "[]\n", trail("example.test.", status)},
		{"no entries, another zone", `{"zone":"other.test."}` + "\n", trail("example.test.", status)},
		{"a zone that is a number", `{"zone":5,"entries":[]}` + "\n", trail("example.test.", status)},
		{"an entry that is a string", trail("example.test.", `"flip"`), trail("example.test.", status)},
		{"a push with no valid time", trail("example.test.", status, `{"time":"yesterday","command":"push"}`), trail("example.test.", status)},
		{"a key in capitals", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","Command":"push"}`), trail("example.test.", status)},
		{"a time with an offset", trail("example.test.", `{"time":"2026-11-01T12:00:01+02:00","command":"flip"}`), trail("example.test.", status)},
		{"a command that is a number", trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":5}`), trail("example.test.", status)},
		{"the checkout's trail not JSON", trail("example.test.", status), "{\n"},
		{"the checkout's trail with no entries", trail("example.test.", status), `{"zone":"example.test."}` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ours []byte
			if tc.ours != absent {
				ours = []byte(tc.ours)
			}
			steps, err := cutover.UnmergedSteps("example.test.", []byte(tc.theirs), ours)
			g := newGitLab(t)
			g.git(g.writer, "checkout", "-q", "-B", "side", "origin/main")
			writeFile(t, filepath.Join(g.writer, ".dnsparity", "cutover", "example.test.json"), tc.theirs)
			g.git(g.writer, "add", ".")
			g.git(g.writer, "commit", "-q", "--allow-empty", "-m", "cutover: a run's trail")
			g.git(g.writer, "push", "-q", "-f", "origin", "HEAD:refs/heads/dnsparity-trail/main-7")
			mine := filepath.Join(g.job, ".dnsparity", "cutover", "example.test.json")
			if ours == nil {
				if err := os.Remove(mine); err != nil {
					t.Fatal(err)
				}
			} else {
				writeFile(t, mine, tc.ours)
			}
			out, serr := g.checkTrail("example.test.")
			refused := serr != nil
			switch {
			case err != nil:
				if !refused || !strings.Contains(out, "::error::") {
					t.Errorf("Go refuses (%v); check-trail.sh: %v\n%s", err, serr, out)
				}
			case len(steps) == 0:
				if refused || strings.Contains(out, "::") {
					t.Errorf("Go finds no unmerged step; check-trail.sh: %v\n%s", serr, out)
				}
			default:
				n, last := scriptSteps(out)
				if !refused || n != len(steps) || last != stepHead(steps[len(steps)-1]) {
					t.Errorf("Go finds %d unmerged steps, the last %q; check-trail.sh: %v, %d, the last %q\n%s", len(steps), steps[len(steps)-1], serr, n, last, out)
				}
			}
		})
	}
}

// scriptSteps reads check-trail.sh's count of unmerged step entries and
// the last one's description, without its time, from its error (0, ""
// when it names none).
func scriptSteps(out string) (int, string) {
	m := regexp.MustCompile(`holds (\d+) entr(?:y|ies), the last (.*?)(?: at \S+| with no time), which`).FindStringSubmatch(out)
	if m == nil {
		return 0, ""
	}
	n, _ := strconv.Atoi(m[1])
	return n, m[2]
}

// stepHead is an entry's description (entryHead.describe) without its
// time: "dry-run flip", "entry".
func stepHead(d string) string {
	if i := strings.Index(d, " at "); i >= 0 {
		return d[:i]
	}
	return strings.TrimSuffix(d, " with no time")
}
