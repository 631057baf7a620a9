package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// signedEmergencyLab is an NSEC-signed zone on both sides (RFC 8901: old Knot signs
// with key a, new BIND with b, each publishing the other's keys; both DS
// at a signed parent), its negative TTL 30 s (SOA TTL 40, MINIMUM 30), for
// validating resolvers behind the parent.
type signedEmergencyLab struct {
	ip          map[string]string
	parent, old *lab.Server
	anchor      []string
	mk          func(resolvers ...string) *Config
}

func newSignedEmergencyLab(t *testing.T) *signedEmergencyLab {
	t.Helper()
	lab.Require(t, "named", "knotd", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	l := &signedEmergencyLab{ip: map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}}
	p, a, b := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	text := func(side string) string {
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ 40 SOA ns1.%s.example.test. h.example.test. 1 60 60 1209600 30\n@ NS ns1.%s.example.test.\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\n",
			side, side, l.ip["old"], l.ip["new"])
	}
	l.parent = lab.BIND(t, lab.Options{IP: l.ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, l.ip, 1, "old", []string{a.ds(t), b.ds(t)})}}})
	l.old = lab.Knot(t, lab.Options{IP: l.ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, text("old"), b.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: l.ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, text("new"), a.keys(t))}}})
	l.anchor = []string{"test. IN DS " + p.ds(t)}
	z, err := zone.Parse(strings.NewReader(text("new")), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	path := prestagedTrail(t, 60)
	l.mk = func(resolvers ...string) *Config {
		c := signedConfig(t, z, l.ip, l.old, nw, l.parent, path, 60)
		// filterFromHere makes each question to the old side time
		// out (twice: query.Msg's two tries), the point of these
		// tests; the lab's resolvers answer over loopback in
		// milliseconds. Half a second is ample for them and halves
		// the wait on the filtered side.
		c.Resolvers, c.Timeout = resolvers, 500*time.Millisecond
		return c
	}
	return l
}

// liveOldResolvers is l's config with two validating resolvers, Unbound
// (its negative TTL uncapped) and BIND, that reach the old side, which
// this machine's queries no longer reach (filterFromHere): the old side
// up for the world.
func (l *signedEmergencyLab) liveOldResolvers(t *testing.T) *Config {
	t.Helper()
	stubs := map[string][]string{"test.": {l.parent.IP}}
	out := lab.Addr(t)
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: stubs, TrustAnchors: l.anchor, MaxNegativeTTL: 3600, OutgoingIP: out})
	bi := lab.BIND(t, lab.Options{Recursion: true, Stubs: stubs, TrustAnchors: l.anchor, QuerySource: out})
	filterFromHere(t, l.ip["old"], out)
	return l.mk(u.Addr, bi.Addr)
}

// A validating resolver answers a fresh name under an NSEC-signed zone
// from NSEC records it holds (aggressive use of the DNSSEC-validated
// cache, RFC 8198: Unbound's aggressive-nsec, BIND's synth-from-dnssec,
// both on by default), with the SOA cached beside them, without asking
// anyone: the same answer whether the side that gave them is down or up.
// So an emergency's down gate counts it as the side answering, and
// refuses, in every case below, where the old side is up for the world
// (only this machine's queries to it are dropped, filterFromHere). A
// change that took such answers, aged and counting down, for a cache
// from before an outage (a9e9689, reverted) passed old-down in each:
// "from its cache (SOA TTL 25 then 23 2.0 s later ...)".

// The resolvers hold the old side's NSEC records from a client's query a
// moment ago (any client's, or the watch's own).
func TestEmergencyLiveOldThroughCacheLab(t *testing.T) {
	ctx := context.Background()
	c := newSignedEmergencyLab(t).liveOldResolvers(t)
	for _, r := range c.Resolvers {
		if a := askFresh(ctx, c, r); a.err != nil || a.soa == "" {
			t.Fatalf("a client's query through %s: %+v, want the old side's NXDOMAIN", r, a)
		}
	}
	time.Sleep(1500 * time.Millisecond)
	rep := Flip(ctx, c, true, true)
	if d := gateNamed(rep, GateOldDown); d == nil || d.OK {
		t.Fatalf("old side up for the world, resolvers holding its NSEC records from 1.5 s ago: flip --emergency %s, old-down %+v", rep.Result, d)
	}
}

// Resolvers that cap negative TTLs (Unbound's cache-max-negative-ttl,
// BIND's max-ncache-ttl) or do not: each answer of the live old side
// refuses, and the detail names each resolver.
func TestEmergencySignedFilteredFromHereLab(t *testing.T) {
	l := newSignedEmergencyLab(t)
	ctx := context.Background()
	stubs := map[string][]string{"test.": {l.parent.IP}}
	out := lab.Addr(t)
	whole := lab.Unbound(t, lab.UnboundOptions{Stubs: stubs, TrustAnchors: l.anchor, MaxNegativeTTL: 3600, OutgoingIP: out})
	capped := lab.Unbound(t, lab.UnboundOptions{Stubs: stubs, TrustAnchors: l.anchor, OutgoingIP: out})
	bindCapped := lab.BIND(t, lab.Options{Recursion: true, Stubs: stubs, TrustAnchors: l.anchor, MaxNcacheTTL: 5, QuerySource: out})
	filterFromHere(t, l.ip["old"], out)
	rep := Flip(ctx, l.mk(whole.Addr, capped.Addr, bindCapped.Addr), true, true)
	unmetGates(t, "emergency, old filtered from here", rep)
	d := gateNamed(rep, GateOldDown)
	if d == nil || d.OK {
		t.Fatalf("flip --emergency with the old side filtered from here but answering the resolvers: %s, old-down %+v", rep.Result, d)
	}
	for _, r := range []string{whole.Addr, capped.Addr, bindCapped.Addr} {
		if want := r + " answered a fresh name with NXDOMAIN and the SOA ns1.old.example.test. 1"; !strings.Contains(d.Detail, want) {
			t.Errorf("old-down's detail lacks %q: %s", want, d.Detail)
		}
	}
}

// The operator runs flip --emergency, it refuses (the resolvers fetch the
// fresh name from the live old side), and runs it again seconds later:
// the resolvers may now answer from the NSEC records the first run's own
// questions brought. It still refuses.
func TestEmergencyRetryStillRefusedLab(t *testing.T) {
	ctx := context.Background()
	c := newSignedEmergencyLab(t).liveOldResolvers(t)
	for run := 1; run <= 2; run++ {
		rep := Flip(ctx, c, true, true)
		if d := gateNamed(rep, GateOldDown); d == nil || d.OK {
			t.Fatalf("run %d, the old side up for the world: flip --emergency %s, old-down %+v", run, rep.Result, d)
		}
	}
}
