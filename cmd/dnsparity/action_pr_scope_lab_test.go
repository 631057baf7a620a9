package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/github/githubtest"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestActionPRChangedZones: a pull request is checked, planned and compared
// for the zones it changes only: a zone file, a file two zones $INCLUDE,
// a zone's entry in dnsparity.yaml; every zone when the config's other
// settings change or GitHub's list of the files is cut at 3,000; none
// when it changes no zone file nor entry. The report says how
// many were skipped and why.
func TestActionPRChangedZones(t *testing.T) {
	lab.Require(t, "named", "knotd")
	e := newActionEnv(t)
	const n = 6
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	zs := writeManyZones(t, e.ws, n, oldIP+":53", newIP+":53")
	os.Mkdir(filepath.Join(e.ws, ".git"), 0o755) // a checkout: $INCLUDE paths are from its root
	// Zones 1 and 3 $INCLUDE a shared file; the servers get the text it
	// makes.
	const inc = "shared IN TXT \"included\"\n"
	os.WriteFile(filepath.Join(e.ws, "zones", "shared.inc"), []byte(inc), 0o644)
	for _, i := range []int{1, 3} {
		f := filepath.Join(e.ws, "zones", strings.TrimSuffix(zs[i].Origin, ".")+".zone")
		os.WriteFile(f, []byte(zs[i].Text+"$INCLUDE zones/shared.inc\n"), 0o644)
		zs[i].Text += inc
	}
	lab.BIND(t, lab.Options{IP: oldIP, Zones: zs})
	lab.Knot(t, lab.Options{IP: newIP, Zones: zs})
	e.env["INPUT_COMMAND"] = "pr"

	zoneFile := func(i int) string { return "zones/" + strings.TrimSuffix(zs[i].Origin, ".") + ".zone" }
	type prJSON struct {
		Parts []struct {
			Name, Status, Detail string
		} `json:"parts"`
		Parity []struct{ Zone string } `json:"parity"`
		Plan   struct {
			Plans []struct{ Provider, Zone string } `json:"plans"`
		} `json:"plan"`
		Exit int `json:"exit"`
	}
	run := func(name string, files []githubtest.PRFile) prJSON {
		t.Helper()
		e.gh.SetPullRequestFiles(42, files)
		o := e.run(t)
		if o.code != exitOK {
			t.Fatalf("%s: exit %d\n%s", name, o.code, o.stderr)
		}
		var js prJSON
		b, _ := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "pr.json"))
		if err := json.Unmarshal(b, &js); err != nil {
			t.Fatalf("%s: pr.json: %v\n%s", name, err, b)
		}
		return js
	}
	zonesOf := func(js prJSON) string {
		var out []string
		for _, p := range js.Parity {
			out = append(out, p.Zone)
		}
		return strings.Join(out, " ")
	}
	detail := func(js prJSON) string {
		for _, p := range js.Parts {
			if p.Name == "zones" {
				return p.Detail
			}
		}
		return ""
	}

	js := run("one zone file", []githubtest.PRFile{{Filename: zoneFile(2), Status: "modified"}, {Filename: "README.md", Status: "modified"}})
	if zonesOf(js) != zs[2].Origin || len(js.Plan.Plans) != 2 || js.Plan.Plans[0].Zone != zs[2].Origin {
		t.Errorf("one zone file: parity of %q, plans %+v", zonesOf(js), js.Plan.Plans)
	}
	if d := detail(js); !strings.Contains(d, "1 of 6 zones") || !strings.Contains(d, "5 skipped") {
		t.Errorf("zones part: %q", d)
	}

	js = run("an included file", []githubtest.PRFile{{Filename: "zones/shared.inc", Status: "modified"}})
	if zonesOf(js) != zs[1].Origin+" "+zs[3].Origin || !strings.Contains(detail(js), "2 through a changed $INCLUDE file") {
		t.Errorf("an included file: parity of %q, %q", zonesOf(js), detail(js))
	}

	js = run("a renamed zone file", []githubtest.PRFile{{Filename: zoneFile(5), Status: "renamed", PreviousFilename: "zones/old-name.zone"}})
	if zonesOf(js) != zs[5].Origin {
		t.Errorf("a renamed zone file: parity of %q", zonesOf(js))
	}

	// dnsparity.yaml: its zone entries take the zones they change; its
	// other settings every zone; a change that leaves both as they were
	// none.
	head, _ := os.ReadFile(filepath.Join(e.ws, "dnsparity.yaml"))
	cfgFile := []githubtest.PRFile{{Filename: "dnsparity.yaml", Status: "modified"}}
	narrower := strings.Replace(string(head), "files: zones/*.zone", "files: zones/z000[0-4].many.test.zone", 1)
	e.baseConfig = &narrower
	js = run("a zone entry of the config", cfgFile)
	if zonesOf(js) != zs[5].Origin || !strings.Contains(detail(js), "1 of 6 zones") || !strings.Contains(detail(js), "1 through a changed entry in dnsparity.yaml") {
		t.Errorf("a zone entry of the config: parity of %q, %q", zonesOf(js), detail(js))
	}
	js = run("a zone entry and a zone file", append(cfgFile, githubtest.PRFile{Filename: zoneFile(2), Status: "modified"}))
	if zonesOf(js) != zs[2].Origin+" "+zs[5].Origin || !strings.Contains(detail(js), "2 of 6 zones") {
		t.Errorf("a zone entry and a zone file: parity of %q, %q", zonesOf(js), detail(js))
	}
	otherPolicy := string(head) + "policy:\n  wave: 2\n"
	e.baseConfig = &otherPolicy
	js = run("the config's policy", cfgFile)
	if len(js.Parity) != n || !strings.Contains(detail(js), "all 6 zones: dnsparity.yaml changes: its settings besides zones changed") {
		t.Errorf("the config's policy: %d zones compared, %q", len(js.Parity), detail(js))
	}
	comment := "# the zones\n" + string(head)
	e.baseConfig = &comment
	e.gh.SetPullRequestFiles(42, cfgFile)
	if o := e.run(t); o.code != exitOK || !strings.Contains(o.summary, "nothing to do: the pull request changes no zone file, nor a setting or zone entry of dnsparity.yaml") {
		t.Errorf("a comment in the config: exit %d\n%s", o.code, o.summary)
	}
	e.baseConfig = nil

	var many []githubtest.PRFile
	for i := 0; i < 3100; i++ {
		many = append(many, githubtest.PRFile{Filename: fmt.Sprintf("docs/page%d.txt", i), Status: "added"})
	}
	js = run("3,000 files", many)
	if len(js.Parity) != n || !strings.Contains(detail(js), "3,000 files or more") {
		t.Errorf("3,000 files: %d zones compared, %q", len(js.Parity), detail(js))
	}

	e.gh.SetPullRequestFiles(42, []githubtest.PRFile{{Filename: "README.md", Status: "modified"}})
	o := e.run(t)
	if o.code != exitOK || !strings.Contains(o.summary, "nothing to do: the pull request changes no zone file") || !strings.Contains(o.summary, "0 of 6 zones") {
		t.Errorf("no zone file: exit %d\n%s", o.code, o.summary)
	}
	e.noRejected(t)
}
