package dnssec_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/labsign"
)

// walkZone is the zone TestWalkNSECLab and TestWalkNSEC3Lab walk: names
// with several types, an empty non-terminal (deep), an unsigned
// delegation (sub, its glue below it) and a signed one (sec).
var walkZone = "$ORIGIN walk.test.\n$TTL 60\n@ SOA ns h 1 60 60 60 60\n@ NS ns\nns A 192.0.2.1\nwww A 192.0.2.2\nwww TXT \"x\"\na.b.deep A 192.0.2.3\nsub NS ns.sub\nns.sub A 192.0.2.4\nsec NS ns.sub\nsec DS 12345 13 2 " + strings.Repeat("AB", 32) + "\n"

// TestWalkNSECLab: a zone signed with NSEC by dnssec-signzone, served by
// Knot, walked from its apex: every name it holds (a delegation's cut,
// not the glue below it; one with a DS, whose referral carries no NSEC,
// read from the denial of the name after it) with the types of its NSEC
// bitmap, from the apex alone or from some names (one the server lacks,
// one below the cut, an empty non-terminal among them). With a limit of
// two names beyond those known, the walk stops past it (ErrNSECChainLong)
// with the names it read; the same zone signed with NSEC3 has no chain
// to walk (ErrNoNSECChain).
func TestWalkNSECLab(t *testing.T) {
	lab.Require(t, "knotd", "dnssec-keygen", "dnssec-signzone")
	text := walkZone
	s := newSigner(t, "walk.test.")
	srv := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "walk.test.", Text: s.sign(t, text, signOpts{})}}})
	ctx := context.Background()
	// From the apex alone, every name is found by a chain of rounds;
	// from some names (one the server lacks, one below the cut, an
	// empty non-terminal), the same.
	for _, known := range [][]string{nil, {"www.walk.test.", "gone.walk.test.", "ns.sub.walk.test.", "deep.walk.test."}} {
		got, err := dnssec.WalkNSEC(ctx, srv.Addr, "walk.test.", known, 100, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		checkWalk(t, got)
	}
	part, err := dnssec.WalkNSEC(ctx, srv.Addr, "walk.test.", []string{"www.walk.test."}, 2, 2*time.Second)
	if !errors.Is(err, dnssec.ErrNSECChainLong) || len(part) < 3 {
		t.Errorf("walk limited to 2 names beyond the known: %v, %d names", err, len(part))
	}
	n3 := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "walk.test.", Text: s.sign(t, text, signOpts{nsec3: true})}}})
	if _, err := dnssec.WalkNSEC(ctx, n3.Addr, "walk.test.", nil, 100, 2*time.Second); !errors.Is(err, dnssec.ErrNoNSECChain) {
		t.Errorf("an NSEC3 zone walked: %v", err)
	}
}

// checkWalk checks the names and types of TestWalkNSECLab's zone.
func checkWalk(t *testing.T, got map[string][]uint16) {
	t.Helper()
	want := map[string][]uint16{
		"walk.test.":          {dns.TypeSOA, dns.TypeNS},
		"ns.walk.test.":       {dns.TypeA},
		"www.walk.test.":      {dns.TypeA, dns.TypeTXT},
		"a.b.deep.walk.test.": {dns.TypeA},
		"sub.walk.test.":      {dns.TypeNS},
		"sec.walk.test.":      {dns.TypeNS, dns.TypeDS},
	}
	if len(got) != len(want) {
		t.Errorf("walked %d names, want %d: %v", len(got), len(want), got)
	}
	for name, types := range want {
		for _, ty := range types {
			if !slices.Contains(got[name], ty) {
				t.Errorf("%s: bitmap %v lacks %s", name, got[name], dns.Type(ty))
			}
		}
	}
	if _, ok := got["ns.sub.walk.test."]; ok {
		t.Errorf("the glue below the cut is in the walk: %v", got)
	}
}

