package rfc2136_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
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

// TestZONEMDStaleLab: an apex ZONEMD git lacks is left by push while it
// verifies the zone the provider serves (RFC 8976 §4: the SOA's serial
// and the zone's digest), and deleted once it does not: a ZONEMD nobody
// makes (BIND makes none) goes stale at the first change, and a
// validating consumer then refuses the zone over it. Knot's
// zonemd-generate makes a new one at every serial: left, push converges.
// The verifying ZONEMD BIND starts with is ldns-signzone's (-Z -z 1:1).
// On the code before, push left any apex ZONEMD git lacks, so BIND
// served a stale one for ever (plan over it: no change).
func TestZONEMDStaleLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "ldns-signzone")
	desired, err := zone.Parse(strings.NewReader(zonemdText(false, "www TXT \"new\"\n")), "git.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.zone"), filepath.Join(dir, "out.zone")
	if err := os.WriteFile(in, []byte(zonemdText(false, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("ldns-signzone", "-Z", "-z", "1:1", "-o", origin, "-f", out, in).CombinedOutput(); err != nil {
		t.Fatalf("ldns-signzone: %v\n%s", err, b)
	}
	verified, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}

	// BIND, holding a ZONEMD of the current serial whose digest is not
	// the zone's: deleted with the first push.
	bind := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zonemdText(true, "")}}, TSIG: key, AllowUpdate: true})
	bp := newFlavor(t, bind.Addr, key.Secret, "bind")
	if pl, _ := push(t, bp, desired, ""); len(pl.Changes) != 2 || !hasDelete(pl, dns.TypeZONEMD) {
		t.Errorf("bind, plan over a ZONEMD whose digest is wrong: %v, want the TXT created and the ZONEMD deleted", pl.Changes)
	}

	// BIND, holding ldns-signzone's ZONEMD of the zone: left; the push
	// of git's change bumps the serial, and the next plan deletes it.
	bind = lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: string(verified)}}, TSIG: key, AllowUpdate: true})
	bp = newFlavor(t, bind.Addr, key.Secret, "bind")
	pl, _ := push(t, bp, desired, "")
	if len(pl.Changes) != 1 || pl.Changes[0].Type != dns.TypeTXT {
		t.Errorf("bind, first plan: %v, want the TXT created only (the ZONEMD that verifies left)", pl.Changes)
	}
	soa, zs := apexSerials(t, bp)
	if len(zs) != 1 || zs[0] == soa {
		t.Fatalf("bind after the change: SOA serial %d, ZONEMD serials %v: want one ZONEMD of an older serial", soa, zs)
	}
	pl, _ = push(t, bp, desired, "")
	if len(pl.Changes) != 1 || !hasDelete(pl, dns.TypeZONEMD) {
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

// hasDelete reports whether pl deletes the apex RRset of type t.
func hasDelete(pl *plan.Plan, t uint16) bool {
	for _, c := range pl.Changes {
		if c.Action == provider.Delete && c.Name == origin && c.Type == t {
			return true
		}
	}
	return false
}

// TestGitApexZONEMDLab: git holds an apex ZONEMD (a digest of git's file
// at git's SOA serial). Push never sets the SOA: each provider serves its
// own serial, bumped by every change, so git's apex ZONEMD served
// verifies nothing (RFC 8976 §4: a consumer checking it refuses the
// zone). It is not pushed, and the plan says why. On the code before,
// Knot (zonemd-generate) replaced git's with its own at every serial and
// every push wrote git's back: a plan never empty, the serial climbing
// at each sync; BIND served git's ZONEMD of serial 1 under SOA serial 2.
func TestGitApexZONEMDLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	desired, err := zone.Parse(strings.NewReader(zonemdText(true, "www TXT \"new\"\n")), "git.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	knot := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zonemdText(false, "")}}, TSIG: key, AllowUpdate: true, ZONEMD: true})
	bind := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zonemdText(false, "")}}, TSIG: key, AllowUpdate: true})
	for _, s := range []struct {
		flavor string
		addr   string
	}{{"knot", knot.Addr}, {"bind", bind.Addr}} {
		p := newFlavor(t, s.addr, key.Secret, s.flavor)
		pl, _ := push(t, p, desired, "")
		warned := false
		for _, w := range pl.Warnings {
			warned = warned || strings.Contains(w, "ZONEMD")
		}
		if !warned {
			t.Errorf("%s, first plan: warnings %q, want one naming git's apex ZONEMD", s.flavor, pl.Warnings)
		}
		if pl, _ = push(t, p, desired, ""); len(pl.Changes) != 0 {
			t.Errorf("%s, second plan: %v, want none", s.flavor, pl.Changes)
		}
		soa, zs := apexSerials(t, p)
		for _, z := range zs {
			if z != soa {
				t.Errorf("%s serves a ZONEMD of serial %d under SOA serial %d", s.flavor, z, soa)
			}
		}
	}
}

// TestSignalingCDSPushedLab: git's RFC 9615 signaling records (a CDS and
// a CDNSKEY below the apex, at _dsboot.<child>._signal.<nameserver>) are
// the zone's data: pushed to a real Knot and BIND by UPDATE, listed back,
// and the second plan is empty (plan.TestSignalingCDSPushed: on the code
// before they were never pushed).
func TestSignalingCDSPushedLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	const signal = "_dsboot.child.test._signal.ns1"
	extra := signal + " CDS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n" +
		signal + " CDNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n"
	desired, err := zone.Parse(strings.NewReader(zonemdText(false, extra)), "git.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	knot := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zonemdText(false, "")}}, TSIG: key, AllowUpdate: true})
	bind := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zonemdText(false, "")}}, TSIG: key, AllowUpdate: true})
	for _, s := range []struct {
		flavor string
		addr   string
	}{{"knot", knot.Addr}, {"bind", bind.Addr}} {
		p := newFlavor(t, s.addr, key.Secret, s.flavor)
		if pl, _ := push(t, p, desired, ""); len(pl.Changes) != 2 {
			t.Errorf("%s, first plan: %v, want the CDS and the CDNSKEY created", s.flavor, pl.Changes)
		}
		if pl, _ := push(t, p, desired, ""); len(pl.Changes) != 0 {
			t.Errorf("%s, second plan: %v, want none", s.flavor, pl.Changes)
		}
		z, err := p.Records(context.Background(), origin)
		if err != nil {
			t.Fatal(err)
		}
		name := "_dsboot.child.test._signal.ns1." + origin
		if z.Get(name, dns.TypeCDS) == nil || z.Get(name, dns.TypeCDNSKEY) == nil {
			t.Errorf("%s does not serve git's signaling CDS and CDNSKEY at %s", s.flavor, name)
		}
	}
}
