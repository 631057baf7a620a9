package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/cutover"
)

// A cutover run dispatched through the Action (command: status / flip with
// the zone input), on the cutover lab: BIND parent, PowerDNS old, Knot new,
// two Unbound resolvers.
func TestActionCutoverDispatch(t *testing.T) {
	l := newCoLab(t)
	e := cutoverActionEnv(t, l)
	e.env["INPUT_ZONE"] = "example.test."
	before := l.parentText(t)

	e.env["INPUT_COMMAND"] = "status"
	o := e.run(t)
	if o.code != exitOK || o.outputs["result"] != "ok" || o.outputs["report"] != ".dnsparity/status.json" {
		t.Fatalf("status: exit %d, outputs %v\n%s\n%s", o.code, o.outputs, o.summary, o.stderr)
	}
	for _, want := range []string{"dnsparity status: ✅ stage", "delegation points to **old**", "ns1.old.example.test."} {
		if !strings.Contains(o.summary, want) {
			t.Errorf("status summary lacks %q:\n%s", want, o.summary)
		}
	}
	var rep map[string]any
	b, _ := os.ReadFile(filepath.Join(l.dir, ".dnsparity", "status.json"))
	if err := json.Unmarshal(b, &rep); err != nil || rep["zone"] != "example.test." {
		t.Errorf("status.json: %v %s", err, b)
	}

	// A flip while the TTLs are not pre-staged: refused, every unmet gate
	// named first, the parent untouched, the attempt in the audit trail.
	e.env["INPUT_COMMAND"] = "flip"
	o = e.run(t)
	if o.code != exitProblem || o.outputs["result"] != "problems" || o.outputs["errors"] == "0" {
		t.Fatalf("flip: exit %d, outputs %v\n%s", o.code, o.outputs, o.summary)
	}
	if !strings.Contains(o.summary, "❌ flip refused") || !strings.Contains(o.summary, "| ttl-prestaged | ❌ |") {
		t.Errorf("flip summary:\n%s", o.summary)
	}
	if i, j := strings.Index(o.summary, "| ❌ |"), strings.Index(o.summary, "| ✅ |"); j >= 0 && i > j {
		t.Errorf("unmet gates are not listed first:\n%s", o.summary)
	}
	if l.parentText(t) != before {
		t.Errorf("a refused flip changed the parent zone")
	}
	trail := filepath.Join(l.dir, "state", "example.test.json")
	if _, err := os.Stat(trail); err != nil {
		t.Errorf("no audit trail for the workflow to commit: %v", err)
	}
	if !strings.Contains(o.summary, "Audit trail: `state/example.test.json`") {
		t.Errorf("the summary does not name the audit trail:\n%s", o.summary)
	}
	if strings.Contains(o.stdout+o.summary, l.old.APIKey) && !strings.Contains(o.stdout, "::add-mask::"+l.old.APIKey) {
		t.Errorf("the PowerDNS API key reached the log unmasked")
	}
}

// A wave through the Action: the zone input names two zones (one not in
// the config); one summary table, each zone's report after it.
func TestActionCutoverWave(t *testing.T) {
	l := newCoLab(t)
	e := cutoverActionEnv(t, l)
	e.env["INPUT_ZONE"] = "example.test., nosuch.test."
	e.env["INPUT_COMMAND"] = "status"
	o := e.run(t)
	if o.code != exitError || o.outputs["result"] != "error" {
		t.Fatalf("status of a wave: exit %d, outputs %v\n%s", o.code, o.outputs, o.summary)
	}
	for _, want := range []string{"2 zones in waves of 8: 1 done, 0 refused, 1 could not run", "| `example.test.` | observed |", "| `nosuch.test.` | error |",
		"### `example.test.`: ✅ stage", "delegation points to **old**"} {
		if !strings.Contains(o.summary, want) {
			t.Errorf("the wave's summary lacks %q:\n%s", want, o.summary)
		}
	}
	var w struct {
		Reports []map[string]any `json:"reports"`
		Summary struct{ Done, Failed []string }
		Exit    int `json:"exit"`
	}
	b, _ := os.ReadFile(filepath.Join(l.dir, ".dnsparity", "status.json"))
	if err := json.Unmarshal(b, &w); err != nil || len(w.Reports) != 2 || w.Exit != 2 || len(w.Summary.Done) != 1 {
		t.Errorf("status.json: %v %s", err, b)
	}
}

// cutoverActionEnv is an Action run (workflow_dispatch) in the cutover
// lab's directory, with its secrets.
func cutoverActionEnv(t *testing.T, l *coLab) *actionEnv {
	t.Helper()
	e := newActionEnv(t)
	e.ws = l.dir
	e.env["GITHUB_WORKSPACE"] = l.dir
	e.env["GITHUB_EVENT_NAME"] = "workflow_dispatch"
	delete(e.env, "GITHUB_EVENT_PATH")
	for k, v := range l.env {
		e.env[k] = v
	}
	return e
}

// TestActionCutoverNumericSecret: a secret made of digits that are also
// in the report's data (a four-digit account id equal to the year, as in
// every time; or to a TTL) is masked in texts but leaves the cutover's JSON,
// which the Action reads back and saves, intact: the step is reported (not
// "printed no report"), the saved report and the audit trail read back.
func TestActionCutoverNumericSecret(t *testing.T) {
	// A serial that does not hold the year: a secret in the zone's
	// records is refused (config.PublicSecretError), and this test is
	// about the report's times.
	l := baseCoLab(t)
	l.serial = 1999112701
	l = startCoLab(t, l)
	e := cutoverActionEnv(t, l)
	e.env["INPUT_ZONE"] = "example.test."
	e.env["INPUT_COMMAND"] = "status"
	report := filepath.Join(l.dir, ".dnsparity", "status.json")
	// The year is in every time of the report and of the audit trail.
	num := strconv.Itoa(time.Now().UTC().Year())
	e.env["OLD_ACCOUNT_KEY"] = num // masked: its name says it is a secret

	o := e.run(t)
	if o.code != exitOK || o.outputs["result"] != "ok" || strings.Contains(o.summary, "printed no report") {
		t.Fatalf("status with a secret %s that is a number of the report: exit %d, outputs %v\n%s\n%s", num, o.code, o.outputs, o.summary, o.stderr)
	}
	b, _ := os.ReadFile(report)
	var rep map[string]any
	if err := json.Unmarshal(b, &rep); err != nil || rep["zone"] != "example.test." {
		t.Fatalf("status.json is not the report: %v\n%s", err, b)
	}
	if !strings.Contains(string(b), `": "`+num+"-") {
		t.Errorf("the times are gone from the report:\n%s", b)
	}
	if _, err := cutover.ReadTrail(filepath.Join(l.dir, "state", "example.test.json"), "example.test."); err != nil {
		t.Errorf("the audit trail does not read back: %v", err)
	}
}