// TestWalkNSECChildZonesLab: the server also serves zones delegated below
// the one walked (a provider or a BIND server holding parent and child):
// asked the NSEC of a cut, it answers from the child, with authority,
// the child apex's NSEC (signed) or no NSEC (unsigned), not the parent's
// NSEC at the cut. The walk reads the parent's NSEC at each cut all the
// same (from its denial of the name right after the cut), so it neither
// stops at the cut, leaving every name after it unread (a copy's extra
// name after an unsigned child went unseen, the walk reporting success),
// nor follows the child's chain into the child's names.
func TestWalkNSECChildZonesLab(t *testing.T) {
	lab.Require(t, "knotd", "dnssec-keygen", "dnssec-signzone")
	text := "$ORIGIN walk.test.\n$TTL 60\n@ SOA ns h 1 60 60 60 60\n@ NS ns\nns A 192.0.2.1\nwww A 192.0.2.2\nwww TXT \"x\"\na.b.deep A 192.0.2.3\nsub NS ns.sub\nns.sub A 192.0.2.4\nsec NS ns.sub\nsec DS 12345 13 2 " + strings.Repeat("AB", 32) + "\n"
	child := func(origin string) string {
		return "$ORIGIN " + origin + "\n$TTL 60\n@ SOA ns h 1 60 60 60 60\n@ NS ns\nns A 192.0.2.4\ninner A 192.0.2.5\n"
	}
	s := newSigner(t, "walk.test.")
	sec := newSigner(t, "sec.walk.test.")
	srv := lab.Knot(t, lab.Options{Zones: []lab.Zone{
		{Origin: "walk.test.", Text: s.sign(t, text, signOpts{})},
		{Origin: "sub.walk.test.", Text: child("sub.walk.test.")},
		{Origin: "sec.walk.test.", Text: sec.sign(t, child("sec.walk.test."), signOpts{})},
	}})
	for _, known := range [][]string{nil, {"www.walk.test.", "sub.walk.test.", "sec.walk.test."}} {
		got, err := dnssec.WalkNSEC(context.Background(), srv.Addr, "walk.test.", known, 100, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		checkWalk(t, got)
		for name := range got {
			if dns.IsSubDomain("sub.walk.test.", name) && name != "sub.walk.test." || dns.IsSubDomain("sec.walk.test.", name) && name != "sec.walk.test." {
				t.Errorf("a child zone's name in the walk: %s", name)
			}
		}
	}
}

// TestWalkNSECOnlineSignerLab: a server that signs as it answers
// (Knot's mod-onlinesign, as Cloudflare's and other providers' online
// signers) makes each NSEC up for the name asked, naming a next name
// just below it ("\000.name", RFC 4470 minimal covering, the "black
// lies" kind), not the zone's next name: the chain names none of the
// names the copy holds beyond those asked. The walk says it cannot read
// the names (ErrNoNSECChain), not that the copy holds only the known
// ones: "extra.walk.test.", which the caller did not know, was never
// reached while the walk reported success.
func TestWalkNSECOnlineSignerLab(t *testing.T) {
	lab.Require(t, "knotd")
	text := "$ORIGIN walk.test.\n$TTL 60\n@ SOA ns h 1 60 60 60 60\n@ NS ns\nns A 192.0.2.1\nwww A 192.0.2.2\nextra TXT \"not in git\"\n"
	srv := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "walk.test.", Text: text}}, OnlineSign: true})
	got, err := dnssec.WalkNSEC(context.Background(), srv.Addr, "walk.test.", []string{"ns.walk.test.", "www.walk.test."}, 100, 2*time.Second)
	if err == nil {
		if _, ok := got["extra.walk.test."]; !ok {
			t.Fatalf("the walk reported success without extra.walk.test.: %v", got)
		}
		return
	}
	if !errors.Is(err, dnssec.ErrNoNSECChain) {
		t.Fatalf("walk: %v, want ErrNoNSECChain", err)
	}
}

// TestWalkNSECChainBreaksLab: a name the chain names next whose NSEC
// cannot be read (here a delegation with a DS, whose referral carries no
// NSEC, at a label of 63 octets, after which no name can be made to ask
// the parent's denial of) leaves every name after it unread: the walk
// says the chain was not read (ErrNoNSECChain), not the names before the
// break as the copy's (www.walk.test., after it, was missing from a walk
// that reported success).
func TestWalkNSECChainBreaksLab(t *testing.T) {
	lab.Require(t, "knotd", "dnssec-keygen", "dnssec-signzone")
	long := "m" + strings.Repeat("x", 62)
	text := "$ORIGIN walk.test.\n$TTL 60\n@ SOA ns h 1 60 60 60 60\n@ NS ns\nns A 192.0.2.1\nwww A 192.0.2.2\n" + long + " NS ns\n" + long + " DS 12345 13 2 " + strings.Repeat("AB", 32) + "\n"
	s := newSigner(t, "walk.test.")
	srv := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "walk.test.", Text: s.sign(t, text, signOpts{})}}})
	got, err := dnssec.WalkNSEC(context.Background(), srv.Addr, "walk.test.", nil, 100, 2*time.Second)
	if err == nil {
		if _, ok := got["www.walk.test."]; !ok {
			t.Fatalf("the walk reported success without www.walk.test.: %v", got)
		}
		return
	}
	if !errors.Is(err, dnssec.ErrNoNSECChain) {
		t.Fatalf("walk: %v, want ErrNoNSECChain", err)
	}
}

