package cutover

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// After a flip, status compares every parent server's delegation, the new
// side's own NS and what each resolver answers for the zone's NS and SOA.
// A resolver that follows the parent answers from new; one pinned to the
// old servers (a stub zone) still answers from old once the parent's and
// the child's NS TTLs have passed: an error naming the likely cause. The
// delegation table has the parent's server and both sides as rows. The
// old side's apex NS names the new server here (the plan's advice, done):
// while it names an old one, status is not settled (TestSettledAsFinishLab).
func TestPropagationLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	pl := newPropagationLab(t, "ns.new.test.", 60)
	rep, p, follows, pinned, nw := pl.rep, pl.rep.Propagation, pl.follows, pl.pinned, pl.nw
	if rep.ExitCode() != 0 || p == nil || p.Target != "new" || !p.Settled || p.ParentNSTTL != 5 || p.ChildNSTTL != 60 || len(p.WaitsFor) != 0 {
		t.Fatalf("status: exit %d, propagation %+v, errors %v", rep.ExitCode(), p, rep.Errors)
	}
	if len(p.Parent) != 1 || !p.Parent[0].OK || len(p.Child) != 1 || !p.Child[0].OK {
		t.Errorf("parent %+v, child %+v", p.Parent, p.Child)
	}
	rows := map[string]PropagationRR{}
	for _, r := range p.Resolvers {
		rows[r.Resolver] = r
	}
	if r := rows[follows.Addr]; !r.OK || r.Side != "new" || r.NSSide != "new" || r.SOASide != "new" || strings.Join(r.NS, " ") != "ns.new.test." {
		t.Errorf("the resolver that follows the parent: %+v", r)
	}
	if r := rows[pinned.Addr]; r.OK || r.Side != "old" || r.SOASide != "old" {
		t.Errorf("the pinned resolver: %+v", r)
	}
	var errs []string
	for _, e := range rep.Errors {
		if strings.HasPrefix(e, "resolver ") {
			errs = append(errs, e)
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "resolver "+pinned.Addr+" still answers from the old side") ||
		!strings.Contains(errs[0], "parent's NS TTL (5 s) and the child's NS TTL (60 s)") ||
		!strings.Contains(errs[0], "keeps following the old servers") || !strings.Contains(errs[0], "stub or forward zone for example.test.") {
		t.Errorf("errors: %v", rep.Errors)
	}
	t.Logf("error: %s", errs)

	// The table: the parent's server, then both sides (old first: the
	// side a rollback would point to).
	tb := rep.DelegationTable
	if tb == nil || len(tb.Rows) < 3 || tb.Rows[0].Side != "parent" || tb.Rows[0].Cells[ColumnDelegatesTo] != "new" {
		t.Fatalf("table: %+v", tb)
	}
	sides := map[string]bool{}
	for _, r := range tb.Rows {
		sides[r.Side] = true
		if r.Who == nw.Addr && (r.Cells[delegation.CheckAA] != "ok" || r.Cells[delegation.CheckChildNS] != "ok" || r.Cells[delegation.CheckTCP] != "ok") {
			t.Errorf("new server row: %+v", r)
		}
		if r.Who == "new delegation" && r.Cells[delegation.CheckNSDiversity] != "accepted" {
			t.Errorf("new delegation row: %+v", r)
		}
	}
	if !sides["old"] || !sides["new"] {
		t.Errorf("table sides: %v", sides)
	}
	var gates []string
	for _, g := range rep.Gates {
		if g.Name == GateDelegation {
			gates = append(gates, g.Side)
		}
	}
	if strings.Join(gates, " ") != "old new" {
		t.Errorf("status's delegation gates: %v (want old, the rollback's target, then new)", gates)
	}
}

// propagationLab is a zone flipped an hour ago from old (a Knot serving
// apex NS oldApexNS) to new (a Knot), under test. (real BIND), and
// status's report, with two Unbound resolvers: follows, which follows
// the parent, and pinned, a stub zone for the zone at the old server.
// Its clock steps a second at each reading (steppingClock).
type propagationLab struct {
	rep                 *Report
	c                   *Config
	follows, pinned, nw *lab.Server
	// trail is a new audit trail holding the flip alone.
	trail func() string
}

