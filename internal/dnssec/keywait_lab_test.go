package dnssec_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestFlipDNSKEYWait is route (b)'s step 2 done moments before the flip:
// both DS are at the parent, the new side (BIND) signs with its own keys
// and publishes the old side's, and the old side (Knot) has just added the
// new side's keys to its DNSKEY set. A validating Unbound that cached the
// old DNSKEY set before that (TTL 300 s) cannot validate the new side's
// answers after the flip: the gate, told that the old side's set was
// first seen holding those keys now (no record, or a record without them),
// refuses until the DNSKEY TTL has passed since; with a record of them
// older than that it passes. Result.Seen gives the caller what to record.
func TestFlipDNSKEYWait(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	p := newSigner(t, "test.")
	a := newSigner(t, origin)
	b := newSigner(t, origin)
	ds := []string{a.ds(t, "2"), b.ds(t, "2")}

	oldIP, newIP, parentIP := lab.Addr(t), lab.Addr(t), lab.Addr(t)
	old, nw := flipSides(t, a, b, oldIP, newIP, nil, nil)
	parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.",
		Text: parentZoneSerial(t, p, parentIP, map[string]string{"ns1": oldIP}, ds, 1)}}})
	// The resolver caches the old DNSKEY set, without the new side's keys.
	u := validating(t, p, parent)
	// Route (b) step 2 at the old side, now.
	bumped := strings.Replace(sideZone("ns1", oldIP), "2026112701", "2026112702", 1)
	old.Reload(t, lab.Zone{Origin: origin, Text: a.sign(t, bumped, signOpts{extraKeys: b.keys(t)})})
	added := time.Now()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tag := func(s string) uint16 { n, _ := strconv.Atoi(s); return uint16(n) }
	withKeys := []uint16{tag(a.kskTag()), tag(a.zskTag()), tag(b.kskTag()), tag(b.zskTag())}
	gate := keyWaitGate(ctx, t, ds, nw.Addr, old.Addr, withKeys)
	withoutKeys := []uint16{tag(a.kskTag()), tag(a.zskTag())}
	slices.Sort(withKeys)

	// No record: the set counts as first seen now.
	res := gate(added, nil)
	t.Logf("gate, no record: ok=%v %s: %s; plan %q", res.OK, res.Situation, res.Detail, res.Plan)
	until := added.Add(300 * time.Second)
	if res.OK || res.Situation != dnssec.SignedMismatch {
		t.Errorf("the gate passed although the old side's DNSKEY set holds the new keys only since now")
	} else if !strings.Contains(res.Detail, "only since now (no earlier record of them)") || len(res.Steps) != 2 || !res.Steps[0].Earliest.Equal(until) ||
		!strings.Contains(res.Plan[0], "Wait until "+deadline.Format(until)) || !strings.Contains(res.Plan[1], "Run the step again") {
		t.Errorf("detail or plan do not say to wait out the DNSKEY TTL: %s; %q", res.Detail, res.Plan)
	}
	// What the caller records: both sides' key tags and TTLs.
	if o, n := res.Seen["old"], res.Seen["new"]; !slices.Equal(o.Tags, withKeys) || o.TTL != 300 || !slices.Equal(n.Tags, withKeys) || n.TTL != 300 {
		t.Errorf("seen: %+v", res.Seen)
	}
	// A record of the set without the keys a minute ago, with them since:
	// still refused, counted from the first record holding them.
	hist := []dnssec.KeysAt{{At: added.Add(-time.Minute), KeySet: dnssec.KeySet{Tags: withoutKeys, TTL: 300}}, {At: added, KeySet: dnssec.KeySet{Tags: withKeys, TTL: 300}}}
	if r := gate(added.Add(299*time.Second), hist); r.OK || !r.Steps[0].Earliest.Equal(until) {
		t.Errorf("299 s after the keys were first seen: ok=%v plan %q", r.OK, r.Plan)
	}
	// Once the DNSKEY TTL has passed since: passes.
	if r := gate(added.Add(301*time.Second), hist); !r.OK || !strings.Contains(r.Detail, "longer than the DNSKEY TTL (300 s)") {
		t.Errorf("301 s after the keys were first seen: ok=%v %s", r.OK, r.Detail)
	}
	// A record of them from long ago: passes now.
	if r := gate(time.Now(), []dnssec.KeysAt{{At: added.Add(-time.Hour), KeySet: dnssec.KeySet{Tags: withKeys, TTL: 300}}}); !r.OK {
		t.Errorf("keys held for an hour: %s", r.Detail)
	}

	// What the refusal protects: the flip made now.
	parent.Reload(t, lab.Zone{Origin: "test.", Text: parentZoneSerial(t, p, parentIP, map[string]string{"ns2": newIP}, ds, 2)})
	time.Sleep(6 * time.Second) // the delegation's NS TTL (5 s) runs out; the DNSKEY TTL (300 s) does not
	r := resolve(t, u.Addr, "www.example.test.", dns.TypeAAAA)
	t.Logf("after the flip: www AAAA %s ad=%v", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
	if r.Rcode != dns.RcodeServerFailure {
		t.Errorf("the resolver holding the old DNSKEY set validated the new side (%s ad=%v): the refusal would be needless", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
	}
	if log := u.LogTail(200); !strings.Contains(log, "signatures from unknown keys from "+newIP) {
		t.Errorf("Unbound's log does not show the new side's answers failing for an unknown key:\n%s", log)
	}

	// The new side's keys removed from the old side's DNSKEY set and
	// added again between two records: a resolver that fetched the set
	// meanwhile holds it without them for its TTL (RFC 7583 section 3.3:
	// published anew), as the one above. The serial and the signatures
	// over the set moved: the keys count from this observation, not from
	// the record before. On the code before, the record an hour old let
	// the gate pass.
	seenThen := res.Seen["old"]
	if len(seenThen.Serials) == 0 || seenThen.RRSIG == "" {
		t.Errorf("the record of the old side's DNSKEY set holds no serial or signature digest: %+v", seenThen)
	}
	without := strings.Replace(sideZone("ns1", oldIP), "2026112701", "2026112703", 1)
	old.Reload(t, lab.Zone{Origin: origin, Text: a.sign(t, without, signOpts{})})
	time.Sleep(1100 * time.Millisecond) // signed at another second
	again := strings.Replace(sideZone("ns1", oldIP), "2026112701", "2026112704", 1)
	old.Reload(t, lab.Zone{Origin: origin, Text: a.sign(t, again, signOpts{extraKeys: b.keys(t)})})
	now := time.Now()
	hour := []dnssec.KeysAt{{At: now.Add(-time.Hour), KeySet: seenThen}}
	res = gate(now, hour)
	t.Logf("after the keys were removed and added again: ok=%v %s", res.OK, res.Detail)
	if res.OK || !strings.Contains(res.Detail, "may have lost those keys") {
		t.Errorf("the gate counted the keys from a record before they were removed and added again: ok=%v %s", res.OK, res.Detail)
	}
	// The same set recorded since (this observation): counts from there.
	since := []dnssec.KeysAt{{At: now.Add(-time.Hour), KeySet: seenThen}, {At: now.Add(-301 * time.Second), KeySet: res.Seen["old"]}}
	if r := gate(now, since); !r.OK {
		t.Errorf("keys recorded unchanged for longer than the DNSKEY TTL since they came back: %s", r.Detail)
	}
}

// TestFlipDNSKEYWaitSameSerial: the new side's keys removed from the old
// side's DNSKEY set and added again between two records without a change
// of the old side's SOA serial (a signer that re-signs at the same serial;
// PowerDNS's key (de)activation moves no serial either). A resolver that
// fetched the set meanwhile holds it without them for its TTL, as in
// TestFlipDNSKEYWait; comparing the DNSKEY set itself shows nothing (the
// same set at both records), but the signatures over it moved, and the old
// side's are stable (the same when asked again a second later: it is no
// signer making new ones for every answer), so they count alone. On the
// code before, which needed the serial to move too, the record an hour old
// let the gate pass. A set recorded an hour ago whose signatures have not
// moved still passes.
func TestFlipDNSKEYWaitSameSerial(t *testing.T) {
	lab.Require(t, "named", "knotd")
	a, b := newSigner(t, origin), newSigner(t, origin)
	ds := []string{a.ds(t, "2"), b.ds(t, "2")}
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	old, nw := flipSides(t, a, b, oldIP, newIP, b.keys(t), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tag := func(s string) uint16 { n, _ := strconv.Atoi(s); return uint16(n) }
	gate := keyWaitGate(ctx, t, ds, nw.Addr, old.Addr, []uint16{tag(a.kskTag()), tag(a.zskTag()), tag(b.kskTag()), tag(b.zskTag())})
	n := len(waitKeys(t, old.Addr, 4))
	res := gate(time.Now(), nil)
	then := res.Seen["old"]
	t.Logf("first record: %+v", then)
	if then.Signing != dnssec.SigningStable || then.Keys == "" {
		t.Fatalf("the old side's record: %+v, want a stable signer and a digest of the set", then)
	}
	// Unchanged since an hour ago: passes.
	if r := gate(time.Now(), []dnssec.KeysAt{{At: time.Now().Add(-time.Hour), KeySet: then}}); !r.OK {
		t.Fatalf("keys recorded an hour ago, nothing changed since: %s", r.Detail)
	}
	// Removed and added again, at the same serial.
	old.Reload(t, lab.Zone{Origin: origin, Text: a.sign(t, sideZone("ns1", oldIP), signOpts{})})
	waitKeys(t, old.Addr, n-2)
	time.Sleep(1100 * time.Millisecond) // signed at another second
	old.Reload(t, lab.Zone{Origin: origin, Text: a.sign(t, sideZone("ns1", oldIP), signOpts{extraKeys: b.keys(t)})})
	waitKeys(t, old.Addr, n)
	now := time.Now()
	res = gate(now, []dnssec.KeysAt{{At: now.Add(-time.Hour), KeySet: then}})
	t.Logf("after the keys were removed and added again at the same serial: ok=%v %s; seen %+v", res.OK, res.Detail, res.Seen["old"])
	if !slices.Equal(res.Seen["old"].Serials, then.Serials) || res.Seen["old"].Keys != then.Keys {
		t.Fatalf("the old side's serial or DNSKEY set moved (%+v, then %+v): not the case under test", res.Seen["old"], then)
	}
	if res.OK || !strings.Contains(res.Detail, "signatures over its DNSKEY set changed") {
		t.Errorf("the gate counted the keys from a record before they were removed and added again at the same serial: ok=%v %s", res.OK, res.Detail)
	}
}

// keyWaitGate is the dnssec gate with the DNSKEY wait on, the new side
// at newAddr and the old one at oldAddr, judged at now with the old
// side's key records hist; the new side's set is recorded holding key
// tags newTags (every key both sides sign with) since an hour before now,
// so that only the old side's record is judged.
func keyWaitGate(ctx context.Context, t *testing.T, ds []string, newAddr, oldAddr string, newTags []uint16) func(now time.Time, hist []dnssec.KeysAt) dnssec.Result {
	return func(now time.Time, hist []dnssec.KeysAt) dnssec.Result {
		t.Helper()
		side := []dnssec.KeysAt{{At: now.Add(-time.Hour), KeySet: dnssec.KeySet{Tags: newTags, TTL: 300}}}
		res, err := dnssec.Gate(ctx, dnssec.Input{
			Zone: origin, DS: ds, DSTTL: 60, NSTTL: 5, MaxTTL: 300,
			Servers: []string{newAddr}, Other: []string{oldAddr}, Sample: samples, Timeout: 2 * time.Second,
			Now: now, WaitDNSKEY: true, OtherKeys: hist, SideKeys: side,
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
}

// TestFlipDNSKEYWaitConverse is the converse of TestFlipDNSKEYWait (RFC
// 8901 section 3, both ways): the old side's DNSKEY set has held the new
// side's keys for an hour, but the new side (BIND) has just added the old
// side's ZSK to its own set. After the flip, resolvers fetch the new
// side's DNSKEY set while the old side's answers (the delegation before
// the change, cached for its NS TTL) still reach them; one that cached
// the new side's set before the old keys were in it (a rollback before,
// a forwarder's other upstream) cannot validate them until that set's
// TTL has passed. The gate, told (SideKeys) that the new side's set held
// only its own keys a minute ago, must refuse until the DNSKEY TTL has
// passed since the old keys were first seen there, and pass after. On
// the code before, only the old side's record was counted: it passed.
func TestFlipDNSKEYWaitConverse(t *testing.T) {
	lab.Require(t, "named", "knotd")
	p := newSigner(t, "test.")
	a := newSigner(t, origin)
	b := newSigner(t, origin)
	ds := []string{a.ds(t, "2"), b.ds(t, "2")}
	oldIP, newIP, parentIP := lab.Addr(t), lab.Addr(t), lab.Addr(t)
	old, nw := flipSides(t, a, b, oldIP, newIP, b.keys(t), nil)
	lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: parentZoneSerial(t, p, parentIP, map[string]string{"ns1": oldIP}, ds, 1)}}})
	added := time.Now()
	tag := func(s string) uint16 { n, _ := strconv.Atoi(s); return uint16(n) }
	all := []uint16{tag(a.kskTag()), tag(a.zskTag()), tag(b.kskTag()), tag(b.zskTag())}
	slices.Sort(all)
	ownOnly := []uint16{tag(b.kskTag()), tag(b.zskTag())}
	slices.Sort(ownOnly)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	gate := func(now time.Time, side []dnssec.KeysAt) dnssec.Result {
		t.Helper()
		res, err := dnssec.Gate(ctx, dnssec.Input{
			Zone: origin, DS: ds, DSTTL: 60, NSTTL: 5, MaxTTL: 300,
			Servers: []string{nw.Addr}, Other: []string{old.Addr}, Sample: samples, Timeout: 2 * time.Second,
			Now: now, WaitDNSKEY: true,
			OtherKeys: []dnssec.KeysAt{{At: added.Add(-time.Hour), KeySet: dnssec.KeySet{Tags: all, TTL: 300}}},
			SideKeys:  side,
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	hist := []dnssec.KeysAt{{At: added.Add(-time.Minute), KeySet: dnssec.KeySet{Tags: ownOnly, TTL: 300}}, {At: added, KeySet: dnssec.KeySet{Tags: all, TTL: 300}}}
	until := added.Add(300 * time.Second)
	res := gate(added.Add(10*time.Second), hist)
	t.Logf("gate, the new side's set holding the old keys since %s: ok=%v %s: %s; plan %q", added.UTC().Format(time.RFC3339), res.OK, res.Situation, res.Detail, res.Plan)
	if res.OK {
		t.Fatalf("the gate passed although the new side's DNSKEY set holds the old side's keys only since %s (DNSKEY TTL 300 s)", added.UTC().Format(time.RFC3339))
	}
	if !strings.Contains(res.Detail, "the new side's DNSKEY sets hold key tags") || len(res.Steps) == 0 || !res.Steps[0].Earliest.Equal(until) {
		t.Errorf("detail or steps do not name the new side's set and the wait until %s: %s; %+v", deadline.Format(until), res.Detail, res.Steps)
	}
	if r := gate(added.Add(301*time.Second), hist); !r.OK {
		t.Errorf("301 s after the old keys were first seen at the new side: ok=%v %s", r.OK, r.Detail)
	}
	if r := gate(time.Now(), []dnssec.KeysAt{{At: added.Add(-time.Hour), KeySet: dnssec.KeySet{Tags: all, TTL: 300}}}); !r.OK {
		t.Errorf("the new side's set held the old keys for an hour: %s", r.Detail)
	}
}