// TestWalkNSEC3Lab: TestWalkNSECLab's zone denied with NSEC3 (Knot
// serving it as dnssec-signzone -3 signed it). Walked from the apex
// alone, every other name is a hash no known name has, with its types
// (the empty non-terminal deep, none); from every name, each is named
// with its types (a.b.deep's A; the delegation sec's NS DS) and none is
// unnamed; limited to 2 hashes beyond the known, ErrNSECChainLong. An
// opt-out chain (dnssec-signzone -A) is walked, OptOut set: every name
// but the unsigned delegation sub, which it leaves out (before, it was
// ErrNoNSECChain and nothing of it was read). An NSEC zone is
// ErrNoNSECChain.
func TestWalkNSEC3Lab(t *testing.T) {
	lab.Require(t, "knotd", "dnssec-keygen", "dnssec-signzone")
	text := walkZone
	s := newSigner(t, "walk.test.")
	srv := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "walk.test.", Text: s.Sign(t, text, labsign.Opts{NSEC3: true})}}})
	ctx := context.Background()
	all := []string{"walk.test.", "ns.walk.test.", "www.walk.test.", "a.b.deep.walk.test.", "sub.walk.test.", "sec.walk.test."}
	got, err := dnssec.WalkNSEC3(ctx, srv.Addr, "walk.test.", all, 100, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Unnamed) != 0 || !slices.Contains(got.Names["a.b.deep.walk.test."], dns.TypeA) || !slices.Contains(got.Names["sec.walk.test."], dns.TypeDS) ||
		!slices.Contains(got.Names["www.walk.test."], dns.TypeTXT) || len(got.Names["deep.walk.test."]) != 0 {
		t.Fatalf("walked from every name: names %v, unnamed %v", got.Names, got.Unnamed)
	}
	if _, ok := got.Names["deep.walk.test."]; !ok {
		t.Errorf("the empty non-terminal deep is not in the chain read: %v", got.Names)
	}
	apex, err := dnssec.WalkNSEC3(ctx, srv.Addr, "walk.test.", nil, 100, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// ns, www, a.b.deep, b.deep, deep, sub, sec: 7 hashes besides the apex.
	if len(apex.Names) != 1 || len(apex.Unnamed) != 7 {
		t.Fatalf("walked from the apex alone: names %v, unnamed %v", apex.Names, apex.Unnamed)
	}
	// Past the limit, what was read comes with the error: enough to
	// refuse on (on the code before, nothing did, and the copy was
	// judged by its serial alone).
	if part, err := dnssec.WalkNSEC3(ctx, srv.Addr, "walk.test.", nil, 2, 2*time.Second); !errors.Is(err, dnssec.ErrNSECChainLong) || part == nil || len(part.Unnamed) < 3 {
		t.Errorf("walk limited to 2 hashes beyond the known: %v, %+v", err, part)
	}
	// A chain of 500 hashes, from the apex alone: each gap is asked into
	// until it closes, however narrow (on the code before, a gap none of
	// 2,048 made-up names hashed into broke the walk).
	var big strings.Builder
	big.WriteString(text)
	for i := range 500 {
		fmt.Fprintf(&big, "n%d A 192.0.2.5\n", i)
	}
	many := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "walk.test.", Text: s.Sign(t, big.String(), labsign.Opts{NSEC3: true})}}})
	got, err = dnssec.WalkNSEC3(ctx, many.Addr, "walk.test.", nil, 1000, 2*time.Second)
	if err != nil {
		t.Fatalf("a chain of 508 hashes walked from the apex: %v", err)
	}
	if len(got.Unnamed) != 507 {
		t.Fatalf("a chain of 508 hashes walked from the apex: %d unnamed", len(got.Unnamed))
	}
	optOut := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "walk.test.", Text: s.Sign(t, text, labsign.Opts{NSEC3: true, OptOut: true})}}})
	oo, err := dnssec.WalkNSEC3(ctx, optOut.Addr, "walk.test.", all, 100, 2*time.Second)
	if err != nil || !oo.OptOut || len(oo.Unnamed) != 0 || !slices.Contains(oo.Names["a.b.deep.walk.test."], dns.TypeA) || !slices.Contains(oo.Names["sec.walk.test."], dns.TypeDS) {
		t.Errorf("an opt-out NSEC3 chain: %+v %v, want walked, OptOut, every name but the unsigned delegation", oo, err)
	} else if _, in := oo.Names["sub.walk.test."]; in {
		t.Errorf("the unsigned delegation sub is in the opt-out chain read: %v", oo.Names)
	}
	nsec := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "walk.test.", Text: s.Sign(t, text, labsign.Opts{})}}})
	if _, err := dnssec.WalkNSEC3(ctx, nsec.Addr, "walk.test.", all, 100, 2*time.Second); !errors.Is(err, dnssec.ErrNoNSECChain) {
		t.Errorf("an NSEC zone walked as NSEC3: %v", err)
	}
}
