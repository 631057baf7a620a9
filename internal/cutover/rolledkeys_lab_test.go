package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestRollbackRolledKeysLab: an RFC 8901 flip with both DS (old KSK a, new
// KSK b) at the parent; during the overlap the old provider rolled its KSK
// to a2 and the parent's DS followed (a2, b). The DS set recorded before
// the flip names a, which no server serves any more: restoring it would
// make the old side bogus, so the rollback leaves the parent's DS (which
// the old side satisfies) alone instead of refusing with no way forward.
// A validating Unbound behind the parent validates the old side's answers
// under the DS left in place.
func TestRollbackRolledKeysLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p, a, a2, b := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	recorded := []string{a.ds(t), b.ds(t)}
	now := []string{a2.ds(t), b.ds(t)}
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "new", now)}}})
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a2.sign(t, msZone("old", ip), b.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, msZone("new", ip), a2.keys(t))}}})

	z := gitZone(t, msZone("old", ip))
	path := TrailPath(t.TempDir(), "example.test.")
	flip := signedFlipEntry(ip["old"], recorded)
	flipped := *flip.ChangedAt
	// A status run during the overlap saw the parent's DS after the roll,
	// and both sides' DNSKEY sets holding both sides' keys (a status run
	// records both sides' sets: the converse wait, RFC 8901, counts the
	// old side's holding the new side's keys).
	rolled := flipped.Add(30 * time.Minute)
	appendTrail(t, path, flip, Entry{Time: rolled, Command: "status", Result: ResultObserved, ParentDS: &DSSeen{DS: now, TTL: 5}, DelegatedTo: []string{"new"},
		DNSKEY: map[string]dnssec.KeySet{"new": {Tags: keyTags(a2, b), TTL: 2}, "old": {Tags: keyTags(a2, b), TTL: 2}}})
	c := signedConfig(t, z, ip, old, nw, parent, path, 5)
	rep := Rollback(context.Background(), c, true, false)
	g := findGate(rep.Gates, GateDNSSEC)
	if g == nil {
		t.Fatalf("no dnssec gate: %+v", rep.Gates)
	}
	t.Logf("dnssec gate: ok=%v %s", g.OK, g.Detail)
	if rep.Result != ResultDryRun || !g.OK {
		t.Fatalf("rollback --dry-run after the old side's KSK roll: %s, gates %+v, errors %v", rep.Result, rep.Gates, rep.Errors)
	}
	if rep.Change == nil || rep.Change.After.DS != nil || !strings.Contains(g.Detail, "leaves the DS as it is") {
		t.Errorf("the rollback would change the DS: %+v", rep.Change)
	}
	// What leaving the DS means for a validating resolver: the old side
	// behind the parent's DS (a2, b) validates.
	parent.Reload(t, lab.Zone{Origin: "test.", Text: signedParent(t, p, ip, 1, "old", now)})
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, TrustAnchors: []string{"test. IN DS " + p.ds(t)}})
	m := new(dns.Msg)
	m.SetQuestion("www.example.test.", dns.TypeA)
	m.SetEdns0(1232, true)
	r, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(m, u.Addr)
	if err != nil || r.Rcode != dns.RcodeSuccess || !r.AuthenticatedData {
		t.Errorf("the old side under the DS left in place: %v %v", r, err)
	}
}
