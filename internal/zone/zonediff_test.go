package zone

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// zonediffCases are zone files on which check's verdict differed from
// named-checkzone's (differential testing on files written to stress the
// reader). text follows rdataApex (lines 1-4) unless full; errLines are
// the lines of the errors BIND names (none: the zone loads). inc is the
// text of inc.db beside the file, for $INCLUDE.
var zonediffCases = []struct {
	name, text string
	full       bool
	inc        string
	errLines   []int
}{
	// $GENERATE's rhs is one token (BIND: "extra input text").
	{name: "$GENERATE rhs of two tokens", text: "$GENERATE 1-2 h$ MX 10 m$\nm1 A 192.0.2.1\nm2 A 192.0.2.2\n", errLines: []int{5}},
	{name: "$GENERATE rhs in parentheses", text: "$GENERATE 1-2 h$ MX ( 10 m$ )\nm1 A 192.0.2.1\nm2 A 192.0.2.2\n", errLines: []int{5}},
	{name: "$GENERATE TXT of two strings", text: "$GENERATE 1-2 h$ TXT \"a\" \"b\"\n", errLines: []int{5}},
	// A quoted rhs is the RDATA's text, quotes removed.
	{name: "$GENERATE quoted MX rhs", text: "$GENERATE 1-2 h$ MX \"10 m$\"\nm1 A 192.0.2.1\nm2 A 192.0.2.2\n"},
	{name: "$GENERATE quoted HINFO rhs", text: "$GENERATE 1-2 h$ HINFO \"cpu$ os\"\n"},
	{name: "$GENERATE TTL, class, type and rhs", text: "$GENERATE 1-2 h$ 60 IN A 192.0.2.$ ; comment\n"},
	// Directives take a fixed number of arguments.
	{name: "$TTL with two values", text: "$TTL 300 600\na A 192.0.2.1\n", errLines: []int{5}},
	{name: "$TTL with a comment", text: "$TTL 300 ; five minutes\na A 192.0.2.1\n"},
	{name: "$ORIGIN with two names", text: "$ORIGIN sub.example. other.\na A 192.0.2.1\n", errLines: []int{5}},
	{name: "$INCLUDE with origin and more", text: "$INCLUDE inc.db sub.example. extra\n", inc: "x A 192.0.2.9\n", errLines: []int{5}},
	{name: "$INCLUDE with origin", text: "$INCLUDE inc.db sub.example. ; comment\n", inc: "x A 192.0.2.9\n"},
}

// loadZonediff writes case i into dir and loads it as check does.
func writeZonediff(t *testing.T, dir string, text, inc string, full bool) string {
	t.Helper()
	if !full {
		text = rdataApex + text
	}
	f := filepath.Join(dir, "c.zone")
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "inc.db"), []byte(inc), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestZonediffVerdicts: check refuses what named-checkzone refuses, at the
// lines it names, and loads what it loads.
func TestZonediffVerdicts(t *testing.T) {
	for _, c := range zonediffCases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			f := writeZonediff(t, dir, c.text, c.inc, c.full)
			z, err := Load(f, Options{Origin: "example.", Root: dir})
			if err != nil {
				t.Fatal(err)
			}
			ps := Check(z)
			var lines []int
			for _, p := range ps {
				if p.Severity == Error && !slices.Contains(lines, p.Pos.Line) {
					lines = append(lines, p.Pos.Line)
				}
			}
			if !slices.Equal(lines, c.errLines) {
				t.Errorf("error lines %v, want %v: %v", lines, c.errLines, ps)
			}
		})
	}
}

// TestZonediffAgainstNamedCheckzone proves the table's verdicts with
// named-checkzone itself (run in the file's folder, from where it opens
// $INCLUDE files).
func TestZonediffAgainstNamedCheckzone(t *testing.T) {
	bin := lab.Binary(t, "named-checkzone")
	for _, c := range zonediffCases {
		dir := t.TempDir()
		writeZonediff(t, dir, c.text, c.inc, c.full)
		cmd := exec.Command(bin, "-i", "local", "example", "c.zone")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		var lines []int
		for _, m := range checkzoneLineRE.FindAllStringSubmatch(string(out), -1) {
			n, _ := strconv.Atoi(m[1])
			if !slices.Contains(lines, n) {
				lines = append(lines, n)
			}
		}
		if rejects := err != nil; rejects != (len(c.errLines) > 0) || (rejects && !slices.Equal(lines, c.errLines)) {
			t.Errorf("%s: named-checkzone rejects=%v at lines %v, table says %v:\n%s", c.name, rejects, lines, c.errLines, out)
		}
	}
}
