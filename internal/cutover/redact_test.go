package cutover

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// TestTrailRedacted: with Config.Redact (the Action's), no text of an
// entry written to the audit trail holds a secret: a registrar's error,
// a gate's detail, an action, the actor.
func TestTrailRedacted(t *testing.T) {
	const secret = "AKIA_registrar_secret_0123+/x"
	var s redact.Secrets
	s.Add(secret)
	path := filepath.Join(t.TempDir(), "example.test.json")
	c := &Config{TrailPath: path, Actor: "ci " + secret, Redact: s.Replace}
	rep := &Report{Errors: []string{"registrar: 403: signature for key " + secret + " refused"}, Actions: []string{"tried with " + secret}}
	e := Entry{Actor: c.Actor, Command: "flip", Result: ResultError, Gates: []Gate{{Name: "delegation", Detail: "server quoted " + secret}}}
	tr := &Trail{Zone: "example.test."}
	c.record(tr, rep, e)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range redact.Forms(secret) {
		if strings.Contains(string(b), f) {
			t.Errorf("the trail holds %q:\n%s", f, b)
		}
	}
	if !strings.Contains(string(b), "signature for key ***") {
		t.Errorf("the entry is not in the trail:\n%s", b)
	}
	back, err := ReadTrail(path, "example.test.")
	if err != nil || len(back.Entries) != 1 {
		t.Fatalf("the trail does not read back: %v", err)
	}
}
