package dnssec_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// childZone is zoneText with ns1 and ns2 at the given addresses (glue).
func childZone(ns1, ns2 string) string {
	s := strings.Replace(zoneText, "ns1\tA 127.0.0.1", "ns1\tA "+ns1, 1)
	return strings.Replace(s, "ns2\tA 127.0.0.2", "ns2\tA "+ns2, 1)
}

// parentZone is test. delegating example.test. to the given NS names
// (ns1, ns2) with glue and the DS records, signed by p.
func parentZone(t *testing.T, p *signer, parentIP string, ns map[string]string, ds []string) string {
	t.Helper()
	return parentZoneSerial(t, p, parentIP, ns, ds, 1)
}

// parentZoneSerial is parentZone with the given SOA serial.
func parentZoneSerial(t *testing.T, p *signer, parentIP string, ns map[string]string, ds []string, serial int) string {
	t.Helper()
	return parentZoneDSTTL(t, p, parentIP, ns, ds, serial, 5)
}

// parentZoneDSTTL is parentZoneSerial with the DS records at TTL dsTTL.
func parentZoneDSTTL(t *testing.T, p *signer, parentIP string, ns map[string]string, ds []string, serial int, dsTTL uint32) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN test.\n$TTL 60\n@ IN SOA ns.test. hostmaster.test. %d 3600 600 86400 5\n@ NS ns\nns A %s\n", serial, parentIP)
	names := make([]string, 0, len(ns))
	for n := range ns {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(&b, "example 5 NS %s.example\n%s.example A %s\n", n, n, ns[n])
	}
	for _, d := range ds {
		fmt.Fprintf(&b, "example %d DS %s\n", dsTTL, d)
	}
	return p.sign(t, b.String(), signOpts{})
}

// resolve asks the validating resolver with DO=1 and returns the answer.
func resolve(t *testing.T, addr, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.SetEdns0(1232, true)
	r, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(m, addr)
	if err != nil {
		t.Fatalf("resolve %s %s via %s: %v", name, dns.TypeToString[qtype], addr, err)
	}
	return r
}

