package report

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cutover"
)

// TestCutoverHintsPasteAsPrinted: every command a cutover report's text
// tells the user to run gives the zone back as one word when pasted into
// a POSIX shell, whatever the zone's name holds (a presentation-form
// escape, a quote, a $): the hints printed the name unquoted.
func TestCutoverHintsPasteAsPrinted(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("no sh to run the hints: %v", err)
	}
	const zone = `it's\$a b.test.`
	reports := map[string]*cutover.Report{
		"status, old side": {Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageNotStarted,
			Delegation: cutover.DelegationView{PointsTo: "old"}},
		"status, in the overlap": {Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageFlipped,
			Delegation: cutover.DelegationView{PointsTo: "new"}},
		"status, emergency rollback": {Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageRolledBack, LeftDown: "new",
			Delegation: cutover.DelegationView{PointsTo: "old"}},
		"flip refused, side down": {Command: "flip", Result: cutover.ResultRefused, Stage: cutover.StageNotStarted,
			Delegation: cutover.DelegationView{PointsTo: "old"},
			Gates:      []cutover.Gate{{Name: "new-matches-git", Offer: &cutover.Offer{Down: "new", Up: "old", Step: "rollback"}}}},
	}
	command := regexp.MustCompile("`(dnsparity [^`]*--zone[^`]*)`")
	for name, r := range reports {
		t.Run(name, func(t *testing.T) {
			r.Zone = zone
			var b bytes.Buffer
			WriteCutoverText(&b, r)
			cmds := command.FindAllStringSubmatch(b.String(), -1)
			if len(cmds) == 0 {
				t.Fatalf("no command with --zone in:\n%s", b.String())
			}
			for _, c := range cmds {
				// The words the shell reads, each on a line of its own.
				out, err := exec.Command(sh, "-c", `set -- `+strings.TrimPrefix(c[1], "dnsparity ")+`; for w; do printf '%s\n' "$w"; done`).Output()
				if err != nil {
					t.Errorf("sh -c %s: %v", c[1], err)
					continue
				}
				if !strings.Contains(string(out), "--zone\n"+zone+"\n") {
					t.Errorf("%s: the shell reads the words %q, not --zone %q", c[1], strings.Split(string(out), "\n"), zone)
				}
			}
		})
	}
}