func newPropagationLab(t *testing.T, oldApexNS string, newNSTTL int) propagationLab {
	t.Helper()
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample NS ns.new.test.\nns.old A %s\nns.new A %s\n", oldIP, newIP)
	side := func(s, ns string, nsTTL int) string {
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns.%s.test. h.example.test. 1 60 60 1209600 60\n@ %d NS %s\nwww A 192.0.2.80\n", s, nsTTL, ns)
	}
	parent := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	old := lab.Knot(t, lab.Options{IP: oldIP, TSIG: dlKey, Zones: []lab.Zone{{Origin: "example.test.", Text: side("old", oldApexNS, 60)}}})
	nw := lab.Knot(t, lab.Options{IP: newIP, TSIG: dlKey, Zones: []lab.Zone{{Origin: "example.test.", Text: side("new", "ns.new.test.", newNSTTL)}}})
	follows := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}})
	pinned := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}, "example.test.": {oldIP}}})
	z := gitZone(t, side("old", "ns.old.test.", 60))
	flipped := time.Now().Add(-time.Hour).UTC()
	before := &registrar.Delegation{NS: []string{"ns.old.test."}, NSTTL: 5}
	trail := func() string {
		path := TrailPath(t.TempDir(), "example.test.")
		appendTrail(t, path, Entry{Time: flipped, Command: "flip", Result: ResultDone, ChangedAt: &flipped, Before: before})
		return path
	}
	path := trail()
	var progress bytes.Buffer
	c := &Config{
		Zone:          z,
		Old:           Side{Name: "old", Servers: []string{old.Addr}, Delegation: []string{"ns.old.test."}},
		New:           Side{Name: "new", Servers: []string{nw.Addr}, Delegation: []string{"ns.new.test."}},
		ParentZone:    "test.",
		ParentServers: []string{parent.Addr},
		Resolvers:     []string{follows.Addr, pinned.Addr},
		TrailPath:     path,
		Actor:         "tester",
		Parity:        parity.Options{Timeout: 2 * time.Second, Retries: 2},
		Log:           &progress,
		Delegation:    delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity}},
		Overlap:       time.Minute, // passed: the flip was an hour ago
		Now:           steppingClock(time.Now(), time.Second),
	}
	return propagationLab{rep: Status(context.Background(), c), c: c, follows: follows, pinned: pinned, nw: nw, trail: trail}
}

