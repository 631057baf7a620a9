package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestFinishStaleDSLab: an RFC 8901 migration whose overlap has passed;
// the new side (BIND) serves only its own keys (b) now, the parent (BIND,
// signed) still holds both DS (a: the old provider's KSK, b). A DS is
// the parent vouching for a key (RFC 4035 §5): the old provider, which
// keeps a's private key after it is decommissioned (and anyone who takes
// it from there), can sign a DNSKEY set, and with it any answer for the
// zone, that validates through a's DS. So finish is refused (a failed
// parent-ds check of old-unreferenced naming a's key tag, and what to do)
// until the DS is removed; b's DS is not named. With only b's DS at the
// parent nothing fails, and with only a's the check says the zone does
// not validate. On the code before, finish was done with a warning.
func TestFinishStaleDSLab(t *testing.T) {
	// Both sides serve git (apex NS: the new server); the old one still
	// signs with a, the new one with b alone (its copy of a's keys gone).
	c, a, b, dsA, dsB := newStaleDSLab(t, false, nil)
	rep := Finish(context.Background(), c)
	t.Logf("finish: %s; warnings %q; actions %q", rep.Result, rep.Warnings, rep.Actions)
	g := gateNamed(rep, GateOldUnreferenced)
	if rep.Result == ResultDone || g == nil || g.OK {
		t.Fatalf("finish %s (\"the old provider is safe to decommission\") while the parent holds the old provider's DS (key tag %s); old-unreferenced %+v", rep.Result, a.KSKTag(), g)
	}
	for _, o := range rep.Gates {
		if o.Name != GateOldUnreferenced && !o.OK {
			t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
		}
	}
	bad := failedDS(g.Checks)
	if len(bad) != 1 || !strings.Contains(bad[0].Detail, "(key tag "+a.KSKTag()+")") || !strings.Contains(bad[0].Fix, "remove that DS record at the registrar") {
		t.Errorf("old-unreferenced's failed parent-ds checks: want one, for the old provider's DS (key tag %s), saying to remove it: %+v", a.KSKTag(), bad)
	}
	for _, ch := range bad {
		if strings.Contains(ch.Detail, "(key tag "+b.KSKTag()+")") {
			t.Errorf("the new side's DS (key tag %s) failed: %+v", b.KSKTag(), ch)
		}
	}

	// The same check with the new side's DS alone, and with the old one's.
	if chs, w, _ := staleDS(context.Background(), c, []string{dsB}, nil, time.Time{}); len(failedDS(chs)) != 0 || len(w) != 0 {
		t.Errorf("only the new side's DS: checks %+v, warnings %q", chs, w)
	}
	if chs, _, _ := staleDS(context.Background(), c, []string{dsA}, nil, time.Time{}); len(failedDS(chs)) != 1 || !strings.Contains(failedDS(chs)[0].Detail, "cannot validate") {
		t.Errorf("only the old side's DS: %+v", chs)
	}
	// A DS of the new side's key tag and algorithm of a digest type not
	// computed here (3, GOST R 34.11-94): it may be that key's, so it is
	// named as not compared (a warning), never as one to remove, nor as
	// one matching nothing.
	f := strings.Fields(dsB)
	gost := strings.Join([]string{f[0], f[1], "3", strings.Repeat("AB", 32)}, " ")
	for _, set := range [][]string{{dsB, gost}, {gost}} {
		chs, w, _ := staleDS(context.Background(), c, set, nil, time.Time{})
		t.Logf("DS %q: checks %+v, warnings %q", set, chs, w)
		if len(failedDS(chs)) != 0 || len(w) != 1 || !strings.Contains(w[0], "digest type 3") || strings.Contains(w[0], "remove that DS") || strings.Contains(w[0], "cannot validate") {
			t.Errorf("a DS of the new key's tag of digest type 3 (set %q): checks %+v, warnings %q", set, chs, w)
		}
	}
}

