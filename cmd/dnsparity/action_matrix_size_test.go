package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestActionMatrixOutputWithinGitHubLimit: the matrix job's output stays
// within what GitHub takes of a job's outputs, 1,048,576 bytes counted in
// UTF-16 ("Outputs can be a maximum of 1 MB per job ... Size is
// approximated based on UTF-16 encoding",
// https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/passing-information-between-jobs);
// a larger one fails the job ("Job outputs exceed 1,048,576 bytes") and no
// shard runs. 3,000 zones of 200-character names (the output about
// 1.2 MB in UTF-16; 10,000 zones of 50-character names give 1.14 MB)
// made an output over it. Each shard job computes its zones from the
// config again, so the output may leave them out: every shard and its
// artifact are still there, and the JSON report keeps the zones.
func TestActionMatrixOutputWithinGitHubLimit(t *testing.T) {
	e := newActionEnv(t)
	e.env["GITHUB_EVENT_NAME"] = "schedule"
	delete(e.env, "GITHUB_EVENT_PATH")
	zdir := filepath.Join(e.ws, "zones")
	if err := os.MkdirAll(zdir, 0o755); err != nil {
		t.Fatal(err)
	}
	const n = 3000
	label := strings.Repeat("x", 60)
	for i := range n {
		origin := fmt.Sprintf("c%05d.%s.%s.%s.example.", i, label, label, label)
		text := fmt.Sprintf("$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 h 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n", origin)
		if err := os.WriteFile(filepath.Join(zdir, fmt.Sprintf("c%05d.zone", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := "zones:\n  - files: zones/*.zone\nproviders:\n  old: {type: rfc2136, server: 127.0.0.1:5353, nameservers: [127.0.0.1]}\n  new: {type: rfc2136, server: 127.0.0.1:5354, nameservers: [127.0.0.1]}\n"
	if err := os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	e.env["INPUT_COMMAND"] = "matrix"
	e.env["INPUT_ARGS"] = "--shards 16"
	o := e.run(t)
	if o.code != exitOK {
		t.Fatalf("matrix: exit %d\n%s", o.code, o.stderr)
	}
	var js string
	for _, line := range strings.Split(o.rawOut, "\n") {
		if v, ok := strings.CutPrefix(line, "matrix="); ok {
			js = v
		}
	}
	if size := 2 * len(utf16.Encode([]rune(o.rawOut))); size > 1<<20 {
		t.Errorf("the job's outputs are %d bytes in UTF-16, over GitHub's 1,048,576: the matrix job fails", size)
	}
	var m struct {
		Include []struct {
			Shard    string `json:"shard"`
			Artifact string `json:"artifact"`
			RRsets   int64  `json:"rrsets"`
		} `json:"include"`
	}
	if err := json.Unmarshal([]byte(js), &m); err != nil || len(m.Include) != 16 {
		t.Fatalf("matrix output (%d characters): %v, %d shards", len(js), err, len(m.Include))
	}
	for i, inc := range m.Include {
		if want := fmt.Sprintf("%d/16", i+1); inc.Shard != want || inc.Artifact != fmt.Sprintf("dnsparity-shard-%d-of-16", i+1) || inc.RRsets == 0 {
			t.Errorf("entry %d: %+v, want shard %s with its artifact and RRsets", i, inc, want)
		}
	}
	if !strings.Contains(o.summary, "leaves out each shard's zones") {
		t.Errorf("the summary does not say the output matrix leaves the zones out:\n%s", o.summary)
	}
	// The JSON report keeps every shard's zones.
	b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "matrix.json"))
	if err != nil {
		t.Fatal(err)
	}
	var full struct {
		Include []struct {
			Zones []string `json:"zones"`
		} `json:"include"`
	}
	total := 0
	if err := json.Unmarshal(b, &full); err != nil {
		t.Fatal(err)
	}
	for _, inc := range full.Include {
		total += len(inc.Zones)
	}
	if total != n {
		t.Errorf("the report's matrix names %d zones, want %d", total, n)
	}
}

// TestActionMatrixNamesUnreadableZone: in the Action, the matrix job's
// summary names a zone file the config names that cannot be read (with
// its config line and its shard) and counts it as a warning (the output
// warnings; fail-on: warning fails the job), where only the job's log had
// it and the summary said "✅ 2 zones in 2 shards".
func TestActionMatrixNamesUnreadableZone(t *testing.T) {
	e := newActionEnv(t)
	e.env["GITHUB_EVENT_NAME"] = "schedule"
	delete(e.env, "GITHUB_EVENT_PATH")
	if err := os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.ws, "zones", "a.test.zone"), []byte("$TTL 300\n@ IN SOA ns1 h 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "zones:\n  - {name: a.test., file: zones/a.test.zone}\n  - {name: b.test., file: zones/b.tset.zone}\n"
	if err := os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	e.env["INPUT_COMMAND"], e.env["INPUT_ARGS"] = "matrix", "--shards 2"
	o := e.run(t)
	if o.code != exitOK {
		t.Fatalf("matrix: exit %d, want 0 (the matrix is printed)\n%s", o.code, o.stderr)
	}
	for _, want := range []string{"⚠️ zone b.test. ", "shard 2/2", "zones/b.tset.zone", "dnsparity.yaml:3", "job will fail on it"} {
		if !strings.Contains(o.summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, o.summary)
		}
	}
	if !strings.Contains(o.rawOut, "warnings=1\n") {
		t.Errorf("outputs %q, want warnings=1", o.rawOut)
	}
	e.env["INPUT_FAIL-ON"] = "warning"
	if o := e.run(t); o.code != exitProblem {
		t.Errorf("fail-on: warning: exit %d, want %d", o.code, exitProblem)
	}
}
