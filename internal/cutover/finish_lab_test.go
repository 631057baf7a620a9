package cutover

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestFinishOldServersFromConfigOnlyLab: the old side's NS name is
// outside the zone (ns1.oldhost.test., the usual provider name), so the
// delegation recorded before the flip has no glue. At finish the old
// side's servers are providers.old.nameservers alone: nothing resolves the
// recorded NS names. A config whose old nameservers name the new side's
// address (a typo, a renumbered provider, a pull request: the flip's
// askFromServers was made for exactly that) makes finish compare the new
// side with itself (parity), observe the "old" apex NS at the new server
// (overlap) and ask it for old-unreferenced's apex-ns checks: finish is
// done while the old server still serves the zone with an apex NS naming
// itself, which resolvers that reach it keep following (the very rule the
// overlap gate enforces).
func TestFinishOldServersFromConfigOnlyLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 1\n@ SOA ns.test. h.test. 1 60 60 1209600 1\n@ NS ns.test.\nns A %s\nexample NS ns1.newhost.test.\nns1.oldhost A %s\nns1.newhost A %s\n", ip["parent"], ip["old"], ip["new"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	example := func(apex string) string {
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 1\n@ SOA %s h.example.test. 1 60 60 1209600 1\n@ NS %s\nwww A 192.0.2.80\n", apex, apex)
	}
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: example("ns1.oldhost.test.")}}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: example("ns1.newhost.test.")}}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	z := gitZone(t, example("ns1.newhost.test."))
	setup := func() *Config {
		path := TrailPath(t.TempDir(), "example.test.")
		flipped := time.Now().UTC().Add(-time.Hour)
		before := registrar.Delegation{NS: []string{"ns1.oldhost.test."}, NSTTL: 1}
		after := registrar.Delegation{NS: []string{"ns1.newhost.test."}, NSTTL: 1}
		appendTrail(t, path, flipEntry(flipped, before, after))
		c := signedConfig(t, z, ip, old, nw, parentSrv, path, 60)
		c.Old.Delegation, c.Old.Glue = []string{"ns1.oldhost.test."}, nil
		c.New.Delegation, c.New.Glue = []string{"ns1.newhost.test."}, nil
		c.ParentZone, c.Resolvers, c.Overlap = "test.", []string{resolver.Addr}, time.Minute
		return c
	}
	summary := func(rep *Report) string {
		var b strings.Builder
		for _, g := range rep.Gates {
			fmt.Fprintf(&b, "\n  %s ok=%v: %.220s", g.Name, g.OK, g.Detail)
		}
		return b.String()
	}

	// Control: the configured old server is the old one: finish refused.
	c := setup()
	rep := Finish(context.Background(), c)
	t.Logf("config names the old server: %s%s", rep.Result, summary(rep))
	if rep.Result != ResultRefused {
		t.Fatalf("control: finish while the old server's apex NS names itself: %s", rep.Result)
	}

	// The config's old nameservers now name the new server's address.
	c = setup()
	c.Old.Servers = []string{nw.Addr}
	rep = Finish(context.Background(), c)
	t.Logf("finish with providers.old.nameservers naming the new server: %s%s", rep.Result, summary(rep))
	a := askNS(context.Background(), c, old.Addr, false)
	t.Logf("the old server %s still serves example.test. NS %v (TTL %d)", old.Addr, a.ns, a.ttl)
	if rep.Result == ResultDone {
		t.Errorf("finish done (\"the old provider is safe to decommission\") without asking the server the recorded delegation names (ns1.oldhost.test. -> %s), which still serves the zone with an apex NS naming itself", ip["old"])
	}

	// The configured old server is the new one too: the parity gate
	// says so whatever else refuses.
	if g := gateNamed(rep, GateParity); g == nil || g.OK || !strings.Contains(g.Detail, "are the new side's servers") {
		t.Errorf("parity with providers.old.nameservers the new side's servers: %+v", g)
	}

	// A recorded name that does not exist: resolvers cannot reach it
	// either; said, refusing nothing.
	apexCheck := func(rep *Report, name string) *delegation.Check {
		for _, g := range rep.Gates {
			for i, ch := range g.Checks {
				if g.Name == GateOldUnreferenced && ch.Server == name {
					return &g.Checks[i]
				}
			}
		}
		return nil
	}
	c = setup()
	c.Old.Servers = []string{old.Addr}
	path := c.TrailPath
	at := time.Now().UTC().Add(-time.Hour)
	before := registrar.Delegation{NS: []string{"ns1.gone.test.", "ns1.oldhost.test."}, NSTTL: 1}
	after := registrar.Delegation{NS: []string{"ns1.newhost.test."}, NSTTL: 1}
	appendTrail(t, path, flipEntry(at, before, after))
	rep = Finish(context.Background(), c)
	if ch := apexCheck(rep, "ns1.gone.test."); ch == nil || !ch.OK || !strings.Contains(ch.Detail, "resolves to no address") {
		t.Errorf("a recorded name that does not exist: %+v%s", ch, summary(rep))
	}

	// A recorded name whose lookup fails (the resolver does not answer):
	// its servers were not asked, and finish says so.
	c = setup()
	c.Resolvers = []string{silent(t)} // nothing listens there
	c.Timeout = 300 * time.Millisecond
	rep = Finish(context.Background(), c)
	if ch := apexCheck(rep, "ns1.oldhost.test."); ch == nil || ch.OK || !strings.Contains(ch.Detail, "could not be resolved") || !strings.Contains(ch.Fix, "cutover.resolvers") {
		t.Errorf("a recorded name whose lookup failed: %+v%s", ch, summary(rep))
	}
}