// TestValidatingResolver puts the gate beside a validating Unbound: a
// signed parent test. (BIND, its KSK's DS as Unbound's trust anchor)
// delegates example.test. with DS records; the gate's verdict on the
// child's servers matches what the resolver does: AD on every answer when
// the gate passes (including RFC 8901 multi-signer, each provider asked
// alone), SERVFAIL when it refuses.
func TestValidatingResolver(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	p := newSigner(t, "test.")
	a := newSigner(t, origin)
	b := newSigner(t, origin)
	anchor := "test. IN DS " + p.ds(t, "2")

	for _, c := range []struct {
		name   string
		ds     []*signer
		knot   func(zone string) string // the zone text served by ns1 (Knot)
		bind   func(zone string) string // by ns2 (BIND)
		ok     bool
		rcode  int
		wantAD bool
	}{
		{"multi-signer, both DS",
			[]*signer{a, b},
			func(z string) string { return a.sign(t, z, signOpts{extraKeys: b.keys(t)}) },
			func(z string) string { return b.sign(t, z, signOpts{nsec3: true, extraKeys: a.keys(t)}) },
			true, dns.RcodeSuccess, true},
		{"new signed with other keys than the DS",
			[]*signer{a},
			func(z string) string { return b.sign(t, z, signOpts{}) },
			func(z string) string { return b.sign(t, z, signOpts{}) },
			false, dns.RcodeServerFailure, false},
		{"new unsigned under a DS",
			[]*signer{a},
			func(z string) string { return z },
			func(z string) string { return z },
			false, dns.RcodeServerFailure, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			knotIP, bindIP := lab.Addr(t), lab.Addr(t)
			zone := childZone(knotIP, bindIP)
			knot := lab.Knot(t, lab.Options{IP: knotIP, Zones: []lab.Zone{{Origin: origin, Text: c.knot(zone)}}})
			bind := lab.BIND(t, lab.Options{IP: bindIP, Zones: []lab.Zone{{Origin: origin, Text: c.bind(zone)}}})
			var ds []string
			for _, s := range c.ds {
				ds = append(ds, s.ds(t, "2"))
			}
			res := gate(t, []string{knot.Addr, bind.Addr}, parentDS(t, p, knotIP, bindIP, ds))
			t.Logf("gate: %v %s: %s", res.OK, res.Situation, res.Detail)
			if res.OK != c.ok {
				t.Fatalf("gate ok=%v, want %v: %s", res.OK, c.ok, res.Detail)
			}
			// Each provider alone behind the parent: the resolver validates
			// its answers exactly when the gate passed.
			for _, only := range []struct{ name, ip string }{{"ns1", knotIP}, {"ns2", bindIP}} {
				parentIP := lab.Addr(t)
				parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.",
					Text: parentZone(t, p, parentIP, map[string]string{only.name: only.ip}, ds)}}})
				u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, TrustAnchors: []string{anchor}})
				// The parent itself validates from the anchor: the chain starts.
				if r := resolve(t, u.Addr, "ns.test.", dns.TypeA); r.Rcode != dns.RcodeSuccess || !r.AuthenticatedData {
					t.Fatalf("ns.test. A via validating Unbound: %s ad=%v (the trust anchor does not work)", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
				}
				for _, s := range append(samples, [2]string{"nx-" + only.name + ".example.test.", "A"}) {
					if strings.HasSuffix(s[0], ".sub.example.test.") {
						continue // delegated to an address outside the lab
					}
					r := resolve(t, u.Addr, s[0], dns.StringToType[s[1]])
					good := r.Rcode == dns.RcodeSuccess || r.Rcode == dns.RcodeNameError
					if good != (c.rcode == dns.RcodeSuccess) || r.AuthenticatedData != c.wantAD {
						t.Errorf("via %s only: %s %s: %s ad=%v, want %s ad=%v", only.name, s[0], s[1],
							dns.RcodeToString[r.Rcode], r.AuthenticatedData, dns.RcodeToString[c.rcode], c.wantAD)
					}
				}
			}
		})
	}
}

// parentDS serves the signed parent (with both child servers delegated)
// on BIND and on Knot, and returns the DS that ParentDS reads there; it
// checks that ParentDS returns exactly ds, with the DS TTL of the zone.
func parentDS(t *testing.T, p *signer, knotIP, bindIP string, ds []string) []string {
	t.Helper()
	ip := lab.Addr(t)
	text := parentZone(t, p, ip, map[string]string{"ns1": knotIP, "ns2": bindIP}, ds)
	z := []lab.Zone{{Origin: "test.", Text: text}}
	servers := []string{lab.BIND(t, lab.Options{IP: ip, Zones: z}).Addr, lab.Knot(t, lab.Options{Zones: z}).IP}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, ttl, err := dnssec.ParentDS(ctx, origin, servers, 2*time.Second)
	if err != nil {
		t.Fatalf("ParentDS: %v", err)
	}
	want := slices.Clone(ds)
	for i := range want {
		want[i] = strings.ToUpper(want[i])
	}
	slices.Sort(want)
	if !slices.Equal(got, want) || (len(ds) > 0 && ttl != 5) {
		t.Fatalf("ParentDS = %q TTL %d, want %q TTL 5", got, ttl, want)
	}
	return got
}