// TestFinishStaleDSKeysKeptLab: TestFinishStaleDSLab in the order RFC
// 8901 removes a signer (section 8: the old provider's DS from the
// parent first, its keys from the other's DNSKEY set after): the new side
// still publishes the old provider's keys (a's KSK and ZSK, from the
// multi-signer overlap) and signs with b alone, and the parent still
// holds a's DS. a's DS matches a key the new side serves, so it passed:
// finish said "safe to decommission" while the parent vouched for a key
// whose private half the old provider keeps. What the new side signs its
// DNSKEY set with is its own; a DS for a key it only publishes is the old
// provider's (or a standby key's), and fails as long as it stays.
func TestFinishStaleDSKeysKeptLab(t *testing.T) {
	c, a, _, _, dsB := newStaleDSLab(t, true, nil)
	rep := Finish(context.Background(), c)
	g := gateNamed(rep, GateOldUnreferenced)
	t.Logf("finish: %s; old-unreferenced %+v", rep.Result, g)
	var bad []delegation.Check
	if g != nil {
		bad = failedDS(g.Checks)
	}
	if rep.Result == ResultDone || len(bad) != 1 || !strings.Contains(bad[0].Detail, "(key tag "+a.KSKTag()+")") || !strings.Contains(bad[0].Fix, "remove that DS record at the registrar") {
		t.Fatalf("finish %s while the parent holds the old provider's DS (key tag %s), whose key the new side still publishes but does not sign with: failed parent-ds checks %+v", rep.Result, a.KSKTag(), bad)
	}
	if chs, w, _ := staleDS(context.Background(), c, []string{dsB}, nil, time.Time{}); len(chs) != 1 || !chs[0].OK || len(w) != 0 {
		t.Errorf("only the new side's DS: checks %+v, warnings %q", chs, w)
	}
}

// TestFinishCachedStaleDSLab: TestFinishStaleDSLab a minute after the
// old provider's DS (a) was removed at the registrar: the parent (BIND,
// signed) serves b's DS alone, and the trail's last status run saw both
// at the parent's DS TTL of an hour. Validating resolvers that cached the
// DS set then hold it for that hour (RFC 4035 §5: the parent's vouching
// lasts as long as it is cached): until then the old provider's private
// key still signs answers that validate for them, so finish, which calls
// the old provider safe to decommission, waits for it as it waits for a
// DS still served (a failed parent-ds check naming a's key tag, and a
// next finish at the end of that hour). Two hours later nothing holds it.
// On the code before, finish was done at once: only the DS served now
// was judged.
func TestFinishCachedStaleDSLab(t *testing.T) {
	seen := time.Now().UTC().Add(-time.Minute)
	c, a, b, _, _ := newStaleDSLab(t, false, func(dsA, dsB string) ([]string, []Entry) {
		return []string{dsB}, []Entry{{Time: seen, Command: "status", Result: ResultObserved, ParentDS: &DSSeen{DS: []string{dsA, dsB}, TTL: 3600}}}
	})
	rep := Finish(context.Background(), c)
	g := gateNamed(rep, GateOldUnreferenced)
	t.Logf("finish: %s; old-unreferenced %+v; next %+v", rep.Result, g, rep.Next)
	var bad []delegation.Check
	if g != nil {
		bad = failedDS(g.Checks)
	}
	if rep.Result == ResultDone || len(bad) != 1 || !strings.Contains(bad[0].Detail, "(key tag "+a.KSKTag()+")") {
		t.Fatalf("finish %s a minute after the old provider's DS (key tag %s, DS TTL 3600 s) left the parent: validating resolvers still hold it; failed parent-ds checks %+v", rep.Result, a.KSKTag(), bad)
	}
	if strings.Contains(bad[0].Detail, "(key tag "+b.KSKTag()+")") {
		t.Errorf("the new side's DS (key tag %s) named: %+v", b.KSKTag(), bad[0])
	}
	until := seen.Add(time.Hour)
	found := false
	for _, n := range rep.Next {
		found = found || (n.Step == "finish" && !n.Earliest.Before(until.Truncate(time.Second)))
	}
	if !found {
		t.Errorf("next: want finish not before %s (the DS set's last sighting plus its TTL): %+v", until, rep.Next)
	}
	for _, o := range rep.Gates {
		if o.Name != GateOldUnreferenced && !o.OK {
			t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
		}
	}

	// Two hours on, no resolver holds it: nothing of it fails.
	later := time.Now().Add(2 * time.Hour)
	c.Now = func() time.Time { return later }
	rep = Finish(context.Background(), c)
	if g := gateNamed(rep, GateOldUnreferenced); g == nil || !g.OK || rep.Result != ResultDone {
		t.Errorf("finish two hours on: %s, old-unreferenced %+v", rep.Result, g)
	}
}

