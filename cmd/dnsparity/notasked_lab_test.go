package main

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestNotAskedFromHereLab: a configured nameserver this machine has no
// route to (lab.Unroutable: an IPv6 address, as on a runner without IPv6)
// is "not asked from here" in every gate, and each gate decides what that
// means for it:
//   - parity (the command and the flip's gate) proves nothing about a
//     server it cannot ask: exit 2 / the gate unmet, saying so, unless
//     policy.delegation.ipv6: false leaves IPv6 out on purpose (then a
//     not-asked warning names it and parity holds for the others);
//   - new-authoritative names it and refuses nothing, as the delegation
//     gate does;
//   - old-down never passes on a server it could not ask, even with the
//     policy: an emergency flip skips parity.
func TestNotAskedFromHereLab(t *testing.T) {
	l := newCoLab(t)
	v6 := lab.Unroutable(t)
	v6addr := net.JoinHostPort(v6, "53")
	cfg := l.cfgPath
	l.writeConfig(t, cfg, []string{v6})
	l.extra = "ns1.new  IN AAAA " + v6 + "\n" // the glue of the new side's one name
	l.prestaged(t)
	before := l.parentText(t)

	code, out := l.runCmd(t, "parity", "--config", cfg)
	if code != exitError || !strings.Contains(out, "new server "+v6+" ("+v6addr+") not asked from here: no route from this machine") || !strings.Contains(out, "policy.delegation.ipv6: false") {
		t.Errorf("parity with an unroutable new server: exit %d, want 2 saying it is not asked from here:\n%s", code, out)
	}
	code, rep, stderr := l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip with an unroutable new server", code, rep, stderr, before, cutover.GateParity)
	if g := gateOf(rep, cutover.GateParity); !strings.Contains(g.Detail, "not asked from here") || !strings.Contains(strings.Join(g.Plan, " "), "policy.delegation.ipv6: false") {
		t.Errorf("parity gate %+v; want it unproven, the server not asked from here", g)
	}
	if g := gateOf(rep, cutover.GateNewAuthoritative); !g.OK || !strings.Contains(g.Detail, "not asked from here, refusing nothing: "+v6addr+" (no route from this machine") {
		t.Errorf("new-authoritative %+v; want it met, naming %s as not asked from here", g, v6addr)
	}

	// IPv6 left out on purpose: every gate leaves it out; the flip passes.
	noV6 := filepath.Join(l.dir, "nov6.yaml")
	l.writeConfig(t, noV6, []string{v6})
	l.editConfig(t, noV6, "  delegation: {min_ns: 1,", "  delegation: {ipv6: false, min_ns: 1,")
	code, out = l.runCmd(t, "parity", "--config", noV6)
	if code != exitOK || !strings.Contains(out, "not-asked") || !strings.Contains(out, v6addr+") not asked from here (IPv6 left out on purpose: policy.delegation.ipv6 is false)") {
		t.Errorf("parity with IPv6 left out: exit %d, want 0 with a not-asked warning naming %s:\n%s", code, v6addr, out)
	}
	if strings.Contains(out, "ERROR") {
		t.Errorf("parity with IPv6 left out: an error:\n%s", out)
	}
	code, rep, stderr = l.run(t, noV6, "flip", "--dry-run")
	if code != exitOK {
		for _, g := range rep.Gates {
			if !g.OK {
				t.Errorf("flip --dry-run with IPv6 left out on purpose: exit %d, gate %s unmet: %s", code, g.Name, g.Detail)
			}
		}
		t.Logf("stderr:\n%s", stderr)
	}
	if g := gateOf(rep, cutover.GateNewAuthoritative); g == nil || !strings.Contains(g.Detail, v6addr+" (IPv6 left out on purpose") {
		t.Errorf("new-authoritative %+v; want %s named as left out", g, v6addr)
	}

	// The emergency: the old side's second server cannot be asked.
	for _, path := range []string{cfg, noV6} {
		l.editConfig(t, path, fmt.Sprintf("    nameservers: [%s]\n    delegation: [ns1.old.", l.oldIP), fmt.Sprintf("    nameservers: [%s, %s]\n    delegation: [ns1.old.", l.oldIP, v6))
		l.editConfig(t, path, ", "+v6+"]\n    delegation: [ns1.new.", "]\n    delegation: [ns1.new.")
	}
	code, rep, stderr = l.run(t, cfg, "flip", "--emergency", "--dry-run")
	if g := gateOf(rep, cutover.GateOldDown); code != exitProblem || g == nil || g.OK || !strings.Contains(g.Detail, "still answer authoritatively") || !strings.Contains(g.Detail, "not asked from here") {
		t.Errorf("emergency with the old server up: exit %d, old-down %+v; want refused, naming the server not asked\n%s", code, g, stderr)
	}
	l.old.Stop()
	for _, path := range []string{cfg, noV6} {
		code, rep, stderr = l.run(t, path, "flip", "--emergency", "--dry-run")
		g := gateOf(rep, cutover.GateOldDown)
		if code != exitError || g == nil || g.OK || !strings.Contains(g.Detail, v6addr) || !strings.Contains(g.Detail, "not asked from here, so not seen down") {
			t.Errorf("%s: emergency with one old server down and one not asked: exit %d, old-down %+v; want 2, the gate unmet naming %s\n%s", filepath.Base(path), code, g, v6addr, stderr)
		}
		if after := l.parentText(t); after != before {
			t.Errorf("%s: the parent changed", filepath.Base(path))
		}
	}
}