// TestParentDS: the DS set read from the parent's own servers; none;
// servers that disagree (a change half propagated) are an error naming
// both sets.
func TestParentDS(t *testing.T) {
	lab.Require(t, "named", "knotd")
	p := newSigner(t, "test.")
	a := newSigner(t, origin)
	b := newSigner(t, origin)
	ns := map[string]string{"ns1": "127.0.0.1"}
	withA := []lab.Zone{{Origin: "test.", Text: parentZone(t, p, "127.0.0.1", ns, []string{a.ds(t, "2"), a.ds(t, "4")})}}
	withB := []lab.Zone{{Origin: "test.", Text: parentZone(t, p, "127.0.0.1", ns, []string{b.ds(t, "2")})}}
	without := []lab.Zone{{Origin: "test.", Text: parentZone(t, p, "127.0.0.1", ns, nil)}}
	bindA, knotA := lab.BIND(t, lab.Options{Zones: withA}), lab.Knot(t, lab.Options{Zones: withA})
	knotB, knotNone := lab.Knot(t, lab.Options{Zones: withB}), lab.Knot(t, lab.Options{Zones: without})
	ctx := context.Background()

	got, ttl, err := dnssec.ParentDS(ctx, origin, []string{bindA.Addr, knotA.Addr}, time.Second)
	if err != nil || len(got) != 2 || ttl != 5 {
		t.Fatalf("two DS: %q TTL %d, %v", got, ttl, err)
	}
	res := gate(t, []string{knotNone.Addr}, got) // a parent is no signer of the child
	if res.OK {
		t.Errorf("gate passed against a server that does not serve the child: %s", res.Detail)
	}
	got, ttl, err = dnssec.ParentDS(ctx, "EXAMPLE.test", []string{knotNone.IP}, time.Second)
	if err != nil || len(got) != 0 || ttl != 0 {
		t.Fatalf("no DS: %q TTL %d, %v", got, ttl, err)
	}
	_, _, err = dnssec.ParentDS(ctx, origin, []string{bindA.Addr, knotB.Addr}, time.Second)
	if !errors.Is(err, dnssec.ErrParentDisagree) || !strings.Contains(err.Error(), knotB.Addr) {
		t.Fatalf("disagreeing parents: %v", err)
	}
	// The child's own server answers NODATA for the DS at its apex: an
	// error, never "no DS".
	child := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zoneText}}})
	if _, _, err := dnssec.ParentDS(ctx, origin, []string{child.Addr}, time.Second); err == nil || !strings.Contains(err.Error(), "not of the parent") {
		t.Fatalf("child server asked for the DS: %v", err)
	}
	// A resolver is no parent server, even when it knows the answer.
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {bindA.IP}}})
	resolve(t, u.Addr, origin, dns.TypeDS) // now in its cache
	_, _, err = dnssec.ParentDS(ctx, origin, []string{u.Addr}, time.Second)
	t.Logf("resolver: %v", err)
	if err == nil || !strings.Contains(err.Error(), u.Addr) {
		t.Fatalf("resolver asked for the DS: %v", err)
	}
	// A server that does not answer: an error, not an empty DS set.
	dead := lab.Addr(t) + ":53"
	if _, _, err := dnssec.ParentDS(ctx, origin, []string{dead}, 300*time.Millisecond); err == nil || !strings.Contains(err.Error(), dead) {
		t.Fatalf("dead parent: %v", err)
	}
}