// newStaleDSLab is the lab of the stale-DS finish tests, an hour after a
// flip: a signed parent (BIND) holding the DS of both key sets, a and b
// (or, with atParent, the DS set it gives, after the trail entries it
// gives appended after the flip's);
// the old side a Knot signing with a and publishing b's keys, the new
// side a BIND signing with b (and publishing a's keys with keepsOld);
// both serving git, whose apex NS is the new server. It returns the
// config (overlap one minute), the two signers, and their DS.
func newStaleDSLab(t *testing.T, keepsOld bool, atParent func(dsA, dsB string) ([]string, []Entry)) (c *Config, a, b *signer, dsA, dsB string) {
	t.Helper()
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p := newSigner(t, "test.")
	a, b = newSigner(t, "example.test."), newSigner(t, "example.test.")
	dsA, dsB = a.ds(t), b.ds(t)
	served, later := []string{dsA, dsB}, []Entry(nil)
	if atParent != nil {
		served, later = atParent(dsA, dsB)
	}
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "new", served)}}})
	var newExtra []string
	if keepsOld {
		newExtra = a.keys(t)
	}
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, msZone("new", ip), b.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, msZone("new", ip), newExtra)}}})
	path := TrailPath(t.TempDir(), "example.test.")
	flipped := time.Now().UTC().Add(-time.Hour)
	before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 5, DS: []string{dsA, dsB}, DSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
	after := registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5, DS: []string{dsA, dsB}, DSTTL: 5}
	appendTrail(t, path, append([]Entry{flipEntry(flipped, before, after)}, later...)...)
	c = signedConfig(t, gitZone(t, msZone("new", ip)), ip, old, nw, parent, path, 5)
	c.Overlap = time.Minute
	return c, a, b, dsA, dsB
}

// failedDS are the failed parent-ds checks of chs.
func failedDS(chs []delegation.Check) []delegation.Check {
	var out []delegation.Check
	for _, ch := range chs {
		if ch.Name == CheckParentDS && !ch.OK {
			out = append(out, ch)
		}
	}
	return out
}

// TestFinishStaleDSBeforeOverlapLab: TestFinishStaleDSLab two hours
// into an overlap of three: finish is refused by the overlap gate (the
// old side may still be asked) and by parent-ds (the old provider's DS,
// a, at the parent). The old side signs its DNSKEY set with a alone:
// were a's DS removed now, as parent-ds's fix said with no time,
// validating resolvers still holding the old delegation would fetch a
// DS set without it once theirs expired, and every answer of the old
// side would be bogus (SERVFAIL) for them until that delegation expired.
// The fix now says not before the overlap gate's time.
func TestFinishStaleDSBeforeOverlapLab(t *testing.T) {
	c, a, _, _, _ := newStaleDSLab(t, false, nil)
	c.Overlap = 3 * time.Hour
	rep := Finish(context.Background(), c)
	over := gateNamed(rep, GateOverlap)
	g := gateNamed(rep, GateOldUnreferenced)
	if over == nil || over.OK || g == nil || g.OK {
		t.Fatalf("finish within the overlap: %s; overlap %+v; old-unreferenced %+v", rep.Result, over, g)
	}
	var at time.Time
	for _, n := range rep.Next {
		if n.Step == "finish" && n.Earliest.After(at) {
			at = n.Earliest
		}
	}
	bad := failedDS(g.Checks)
	if len(bad) != 1 || !strings.Contains(bad[0].Detail, "(key tag "+a.KSKTag()+")") {
		t.Fatalf("failed parent-ds checks: want the old provider's DS (key tag %s): %+v", a.KSKTag(), bad)
	}
	t.Logf("parent-ds fix: %s", bad[0].Fix)
	if at.IsZero() || !strings.Contains(bad[0].Fix, "not before "+at.UTC().Format(time.RFC3339)) {
		t.Errorf("parent-ds's fix does not wait for the overlap gate's time (%s) before removing the DS the old side signs with: %q", at, bad[0].Fix)
	}
}

