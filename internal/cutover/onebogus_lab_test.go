package cutover

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/labsign"
	"github.com/dnsparity/dnsparity/internal/query"
)

// TestFlipOneBogusRRsetLab: both sides serve the zone signed with the
// same keys, whose DS is at the parent; the new side (BIND, a presigned
// copy) serves one RRset among sixty, h37.example.test. A, with an RRSIG
// whose signature does not verify (a copy edited after signing, or a
// provider that wants one name to fail). Parity compares no signatures;
// the dnssec gate validated a sample of 20 owner/type pairs, which left
// h37 out, and the flip passed every gate (dry run done) while
// validating resolvers would get SERVFAIL for h37.example.test. once the
// delegation pointed there. Every RRset git holds is now verified on
// every server of the side the step moves to.
func TestFlipOneBogusRRsetLab(t *testing.T) {
	lab.Require(t, "named", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t)}
	a := newSigner(t, "example.test.")
	text := func(side string) string {
		s := msZone(side, ip)
		for i := range 60 {
			s += fmt.Sprintf("h%02d A 192.0.2.%d\n", i, 100+i)
		}
		return s
	}
	newSigned := badSignature(t, a.Sign(t, text("new"), labsign.Opts{}), "h37.example.test.", dns.TypeA)
	dnssecAloneRefuses(t, ip, a, text("old"), newSigned, text("new"), "h37.example.test.", func(nw *lab.Server) {
		// What a validating resolver would get there: the RRset and its RRSIG.
		m, err := query.Msg(context.Background(), nw.Addr, "h37.example.test.", dns.TypeA, query.MsgOptions{DO: true})
		if err != nil || len(m.Answer) != 2 {
			t.Fatalf("the new side's h37 A with its RRSIG: %v %v", m, err)
		}
	})
}

// dnssecAloneRefuses: under a parent holding a's DS and delegating to
// the old side (serving oldText signed by a), a status run records both
// DNSKEY sets, then a dry-run flip to the new side (serving newSigned;
// git has gitText), after served (nil: nothing) has looked at it, has
// every gate but dnssec met, and dnssec refusing, naming want.
func dnssecAloneRefuses(t *testing.T, ip map[string]string, a *signer, oldText, newSigned, gitText, want string, served func(nw *lab.Server)) {
	t.Helper()
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\nexample 5 DS %s\n", ip["old"], a.ds(t))
	p := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	old := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.Sign(t, oldText, labsign.Opts{})}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: newSigned}}})
	if served != nil {
		served(nw)
	}
	c := signedConfig(t, gitZone(t, gitText), ip, old, nw, p, prestagedTrail(t, 2), 300)
	clock := time.Now().UTC().Truncate(time.Second)
	c.Now = func() time.Time { return clock }
	// A status run records both DNSKEY sets; the flip comes after their TTL.
	Status(context.Background(), c)
	clock = clock.Add(10 * time.Second)
	rep := Flip(context.Background(), c, true, false)
	g := gateNamed(rep, GateDNSSEC)
	if g == nil {
		t.Fatalf("no dnssec gate: %+v", rep.Gates)
	}
	t.Logf("flip --dry-run: %s (exit %d); dnssec ok=%v: %s", rep.Result, rep.ExitCode(), g.OK, g.Detail)
	for _, o := range rep.Gates {
		if o.Name != GateDNSSEC && !o.OK {
			t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
		}
	}
	if rep.ExitCode() != 1 || g.OK || !strings.Contains(g.Detail, want) {
		t.Fatalf("flip to a side whose dnssec fails at %s: %s (exit %d), dnssec ok=%v", want, rep.Result, rep.ExitCode(), g.OK)
	}
}

// badSignature is the signed zone text with the signature of the RRSIG
// over owner's qtype RRset altered (one bit of it flipped).
func badSignature(t *testing.T, signed, owner string, qtype uint16) string {
	t.Helper()
	zp := dns.NewZoneParser(strings.NewReader(signed), "", "")
	var b strings.Builder
	done := false
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if sig, isSig := rr.(*dns.RRSIG); isSig && sig.TypeCovered == qtype && strings.EqualFold(sig.Hdr.Name, owner) {
			raw, err := base64.StdEncoding.DecodeString(sig.Signature)
			if err != nil {
				t.Fatal(err)
			}
			raw[len(raw)/2] ^= 1
			sig.Signature = base64.StdEncoding.EncodeToString(raw)
			done = true
		}
		b.WriteString(rr.String() + "\n")
	}
	if err := zp.Err(); err != nil {
		t.Fatal(err)
	}
	if !done {
		t.Fatalf("no RRSIG over %s %s in the signed zone", owner, dns.TypeToString[qtype])
	}
	return b.String()
}

