package shard

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestArtifactAndMisplaced(t *testing.T) {
	for _, tt := range []struct {
		path, shard string
		art         string
		i, n        int // the shard the artifact stands for (n 0: the job-index form)
		misplaced   bool
	}{
		// The matrix's artifact key: the shard and the matrix size.
		{"shards/dnsparity-shard-1-of-3/sync.json", "1/3", "dnsparity-shard-1-of-3", 1, 3, false},
		{"shards/dnsparity-shard-3-of-3/sync.json", "3/3", "dnsparity-shard-3-of-3", 3, 3, false},
		{"shards/dnsparity-shard-2-of-3/sync.json", "3/3", "dnsparity-shard-2-of-3", 2, 3, true},
		// The same shard number of another matrix size (a stale artifact).
		{"shards/dnsparity-shard-2-of-16/sync.json", "2/3", "dnsparity-shard-2-of-16", 2, 16, true},
		{"shards/dnsparity-shard-0-of-3/sync.json", "1/3", "", 0, 0, false},
		{"shards/dnsparity-shard-4-of-3/sync.json", "1/3", "", 0, 0, false},
		{"shards/dnsparity-shard-1-of-03/sync.json", "1/3", "", 0, 0, false},
		{"shards/dnsparity-shard-1-of-257/sync.json", "1/3", "", 0, 0, false},
		// download-artifact: DIR/NAME/FILE; job J runs shard J+1.
		{"shards/dnsparity-shard-0/sync.json", "1/3", "dnsparity-shard-0", 1, 0, false},
		{"shards/dnsparity-shard-2/sync.json", "3/3", "dnsparity-shard-2", 3, 0, false},
		{"shards/dnsparity-shard-0/sync.json", "2/3", "dnsparity-shard-0", 1, 0, true},
		{"shards/dnsparity-shard-1/sync.json", "1/3", "dnsparity-shard-1", 2, 0, true},
		// A stale artifact of a larger matrix.
		{"shards/dnsparity-shard-9/drift.json", "3/16", "dnsparity-shard-9", 10, 0, true},
		// The nearest artifact directory counts (an upload of a folder).
		{"ws/shards/dnsparity-shard-4/.dnsparity/drift.json", "5/8", "dnsparity-shard-4", 5, 0, false},
		{"ws/dnsparity-shard-1/shards/dnsparity-shard-4/drift.json", "2/8", "dnsparity-shard-4", 5, 0, true},
		// Absolute, or out of where the reports were gathered: not read.
		{"/ws/shards/dnsparity-shard-4/drift.json", "2/8", "", 0, 0, false},
		{"../shards/dnsparity-shard-4/drift.json", "2/8", "", 0, 0, false},
		{filepath.Join("a", "dnsparity-shard-255", "r.json"), "256/256", "dnsparity-shard-255", 256, 0, false},
		// Not a shard job's artifact: not checked.
		{"shard-1-4.json", "3/4", "", 0, 0, false},
		{"/tmp/reports/3.json", "3/4", "", 0, 0, false},
		{"shards/dnsparity-shard-x/sync.json", "3/4", "", 0, 0, false},
		{"shards/dnsparity-shard-01/sync.json", "3/4", "", 0, 0, false},
		{"shards/dnsparity-shard--1/sync.json", "3/4", "", 0, 0, false},
		{"shards/dnsparity-shard-256/sync.json", "3/4", "", 0, 0, false},
		{"dnsparity-shard-2", "1/4", "", 0, 0, false}, // the file itself, not a directory
		// A name that is no shard's is refused by Parse, not here.
		{"shards/dnsparity-shard-0/sync.json", "x", "dnsparity-shard-0", 1, 0, false},
	} {
		art, s, ok := Artifact(tt.path)
		if art != tt.art || s.I != tt.i || s.N != tt.n || ok != (tt.art != "") {
			t.Errorf("Artifact(%q) = %q, %v, %v; want %q, %d/%d", tt.path, art, s, ok, tt.art, tt.i, tt.n)
		}
		m := Misplaced(tt.path, tt.shard)
		if (m != "") != tt.misplaced {
			t.Errorf("Misplaced(%q, %q) = %q, want misplaced %v", tt.path, tt.shard, m, tt.misplaced)
		}
		if want := "artifact " + tt.art + " holds shard " + tt.shard + "'s report (" + tt.path + ")"; m != "" && !strings.HasPrefix(m, want) {
			t.Errorf("Misplaced(%q, %q) = %q, want it to begin %q", tt.path, tt.shard, m, want)
		}
	}
}

