package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cutover"
)

// runCmd runs a command in-process with the lab's environment.
func (l *coLab) runCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errs bytes.Buffer
	a := &app{stdout: &out, stderr: &errs, getenv: func(k string) string { return l.env[k] }}
	code := a.main(context.Background(), args)
	return code, out.String() + errs.String()
}

// apexTTLs asks a server the apex SOA and NS: their TTLs and the SOA
// minimum as served.
func apexTTLs(t *testing.T, ip string) (soaTTL, minimum, nsTTL uint32) {
	t.Helper()
	for _, qt := range []uint16{dns.TypeSOA, dns.TypeNS} {
		m := new(dns.Msg)
		m.SetQuestion(coOrigin, qt)
		r, err := dns.Exchange(m, net.JoinHostPort(ip, "53"))
		if err != nil || len(r.Answer) == 0 {
			t.Fatalf("%s %s at %s: %v %v", coOrigin, dns.Type(qt), ip, r, err)
		}
		switch rr := r.Answer[0].(type) {
		case *dns.SOA:
			soaTTL, minimum = rr.Hdr.Ttl, rr.Minttl
		case *dns.NS:
			nsTTL = rr.Hdr.Ttl
		}
	}
	return
}

// TestPrestageByPush: the planned way to pre-stage, with no hand edit:
// `ttl --cap` on the zone file, `push` to both providers (PowerDNS API old,
// Knot by RFC 2136 new); the apex SOA TTL and minimum and the apex NS TTL
// are then the cap at both, a second plan is empty, and the cutover's
// ttl-prestaged gate passes.
func TestPrestageByPush(t *testing.T) {
	l := newCoLab(t)
	code, rep, stderr := l.run(t, l.cfgPath, "status")
	if g := gateOf(rep, cutover.GateTTLPrestaged); code != exitOK || g == nil || g.OK {
		t.Fatalf("status before: exit %d, ttl-prestaged %+v\n%s", code, g, stderr)
	} else if !strings.Contains(g.Detail, fmt.Sprintf("example.test. SOA %d s", coHighTTL)) || !strings.Contains(strings.Join(g.Plan, "\n"), "apex SOA and NS: push sets") {
		t.Errorf("ttl-prestaged does not name the apex SOA or say what to do: %+v", g)
	}
	if code, out := l.runCmd(t, "ttl", "--cap", fmt.Sprint(coPrestage), l.zonePath); code != exitOK {
		t.Fatalf("ttl --cap: exit %d\n%s", code, out)
	}
	code, out := l.runCmd(t, "plan", "--config", l.cfgPath, "--provider", "old", "--provider", "new")
	if code != exitOK || !strings.Contains(out, fmt.Sprintf("apex SOA: TTL %d → %d", coHighTTL, coPrestage)) || !strings.Contains(out, fmt.Sprintf("apex NS: TTL %d → %d", coHighTTL, coPrestage)) {
		t.Fatalf("plan: exit %d, want the apex SOA and NS TTL changes explained\n%s", code, out)
	}
	if code, out := l.runCmd(t, "push", "--config", l.cfgPath, "--provider", "old", "--provider", "new"); code != exitOK {
		t.Fatalf("push: exit %d\n%s", code, out)
	}
	for side, ip := range map[string]string{"old": l.oldIP, "new": l.newIP} {
		if s, m, n := apexTTLs(t, ip); s != coPrestage || m != coPrestage || n != coPrestage {
			t.Errorf("%s serves the apex SOA TTL %d minimum %d, NS TTL %d; want all %d", side, s, m, n, coPrestage)
		}
	}
	if code, out := l.runCmd(t, "plan", "--config", l.cfgPath, "--provider", "old", "--provider", "new", "--detect-drift"); code != exitOK {
		t.Errorf("second plan not empty: exit %d\n%s", code, out)
	}
	code, rep, stderr = l.run(t, l.cfgPath, "status")
	if g := gateOf(rep, cutover.GateTTLPrestaged); code != exitOK || g == nil || !g.OK {
		t.Errorf("status after ttl --cap + push: exit %d, ttl-prestaged %+v\n%s", code, g, stderr)
	}
	if g := gateOf(rep, cutover.GateDrift); g == nil || !g.OK {
		t.Errorf("drift after push: %+v", g)
	}
}