// TestFinishOldKeyKeptLab: RFC 8901's removal of a signer half done the
// other way round: the old provider's DS (a) is gone from the parent
// (b's alone, long enough that no resolver holds a's), but the new side
// still publishes a's keys (KSK and ZSK, from the multi-signer overlap)
// beside its own, and signs with b alone. No DS names a, so parent-ds
// passed and finish called the old provider safe to decommission; yet a
// validator trusts every key of the DNSKEY set the DS of b vouches for
// (RFC 4035 section 5.3.1: an RRSIG by any zone key of that set
// verifies), so whoever keeps a's private halves (the old provider, and
// whoever takes them from it) can sign any answer for the zone, with a's
// ZSK or KSK, that validates. finish is refused by an old-key check of
// old-unreferenced naming a's keys, until the new side stops publishing
// them; the same lab without a's keys at the new side finishes.
func TestFinishOldKeyKeptLab(t *testing.T) {
	onlyB := func(_, dsB string) ([]string, []Entry) { return []string{dsB}, nil }
	for _, keepsOld := range []bool{true, false} {
		c, a, b, _, _ := newStaleDSLab(t, keepsOld, onlyB)
		rep := Finish(context.Background(), c)
		g := gateNamed(rep, GateOldUnreferenced)
		t.Logf("new side publishing a's keys %v: finish %s; old-unreferenced %+v", keepsOld, rep.Result, g)
		if g == nil {
			t.Fatalf("no old-unreferenced gate: %+v", rep.Gates)
		}
		var bad []delegation.Check
		for _, ch := range g.Checks {
			if !ch.OK {
				bad = append(bad, ch)
			}
		}
		if !keepsOld {
			if rep.Result != ResultDone || len(bad) != 0 {
				t.Errorf("the new side publishing its own keys only: finish %s, failed checks %+v, gates %+v", rep.Result, bad, rep.Gates)
			}
			continue
		}
		if rep.Result == ResultDone || len(bad) != 1 || bad[0].Name != CheckOldKey ||
			!strings.Contains(bad[0].Detail, "key tag "+a.KSKTag()) || !strings.Contains(bad[0].Detail, "key tag "+a.ZSKTag()) ||
			strings.Contains(bad[0].Detail, "key tag "+b.ZSKTag()) || strings.Contains(bad[0].Detail, "key tag "+b.KSKTag()) {
			t.Fatalf("finish %s while the new side's DNSKEY set holds the old provider's keys (key tags %s, %s): failed checks %+v", rep.Result, a.KSKTag(), a.ZSKTag(), bad)
		}
		for _, o := range rep.Gates {
			if o.Name != GateOldUnreferenced && !o.OK {
				t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
			}
		}
	}
}

// TestFinishNewCDSNamesOldKeyLab: the old provider's DS (a) is gone from
// the parent and the new side signs with b alone and publishes no a key,
// but its CDS set (RFC 7344), left from the multi-signer overlap, still
// asks for a's DS beside b's. A parent that follows CDS (RFC 7344
// section 4.1: the set is signed by a key its DS set vouches for, b)
// puts a's DS back, vouching again for a key whose private half the old
// provider keeps. finish called the old provider safe to decommission;
// now a new-cds check of old-unreferenced refuses, naming a's key tag.
// With a CDS of b's alone nothing fails.
func TestFinishNewCDSNamesOldKeyLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	for _, stale := range []bool{true, false} {
		ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
		a, b := newSigner(t, "example.test."), newSigner(t, "example.test.")
		dsA, dsB := a.ds(t), b.ds(t)
		cds := "@ CDS " + dsB + "\n"
		if stale {
			cds += "@ CDS " + dsA + "\n"
		}
		rep, g := newCDSFinish(t, ip, dsA, dsB, a.sign(t, msZone("new", ip), b.keys(t)), b.sign(t, msZone("new", ip)+cds, nil))
		var bad []delegation.Check
		for _, ch := range g.Checks {
			if !ch.OK {
				bad = append(bad, ch)
			}
		}
		t.Logf("CDS of a too %v: finish %s; failed checks %+v", stale, rep.Result, bad)
		if !stale {
			if rep.Result != ResultDone || len(bad) != 0 {
				t.Errorf("a CDS of b's key alone: finish %s, failed %+v, gates %+v", rep.Result, bad, rep.Gates)
			}
			continue
		}
		if rep.Result == ResultDone || len(bad) != 1 || bad[0].Name != CheckNewCDS || !strings.Contains(bad[0].Detail, "key tag "+a.KSKTag()) || strings.Contains(bad[0].Detail, "key tag "+b.KSKTag()) {
			t.Fatalf("finish %s while the new side's CDS asks the parent for the old provider's DS (key tag %s): failed checks %+v", rep.Result, a.KSKTag(), bad)
		}
	}
}

