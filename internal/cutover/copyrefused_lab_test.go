package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/labsign"
)

// TestFlipOldCopyTransferRefusedLab: TestFlipOldCopySameSerialLab with
// the other copy's server refusing the transfer (the parity TSIG key
// unknown to it). What it serves beyond the listing cannot be seen (no
// question finds a name nobody lists), but a refusal would block every
// step of a zone whose secondary transfers to no one but its primary, the
// common case (TestCutoverFinishRecordedSecondaryLab): old-complete passes
// on the serial, and the server, its failed transfer and "serial only"
// are named in the gate's detail and in the report's warnings.
func TestFlipOldCopyTransferRefusedLab(t *testing.T) {
	for _, tc := range otherCopyCases {
		t.Run(tc.name, func(t *testing.T) {
			l, rep, g := flipOverOtherCopy(t, tc.set, unknownKey)
			if rep.Result != ResultDryRun || g == nil || !g.OK || !strings.Contains(g.Detail, l.old.Addr) || !strings.Contains(g.Detail, "serial only") {
				t.Fatalf("flip with the old side's resolvers' server refusing the transfer, at the listing's serial: %s, old-complete %+v, want a dry run passing it on the serial, naming the server", rep.Result, g)
			}
			if !warned(rep, l.old.Addr, "serial only") {
				t.Errorf("no warning names %s and the serial-only comparison: %q", l.old.Addr, rep.Warnings)
			}
		})
	}
}

// TestFlipOldCopyUnsignedTransferRefusedLab: the old side's public server
// (BIND, allow-transfer { none; }) refuses the copy check's transfer,
// which no key signed (parity.axfr off: the parity TSIG keys are not
// read). The warning's advice must fit the transfer that was sent: on the
// code before, it said to allow the transfer "signed with
// providers.old.tsig", a key the transfer never carried.
func TestFlipOldCopyUnsignedTransferRefusedLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ip := map[string]string{"old": l.oldIP, "new": l.newIP}
	listed := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("old", ip)}}})
	l.old.Stop()
	public := lab.BIND(t, lab.Options{IP: l.oldIP, NoTransfer: true, Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("old", ip)}}})
	c := l.mk()
	c.Old.Provider, c.Old.Primary = rfc2136Provider(t, listed.Addr, nil), listed.Addr
	c.Parity.OldTSIG, c.Parity.AXFR = nil, false
	rep := Flip(context.Background(), c, true, false)
	g := findGate(rep.Gates, GateOldComplete)
	t.Logf("flip (dry run): %s; old-complete %+v; warnings %q", rep.Result, g, rep.Warnings)
	if g == nil || !g.OK || !warned(rep, public.Addr, "serial only") {
		t.Fatalf("old-complete with the public server refusing the transfer: %+v, warnings %q, want it met on the serial with a warning naming %s", g, rep.Warnings, public.Addr)
	}
	if warned(rep, "signed with") || !warned(rep, public.Addr, "unsigned") {
		t.Errorf("the warning's advice does not fit the unsigned transfer sent: %q", rep.Warnings)
	}
}

// TestFlipOldCopyNSECWalkLab: TestFlipOldCopyUnsignedTransferRefusedLab
// with the zone signed (NSEC, dnssec-signzone) and the public server,
// which gives no transfer, holding at the listing's serial a name the
// listing and git lack (hidden A, a copy edited apart). Parity asks git's
// names and the transfer is refused, so old-complete passed on the serial
// with a warning, and hidden would vanish at the flip for every resolver.
// Yet a signed zone names every name it holds and its types in its NSEC
// chain (RFC 4034 section 4), which the server hands to anyone asking:
// walked, it shows hidden A, and old-complete refuses, naming it. The
// same server serving the listing's names only passes on the walk.
func TestFlipOldCopyNSECWalkLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone")
	for _, extra := range []string{"hidden A 192.0.2.99\n", ""} {
		rep, g, public := flipOverSignedCopy(t, extra, labsign.Opts{})
		if extra == "" {
			if !g.OK {
				t.Errorf("old-complete with the public copy holding the listing's names only: %+v", g)
			}
			continue
		}
		if g.OK || !strings.Contains(g.Detail, public) || !strings.Contains(g.Detail, "hidden.example.test. A") {
			t.Fatalf("old-complete with the public server (no transfer) serving hidden.example.test. A, which its NSEC chain names and the listing and git lack: %+v (%s)", g, rep.Result)
		}
	}
}

