package dnssec_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/labsign"
)

// TestWalkNSEC3Lab: TestWalkNSECLab's zone denied with NSEC3 (Knot
// serving it as dnssec-signzone -3 signed it). Walked from the apex
// alone, every other name is a hash no known name has, with its types
// (the empty non-terminal deep, none); from every name, each is named
// with its types (a.b.deep's A; the delegation sec's NS DS) and none is
// unnamed; limited to 2 hashes beyond the known, ErrNSECChainLong. An
// opt-out chain (dnssec-signzone -A), which leaves the unsigned
// delegation sub out, is ErrNoNSECChain, as is an NSEC zone.
func TestWalkNSEC3Lab(t *testing.T) {
	lab.Require(t, "knotd", "dnssec-keygen", "dnssec-signzone")
	text := "$ORIGIN walk.test.\n$TTL 60\n@ SOA ns h 1 60 60 60 60\n@ NS ns\nns A 192.0.2.1\nwww A 192.0.2.2\nwww TXT \"x\"\na.b.deep A 192.0.2.3\nsub NS ns.sub\nns.sub A 192.0.2.4\nsec NS ns.sub\nsec DS 12345 13 2 " + strings.Repeat("AB", 32) + "\n"
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
	if _, err := dnssec.WalkNSEC3(ctx, srv.Addr, "walk.test.", nil, 2, 2*time.Second); !errors.Is(err, dnssec.ErrNSECChainLong) {
		t.Errorf("walk limited to 2 hashes beyond the known: %v", err)
	}
	optOut := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "walk.test.", Text: s.Sign(t, text, labsign.Opts{NSEC3: true, OptOut: true})}}})
	if _, err := dnssec.WalkNSEC3(ctx, optOut.Addr, "walk.test.", all, 100, 2*time.Second); !errors.Is(err, dnssec.ErrNoNSECChain) {
		t.Errorf("an opt-out NSEC3 chain walked: %v", err)
	}
	nsec := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "walk.test.", Text: s.Sign(t, text, labsign.Opts{})}}})
	if _, err := dnssec.WalkNSEC3(ctx, nsec.Addr, "walk.test.", all, 100, 2*time.Second); !errors.Is(err, dnssec.ErrNoNSECChain) {
		t.Errorf("an NSEC zone walked as NSEC3: %v", err)
	}
}