// TestSettledAsFinishLab: status's settled and finish's overlap gate
// are one decision (settles, moveHeld). Status said settled: true while
// the old side's servers still served an apex NS set naming themselves,
// which finish's overlap gate waits out (resolvers that take the child's
// NS set, RFC 2181 §5.4.1, keep asking the old servers: a ghost domain),
// and called the resolver pinned there an error. Now status is not
// settled, names the blocker in waits_for ("old-apex-ns"), and the
// resolver still at the old side is waiting, not an error; once the old
// side names the new server (TestPropagationLab), both pass. The other
// way: the new side's NS TTL not yet passed since the flip kept status
// unsettled (ns-ttl) while finish's overlap gate passed. Each row runs
// finish after status (policy.overlap passed): its overlap gate passes
// exactly when status says settled.
func TestSettledAsFinishLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	for _, c := range []struct {
		oldApexNS string
		newNSTTL  int
		settled   bool
		waits     []string
	}{
		{"ns.old.test.", 60, false, []string{WaitOldApexNS}},
		{"ns.new.test.", 60, true, []string{}},
		// The new side's NS TTL, two hours, has not passed since the
		// flip an hour ago: status's own count (ns-ttl), which finish
		// passed.
		{"ns.new.test.", 7200, false, []string{WaitNSTTL}},
	} {
		t.Run(fmt.Sprintf("%s,%d", c.oldApexNS, c.newNSTTL), func(t *testing.T) {
			pl := newPropagationLab(t, c.oldApexNS, c.newNSTTL)
			p := pl.rep.Propagation
			if p == nil {
				t.Fatalf("no propagation: %v", pl.rep.Errors)
			}
			g := gateNamed(Finish(context.Background(), pl.c), GateOverlap)
			if g == nil {
				t.Fatal("finish has no overlap gate")
			}
			t.Logf("settled %v at %s, waits for %v; finish's overlap: %v %s", p.Settled, p.SettledAt, p.WaitsFor, g.OK, g.Detail)
			if p.Settled != c.settled || strings.Join(p.WaitsFor, " ") != strings.Join(c.waits, " ") {
				t.Errorf("settled %v, waits_for %q; want %v, %q", p.Settled, p.WaitsFor, c.settled, c.waits)
			}
			if g.OK != p.Settled {
				t.Errorf("finish's overlap gate ok=%v (%s), status settled=%v: one decision", g.OK, g.Detail, p.Settled)
			}
			var resolverErrs []string
			for _, e := range pl.rep.Errors {
				if strings.HasPrefix(e, "resolver ") {
					resolverErrs = append(resolverErrs, e)
				}
			}
			if c.settled != (len(resolverErrs) == 1) {
				t.Errorf("errors for the resolver pinned to the old side: %v (settled %v)", resolverErrs, c.settled)
			}
			next := "(status names no finish step)"
			for _, n := range pl.rep.Next {
				if n.Step == "finish" {
					next = n.Detail
					// policy.overlap passed: finish's time is settled_at,
					// one count from the step's one instant, to the
					// nanosecond (the clock steps between readings)
					if !p.Settled && !n.Earliest.Equal(p.SettledAt) {
						t.Errorf("status's next finish at %s, settled_at %s: one count", n.Earliest, p.SettledAt)
					}
				}
			}
			if !p.Settled {
				sameFinishEveryReading(t, pl)
			}
			if len(c.waits) > 0 && !strings.Contains(next, "waits for "+strings.Join(c.waits, ", ")) {
				t.Errorf("status's next finish does not say what it waits for: %q", next)
			}
			if slices.Contains(c.waits, WaitOldApexNS) && !strings.Contains(next, "delete the zone there") {
				t.Errorf("status's next finish waits for the old side's apex NS without saying how it ends: %q", next)
			}
			if p.Settled {
				return
			}
			// policy.overlap not passed yet, but ending before settled_at
			// (90 minutes after the flip an hour ago): finish's time to
			// run again is the later of the two, never one at which it
			// would still refuse.
			pl.c.Overlap = 90 * time.Minute
			fr := Finish(context.Background(), pl.c)
			again := false
			for _, n := range fr.Next {
				if n.Step == "finish" {
					again = true
					if n.Earliest.Before(p.SettledAt) {
						t.Errorf("overlap unmet: finish says run it again at %s, before status's settled_at %s", n.Earliest, p.SettledAt)
					}
				}
			}
			if !again {
				t.Errorf("overlap unmet: finish names no time to run it again: %+v", fr.Next)
			}
			if !slices.Contains(c.waits, WaitOldApexNS) {
				return
			}
			// The old side still names its own server: finish's time is
			// its observation plus the set's TTL (60 s). Its refusal and
			// its time to run again are one instant's: a clock that
			// moves past that time between two readings must not leave
			// a refused finish naming no time.
			pl.c.Overlap = time.Minute
			pl.c.Now = steppingClock(pl.c.Now(), 2*time.Minute)
			fr = Finish(context.Background(), pl.c)
			if g := gateNamed(fr, GateOverlap); g == nil || g.OK {
				t.Fatalf("finish's overlap gate passed while the old side names its own server: %+v", g)
			}
			if nextOf(fr.Next, "finish").IsZero() {
				t.Errorf("finish refused by its overlap gate names no time to run it again: %+v", fr.Next)
			}
		})
	}
}

// sameFinishEveryReading runs status on pl's zone (not settled, its
// policy.overlap passed) once for each reading of the clock it takes,
// the clock moving half an hour on at that reading (splitClock): its next
// finish is its settled_at at every one, so no pair of readings in the
// step counts them apart, whichever a slow gate would separate.
func sameFinishEveryReading(t *testing.T, pl propagationLab) {
	t.Helper()
	t0 := time.Now()
	status := func(n int) (*Report, int) {
		c := *pl.c
		c.TrailPath, c.Overlap = pl.trail(), time.Minute
		clk := &splitClock{n: n, before: t0, after: t0.Add(30 * time.Minute)}
		c.Now = clk.now
		return Status(context.Background(), &c), clk.reads
	}
	_, reads := status(1 << 30)
	for n := range reads {
		rep, _ := status(n)
		p := rep.Propagation
		if p == nil || p.Settled {
			t.Fatalf("clock moved after %d readings: propagation %+v, errors %v", n, p, rep.Errors)
		}
		if at := nextOf(rep.Next, "finish"); !at.Equal(p.SettledAt) {
			t.Errorf("clock moved after %d readings: status's next finish at %s, settled_at %s: one count", n, at, p.SettledAt)
		}
	}
}