// newCDSFinish runs finish in the lab of newSignedLab. It returns the
// report and its old-unreferenced gate.
func newCDSFinish(t *testing.T, ip map[string]string, dsA, dsB, oldText, newText string) (*Report, *Gate) {
	t.Helper()
	c, _ := newSignedLab(t, ip, dsA, dsB, oldText, newText)
	return finishUnreferenced(t, c)
}

// newSignedLab is the lab of the new-cds and old-key tests: the parent
// test. (BIND, signed) holding b's DS (dsB) alone, the old side (Knot)
// serving oldText, the new side (BIND) newText, the trail's flip an hour
// ago from a parent holding a's DS (dsA) and b's. It returns the config
// and the old side's server.
func newSignedLab(t *testing.T, ip map[string]string, dsA, dsB, oldText, newText string) (*Config, *lab.Server) {
	t.Helper()
	p := newSigner(t, "test.")
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "new", []string{dsB})}}})
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: oldText}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: newText}}})
	path := TrailPath(t.TempDir(), "example.test.")
	before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 5, DS: []string{dsA, dsB}, DSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
	after := registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5, DS: []string{dsA, dsB}, DSTTL: 5}
	appendTrail(t, path, flipEntry(time.Now().UTC().Add(-time.Hour), before, after))
	c := signedConfig(t, gitZone(t, msZone("new", ip)), ip, old, nw, parent, path, 5)
	c.Overlap = time.Minute
	return c, old
}

// finishUnreferenced runs finish with c: the report and its
// old-unreferenced gate.
func finishUnreferenced(t *testing.T, c *Config) (*Report, *Gate) {
	t.Helper()
	rep := Finish(context.Background(), c)
	g := gateNamed(rep, GateOldUnreferenced)
	if g == nil {
		t.Fatalf("no old-unreferenced gate: %+v", rep.Gates)
	}
	return rep, g
}

// TestFinishOldKeyStoppedSigningLab: TestFinishOldKeyKeptLab's hole with
// the old side no longer signing when finish runs: the new side signs
// with b and still publishes a's KSK and ZSK, kept from the multi-signer
// overlap, while the old provider, which holds their private halves, now
// serves the zone unsigned. A status run while it still signed recorded
// its DNSKEY set in the trail. On the code before the trail kept key tags
// only, old-key compared the new side's keys with the keys the old side
// signs with now (none) and passed: finish called the old provider safe
// to decommission while the new side's DNSKEY set still vouches for its
// keys. Now the trail keeps the keys the old side signed its DNSKEY set
// and SOA with (KeySet.Signers), and old-key names a's from it.
func TestFinishOldKeyStoppedSigningLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	a, b := newSigner(t, "example.test."), newSigner(t, "example.test.")
	c, old := newSignedLab(t, ip, a.ds(t), b.ds(t), a.sign(t, msZone("new", ip), b.keys(t)), b.sign(t, msZone("new", ip), a.keys(t)))
	st := Status(context.Background(), c)
	tr, err := ReadTrail(c.TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	if seen := tr.signersSeen("old"); len(seen) != 2 {
		t.Fatalf("status (%s) recorded the old side's signing keys %q, want a's KSK and ZSK", st.Result, seen)
	}
	old.Reload(t, lab.Zone{Origin: "example.test.", Text: msZone("new", ip)})
	rep, g := finishUnreferenced(t, c)
	var keys []delegation.Check
	for _, ch := range g.Checks {
		if ch.Name == CheckOldKey {
			keys = append(keys, ch)
		}
	}
	t.Logf("finish %s; old-key %+v", rep.Result, keys)
	if rep.Result == ResultDone || len(keys) != 1 || keys[0].OK || !strings.Contains(keys[0].Detail, "key tag "+a.KSKTag()) || !strings.Contains(keys[0].Detail, "key tag "+a.ZSKTag()) ||
		strings.Contains(keys[0].Got, "key tag "+b.KSKTag()) || strings.Contains(keys[0].Got, "key tag "+b.ZSKTag()) {
		t.Fatalf("finish %s with the new side publishing a's keys, the old side no longer signing with them: old-key %+v", rep.Result, keys)
	}
}

