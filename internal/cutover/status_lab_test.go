package cutover

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/progress/progresstest"
)

func sideText(side string, serial int) string {
	return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.%s.example.test. h.example.test. %d 60 60 1209600 60\n@ NS ns1.%s.example.test.\nns1.old A 192.0.2.1\nns1.new A 192.0.2.2\nwww A 192.0.2.80\n", side, serial, side)
}

// Status against live servers: the trail says flipped while the parent
// delegates to old (reported, never papered over), and the hidden-master
// check of a new side whose public secondary serves another serial than
// its primary.
func TestStatusLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	parent := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: "$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample NS ns1.old.example.test.\nns1.old.example A 192.0.2.1\n"}}})
	old := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: sideText("old", 1)}}})
	primary := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: sideText("new", 7)}}})
	public := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: sideText("new", 7)}}})
	z := gitZone(t, sideText("old", 1))
	path := TrailPath(t.TempDir(), "example.test.")
	flipped := time.Now().Add(-time.Hour).UTC()
	appendTrail(t, path, Entry{Time: flipped, Command: "flip", Result: ResultDone, ChangedAt: &flipped})
	var progress bytes.Buffer
	rec := &progresstest.Recorder{}
	c := &Config{
		Zone:          z,
		Old:           Side{Name: "old", Servers: []string{old.Addr}, Delegation: []string{"ns1.old.example.test."}},
		New:           Side{Name: "new", Servers: []string{public.Addr}, Primary: primary.Addr, Delegation: []string{"ns1.new.example.test."}},
		ParentServers: []string{parent.Addr},
		TrailPath:     path,
		Actor:         "tester",
		Parity:        parity.Options{Timeout: 2 * time.Second, Retries: 2},
		Log:           &progress,
		Progress:      rec,
	}
	ctx := context.Background()
	rep := Status(ctx, c)
	if rep.ExitCode() != 0 || rep.Delegation.PointsTo != "old" || rep.Stage != StageFlipped {
		t.Fatalf("status: %s exit %d points_to %s stage %s errors %v", rep.Result, rep.ExitCode(), rep.Delegation.PointsTo, rep.Stage, rep.Errors)
	}
	if len(rep.Errors) == 0 || !strings.Contains(rep.Errors[0], "audit trail says flipped, but the parent delegates to old") {
		t.Errorf("the disagreement between trail and live DNS is not reported: %v", rep.Errors)
	}
	hm := findGate(rep.Gates, GateHiddenMaster)
	if hm == nil || !hm.OK || !strings.Contains(hm.Detail, "serial 7") {
		t.Errorf("hidden-master in sync: %+v", hm)
	}
	if g := findGate(rep.Gates, GateParity); g == nil || !g.OK {
		t.Errorf("parity: %+v", g)
	}
	// The parent's glue sends resolvers to 192.0.2.1, which the config's
	// old servers leave out: named (a flip would ask it), not asked.
	if !slices.ContainsFunc(rep.Warnings, func(w string) bool {
		return strings.Contains(w, "192.0.2.1:53") && strings.Contains(w, "providers.old.nameservers does not list")
	}) {
		t.Errorf("no warning names the delegation's unlisted address: %q", rep.Warnings)
	}
	if g := findGate(rep.Gates, GateTTLPrestaged); g == nil || !g.Err {
		t.Errorf("ttl-prestaged without provider listings should not run: %+v", g)
	}
	if !strings.Contains(progress.String(), "asking old") {
		t.Errorf("no progress on stderr: %q", progress.String())
	}
	// The parity gate's answers are shown on Config.Progress, the step's
	// log lines on Config.Log.
	if tasks := rec.Tasks(); len(tasks) != 1 || tasks[0].Label != "example.test." || tasks[0].Unit != "answers" || tasks[0].Total == 0 ||
		tasks[0].Last() != tasks[0].Total || tasks[0].Stops != 1 || tasks[0].Failed {
		t.Errorf("progress tasks %+v: want the parity gate's answers, all counted, stopped once", tasks)
	}

	public.Reload(t, lab.Zone{Origin: "example.test.", Text: sideText("new", 8)})
	rep = Status(ctx, c)
	hm = findGate(rep.Gates, GateHiddenMaster)
	if hm == nil || hm.OK || !strings.Contains(hm.Detail, "serves serial 8") || !strings.Contains(hm.Detail, "out of sync since") {
		t.Errorf("hidden-master out of sync: %+v", hm)
	}
	// What to do: the transfers from the primary, not a push (the
	// primary may hold git already), then status again.
	if hm == nil || len(hm.Plan) < 2 || !strings.Contains(hm.Plan[0], "transfer") || !strings.Contains(hm.Plan[len(hm.Plan)-1], "dnsparity status --zone example.test.") {
		t.Errorf("hidden-master out of sync says nothing of what to do: %+v", hm)
	}
	back := readTrail(t, path)
	if n := len(back.Entries); n != 3 {
		t.Errorf("trail has %d entries, want the flip and two observations (the check changed)", n)
	}
}

// The parent's servers serve one delegation with different NS TTLs (a
// registry changing its NS TTL, published server by server): resolvers
// that took the referral from the server with the longer TTL keep it that
// long. The view, the trail (what finish and ttl-expired count) and the
// flip's old_delegation_expires took the first server's TTL.
func TestParentNSTTLLargestLab(t *testing.T) {
	l := newReviewLab(t, 5)
	text := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 90 NS ns1.old.example\nns1.old.example 90 A %s\n", l.oldIP)
	p2 := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: text}}})
	c := l.mk()
	c.ParentServers = append(c.ParentServers, p2.Addr)
	rep := Status(context.Background(), c)
	if rep.Delegation.NSTTL != 90 {
		t.Errorf("status with parent servers serving NS TTL 5 and 90: ns_ttl %d, want 90", rep.Delegation.NSTTL)
	}
	tr, err := ReadTrail(c.TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	if e := tr.Entries[len(tr.Entries)-1]; e.ParentNSTTL != 90 {
		t.Errorf("recorded parent_ns_ttl %d, want 90", e.ParentNSTTL)
	}
	// The flip's watch counts the 90 s, though the registrar holds 5 s
	// (the second server, a fixed copy, never takes the change: the flip
	// ends unconfirmed, the watch runs).
	rep = Flip(context.Background(), c, false, false)
	if rep.Change == nil || rep.Watch == nil {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if want := rep.Change.At.Add(90 * time.Second); rep.Watch.OldDelegationExpires.Before(want) {
		t.Errorf("old_delegation_expires %s, before the change + the 90 s NS TTL a parent server served (%s)", rep.Watch.OldDelegationExpires.Format(time.RFC3339), want.Format(time.RFC3339))
	}
}