// TestMergeMisplaced: reports merged from download-artifact's directories
// (one per shard job's artifact) count as the shard their artifact stands
// for or as none: swapped uploads, one shard's report in two artifacts,
// and a stale artifact of another matrix size are named ("artifact X holds
// shard Y's report"), the artifact's own shard is missing, and the merge
// fails (exit 2) where it used to pass the swap as a whole run.
func TestMergeMisplaced(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	report := func(name string, zones ...string) string {
		b, _ := json.Marshal(map[string]any{"shard": map[string]any{"name": name, "zones": zones}, "exit": 0, "problems": []any{}})
		return string(b)
	}
	put := func(artifact, text string) string {
		t.Helper()
		d := filepath.Join(dir, artifact)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		rel, err := filepath.Rel(dir, writeJSON(t, d, "check.json", text))
		if err != nil {
			t.Fatal(err)
		}
		return rel // as gathered: relative to the directory they were downloaded in
	}
	r1 := report("1/3", "a.")
	r2 := report("2/3", "b.")
	r3 := report("3/3", "c.")
	for _, tt := range []struct {
		name      string
		artifacts map[string]string // artifact → report
		expect    int
		missing   []string
		misplaced []string // the artifacts named
		reported  int
	}{
		{"in place", map[string]string{"dnsparity-shard-0": r1, "dnsparity-shard-1": r2, "dnsparity-shard-2": r3}, 0, []string{}, nil, 3},
		{"swapped", map[string]string{"dnsparity-shard-0": r1, "dnsparity-shard-1": r3, "dnsparity-shard-2": r2}, 0,
			[]string{"2/3", "3/3"}, []string{"artifact dnsparity-shard-1 holds shard 3/3's report", "artifact dnsparity-shard-2 holds shard 2/3's report"}, 1},
		{"one report twice", map[string]string{"dnsparity-shard-0": r1, "dnsparity-shard-1": r1, "dnsparity-shard-2": r3}, 0,
			[]string{"2/3"}, []string{"artifact dnsparity-shard-1 holds shard 1/3's report"}, 2},
		{"stale, another matrix", map[string]string{"dnsparity-shard-0": r1, "dnsparity-shard-1": r2, "dnsparity-shard-2": r3, "dnsparity-shard-6": report("4/8", "d.")}, 0,
			[]string{}, []string{"artifact dnsparity-shard-6 holds shard 4/8's report"}, 3},
		{"swapped, the matrix's names", map[string]string{"dnsparity-shard-1-of-3": r1, "dnsparity-shard-2-of-3": r3, "dnsparity-shard-3-of-3": r2}, 0,
			[]string{"2/3", "3/3"}, []string{"artifact dnsparity-shard-2-of-3 holds shard 3/3's report", "artifact dnsparity-shard-3-of-3 holds shard 2/3's report"}, 1},
		{"stale, the same number of another matrix", map[string]string{"dnsparity-shard-1-of-3": r1, "dnsparity-shard-2-of-3": r2, "dnsparity-shard-3-of-3": report("3/4", "c.")}, 0,
			[]string{"3/3"}, []string{"artifact dnsparity-shard-3-of-3 holds shard 3/4's report"}, 2},
		{"all misplaced", map[string]string{"dnsparity-shard-0": r2}, 0,
			[]string{"1/3", "2/3", "3/3"}, []string{"artifact dnsparity-shard-0 holds shard 2/3's report"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			entries, _ := os.ReadDir(dir) // the working directory stays
			for _, e := range entries {
				os.RemoveAll(filepath.Join(dir, e.Name()))
			}
			var paths []string
			for a, text := range tt.artifacts {
				paths = append(paths, put(a, text))
			}
			var out bytes.Buffer
			sh, exit, err := Merge(&out, paths, tt.expect, nil)
			if err != nil {
				t.Fatal(err)
			}
			wantExit := 0
			if len(tt.misplaced) > 0 || len(tt.missing) > 0 {
				wantExit = 2
			}
			if exit != wantExit || sh.OK() != (wantExit == 0) || sh.Reported != tt.reported || !reflect.DeepEqual(sh.Missing, tt.missing) || len(sh.Misplaced) != len(tt.misplaced) {
				t.Fatalf("exit %d (want %d), shards %+v; want reported %d, missing %v, misplaced %v", exit, wantExit, sh, tt.reported, tt.missing, tt.misplaced)
			}
			for i, m := range tt.misplaced {
				if !strings.HasPrefix(sh.Misplaced[i], m) {
					t.Errorf("misplaced[%d] = %q, want %q…", i, sh.Misplaced[i], m)
				}
			}
			var got struct {
				Shards Shards `json:"shards"`
				Exit   int    `json:"exit"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil || got.Exit != wantExit || !reflect.DeepEqual(got.Shards.Misplaced, sh.Misplaced) {
				t.Errorf("merged JSON (%v): exit %d, shards %+v\n%s", err, got.Exit, got.Shards, out.String())
			}
		})
	}
}

// TestArtifactOnlyBelowWhereGathered: only a path's own directories,
// relative to where the reports were gathered, can name an artifact. A
// workspace whose own path has a directory named like one (GitHub's
// checkout is /home/runner/work/REPO/REPO: a repository named
// dnsparity-shard-3) is no artifact, so a whole run given by absolute
// path passes; a path out of the gathering place is not read either.
func TestArtifactOnlyBelowWhereGathered(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "dnsparity-shard-3", "dnsparity-shard-3")
	reports := filepath.Join(ws, "reports")
	if err := os.MkdirAll(reports, 0o755); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i, z := range []string{"a.", "b.", "c."} {
		b, _ := json.Marshal(map[string]any{"shard": map[string]any{"name": []string{"1/3", "2/3", "3/3"}[i], "zones": []string{z}}, "exit": 0, "problems": []any{}})
		paths = append(paths, writeJSON(t, reports, []string{"1.json", "2.json", "3.json"}[i], string(b)))
	}
	for _, p := range append(paths, filepath.Join(ws, "shards", "dnsparity-shard-2-of-3", "sync.json"), "../dnsparity-shard-3/r.json", "..") {
		if art, _, ok := Artifact(p); ok {
			t.Errorf("Artifact(%q) = %q: not a path below where the reports were gathered", p, art)
		}
	}
	var out bytes.Buffer
	sh, exit, err := Merge(&out, paths, 0, nil)
	if err != nil || exit != 0 || len(sh.Misplaced) > 0 || !sh.OK() {
		t.Errorf("merge of a whole run: exit %d, err %v, shards %+v", exit, err, sh)
	}
	if m := Misplaced(filepath.Join("shards", "dnsparity-shard-2-of-3", "sync.json"), "1/3"); !strings.Contains(m, "artifact dnsparity-shard-2-of-3 holds shard 1/3's report") {
		t.Errorf("Misplaced in an artifact below where the reports were gathered = %q", m)
	}
}
