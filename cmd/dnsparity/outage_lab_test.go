package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestOutageSyncLab (issue 15, hole 7): after an emergency flip the old
// provider is down. The Action's sync (every 10 minutes) and a plain push
// still bring git's changes to the new side, saying the old one is
// skipped, instead of failing on the old one and pushing nothing. When the
// old provider is back with what it held before the outage, a rollback is
// refused until it holds git again: a record added during the outage
// (old-parity) and one deleted during it (old-complete: it would come
// back). Pushing to the old provider by name brings it back; then the
// rollback goes through. Nothing edited during the outage is lost.
func TestOutageSyncLab(t *testing.T) {
	l := newCoLab(t)
	e := newActionEnv(t)
	l.dir, l.zonePath, l.cfgPath = e.ws, filepath.Join(e.ws, "example.test.zone"), filepath.Join(e.ws, "dnsparity.yaml")
	l.writeConfig(t, l.cfgPath, nil)
	cfg := l.cfgPath
	l.prestaged(t)
	// Before the outage every side and git hold "gone".
	const gone = "gone IN A 192.0.2.66\n"
	l.writeGitExtra(t, gone)
	l.reloadSide(t, "old", gone)
	l.reloadSide(t, "new", gone)
	oldText := l.side("old", "192.0.2.10")
	oldText.Text += gone

	l.old.Stop()
	code, rep, stderr := l.run(t, cfg, "flip", "--emergency", "--watch", "1s")
	if code != exitOK || !rep.Emergency {
		t.Fatalf("emergency flip: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}

	// During the outage git loses "gone" and gains "added".
	const added = "added IN A 192.0.2.77\n"
	l.writeGitExtra(t, added)
	for k, v := range l.env {
		e.env[k] = v
	}
	e.env["INPUT_COMMAND"] = "sync"
	e.env["GITHUB_EVENT_NAME"] = "schedule"
	e.env["GITHUB_ACTOR"] = "dnsparity-sync"
	delete(e.env, "GITHUB_EVENT_PATH")
	o := e.run(t)
	if o.code != exitOK {
		t.Fatalf("sync during the outage: exit %d\n%s\n%s", o.code, o.summary, o.stderr)
	}
	for _, want := range []string{"| push old | ⏭️", "emergency flip", "push --provider old --zone example.test.", "| push new | ✅", "| parity | ⏭️"} {
		if !strings.Contains(o.summary, want) {
			t.Errorf("sync summary lacks %q:\n%s", want, o.summary)
		}
	}
	if got := aRecord(t, l.new.Addr, "added.example.test."); got != "192.0.2.77" {
		t.Errorf("the new side did not get the record added during the outage: %q", got)
	}
	if got := aRecord(t, l.new.Addr, "gone.example.test."); got != "" {
		t.Errorf("the new side still serves the record deleted during the outage: %q", got)
	}
	// The sync's push is in the trail, by side.
	tr, err := cutover.ReadTrail(l.trailPath(), coOrigin)
	if err != nil {
		t.Fatal(err)
	}
	last := tr.Entries[len(tr.Entries)-1]
	if last.Command != "push" || last.Actor != "dnsparity-sync" || len(last.Pushed) != 1 || last.Pushed["new"].MaxTTL != coPrestage {
		t.Errorf("the sync's push in the trail: %+v", last)
	}
	// A plain push says the same and pushes the reachable side.
	if code, out := l.runCmd(t, "push", "--config", cfg); code != exitOK || !strings.Contains(out, "the old provider is skipped") {
		t.Errorf("push during the outage: exit %d\n%s", code, out)
	}

	// The old provider is back, with what it held before the outage.
	l.old = lab.PDNS(t, lab.Options{IP: l.oldIP, TSIG: coKey, Zones: []lab.Zone{oldText}}) // as startOld: transfers only with the key
	l.env["OLD_PDNS_KEY"] = l.old.APIKey
	before := l.parentText(t)
	code, rep, stderr = l.run(t, cfg, "rollback", "--dry-run")
	l.wantRefused(t, "rollback with the old side behind git", code, rep, stderr, before, cutover.GateOldParity, cutover.GateOldComplete)
	if g := gateOf(rep, cutover.GateOldParity); g == nil || !strings.Contains(g.Detail, "added.example.test.") {
		t.Errorf("old-parity should name the record added during the outage: %+v", g)
	}
	if g := gateOf(rep, cutover.GateOldComplete); g == nil || !strings.Contains(g.Detail, "gone.example.test. A") || !strings.Contains(g.Detail, "come back") {
		t.Errorf("old-complete should name the record deleted during the outage: %+v", g)
	}

	if code, out := l.runCmd(t, "push", "--provider", "old", "--config", cfg); code != exitOK {
		t.Fatalf("push --provider old: exit %d\n%s", code, out)
	}
	code, rep, stderr = l.run(t, cfg, "rollback", "--watch", "1s")
	if code != exitOK || rep.Delegation.PointsTo != "old" {
		t.Fatalf("rollback once the old side holds git: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	if aRecord(t, l.old.Addr, "added.example.test.") != "192.0.2.77" || aRecord(t, l.old.Addr, "gone.example.test.") != "" {
		t.Errorf("the old side after the rollback does not hold what git does")
	}
}

// writeGitExtra writes the zone file as git has it, plus extra lines.
func (l *coLab) writeGitExtra(t *testing.T, extra string) {
	t.Helper()
	text := childZone("old", l.ttl, l.serial, l.oldIP, l.newIP, "192.0.2.10") + extra
	if err := os.WriteFile(l.zonePath, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// aRecord is the address a server answers for name ("" for none).
func aRecord(t *testing.T, addr, name string) string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeA)
	r, err := dns.Exchange(m, addr)
	if err != nil {
		t.Fatal(err)
	}
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok {
			return a.A.String()
		}
	}
	return ""
}
