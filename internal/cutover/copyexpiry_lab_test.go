package cutover

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/labsign"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
)

// TestEmergencyFlipSecondaryCopyExpiresLab: the new side is a
// pre-provisioned secondary (BIND) transferring the zone from the old
// side's primary; the primary fails, so the old side is down and the
// emergency flip is the way out. The secondary's copy expires at the SOA
// expire after its last refresh, and then it answers SERVFAIL for every
// name (RFC 1035 §3.3.13). Resolvers that take the new delegation keep
// asking it for the parent's NS TTL and then its own NS TTL, whatever
// happens next. On the code before, the flip passed every gate with a
// copy of about 800 s left (the SOA says 300; BIND counts at least its
// clamped refresh + retry) under a parent NS TTL of 1,800 s, and nothing
// said when it would expire. Now new-authoritative reads each server's EDNS
// EXPIRE (RFC 7314): a copy expiring before that need refuses the step;
// one that lasts longer lets it through, with copy_expires and a
// warning; status, the delegation on that side, says it too (its first
// error when the copy expires before resolvers could leave it).
func TestEmergencyFlipSecondaryCopyExpiresLab(t *testing.T) {
	for _, tc := range []struct {
		name      string
		expire    uint32
		parentTTL int
		done      bool
	}{
		{"copy expires before resolvers could leave it", 300, 1800, false},
		{"copy outlives the need", 604800, 1800, true},
		// The usual figures: an SOA expire of a week, a TLD's NS TTL of
		// two days.
		{"a week's copy under a two-day parent NS TTL", 604800, 172800, true},
	} {
		t.Run(tc.name, func(t *testing.T) { secondaryCopyExpires(t, tc.expire, tc.parentTTL, tc.done) })
	}
}

func secondaryCopyExpires(t *testing.T, expire uint32, parentTTL int, done bool) {
	lab.Require(t, "named")
	ctx := context.Background()
	key := &lab.TSIGKey{Name: "k.", Secret: "Y29weS1leHBpcmVzLWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ="}
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t)}
	text := replaced(t, ownNSZone("new", ip), " 1 60 60 1209600 60", fmt.Sprintf(" 1 60 60 %d 60", expire))
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample %d NS ns1.old.example\nns1.old.example %d A %s\n", parentTTL, parentTTL, ip["old"])
	p := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	primary := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Primary: primary.Addr}}})
	c := signedConfig(t, gitZone(t, text), ip, primary, nw, p, prestagedTrail(t, 60), 60)
	c.ParentZone, c.Registrar = "test.", &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}
	c.Watch, c.Confirm, c.Log = time.Second, 2*time.Second, io.Discard
	primary.Stop()
	left := waitCounting(t, nw.Addr, expire)
	t.Logf("the secondary's EDNS EXPIRE: %d s of %d", left, expire)
	rep := Flip(ctx, c, false, true)
	g := gateNamed(rep, GateNewAuthoritative)
	if !done && rep.ExitCode() != 1 {
		t.Fatalf("emergency flip onto a copy expiring in %d s, parent NS TTL %d s: %s (exit %d), gate %+v", left, parentTTL, rep.Result, rep.ExitCode(), g)
	}
	if rep.CopyExpires == nil || rep.CopyExpires.Server != nw.Addr || rep.CopyExpires.Side != "new" {
		t.Fatalf("copy_expires: %+v (gate %+v)", rep.CopyExpires, g)
	}
	t.Logf("copy_expires at %s, needed until %s; gate: %s", rep.CopyExpires.At, rep.CopyExpires.NeededUntil, g.Detail)
	if !done {
		if rep.ExitCode() != 1 || g == nil || g.OK || !strings.Contains(g.Detail, "expires") {
			t.Fatalf("emergency flip onto a copy expiring in %d s, parent NS TTL %d s: %s (exit %d), gate %+v", left, parentTTL, rep.Result, rep.ExitCode(), g)
		}
		if ns := nsAt(t, &reviewLab{parent: p}); ns != "ns1.old.example.test." {
			t.Fatalf("the parent changed: %s", ns)
		}
		// Delegated there by hand anyway: status's first error.
		if err := c.Registrar.SetDelegation(ctx, "example.test.", c.New.Want("example.test.", 0)); err != nil {
			t.Fatal(err)
		}
		st := Status(ctx, c)
		if st.CopyExpires == nil || len(st.Errors) == 0 || !strings.Contains(st.Errors[0], "expire before") {
			t.Errorf("status, delegated to a copy expiring in %d s: copy_expires %+v, errors %q", left, st.CopyExpires, st.Errors)
		} else {
			t.Logf("status: %s", st.Errors[0])
		}
		return
	}
	if rep.Result != ResultDone || g == nil || !g.OK {
		t.Fatalf("emergency flip onto a copy lasting %d s: %s (exit %d), gate %+v, errors %v", expire, rep.Result, rep.ExitCode(), g, rep.Errors)
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "SERVFAIL for every name") {
		t.Errorf("no warning says when the copy expires: %q", rep.Warnings)
	}
	st := Status(ctx, c)
	if st.CopyExpires == nil || !strings.Contains(strings.Join(st.Warnings, "\n"), "copy expires at") {
		t.Errorf("status after the emergency flip onto a secondary cut off from its primary: copy_expires %+v, warnings %q", st.CopyExpires, st.Warnings)
	}
}

