package main

import (
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestCutoverFinishRecordedSecondaryLab (issue 16, item 4, with another
// delegation): the old side was the configured ns1.old plus a secondary
// the config does not list, ns.secondary.test. (its own address, fed by
// the old provider), and the flip was made --from-current, so the trail
// records both as the old side's delegation. That secondary is a server
// of the old side: once the old provider is gone it serves the zone until
// it expires, then fails. finish must not call the old provider safe to
// decommission while the new side's apex NS (which resolvers trust over
// the referral, RFC 2181 §5.4.1) still names it; with it gone, finish
// passes.
func TestCutoverFinishRecordedSecondaryLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.prestaged(t)
	// The secondary is fed by the old provider: the same copy, at the
	// same serial (one at another serial is another copy, whose names
	// beyond git old-complete cannot see: the flip refuses it).
	l.reloadSide(t, "old", "")
	secIP := lab.Addr(t)
	sec := lab.Knot(t, lab.Options{IP: secIP, TSIG: coKey, Zones: []lab.Zone{l.side("old", "192.0.2.10")}})
	l.parentUpdate(t, nil, "example.test. 4 IN NS ns.secondary.test.", "ns.secondary.test. 4 IN A "+secIP)

	code, rep, stderr := l.run(t, cfg, "flip", "--from-current", "--watch", "1s")
	if code != exitOK || rep.Delegation.PointsTo != "new" {
		t.Fatalf("flip --from-current: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	if got := strings.Join(rep.Change.Before.NS, " "); got != "ns.secondary.test. ns1.old.example.test." {
		t.Fatalf("the flip recorded %q as the old delegation", got)
	}
	l.overlap = "2s"
	l.writeConfig(t, cfg, nil)
	time.Sleep(time.Until(rep.Change.At.Add(2*time.Second + 100*time.Millisecond)))
	// finish also waits for the last cached copy of the old delegation.
	time.Sleep(time.Until(rep.Watch.OldDelegationExpires.Add(100 * time.Millisecond)))

	// git and the old provider name the new server only, as finish asks;
	// the new side's apex NS still lists the old side's secondary.
	l.apexNS, l.serial = "ns1.new.example.test.", l.serial+1
	l.writeGit(t)
	l.reloadOld(t, "192.0.2.10")
	// The secondary takes the old provider's change too: finish asks it
	// (the recorded delegation's ns.secondary.test., resolved), and its
	// apex NS naming ns1.old would refuse finish on its own.
	sec.Reload(t, l.side("old", "192.0.2.10"))
	l.serial++
	withSecondary := l.side("new", "192.0.2.10")
	withSecondary.Text += "@        IN NS   ns.secondary.test.\n"
	l.new.Reload(t, withSecondary)
	before := l.parentText(t)
	code, rep, stderr = l.run(t, cfg, "finish")
	l.wantRefused(t, "finish while the new apex NS names the old side's recorded secondary", code, rep, stderr, before, cutover.GateOldUnreferenced)
	if c := failedCheck(gateOf(rep, cutover.GateOldUnreferenced), cutover.CheckApexNS, l.new.Addr); c == nil || !strings.Contains(c.Detail, "ns.secondary.test.") {
		t.Errorf("old-unreferenced should fail apex-ns at the new server, naming ns.secondary.test.: %+v", gateOf(rep, cutover.GateOldUnreferenced))
	}
	if strings.Contains(strings.Join(rep.Actions, " "), "safe to decommission") {
		t.Errorf("a refused finish calls the old provider safe to decommission: %v", rep.Actions)
	}

	// The new side names its own server only: finish passes, once the
	// NS set the old side served naming itself until the refused finish
	// saw it gone has expired (its TTL).
	time.Sleep(time.Duration(l.ttl)*time.Second + 200*time.Millisecond)
	l.serial++
	l.new.Reload(t, l.side("new", "192.0.2.10"))
	code, rep, stderr = l.run(t, cfg, "finish")
	if code != exitOK || rep.Stage != cutover.StageFinished {
		t.Fatalf("finish: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
}
