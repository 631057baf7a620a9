package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
)

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