// TestRollbackSecondaryCopyExpiresLab: the old side is a secondary
// (BIND) of a hidden primary; after the flip the primary is gone. A
// planned rollback proves the old side answers like the new one, and on
// the code before it moved the delegation back onto a copy with about
// 800 s left under a parent NS TTL of 1,800 s: every name SERVFAIL for
// the resolvers that took it, with no step able to move them sooner.
// Now the old-parity gate holds the old servers' copies to the same need
// as the authoritative gates (judgeCopy).
func TestRollbackSecondaryCopyExpiresLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	ctx := context.Background()
	const parentTTL = 1800
	key := &lab.TSIGKey{Name: "k.", Secret: "cm9sbGJhY2stY29weS1leHBpcmVzLWtleS1mb3ItZG5zcGFyaXR5LTEy"}
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t)}
	// Each side serves its own apex NS (parity does not compare it).
	text := func(side string) string {
		return replaced(t, ownNSZone(side, ip), " 1 60 60 1209600 60", " 1 60 60 300 60")
	}
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample %d NS ns1.old.example\nns1.old.example %d A %s\n", parentTTL, parentTTL, ip["old"])
	p := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	primary := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: text("old")}}})
	old := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Primary: primary.Addr}}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: text("new")}}})
	path := prestagedTrail(t, 60)
	mk := func() *Config {
		c := signedConfig(t, gitZone(t, text("new")), ip, old, nw, p, path, 60)
		c.ParentZone, c.Registrar = "test.", &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}
		c.Watch, c.Confirm, c.Log = time.Second, 2*time.Second, io.Discard
		return c
	}
	if rep := Flip(ctx, mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
	}
	primary.Stop()
	rep := Rollback(ctx, mk(), false, false)
	g := gateNamed(rep, GateOldParity)
	for _, o := range rep.Gates {
		if o.Name != GateOldParity && !o.OK && !strings.Contains(o.Detail, "(gate old-parity)") {
			t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
		}
	}
	if rep.ExitCode() != 1 || g == nil || g.OK || !strings.Contains(g.Detail, "expires") {
		t.Fatalf("rollback onto a copy expiring before the parent's NS TTL of %d s: %s (exit %d), old-parity %+v", parentTTL, rep.Result, rep.ExitCode(), g)
	}
	t.Logf("old-parity: %s", g.Detail)
	if rep.CopyExpires == nil || rep.CopyExpires.Side != "old" {
		t.Errorf("copy_expires: %+v", rep.CopyExpires)
	}
	if ns := nsAt(t, &reviewLab{parent: p}); ns != "ns1.new.example.test." {
		t.Fatalf("the parent changed: %s", ns)
	}
}

// waitCounting waits until the secondary at server tells its copy of
// example.test. has other than soaExpire seconds left (EDNS EXPIRE, RFC
// 7314): it counts down from its transfer (a second), as after any
// missed refresh. It returns what it told.
func waitCounting(t *testing.T, server string, soaExpire uint32) uint32 {
	t.Helper()
	left := soaExpire
	for i := 0; i < 50 && left == soaExpire; i++ {
		m, err := query.Msg(context.Background(), server, "example.test.", dns.TypeSOA, query.MsgOptions{Expire: true})
		if err != nil {
			t.Fatal(err)
		}
		e, ok := query.Expire(m)
		if !ok {
			t.Fatalf("the BIND secondary answers no EDNS EXPIRE: %v", m)
		}
		if left = e; left == soaExpire {
			time.Sleep(200 * time.Millisecond)
		}
	}
	return left
}

