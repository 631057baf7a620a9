package dnssec_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

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