// TestFinishNewCDSKSKRolloverLab: TestFinishNewCDSNamesOldKeyLab's lab
// (the old provider signed with a, the new one with b, a's DS gone from
// the parent) while the new provider rolls its own KSK to c by the
// double-DS method (RFC 6781 section 4.1.2): its CDS set asks for b's DS
// and c's, and c is not in its DNSKEY set yet (pre-published DS), or is
// there but signs nothing yet. c's private half is the new provider's:
// the old side never published or signed with it, and its DS was never
// at the parent before the flip. On the code before, new-cds took every
// CDS of a key that does not sign the new side's DNSKEY set for the old
// provider's and refused finish. Now it refuses only one of a key the
// old side signs with or publishes, or the trail saw as the old side's
// (its DNSKEY key tags, the parent's DS before the flip): a's CDS is
// still refused when the old side no longer signs (it serves the zone
// unsigned), known from the DS the trail saw at the parent.
func TestFinishNewCDSKSKRolloverLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	for _, tc := range []struct {
		name string
		// cKey: c's DNSKEY in the new side's set; aCDS: a CDS of a's
		// key too; oldUnsigned: the old side serves the zone unsigned.
		cKey, aCDS, oldUnsigned bool
	}{
		{name: "double-DS, c's DS pre-published"},
		{name: "c published, not signing yet", cKey: true},
		{name: "a's CDS, the old side no longer signing", aCDS: true, oldUnsigned: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
			a, b, cs := newSigner(t, "example.test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
			dsA, dsB, dsC := a.ds(t), b.ds(t), cs.ds(t)
			cds := "@ CDS " + dsB + "\n@ CDS " + dsC + "\n"
			if tc.aCDS {
				cds += "@ CDS " + dsA + "\n"
			}
			var extra []string
			if tc.cKey {
				extra = cs.keys(t)[:1] // c's KSK
			}
			oldText := a.sign(t, msZone("new", ip), b.keys(t))
			if tc.oldUnsigned {
				oldText = msZone("new", ip)
			}
			rep, g := newCDSFinish(t, ip, dsA, dsB, oldText, b.sign(t, msZone("new", ip)+cds, extra))
			var cdsChecks []delegation.Check
			for _, ch := range g.Checks {
				if ch.Name == CheckNewCDS {
					cdsChecks = append(cdsChecks, ch)
				}
			}
			t.Logf("finish %s; new-cds %+v", rep.Result, cdsChecks)
			if len(cdsChecks) != 1 {
				t.Fatalf("new-cds checks: %+v", cdsChecks)
			}
			ch := cdsChecks[0]
			if tc.aCDS {
				if ch.OK || !strings.Contains(ch.Detail, "key tag "+a.KSKTag()) || strings.Contains(ch.Got, dsC) {
					t.Fatalf("a CDS of the old provider's key (tag %s), the old side no longer signing: new-cds %+v", a.KSKTag(), ch)
				}
				return
			}
			if !ch.OK {
				t.Fatalf("the new provider's double-DS rollover to its own key c (tag %s): new-cds refused: %s", cs.KSKTag(), ch.Detail)
			}
			if rep.Result != ResultDone {
				t.Errorf("finish %s: gates %+v", rep.Result, rep.Gates)
			}
		})
	}
}
