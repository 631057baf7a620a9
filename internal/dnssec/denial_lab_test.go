package dnssec_test

import (
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestDenialWithoutWildcardProofLab: the new side's server (a proxy in
// front of BIND serving the signed zone) answers every NXDOMAIN with the
// NSEC covering the name and its signature, but leaves out the NSEC
// denying the wildcard (RFC 4035 section 5.4 needs both). A validating
// Unbound behind the delegation finds every NXDOMAIN bogus and answers
// SERVFAIL; the gate refuses the side, naming the missing wildcard
// denial. BIND alone (no proxy) passes, and Unbound validates its
// NXDOMAIN. The review's finding: on the code before, which took one
// covering NSEC as the proof, the gate passed the proxy.
func TestDenialWithoutWildcardProofLab(t *testing.T) {
	lab.Require(t, "named", "unbound")
	p := newSigner(t, "test.")
	a := newSigner(t, origin)
	anchor := "test. IN DS " + p.ds(t, "2")
	bindIP, proxyIP := lab.Addr(t), lab.Addr(t)
	zone := childZone(proxyIP, proxyIP)
	bind := lab.BIND(t, lab.Options{IP: bindIP, Zones: []lab.Zone{{Origin: origin, Text: a.sign(t, zone, signOpts{})}}})

	handler := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		c := &dns.Client{Net: "tcp", Timeout: 2 * time.Second}
		r, _, err := c.Exchange(q, bind.Addr)
		if err != nil {
			return
		}
		if r.Rcode == dns.RcodeNameError && len(q.Question) == 1 {
			qname := strings.ToLower(q.Question[0].Name)
			var keep []dns.RR
			owners := map[string]bool{}
			for _, rr := range r.Ns {
				if n, ok := rr.(*dns.NSEC); ok {
					if covers(n, qname) {
						owners[strings.ToLower(n.Hdr.Name)] = true
						keep = append(keep, rr)
					}
					continue
				}
				keep = append(keep, rr)
			}
			var out []dns.RR
			for _, rr := range keep {
				if s, ok := rr.(*dns.RRSIG); ok && s.TypeCovered == dns.TypeNSEC && !owners[strings.ToLower(s.Hdr.Name)] {
					continue
				}
				out = append(out, rr)
			}
			r.Ns = out
		}
		w.WriteMsg(r)
	})
	for _, network := range []string{"udp", "tcp"} {
		srv := &dns.Server{Addr: proxyIP + ":53", Net: network, Handler: handler}
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go srv.ListenAndServe()
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			t.Fatalf("proxy %s did not start", network)
		}
		t.Cleanup(func() { srv.Shutdown() })
	}

	ds := []string{a.ds(t, "2")}
	res := gate(t, []string{proxyIP + ":53"}, ds)
	t.Logf("gate, proxy: ok=%v %s: %.600s", res.OK, res.Situation, res.Detail)
	direct := gate(t, []string{bind.Addr}, ds)
	t.Logf("gate, BIND alone: ok=%v %s", direct.OK, direct.Situation)

	parentIP := lab.Addr(t)
	parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: parentZone(t, p, parentIP, map[string]string{"ns1": proxyIP}, ds)}}})
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, TrustAnchors: []string{anchor}})
	www := resolve(t, u.Addr, "www.example.test.", dns.TypeA)
	nx := resolve(t, u.Addr, "nx-review.example.test.", dns.TypeA)
	t.Logf("validating Unbound: www A %s ad=%v; nx-review A %s ad=%v", dns.RcodeToString[www.Rcode], www.AuthenticatedData, dns.RcodeToString[nx.Rcode], nx.AuthenticatedData)
	if www.Rcode != dns.RcodeSuccess || !www.AuthenticatedData || nx.Rcode != dns.RcodeServerFailure {
		t.Fatalf("the lab does not show the failure: www A %s ad=%v, nx-review A %s (want NOERROR with AD, SERVFAIL)",
			dns.RcodeToString[www.Rcode], www.AuthenticatedData, dns.RcodeToString[nx.Rcode])
	}
	if res.OK || res.Situation != dnssec.SignedMismatch {
		t.Fatalf("the dnssec gate passes a side whose every NXDOMAIN a validating resolver finds bogus (SERVFAIL): ok=%v %s", res.OK, res.Situation)
	}
	for _, want := range []string{proxyIP + ":53: denial of dnsparity-", "incomplete NXDOMAIN proof: no NSEC proves there is no wildcard *.example.test. at the closest encloser example.test."} {
		if !strings.Contains(res.Detail, want) {
			t.Errorf("detail lacks %q: %s", want, res.Detail)
		}
	}
	if !direct.OK {
		t.Errorf("BIND alone, its proofs whole, refused: %s", direct.Detail)
	}
}

// covers: the NSEC n covers name (owner < name < next, canonical order).
func covers(n *dns.NSEC, name string) bool {
	return canonLess(n.Hdr.Name, name) && (canonLess(name, n.NextDomain) || strings.EqualFold(n.NextDomain, origin))
}

// canonLess is RFC 4034 section 6.1 order of two names.
func canonLess(a, b string) bool {
	la, lb := dns.SplitDomainName(strings.ToLower(a)), dns.SplitDomainName(strings.ToLower(b))
	for i, j := len(la)-1, len(lb)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
		if la[i] != lb[j] {
			return la[i] < lb[j]
		}
	}
	return len(la) < len(lb)
}
