package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// The holes of issue 15, each replayed on the lab of TestCutoverLab: the
// parent test. on BIND, example.test. on PowerDNS (old) and Knot (new),
// two Unbound resolvers.

// prestaged brings git and both sides to the cap and writes the trail a
// status run would have: the TTLs seen at coHighTTL two hours ago and at
// the cap since an hour ago, so ttl-expired passes and a flip's other gates
// are what the test is about.
func (l *coLab) prestaged(t *testing.T) {
	t.Helper()
	l.ttl, l.serial = coPrestage, l.serial+1
	l.writeGit(t)
	l.reloadSide(t, "old", "")
	l.reloadSide(t, "new", "")
	path := l.trailPath()
	tr, err := cutover.ReadTrail(path, coOrigin)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, e := range []cutover.Entry{
		{Time: now.Add(-2 * time.Hour), Actor: "tester", Command: "status", Result: cutover.ResultObserved, TTL: &cutover.TTLs{OldMax: coHighTTL, NewMax: coHighTTL}},
		{Time: now.Add(-time.Hour), Actor: "tester", Command: "status", Result: cutover.ResultObserved, TTL: &cutover.TTLs{OldMax: coPrestage, NewMax: coPrestage}},
	} {
		if err := tr.Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
}

func (l *coLab) trailPath() string { return filepath.Join(l.dir, "state", "example.test.json") }

// reloadSide makes one side serve git's zone (its own apex SOA and NS)
// plus extra lines, with a new serial.
func (l *coLab) reloadSide(t *testing.T, side, extra string) {
	t.Helper()
	l.serial++
	z := l.side(side, "192.0.2.10")
	z.Text += extra
	if side == "old" {
		l.old.Reload(t, z)
	} else {
		l.new.Reload(t, z)
	}
}

// editConfig rewrites the lab's config with old replaced by new.
func (l *coLab) editConfig(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCutoverCompleteLab (hole 1): a record someone added at the old
// provider only (not in git) would vanish at the flip; one added at the
// new provider only would vanish at a rollback. The gates old-complete
// and new-complete list the side and refuse, naming the RRset and
// offering `dnsparity import`; with parity.axfr the cutover's parity gate
// asks exactly what `dnsparity parity` asks (one function builds the
// options), so it finds the record too.
func TestCutoverCompleteLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.editConfig(t, cfg, "parity:\n", "parity:\n  axfr: true\n")
	l.prestaged(t)
	before := l.parentText(t)

	// Control: every gate passes.
	code, rep, stderr := l.run(t, cfg, "flip", "--dry-run")
	if code != exitOK {
		t.Fatalf("flip --dry-run before the edit: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}

	// Someone adds legacy-vpn at the old provider only.
	l.reloadSide(t, "old", "legacy-vpn IN A 192.0.2.200\n")
	if code, _ := l.runCmd(t, "parity", "--config", cfg); code != exitProblem {
		t.Errorf("dnsparity parity with a record on old only: exit %d, want 1", code)
	}
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip with a record on the old side only", code, rep, stderr, before, cutover.GateOldComplete, cutover.GateParity)
	if g := gateOf(rep, cutover.GateOldComplete); g == nil || !strings.Contains(g.Detail, "legacy-vpn.example.test. A") ||
		!strings.Contains(strings.Join(g.Plan, " "), "dnsparity import --provider old --zone example.test.") {
		t.Errorf("old-complete should name legacy-vpn.example.test. A and offer import: %+v", g)
	}
	if g := gateOf(rep, cutover.GateParity); g == nil || !strings.Contains(g.Detail, "legacy-vpn.example.test.") {
		t.Errorf("the parity gate (parity.axfr) should find legacy-vpn too: %+v", g)
	}

	// Removed again: the flip goes through.
	l.reloadSide(t, "old", "")
	code, rep, stderr = l.run(t, cfg, "flip", "--watch", "1s")
	if code != exitOK || rep.Delegation.PointsTo != "new" {
		t.Fatalf("flip: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	if g := gateOf(rep, cutover.GateOldComplete); g == nil || !g.OK {
		t.Errorf("old-complete after the removal: %+v", g)
	}

	// The mirror: a record added at the new provider only, by UPDATE.
	before = l.parentText(t)
	l.reloadSide(t, "new", "added-on-new IN TXT \"only here\"\n")
	code, rep, stderr = l.run(t, cfg, "rollback", "--dry-run")
	l.wantRefused(t, "rollback with a record on the new side only", code, rep, stderr, before, cutover.GateNewComplete, cutover.GateOldParity)
	if g := gateOf(rep, cutover.GateNewComplete); g == nil || !strings.Contains(g.Detail, "added-on-new.example.test. TXT") ||
		!strings.Contains(strings.Join(g.Plan, " "), "dnsparity import --provider new --zone example.test.") {
		t.Errorf("new-complete should name added-on-new.example.test. TXT and offer import: %+v", g)
	}
	l.reloadSide(t, "new", "")
	code, rep, stderr = l.run(t, cfg, "rollback", "--watch", "1s")
	if code != exitOK || rep.Delegation.PointsTo != "old" {
		t.Fatalf("rollback: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
}

// parentUpdate changes the parent zone test. by RFC 2136 UPDATE, as a
// registrar (or someone at it) would: remove the RRsets named in del
// ("name type"), then add the records of add.
func (l *coLab) parentUpdate(t *testing.T, del []string, add ...string) {
	t.Helper()
	m := new(dns.Msg)
	m.SetUpdate("test.")
	for _, d := range del {
		name, typ, _ := strings.Cut(d, " ")
		m.RemoveRRset([]dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: name, Rrtype: dns.StringToType[typ], Class: dns.ClassANY}}})
	}
	for _, a := range add {
		rr, err := dns.NewRR(a)
		if err != nil {
			t.Fatal(err)
		}
		m.Insert([]dns.RR{rr})
	}
	m.SetTsig(coKey.Name, dns.HmacSHA256, 300, time.Now().Unix())
	c := &dns.Client{Net: "tcp", TsigSecret: map[string]string{coKey.Name: coKey.Secret}, Timeout: 5 * time.Second}
	r, _, err := c.Exchange(m, l.parent.Addr)
	if err != nil || r.Rcode != dns.RcodeSuccess {
		t.Fatalf("parent UPDATE: %v %v", r, err)
	}
}

// delegationText is the parent zone without its SOA (whose serial every
// change bumps): the delegation, its glue and everything else.
func (l *coLab) delegationText(t *testing.T) string {
	t.Helper()
	var keep []string
	for _, line := range strings.Split(l.parentText(t), "\n") {
		if !strings.Contains(line, "\tSOA\t") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// TestCutoverDelegationLab (hole 2): a flip starts only from the
// delegation a rollback can restore. The old provider has a second server,
// ns2.old (the old server's IPv4 address, and an IPv6 address this machine
// has no route to, as a runner without IPv6 has none), listed in git's and
// the old side's apex NS with its A and AAAA, and at the parent with glue;
// the config names only ns1.old. The flip is refused (points-to-old), as
// it is from a third party's NS, until --from-current records the actual
// set. A rollback is refused when the parent no longer delegates exactly
// to the new side (points-to-new), and when the recorded set no longer
// works (the old side dropped ns2.old from its apex NS: delegation,
// child-ns); otherwise it restores exactly that NS set and glue, its
// delegation gate passing with the IPv6 server not checked from here, and
// the next flip starts from it without --from-current.
func TestCutoverDelegationLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.secondary = lab.Unroutable(t)
	l.prestaged(t)
	l.parentUpdate(t, nil, "example.test. 4 IN NS ns2.old.example.test.", "ns2.old.example.test. 4 IN A "+l.oldIP, "ns2.old.example.test. 4 IN AAAA "+l.secondary)
	before := l.parentText(t)
	deleg := l.delegationText(t)
	if !strings.Contains(deleg, "ns2.old.example.test.\t4\tIN\tAAAA\t"+l.secondary) {
		t.Fatalf("the parent lacks the secondary's glue:\n%s", deleg)
	}

	code, rep, stderr := l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip from old plus an unlisted secondary", code, rep, stderr, before, cutover.GatePointsToOld)
	if g := gateOf(rep, cutover.GatePointsToOld); g == nil || !strings.Contains(g.Detail, "ns2.old.example.test.") || !strings.Contains(strings.Join(g.Plan, " "), "--from-current") {
		t.Errorf("points-to-old should name the unexpected NS and offer --from-current: %+v", g)
	}

	// A third party's NS: refused too.
	l.parentUpdate(t, []string{"example.test. NS"}, "example.test. 4 IN NS ns.third-party.example.")
	third := l.parentText(t)
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip from a third party's NS", code, rep, stderr, third, cutover.GatePointsToOld)
	l.parentUpdate(t, []string{"example.test. NS"}, "example.test. 4 IN NS ns1.old.example.test.", "example.test. 4 IN NS ns2.old.example.test.")
	if got := l.delegationText(t); got != deleg {
		t.Fatalf("the test could not restore the parent:\n%s\n---\n%s", got, deleg)
	}

	// --from-current: the actual set is the one to restore.
	code, rep, stderr = l.run(t, cfg, "flip", "--from-current", "--watch", "1s")
	if code != exitOK || rep.Delegation.PointsTo != "new" {
		t.Fatalf("flip --from-current: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	if g := gateOf(rep, cutover.GatePointsToOld); g == nil || !g.OK || !strings.Contains(g.Detail, "--from-current") {
		t.Errorf("points-to-old with --from-current: %+v", g)
	}
	if got := l.parentNS(t); got != "ns1.new.example.test." {
		t.Errorf("parent NS after the flip: %q", got)
	}

	// points-to-new: someone added an NS at the parent after the flip.
	l.parentUpdate(t, nil, "example.test. 4 IN NS ns9.elsewhere.example.")
	changed := l.parentText(t)
	code, rep, stderr = l.run(t, cfg, "rollback", "--dry-run")
	l.wantRefused(t, "rollback from a delegation that is not the new side's", code, rep, stderr, changed, cutover.GatePointsToNew)
	if g := gateOf(rep, cutover.GatePointsToNew); g == nil || !strings.Contains(g.Detail, "ns9.elsewhere.example.") {
		t.Errorf("points-to-new should name the unexpected NS: %+v", g)
	}
	l.parentUpdate(t, []string{"example.test. NS"}, "example.test. 4 IN NS ns1.new.example.test.")

	// The recorded set no longer works: the old provider dropped ns2.old
	// from its apex NS while the new side served. Resolvers would take
	// the child's NS set over the referral, and a registry that checks
	// delegations (DENIC, Afnic) would refuse the change: refused, the
	// parent untouched, the recorded set and the fix named.
	flipped := l.parentText(t)
	l.serial++
	dropped := l.side("old", "192.0.2.10")
	dropped.Text = strings.Replace(dropped.Text, "@        IN NS   ns2.old.example.test.\n", "", 1)
	l.old.Reload(t, dropped)
	code, rep, stderr = l.run(t, cfg, "rollback", "--dry-run")
	l.wantRefused(t, "rollback to a recorded set the old side no longer serves", code, rep, stderr, flipped, cutover.GateDelegation)
	g := gateOf(rep, cutover.GateDelegation)
	if c := failedCheck(g, delegation.CheckChildNS, l.oldIP+":53"); c == nil || !strings.Contains(c.Got, "ns1.old.example.test.") || strings.Contains(c.Got, "ns2.old") ||
		c.Expected != "ns1.old.example.test. ns2.old.example.test." {
		t.Errorf("the delegation gate should fail child-ns at the old server (serves ns1.old only, the rollback installs ns1.old and ns2.old): %+v", g)
	}
	t.Logf("the refused rollback's delegation gate: %s; plan: %v", g.Detail, g.Plan)
	if g != nil && !strings.Contains(strings.Join(g.Plan, " "), "recorded before the last flip (NS ns1.old.example.test. ns2.old.example.test.)") {
		t.Errorf("the plan should name the recorded set the rollback restores: %v", g.Plan)
	}
	l.reloadSide(t, "old", "")

	// The rollback restores the NS set and glue (A and AAAA) exactly; its
	// delegation gate checks that set and leaves the server this machine
	// cannot reach out, saying so.
	code, rep, stderr = l.run(t, cfg, "rollback", "--watch", "1s")
	if code != exitOK {
		t.Fatalf("rollback: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	if got := l.delegationText(t); got != deleg {
		t.Errorf("the rollback did not restore the delegation exactly:\n%s\n--- before the flip ---\n%s", got, deleg)
	}
	v6 := "[" + l.secondary + "]:53"
	g = gateOf(rep, cutover.GateDelegation)
	if g == nil || !g.OK || g.Side != "old" || !strings.Contains(g.Detail, "not checked from here") || !strings.Contains(g.Detail, v6) || !strings.Contains(g.Detail, "network is unreachable") {
		t.Fatalf("the rollback's delegation gate should pass on the recorded set, naming %s as not checked from here: %+v", v6, g)
	}
	t.Logf("the rollback's delegation gate: %s", g.Detail)
	for _, c := range g.Checks {
		switch {
		case c.Server == v6 && (c.OK || c.Severity != delegation.SevNotChecked):
			t.Errorf("%s at %s: ok %v severity %s, want not-checked", c.Name, c.Server, c.OK, c.Severity)
		case c.Server != v6 && !c.OK && !c.Accepted:
			t.Errorf("%s at %s fails: %s", c.Name, c.Server, c.Detail)
		}
	}
	for _, name := range []string{delegation.CheckChildNS, delegation.CheckAA, delegation.CheckTCP} {
		if c := checkAt(g, name, l.oldIP+":53"); c == nil || !c.OK {
			t.Errorf("%s at the old server should pass: %+v", name, c)
		}
	}
	if c := checkAt(g, delegation.CheckGlue, "ns2.old.example.test."); c == nil || !c.OK || c.Got != l.oldIP+" "+l.secondary {
		t.Errorf("glue of ns2.old (A and AAAA, as the old side serves them): %+v", c)
	}

	// The next flip starts from the recorded set, without --from-current.
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	if code != exitOK {
		t.Errorf("flip --dry-run from the restored delegation: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
}

// checkAt is the gate's check name at server, nil when it has none.
func checkAt(g *cutover.Gate, name, server string) *delegation.Check {
	if g == nil {
		return nil
	}
	for i, c := range g.Checks {
		if c.Name == name && c.Server == server {
			return &g.Checks[i]
		}
	}
	return nil
}

// failedCheck is checkAt when that check failed (and refuses the step).
func failedCheck(g *cutover.Gate, name, server string) *delegation.Check {
	if c := checkAt(g, name, server); c != nil && !c.OK && !c.Accepted && c.Severity != delegation.SevNotChecked {
		return c
	}
	return nil
}

// TestCutoverCheckLab (hole 4): the cutover runs the checks of `dnsparity
// check` on the zone file (an empty file has no SOA and no NS) and stops
// on an error (exit 1, as push does for an invalid zone; status, which only
// reports, 2), naming the problems, the parent untouched; a NaN or negative policy value is a
// config error naming the file, line and key, not a guard switched off.
func TestCutoverCheckLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.prestaged(t)
	before := l.parentText(t)

	if err := os.WriteFile(l.zonePath, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"flip", "rollback", "finish", "status"} {
		code, out := l.runCmd(t, step, "--zone", coOrigin, "--config", cfg)
		want := exitProblem
		if step == "status" {
			want = exitError
		}
		if code != want || !strings.Contains(out, "no SOA") || !strings.Contains(out, "fix them first") {
			t.Errorf("%s with an empty zone file: exit %d, want %d naming the zone's errors:\n%s", step, code, want, out)
		}
	}
	if after := l.parentText(t); after != before {
		t.Errorf("the parent changed")
	}
	l.writeGit(t)

	for _, bad := range []struct{ old, new, key string }{
		{"  overlap: 1h\n", "  overlap: -7d\n", "policy.overlap: -7d is negative"},
		{"policy:\n", "policy:\n  max_change_percent: .nan\n", "policy.max_change_percent: NaN"},
		{"  watch: 30s\n", "  watch: -30s\n", "cutover.watch: -30s is negative"},
	} {
		path := filepath.Join(l.dir, "bad.yaml")
		b, _ := os.ReadFile(cfg)
		text := strings.Replace(string(b), bad.old, bad.new, 1)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		line := 0
		for i, s := range strings.Split(text, "\n") {
			if s+"\n" == strings.Split(bad.new, "\n")[len(strings.Split(bad.new, "\n"))-2]+"\n" {
				line = i + 1
			}
		}
		for _, step := range []string{"finish", "flip"} {
			code, out := l.runCmd(t, step, "--zone", coOrigin, "--config", path)
			if want := fmt.Sprintf("%s:%d: %s", path, line, bad.key); code != exitError || !strings.Contains(out, want) {
				t.Errorf("%s with %q: exit %d, want 2 and %q:\n%s", step, strings.TrimSpace(bad.new), code, want, out)
			}
		}
	}
}

// TestCutoverLockLab (hole 5): two steps on one zone never run at once.
// Two dry-run flips started together both pass and the trail keeps both
// (the second waited for the first, then read the trail again); a step
// that finds the zone's lock held past cutover.lock_wait exits 2 naming
// the holder (command, actor, pid, host, since when).
func TestCutoverLockLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.prestaged(t)
	tr, err := cutover.ReadTrail(l.trailPath(), coOrigin)
	if err != nil {
		t.Fatal(err)
	}
	n := len(tr.Entries)

	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = l.runCmd(t, "flip", "--dry-run", "--zone", coOrigin, "--config", cfg)
		}()
	}
	wg.Wait()
	tr, err = cutover.ReadTrail(l.trailPath(), coOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if codes[0] != exitOK || codes[1] != exitOK || len(tr.Entries) != n+2 {
		t.Errorf("two dry-run flips at once: exits %v, trail %d → %d entries (want both 0, and both entries kept)", codes, n, len(tr.Entries))
	}

	// Another step holds the zone (a flip watching its resolvers).
	unlock, err := cutover.LockZone(context.Background(), l.trailPath(), coOrigin, cutover.Holder{Command: "flip", Actor: "alice"}, time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	host, _ := os.Hostname()
	l.editConfig(t, cfg, "  watch: 30s\n", "  watch: 30s\n  lock_wait: 300ms\n")
	start := time.Now()
	code, rep, stderr := l.run(t, cfg, "flip")
	if code != exitError || len(rep.Errors) == 0 || time.Since(start) > 20*time.Second {
		t.Fatalf("flip while another step holds the zone: exit %d after %s, errors %v\n%s", code, time.Since(start), rep.Errors, stderr)
	}
	for _, w := range []string{"flip by alice", fmt.Sprintf("pid %d", os.Getpid()), "on host " + host, "since 20", "cutover.lock_wait"} {
		if !strings.Contains(rep.Errors[0], w) {
			t.Errorf("the error should name the holder (%q): %s", w, rep.Errors[0])
		}
	}
	if len(rep.Gates) != 0 {
		t.Errorf("gates checked without the lock: %+v", rep.Gates)
	}
	unlock()
	if code, _, stderr := l.run(t, cfg, "flip", "--dry-run"); code != exitOK {
		t.Errorf("flip --dry-run once the lock is free: exit %d\n%s", code, stderr)
	}
}

// TestCutoverServedTTLLab (hole 3): the TTL gates count the apex SOA and
// NS TTLs the servers serve, not only what the provider's API lists: one
// of the old provider's servers lags behind (a secondary still serving the
// zone at the TTL before pre-staging) while the API lists the capped zone.
func TestCutoverServedTTLLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.prestaged(t)
	stale := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: coOrigin, Text: childZone("old", coHighTTL, l.serial-3, l.oldIP, l.newIP, "192.0.2.10")}}})
	l.parentUpdate(t, nil, "ns1.old.example.test. 4 IN A "+stale.IP)
	l.editConfig(t, cfg, "    nameservers: ["+l.oldIP+"]\n", "    nameservers: ["+l.oldIP+", "+stale.IP+"]\n")
	before := l.parentText(t)

	code, rep, stderr := l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip while an old server serves the apex at the old TTL", code, rep, stderr, before, cutover.GateTTLPrestaged)
	if g := gateOf(rep, cutover.GateTTLPrestaged); g == nil || !strings.Contains(g.Detail, fmt.Sprintf("old %d s", coHighTTL)) || !strings.Contains(g.Detail, "as served") {
		t.Errorf("ttl-prestaged should count the served apex TTL: %+v", g)
	}
	if rep.TTL == nil || rep.TTL.OldMax != coHighTTL {
		t.Errorf("ttl: %+v", rep.TTL)
	}

	// The secondary catches up: the refusal recorded what it served, so
	// the flip now waits out that TTL from this first observation at the
	// cap, then may go.
	stale.Reload(t, l.side("old", "192.0.2.10"))
	caughtUp := time.Now()
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip right after the secondary caught up", code, rep, stderr, before, cutover.GateTTLExpired)
	if g := gateOf(rep, cutover.GateTTLExpired); g == nil || !strings.Contains(g.Detail, fmt.Sprintf("previous maximum TTL %d s", coHighTTL)) {
		t.Errorf("ttl-expired should wait the served TTL: %+v", g)
	}
	if g := gateOf(rep, cutover.GateTTLPrestaged); g == nil || !g.OK {
		t.Errorf("ttl-prestaged once the secondary caught up: %+v", g)
	}
	time.Sleep(time.Until(caughtUp.Add(coHighTTL*time.Second + time.Second)))
	if code, rep, stderr := l.run(t, cfg, "flip", "--dry-run"); code != exitOK {
		t.Errorf("flip --dry-run once the served TTL has passed: exit %d gates %+v\n%s", code, rep.Gates, stderr)
	}
}

// TestCutoverPushedTTLLab (hole 3): `dnsparity push` records per side the
// largest TTL it sent (and replaced), and ttl-expired counts it: a record
// pushed at a day and capped again a minute later keeps the flip waiting
// a day, though no status run ever saw it.
func TestCutoverPushedTTLLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.prestaged(t)
	if code, rep, stderr := l.run(t, cfg, "flip", "--dry-run"); code != exitOK {
		t.Fatalf("flip --dry-run before: exit %d gates %+v\n%s", code, rep.Gates, stderr)
	}
	before := l.parentText(t)

	l.writeGitExtra(t, "longlived 86400 IN A 192.0.2.88\n")
	if code, out := l.runCmd(t, "push", "--config", cfg); code != exitOK {
		t.Fatalf("push of a record at a day: exit %d\n%s", code, out)
	}
	l.writeGitExtra(t, "longlived IN A 192.0.2.88\n")
	if code, out := l.runCmd(t, "push", "--config", cfg); code != exitOK {
		t.Fatalf("push capping it again: exit %d\n%s", code, out)
	}
	tr, err := cutover.ReadTrail(l.trailPath(), coOrigin)
	if err != nil {
		t.Fatal(err)
	}
	var pushes []string
	for _, e := range tr.Entries {
		if e.Command == "push" {
			pushes = append(pushes, fmt.Sprintf("old %s new %s", pushedTTLs(e.Pushed["old"]), pushedTTLs(e.Pushed["new"])))
		}
	}
	want := []string{"old {MaxTTL:86400 ReplacedTTL:0} new {MaxTTL:86400 ReplacedTTL:0}", fmt.Sprintf("old {MaxTTL:%[1]d ReplacedTTL:86400} new {MaxTTL:%[1]d ReplacedTTL:86400}", coPrestage)}
	if strings.Join(pushes, "; ") != strings.Join(want, "; ") {
		t.Errorf("pushes in the trail: %v, want %v", pushes, want)
	}
	code, rep, stderr := l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip a minute after a record was pushed at a day", code, rep, stderr, before, cutover.GateTTLExpired)
	if g := gateOf(rep, cutover.GateTTLExpired); g == nil || !strings.Contains(g.Detail, "previous maximum TTL 86400 s") {
		t.Errorf("ttl-expired should wait the pushed TTL: %+v", g)
	}
	if g := gateOf(rep, cutover.GateTTLPrestaged); g == nil || !g.OK {
		t.Errorf("ttl-prestaged: %+v", g)
	}
}