// TestParentDSSignaturesLab: the DS set a signed parent serves is read
// by both readers of the parent's DS (dnssec.ParentDS, the gates' DS
// set; registrar.Lookup, the delegation each parent server serves) and
// checked against the parent zone's own signatures (RFC 4035 section
// 5.2): the DS RRset's RRSIG must verify under the parent's DNSKEY set,
// itself signed by one of its keys, and a parent's "no DS" must carry its
// signed NSEC proof (RFC 4035 section 3.1.4.1). Each forged answer here
// is what an on-path attacker without TSIG could make the gates see (the
// parent zone, served by BIND, edited after signing): on the code before
// both readers took the forged DS set, or the forged "no DS", as the
// parent's. An unsigned parent, and a signed one served as signed, are
// read as before.
func TestParentDSSignaturesLab(t *testing.T) {
	lab.Require(t, "named")
	p, a, b := newSigner(t, "test."), newSigner(t, origin), newSigner(t, origin)
	dsA, dsB := a.ds(t, "2"), b.ds(t, "2")
	ns := map[string]string{"ns1": "127.0.0.1"}
	// edit rewrites the signed parent zone's records.
	edit := func(text string, f func(rr dns.RR) []dns.RR) string {
		var out []string
		zp := dns.NewZoneParser(strings.NewReader(text), "test.", "")
		for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
			for _, x := range f(rr) {
				out = append(out, x.String())
			}
		}
		if err := zp.Err(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, "\n") + "\n"
	}
	atChild := func(rr dns.RR, typ uint16) bool {
		if !strings.EqualFold(rr.Header().Name, origin) {
			return false
		}
		if sig, ok := rr.(*dns.RRSIG); ok {
			return sig.TypeCovered == typ
		}
		return rr.Header().Rrtype == typ
	}
	unsigned := "$ORIGIN test.\n$TTL 60\n@ SOA ns.test. h.test. 1 3600 600 86400 5\n@ NS ns\nns A 127.0.0.1\nexample 5 NS ns1.example\nns1.example A 127.0.0.1\nexample 5 DS " + dsA + "\n"
	for _, tc := range []struct {
		name string
		text string
		want []string // nil with bad: refused
		bad  bool
	}{
		{name: "signed parent, DS as signed", text: parentZone(t, p, "127.0.0.1", ns, []string{dsA}), want: []string{dsA}},
		{name: "signed parent, no DS, signed NSEC proof", text: parentZone(t, p, "127.0.0.1", ns, nil), want: []string{}},
		{name: "unsigned parent", text: unsigned, want: []string{dsA}},
		// Signed with an algorithm RRSIG.Verify does not know: insecure
		// to a validator that cannot verify it (RFC 4035 section 5.2),
		// read as unsigned, not refused.
		{name: "parent signed with ED448", text: parentZone(t, newSignerAlg(t, "test.", "ED448"), "127.0.0.1", ns, []string{dsA}), want: []string{dsA}},
		{name: "DS replaced after signing", bad: true, text: edit(parentZone(t, p, "127.0.0.1", ns, []string{dsA}), func(rr dns.RR) []dns.RR {
			if d, ok := rr.(*dns.DS); ok && strings.EqualFold(d.Hdr.Name, origin) {
				nd, err := dns.NewRR(d.Hdr.Name + " 5 IN DS " + dsB)
				if err != nil {
					t.Fatal(err)
				}
				return []dns.RR{nd}
			}
			return []dns.RR{rr}
		})},
		{name: "DS RRSIG stripped", bad: true, text: edit(parentZone(t, p, "127.0.0.1", ns, []string{dsA}), func(rr dns.RR) []dns.RR {
			if sig, ok := rr.(*dns.RRSIG); ok && atChild(sig, dns.TypeDS) {
				return nil
			}
			return []dns.RR{rr}
		})},
		{name: "DS removed, its NSEC listing DS", bad: true, text: edit(parentZone(t, p, "127.0.0.1", ns, []string{dsA}), func(rr dns.RR) []dns.RR {
			if atChild(rr, dns.TypeDS) {
				return nil
			}
			return []dns.RR{rr}
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: tc.text}}})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			got, _, err := dnssec.ParentDS(ctx, origin, []string{srv.Addr}, 2*time.Second)
			v := registrar.Lookup(ctx, []string{srv.Addr}, origin, 2*time.Second)[0]
			t.Logf("ParentDS %q, %v; Lookup DS %q, error %q", got, err, v.Delegation.DS, v.Err)
			if tc.bad {
				if err == nil || v.Err == "" || !strings.Contains(v.Err, "parent zone's signatures") || !strings.Contains(err.Error(), "parent zone's signatures") {
					t.Fatalf("a forged DS answer from a signed parent: ParentDS %q (error %v), Lookup DS %q (error %q)", got, err, v.Delegation.DS, v.Err)
				}
				return
			}
			want := make([]string, len(tc.want))
			for i, d := range tc.want {
				want[i] = strings.ToUpper(d)
			}
			if err != nil || v.Err != "" || strings.Join(got, ",") != strings.Join(want, ",") || strings.Join(v.Delegation.DS, ",") != strings.Join(want, ",") {
				t.Fatalf("ParentDS %q (error %v), Lookup DS %q (error %q), want %q", got, err, v.Delegation.DS, v.Err, want)
			}
		})
	}
}

