package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestActionCheckConfigInFolder: a repository whose config is not at its
// root (config: eu/dnsparity.yaml, zones: files: zones/*.zone, which is
// eu/zones/) runs command: check. The check ran without the config input
// and checked the root's dnsparity.yaml instead ("✅ passed", the eu
// zone's warning unreported); and every path in a report is relative to
// the config's folder, so an annotation said zones/eu.test.zone, a file
// the repository does not have, where GitHub wants the path from its root
// (eu/zones/eu.test.zone).
func TestActionCheckConfigInFolder(t *testing.T) {
	e := newActionEnv(t)
	write := func(p, text string) {
		t.Helper()
		p = filepath.Join(e.ws, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const cfg = "zones:\n  - files: zones/*.zone\nproviders:\n  old: {type: rfc2136, server: 127.0.0.1:53}\n  new: {type: rfc2136, server: 127.0.0.2:53}\n"
	zone := func(origin, extra string) string {
		return "$ORIGIN " + origin + "\n$TTL 300\n@ SOA ns1 h 1 7200 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n" + extra
	}
	write("dnsparity.yaml", cfg)
	write("zones/root.test.zone", zone("root.test.", ""))
	write("eu/dnsparity.yaml", cfg)
	write("eu/zones/eu.test.zone", zone("eu.test.", "dup A 192.0.2.9\ndup A 192.0.2.9\n"))
	e.env["INPUT_COMMAND"] = "check"
	e.env["INPUT_CONFIG"] = "eu/dnsparity.yaml"
	e.env["GITHUB_EVENT_NAME"] = "push"
	delete(e.env, "GITHUB_EVENT_PATH")
	o := e.run(t)
	if o.code != exitOK || o.outputs["warnings"] != "1" {
		t.Fatalf("exit %d, warnings %q, want 0 and 1 (eu.test.'s duplicate):\n%s", o.code, o.outputs["warnings"], o.summary)
	}
	runs := e.gh.CheckRuns()
	if len(runs) != 1 || len(runs[0].Annotations) != 1 {
		t.Fatalf("check runs %+v, want one with one annotation", runs)
	}
	if a := runs[0].Annotations[0]; a.Path != "eu/zones/eu.test.zone" || a.StartLine != 7 {
		t.Errorf("annotation on %s:%d, want eu/zones/eu.test.zone:7 (from the repository's root)", a.Path, a.StartLine)
	}
}