// pushedTTLs is the largest TTL a push sent and replaced, as
// {MaxTTL:N ReplacedTTL:M}.
func pushedTTLs(p cutover.Pushed) string {
	return fmt.Sprintf("{MaxTTL:%d ReplacedTTL:%d}", p.MaxTTL, p.ReplacedTTL)
}

// TestCutoverFreshZoneTTLLab: ttl-expired counts only what a resolver
// could have cached, a side's TTLs while the parent delegated to it. The
// new provider's zone is fresh, as a provider creates it (SOA and NS at
// its default TTL, 3600 s here; Route 53's NS: 172800 s), and a push
// replaces it before any resolver was sent there: the flip does not wait
// for those. Nor for a record pushed at a day to the new side only and
// capped again. The same record pushed at a day to the old side, which
// the parent delegates to, still holds the flip a day.
func TestCutoverFreshZoneTTLLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.prestaged(t)
	l.serial++
	l.new.Reload(t, lab.Zone{Origin: coOrigin, Text: fmt.Sprintf("$ORIGIN %s\n$TTL 3600\n@ IN SOA ns1.new.example.test. hostmaster.example.test. ( %d 10800 3600 604800 3600 )\n@ IN NS ns1.new.example.test.\n", coOrigin, l.serial)})
	if code, out := l.runCmd(t, "push", "--config", cfg, "--provider", "new"); code != exitOK {
		t.Fatalf("push filling the fresh zone: exit %d\n%s", code, out)
	}
	before := l.parentText(t)
	code, rep, stderr := l.run(t, cfg, "flip", "--dry-run")
	if g := gateOf(rep, cutover.GateTTLExpired); code != exitOK || g == nil || !g.OK || !strings.Contains(g.Detail, "previous maximum TTL 6 s") {
		t.Fatalf("flip --dry-run after the fresh new zone was filled: exit %d, ttl-expired %+v, want 0 (the old side's 6 s, long passed)\n%s", code, g, stderr)
	}
	tr, err := cutover.ReadTrail(l.trailPath(), coOrigin)
	if err != nil {
		t.Fatal(err)
	}
	var pushed string
	for _, e := range tr.Entries {
		if e.Command == "push" {
			pushed = pushedTTLs(e.Pushed["new"])
		}
	}
	if want := fmt.Sprintf("{MaxTTL:%d ReplacedTTL:3600}", coPrestage); pushed != want {
		t.Errorf("the push recorded %s for new, want %s (the fresh zone's defaults replaced)", pushed, want)
	}

	// A record at a day, pushed to the new side only, then capped.
	l.writeGitExtra(t, "longlived 86400 IN A 192.0.2.88\n")
	if code, out := l.runCmd(t, "push", "--config", cfg, "--provider", "new"); code != exitOK {
		t.Fatalf("push at a day to new: exit %d\n%s", code, out)
	}
	l.writeGitExtra(t, "longlived IN A 192.0.2.88\n")
	if code, out := l.runCmd(t, "push", "--config", cfg); code != exitOK {
		t.Fatalf("push capping it (and creating it at old): exit %d\n%s", code, out)
	}
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	if g := gateOf(rep, cutover.GateTTLExpired); code != exitOK || g == nil || !g.OK {
		t.Errorf("flip --dry-run after a day pushed to the new side only: exit %d, ttl-expired %+v, want 0\n%s", code, g, stderr)
	}

	// The same at the old side, which the parent delegates to.
	l.writeGitExtra(t, "longlived 86400 IN A 192.0.2.88\n")
	if code, out := l.runCmd(t, "push", "--config", cfg, "--provider", "old"); code != exitOK {
		t.Fatalf("push at a day to old: exit %d\n%s", code, out)
	}
	l.writeGitExtra(t, "longlived IN A 192.0.2.88\n")
	if code, out := l.runCmd(t, "push", "--config", cfg, "--provider", "old"); code != exitOK {
		t.Fatalf("push capping it at old: exit %d\n%s", code, out)
	}
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip a minute after a record was pushed at a day to the delegated side", code, rep, stderr, before, cutover.GateTTLExpired)
	if g := gateOf(rep, cutover.GateTTLExpired); g == nil || !strings.Contains(g.Detail, "previous maximum TTL 86400 s") {
		t.Errorf("ttl-expired should wait the day pushed to old: %+v", g)
	}
}

