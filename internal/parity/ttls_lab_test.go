package parity_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestTTLsAboveLab: a run with Options.TTLAbove reports the RRsets each
// server served above it, from the answers it compares. Git and the old
// side (BIND) hold the fixture at 300 s; of the new side's two Knot
// servers one is clean and one serves the delegation's NS at a day, the
// wildcard *.apps A at an hour and lb's A (the end of www's CNAME chain)
// at two: each is named once for that server, worst first, the
// wildcard's synthesized answer too, and nothing of the other servers.
// Below every TTL of the zone, the list is bounded and git's answers
// count as served.
func TestTTLsAboveLab(t *testing.T) {
	text := fixture(t)
	z := loadText(t, text)
	high := text
	for _, r := range [][2]string{
		{"lab     IN  NS ", "lab  86400 IN NS "},
		{"*.apps  IN  A ", "*.apps 3600 IN A "},
		{"lb      IN  A     192.0.2.80", "lb 7200 IN A 192.0.2.80"},
		{"lb      IN  A     192.0.2.81", "lb 7200 IN A 192.0.2.81"},
	} {
		if !strings.Contains(high, r[0]) {
			t.Fatalf("fixture lacks %q", r[0])
		}
		high = strings.Replace(high, r[0], r[1], 1)
	}
	old := serve(t, "bind", text)
	clean := serve(t, "knot", text)
	bad := serve(t, "knot", high)

	ask := func(above uint32) *parity.Report {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		rep, err := parity.Run(ctx, z, parity.Targets([]string{old}), parity.Targets([]string{clean, bad}),
			parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8, TTLAbove: above})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		return rep
	}

	rep := ask(300)
	got := rep.TTLsAbove
	if got == nil {
		t.Fatal("no TTLsAbove with Options.TTLAbove set")
	}
	var worst []string
	for _, w := range got.Worst {
		worst = append(worst, fmt.Sprintf("%s %s %d %s %s", w.Name, dns.TypeToString[w.Type], w.TTL, w.Server, w.Side))
	}
	want := []string{
		"lab.parity.test. NS 86400 " + bad + " new",
		"lb.parity.test. A 7200 " + bad + " new",
		"*.apps.parity.test. A 3600 " + bad + " new",
	}
	synthesized := func(w string) bool {
		return strings.HasSuffix(w, ".apps.parity.test. A 3600 "+bad+" new") && strings.HasPrefix(w, "dnsparity-")
	}
	if len(worst) != 5 || strings.Join(worst[:3], "\n") != strings.Join(want, "\n") || !synthesized(worst[3]) || !synthesized(worst[4]) {
		t.Errorf("worst:\n%s\nwant:\n%s\nand the wildcard's synthesized A (a label one and two below apps)", strings.Join(worst, "\n"), strings.Join(want, "\n"))
	}
	t.Logf("served above 300 s:\n%s", strings.Join(worst, "\n"))
	// Their own questions: lab NS, lb A, *.apps A, and the random labels' A.
	if got.RRsets != 5 || got.Served != 5 || got.Max["new"] != 86400 || len(got.Max) != 1 || got.Above != 300 {
		t.Errorf("counts: RRsets %d, Served %d, Max %v (want 5, 5, new 86400 only)", got.RRsets, got.Served, got.Max)
	}
	if rep.Count(parity.SevError) != 0 {
		dump(t, rep)
		t.Errorf("TTLs alone are no error")
	}

	// Below every TTL: all of the zone, bounded, git's answers included.
	rep = ask(100)
	if got := rep.TTLsAbove; len(got.Worst) != parity.MaxTTLsAbove || got.RRsets <= parity.MaxTTLsAbove || got.Served <= got.RRsets ||
		got.Max["old"] != 300 || got.Worst[0].TTL != 86400 || got.Worst[parity.MaxTTLsAbove-1].TTL != 300 {
		t.Errorf("above 100 s: %d listed, %d RRsets, %d served, max %v, first %+v", len(got.Worst), got.RRsets, got.Served, got.Max, got.Worst[0])
	}
	if rep := run(t, z, []string{old}, []string{clean}); rep.TTLsAbove != nil {
		t.Errorf("TTLsAbove without Options.TTLAbove: %+v", rep.TTLsAbove)
	}
}