// TestFlipStaleNSECBitmapLab: the new side serves a presigned copy from
// which www.example.test. AAAA was deleted by hand, without signing it
// again: its NSEC at www still lists AAAA. Every RRset verifies, and so
// does the apex's NODATA and the denial of a random name; but a
// validating resolver asking www AAAA (every dual-stack client does)
// gets NODATA whose proof says AAAA exists: bogus, SERVFAIL. On the code
// before the flip passed every gate (dry run done): no question was a
// NODATA at a name of the zone but the apex. The dnssec gate now asks
// each owner for a type it lacks (AAAA first).
func TestFlipStaleNSECBitmapLab(t *testing.T) {
	lab.Require(t, "named", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t)}
	a := newSigner(t, "example.test.")
	text := func(side string) string { return strings.Replace(msZone(side, ip), "www AAAA 2001:db8::80\n", "", 1) }
	signed := a.Sign(t, text("new")+"www AAAA 2001:db8::80\n", labsign.Opts{})
	dnssecAloneRefuses(t, ip, a, text("old"), withoutRRset(t, signed, "www.example.test.", dns.TypeAAAA), text("new"), "www.example.test. AAAA", func(nw *lab.Server) {
		if m, err := query.Msg(context.Background(), nw.Addr, "www.example.test.", dns.TypeAAAA, query.MsgOptions{DO: true}); err != nil || len(m.Answer) != 0 {
			t.Fatalf("the new side still serves www AAAA: %v %v", m, err)
		}
	})
}

// withoutRRset is the signed zone text without owner's qtype RRset and
// the RRSIG over it, signed again by no one.
func withoutRRset(t *testing.T, signed, owner string, qtype uint16) string {
	t.Helper()
	zp := dns.NewZoneParser(strings.NewReader(signed), "", "")
	var b strings.Builder
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		h := rr.Header()
		if strings.EqualFold(h.Name, owner) {
			if sig, isSig := rr.(*dns.RRSIG); (isSig && sig.TypeCovered == qtype) || h.Rrtype == qtype {
				continue
			}
		}
		b.WriteString(rr.String() + "\n")
	}
	if err := zp.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestFlipWildcardExpansionUnprovenLab: the new side serves a presigned
// copy from which b.sub.example.test. was deleted by hand (its A, RRSIG
// and NSEC), without signing it again: the NSEC of *.sub still names it
// as the next name, and nothing covers the names between b.sub and
// z.sub. Every RRset git holds verifies, and so does each NODATA and the
// denial of a random name at the apex; but a name there that the
// wildcard *.sub answers (dnsparity-wildcard.sub, any name from c to y)
// comes with no NSEC proving that no closer name exists (RFC 4035
// section 5.3.4), and validating resolvers get SERVFAIL for data the
// zone holds. On the code before the flip passed every gate: no question
// was a name the wildcard expands to. The dnssec gate now asks, for each
// wildcard, a name below its parent that it answers.
func TestFlipWildcardExpansionUnprovenLab(t *testing.T) {
	lab.Require(t, "named", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t)}
	a := newSigner(t, "example.test.")
	text := func(side string) string {
		return msZone(side, ip) + "sub TXT \"s\"\n*.sub A 192.0.2.7\nz.sub A 192.0.2.8\n"
	}
	signed := a.Sign(t, text("new")+"b.sub A 192.0.2.9\n", labsign.Opts{})
	newSigned := withoutRRset(t, withoutRRset(t, signed, "b.sub.example.test.", dns.TypeA), "b.sub.example.test.", dns.TypeNSEC)
	dnssecAloneRefuses(t, ip, a, text("old"), newSigned, text("new"), "wildcard answer from *.sub.example.test.", func(nw *lab.Server) {
		// The wildcard answers there, with the NSEC of *.sub alone.
		m, err := query.Msg(context.Background(), nw.Addr, "dnsparity-wildcard.sub.example.test.", dns.TypeA, query.MsgOptions{DO: true})
		if err != nil || m.Rcode != dns.RcodeSuccess || len(m.Answer) != 2 {
			t.Fatalf("the new side's expansion of *.sub: %v %v", m, err)
		}
		// What a validating resolver makes of it: the name lost (no
		// answer), www validated.
		u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {nw.IP}, "example.test.": {nw.IP}}, TrustAnchors: []string{"example.test. IN DS " + a.ds(t)}})
		for name, answered := range map[string]bool{"dnsparity-wildcard.sub.example.test.": false, "www.example.test.": true} {
			q := new(dns.Msg)
			q.SetQuestion(name, dns.TypeA)
			q.SetEdns0(1232, true)
			r, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(q, u.Addr)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("validating Unbound on the new side, %s A: %s, %d answers, ad=%v", name, dns.RcodeToString[r.Rcode], len(r.Answer), r.AuthenticatedData)
			if got := r.Rcode == dns.RcodeSuccess && len(r.Answer) > 0 && r.AuthenticatedData; got != answered {
				t.Fatalf("validating Unbound on the new side, %s A: %v", name, r)
			}
		}
	})
}
