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

	filterProxy(t, proxyIP, bind.Addr, func(q, r *dns.Msg) {
		if r.Rcode != dns.RcodeNameError || len(q.Question) != 1 {
			return
		}
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
	})

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

// filterProxy serves ip:53 (UDP and TCP), asking upstream over TCP and
// passing each answer through edit before it is sent.
func filterProxy(t *testing.T, ip, upstream string, edit func(q, r *dns.Msg)) {
	t.Helper()
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		c := &dns.Client{Net: "tcp", Timeout: 2 * time.Second}
		r, _, err := c.Exchange(q, upstream)
		if err != nil {
			return
		}
		edit(q, r)
		w.WriteMsg(r)
	})
	for _, network := range []string{"udp", "tcp"} {
		srv := &dns.Server{Addr: ip + ":53", Net: network, Handler: handler}
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
}

// TestDenialNODATAWithoutMatchLab: a proxy in front of BIND serving the
// zone signed with NSEC3 answers every NODATA with the NSEC3 records of an
// NXDOMAIN (the apex's, the one covering a missing name, the one covering
// the wildcard: signed, valid) in place of the NSEC3 matching the name,
// the record RFC 5155 section 8.5 asks for. A validating Unbound answers
// SERVFAIL for a type a name does not have (mx1 TXT) and for the empty
// non-terminal (target A), and the gate refuses the proxy, naming the
// apex's NODATA (SRV), the empty non-terminal's and the NODATA sample. On
// the code before, which asked a NODATA for NSEC3 records that verify and
// no more, the NODATA sample passed (the probes did not exist). BIND alone
// passes, and Unbound validates its NODATA (AD).
func TestDenialNODATAWithoutMatchLab(t *testing.T) {
	lab.Require(t, "named", "unbound")
	p := newSigner(t, "test.")
	a := newSigner(t, origin)
	anchor := "test. IN DS " + p.ds(t, "2")
	bindIP, proxyIP := lab.Addr(t), lab.Addr(t)
	bind := lab.BIND(t, lab.Options{IP: bindIP, Zones: []lab.Zone{{Origin: origin, Text: a.sign(t, childZone(bindIP, bindIP), signOpts{nsec3: true})}}})
	m := new(dns.Msg)
	m.SetQuestion("nx-proxy."+origin, dns.TypeA)
	m.SetEdns0(1232, true)
	nx, _, err := (&dns.Client{Net: "tcp"}).Exchange(m, bind.Addr)
	if err != nil || nx.Rcode != dns.RcodeNameError {
		t.Fatalf("BIND's NXDOMAIN: %v %v", nx, err)
	}
	filterProxy(t, proxyIP, bind.Addr, func(q, r *dns.Msg) {
		if r.Rcode != dns.RcodeSuccess || len(r.Answer) > 0 || !r.Authoritative || len(q.Question) != 1 {
			return
		}
		qname := q.Question[0].Name
		var out []dns.RR
		for _, rr := range r.Ns {
			if t := rr.Header().Rrtype; t != dns.TypeNSEC3 && !(t == dns.TypeRRSIG && rr.(*dns.RRSIG).TypeCovered == dns.TypeNSEC3) {
				out = append(out, rr)
			}
		}
		match := map[string]bool{}
		for _, rr := range nx.Ns {
			if n, ok := rr.(*dns.NSEC3); ok && n.Match(qname) {
				match[strings.ToLower(n.Hdr.Name)] = true
			}
		}
		for _, rr := range nx.Ns {
			h := rr.Header()
			if (h.Rrtype == dns.TypeNSEC3 || h.Rrtype == dns.TypeRRSIG && rr.(*dns.RRSIG).TypeCovered == dns.TypeNSEC3) && !match[strings.ToLower(h.Name)] {
				out = append(out, rr)
			}
		}
		r.Ns = out
	})

	ds := []string{a.ds(t, "2")}
	res := gate(t, []string{proxyIP + ":53"}, ds)
	t.Logf("gate, proxy: ok=%v %s: %s", res.OK, res.Situation, res.Detail)
	direct := gate(t, []string{bind.Addr}, ds)
	t.Logf("gate, BIND alone: ok=%v %s: %s", direct.OK, direct.Situation, direct.Detail)

	check := func(server string, servers map[string]string, want map[string]int) {
		t.Helper()
		parentIP := lab.Addr(t)
		parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: parentZone(t, p, parentIP, servers, ds)}}})
		u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, TrustAnchors: []string{anchor}})
		for _, q := range []struct {
			name  string
			qtype uint16
		}{{"www.example.test.", dns.TypeA}, {"mx1.example.test.", dns.TypeTXT}, {ent, dns.TypeA}} {
			r := resolve(t, u.Addr, q.name, q.qtype)
			t.Logf("validating Unbound, %s: %s %s %s ad=%v", server, q.name, dns.TypeToString[q.qtype], dns.RcodeToString[r.Rcode], r.AuthenticatedData)
			if r.Rcode != want[q.name] || (r.Rcode == dns.RcodeSuccess) != r.AuthenticatedData {
				t.Errorf("validating Unbound, %s: %s %s %s ad=%v, want %s (AD unless SERVFAIL)", server, q.name, dns.TypeToString[q.qtype], dns.RcodeToString[r.Rcode], r.AuthenticatedData, dns.RcodeToString[want[q.name]])
			}
		}
	}
	check("proxy", map[string]string{"ns1": proxyIP}, map[string]int{"www.example.test.": dns.RcodeSuccess, "mx1.example.test.": dns.RcodeServerFailure, ent: dns.RcodeServerFailure})
	check("BIND", map[string]string{"ns1": bindIP}, map[string]int{"www.example.test.": dns.RcodeSuccess, "mx1.example.test.": dns.RcodeSuccess, ent: dns.RcodeSuccess})

	if res.OK || res.Situation != dnssec.SignedMismatch {
		t.Fatalf("the gate passes a side whose NODATA answers a validating resolver finds bogus: ok=%v %s", res.OK, res.Situation)
	}
	for _, want := range []string{
		proxyIP + ":53: NODATA of example.test. SRV: incomplete NODATA proof: no NSEC3 matches the name, the apex (RFC 5155 section 8.5)",
		proxyIP + ":53: NODATA of the empty non-terminal target.example.test. A: incomplete NODATA proof: no NSEC3 matches the name",
		proxyIP + ":53: mx1.example.test. TXT: incomplete NODATA proof: no NSEC3 matches the name",
	} {
		if !strings.Contains(res.Detail, want) {
			t.Errorf("detail lacks %q", want)
		}
	}
	if !direct.OK || !strings.Contains(direct.Detail, "the apex's NODATA (SRV) and the empty non-terminal target.example.test.'s NODATA (A) verify on each") {
		t.Errorf("BIND alone: ok=%v %s", direct.OK, direct.Detail)
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
