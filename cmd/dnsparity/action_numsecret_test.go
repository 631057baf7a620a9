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

// TestActionCutoverNumericSecret: a secret made of digits that are also
// in the report's data (a four-digit account id equal to the year, as in
// every time; or to a TTL) is masked in texts but leaves the cutover's JSON,
// which the Action reads back and saves, intact: the step is reported (not
// "printed no report"), the saved report and the audit trail read back.
func TestActionCutoverNumericSecret(t *testing.T) {
	l := newCoLab(t)
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
