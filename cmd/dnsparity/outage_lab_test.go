package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
	l, e, cfg, oldText := newOutageLab(t)

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
	outageSynced(t, l.new.Addr, "new")
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
// cacheLastMove makes the trail's last entry, the emergency step command
// with its watch, say that the delegation it replaced stays cached for
// another hour (the lab's parent NS TTL is seconds; at .com it is days).
func (l *coLab) cacheLastMove(t *testing.T, command string) {
	t.Helper()
	path := l.trailPath()
	tr, err := cutover.ReadTrail(path, coOrigin)
	if err != nil {
		t.Fatal(err)
	}
	e := &tr.Entries[len(tr.Entries)-1]
	if e.Command != command || !e.Emergency || e.Watch == nil {
		t.Fatalf("the trail's last entry is not the emergency %s with its watch: %+v", command, e)
	}
	e.Watch.OldDelegationExpires = time.Now().Add(time.Hour)
	b, err := json.MarshalIndent(tr, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

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

// TestEmergencySyncOldLab: after an emergency flip, resolvers that cached
// the old delegation keep asking the old provider until it expires (two
// days at .com). The sync pushes the new side first, then the old one:
// still down, that is a warning ("not synced", retried by the next run)
// and the sync succeeds; back with what it held before the outage, the
// sync brings it up to date, so those clients get git's answers and
// status no longer reports a stale old side. Before the flip, an old
// provider that is down stops the sync before the new side, as always.
// (On the code before: the sync skipped the old side after the flip, so
// it stayed stale until someone pushed it by name.)
func TestEmergencySyncOldLab(t *testing.T) {
	l, e, cfg, oldText := newOutageLab(t)
	sync := func() actionOut { t.Helper(); return l.scheduledSync(t, e) }

	// No emergency flip: the old provider down stops the sync (and a
	// push) before anything is sent to the new side.
	l.old.Stop()
	const early = "early IN A 192.0.2.55\n"
	l.writeGitExtra(t, gone+early)
	if o := sync(); o.code != exitError || o.outputs["result"] != "error" {
		t.Errorf("sync with the old provider down, no emergency flip: exit %d, outputs %v\n%s", o.code, o.outputs, o.summary)
	} else {
		wantIn(t, "sync summary", o.summary, "nothing was pushed")
	}
	if code, out := l.runCmd(t, "push", "--config", cfg); code != exitError {
		t.Errorf("push with the old provider down, no emergency flip: exit %d\n%s", code, out)
	}
	if got := aRecord(t, l.new.Addr, "early.example.test."); got != "" {
		t.Errorf("the new side was pushed while the old one, first, was down: %q", got)
	}

	l.writeGitExtra(t, gone)
	code, rep, stderr := l.run(t, cfg, "flip", "--emergency", "--watch", "1s")
	if code != exitOK || !rep.Emergency {
		t.Fatalf("emergency flip: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	// The parent's NS TTL here is 4 s; at .com it is two days: the flip's
	// record says the old delegation is cached for another hour.
	l.cacheLastMove(t, "flip")

	// During the outage git loses "gone" and gains "added". The old
	// provider is still down: the new side is synced, the old one is a
	// warning, and the sync passes.
	const added = "added IN A 192.0.2.77\n"
	l.writeGitExtra(t, added)
	o := sync()
	if o.code != exitOK || o.outputs["result"] != "ok" || o.outputs["warnings"] == "0" {
		t.Errorf("sync with the old provider still down after the emergency flip: exit %d, outputs %v\n%s\n%s", o.code, o.outputs, o.summary, o.stderr)
	}
	wantIn(t, "sync summary", o.summary, "| push new | ✅", "| push old | ⏭️", "old provider still down: not synced; will be retried on the next scheduled sync", "| parity | ⏭️")
	outageSynced(t, l.new.Addr, "new")
	code, out := l.runCmd(t, "push", "--config", cfg, "--format", "json")
	if code != exitOK {
		t.Errorf("push with the old provider still down after the emergency flip: exit %d\n%s", code, out)
	}
	wantIn(t, "push", out, `"not_synced": "zone example.test.: old provider still down: not synced; will be retried on the next scheduled sync`)

	// The old provider is back with what it held before the outage,
	// while its delegation may still be cached: status says so.
	l.old = lab.PDNS(t, lab.Options{IP: l.oldIP, TSIG: coKey, Zones: []lab.Zone{oldText}})
	l.env["OLD_PDNS_KEY"] = l.old.APIKey
	if _, rep, _ = l.run(t, cfg, "status"); !answersAgain(rep) {
		t.Errorf("status with the old provider back and stale: errors %q", rep.Errors)
	}
	// The next sync brings it up to date, then proves parity.
	o = sync()
	if o.code != exitOK || o.outputs["result"] != "ok" {
		t.Errorf("sync with the old provider back: exit %d, outputs %v\n%s\n%s", o.code, o.outputs, o.summary, o.stderr)
	}
	wantIn(t, "sync summary", o.summary, "| push new | ✅", "| push old | ✅", "| parity | ✅")
	outageSynced(t, l.old.Addr, "old")
	if _, rep, _ = l.run(t, cfg, "status"); answersAgain(rep) {
		t.Errorf("status after the sync brought the old side up to date: errors %q", rep.Errors)
	}
	_, rep, _ = l.run(t, cfg, "rollback", "--dry-run")
	for _, g := range []string{cutover.GateOldParity, cutover.GateOldComplete} {
		if gt := gateOf(rep, g); gt == nil || !gt.OK {
			t.Errorf("rollback's %s gate after the sync: %+v", g, gt)
		}
	}
}

// scheduledSync runs the Action's scheduled sync in e with the lab's
// credentials.
func (l *coLab) scheduledSync(t *testing.T, e *actionEnv) actionOut {
	t.Helper()
	for k, v := range l.env {
		e.env[k] = v
	}
	e.env["INPUT_COMMAND"] = "sync"
	e.env["GITHUB_EVENT_NAME"] = "schedule"
	e.env["GITHUB_ACTOR"] = "dnsparity-sync"
	delete(e.env, "GITHUB_EVENT_PATH")
	return e.run(t)
}

// wantIn reports each of wants that text (what) lacks.
func wantIn(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// answersAgain: status reports a side back after an emergency step and
// stale while its delegation may still be cached.
func answersAgain(rep *cutover.Report) bool {
	return slices.ContainsFunc(rep.Errors, func(s string) bool { return strings.Contains(s, "answers again") })
}

// outageSynced checks that the side at addr serves what git gained
// (added) and lost (gone) during the outage.
func outageSynced(t *testing.T, addr, side string) {
	t.Helper()
	if got := aRecord(t, addr, "added.example.test."); got != "192.0.2.77" {
		t.Errorf("the %s side did not get the record added during the outage: %q", side, got)
	}
	if got := aRecord(t, addr, "gone.example.test."); got != "" {
		t.Errorf("the %s side still serves the record deleted during the outage: %q", side, got)
	}
}

// gone is the record every side and git hold before the outage.
const gone = "gone IN A 192.0.2.66\n"

// newOutageLab is the cutover lab in an Action workspace, TTLs
// pre-staged, with every side and git holding gone: its config's path,
// and the old side's zone as it stands before the outage (to restart the
// old provider with what it held).
func newOutageLab(t *testing.T) (l *coLab, e *actionEnv, cfg string, oldText lab.Zone) {
	t.Helper()
	l = newCoLab(t)
	e = newActionEnv(t)
	l.dir, l.zonePath, l.cfgPath = e.ws, filepath.Join(e.ws, "example.test.zone"), filepath.Join(e.ws, "dnsparity.yaml")
	l.writeConfig(t, l.cfgPath, nil)
	l.prestaged(t)
	l.writeGitExtra(t, gone)
	l.reloadSide(t, "old", gone)
	l.reloadSide(t, "new", gone)
	oldText = l.side("old", "192.0.2.10")
	oldText.Text += gone
	return l, e, l.cfgPath, oldText
}

// TestEmergencySyncNewLab: the mirror of TestEmergencySyncOldLab. After
// rollback --emergency (the new provider was down) the delegation points
// to the old side again, but resolvers that cached the new delegation
// keep asking the new provider until it expires. The sync pushes the old
// side first, then the new one only if it answers: still down, that is a
// warning ("not synced", retried by the next run) and the sync succeeds;
// back with what it held before the outage, the sync brings it up to
// date, and status no longer reports a stale new side. Before the
// emergency rollback (after a planned flip) a new provider that is down
// fails the sync, as always. (On the code before: every scheduled sync
// after the emergency rollback failed on the new side until it was back.)
func TestEmergencySyncNewLab(t *testing.T) {
	l, e, cfg, _ := newOutageLab(t)
	sync := func() actionOut { t.Helper(); return l.scheduledSync(t, e) }

	code, rep, stderr := l.run(t, cfg, "flip", "--watch", "1s")
	if code != exitOK || rep.Delegation.PointsTo != "new" {
		t.Fatalf("flip: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	newText := l.side("new", "192.0.2.10")
	newText.Text += gone

	// After the planned flip the new provider down fails the sync: the
	// usual order, each failure stopping.
	l.new.Stop()
	if o := sync(); o.code != exitError || o.outputs["result"] != "error" {
		t.Errorf("sync with the new provider down after a planned flip: exit %d, outputs %v\n%s", o.code, o.outputs, o.summary)
	}

	code, rep, stderr = l.run(t, cfg, "rollback", "--emergency", "--watch", "1s")
	if code != exitOK || !rep.Emergency || rep.Delegation.PointsTo != "old" {
		t.Fatalf("emergency rollback: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	// The parent's NS TTL here is 4 s; at .com it is two days: the
	// rollback's record says the new delegation is cached for another hour.
	l.cacheLastMove(t, "rollback")

	// During the outage git loses "gone" and gains "added". The new
	// provider is still down: the old side is synced, the new one is a
	// warning, and the sync passes.
	const added = "added IN A 192.0.2.77\n"
	l.writeGitExtra(t, added)
	o := sync()
	if o.code != exitOK || o.outputs["result"] != "ok" || o.outputs["warnings"] == "0" {
		t.Errorf("sync with the new provider still down after the emergency rollback: exit %d, outputs %v\n%s\n%s", o.code, o.outputs, o.summary, o.stderr)
	}
	wantIn(t, "sync summary", o.summary, "| push old | ✅", "| push new | ⏭️", "new provider still down: not synced; will be retried on the next scheduled sync",
		"emergency rollback", "push --provider new --zone example.test.", "the new provider is still down after the emergency rollback", "a flip waits for it", "| parity | ⏭️")
	if strings.Contains(o.summary, "emergency flip") {
		t.Errorf("the sync summary names the emergency flip, not the rollback:\n%s", o.summary)
	}
	outageSynced(t, l.old.Addr, "old")
	// The old side alone, named (args: --provider old): parity, which
	// needs the new side, is skipped, saying so.
	e.env["INPUT_ARGS"] = "--provider old"
	o = sync()
	delete(e.env, "INPUT_ARGS")
	if o.code != exitOK || o.outputs["result"] != "ok" {
		t.Errorf("sync --provider old with the new provider down: exit %d, outputs %v\n%s\n%s", o.code, o.outputs, o.summary, o.stderr)
	}
	wantIn(t, "sync --provider old summary", o.summary, "| push old | ✅", "| parity | ⏭️ not run: the new provider was skipped &#40;it is brought back in sync before a flip&#41;")
	code, out := l.runCmd(t, "push", "--config", cfg, "--format", "json")
	if code != exitOK {
		t.Errorf("push with the new provider still down after the emergency rollback: exit %d\n%s", code, out)
	}
	wantIn(t, "push", out, `"not_synced": "zone example.test.: new provider still down: not synced; will be retried on the next scheduled sync`)
	// By name, the deprecated --old-if-up means --if-up.
	for _, flag := range []string{"--if-up", "--old-if-up"} {
		if code, out := l.runCmd(t, "push", "--config", cfg, "--provider", "new", flag); code != exitOK || !strings.Contains(out, "new provider still down: not synced") {
			t.Errorf("push --provider new %s with the new provider down: exit %d\n%s", flag, code, out)
		}
	}
	if code, _ := l.runCmd(t, "push", "--config", cfg, "--provider", "new"); code != exitError {
		t.Errorf("push --provider new (no --if-up) with the new provider down: exit %d, want 2", code)
	}

	// The new provider is back with what it held before the outage,
	// while its delegation may still be cached: status says so.
	l.new = lab.Knot(t, lab.Options{IP: l.newIP, TSIG: coKey, AllowUpdate: true, Zones: []lab.Zone{newText}})
	if _, rep, _ = l.run(t, cfg, "status"); !answersAgain(rep) {
		t.Errorf("status with the new provider back and stale: errors %q", rep.Errors)
	}
	// The next sync brings it up to date, then proves parity.
	o = sync()
	if o.code != exitOK || o.outputs["result"] != "ok" {
		t.Errorf("sync with the new provider back: exit %d, outputs %v\n%s\n%s", o.code, o.outputs, o.summary, o.stderr)
	}
	wantIn(t, "sync summary", o.summary, "| push old | ✅", "| push new | ✅", "| parity | ✅")
	outageSynced(t, l.new.Addr, "new")
	if _, rep, _ = l.run(t, cfg, "status"); answersAgain(rep) {
		t.Errorf("status after the sync brought the new side up to date: errors %q", rep.Errors)
	}
}
