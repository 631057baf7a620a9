package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestActionMatrixMerge drives drift-many.yml's three jobs in-process: the
// matrix command splits nine zones into three shards, each shard's drift
// job reports (no issue, no comment of its own), and merge keeps ONE drift
// issue naming the one zone that drifted. Then the merge of a sweep whose
// shard 2 died (no report), whose shard 3 could not run, or two of whose
// shards reported one zone fails, naming the shards and the zones not
// checked, and leaves the issue as it is.
func TestActionMatrixMerge(t *testing.T) {
	e := newActionEnv(t)
	e.env["GITHUB_EVENT_NAME"] = "schedule"
	delete(e.env, "GITHUB_EVENT_PATH")
	const n, drifted = 9, 4
	zs := serveManyZones(t, e.ws, n, drifted)

	e.env["INPUT_COMMAND"] = "matrix"
	e.env["INPUT_ARGS"] = "--shards 3"
	o := e.run(t)
	if o.code != exitOK {
		t.Fatalf("matrix: exit %d\n%s", o.code, o.stderr)
	}
	var m struct {
		Include []struct {
			Shard string   `json:"shard"`
			Zones []string `json:"zones"`
		} `json:"include"`
	}
	if err := json.Unmarshal([]byte(o.outputs["matrix"]), &m); err != nil || len(m.Include) != 3 {
		t.Fatalf("matrix output %q: %v", o.outputs["matrix"], err)
	}
	delete(e.env, "INPUT_ARGS")

	// The shard jobs.
	e.env["INPUT_COMMAND"] = "drift"
	shardOf := map[string]string{}
	for i, inc := range m.Include {
		e.env["INPUT_SHARD"] = inc.Shard
		o := e.run(t)
		want := exitOK
		for _, z := range inc.Zones {
			shardOf[z] = inc.Shard
			if z == zs[drifted].Origin {
				want = exitProblem
			}
		}
		if o.code != want {
			t.Fatalf("drift shard %s: exit %d, want %d\n%s", inc.Shard, o.code, want, o.stderr)
		}
		b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "drift.json"))
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Command string
			Shard   struct {
				Name  string
				Zones []string
			}
		}
		if json.Unmarshal(b, &rep); rep.Command != "drift" || rep.Shard.Name != inc.Shard || strings.Join(rep.Shard.Zones, " ") != strings.Join(inc.Zones, " ") {
			t.Errorf("shard %s report: command %q, shard %+v", inc.Shard, rep.Command, rep.Shard)
		}
		dir := filepath.Join(e.ws, "shards", fmt.Sprintf("dnsparity-shard-%d", i))
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "drift.json"), b, 0o644)
		if len(e.gh.Issues()) != 0 {
			t.Fatalf("shard %s opened an issue; only the merge may", inc.Shard)
		}
	}
	delete(e.env, "INPUT_SHARD")

	// The merge job.
	e.env["INPUT_COMMAND"] = "merge"
	e.env["INPUT_REPORTS"] = "shards/*/drift.json"
	o = e.run(t)
	if o.code != exitProblem {
		t.Fatalf("merge: exit %d, want 1 (drift)\n%s\n%s", o.code, o.stderr, o.summary)
	}
	is := e.gh.Issues()
	if len(is) != 1 || is[0].State != "open" || !strings.Contains(is[0].Body, zs[drifted].Origin) || !strings.Contains(is[0].Body, "all 3 shards reported") {
		t.Fatalf("issues after the merge: %+v", is)
	}
	for i, z := range zs {
		if i != drifted && strings.Contains(is[0].Body, "new "+z.Origin) {
			t.Errorf("the issue names zone %s, which did not drift", z.Origin)
		}
	}
	if !strings.Contains(o.summary, "dnsparity drift (3 shards)") || o.outputs["report"] != ".dnsparity/drift.json" {
		t.Errorf("summary or report output: %q\n%s", o.outputs["report"], o.summary[:min(len(o.summary), 1500)])
	}
	body := is[0].Body

	check := func(name string, wantIn ...string) {
		t.Helper()
		o := e.run(t)
		if o.code != exitError {
			t.Errorf("%s: merge exit %d, want 2", name, o.code)
		}
		for _, w := range wantIn {
			if !strings.Contains(o.summary, w) {
				t.Errorf("%s: the summary lacks %q:\n%s", name, w, o.summary[:min(len(o.summary), 2000)])
			}
		}
		if is := e.gh.Issues(); len(is) != 1 || is[0].State != "open" || is[0].Body != body {
			t.Errorf("%s: the drift issue was changed by a merge that is not whole: %+v", name, is)
		}
	}
	// Shard 2's job died: no report.
	s2 := filepath.Join(e.ws, "shards", "dnsparity-shard-1", "drift.json")
	keep, _ := os.ReadFile(s2)
	os.Remove(s2)
	check("missing shard", "2 of 3 shards reported", "missing", "2/3", m.Include[1].Zones[0])
	os.WriteFile(s2, keep, 0o644)

	// Shard 3 could not run.
	s3 := filepath.Join(e.ws, "shards", "dnsparity-shard-2", "drift.json")
	keep3, _ := os.ReadFile(s3)
	var doc map[string]any
	json.Unmarshal(keep3, &doc)
	doc["exit"] = 2
	b, _ := json.Marshal(doc)
	os.WriteFile(s3, b, 0o644)
	check("failed shard", "3 of 3 shards reported; failed &#40;could not run&#41;: 3/3")

	// Two shards report one zone (jobs of different commits).
	doc["exit"] = 0
	sh := doc["shard"].(map[string]any)
	sh["zones"] = append(sh["zones"].([]any), m.Include[0].Zones[0])
	b, _ = json.Marshal(doc)
	os.WriteFile(s3, b, 0o644)
	check("duplicate zone", fmt.Sprintf("zone %s reported by shards 1/3 and 3/3", m.Include[0].Zones[0]))
	os.WriteFile(s3, keep3, 0o644)

	// Shard artifacts are input: a report that makes a failed shard look
	// passed, reports zones it was not given, or carries markup and
	// statuses dnsparity never writes does not pass for a whole sweep.
	rewrite := func(path string, keep []byte, edit func(doc map[string]any)) {
		t.Helper()
		var doc map[string]any
		if err := json.Unmarshal(keep, &doc); err != nil {
			t.Fatal(err)
		}
		edit(doc)
		b, _ := json.Marshal(doc)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Shard 2 claims none of its zones: nothing failed, nothing checked.
	rewrite(s2, keep, func(doc map[string]any) {
		doc["exit"] = 0
		doc["shard"].(map[string]any)["zones"] = []string{}
		doc["parts"] = []map[string]string{{"name": "plan", "status": "ok", "detail": "0 changes"}}
		delete(doc, "plans")
	})
	check("shard 2 claims no zone", "report lacks", m.Include[1].Zones[0])
	os.WriteFile(s2, keep, 0o644)

	// Findings for a zone no shard was given, markup in a part's name, a
	// status dnsparity never writes.
	rewrite(s2, keep, func(doc map[string]any) {
		plans, _ := doc["plans"].([]any)
		doc["plans"] = append(plans, map[string]any{"provider": "new", "zone": "evil.example.", "blocked": []string{"<img src=x onerror=alert(1)>"}})
		doc["parts"] = append(doc["parts"].([]any), map[string]string{"name": "<img src=x>", "status": "passed", "detail": "fine"})
	})
	o = e.run(t)
	if o.code != exitError || !strings.Contains(o.summary, "findings for 1 zone that are not its own") || !strings.Contains(o.summary, "evil.example.") {
		t.Errorf("foreign findings: exit %d, want 2 naming evil.example.:\n%s", o.code, o.summary[:min(len(o.summary), 2000)])
	}
	if strings.Contains(o.summary, "onerror") || strings.Contains(o.summary, "<img") || strings.Contains(o.summary, "✅ passed") {
		t.Errorf("foreign findings or markup reached the summary:\n%s", o.summary)
	}
	check("foreign findings")
	os.WriteFile(s2, keep, 0o644)

	// A report too large to read whole (sparse: no disk used).
	if err := os.Truncate(s2, 256<<20+1); err != nil {
		t.Fatal(err)
	}
	check("oversized report", "not a regular file of at most 256 MiB", "missing", "2/3")
	os.WriteFile(s2, keep, 0o644)
	e.noRejected(t)
}