// TestParentDSNamedZoneLab: the zone a DS answer names as its own (a
// negative answer's SOA owner, an RRSIG's signer) is where the check
// reads the parent's keys, so an on-path forger names one whose keys
// the asked server does not give, or gives as unsigned: a zone it does
// not serve (the root, a made-up name), an ancestor above the parent it
// serves unsigned, or one that does not enclose the child. Each forged "no DS" here, for a child of a signed
// parent served by BIND, passed on the code before (VerifyParentDS
// returned nil: the named zone's keys not read, the parent taken for
// unsigned), so the gates read a DS set the parent holds as none. An
// authoritative answer's SOA is the zone that holds the name (RFC 2308
// section 3) and an RRSIG's signer the zone holding the RRset (RFC 4035
// section 5.3.1): one other than the zone the server serves above the
// child is refused.
func TestParentDSNamedZoneLab(t *testing.T) {
	lab.Require(t, "named")
	p, a := newSigner(t, "test."), newSigner(t, origin)
	srv := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentZone(t, p, "127.0.0.1", map[string]string{"ns1": "127.0.0.1"}, []string{a.ds(t, "2")})}}})
	// noDS is a forged authoritative "no DS" for origin, its authority
	// section holding the SOA of soaName and, with signer, an RRSIG of
	// that signer over it.
	noDS := func(soaName, signer string) *dns.Msg {
		m := new(dns.Msg)
		m.SetQuestion(origin, dns.TypeDS)
		m.Response, m.Authoritative = true, true
		soa, err := dns.NewRR(soaName + " 5 IN SOA ns.test. h.test. 1 3600 600 86400 5")
		if err != nil {
			t.Fatal(err)
		}
		m.Ns = append(m.Ns, soa)
		if signer != "" {
			sig, err := dns.NewRR(soaName + " 5 IN RRSIG SOA 13 1 5 20991231000000 20200101000000 1234 " + signer + " AAAA")
			if err != nil {
				t.Fatal(err)
			}
			m.Ns = append(m.Ns, sig)
		}
		return m
	}
	// both serves the root too, unsigned: an enclosing zone it gives the
	// keys of (none), not the parent.
	both := lab.BIND(t, lab.Options{Zones: []lab.Zone{
		{Origin: "test.", Text: parentZone(t, p, "127.0.0.1", map[string]string{"ns1": "127.0.0.1"}, []string{a.ds(t, "2")})},
		{Origin: ".", Text: "$TTL 60\n@ SOA ns.test. h.test. 1 3600 600 86400 5\n@ NS ns.test.\ntest. NS ns.test.\nns.test. A 127.0.0.1\n"},
	}})
	for _, tc := range []struct {
		name   string
		server string
		r      *dns.Msg
	}{
		{"SOA of a zone the server does not serve", srv.Addr, noDS("elsewhere.invalid.", "")},
		{"SOA of the root", srv.Addr, noDS(".", "")},
		{"SOA of the root, served unsigned", both.Addr, noDS(".", "")},
		{"SOA of the child itself", srv.Addr, noDS(origin, "")},
		{"SOA of a name below the child", srv.Addr, noDS("a."+origin, "")},
		{"signed by a zone not enclosing the child", srv.Addr, noDS("elsewhere.invalid.", "elsewhere.invalid.")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := dnssec.VerifyParentDS(ctx, tc.server, origin, tc.r, 2*time.Second)
			t.Logf("error: %v", err)
			if err == nil || !strings.Contains(err.Error(), "parent zone's signatures") {
				t.Fatalf("a forged no-DS answer naming another zone than test. passed: %v", err)
			}
		})
	}
}
