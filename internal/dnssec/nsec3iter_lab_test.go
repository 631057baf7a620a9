package dnssec_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestNSEC3IterationsLab: PowerDNS (the new side; max-nsec3-iterations
// raised, its 4.7 default of 100 refuses more) signs example.test. with
// NSEC3 of 0, 10 (salted), 150, 151 and 500 iterations behind a signed
// parent. A validating Unbound 1.17 and a validating BIND 9.18 both
// validate the NXDOMAIN and the NODATA (AD) up to 150 iterations, and
// answer them insecure above (the same RCODE, no AD; neither answers
// SERVFAIL): RFC 9276 section 3.2, the limit 150. The gate, with the old
// side a Knot serving NSEC (and the new side's keys) behind a counting
// proxy: passes with 0 iterations, warns with 10 and a salt and with
// 150, refuses 151 and 500 naming the server and the count, and says
// the old side serves NSEC. The old side is asked the apex NODATA (SRV)
// once with a finding, never without.
func TestNSEC3IterationsLab(t *testing.T) {
	lab.Require(t, "pdns_server", "pdnsutil", "knotd", "named", "unbound")
	pk := newSigner(t, "test.")
	anchor := "test. IN DS " + pk.ds(t, "2")
	old := newSigner(t, origin)
	noDNAME := samplesWithout("a.dn.example.test.")
	srv := "udp " + origin + " SRV"
	for _, c := range []struct {
		param      string
		iterations int
		ok         bool
		want       string // in the problem or the warning; "" none
	}{
		{"1 0 0 -", 0, true, ""},
		{"1 0 10 abcd", 10, true, "its denials carry NSEC3 with 10 iterations and salt ABCD: RFC 9276 section 3.1"},
		{"1 0 150 -", 150, true, "its denials carry NSEC3 with 150 iterations: RFC 9276 section 3.1"},
		{"1 0 151 -", 151, false, "its denials carry NSEC3 with 151 iterations: validating resolvers treat NSEC3 with more than 150 iterations as insecure"},
		{"1 0 500 abcd", 500, false, "its denials carry NSEC3 with 500 iterations and salt ABCD: validating resolvers treat NSEC3 with more than 150 iterations as insecure"},
	} {
		t.Run(c.param, func(t *testing.T) {
			ip := lab.Addr(t)
			// PowerDNS publishes the old side's keys (DNSKEY records in
			// its zone data, direct-dnskey: Signing), as the old side
			// publishes its (RFC 8901).
			p := lab.PDNS(t, lab.Options{IP: ip, Signing: true, MaxNSEC3Iterations: 1000, Zones: []lab.Zone{{Origin: origin, Text: childZone(ip, ip) + "\n" + strings.Join(old.keys(t), "\n") + "\n"}}})
			ds := securePDNS(t, p, true)
			p.API(t, http.MethodPut, "/zones/"+origin, map[string]any{"nsec3param": c.param}, nil)
			p.API(t, http.MethodPut, "/zones/"+origin+"/rectify", nil, nil)
			served := resolve(t, p.Addr, "nx.example.test.", dns.TypeA)
			var got []string
			for _, rr := range served.Ns {
				if n, ok := rr.(*dns.NSEC3); ok {
					got = append(got, strings.TrimPrefix(n.String(), n.Hdr.String())[:20])
				}
			}
			if len(got) == 0 || !strings.Contains(got[0], " "+strings.Fields(c.param)[2]+" ") {
				t.Fatalf("PowerDNS does not serve NSEC3 %s: %q", c.param, got)
			}

			// The validators.
			parentIP := lab.Addr(t)
			parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: parentZone(t, pk, parentIP, map[string]string{"ns1": ip}, ds)}}})
			stubs := map[string][]string{"test.": {parent.IP}}
			for _, v := range []struct{ name, addr string }{
				{"Unbound", lab.Unbound(t, lab.UnboundOptions{Stubs: stubs, TrustAnchors: []string{anchor}}).Addr},
				{"BIND", lab.BIND(t, lab.Options{Recursion: true, Stubs: stubs, TrustAnchors: []string{anchor}}).Addr},
			} {
				for _, q := range []struct {
					name  string
					qtype uint16
					rcode int
					ad    bool
				}{
					{"www.example.test.", dns.TypeA, dns.RcodeSuccess, true},
					{"nx.example.test.", dns.TypeA, dns.RcodeNameError, c.iterations <= 150},
					{"mx1.example.test.", dns.TypeTXT, dns.RcodeSuccess, c.iterations <= 150},
				} {
					r := resolve(t, v.addr, q.name, q.qtype)
					t.Logf("validating %s: %s %s %s ad=%v", v.name, q.name, dns.TypeToString[q.qtype], dns.RcodeToString[r.Rcode], r.AuthenticatedData)
					if r.Rcode != q.rcode || r.AuthenticatedData != q.ad {
						t.Errorf("validating %s: %s %s %s ad=%v, want %s ad=%v", v.name, q.name, dns.TypeToString[q.qtype], dns.RcodeToString[r.Rcode], r.AuthenticatedData, dns.RcodeToString[q.rcode], q.ad)
					}
				}
			}

			// The gate, the old side a Knot serving NSEC and PowerDNS's keys.
			keys := resolve(t, p.Addr, origin, dns.TypeDNSKEY)
			var pdnsKeys []string
			for _, rr := range keys.Answer {
				if k, ok := rr.(*dns.DNSKEY); ok {
					pdnsKeys = append(pdnsKeys, k.String())
				}
			}
			oldP := countingProxy(t, serve(t, "knot", old.sign(t, zoneText, signOpts{extraKeys: pdnsKeys})))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := dnssec.Gate(ctx, dnssec.Input{Zone: origin, DS: ds, DSTTL: 3600, NSTTL: 7200, MaxTTL: 300,
				Servers: []string{p.Addr}, Other: []string{oldP.addr}, Sample: noDNAME, EmptyNonTerminal: ent, Timeout: 2 * time.Second, Now: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			asked := oldP.counts()
			t.Logf("gate: ok=%v %s; old side asked %d questions, %d apex SRV: %.900s", res.OK, res.Situation, total(asked), asked[srv], res.Detail)
			found := strings.Join(res.Warnings, "\n")
			if !res.OK {
				found = strings.Join(res.Problems, "\n")
			}
			switch {
			case res.OK != c.ok:
				t.Errorf("ok=%v, want %v: %s", res.OK, c.ok, res.Detail)
			case c.want == "" && (found != "" || asked[srv] != 0):
				t.Errorf("0 iterations: warnings %q, the old side asked SRV %d times", found, asked[srv])
			case c.want != "" && (!strings.Contains(found, p.Addr+": "+c.want) || !strings.Contains(found, "the old side ("+oldP.addr+") serves NSEC") || asked[srv] != 1):
				t.Errorf("want %q naming the server and the old side's NSEC, the old side asked SRV once (%d): %s", c.want, asked[srv], found)
			}
			if !c.ok && (len(res.Steps) == 0 || res.Steps[0].Route != "nsec3") {
				t.Errorf("plan: %q", res.Plan)
			}
		})
	}
}

