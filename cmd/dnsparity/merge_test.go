package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runMergeCmd runs "dnsparity merge ARGS" in-process, in dir.
func runMergeCmd(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := a.main(context.Background(), append([]string{"merge"}, args...))
	return code, stdout.String(), stderr.String()
}

// writeShard writes a check --shard report of shard name at dir/rel.
func writeShard(t *testing.T, dir, rel, name string, zones ...string) string {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"problems": []any{}, "shard": map[string]any{"name": name, "zones": zones}, "exit": 0})
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return rel
}

// TestMergeExpect: --expect takes a number of shards from 1 to 256 (0:
// the N the reports name); anything else cannot run (exit 2), as the
// Action's --expect in args.
func TestMergeExpect(t *testing.T) {
	dir := t.TempDir()
	r1 := writeShard(t, dir, "1.json", "1/2", "a.")
	r2 := writeShard(t, dir, "2.json", "2/2", "b.")
	for _, tt := range []struct {
		expect string
		code   int
		want   string // on stderr
	}{
		{"abc", exitError, `invalid value "abc" for flag --expect`},
		{"3x", exitError, `invalid value "3x" for flag --expect`},
		{"-1", exitError, "--expect -1: want 1 to 256"},
		{"-5", exitError, "--expect -5: want 1 to 256"},
		{"257", exitError, "--expect 257: want 1 to 256"},
		{"2", exitOK, ""},
		{"0", exitOK, ""},
	} {
		code, out, errs := runMergeCmd(t, dir, "--expect", tt.expect, r1, r2)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("merge --expect %s: exit %d (want %d), stderr lacks %q:\n%s%s", tt.expect, code, tt.code, tt.want, out, errs)
		}
	}
}

