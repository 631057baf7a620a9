package cutover

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/registrar"
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
	c.record(context.Background(), tr, rep, e)
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

// TestTrailRedactKeepsData: a secret that is also a number or a name the
// trail holds as data (a ClouDNS auth-id of four digits, a TSIG key named
// like a server, a password that is a common word) is taken out of the
// entry's texts only: the trail still reads back, with the times, TTLs,
// and the delegation a rollback restores as they were (the whole file
// redacted made `"ns_ttl": ***`, and no later step could read the trail).
func TestTrailRedactKeepsData(t *testing.T) {
	var s redact.Secrets
	for _, secret := range []string{"3600", "ns1.old.example.", "update"} {
		s.Add(secret)
	}
	path := filepath.Join(t.TempDir(), "example.test.json")
	c := &Config{TrailPath: path, Actor: "ci", Redact: s.Replace}
	at := time.Date(2026, 12, 4, 23, 36, 0, 0, time.UTC)
	before := registrar.Delegation{NS: []string{"ns1.old.example.", "ns2.old.example."}, NSTTL: 3600,
		DS: []string{"3600 13 2 ABCD"}, DSTTL: 3600}
	after := registrar.Delegation{NS: []string{"ns1.new.example."}, NSTTL: 3600}
	rep := &Report{Errors: []string{"registrar: update refused for key update with secret 3600"}}
	e := Entry{Time: at, Actor: c.Actor, Command: "flip", Result: ResultDone, Before: &before, After: &after, ChangedAt: &at,
		TTL: &TTLs{OldMax: 3600, NewMax: 3600}, ParentNSTTL: 3600, DelegatedTo: []string{"new"},
		Gates: []Gate{{Name: "parity", OK: true, Detail: "server said update 3600"}}}
	tr := &Trail{Zone: "example.test."}
	c.record(context.Background(), tr, rep, e)
	b, _ := os.ReadFile(path)
	back, err := ReadTrail(path, "example.test.")
	if err != nil || len(back.Entries) != 1 {
		t.Fatalf("the trail does not read back: %v\n%s", err, b)
	}
	got := back.Entries[0]
	if r := back.Restore(); r == nil || strings.Join(r.NS, " ") != "ns1.old.example. ns2.old.example." || r.NSTTL != 3600 || strings.Join(r.DS, " ") != "3600 13 2 ABCD" {
		t.Errorf("the delegation a rollback restores changed: %+v\n%s", r, b)
	}
	if !got.Time.Equal(at) || got.ChangedAt == nil || !got.ChangedAt.Equal(at) || got.TTL == nil || got.TTL.Max() != 3600 || got.ParentNSTTL != 3600 {
		t.Errorf("times or TTLs changed: %+v\n%s", got, b)
	}
	if strings.Contains(got.Error, "3600") || strings.Contains(got.Error, "update") || strings.Contains(got.Gates[0].Detail, "3600") {
		t.Errorf("a text keeps the secret: %q, %q", got.Error, got.Gates[0].Detail)
	}
}

// TestTrailSecretSplit: the trail, a JSON file the runbook commits, is
// redacted as a JSON report is: a secret split across two of an entry's
// texts (two actions, a gate's detail and its plan, a check's got and
// its fix), each piece under redact.MinCut, leaves no piece of
// redact.MinSplit bytes. Each text was redacted alone, and the pieces
// were written as they were. The data fields are kept.
func TestTrailSecretSplit(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg"
	a, b := secret[:11], secret[11:]
	for _, tc := range []struct {
		name string
		e    Entry
	}{
		{"two actions", Entry{Actions: []string{"set TXT \"" + a, b + "\" at the provider"}}},
		{"a gate's detail and plan", Entry{Gates: []Gate{{Name: "parity", Detail: "served " + a, Plan: []string{b + " is served"}}}}},
		{"a check's got and fix", Entry{Gates: []Gate{{Name: "delegation", Checks: []delegation.Check{{Got: "TXT " + a, Fix: b}}}}}},
		{"the error and an action", Entry{Error: "refused: " + a, Actions: []string{b}}},
		// The file's order: the watch, then the error.
		{"the watch's detail and the error", Entry{Watch: &WatchResult{Detail: "served " + a}, Error: b + " refused"}},
	} {
		set := &redact.Secrets{}
		set.Add(secret)
		path := filepath.Join(t.TempDir(), "example.com.json")
		c := &Config{TrailPath: path, Redact: set.Replace}
		tc.e.Time, tc.e.Command, tc.e.Result = time.Now().UTC(), "status", ResultObserved
		c.record(redact.WithSecrets(context.Background(), set), &Trail{Zone: "example.com."}, &Report{}, tc.e)
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(got), `"status"`) {
			t.Fatalf("%s: the step was not recorded:\n%s", tc.name, got)
		}
		for n := len(secret); n >= redact.MinSplit; n-- {
			for i := 0; i+n <= len(secret); i++ {
				if strings.Contains(string(got), secret[i:i+n]) {
					t.Errorf("%s: the trail holds %q:\n%s", tc.name, secret[i:i+n], got)
					n, i = 0, len(secret)
				}
			}
		}
	}
}
