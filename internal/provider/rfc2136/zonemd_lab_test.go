package rfc2136_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// zonemdText is a zone at serial 1; with a ZONEMD of serial 1 (its digest
// made up) when zonemd is set.
func zonemdText(zonemd bool, extra string) string {
	s := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n" + extra
	if zonemd {
		s += "@ ZONEMD 1 1 1 " + strings.Repeat("ab", 48) + "\n"
	}
	return s
}

// apexSerials are the serials of the apex SOA and ZONEMD records a
// provider lists.
func apexSerials(t *testing.T, p provider.Provider) (soa uint32, zonemd []uint32) {
	t.Helper()
	z, err := p.Records(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	for _, rr := range z.Get(origin, dns.TypeSOA).RRs() {
		soa = rr.(*dns.SOA).Serial
	}
	if s := z.Get(origin, dns.TypeZONEMD); s != nil {
		for _, rr := range s.RRs() {
			zonemd = append(zonemd, rr.(*dns.ZONEMD).Serial)
		}
	}
	return soa, zonemd
}

// TestZONEMDStaleLab: an apex ZONEMD git lacks is left by push when the
// provider keeps it current (Knot's zonemd-generate: a new one at every
// serial), and deleted once its serial is no longer the SOA's: a ZONEMD
// nobody makes (BIND makes none) goes stale at the first change, and a
// validating consumer (RFC 8976 §4: the serials must match) then refuses
// the zone over it. On the code before, push left any apex ZONEMD git
// lacks, so BIND served the stale one for ever (plan after the change:
// no change; want its deletion).
func TestZONEMDStaleLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	desired, err := zone.Parse(strings.NewReader(zonemdText(false, "www TXT \"new\"\n")), "git.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}

	// BIND, holding a ZONEMD of the current serial (no digest is
	// checked: it may be current): left; the push of git's change
	// bumps the serial, and the next plan deletes it.
	bind := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zonemdText(true, "")}}, TSIG: key, AllowUpdate: true})
	bp := newFlavor(t, bind.Addr, key.Secret, "bind")
	pl, _ := push(t, bp, desired, "")
	if len(pl.Changes) != 1 || pl.Changes[0].Type != dns.TypeTXT {
		t.Errorf("bind, first plan: %v, want the TXT created only (the ZONEMD of the current serial left)", pl.Changes)
	}
	soa, zs := apexSerials(t, bp)
	if len(zs) != 1 || zs[0] == soa {
		t.Fatalf("bind after the change: SOA serial %d, ZONEMD serials %v: want one ZONEMD of an older serial", soa, zs)
	}
	pl, _ = push(t, bp, desired, "")
	if len(pl.Changes) != 1 || pl.Changes[0].Action != provider.Delete || pl.Changes[0].Type != dns.TypeZONEMD {
		t.Errorf("bind, plan over the stale ZONEMD: %v, want it deleted", pl.Changes)
	}
	if pl, _ = push(t, bp, desired, ""); len(pl.Changes) != 0 {
		t.Errorf("bind, third plan: %v, want none", pl.Changes)
	}

	// Knot, making its own at every serial: left, before and after
	// the change; push converges.
	knot := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zonemdText(false, "")}}, TSIG: key, AllowUpdate: true, ZONEMD: true})
	kp := newFlavor(t, knot.Addr, key.Secret, "knot")
	if pl, _ = push(t, kp, desired, ""); len(pl.Changes) != 1 || pl.Changes[0].Type != dns.TypeTXT {
		t.Errorf("knot, first plan: %v, want the TXT created only", pl.Changes)
	}
	soa, zs = apexSerials(t, kp)
	if len(zs) != 1 || zs[0] != soa {
		t.Fatalf("knot after the change: SOA serial %d, ZONEMD serials %v: want its new ZONEMD of that serial", soa, zs)
	}
	if pl, _ = push(t, kp, desired, ""); len(pl.Changes) != 0 {
		t.Errorf("knot, second plan: %v, want none", pl.Changes)
	}
}
