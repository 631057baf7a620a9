package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
)

// finish passed as soon as the old side's apex NS named the new servers.
// A resolver that took the old side's previous NS set (naming its own
// servers) prefers it to the parent's referral and fetches it again from
// those servers: it keeps asking the old provider for that set's TTL
// after the set changed. Now every step and status run records what the
// old side served (old_apex_ns), and finish waits until the last set
// naming old servers has expired: from the first observation that saw
// none, plus its TTL.
func TestFinishWaitsOldApexNSLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ctx := context.Background()
	c, _, flipped := l.flip(t, ctx)
	at := func(after time.Duration) *Config { return l.at(flipped, after) }
	// During the overlap the old side serves its own NS set for an
	// hour, and a status run sees it.
	setRRs(t, &c.Old, "example.test. 3600 IN NS ns1.old.example.test.")
	if rep := Status(ctx, at(2*time.Minute)); rep.Result != ResultObserved {
		t.Fatalf("status: %s %v", rep.Result, rep.Errors)
	}
	// Then the old side's apex NS names the new server.
	setRRs(t, &c.Old, "example.test. 3600 IN NS ns1.new.example.test.")
	rep := Finish(ctx, at(10*time.Minute))
	overlap := overlapGate(t, rep)
	t.Logf("finish 10 minutes after the flip: %s; overlap %+v", rep.Result, overlap)
	if rep.Result != ResultRefused || overlap == nil || overlap.OK || !strings.Contains(overlap.Detail, "apex NS set naming old servers") {
		t.Fatalf("finish right after the old side stopped serving an hour-long NS set naming its own servers: %s, overlap %+v", rep.Result, overlap)
	}
	tr, err := ReadTrail(c.TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tr.Entries {
		t.Logf("trail: %s %s %s old_apex_ns %+v pushed %+v", e.Time.Format(time.RFC3339), e.Command, e.Result, e.OldApexNS, e.Pushed)
	}
	last := tr.Entries[len(tr.Entries)-1]
	if last.OldApexNS == nil || last.OldApexNS.namesOld() || last.OldApexNS.TTL != 3600 {
		t.Errorf("finish's entry old_apex_ns %+v, want ns1.new at 3600 s naming no old server", last.OldApexNS)
	}
	if rep := Finish(ctx, at(10*time.Minute+3500*time.Second)); rep.Result != ResultRefused {
		t.Errorf("finish 3500 s after the old side was seen serving the new NS set: %s", rep.Result)
	}
	if rep := Finish(ctx, at(10*time.Minute+3601*time.Second)); rep.Result != ResultDone {
		t.Errorf("finish an hour after the old side was seen serving the new NS set: %s; gates %+v", rep.Result, rep.Gates)
	}
}

// old-complete's plan said "`dnsparity push --provider old` makes it hold
// exactly git" whatever the old side held beyond git. A push deletes the
// RRsets it lists and can change; it never touches a record of the
// provider's own kind (a LUA record here; an ALIAS, a redirect
// elsewhere), one it cannot read, or a zone of its own. Now the plan
// names what a push deletes and what must be deleted at the provider by
// hand, and a push of git (as plan and push compute it) does exactly
// that.
func TestCompletePlanPushTruthLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.80\n"
	srv := lab.PDNS(t, lab.Options{LUA: true, Zones: []lab.Zone{{Origin: origin, Text: text + "app LUA A \"'192.0.2.99'\"\nextra A 192.0.2.7\n"}}})
	cfg := pdnsOldConfig(t, srv, origin, text)
	gate := func() Gate { return cfg.oldComplete(t) }
	g := gate()
	plans := strings.Join(g.Plan, "\n")
	t.Logf("%s: ok=%v %s\nplan:\n%s", g.Name, g.OK, g.Detail, plans)
	if g.OK || strings.Contains(plans, "exactly git") {
		t.Errorf("old-complete's plan claims a push makes the old side hold exactly git while it holds a LUA record no push deletes: %q", g.Plan)
	}
	var pushLine, handLine string
	for _, l := range g.Plan {
		switch {
		case strings.Contains(l, "push --provider old"):
			pushLine = l
		case strings.Contains(l, "app.example.test. LUA") && strings.Contains(l, "by hand"):
			handLine = l
		}
	}
	if !strings.Contains(pushLine, "extra.example.test. A") || strings.Contains(pushLine, "app.example.test.") {
		t.Errorf("the plan's push step should name extra.example.test. A (which a push deletes) and not the LUA record: %q", pushLine)
	}
	if handLine == "" {
		t.Errorf("the plan does not say the LUA record app.example.test. must be deleted at the provider by hand: %q", g.Plan)
	}
	// A push of git, as push computes it, does what the plan says.
	p, git := cfg.Old.Provider, cfg.Zone
	cur, err := p.Records(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(git, cur, plan.Options{Caps: p.Capabilities()})
	if _, err := p.Apply(context.Background(), origin, pl.Changes, nil); err != nil {
		t.Fatal(err)
	}
	g = gate()
	t.Logf("after the push: ok=%v %s", g.OK, g.Detail)
	if g.OK || !strings.Contains(g.Detail, "app.example.test. LUA") || strings.Contains(g.Detail, "extra.example.test.") {
		t.Errorf("after a push of git: %s; want the LUA record left, extra.example.test. gone", g.Detail)
	}
	if strings.Contains(strings.Join(g.Plan, " "), "push --provider old") {
		t.Errorf("with only a LUA record left, the plan still offers a push: %q", g.Plan)
	}
}

// A record changed at the new provider during the overlap, outside git
// (its UI or API), answered resolvers; old-parity refused the rollback
// and planned "push every record changed on the new side (git is the
// truth) to the old one: `dnsparity push --provider old`", which pushes
// git, not the change: the old side still differed, and the way to make
// parity hold (push git to the new side) threw the change away unsaid.
// Now the plan names the RRsets where the new provider differs from git
// and says to import them into git to keep them, or push to drop them.
func TestRollbackNewChangedOutsideGitLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ctx := context.Background()
	c := l.mk()
	if rep := Flip(ctx, c, false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	// The new side's www changed by hand during the overlap.
	l.nw.Reload(t, lab.Zone{Origin: "example.test.", Text: fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.new h.example.test. 2 60 60 60 60\n@ NS ns1.new\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.99\n", l.oldIP, l.newIP)})
	rep := Rollback(ctx, l.mk(), false, false)
	var g *Gate
	for i := range rep.Gates {
		if rep.Gates[i].Name == GateOldParity {
			g = &rep.Gates[i]
		}
	}
	if rep.Result != ResultRefused || g == nil || g.OK {
		t.Fatalf("rollback with the new side's www changed outside git: %s, old-parity %+v", rep.Result, g)
	}
	plans := strings.Join(g.Plan, "\n")
	t.Logf("old-parity: %s\nplan:\n%s", g.Detail, plans)
	if !strings.Contains(plans, "import --provider new") || !strings.Contains(plans, "www.example.test. A") {
		t.Errorf("old-parity's plan does not name the new side's change outside git and how to keep it: %q", g.Plan)
	}
	if strings.Contains(plans, "push --provider old") {
		t.Errorf("old-parity's plan offers a push to the old side, which holds git already: %q", g.Plan)
	}
}
