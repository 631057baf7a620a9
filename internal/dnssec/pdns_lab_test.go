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

// TestGatePowerDNS: PowerDNS signing online (as a provider does), with the
// DS it computes itself: the gate passes with NSEC and NSEC3, refuses a DS
// of other keys, and refuses when PowerDNS signs but a second server of
// the side is an unsigned Knot.
func TestGatePowerDNS(t *testing.T) {
	lab.Require(t, "pdns_server", "pdnsutil", "knotd")
	other := newSigner(t, origin)
	for _, nsec3 := range []bool{false, true} {
		name := map[bool]string{false: "NSEC", true: "NSEC3"}[nsec3]
		t.Run(name, func(t *testing.T) {
			p := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zoneText}}})
			ds := securePDNS(t, p, nsec3)
			if res := gate(t, []string{p.Addr}, ds); !res.OK {
				t.Fatalf("PowerDNS with its own DS: %s", res.Detail)
			}
			res := gate(t, []string{p.Addr}, []string{other.ds(t, "2")})
			if res.OK || !strings.Contains(res.Detail, "lacks key tag "+other.kskTag()) {
				t.Errorf("DS of other keys: ok=%v %s", res.OK, res.Detail)
			}
			knot := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zoneText}}})
			res = gate(t, []string{p.Addr, knot.Addr}, ds)
			if res.OK || !strings.Contains(res.Detail, knot.Addr+": serves no DNSKEY") || strings.Contains(res.Detail, p.Addr) {
				t.Errorf("PowerDNS signed, Knot unsigned: ok=%v %s", res.OK, res.Detail)
			}
		})
	}
}
