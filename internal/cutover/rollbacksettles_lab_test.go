package cutover

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// After a rollback, settled counts what keeps resolvers on the side the
// rollback left as it does after a flip, the sides swapped (moveHeld, one
// function): the new side's servers still serving an apex NS set naming
// a new server (resolvers that took it prefer it to the referral and
// fetch it again there, RFC 2181 §5.4.1: new-apex-ns), and a parent
// server seen referring to the new side after the rollback
// (referral-after). Before, both were counted after a flip only, and
// status called a rollback settled while resolvers could still be sent
// to the new side.
//
// The new side's apex NS is read the one way the old side's is after a
// flip (Trail.apexNSNamesOwn): from the trail (new_apex_ns, recorded by
// the rollback itself and each status run while rolled back), not from
// the status run's own reading alone. Before, a new side that named its
// own servers until a minute ago read settled at the first clean reading
// (resolvers that cached that set, TTL 60 s, still ask it); a new side
// whose servers stopped answering read settled at once (a server that
// cannot be read holds the wait until it has been unread for the set's
// TTL: gone for good); and a new server named by another name (one
// resolving to its address) was not counted, while the old side's are
// (oldNamesIn).
func TestRollbackSettlesLab(t *testing.T) {
	type reading struct {
		after time.Duration // after the rollback
		waits []string
		// then is done before this reading (nil: nothing)
		then func(t *testing.T, l *reviewLab)
	}
	// newAt restarts the new side's server serving origin's text
	newAt := func(l *reviewLab, origin, text string) {
		l.nw.Stop()
		l.nw = lab.Knot(t, lab.Options{IP: l.newIP, Zones: []lab.Zone{{Origin: origin, Text: text}}})
	}
	ip := func(l *reviewLab) map[string]string { return map[string]string{"old": l.oldIP, "new": l.newIP} }
	for _, tc := range []struct {
		name    string
		then    func(t *testing.T, l *reviewLab) // after the rollback
		lagging bool                             // a later status saw a parent server on the new side
		// elsewhere: status's providers.new.nameservers is an address
		// nothing listens on (a typo, an outdated address), while the
		// delegation the rollback replaced named ns1.new at the new
		// server's; atOld: it is the old server's address
		elsewhere, atOld bool
		reads            []reading
	}{
		{name: "the new side names itself", reads: []reading{{after: 2 * time.Hour, waits: []string{WaitNewApexNS}}}},
		{
			name: "the new side names the old servers since a minute ago",
			then: func(t *testing.T, l *reviewLab) { newAt(l, "example.test.", ownNSZone("old", ip(l))) },
			// the first reading that saw the set gone ends the run: its
			// TTL (60 s) from then
			reads: []reading{{after: 10 * time.Minute, waits: []string{WaitNewApexNS}}, {after: 10*time.Minute + 30*time.Second, waits: []string{WaitNewApexNS}}, {after: 12 * time.Minute, waits: []string{}}},
		},
		{
			name: "the zone deleted at the new side",
			then: func(t *testing.T, l *reviewLab) {
				newAt(l, "other.test.", "$ORIGIN other.test.\n$TTL 60\n@ SOA ns h 1 60 60 1209600 60\n@ NS ns\nns A 192.0.2.1\n")
			},
			reads: []reading{{after: 10 * time.Minute, waits: []string{WaitNewApexNS}}, {after: 12 * time.Minute, waits: []string{}}},
		},
		{
			name: "the new side gone",
			then: func(t *testing.T, l *reviewLab) { l.nw.Stop() },
			// not read: held, until unread for the set's TTL
			reads: []reading{{after: 2 * time.Hour, waits: []string{WaitNewApexNS}}, {after: 2*time.Hour + 30*time.Second, waits: []string{WaitNewApexNS}}, {after: 2*time.Hour + 2*time.Minute, waits: []string{}}},
		},
		{
			// unread 30 s, less than the set's TTL: the run goes on
			// to the reading that read it (not ended at the unread one)
			name: "the new side unread, then naming the old servers",
			then: func(t *testing.T, l *reviewLab) { l.nw.Stop() },
			reads: []reading{
				{after: 10 * time.Minute, waits: []string{WaitNewApexNS}},
				{after: 10*time.Minute + 30*time.Second, waits: []string{WaitNewApexNS}, then: func(t *testing.T, l *reviewLab) { newAt(l, "example.test.", ownNSZone("old", ip(l))) }},
				{after: 11*time.Minute + 10*time.Second, waits: []string{WaitNewApexNS}},
				{after: 11*time.Minute + 40*time.Second, waits: []string{}},
			},
		},
		{
			name: "the new side names its server by another name",
			then: func(t *testing.T, l *reviewLab) {
				// alias.test. leads to the new server's address (the
				// parent zone serves it; no resolver is configured)
				setRRsIn(t, l.reg.Provider, "test.", "alias.test. 60 A "+l.newIP)
				newAt(l, "example.test.", replaced(t, ownNSZone("new", ip(l)), "@ NS ns1.new", "@ NS alias.test."))
			},
			reads: []reading{{after: 10 * time.Minute, waits: []string{WaitNewApexNS}}, {after: 20 * time.Minute, waits: []string{WaitNewApexNS}}},
		},
		{
			// a push after the rollback gave the new side's apex NS
			// another name of the new server (alias.test., outside the
			// zone, resolving to its address) with an hour's TTL; the
			// new side named the old servers again before any status
			// read it: the push's TTL counts (moveHeld reads the
			// pushes to the side left, Pushed["new"], through
			// sideNamesIn), an hour from the first clean reading.
			name: "a push naming the new server by an alias, an hour's TTL",
			then: func(t *testing.T, l *reviewLab) {
				setRRsIn(t, l.reg.Provider, "test.", "alias.test. 60 A "+l.newIP)
				if err := RecordPush(l.mk().TrailPath, "example.test.", "push", "tester", time.Now(), map[string]Pushed{"new": {MaxTTL: 3600, ApexNS: "alias.test.", ApexNSTTL: 3600}}); err != nil {
					t.Fatal(err)
				}
				newAt(l, "example.test.", ownNSZone("old", ip(l)))
			},
			reads: []reading{{after: 10 * time.Minute, waits: []string{WaitNewApexNS}}, {after: 30 * time.Minute, waits: []string{WaitNewApexNS}}, {after: 75 * time.Minute, waits: []string{}}},
		},
		{
			// read at the delegation's servers too (newServers): Knot
			// still names itself. Before, the configured address alone
			// was read, unanswered, and gone for good a TTL later.
			name: "providers.new.nameservers an unused address", elsewhere: true,
			reads: []reading{{after: 2 * time.Hour, waits: []string{WaitNewApexNS}}, {after: 2*time.Hour + 2*time.Minute, waits: []string{WaitNewApexNS}}},
		},
		{
			// the new side names the old servers with a day's TTL; the
			// config names the old server (60 s): ns-ttl counts the
			// day (the new side's NS TTL at the delegation's server).
			// Before, the configured server's 60 s settled it.
			name: "providers.new.nameservers the old server, the new side's NS TTL a day", atOld: true,
			then: func(t *testing.T, l *reviewLab) {
				newAt(l, "example.test.", replaced(t, ownNSZone("old", ip(l)), "@ NS ns1.old", "@ 86400 NS ns1.old"))
			},
			reads: []reading{{after: 2 * time.Hour, waits: []string{WaitNewApexNS, WaitNSTTL}}, {after: 2*time.Hour + 10*time.Minute, waits: []string{WaitNSTTL}}},
		},
		{name: "a parent server seen on the new side after it", then: func(t *testing.T, l *reviewLab) { l.nw.Stop() }, lagging: true,
			reads: []reading{{after: 2 * time.Hour, waits: []string{WaitReferralAfter, WaitNewApexNS}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			l.flip(t, ctx)
			c := l.mk()
			rep := Rollback(ctx, c, false, false)
			if rep.Result != ResultDone {
				t.Fatalf("rollback: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
			}
			if _, e := readTrail(t, c.TrailPath).Stage(); e.NewApexNS == nil || !slices.Equal(e.NewApexNS.NewNames, []string{"ns1.new.example.test."}) {
				t.Fatalf("the rollback's entry records new_apex_ns %+v, want the new side's own name", e.NewApexNS)
			}
			t0 := time.Now()
			if tc.then != nil {
				tc.then(t, l)
			}
			if tc.lagging {
				appendTrail(t, c.TrailPath, Entry{Time: t0.Add(time.Hour).UTC(), Command: "status", Result: ResultObserved, DelegatedTo: []string{"old", "new"}, ParentNSTTL: 5})
			}
			unused := lab.Addr(t) + ":53"
			for _, r := range tc.reads {
				if r.then != nil {
					r.then(t, l)
				}
				c = l.mk()
				switch {
				case tc.elsewhere:
					c.New.Servers = []string{unused}
				case tc.atOld:
					c.New.Servers = []string{l.old.Addr}
				}
				statusSettled(t, c, "old", t0.Add(r.after), r.waits)
			}
		})
	}
}

// settledRead is a status reading of a settles test: after the move,
// the figures propagation still waits for ([]: settled).
type settledRead struct {
	after time.Duration
	waits []string
}

// statusSettled runs status with c at now and checks that its
// propagation, toward target, waits for waits ([]: settled; else
// settled_at after now); it returns the propagation.
func statusSettled(t *testing.T, c *Config, target string, now time.Time, waits []string) *Propagation {
	t.Helper()
	c.Now = func() time.Time { return now }
	rep := Status(context.Background(), c)
	p := rep.Propagation
	if p == nil || p.Target != target {
		t.Fatalf("status: propagation %+v (want toward %s), errors %v", p, target, rep.Errors)
	}
	what := fmt.Sprintf("at %s: settled %v at %s, child NS TTL %d, waits for %q", now.Format(time.RFC3339), p.Settled, p.SettledAt, p.ChildNSTTL, p.WaitsFor)
	t.Log(what)
	if settled := len(waits) == 0; p.Settled != settled || !slices.Equal(p.WaitsFor, waits) {
		t.Errorf("%s; want settled %v, waits %q", what, settled, waits)
	}
	if len(waits) > 0 && !p.SettledAt.After(now) {
		t.Errorf("%s: settled_at not after now", what)
	}
	return p
}

// After a flip, settles reads the old side's NS TTL at every server the
// delegation recorded before the flip sends resolvers to (sideAfter:
// oldServers), as old-apex-ns reads that side: the mirror of what
// TestRollbackSettlesLab holds for the new side after a rollback. Before,
// it read providers.old.nameservers alone: a config naming another live
// server (here the new one, NS TTL 60 s) gave that server's TTL while
// the old server, which resolvers holding the old delegation still ask,
// served its NS set with a day's TTL; and a config naming an address
// nothing listens on fell back to the TTL the flip recorded. Status
// called the flip settled while resolvers could hold that set.
func TestFlipSettlesAtRecordedOldLab(t *testing.T) {
	for _, tc := range []struct {
		name string
		// servers is status's providers.old.nameservers
		servers func(l *reviewLab) []string
		reads   []settledRead
	}{
		{
			name:    "providers.old.nameservers the new server",
			servers: func(l *reviewLab) []string { return []string{l.nw.Addr} },
			reads:   []settledRead{{after: 2 * time.Hour, waits: []string{WaitOldApexNS, WaitNSTTL}}, {after: 2*time.Hour + 10*time.Minute, waits: []string{WaitNSTTL}}},
		},
		{
			name:    "providers.old.nameservers an unused address",
			servers: func(*reviewLab) []string { return []string{lab.Addr(t) + ":53"} },
			reads:   []settledRead{{after: 2 * time.Hour, waits: []string{WaitOldApexNS, WaitNSTTL}}, {after: 2*time.Hour + 10*time.Minute, waits: []string{WaitNSTTL}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			l.flip(t, ctx)
			t0 := time.Now()
			// the old server now names the new one, with a day's TTL
			ip := map[string]string{"old": l.oldIP, "new": l.newIP}
			l.old.Stop()
			l.old = lab.Knot(t, lab.Options{IP: l.oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: replaced(t, ownNSZone("old", ip), "@ NS ns1.old", "@ 86400 NS ns1.new")}}})
			servers := tc.servers(l)
			for _, r := range tc.reads {
				c := l.mk()
				c.Overlap, c.Old.Servers = time.Second, servers // policy.overlap a second
				if p := statusSettled(t, c, "new", t0.Add(r.after), r.waits); p.ChildNSTTL != 86400 {
					t.Errorf("+%s: child NS TTL %d; want the old server's NS TTL, 86400 s", r.after, p.ChildNSTTL)
				}
			}
		})
	}
}

// Status's propagation reads the target side's own apex NS (child) at
// every server resolvers are sent to on it (sideAfter): the configured
// ones and those its recorded delegation names, after a flip (the
// delegation it set) and after a rollback (the one it restored). Before,
// the configured servers alone: a providers.<side>.nameservers naming an
// address nothing listens on showed only that address, unanswered, and
// never the server resolvers ask.
func TestPropagationChildAtRecordedLab(t *testing.T) {
	for _, tc := range []struct {
		name     string
		rollback bool
	}{
		{name: "flipped, providers.new.nameservers an unused address"},
		{name: "rolled back, providers.old.nameservers an unused address", rollback: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			l.flip(t, ctx)
			c := l.mk()
			target, want := &c.New, l.nw.Addr
			if tc.rollback {
				if rep := Rollback(ctx, c, false, false); rep.Result != ResultDone {
					t.Fatalf("rollback: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
				}
				c = l.mk()
				target, want = &c.Old, l.old.Addr
			}
			target.Servers = []string{lab.Addr(t) + ":53"} // nothing listens there
			p := Status(ctx, c).Propagation
			if p == nil {
				t.Fatal("status: no propagation")
			}
			if !slices.ContainsFunc(p.Child, func(r ChildRow) bool { return r.Server == want && r.OK }) {
				t.Errorf("propagation's child rows %+v; want %s, the server the recorded delegation names, serving the %s side's NS", p.Child, want, target.Name)
			}
		})
	}
}