// TestFinishSiblingStillDelegatedToOldLab: the old side's server
// ns1.old.example.test. also serves other.test., which the parent
// delegates to it (the parent registrar keeps that name's glue at the
// flip on purpose: usedElsewhere), and git's zone keeps the name's address
// (the old server's) for it. Finish must not say the old provider is safe
// to decommission: other.test. goes dark with it. With the parent
// registrar the parent zone's other NS RRsets are read (other-ns); with
// another registrar, other.test. in the config's zones (git-target); with
// neither, finish cannot know, and its passed detail says so.
func TestFinishSiblingStillDelegatedToOldLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	key := &lab.TSIGKey{Name: "k.", Secret: "c2libGluZy1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0"}
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 1\n@ SOA ns.test. h.test. 1 60 60 1209600 1\n@ NS ns.test.\nns A %s\nexample NS ns1.newhost.test.\nns1.newhost A %s\nother NS ns1.old.example.test.\nns1.old.example A %s\n", ip["parent"], ip["new"], ip["old"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	example := "$ORIGIN example.test.\n$TTL 1\n@ SOA ns1.newhost.test. h.example.test. 1 60 60 1209600 1\n@ NS ns1.newhost.test.\nns1.old A " + ip["old"] + "\nwww A 192.0.2.80\n"
	otherText := "$ORIGIN other.test.\n$TTL 1\n@ SOA ns1.old.example.test. h 1 60 60 1209600 1\n@ NS ns1.old.example.test.\nwww A 192.0.2.81\n"
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}, {Origin: "other.test.", Text: otherText}}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	z := gitZone(t, example)
	setup := flippedOutOfZone(t, z, ip, old, nw, parentSrv, resolver.Addr, "ns1.newhost.test.")
	gate := func(rep *Report) (g Gate) {
		for _, g := range rep.Gates {
			t.Logf("%s ok=%v: %.300s", g.Name, g.OK, g.Detail)
		}
		for _, g := range rep.Gates {
			if g.Name == GateOldUnreferenced {
				return g
			}
		}
		t.Fatal("no gate old-unreferenced")
		return g
	}
	failing := func(g Gate, check, server string) bool {
		for _, ch := range g.Checks {
			if ch.Name == check && strings.HasSuffix(ch.Server, server) && !ch.OK {
				return true
			}
		}
		return false
	}

	// The parent registrar reads the parent zone: other.test.'s NS there
	// names the old server.
	c := setup()
	c.Registrar = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, parentSrv.Addr, key)}
	rep := Finish(context.Background(), c)
	if g := gate(rep); rep.Result == ResultDone || !failing(g, CheckOtherNS, "other.test.") {
		t.Errorf("parent registrar: finish %s while the parent zone delegates other.test. to ns1.old.example.test. (%s, the old server)", rep.Result, ip["old"])
	}

	// The manual registrar cannot; other.test. is one of the config's
	// zones, its NS in git naming the old server.
	c = setup()
	file := filepath.Join(t.TempDir(), "other.test.zone")
	if err := os.WriteFile(file, []byte(otherText), 0o644); err != nil {
		t.Fatal(err)
	}
	c.ConfigZones = []GitZone{{Origin: "other.test.", File: file}}
	rep = Finish(context.Background(), c)
	if g := gate(rep); rep.Result == ResultDone || !failing(g, CheckGitTarget, "other.test.zone:4") {
		t.Errorf("other.test. in git naming the old server: finish %s", rep.Result)
		for _, ch := range g.Checks {
			t.Logf("  %s %s ok=%v %s", ch.Name, ch.Server, ch.OK, ch.Detail)
		}
	}

	// The steps of a wave share the zone files they read (GitZones):
	// other.test. is read once, not once per zone, and each step finds
	// its NS all the same (a wave's finish read every other zone of the
	// config again for each zone: N² loads). Its file is gone after the
	// first step: a step that read it again could not.
	gz := &GitZones{}
	for i := range 3 {
		c = setup()
		c.ConfigZones = []GitZone{{Origin: "other.test.", File: file}}
		c.GitZones = gz
		rep = Finish(context.Background(), c)
		if g := gate(rep); rep.Result == ResultDone || !failing(g, CheckGitTarget, "other.test.zone:4") {
			t.Errorf("step %d sharing the zone files: other.test. in git naming the old server (read once): finish %s", i, rep.Result)
		}
		if i == 0 {
			if err := os.Rename(file, file+".away"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Rename(file+".away", file); err != nil {
		t.Fatal(err)
	}

	// Neither: finish cannot know; it says what it did not check.
	c = setup()
	rep = Finish(context.Background(), c)
	if g := gate(rep); !g.OK || !strings.Contains(g.Detail, "delegations of other zones to these servers were not checked") {
		t.Errorf("manual registrar, other.test. not in the config: old-unreferenced ok=%v %s", g.OK, g.Detail)
	}
	if acts := strings.Join(rep.Actions, "\n"); !strings.Contains(acts, "make sure no other zone is delegated to ns1.old.example.test.") {
		t.Errorf("manual registrar: finish's actions do not say other delegations were not checked:\n%s", acts)
	}
}

// listingProvider is a provider that lists its zones, a page
// (provider.ZoneLister) and the whole account (provider.AccountLister),
// as an API provider does.
type listingProvider struct {
	provider.Provider
	zones []string
}

func (p listingProvider) ZoneNames(context.Context) ([]string, error)    { return p.zones, nil }
func (p listingProvider) AccountZones(context.Context) ([]string, error) { return p.zones, nil }

// TestFinishNSZoneHeldByOldLab: the new side's nameserver name
// ns1.dnshost.test. lives in dnshost.test., whose nameserver
// (ns.dnshost.test., the new server's address here) is no server of the
// old side by name or address: an API provider serves each zone under
// other nameserver names. Where the old provider lists its zones and
// holds dnshost.test., finish refuses (decommissioning it would take
// dnshost.test., and example.test.'s delegation, with it); where it holds
// other zones only, finish is done; where it cannot list, finish is done
// and ns-zone's detail says only names and addresses were compared.
func TestFinishNSZoneHeldByOldLab(t *testing.T) {
	setup := flippedToDNSHost(t, "")
	nsZone := func(rep *Report) *delegation.Check {
		for _, g := range rep.Gates {
			t.Logf("%s ok=%v: %.300s", g.Name, g.OK, g.Detail)
			for i, ch := range g.Checks {
				if g.Name == GateOldUnreferenced && ch.Name == CheckNSZone {
					t.Logf("  ns-zone ok=%v: %s", ch.OK, ch.Detail)
					return &g.Checks[i]
				}
			}
		}
		return nil
	}

	c := setup()
	c.Old.Provider = listingProvider{c.Old.Provider, []string{"example.test.", "dnshost.test."}}
	rep := Finish(context.Background(), c)
	if ch := nsZone(rep); rep.Result == ResultDone || ch == nil || ch.OK || !strings.Contains(ch.Detail, "which the old provider holds") {
		t.Errorf("the old provider holds dnshost.test., the zone of the new side's nameserver name: finish %s", rep.Result)
	}

	c = setup()
	c.Old.Provider = listingProvider{c.Old.Provider, []string{"example.test.", "elsewhere.test."}}
	rep = Finish(context.Background(), c)
	if ch := nsZone(rep); rep.Result != ResultDone || ch == nil || !ch.OK || !strings.Contains(ch.Detail, "does not hold") {
		t.Errorf("the old provider does not hold dnshost.test.: finish %s", rep.Result)
	}

	c = setup()
	rep = Finish(context.Background(), c)
	if ch := nsZone(rep); rep.Result != ResultDone || ch == nil || !ch.OK || !strings.Contains(ch.Detail, "only server names and addresses were compared") {
		t.Errorf("an old provider that cannot list its zones: finish %s", rep.Result)
	}
}

// A registrar that accepts a change and publishes it after the step's
// confirmation window: the flip ends unconfirmed (exit 2, the change
// recorded), its old_delegation_expires counted from the last poll while
// the parent went on serving the old delegation until the publication.
// finish (a short policy.overlap) then let the old provider go while
// resolvers that took the old delegation in between still asked it. Now
// an unconfirmed change records the parent as sending resolvers to both
// sides, and finish waits from the first run that sees every server on
// the new side.
func TestFinishWaitsUnconfirmedFlipLab(t *testing.T) {
	l := newReviewLab(t, 5)
	c := l.mk()
	c.Confirm = time.Second
	late := &latePublisher{Registrar: l.reg, delay: 6 * time.Second, done: make(chan error, 1)}
	c.Registrar = late
	rep := Flip(context.Background(), c, false, false)
	if err := <-late.done; err != nil {
		t.Fatal(err)
	}
	if rep.Result != ResultError || rep.Change == nil || rep.Change.Confirmed {
		t.Fatalf("flip published after the confirmation window: %s %v", rep.Result, rep.Errors)
	}
	published := time.Now()
	// The old side names the new server only from now on: its own apex
	// NS set holds finish no longer than the old delegation does, so
	// the overlap gate below judges the delegation.
	setRRs(t, &c.Old, "example.test. 60 IN NS ns1.new.example.test.")
	Status(context.Background(), l.mk()) // sees every parent server on the new side
	// The old side's own NS TTL is 60 s, the parent's 5 s: resolvers may
	// hold the old delegation until the publication + 65 s.
	ctx := context.Background()
	at := published.Add(64 * time.Second)
	fin := Finish(ctx, l.at(published, 64*time.Second))
	overlap := overlapGate(t, fin)
	if fin.Result != ResultRefused || fin.Changed != 0 || overlap == nil || overlap.OK || !strings.Contains(overlap.Detail, "a parent server still sent resolvers to the old side") {
		t.Errorf("finish %s after the change, 64 s after the publication (%s after it): %s, overlap %+v", at.Sub(rep.Change.At).Round(time.Second), late.delay, fin.Result, overlap)
	}
	if fin = Finish(ctx, l.at(published, 2*time.Minute)); fin.Result != ResultDone || fin.Changed != 1 {
		t.Errorf("finish two minutes after the publication: %s, changed %d, gates %+v", fin.Result, fin.Changed, fin.Gates)
	}
	// Finished: the step again changes nothing.
	if fin = Finish(ctx, l.at(published, 3*time.Minute)); fin.Result != ResultNothing || fin.Changed != 0 {
		t.Errorf("finish again: %s, changed %d, actions %v", fin.Result, fin.Changed, fin.Actions)
	}
}

// A flip found in live DNS was recorded without a watch: the last cached
// copy of the old delegation counted the parent's NS TTL (5 s) alone, not
// the old side's own NS TTL (60 s) that resolvers which took its NS set
// keep, so finish (a short policy.overlap) passed 10 s after the re-run.
// The re-run now watches from when it found the change, as a step does
// after its own, reading the side left's NS TTL.
func TestFinishFoundFlipCountsOldNSTTLLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	c := l.mk()
	c.Registrar = appliedButFailed{l.reg}
	Flip(ctx, c, false, false)
	// The old side names the new server only before the re-run records
	// the flip: its own apex NS set holds finish no longer than the old
	// delegation does, so the overlap gate below judges the delegation.
	setRRs(t, &c.Old, "example.test. 60 IN NS ns1.new.example.test.")
	rep := Flip(ctx, l.mk(), false, false)
	if !has(rep.Actions, "recorded the flip found in live DNS") {
		t.Fatalf("re-run: %s %v %v", rep.Result, rep.Actions, rep.Errors)
	}
	tr, err := ReadTrail(l.mk().TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	_, e := tr.Stage()
	fin := Finish(ctx, l.at(flipTime(e), 10*time.Second))
	overlap := overlapGate(t, fin)
	if fin.Result != ResultRefused || overlap == nil || overlap.OK || strings.Contains(overlap.Detail, "naming old servers") {
		t.Errorf("finish 10 s after a flip found in live DNS (parent NS TTL 5 s, old side's NS TTL 60 s), the old side naming the new server: %s, overlap %+v (want refused by the old delegation alone)", fin.Result, overlap)
	}
}

// finish counted the old side's own NS TTL as the flip saw it (capped).
// A push during the overlap that raised it (the `ttl --cap` commit
// reverted and synced while resolvers still held the referral to the old
// side) gave the old servers' NS set a day: resolvers that took it keep
// asking the old servers for that day, and finish, with a short
// policy.overlap, said the old provider could go minutes later. Now the
// push, recorded in the trail (apex_ns_ttl; without the names it gave, so
// it may name an old server), holds finish until that TTL after the old
// side was first seen serving no NS set naming an old server.
func TestFinishOldNSTTLPushedLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ctx := context.Background()
	c, _, flipped := l.flip(t, ctx)
	// The cap reverted and pushed to both sides: the old side's apex NS
	// (its own names) at 86,400 s, within the parent's NS TTL of the
	// change; later the old side names the new server (old-unreferenced).
	setRRs(t, &c.Old, "example.test. 86400 IN NS ns1.old.example.test.")
	if err := RecordPush(c.TrailPath, "example.test.", "push", "tester", time.Now(), map[string]Pushed{"old": {MaxTTL: 86400, ApexNSTTL: 86400}, "new": {MaxTTL: 86400, ApexNSTTL: 86400}}); err != nil {
		t.Fatal(err)
	}
	if time.Since(flipped) > 50*time.Second {
		t.Fatalf("the push came %s after the change, past the parent's NS TTL", time.Since(flipped))
	}
	setRRs(t, &c.Old, "example.test. 60 IN NS ns1.new.example.test.")
	finishAt := func(after time.Duration) *Report { return Finish(ctx, l.at(flipped, after)) }
	rep := finishAt(10 * time.Minute)
	overlap := overlapGate(t, rep)
	t.Logf("finish 10 minutes after the flip: %s; overlap %+v", rep.Result, overlap)
	if rep.Result != ResultRefused || overlap == nil || overlap.OK || !strings.Contains(overlap.Detail, "with a TTL of 86400 s") {
		t.Fatalf("finish 10 minutes after a flip whose old side's NS TTL a push raised to a day within the parent's NS TTL: %s, overlap %+v", rep.Result, overlap)
	}
	// The old side served that NS set (naming itself) until the finish
	// at 10 minutes first saw it gone (TestFinishWaitsOldApexNSLab):
	// resolvers that took it then keep it a day from there.
	if rep = finishAt(60*time.Second + 86401*time.Second); rep.Result != ResultRefused {
		t.Errorf("finish a day after the last referral to the old side expired, before a day after the old side was seen serving its day-long NS set no more: %s", rep.Result)
	}
	if rep = finishAt(10*time.Minute + 86401*time.Second); rep.Result != ResultDone {
		t.Errorf("finish a day after the old side was seen serving the NS set naming it no more: %s; gates %+v", rep.Result, rep.Gates)
	}
}

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

// finish says the old provider is safe to decommission. A resolver that
// cached the old delegation just before the flip keeps asking the old
// servers until the parent's NS TTL (and the old side's own NS TTL, which
// child-centric resolvers took) has passed: a policy.overlap shorter than
// that (a .com parent's NS TTL is two days; a pull request can set
// overlap: 1s) must not let finish pass before then.
func TestFinishWaitsOldDelegationLab(t *testing.T) {
	l := newReviewLab(t, 3000)
	ctx := context.Background()
	c, rep, flipped := l.flip(t, ctx)
	for _, n := range rep.Next {
		if n.Step == "finish" && n.Earliest.Before(rep.Watch.OldDelegationExpires) {
			t.Errorf("the flip's next finish %s, before the old delegation expires (%s)", n.Earliest, rep.Watch.OldDelegationExpires)
		}
		// The old side still names itself (ns1.old.example.test.):
		// finish's overlap gate waits for that (moveHeld), and the
		// flip's next step says so, as status's does.
		if n.Step == "finish" && !strings.Contains(n.Detail, "the old side's apex NS names old servers") {
			t.Errorf("the flip's next finish does not name the old side's apex NS it waits for: %q", n.Detail)
		}
	}
	// The old side names the new server now (old-unreferenced).
	setRRs(t, &c.Old, "example.test. 60 IN NS ns1.new.example.test.")

	finishAt := func(after time.Duration) *Report { return Finish(ctx, l.at(flipped, after)) }
	rep = finishAt(time.Minute)
	if rep.Result != ResultRefused {
		t.Fatalf("finish a minute after a flip that replaced a delegation with NS TTL 3000 s (overlap 1 s): %s; gates %+v", rep.Result, rep.Gates)
	}
	for _, g := range rep.Gates {
		if g.Name == GateOverlap && (g.OK || !strings.Contains(g.Detail, "old delegation")) {
			t.Errorf("overlap gate: %+v", g)
		}
		if g.Name != GateOverlap && !g.OK {
			t.Errorf("gate %s unmet: %s", g.Name, g.Detail)
		}
	}
	if len(rep.Next) == 0 || rep.Next[0].Earliest.Before(flipped.Add(3060*time.Second)) {
		t.Errorf("next: %+v, want finish not before the flip + 3000 s + the old side's NS TTL 60 s", rep.Next)
	}
	// Once the old delegation and the old side's NS set have expired
	// from every cache: done.
	if rep = finishAt(3061 * time.Second); rep.Result != ResultDone {
		t.Fatalf("finish after the old delegation expired: %s; gates %+v", rep.Result, rep.Gates)
	}
}

// The new side's nameserver names may live outside the zone, in a zone of
// their own (vanity names, ns1.dnshost.test.). When only the old provider
// serves that zone, every gate passes and resolvers find the new servers,
// until the old provider is decommissioned: then the names, and the zone
// delegated to them, stop resolving. finish (which calls the old provider
// safe to decommission) must see it.
func TestFinishNSZoneAtOldLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := func(hostIP string) string {
		return dnshostParent(ip["parent"], hostIP)
	}
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: parentText(ip["old"])}}})
	example := "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.dnshost.test. h.example.test. 1 60 60 1209600 60\n@ NS ns1.dnshost.test.\nwww A 192.0.2.80\n"
	dnshost := func(hostIP string) lab.Zone {
		return dnshostZone(hostIP, ip["new"])
	}
	// Both sides serve example.test. (the old one points at the new
	// server already); dnshost.test. is at the old provider, and a copy
	// at the new one that the parent does not delegate to yet.
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}, dnshost(ip["old"])}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}, dnshost(ip["new"])}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	z := gitZone(t, example)
	path := TrailPath(t.TempDir(), "example.test.")
	flipped := time.Now().UTC().Add(-time.Hour)
	before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
	after := registrar.Delegation{NS: []string{"ns1.dnshost.test."}, NSTTL: 1}
	appendTrail(t, path, flipEntry(flipped, before, after))
	c := signedConfig(t, z, ip, old, nw, parentSrv, path, 60)
	c.New.Delegation, c.New.Glue = []string{"ns1.dnshost.test."}, nil
	c.ParentZone, c.Resolvers, c.Overlap = "test.", []string{resolver.Addr}, time.Minute
	rep := Finish(context.Background(), c)
	var u *Gate
	for i := range rep.Gates {
		if rep.Gates[i].Name == GateOldUnreferenced {
			u = &rep.Gates[i]
		}
	}
	if rep.Result != ResultRefused || u == nil || u.OK || !strings.Contains(u.Detail, "dnshost.test.") {
		t.Fatalf("finish while the new side's nameserver name lives in a zone only the old provider serves: %s, gates %+v", rep.Result, rep.Gates)
	}
	for _, g := range rep.Gates {
		if g.Name != GateOldUnreferenced && !g.OK {
			t.Errorf("gate %s unmet: %s", g.Name, g.Detail)
		}
	}
	// dnshost.test. moves to the new provider: finish is done.
	parentSrv.Reload(t, lab.Zone{Origin: "test.", Text: strings.Replace(parentText(ip["new"]), "h.test. 1 ", "h.test. 2 ", 1)})
	time.Sleep(3 * time.Second) // the resolver's copy of dnshost.test.'s NS (TTL 1; Unbound serves it at TTL 0 for a second more)
	if rep = Finish(context.Background(), c); rep.Result != ResultDone {
		t.Fatalf("finish once dnshost.test. is at the new provider: %s, gates %+v", rep.Result, rep.Gates)
	}
}