// flipOverSignedCopy is a dry-run flip in the review lab with the old
// side's provider a primary (Knot) serving the zone signed by one key as
// o says, and its public server (BIND, no transfer, at the old side's
// address) the same zone with extra records added, signed so: the
// report, its old-complete gate and the public server's address.
func flipOverSignedCopy(t *testing.T, extra string, o labsign.Opts) (*Report, *Gate, string) {
	t.Helper()
	l := newReviewLab(t, 60)
	ip := map[string]string{"old": l.oldIP, "new": l.newIP}
	a := newSigner(t, "example.test.")
	listed := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: a.Sign(t, ownNSZone("old", ip), o)}}})
	l.old.Stop()
	public := lab.BIND(t, lab.Options{IP: l.oldIP, NoTransfer: true, Zones: []lab.Zone{{Origin: "example.test.", Text: a.Sign(t, ownNSZone("old", ip)+extra, o)}}})
	c := l.mk()
	c.Old.Provider, c.Old.Primary = rfc2136Provider(t, listed.Addr, nil), listed.Addr
	c.Parity.OldTSIG, c.Parity.AXFR = nil, false
	rep := Flip(context.Background(), c, true, false)
	g := findGate(rep.Gates, GateOldComplete)
	t.Logf("public copy with %q: flip (dry run) %s; old-complete %+v", extra, rep.Result, g)
	if g == nil {
		t.Fatalf("no old-complete gate: %+v", rep.Gates)
	}
	return rep, g, public.Addr
}

// TestFlipOldCopyNSEC3WalkLab: TestFlipOldCopyNSECWalkLab with the zone
// denied with NSEC3 (dnssec-signzone -3, RFC 5155), whose owner names
// are hashes: on the code before, the NSEC walk found no chain and
// old-complete passed on the serial alone (a warning), so hidden A, held
// by the public copy only, would vanish at the flip. Now the NSEC3 chain
// is read whole (dnssec.WalkNSEC3: the listing's and git's names hashed,
// the rest of the chain asked through made-up names hashing into its
// gaps): a hash no listed name has, holding an A record, is a name beyond
// the listing, and old-complete refuses, naming the server and the hash.
// The same copy without it passes on the walk, with no serial-only
// warning.
func TestFlipOldCopyNSEC3WalkLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone")
	var many strings.Builder // past nsecBeyond: what was read refuses
	for i := range nsecBeyond + 20 {
		fmt.Fprintf(&many, "h%d A 192.0.2.97\n", i)
	}
	for _, tc := range []struct {
		extra  string
		hashes int // names beyond the listing the detail names by hash (0: passes); -1: some
	}{
		{"hidden A 192.0.2.99\nsub.deep A 192.0.2.98\n", 2},
		{many.String(), -1},
		{"", 0},
	} {
		rep, g, public := flipOverSignedCopy(t, tc.extra, labsign.Opts{NSEC3: true})
		if tc.hashes == 0 {
			if !g.OK || warned(rep, public, "serial only") {
				t.Errorf("old-complete with the public copy holding the listing's names only: %+v, warnings %q", g, rep.Warnings)
			}
			continue
		}
		n := strings.Count(g.Detail, "a name of NSEC3 hash")
		if g.OK || !strings.Contains(g.Detail, public) || n == 0 || tc.hashes > 0 && n != tc.hashes || !strings.Contains(g.Detail, "(A)") {
			t.Fatalf("old-complete with the public server (no transfer, NSEC3) serving A records at names the listing and git lack: %+v", g)
		}
	}
}

// TestFlipOldCopyNSEC3OptOutWalkLab: TestFlipOldCopyNSEC3WalkLab with
// the chain's opt-out flag set (dnssec-signzone -3 -A, RFC 5155 section
// 6). Opt-out leaves only unsigned delegations (and empty non-terminals
// that lead only to them) out of the chain: every other name the copy
// holds is still in it. On the code before, an opt-out chain was not
// walked at all and old-complete passed on the serial alone, so hidden A,
// served by the public copy only, would vanish at the flip. Now the chain
// is walked and hidden refuses the flip, named by hash. What opt-out
// does leave out cannot be seen from its chain (a delegation the public
// copy alone holds: its name's hash falls in an opt-out span, which may
// cover any number of unsigned delegations): the step passes, and a
// warning says so, naming the server.
func TestFlipOldCopyNSEC3OptOutWalkLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone")
	for _, tc := range []struct {
		what, extra string
		refused     bool
	}{
		{"a name beyond the listing", "hidden A 192.0.2.99\n", true},
		{"an unsigned delegation beyond the listing", "insecure NS ns.elsewhere.net.\n", false},
		{"the listing's names only", "", false},
	} {
		t.Run(tc.what, func(t *testing.T) {
			rep, g, public := flipOverSignedCopy(t, tc.extra, labsign.Opts{NSEC3: true, OptOut: true})
			if tc.refused {
				if g.OK || !strings.Contains(g.Detail, public) || !strings.Contains(g.Detail, "a name of NSEC3 hash") || !strings.Contains(g.Detail, "(A)") {
					t.Fatalf("old-complete with the public server (no transfer, opt-out NSEC3) serving an A record at a name the listing and git lack: %+v", g)
				}
				return
			}
			if !g.OK || !warned(rep, public, "opt-out", "unsigned delegations") {
				t.Errorf("old-complete %+v, warnings %q: want met, with a warning that %s's opt-out chain leaves unsigned delegations unseen", g, rep.Warnings, public)
			}
		})
	}
}
