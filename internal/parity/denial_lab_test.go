package parity_test

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/labsign"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/query"
)

// staleChain is the zone text signed by s (NSEC3 when nsec3) as it
// stands when name's A record was added to a signed copy without the
// denial chain before it being made again: the records and chain of the
// zone without name (line), plus name's own records signed (its A, and
// with NSEC its NSEC) from the zone signed whole.
// Every answer validates, and the chain's record before name covers it:
// a validating resolver that holds that NSEC (or NSEC3) denies name from
// its cache (RFC 8198, aggressive use of the DNSSEC-validated cache).
func staleChain(t *testing.T, s *labsign.Signer, text, name, line string, nsec3 bool) string {
	t.Helper()
	full := s.Sign(t, text, labsign.Opts{NSEC3: nsec3})
	without := s.Sign(t, strings.Replace(text, line, "", 1), labsign.Opts{NSEC3: nsec3})
	var out []string
	for _, src := range []struct {
		text string
		keep func(dns.RR) bool
	}{
		{without, func(dns.RR) bool { return true }},
		{full, func(rr dns.RR) bool { return strings.EqualFold(rr.Header().Name, name) }},
	} {
		zp := dns.NewZoneParser(strings.NewReader(src.text), origin, "")
		for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
			if src.keep(rr) {
				out = append(out, rr.String())
			}
		}
		if err := zp.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return strings.Join(out, "\n") + "\n"
}

// TestParityStaleDenialChainLab: the new side (BIND) serves the zone
// signed, every RRset as the old side (BIND) serves it, with valid
// signatures, but its NSEC (NSEC3) chain was not made again when www2
// was added: the record before www2 in the chain covers it. Parity
// compares answers, and every answer to every question is the same, so
// on the code before parity held and the flip's parity gate passed;
// after the flip, a validating resolver that got that NSEC in any
// negative answer (a name between www and www2) answers NXDOMAIN for
// www2 from its cache (RFC 8198; Unbound's aggressive-nsec, BIND's
// synth-from-dnssec). Such a record is an error finding of kind
// `denial`, naming www2, the record and the server. The loss is shown
// first on a validating BIND resolver (NSEC): the new server answers
// www2 A, and the resolver, having answered www1 (NXDOMAIN, proven by
// that NSEC), answers www2 with NXDOMAIN without asking.
func TestParityStaleDenialChainLab(t *testing.T) {
	lab.Require(t, "named", "unbound", "dnssec-keygen", "dnssec-signzone")
	text := "$ORIGIN parity.test.\n$TTL 300\n@ SOA ns1 h 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.80\nwww2 A 192.0.2.82\nwww3 A 192.0.2.83\n"
	z := loadText(t, text)
	for _, nsec3 := range []bool{false, true} {
		s := labsign.New(t, origin)
		good := s.Sign(t, text, labsign.Opts{NSEC3: nsec3})
		stale := staleChain(t, s, text, "www2.parity.test.", "www2 A 192.0.2.82\n", nsec3)
		old := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: good}}})
		nw := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: stale}}})
		if !nsec3 {
			lost(t, s, nw.Addr)
		}
		rep := run(t, z, []string{old.Addr}, []string{nw.Addr})
		var found []parity.Finding
		for _, f := range rep.Findings {
			t.Logf("nsec3=%v: %s %s %s %s: %s", nsec3, f.Severity, f.Kind, f.Name, f.Type, f.Detail)
			if f.Kind == "denial" {
				found = append(found, f)
			}
		}
		if len(found) == 0 || found[0].Severity != parity.SevError || found[0].Name != "www2.parity.test." || !strings.Contains(found[0].Detail, nw.Addr) {
			t.Errorf("nsec3=%v: the new side's chain covers www2, which git holds: want an error finding of kind denial naming www2 and %s; got %+v", nsec3, nw.Addr, found)
		}
		for _, f := range found {
			if strings.Contains(f.Detail, old.Addr) {
				t.Errorf("nsec3=%v: the old side's sound chain named: %+v", nsec3, f)
			}
		}
	}
}

// lost shows www2 lost at a validating BIND resolver (synth-from-dnssec,
// on by default) that asks only server (whose chain covers www2): the
// server answers www2 A, and the resolver, once it answered www1
// (NXDOMAIN proven by the NSEC www -> www3), denies www2 from its cache.
func lost(t *testing.T, s *labsign.Signer, server string) {
	t.Helper()
	ctx := context.Background()
	ip, _, err := net.SplitHostPort(server)
	if err != nil {
		t.Fatal(err)
	}
	u := lab.BIND(t, lab.Options{Recursion: true, Stubs: map[string][]string{origin: {ip}}, TrustAnchors: []string{origin + " IN DS " + s.DS(t, "2")}})
	ask := func(addr, name string, rd bool) *dns.Msg {
		t.Helper()
		m, err := query.Msg(ctx, addr, name, dns.TypeA, query.MsgOptions{RD: rd, DO: true})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := ask(server, "www2."+origin, false); m.Rcode != dns.RcodeSuccess || len(m.Answer) == 0 {
		t.Fatalf("the server does not answer www2 A: %s", m)
	}
	if m := ask(u.Addr, "www1."+origin, true); m.Rcode != dns.RcodeNameError || !m.AuthenticatedData {
		t.Fatalf("www1 at the validating resolver: want a validated NXDOMAIN, got %s", m)
	}
	if m := ask(u.Addr, "www2."+origin, true); m.Rcode != dns.RcodeNameError {
		t.Fatalf("www2 at the validating resolver after www1: want NXDOMAIN from the cached NSEC (the name lost), got %s", m)
	}
}

// TestParityDenialSoundChainsLab: chains real signers make as they
// serve the fixture (a delegation with glue, a wildcard, empty
// non-terminals) deny nothing git holds: PowerDNS signing live (made
// secure through its API) with NSEC, and with NSEC3 narrow (white lies:
// each record covers only the name asked) and not, against Knot signing
// online with NSEC. No `denial` finding.
func TestParityDenialSoundChainsLab(t *testing.T) {
	lab.Require(t, "pdns_server", "knotd")
	text := fixture(t)
	z := loadText(t, text)
	knot := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, Signing: true}).Addr
	for _, body := range []string{`{"dnssec": true}`, `{"dnssec": true, "nsec3param": "1 0 0 -"}`, `{"dnssec": true, "nsec3param": "1 0 0 -", "nsec3narrow": true}`} {
		p := lab.PDNS(t, lab.Options{Signing: true, Zones: []lab.Zone{{Origin: origin, Text: text}}})
		pdnsSecure(t, p, body)
		// The chain is served: a name that does not exist is denied
		// with the records of the kind asked for.
		m, err := query.Msg(context.Background(), p.Addr, "nx."+origin, dns.TypeA, query.MsgOptions{DO: true})
		if err != nil {
			t.Fatal(err)
		}
		kind := map[bool]uint16{false: dns.TypeNSEC, true: dns.TypeNSEC3}[strings.Contains(body, "nsec3")]
		if !slices.ContainsFunc(m.Ns, func(rr dns.RR) bool { return rr.Header().Rrtype == kind }) {
			t.Fatalf("%s: PowerDNS denies nx without %s: %s", body, dns.Type(kind), m)
		}
		rep := run(t, z, []string{knot}, []string{p.Addr})
		n := 0
		for _, f := range rep.Findings {
			if f.Kind == "denial" {
				n++
				if n <= 3 {
					t.Errorf("%s: %s %s: %s", body, f.Name, f.Type, f.Detail)
				}
			}
		}
		if n > 3 {
			t.Errorf("%s: %d denial findings", body, n)
		}
	}
}