// A parent server that takes the flip late (an anycast node or a
// secondary of the registry that lags for an hour) keeps handing out the
// old delegation after the flip's change: resolvers asking it then cache
// it for the parent's NS TTL, and follow the old side's own NS set for
// its TTL after that. The flip's old_delegation_expires counts from its
// change; a status run saw the server still serving the old delegation
// an hour later (delegated_to: old and new, in the trail). finish, with
// an overlap shorter than the lag, must wait from that observation.
func TestFinishWaitsLaggingParentServerLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	lagIP := lab.Addr(t)
	copyText := func(side, ip string) []lab.Zone {
		return []lab.Zone{{Origin: "test.", Text: delegatingParent(1, "ns1."+side, ip)}}
	}
	lag := lab.BIND(t, lab.Options{IP: lagIP, Zones: copyText("old", l.oldIP)})
	mk := func(shift time.Duration) *Config {
		c := l.mk()
		c.ParentServers = []string{l.parent.Addr, lag.Addr}
		c.Overlap = time.Second
		c.Now = func() time.Time { return time.Now().Add(shift) }
		return c
	}
	// The flip: made at the registrar, not confirmed at the lagging server.
	rep := Flip(ctx, mk(0), false, false)
	if rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Change, rep.Errors)
	}
	// An hour later status sees the lagging server still on the old
	// delegation, and records it.
	if rep := Status(ctx, mk(time.Hour)); rep.Delegation.PointsTo != "mixed" {
		t.Fatalf("status an hour later: points to %s %v", rep.Delegation.PointsTo, rep.Errors)
	}
	// Then it catches up, and the old side no longer names itself.
	lag.Stop()
	lag = lab.BIND(t, lab.Options{IP: lagIP, Zones: copyText("new", l.newIP)})
	setAt(t, &l.mk().Old, "example.test. 60 IN NS ns1.old.example.test.", "example.test. 60 IN NS ns1.new.example.test.")

	// 30 s after that observation, resolvers that asked the lagging
	// server then still hold the old delegation (NS TTL 5 s, the old
	// side's own NS TTL 60 s).
	rep = Finish(ctx, mk(time.Hour+30*time.Second))
	if rep.ExitCode() != 1 {
		t.Errorf("finish 30 s after the old delegation was last seen at a parent server: %s (exit %d) %+v %v", rep.Result, rep.ExitCode(), rep.Gates, rep.Errors)
	}
	// Once that has passed, finish is done.
	if rep = Finish(ctx, mk(time.Hour+10*time.Minute)); rep.Result != ResultDone {
		t.Errorf("finish after the last sighting has expired: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
}

// dnshostParent is the parent zone test. (TTL 1, its server at parentIP)
// delegating example.test. to ns1.dnshost.test. and dnshost.test. to
// ns.dnshost.test. glued to hostIP.
func dnshostParent(parentIP, hostIP string) string {
	return fmt.Sprintf("$ORIGIN test.\n$TTL 1\n@ SOA ns.test. h.test. 1 60 60 1209600 1\n@ NS ns.test.\nns A %s\nexample NS ns1.dnshost.test.\ndnshost NS ns.dnshost\nns.dnshost A %s\n", parentIP, hostIP)
}

// dnshostZone is dnshost.test. (TTL 1), its nameserver ns at nsIP, the
// new side's nameserver name ns1 at ns1IP.
func dnshostZone(nsIP, ns1IP string) lab.Zone {
	return lab.Zone{Origin: "dnshost.test.", Text: fmt.Sprintf("$ORIGIN dnshost.test.\n$TTL 1\n@ SOA ns h 1 60 60 1209600 1\n@ NS ns\nns A %s\nns1 A %s\n", nsIP, ns1IP)}
}

// flippedOutOfZone makes the config of a finish after a flip an hour ago
// from the old side's glued name to newNS, a name outside the zone (no
// glue), each call with a trail of its own; resolver asks through the
// parent, the overlap is a minute.
func flippedOutOfZone(t *testing.T, z *zone.Zone, ip map[string]string, old, nw, parentSrv *lab.Server, resolver, newNS string) func() *Config {
	return func() *Config {
		path := TrailPath(t.TempDir(), "example.test.")
		flipped := time.Now().UTC().Add(-time.Hour)
		before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 1, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
		after := registrar.Delegation{NS: []string{newNS}, NSTTL: 1}
		appendTrail(t, path, flipEntry(flipped, before, after))
		c := signedConfig(t, z, ip, old, nw, parentSrv, path, 60)
		c.New.Delegation, c.New.Glue = []string{newNS}, nil
		c.ParentZone, c.Resolvers, c.Overlap = "test.", []string{resolver}, time.Minute
		return c
	}
}

// TestFinishOldApexNSOtherNameLab: the old provider's servers go by more
// than one name (a provider's own names beside the vanity names the
// registrar holds: ns.oldhost.test. here, in the parent zone, at the old
// server's address). During the overlap the old side's apex NS names its
// server by that other name, which neither providers.old.delegation nor
// the delegation recorded before the flip spells. Resolvers that took that
// set prefer it to the parent's referral (RFC 2181 §5.4.1) and keep asking
// the old server, whatever the name: finish must wait for it (overlap) and
// must not call the old provider safe to decommission (old-unreferenced's
// apex-ns). On the code before, both judged the names alone: finish was
// done ten minutes after the flip while the old side served that set for
// an hour.
func TestFinishOldApexNSOtherNameLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ctx := context.Background()
	// The old provider's own name for its server, in the parent zone.
	rr, err := zone.NewRRSet(transfertest.RRs(t, "ns.oldhost.test. 60 IN A "+l.oldIP))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.reg.Provider.Apply(ctx, "test.", []provider.Change{{Action: provider.Create, Name: rr.Name, Type: rr.Type, New: rr}}, nil); err != nil {
		t.Fatal(err)
	}
	c, _, flipped := l.flip(t, ctx)
	at := func(after time.Duration) *Config { return l.at(flipped, after) }
	setRRs(t, &c.Old, "example.test. 3600 IN NS ns.oldhost.test.")
	if rep := Status(ctx, at(2*time.Minute)); rep.Result != ResultObserved {
		t.Fatalf("status: %s %v", rep.Result, rep.Errors)
	}
	rep := Finish(ctx, at(10*time.Minute))
	var unref, overlap *Gate
	for i, g := range rep.Gates {
		switch g.Name {
		case GateOldUnreferenced:
			unref = &rep.Gates[i]
		case GateOverlap:
			overlap = &rep.Gates[i]
		default:
			if !g.OK {
				t.Errorf("gate %s unmet: %s", g.Name, g.Detail)
			}
		}
	}
	t.Logf("finish 10 minutes after the flip, the old side serving apex NS ns.oldhost.test. (the old server) for an hour: %s; overlap %+v; old-unreferenced %+v", rep.Result, overlap, unref)
	if rep.Result != ResultRefused {
		t.Fatalf("finish while the old side serves an apex NS naming its own server by another name: %s", rep.Result)
	}
	if overlap == nil || overlap.OK || !strings.Contains(overlap.Detail, "ns.oldhost.test.") {
		t.Errorf("overlap gate does not wait for the old side's apex NS naming ns.oldhost.test.: %+v", overlap)
	}
	if unref == nil || unref.OK || !strings.Contains(unref.Detail, "ns.oldhost.test.") {
		t.Errorf("old-unreferenced does not name the old side's apex NS ns.oldhost.test.: %+v", unref)
	}
	// Once the old side names the new server, an hour on: done.
	setRRs(t, &c.Old, "example.test. 3600 IN NS ns1.new.example.test.")
	if rep := Status(ctx, at(11*time.Minute)); rep.Result != ResultObserved {
		t.Fatalf("status: %s %v", rep.Result, rep.Errors)
	}
	if rep := Finish(ctx, at(11*time.Minute+3601*time.Second)); rep.Result != ResultDone {
		t.Errorf("finish an hour after the old side was seen naming the new server: %s; gates %+v", rep.Result, rep.Gates)
	}
}

