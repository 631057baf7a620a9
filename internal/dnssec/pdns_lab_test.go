package dnssec_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// securePDNS makes PowerDNS sign example.test. online (a KSK and a ZSK
// created through the API; NSEC3 when nsec3) and returns the DS records
// PowerDNS computes for its KSK.
func securePDNS(t *testing.T, p *lab.PowerDNS, nsec3 bool) []string {
	t.Helper()
	zone := "/zones/" + origin
	for _, kt := range []string{"ksk", "zsk"} {
		p.API(t, http.MethodPost, zone+"/cryptokeys", map[string]any{"keytype": kt, "active": true, "algorithm": "ECDSAP256SHA256"}, nil)
	}
	if nsec3 {
		p.API(t, http.MethodPut, zone, map[string]any{"nsec3param": "1 0 0 -"}, nil)
	}
	p.API(t, http.MethodPut, zone+"/rectify", nil, nil)
	var keys []struct {
		KeyType string   `json:"keytype"`
		DS      []string `json:"ds"`
	}
	p.API(t, http.MethodGet, zone+"/cryptokeys", nil, &keys)
	var ds []string
	for _, k := range keys {
		if k.KeyType == "ksk" {
			ds = append(ds, k.DS...)
		}
	}
	if len(ds) == 0 {
		t.Fatalf("PowerDNS reports no DS for its KSK: %+v", keys)
	}
	// Wait until the server signs (its key cache may still say unsigned).
	deadline := time.Now().Add(10 * time.Second)
	for {
		m := new(dns.Msg)
		m.SetQuestion(origin, dns.TypeDNSKEY)
		m.SetEdns0(1232, true)
		r, _, err := (&dns.Client{Net: "tcp"}).Exchange(m, p.Addr)
		if err == nil && len(r.Answer) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("PowerDNS does not serve the signed DNSKEY set: %v %v", r, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ds
}

// samplesWithout is samples without those owned by name.
func samplesWithout(name string) [][2]string {
	var out [][2]string
	for _, s := range samples {
		if s[0] != name {
			out = append(out, s)
		}
	}
	return out
}

// TestGatePowerDNS: PowerDNS signing online (as a provider does), with the
// DS it computes itself: the gate passes with NSEC and NSEC3, refuses a DS
// of other keys, and refuses when PowerDNS signs but a second server of
// the side is an unsigned Knot. PowerDNS 4.7 here answers a name below
// the zone's DNAME (a.dn) with NXDOMAIN, denied by the DNAME owner's own
// NSEC or NSEC3, instead of substituting: the gate refuses that sample
// (the proof denies a name that is not the zone's to deny), and a
// validating Unbound behind a signed parent answers it SERVFAIL while it
// validates the others; without that sample the gate passes. On the code
// before, which took any covering NSEC as the proof, it passed with it.
func TestGatePowerDNS(t *testing.T) {
	lab.Require(t, "pdns_server", "pdnsutil", "knotd", "named", "unbound")
	other := newSigner(t, origin)
	pk := newSigner(t, "test.")
	anchor := "test. IN DS " + pk.ds(t, "2")
	noDNAME := samplesWithout("a.dn.example.test.")
	for _, nsec3 := range []bool{false, true} {
		name := map[bool]string{false: "NSEC", true: "NSEC3"}[nsec3]
		t.Run(name, func(t *testing.T) {
			ip := lab.Addr(t)
			p := lab.PDNS(t, lab.Options{IP: ip, Zones: []lab.Zone{{Origin: origin, Text: childZone(ip, ip)}}})
			ds := securePDNS(t, p, nsec3)
			res := gate(t, []string{p.Addr}, ds)
			t.Logf("PowerDNS with its own DS: %s", res.Detail)
			if res.OK || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], p.Addr+": a.dn.example.test. A: ") || !strings.Contains(res.Problems[0], "(a DNAME)") {
				t.Errorf("PowerDNS with its own DS, a name below its DNAME denied: ok=%v problems %q", res.OK, res.Problems)
			}
			if res := gateSamples(t, []string{p.Addr}, ds, noDNAME); !res.OK {
				t.Errorf("PowerDNS with its own DS, samples without the DNAME: %s", res.Detail)
			}
			parentIP := lab.Addr(t)
			parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: parentZone(t, pk, parentIP, map[string]string{"ns1": ip}, ds)}}})
			u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, TrustAnchors: []string{anchor}})
			for _, q := range []struct {
				name  string
				rcode int
			}{{"www.example.test.", dns.RcodeSuccess}, {"nx.example.test.", dns.RcodeNameError}, {"a.dn.example.test.", dns.RcodeServerFailure}} {
				r := resolve(t, u.Addr, q.name, dns.TypeA)
				t.Logf("validating Unbound: %s A %s ad=%v", q.name, dns.RcodeToString[r.Rcode], r.AuthenticatedData)
				if r.Rcode != q.rcode || (q.rcode != dns.RcodeServerFailure && !r.AuthenticatedData) {
					t.Errorf("validating Unbound: %s A %s ad=%v, want %s (with AD unless SERVFAIL)", q.name, dns.RcodeToString[r.Rcode], r.AuthenticatedData, dns.RcodeToString[q.rcode])
				}
			}
			res = gate(t, []string{p.Addr}, []string{other.ds(t, "2")})
			if res.OK || !strings.Contains(res.Detail, "lacks key tag "+other.kskTag()) {
				t.Errorf("DS of other keys: ok=%v %s", res.OK, res.Detail)
			}
			knot := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zoneText}}})
			res = gateSamples(t, []string{p.Addr, knot.Addr}, ds, noDNAME)
			if res.OK || !strings.Contains(res.Detail, knot.Addr+": serves no DNSKEY") || strings.Contains(res.Detail, p.Addr) {
				t.Errorf("PowerDNS signed, Knot unsigned: ok=%v %s", res.OK, res.Detail)
			}
		})
	}
}