// TestWalkNSEC3IterationsLab: a copy whose NSEC3 chain hashes more than
// RFC 9276's 150 iterations (PowerDNS, max-nsec3-iterations raised) is
// not walked: each probe name costs the server's chosen iterations (up
// to 65535) and WalkNSEC3 hashes up to 2^20 of them, so a hostile or
// careless copy held a step for as long as it liked. ErrNoNSECChain (the
// gate judges such a copy by its serial, and says so), naming the count.
// At 150 the chain is walked as before.
func TestWalkNSEC3IterationsLab(t *testing.T) {
	lab.Require(t, "pdns_server", "pdnsutil")
	for _, c := range []struct {
		param string
		walk  bool
	}{{"1 0 150 -", true}, {"1 0 500 -", false}} {
		ip := lab.Addr(t)
		p := lab.PDNS(t, lab.Options{IP: ip, Signing: true, MaxNSEC3Iterations: 1000, Zones: []lab.Zone{{Origin: origin, Text: childZone(ip, ip)}}})
		securePDNS(t, p, true)
		p.API(t, http.MethodPut, "/zones/"+origin, map[string]any{"nsec3param": c.param}, nil)
		p.API(t, http.MethodPut, "/zones/"+origin+"/rectify", nil, nil)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_, err := dnssec.WalkNSEC3(ctx, p.Addr, origin, []string{"www." + origin}, 100, 2*time.Second)
		cancel()
		switch {
		case c.walk && err != nil:
			t.Errorf("%s: %v, want the chain read", c.param, err)
		case !c.walk && (!errors.Is(err, dnssec.ErrNoNSECChain) || !strings.Contains(err.Error(), "500 iterations")):
			t.Errorf("%s: %v, want ErrNoNSECChain naming 500 iterations", c.param, err)
		}
	}
}
