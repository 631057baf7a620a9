package powerdns_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestUnnamedTypes pushes, in one PATCH, RRsets of types miekg/dns reads
// by name but PowerDNS 4.7 has no name for (RT, RESINFO, ...: not in
// QType::names, pdns/qtype.cc of auth-4.7.3), and SIG, a name PowerDNS
// knows with no text form: PowerDNS refused the whole batch with
// "unknown type given" (HTTP 422). Each must be accepted, read back equal
// through the API and through AXFR, and leave the next plan empty.
func TestUnnamedTypes(t *testing.T) {
	pushReadBack(t, `rt       RT   10 relay.example.com.
rt       RT   20 relay2.example.com.
resinfo  RESINFO qnamemin exterr=15,16,17 "infourl=https://resolver.example.com/guide"
x25      X25  "311061700956"
isdn     ISDN "150862028003217" "004"
px       PX   10 net2.it. PRMD-net2.ADMD-p400.C-it.
gpos     GPOS -32.6882 116.8652 10.0
ninfo    NINFO "some" "info"
amt      AMTRELAY 10 0 3 relay.example.com.
avc      AVC  "app-name:WOLFGANG|app-class:OAM"
nsapptr  NSAP-PTR host.example.com.
talink   TALINK prev.example.com. next.example.com.
sig      SIG  A 8 2 300 20300101000000 20200101000000 12345 example.com. AAAA
`, 12)
}

// TestBitmapTypes pushes CSYNC records whose type bitmaps hold type 0
// (miekg/dns: "None", PowerDNS 4.7: "ENT"), 65535 (miekg/dns:
// "Reserved") and types PowerDNS has no name for (RT, RESINFO): PowerDNS
// refused "Unknown DNS type 'None'" and "'RT'" (HTTP 422), and answered
// "Not in expected format (parsed as '0 0 ENT')" to TYPE0. (NSEC and
// NSEC3 are the signer's: push never writes them; TestContent has them.)
func TestBitmapTypes(t *testing.T) {
	pushReadBack(t, `csync    CSYNC 0 0 TYPE0
csync2   CSYNC 66 3 A NS AAAA TYPE65535
csync3   CSYNC 1 0 A RT RESINFO
`, 3)
}

// pushReadBack pushes the records of text (after an apex) to the lab's
// PowerDNS in one PATCH, and reads each back equal through the API and
// through AXFR (n RRsets besides the apex); the next plan is empty.
func pushReadBack(t *testing.T, text string, n int) {
	t.Helper()
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	ctx := context.Background()
	const apex = `$ORIGIN example.com.
$TTL 300
@        SOA  ns1 hostmaster 1 7200 3600 1209600 300
@        NS   ns1.example.com.
@        NS   ns2.example.com.
ns1      A    192.0.2.1
ns2      A    192.0.2.2
`
	desired, err := zone.Parse(strings.NewReader(apex+text), "unnamed.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	pl := createAndPlan(t, p, desired, "ns1.example.com.", "ns2.example.com.")
	if len(pl.Unsupported) != 0 {
		t.Errorf("unsupported: %v", pl.Unsupported)
	}
	if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
		t.Fatalf("push: %v", err)
	}
	viaAPI, fs, err := p.Read(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		t.Errorf("listed as a feature: %s %s %q: %s", f.Name, f.Type, f.Value, f.Detail)
	}
	viaAXFR := axfr(t, srv.Addr)
	compared := 0
	for _, s := range desired.Sets {
		switch s.Type {
		case dns.TypeSOA, dns.TypeNS, dns.TypeA:
			continue
		}
		compared++
		for what, got := range map[string]*zone.Zone{"API": viaAPI, "AXFR": viaAXFR} {
			o := got.Get(s.Name, s.Type)
			if o == nil || !s.SameData(o) || o.TTL != s.TTL {
				var have []string
				if o != nil {
					have = o.Strings()
				}
				t.Errorf("%s via %s: want %d %q, server has %q", s.Key(), what, s.TTL, s.Strings(), have)
			}
		}
	}
	if compared != n {
		t.Errorf("compared %d RRsets, want %d", compared, n)
	}
	if again := plan.Compute(desired, viaAPI, plan.Options{Caps: p.Capabilities()}); len(again.Changes) != 0 || len(again.Unsupported) != 0 {
		t.Errorf("a second push would still change %v (unsupported %v)", again.Changes, again.Unsupported)
	}
}

// TestListedNoTextForm pushes an A6 record (RFC 6563: historic, still
// in zones BIND loads; read by check as RFC 3597 data), which PowerDNS
// 4.7 takes as TYPE38 with \# data and then lists by its own name for
// it, "A6" (QType::names), data still in \# form. miekg/dns has no A6:
// the listing called it a record dnsparity cannot read, and every plan
// after the push created it again (a push that never converges; the
// cutover's new-matches-git gate unmet over it).
func TestListedNoTextForm(t *testing.T) {
	pushReadBack(t, `old      A6   0 2001:db8::1
old2     A6   64 ::1 prefix.example.com.
`, 2)
}