// TestFinishCutZoneHeldByOldLab: git delegates sub.example.test. to
// ns.elsewhere.test. (a name that is no old server's by name or address),
// and the old provider, which lists its zones, holds sub.example.test. as
// a zone of its own: an API provider serves each zone under nameserver
// names of its own, so the delegation's names may well be the old
// provider's, which names and addresses alone do not show (as ns-zone
// judges the new side's nameserver names). Decommissioning the old
// provider may take sub.example.test. with it: finish must refuse,
// naming it (cut-zone). Where the old provider holds other zones only,
// finish is done. On the code before, finish was done in both.
func TestFinishCutZoneHeldByOldLab(t *testing.T) {
	setup := flippedToDNSHost(t, "sub NS ns.elsewhere.test.\n")
	cutZone := func(rep *Report) *delegation.Check {
		for _, g := range rep.Gates {
			t.Logf("%s ok=%v: %.300s", g.Name, g.OK, g.Detail)
			for i, ch := range g.Checks {
				if g.Name == GateOldUnreferenced && ch.Name == CheckCutZone {
					t.Logf("  cut-zone %s ok=%v: %s", ch.Server, ch.OK, ch.Detail)
					return &g.Checks[i]
				}
			}
		}
		return nil
	}
	c := setup()
	c.Old.Provider = listingProvider{c.Old.Provider, []string{"example.test.", "sub.example.test."}}
	rep := Finish(context.Background(), c)
	if ch := cutZone(rep); rep.Result == ResultDone || ch == nil || ch.OK || ch.Server != "sub.example.test." {
		t.Errorf("the old provider holds sub.example.test., which git delegates: finish %s, cut-zone %+v", rep.Result, ch)
	}
	c = setup()
	c.Old.Provider = listingProvider{c.Old.Provider, []string{"example.test.", "other.test."}}
	if rep := Finish(context.Background(), c); rep.Result != ResultDone {
		t.Errorf("the old provider does not hold sub.example.test.: finish %s", rep.Result)
	}
}

