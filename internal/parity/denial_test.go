package parity

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestDenialCovers: which of git's names an NSEC or NSEC3 record
// denies, each range in and out of order (the last record wrapping
// round to the first), the names below a cut and empty non-terminals
// as a signer chains them, opt-out, and the bitmap at a name of git's.
func TestDenialCovers(t *testing.T) {
	d, v := preparedDenial(t, "$ORIGIN d.test.\n$TTL 300\n@ SOA ns h 1 1 1 1 1\n@ NS ns\nns A 192.0.2.1\na A 192.0.2.2\na TXT x\nb A 192.0.2.3\nc A 192.0.2.4\nsub NS ns.sub\nns.sub A 192.0.2.5\nx.ent A 192.0.2.6\nwww A 192.0.2.7\n")
	names := func(found [][2]string) []string {
		var out []string
		for _, f := range found {
			out = append(out, f[0])
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	nsec := func(owner, next string, types ...uint16) *dns.NSEC {
		return &dns.NSEC{Hdr: dns.RR_Header{Name: owner, Rrtype: dns.TypeNSEC, Class: dns.ClassINET}, NextDomain: next, TypeBitMap: types}
	}
	for _, c := range []struct {
		rr   *dns.NSEC
		want []string
	}{
		{nsec("a.d.test.", "b.d.test.", dns.TypeA, dns.TypeTXT), nil},
		{nsec("a.d.test.", "c.d.test.", dns.TypeA, dns.TypeTXT), []string{"b.d.test."}},
		{nsec("a.d.test.", "b.d.test.", dns.TypeA), []string{"a.d.test."}},        // no TXT at a
		{nsec("c.d.test.", "x.ent.d.test.", dns.TypeA), nil},                      // ent.d.test. an empty non-terminal
		{nsec("x.ent.d.test.", "sub.d.test.", dns.TypeA), []string{"ns.d.test."}}, // ns skipped
		{nsec("ns.d.test.", "sub.d.test.", dns.TypeA), nil},
		{nsec("sub.d.test.", "www.d.test.", dns.TypeNS), nil},                                                            // ns.sub occluded
		{nsec("www.d.test.", "d.test.", dns.TypeA), nil},                                                                 // the last, round to the apex
		{nsec("c.d.test.", "d.test.", dns.TypeA), []string{"ns.d.test.", "sub.d.test.", "www.d.test.", "x.ent.d.test."}}, // the last, too early
		{nsec("nx.d.test.", "\\000.nx.d.test.", dns.TypeRRSIG, dns.TypeNSEC), nil},                                       // compact denial
		{nsec("sub.d.test.", "a.sub.d.test.", dns.TypeNS, dns.TypeSOA), nil},                                             // the child's apex: its chain, not the zone's
		{nsec("z.sub.d.test.", "sub.d.test.", dns.TypeA), nil},                                                           // the child's last
		{nsec("sub.d.test.", "www.d.test.", dns.TypeA), []string{"sub.d.test."}},                                         // the zone's own at its cut, NS missing
	} {
		if got := names(d.nsec(v, c.rr)); !slices.Equal(got, c.want) {
			t.Errorf("%s: denies %q, want %q", c.rr, got, c.want)
		}
	}

	// (Canonical order: the apex, a, b, c, ent, x.ent, ns, sub, www.)

	// NSEC3 (no salt, no extra iteration): the chain of every name and
	// empty non-terminal a signer hashes, in hash order.
	hs := d.hashes(v, 0, "")
	var order []string
	for _, h := range hs {
		order = append(order, h.name)
	}
	if !sort.SliceIsSorted(hs, func(i, j int) bool { return hs[i].hash < hs[j].hash }) || !slices.Contains(order, "ent.d.test.") || slices.Contains(order, "ns.sub.d.test.") {
		t.Fatalf("hashed names: %q", order)
	}
	nsec3 := func(from, to int, optOut bool) *dns.NSEC3 {
		var flags uint8
		if optOut {
			flags = 1
		}
		return &dns.NSEC3{Hdr: dns.RR_Header{Name: strings.ToLower(hs[from].hash) + ".d.test.", Rrtype: dns.TypeNSEC3, Class: dns.ClassINET},
			Hash: dns.SHA1, Flags: flags, NextDomain: hs[to].hash, TypeBitMap: []uint16{dns.TypeA, dns.TypeTXT, dns.TypeNS, dns.TypeSOA}}
	}
	last := len(hs) - 1
	for _, c := range []struct {
		rr   *dns.NSEC3
		want []string
	}{
		{nsec3(0, 1, false), nil},
		{nsec3(0, 2, false), []string{hs[1].name}},
		{nsec3(0, 2, true), nil}, // opt-out denies no name
		{nsec3(last, 0, false), nil},
		{nsec3(last, 1, false), []string{hs[0].name}},
		{nsec3(last-1, 1, false), []string{hs[0].name, hs[last].name}},
	} {
		got := names(d.nsec3(v, c.rr))
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("NSEC3 %s -> %s (opt-out %v): denies %q, want %q", c.rr.Hdr.Name, c.rr.NextDomain, c.rr.Flags == 1, got, want)
		}
	}
}

// TestDenialLies: the NSEC records online signers make per answer deny
// nothing git holds when they are right, whatever their form: compact
// denial ("black lies", RFC 9824: an NSEC at the name asked to the name
// just after it, NXNAME in the bitmap of a name that does not exist, as
// Cloudflare, Route 53 and NS1 serve it; at an existing name the types
// there, or every type but the one asked, as Cloudflare lists them; an
// empty non-terminal's with RRSIG and NSEC alone; a name under a
// wildcard with the wildcard's types; any case) and minimally covering
// NSEC ("white lies", RFC 4470 §3: the name asked's predecessor to its
// successor). And the one that denies a name git holds (NXNAME at it)
// is still found.
func TestDenialLies(t *testing.T) {
	d, v := preparedDenial(t, "$ORIGIN d.test.\n$TTL 300\n@ SOA ns h 1 1 1 1 1\n@ NS ns\nns A 192.0.2.1\na A 192.0.2.2\na TXT x\nb A 192.0.2.3\nc A 192.0.2.4\nx.ent A 192.0.2.6\n*.w A 192.0.2.8\n")
	nsec := func(owner, next string, types ...uint16) *dns.NSEC {
		return &dns.NSEC{Hdr: dns.RR_Header{Name: owner, Rrtype: dns.TypeNSEC, Class: dns.ClassINET}, NextDomain: next, TypeBitMap: types}
	}
	// Every type but AAAA, as Cloudflare's NODATA at an existing name.
	allButAAAA := []uint16{dns.TypeA, dns.TypeNS, dns.TypeSOA, dns.TypeHINFO, dns.TypeMX, dns.TypeTXT, dns.TypeLOC, dns.TypeSRV, dns.TypeNAPTR, dns.TypeCERT, dns.TypeSSHFP, dns.TypeRRSIG, dns.TypeNSEC, dns.TypeDNSKEY, dns.TypeTLSA, dns.TypeSMIMEA, dns.TypeHIP, dns.TypeOPENPGPKEY, dns.TypeSVCB, dns.TypeHTTPS, dns.TypeURI, dns.TypeCAA}
	for _, c := range []struct {
		rr   *dns.NSEC
		want bool
	}{
		{nsec("nx.d.test.", "\\000.nx.d.test.", dns.TypeRRSIG, dns.TypeNSEC, dns.TypeNXNAME), false},       // RFC 9824 NXDOMAIN
		{nsec("NX.D.Test.", "\\000.nx.d.test.", dns.TypeRRSIG, dns.TypeNSEC, dns.TypeNXNAME), false},       // any case
		{nsec("bb.d.test.", "\\000.bb.d.test.", dns.TypeRRSIG, dns.TypeNSEC, dns.TypeNXNAME), false},       // between b and c
		{nsec("a.d.test.", "\\000.a.d.test.", dns.TypeA, dns.TypeTXT, dns.TypeRRSIG, dns.TypeNSEC), false}, // NODATA: the types there
		{nsec("a.d.test.", "\\000.a.d.test.", allButAAAA...), false},                                       // NODATA: all but the one asked
		{nsec("ent.d.test.", "\\000.ent.d.test.", dns.TypeRRSIG, dns.TypeNSEC), false},                     // an empty non-terminal
		{nsec("y.w.d.test.", "\\000.y.w.d.test.", dns.TypeA, dns.TypeRRSIG, dns.TypeNSEC), false},          // under the wildcard, NODATA
		{nsec("ba\\255.d.test.", "bb\\000.d.test.", dns.TypeRRSIG, dns.TypeNSEC), false},                   // RFC 4470 white lie for bb
		{nsec("\\)\\255\\255.d.test.", "\\000.*.d.test.", dns.TypeRRSIG, dns.TypeNSEC), false},             // white lie for the wildcard *.d.test.
		{nsec("a.d.test.", "\\000.a.d.test.", dns.TypeRRSIG, dns.TypeNSEC, dns.TypeNXNAME), true},          // denies a, which git holds
		{nsec("a.d.test.", "\\000.bb.d.test.", dns.TypeA, dns.TypeTXT, dns.TypeRRSIG, dns.TypeNSEC), true}, // covers b (a white lie too wide)
	} {
		if got := d.nsec(v, c.rr); (len(got) > 0) != c.want {
			t.Errorf("%s: denies %q, want a denial: %v", c.rr, got, c.want)
		}
	}
}

// preparedDenial is the denial check prepared for the zone text (origin
// d.test.), and the zone's view.
func preparedDenial(t *testing.T, text string) (*denied, *view) {
	t.Helper()
	z, err := zone.Parse(strings.NewReader(text), "d.zone", "d.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	v := newView(z)
	d := &denied{}
	d.prepare(v)
	return d, v
}