// TestPushCheckLab (hole 4): plan and push run the checks of `dnsparity
// check`: an empty zone file (no SOA, no NS) is refused with its problems,
// not planned as deleting every RRset, and push --force sends nothing.
func TestPushCheckLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	if err := os.WriteFile(l.zonePath, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := l.runCmd(t, "plan", "--config", cfg)
	if code != exitProblem || !strings.Contains(out, "no SOA") || strings.Contains(out, "delete") || strings.Contains(out, "\n- ") {
		t.Errorf("plan of an empty zone file: exit %d, want 1 with the check's problems and no deletes:\n%s", code, out)
	}
	code, out = l.runCmd(t, "push", "--force", "--config", cfg)
	if code != exitProblem || !strings.Contains(out, "nothing was planned or pushed") {
		t.Errorf("push --force of an empty zone file: exit %d, want 1:\n%s", code, out)
	}
	for _, addr := range []string{l.old.Addr, l.new.Addr} {
		if got := aRecord(t, addr, "www.example.test."); got != "192.0.2.10" {
			t.Errorf("%s lost www after a refused push: %q", addr, got)
		}
	}
}

// TestCutoverLockWaitSaysSoLab: a step that finds another step on the
// zone waits for it (cutover.lock_wait, a minute by default) and says so
// on stderr as it starts waiting, naming the holder: it waited in
// silence, and its report then printed "stage: " and "delegation at the
// parent: NS  (TTL 0 s)...", lines of a delegation it never read.
func TestCutoverLockWaitSaysSoLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	unlock, err := cutover.LockZone(context.Background(), l.trailPath(), coOrigin, cutover.Holder{Command: "flip", Actor: "alice"}, time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	l.editConfig(t, cfg, "  watch: 30s\n", "  watch: 30s\n  lock_wait: 300ms\n")
	var out, errs bytes.Buffer
	a := &app{stdout: &out, stderr: &errs, getenv: func(k string) string { return l.env[k] }}
	if code := a.main(context.Background(), []string{"flip", "--dry-run", "--zone", coOrigin, "--config", cfg}); code != exitError {
		t.Fatalf("flip --dry-run while another step holds the zone: exit %d, want 2\n%s%s", code, out.String(), errs.String())
	}
	if !strings.Contains(errs.String(), "waiting for it") || !strings.Contains(errs.String(), "flip by alice") {
		t.Errorf("stderr does not say the step waits, and for whom:\n%s", errs.String())
	}
	if strings.Contains(out.String(), "stage: \n") || strings.Contains(out.String(), "NS  (TTL 0 s)") || !strings.Contains(out.String(), "stage and delegation: not read") {
		t.Errorf("the report shows a delegation it never read:\n%s", out.String())
	}
}