// TestFinishOldProviderStillServesOtherZonesLab: a config of two zones
// with one old provider (one account). example.test. is flipped and its
// finish passes; other.test. is not finished (its git apex NS already
// names the new server, as a wave's preparation has it). On the code
// before, finish said "the old provider is safe to decommission" after
// checking example.test. alone: closing the account took other.test.
// down. Now finish is done for its zone, says the zone no longer needs
// the old provider, and warns, listing each other zone not finished
// (its trail's stage) and the zones the old account holds outside the
// config where the provider lists them (old_provider_in_use).
func TestFinishOldProviderStillServesOtherZonesLab(t *testing.T) {
	setup := flippedToDNSHost(t, "")
	other := filepath.Join(t.TempDir(), "other.test.zone")
	if err := os.WriteFile(other, []byte("$ORIGIN other.test.\n$TTL 1\n@ SOA ns1.dnshost.test. h.other.test. 1 60 60 1209600 1\n@ NS ns1.dnshost.test.\nwww A 192.0.2.81\n@ MX 10 mx.stray.test.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hour := time.Now().UTC().Add(-time.Hour)
	flipped := flipEntry(hour, registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 1}, registrar.Delegation{NS: []string{"ns1.dnshost.test."}, NSTTL: 1})
	finished := Entry{Time: hour.Add(time.Minute), Command: "finish", Result: ResultDone}
	for _, tc := range []struct {
		name      string
		trail     []Entry  // other.test.'s
		held      []string // the old account's zones (nil: it cannot list them)
		wantZones []ZoneStage
		wantHeld  []string
		wantInto  string // a record of git pointing into a zone of wantHeld
	}{
		{name: "other zone not started", wantZones: []ZoneStage{{Zone: "other.test.", Stage: StageNotStarted}}},
		{name: "other zone flipped", trail: []Entry{flipped}, wantZones: []ZoneStage{{Zone: "other.test.", Stage: StageFlipped}}},
		{name: "other zone finished", trail: []Entry{flipped, finished}},
		{name: "other zone finished, account holds more", trail: []Entry{flipped, finished}, held: []string{"other.test.", "stray.test", "example.test."}, wantHeld: []string{"stray.test."}, wantInto: "other.test.zone:6 other.test. MX mx.stray.test."},
		{name: "all finished, account holds the config's zones only", trail: []Entry{flipped, finished}, held: []string{"other.test.", "example.test."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := setup()
			c.ConfigZones = []GitZone{{Origin: "example.test.", File: "not-read.zone"}, {Origin: "other.test.", File: other}}
			path := TrailPath(filepath.Dir(c.TrailPath), "other.test.")
			tr, err := ReadTrail(path, "other.test.")
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range tc.trail {
				if err := tr.Append(path, e); err != nil {
					t.Fatal(err)
				}
			}
			if tc.held != nil {
				c.Old.Provider = listingProvider{c.Old.Provider, tc.held}
			}
			rep := Finish(context.Background(), c)
			acts, warns := strings.Join(rep.Actions, "\n"), strings.Join(rep.Warnings, "\n")
			if rep.Result != ResultDone || rep.OldProviderInUse == nil {
				t.Fatalf("finish %s (want done), old_provider_in_use %v; gates %+v", rep.Result, rep.OldProviderInUse, rep.Gates)
			}
			u := rep.OldProviderInUse
			if !slices.Equal(u.Zones, tc.wantZones) || !slices.Equal(u.Held, append([]string{}, tc.wantHeld...)) || u.Listed != (tc.held != nil) {
				t.Errorf("old_provider_in_use %+v, want zones %v, held %v", u, tc.wantZones, tc.wantHeld)
			}
			if !strings.Contains(acts, "example.test. is finished: the zone no longer needs the old provider") {
				t.Errorf("finish's actions do not say the zone no longer needs the old provider:\n%s", acts)
			}
			inUse := len(tc.wantZones)+len(tc.wantHeld) > 0
			// Safe only when nothing else needs it and the account was
			// read whole (a lab server lists nothing: not safe).
			if says := strings.Contains(acts, "safe to decommission"); says != (!inUse && tc.held != nil) {
				t.Errorf("something else needs the old provider: %v, account listed: %v; finish calls it safe to decommission: %v:\n%s", inUse, tc.held != nil, says, acts)
			}
			if warned := strings.Contains(warns, "do not decommission the old provider yet"); warned != inUse {
				t.Errorf("something else needs the old provider: %v; warned: %v: %q", inUse, warned, warns)
			}
			for _, z := range tc.wantZones {
				if !strings.Contains(warns, z.Zone+" ("+z.Stage+")") {
					t.Errorf("the warning does not name %s (%s): %q", z.Zone, z.Stage, warns)
				}
			}
			if into := strings.Join(u.Targets, "\n"); (tc.wantInto == "") != (into == "") || !strings.Contains(into, tc.wantInto) || !strings.Contains(warns, tc.wantInto) {
				t.Errorf("git records into the old account's other zones: %q, warning %q; want %q", into, warns, tc.wantInto)
			}
			for _, h := range tc.wantHeld {
				if !strings.Contains(warns, h) {
					t.Errorf("the warning does not name %s, held by the old account outside the config: %q", h, warns)
				}
			}
		})
	}
}

// flippedToDNSHost is the lab of a finish an hour after a flip of
// example.test. (TTL 1) from the old server (Knot) to ns1.dnshost.test.,
// a name in dnshost.test. that the new server (Knot) serves at its own
// address, under a BIND parent test. and an Unbound resolver
// (flippedOutOfZone), extra added to the zone's records: each call a
// Config with a trail of its own.
func flippedToDNSHost(t *testing.T, extra string) func() *Config {
	lab.Require(t, "named", "knotd", "unbound")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: dnshostParent(ip["parent"], ip["new"])}}})
	example := "$ORIGIN example.test.\n$TTL 1\n@ SOA ns1.dnshost.test. h.example.test. 1 60 60 1209600 1\n@ NS ns1.dnshost.test.\nwww A 192.0.2.80\n" + extra
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}, dnshostZone(ip["new"], ip["new"])}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	return flippedOutOfZone(t, gitZone(t, example), ip, old, nw, parentSrv, resolver.Addr, "ns1.dnshost.test.")
}