// TestMergeMisplacedArtifact: reports given as download-artifact laid
// them out (shards/dnsparity-shard-J/…, job J runs shard J+1) count as the
// shard their artifact stands for or as none: swapped uploads are named
// and fail the merge (exit 2) where they passed as a whole run.
func TestMergeMisplacedArtifact(t *testing.T) {
	dir := t.TempDir()
	paths := []string{
		writeShard(t, dir, "shards/dnsparity-shard-0/check.json", "1/3", "a."),
		writeShard(t, dir, "shards/dnsparity-shard-1/check.json", "3/3", "c."),
		writeShard(t, dir, "shards/dnsparity-shard-2/check.json", "2/3", "b."),
	}
	code, out, errs := runMergeCmd(t, dir, append([]string{"--format", "json"}, paths...)...)
	var rep struct {
		Shards struct {
			Reported  int      `json:"reported"`
			Missing   []string `json:"missing"`
			Misplaced []string `json:"misplaced"`
		} `json:"shards"`
		Exit int `json:"exit"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code != exitError || rep.Exit != exitError || rep.Shards.Reported != 1 || strings.Join(rep.Shards.Missing, " ") != "2/3 3/3" || len(rep.Shards.Misplaced) != 2 ||
		!strings.HasPrefix(rep.Shards.Misplaced[0], "artifact dnsparity-shard-1 holds shard 3/3's report") || !strings.Contains(errs, "artifact dnsparity-shard-2 holds shard 2/3's report") {
		t.Errorf("swapped artifacts: exit %d, %+v\n%s", code, rep, errs)
	}
	code, out, _ = runMergeCmd(t, dir, paths...)
	if code != exitError || !strings.Contains(out, "artifact dnsparity-shard-1 holds shard 3/3's report") || !strings.Contains(out, "MISSING 2/3, 3/3") {
		t.Errorf("swapped artifacts, text: exit %d\n%s", code, out)
	}
	// Given by absolute path, in a working directory whose own path names
	// an artifact (a checkout of a repository called dnsparity-shard-5):
	// the reports' directories below it are read, the ones above are not.
	ws := filepath.Join(dir, "dnsparity-shard-5")
	abs := []string{
		filepath.Join(ws, writeShard(t, ws, paths[0], "1/3", "a.")),
		filepath.Join(ws, writeShard(t, ws, paths[1], "3/3", "c.")),
		filepath.Join(ws, writeShard(t, ws, paths[2], "2/3", "b.")),
	}
	code, out, _ = runMergeCmd(t, ws, abs...)
	if code != exitError || !strings.Contains(out, "artifact dnsparity-shard-1 holds shard 3/3's report") || strings.Contains(out, "dnsparity-shard-5 holds") {
		t.Errorf("swapped artifacts by absolute path: exit %d\n%s", code, out)
	}
	// In place: a whole run.
	writeShard(t, dir, "shards/dnsparity-shard-1/check.json", "2/3", "b.")
	writeShard(t, dir, "shards/dnsparity-shard-2/check.json", "3/3", "c.")
	if code, out, errs := runMergeCmd(t, dir, paths...); code != exitOK {
		t.Errorf("in place: exit %d\n%s%s", code, out, errs)
	}
}

// TestMergeConfigUnreadable: the merge checks each report's zones against
// the config's split (a report that leaves zones out fails it). A config
// that is there but cannot be read is said and fails the merge (exit 2):
// before, it was passed over as if there were none, and a report lacking
// one of its shard's zones merged as a pass (exit 0).
func TestMergeConfigUnreadable(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte("zones: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r1 := writeShard(t, dir, "1.json", "1/2", "a.")
	r2 := writeShard(t, dir, "2.json", "2/2") // its zone b. left out
	code, out, errs := runMergeCmd(t, dir, r1, r2)
	if code != exitError || !strings.Contains(errs, "dnsparity.yaml") {
		t.Errorf("merge beside an unreadable dnsparity.yaml: exit %d, want 2 naming the config\n%s%s", code, out, errs)
	}
}

// TestMergeTextNamesProblemShards: merge's text summary of problems
// found (exit 1) names the shards that found them and where they are
// listed: it said "2 of 2 shard reports; exit 1 (problems)", and nothing
// of which shard or what to run to see them.
func TestMergeTextNamesProblemShards(t *testing.T) {
	dir := t.TempDir()
	r1 := writeShard(t, dir, "1.json", "1/2", "a.")
	b, _ := json.Marshal(map[string]any{"problems": []any{map[string]any{"file": "zones/b.zone", "line": 3, "severity": "error", "message": "bad"}},
		"shard": map[string]any{"name": "2/2", "zones": []string{"b."}}, "exit": 1})
	if err := os.WriteFile(filepath.Join(dir, "2.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runMergeCmd(t, dir, r1, "2.json")
	if code != exitProblem || !strings.Contains(out, "problems in shard 2/2") || !strings.Contains(out, "--format json") || strings.Contains(out, "shard 1/2") {
		t.Errorf("exit %d (want 1); want the summary to name shard 2/2's problems and where to read them:\n%s%s", code, out, errs)
	}
}

// TestMergeTextNamesProblemZones: the text summary also names where the
// problems are, the zones (parity reports, plans) or zone files (check
// problems) whose results found them: it named the shard only, so over
// 400 zones in 16 shards the reader had to open the JSON to learn which
// zone differed.
func TestMergeTextNamesProblemZones(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, v map[string]any) string {
		b, _ := json.Marshal(v)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	ok := map[string]any{"zone": "a.", "findings": []any{}, "queries": 3, "seconds": 0}
	bad := map[string]any{"zone": "c.", "findings": []any{map[string]any{"name": "c.", "type": "A", "severity": "error", "kind": "rdata", "detail": "differs"}}, "queries": 3, "seconds": 0}
	r1 := write("1.json", map[string]any{"shard": map[string]any{"name": "1/2", "zones": []string{"a."}}, "reports": []any{ok}, "exit": 0})
	r2 := write("2.json", map[string]any{"shard": map[string]any{"name": "2/2", "zones": []string{"c."}}, "reports": []any{bad}, "exit": 1})
	code, out, errs := runMergeCmd(t, dir, r1, r2)
	if code != exitProblem || !strings.Contains(out, "problems in shard 2/2 (c.)") || strings.Contains(out, "a.)") {
		t.Errorf("exit %d (want 1); want the summary to name zone c. with shard 2/2:\n%s%s", code, out, errs)
	}
	p := write("3.json", map[string]any{"problems": []any{map[string]any{"file": "zones/b.zone", "line": 3, "severity": "error", "message": "bad"}},
		"shard": map[string]any{"name": "2/2", "zones": []string{"b."}}, "exit": 1})
	code, out, errs = runMergeCmd(t, dir, writeShard(t, dir, "4.json", "1/2", "a."), p)
	if code != exitProblem || !strings.Contains(out, "problems in shard 2/2 (zones/b.zone:3)") {
		t.Errorf("exit %d (want 1); want the summary to name zones/b.zone:3 with shard 2/2:\n%s%s", code, out, errs)
	}
}

// TestMergeJSONFailsWhole: a merge whose -o file fails half-way
// (/dev/full: every write refused) writes one JSON object on stdout, its
// failure, not the merged report's first part and then the failure.
func TestMergeJSONFailsWhole(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	dir := t.TempDir()
	r1 := writeShard(t, dir, "1.json", "1/2", "a.")
	r2 := writeShard(t, dir, "2.json", "2/2", "b.")
	code, out, errs := runMergeCmd(t, dir, "--format", "json", "-o", "/dev/full", r1, r2)
	var v map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&v); err != nil || dec.More() || code != exitError || v["error"] == nil {
		t.Errorf("merge -o /dev/full: exit %d, stdout is not one failure object (%v):\n%s%s", code, err, out, errs)
	}
}

// TestMergeFailedLeavesOutput: a merge that fails half-way (shard 2's
// "problems" is no array, found after shard 1's were written) leaves -o
// FILE as it was, absent or holding the report it held, and the error
// says so; the in-process JSON writer (a.jsonOut) gets nothing. FILE was
// truncated, then left half-written.
func TestMergeFailedLeavesOutput(t *testing.T) {
	var problems []any
	for i := range 500 { // more than a buffer's worth written before the failure
		problems = append(problems, map[string]any{"file": "a.zone", "line": i, "severity": "warning", "message": "m"})
	}
	for _, c := range []struct {
		name   string
		before string // FILE's content before, "": absent
		format string
	}{
		{"absent, text", "", "text"},
		{"absent, json", "", "json"},
		{"old report, text", `{"old": true}` + "\n", "text"},
		{"old report, json", `{"old": true}` + "\n", "json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, v := range map[string]any{
				"1.json": map[string]any{"problems": problems, "shard": map[string]any{"name": "1/2", "zones": []string{"a."}}, "exit": 0},
				"2.json": map[string]any{"problems": map[string]any{}, "shard": map[string]any{"name": "2/2", "zones": []string{"b."}}, "exit": 0},
			} {
				b, _ := json.Marshal(v)
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(dir, "merged.json")
			if c.before != "" {
				if err := os.WriteFile(out, []byte(c.before), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			var stdout, stderr, jsonOut bytes.Buffer
			a := &app{stdout: &stdout, stderr: &stderr, jsonOut: &jsonOut, getenv: func(string) string { return "" }}
			code := a.main(context.Background(), []string{"merge", "--format", c.format, "-o", out, "1.json", "2.json"})
			if code != exitError {
				t.Errorf("exit %d, want %d", code, exitError)
			}
			b, err := os.ReadFile(out)
			switch {
			case c.before == "" && !os.IsNotExist(err):
				t.Errorf("%s is there after the failed merge (%d bytes), want it absent", out, len(b))
			case c.before != "" && string(b) != c.before:
				t.Errorf("%s holds %d bytes after the failed merge, want what it held: %q", out, len(b), c.before)
			}
			if want := "not an array"; !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), "-o "+out+" not written: left as it was") {
				t.Errorf("stderr %q does not say the merge failed and %s was left as it was", stderr.String(), out)
			}
			if jsonOut.Len() > 0 {
				t.Errorf("the in-process JSON writer got %d bytes of a failed merge", jsonOut.Len())
			}
			want := 2 // the two reports
			if c.before != "" {
				want++
			}
			if entries, _ := os.ReadDir(dir); len(entries) != want {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("files left in %s: %v (a temporary file not removed?)", dir, names)
			}
		})
	}
}

// TestMergeOutputWrittenAsFile: -o FILE is written as a file named by
// the user is (os.WriteFile), once the merge is whole: an existing
// file keeps its mode (a report kept private stays so), and a link is
// written through, not replaced (-o /dev/stdout is a link to the
// process's standard output, a file when it is redirected to one).
func TestMergeOutputWrittenAsFile(t *testing.T) {
	for _, c := range []struct {
		name string
		link bool
		mode os.FileMode
	}{
		{"existing file, private", false, 0o600},
		{"existing file, shared", false, 0o644},
		{"a link to a file", true, 0o640},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			r1 := writeShard(t, dir, "1.json", "1/2", "a.")
			r2 := writeShard(t, dir, "2.json", "2/2", "b.")
			target := filepath.Join(dir, "target.json")
			if err := os.WriteFile(target, []byte("old"), c.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(target, c.mode); err != nil { // past the umask
				t.Fatal(err)
			}
			out := target
			if c.link {
				out = filepath.Join(dir, "out.json")
				if err := os.Symlink(target, out); err != nil {
					t.Fatal(err)
				}
			}
			code, stdout, errs := runMergeCmd(t, dir, "-o", out, r1, r2)
			if code != exitOK {
				t.Fatalf("exit %d, want 0:\n%s%s", code, stdout, errs)
			}
			var v map[string]any
			b, err := os.ReadFile(target)
			if err != nil || json.Unmarshal(b, &v) != nil || v["exit"] == nil {
				t.Errorf("%s holds %q (%v), want the merged report", target, b, err)
			}
			if fi, err := os.Lstat(target); err != nil || fi.Mode().Perm() != c.mode {
				t.Errorf("%s: mode %v (%v), want %v kept", target, fi.Mode().Perm(), err, c.mode)
			}
			if fi, err := os.Lstat(out); c.link && (err != nil || fi.Mode()&os.ModeSymlink == 0) {
				t.Errorf("the link %s was replaced (%v, %v), want it written through", out, fi.Mode(), err)
			}
		})
	}
}
