package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestStatusOverlapOldSideBogusUnderDSLab: an RFC 8901 flip with both DS
// (old KSK a, new KSK b) at the parent, whose NS TTL before the change
// was a day; an hour after it the old DS was removed (the parent serves
// b alone). Resolvers that took the old delegation before the change
// keep asking the old side until it expires, and fetch the DS set anew
// (its TTL is 5 s): the old side signs its DNSKEY set with a only, so
// under DS b they find every answer bogus (the validating Unbound below,
// delegated to the old side under the parent's DS now, answers
// SERVFAIL). status must say so as an error while that delegation may
// be cached, not only as a warning that a rollback would be held back;
// once it has expired, the old side is asked by nobody and it is no
// error.
func TestStatusOverlapOldSideBogusUnderDSLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p, a, b := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	both, now := []string{a.ds(t), b.ds(t)}, []string{b.ds(t)}
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "new", now)}}})
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, msZone("new", ip), b.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, msZone("new", ip), a.keys(t))}}})

	path := TrailPath(t.TempDir(), "example.test.")
	flipped := time.Now().UTC().Add(-time.Hour)
	before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 86400, DS: both, DSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
	before.Normalize()
	after := registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5, DS: both, DSTTL: 5}
	flip := flipEntry(flipped, before, after)
	flip.ParentDS = &DSSeen{DS: both, TTL: 5}
	appendTrail(t, path, flip)
	// How long resolvers may hold the old delegation: the flip + a day
	// + the old side's own NS TTL (2 s here).
	expires := oldDelegationExpires(&flip)

	rep := strandedUntil(t, "old", b.KSKTag(), expires, signedStatus(t, ip, old, nw, parent, path))
	if rep.Result != ResultObserved {
		t.Errorf("status: %s %v", rep.Result, rep.Errors)
	}

	// What the error stands for: a validating resolver following the
	// old delegation under the DS the parent serves now fails.
	parent.Reload(t, lab.Zone{Origin: "test.", Text: signedParent(t, p, ip, 2, "old", now)})
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, TrustAnchors: []string{"test. IN DS " + p.ds(t)}})
	m := new(dns.Msg)
	m.SetQuestion("www.example.test.", dns.TypeA)
	m.SetEdns0(1232, true)
	r, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(m, u.Addr)
	if err != nil || r.Rcode != dns.RcodeServerFailure {
		t.Errorf("a validating resolver on the old delegation under DS %s: %v %v, want SERVFAIL", b.KSKTag(), r, err)
	}
}

// TestStatusAfterRollbackNewSideBogusUnderDSLab: the converse of
// TestStatusOverlapOldSideBogusUnderDSLab. An RFC 8901 flip and, an hour
// later, a rollback from a new delegation whose NS TTL was a day; then
// the new provider's DS (b) was removed (the parent serves a alone).
// Resolvers that took the new delegation before the rollback keep asking
// the new side until it expires, fetching the DS anew: the new side signs
// its DNSKEY set with b only, so under DS a every answer is bogus for
// them. status counted that only as the next flip's unmet dnssec gate;
// now it is an error until that delegation has expired.
func TestStatusAfterRollbackNewSideBogusUnderDSLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p, a, b := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	both, now := []string{a.ds(t), b.ds(t)}, []string{a.ds(t)}
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "old", now)}}})
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, msZone("new", ip), b.keys(t))}}})
	// The new side names the old server at its apex, as after a rollback
	// it should (the converse of the old side naming the new one above):
	// while it names itself, resolvers that took its NS set keep asking
	// it (new-apex-ns) and the error rightly stays.
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, msZone("old", ip), a.keys(t))}}})

	path := TrailPath(t.TempDir(), "example.test.")
	flipped := time.Now().UTC().Add(-2 * time.Hour)
	oldD := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 5, DS: both, DSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
	oldD.Normalize()
	newD := registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 86400, DS: both, DSTTL: 5, Glue: map[string][]string{"ns1.new.example.test.": {ip["new"]}}}
	newD.Normalize()
	flip := flipEntry(flipped, oldD, newD)
	flip.ParentDS = &DSSeen{DS: both, TTL: 5}
	rolled := flipped.Add(time.Hour)
	rollback := Entry{Time: rolled, Command: "rollback", Result: ResultDone, Before: &newD, After: &oldD, ChangedAt: &rolled, DelegatedTo: []string{"old"}, ParentDS: &DSSeen{DS: both, TTL: 5}}
	appendTrail(t, path, flip, rollback)
	expires := oldDelegationExpires(&rollback)

	rep := strandedUntil(t, "new", a.KSKTag(), expires, signedStatus(t, ip, old, nw, parent, path))
	if rep.Result != ResultObserved || rep.Stage != StageRolledBack {
		t.Errorf("status: %s, stage %s, %v", rep.Result, rep.Stage, rep.Errors)
	}
	// providers.new.nameservers naming another server (here the old
	// one, valid under DS a: a pull request pointing the config at the
	// other side's servers) is not what resolvers holding the new
	// delegation ask: the new side is judged at every server that
	// delegation named (newServers). Before, status judged the
	// configured server alone and reported nothing.
	elsewhere := func(at time.Time) *Report {
		c := signedConfig(t, gitZone(t, msZone("new", ip)), ip, old, nw, parent, path, 5)
		c.New.Servers = []string{old.Addr}
		c.Now = func() time.Time { return at }
		return Status(context.Background(), c)
	}
	strandedUntil(t, "new", a.KSKTag(), expires, elsewhere)
}

// signedStatus is status of the signed lab zone at a given time.
func signedStatus(t *testing.T, ip map[string]string, old, nw, parent *lab.Server, path string) func(at time.Time) *Report {
	return func(at time.Time) *Report {
		c := signedConfig(t, gitZone(t, msZone("new", ip)), ip, old, nw, parent, path, 5)
		c.Now = func() time.Time { return at }
		return Status(context.Background(), c)
	}
}

// strandedUntil requires status now to report as an error that the side
// a move left behind (old after a flip, new after a rollback) is bogus
// under the DS the parent serves, naming the DS set's key tag and the
// time the left delegation may be cached until, expires; and status a
// minute after expires to report no such error (nobody asks that side
// then). It returns the report of now.
func strandedUntil(t *testing.T, side, tag string, expires time.Time, status func(at time.Time) *Report) *Report {
	t.Helper()
	stranded := func(rep *Report) string {
		for _, e := range rep.Errors {
			if strings.Contains(e, side+" side") && strings.Contains(e, "DS") && strings.Contains(e, "bogus") {
				return e
			}
		}
		return ""
	}
	rep := status(time.Now())
	e := stranded(rep)
	if e == "" {
		t.Fatalf("status, the %s side bogus under the parent's DS (key tag %s) while its delegation may be cached until %s: no error; errors %q, warnings %q", side, tag, expires.Format(time.RFC3339), rep.Errors, rep.Warnings)
	}
	t.Logf("error: %s", e)
	if !strings.Contains(e, tag) || !strings.Contains(e, expires.UTC().Format(time.RFC3339)) {
		t.Errorf("the error names neither the DS set's key tag %s nor the end of the %s delegation %s: %s", tag, side, expires.UTC().Format(time.RFC3339), e)
	}
	if late := status(expires.Add(time.Minute)); stranded(late) != "" {
		t.Errorf("status after the %s delegation expired: %q", side, stranded(late))
	}
	return rep
}
