package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestCutoverServedRRsetTTLLab: ttl-prestaged judges the TTL every server
// serves for every RRset of the zone, not the apex alone. Git is
// pre-staged and pushed, both providers list every RRset at the cap, but
// the old side's second server (a Knot whose zone file keeps 3600 s for
// mail's A: a provider's minimum TTL, an override, a server the push did
// not reach) serves that one RRset longer; parity alone lets it through (a
// TTL difference is a warning). The flip is refused, naming mail A, its
// 3600 s and that server in the detail and the checks, and the parent is
// untouched. Once that server serves it at the cap, ttl-prestaged passes
// and ttl-expired waits out the 3600 s the refusal saw served.
func TestCutoverServedRRsetTTLLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.prestaged(t)
	long := l.side("old", "192.0.2.10")
	const low, high = "mail     IN A    192.0.2.25", "mail 3600 IN A    192.0.2.25"
	if !strings.Contains(long.Text, low) {
		t.Fatalf("the lab zone has no %q", low)
	}
	long.Text = strings.Replace(long.Text, low, high, 1)
	second := lab.Knot(t, lab.Options{Zones: []lab.Zone{long}})
	l.parentUpdate(t, nil, "ns1.old.example.test. 4 IN A "+second.IP)
	l.editConfig(t, cfg, "    nameservers: ["+l.oldIP+"]\n", "    nameservers: ["+l.oldIP+", "+second.IP+"]\n")
	before := l.parentText(t)

	code, rep, stderr := l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip while one old server serves mail A at 3600 s", code, rep, stderr, before, cutover.GateTTLPrestaged)
	g := gateOf(rep, cutover.GateTTLPrestaged)
	if g == nil || !strings.Contains(g.Detail, "mail.example.test. A 3600 s at "+second.Addr+" (old)") || !strings.Contains(g.Detail, "served above the cap: 1 RRset (1 server answer)") {
		t.Errorf("ttl-prestaged should name mail A, 3600 s and %s: %+v", second.Addr, g)
	}
	if g != nil && (len(g.Checks) != 1 || g.Checks[0].Name != cutover.CheckServedTTL || g.Checks[0].Server != second.Addr || g.Checks[0].OK ||
		g.Checks[0].Asked != "mail.example.test. A" || g.Checks[0].Got != "TTL 3600 s" || g.Checks[0].Expected != fmt.Sprintf("TTL at most %d s", coPrestage)) {
		t.Errorf("ttl-prestaged checks: %+v", g.Checks)
	}
	if g != nil && !strings.Contains(strings.Join(g.Plan, "\n"), "served above the cap") {
		t.Errorf("ttl-prestaged plan should say what to do with the served RRset: %q", g.Plan)
	}
	if p := gateOf(rep, cutover.GateParity); p == nil || !p.OK {
		t.Errorf("parity should pass (a TTL difference is a warning): %+v", p)
	}
	if rep.TTL == nil || rep.TTL.OldMax != 3600 || rep.TTL.NewMax != coPrestage || !strings.Contains(rep.TTL.OldServed, "mail.example.test. A 3600 s at "+second.Addr) {
		t.Errorf("ttl: %+v", rep.TTL)
	}

	// All low: the server serves mail A at the cap too.
	second.Reload(t, l.side("old", "192.0.2.10"))
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip right after the server lowered mail A", code, rep, stderr, before, cutover.GateTTLExpired)
	if g := gateOf(rep, cutover.GateTTLPrestaged); g == nil || !g.OK || len(g.Checks) != 0 {
		t.Errorf("ttl-prestaged with every RRset served at the cap: %+v", g)
	}
	if g := gateOf(rep, cutover.GateTTLExpired); g == nil || !strings.Contains(g.Detail, "previous maximum TTL 3600 s") {
		t.Errorf("ttl-expired should wait the 3600 s mail A was served: %+v", g)
	}
}