// TestEmergencyFlipSecondarySignaturesExpireLab: as
// TestEmergencyFlipSecondaryCopyExpiresLab, the new side a BIND secondary
// of the old side's primary, now down, but the zone is signed (presigned
// by the primary's signer, dnssec-signzone, a DS at the parent) and its
// copy lasts two weeks (SOA expire) while its signatures end in a day:
// nobody re-signs it, so validating resolvers find every answer bogus
// then, and the parent's NS TTL is two days. On the code before the dnssec
// gate passed it (the Zonemaster REMAINING_SHORT warning starts at 12
// hours, and no gate counted the time resolvers keep the delegation).
// Now the dnssec gate holds the signatures of a copy that counts down
// to the copy's need; signed for 30 days, the flip is made.
func TestEmergencyFlipSecondarySignaturesExpireLab(t *testing.T) {
	for _, tc := range []struct {
		name, end string
		done      bool
	}{
		{"signatures end in a day", "now+86400", false},
		{"signatures end in 30 days", "now+2592000", true},
	} {
		t.Run(tc.name, func(t *testing.T) { secondarySignatures(t, tc.end, tc.done) })
	}
}

func secondarySignatures(t *testing.T, end string, done bool) {
	lab.Require(t, "named", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ctx := context.Background()
	key := &lab.TSIGKey{Name: "k.", Secret: "c2lnbmF0dXJlcy1leHBpcmUta2V5LWZvci1kbnNwYXJpdHktdGVzdHM="}
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t)}
	a := newSigner(t, "example.test.")
	text := replaced(t, ownNSZone("new", ip), " 1 60 60 1209600 60", " 1 60 60 1209600 60")
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 172800 NS ns1.old.example\nns1.old.example 172800 A %s\nexample 5 DS %s\n", ip["old"], a.ds(t))
	p := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	primary := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.Sign(t, text, labsign.Opts{End: end})}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Primary: primary.Addr}}})
	c := signedConfig(t, gitZone(t, text), ip, primary, nw, p, prestagedTrail(t, 60), 60)
	c.ParentZone, c.Registrar = "test.", &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}
	c.Watch, c.Confirm, c.Log = time.Second, 2*time.Second, io.Discard
	primary.Stop()
	waitCounting(t, nw.Addr, 1209600)
	rep := Flip(ctx, c, false, true)
	g := gateNamed(rep, GateDNSSEC)
	if g == nil {
		t.Fatalf("no dnssec gate: %+v", rep.Gates)
	}
	t.Logf("dnssec ok=%v: %s", g.OK, g.Detail)
	for _, o := range rep.Gates {
		if o.Name != GateDNSSEC && !o.OK {
			t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
		}
	}
	if done {
		if rep.Result != ResultDone {
			t.Fatalf("emergency flip onto a copy signed for 30 days: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
		}
		return
	}
	if rep.ExitCode() != 1 || g.OK || !strings.Contains(g.Detail, "bogus") {
		t.Fatalf("emergency flip onto a copy whose signatures end in a day, parent NS TTL two days: %s (exit %d)", rep.Result, rep.ExitCode())
	}
	if ns := nsAt(t, &reviewLab{parent: p}); ns != "ns1.old.example.test." {
		t.Fatalf("the parent changed: %s", ns)
	}
}

// TestStatusCopyExpiresOfDelegatedSide: status's copy_expires is the
// side the delegation points to (docs/ARCHITECTURE.md). Here the parent
// delegates to the old side, a primary (its copy does not count down),
// and the new side is a secondary of it, whose copy counts down between
// refreshes: new-authoritative names that copy in its detail, but the
// report's copy_expires is not the new side's. On the code before it was:
// the gate wrote it, and status's own reading of the side delegated to,
// finding no copy counting down, left it there.
func TestStatusCopyExpiresOfDelegatedSide(t *testing.T) {
	lab.Require(t, "named")
	ctx := context.Background()
	key := &lab.TSIGKey{Name: "k.", Secret: "c3RhdHVzLWNvcHktZXhwaXJlcy1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cw=="}
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t)}
	text := replaced(t, ownNSZone("new", ip), " 1 60 60 1209600 60", " 1 60 60 604800 60")
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 1800 NS ns1.old.example\nns1.old.example 1800 A %s\n", ip["old"])
	p := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	primary := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Primary: primary.Addr}}})
	c := signedConfig(t, gitZone(t, text), ip, primary, nw, p, prestagedTrail(t, 60), 60)
	c.ParentZone, c.Registrar = "test.", &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}
	waitCounting(t, nw.Addr, 604800)
	st := Status(ctx, c)
	if st.Delegation.PointsTo != "old" {
		t.Fatalf("the delegation points to %q", st.Delegation.PointsTo)
	}
	if g := gateNamed(st, GateNewAuthoritative); g == nil || !strings.Contains(g.Detail, "copy expires at") {
		t.Fatalf("new-authoritative does not name the new side's copy: %+v", g)
	}
	if st.CopyExpires != nil && st.CopyExpires.Side != "old" {
		t.Errorf("status delegated to the old side: copy_expires is the %s side's: %+v", st.CopyExpires.Side, st.CopyExpires)
	}
}
