package parity_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// vendorZone is an SPF provider's zone outside the zone under test,
// reachable only through the resolver.
const vendorZone = `$ORIGIN vendor.test.
$TTL 300
@      IN SOA ns1 hostmaster 1 3600 600 1209600 300
@      IN NS  ns1
ns1    IN A   192.0.2.53
@      IN MX  10 mx
mx     IN A   192.0.2.25
a1     IN A   192.0.2.31
a2     IN A   192.0.2.32
a3     IN A   192.0.2.33
a4     IN A   192.0.2.34
a5     IN A   192.0.2.35
a6     IN A   192.0.2.36
_spf   IN TXT "v=spf1 a:a1.vendor.test include:_spf2.vendor.test -all"
_spf2  IN TXT "v=spf1 a:a2.vendor.test a:a3.vendor.test/24 mx exists:a4.vendor.test include:_spf3.vendor.test -all"
_spf3  IN TXT "v=spf1 a:a5.vendor.test a:a6.vendor.test ptr ip4:192.0.2.0/24 -all"
_small IN TXT "v=spf1 a:a1.vendor.test -all"
_void  IN TXT "v=spf1 a:nx1.vendor.test a:nx2.vendor.test exists:nx3.vendor.test -all"
_void2 IN TXT "v=spf1 a:nx1.vendor.test mx:nx2.vendor.test ip4:192.0.2.1 -all"
_nospf IN TXT "hello"
`

// spfZone is the zone under test with spf as its apex SPF record.
func spfZone(spf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n", origin)
	fmt.Fprintf(&b, "@ IN A 192.0.2.10\n@ IN MX 10 mx1\nmx1 IN A 192.0.2.25\n@ IN TXT %s\n", txtQuote(spf))
	for i := 0; i < 11; i++ {
		fmt.Fprintf(&b, "mxmany IN MX %d m%d\n", i, i)
		if i < 10 {
			fmt.Fprintf(&b, "mxten IN MX %d mx1\n", i)
		}
	}
	// exchanges without addresses: each address lookup is void
	b.WriteString("mxnoaddr IN MX 10 gone1\nmxnoaddr IN MX 20 gone2\nmxnoaddr IN MX 30 gone3\n")
	return b.String()
}

// txtQuote quotes s for a zone file, non-ASCII octets as \DDD (Knot
// refuses raw UTF-8 in TXT).
func txtQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestSPFLookups checks RFC 7208 §4.6.4 counting against real servers:
// the zone under test on Knot, an SPF vendor's zone (vendor.test) on
// another Knot reachable only through an Unbound resolver with a stub.
func TestSPFLookups(t *testing.T) {
	lab.Require(t, "knotd", "unbound")
	vendor := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "vendor.test.", Text: vendorZone}}})
	// The stub is test. (Unbound has a default local zone there, which
	// the lab turns off for its stubs); the vendor server answers for
	// vendor.test. below it.
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {vendor.Addr}}})

	type spfWant struct {
		kind, sev string
		words     []string // in Detail+Old+New
	}
	cases := []struct {
		name     string
		spf      string
		resolver bool
		extra    string // more zone lines
		want     []spfWant
		none     []string // kinds that must not appear
	}{
		{name: "out-of-zone chain over 10", spf: "v=spf1 mx include:_spf.vendor.test ~all", resolver: true,
			want: []spfWant{{"spf-lookups", "error", []string{"12 DNS lookups", "parity.test → _spf.vendor.test → _spf2.vendor.test → _spf3.vendor.test"}}},
			none: []string{"spf-unknown", "spf-void"}},
		{name: "out-of-zone chain without resolver", spf: "v=spf1 mx include:_spf.vendor.test ~all",
			want: []spfWant{{"spf-unknown", "info", []string{"_spf.vendor.test", "--resolver"}}},
			none: []string{"spf-lookups"}},
		{name: "exactly 10", spf: "v=spf1 mx ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf2.vendor.test exp=explain.parity.test -all", resolver: true,
			none: []string{"spf-lookups", "spf-unknown", "spf-void", "spf-permerror"}},
		{name: "11", spf: "v=spf1 mx a include:_spf2.vendor.test -all", resolver: true,
			want: []spfWant{{"spf-lookups", "error", []string{"11 DNS lookups"}}}},
		{name: "small include", spf: "v=spf1 mx include:_small.vendor.test ~all", resolver: true,
			none: []string{"spf-lookups", "spf-unknown", "spf-void", "spf-permerror"}},
		{name: "redirect counts", spf: "v=spf1 mx redirect=_spf.vendor.test", resolver: true,
			want: []spfWant{{"spf-lookups", "error", []string{"12 DNS lookups"}}}},
		{name: "redirect ignored next to all", spf: "v=spf1 mx redirect=_spf.vendor.test -all", resolver: true,
			want: []spfWant{{"spf", "warning", []string{"SPF on old and new: redirect=_spf.vendor.test is ignored: the record has an all mechanism (-all)", "(RFC 7208 §6.1)"}}},
			none: []string{"spf-lookups", "spf-unknown"}},
		{name: "void a and exists out of zone", spf: "v=spf1 include:_void.vendor.test -all", resolver: true,
			want: []spfWant{{"spf-void", "error", []string{"3 void lookups", "nx1.vendor.test", "nx3.vendor.test"}}}},
		{name: "two voids are allowed", spf: "v=spf1 include:_void2.vendor.test -all", resolver: true,
			none: []string{"spf-void", "spf-lookups"}},
		{name: "void a mx exists in zone", spf: "v=spf1 a:nx1.parity.test mx:nx2.parity.test/24 exists:nx3.parity.test -all",
			want: []spfWant{{"spf-void", "error", []string{"3 void lookups", "nx2.parity.test"}}}},
		{name: "void with cidr terms", spf: "v=spf1 a/24 mx//64 a:nx1.parity.test mx:ns1.parity.test -all",
			none: []string{"spf-void", "spf-lookups", "spf-permerror"}},
		{name: "mx with more than 10 names", spf: "v=spf1 mx:mxmany.parity.test -all",
			want: []spfWant{{"spf-permerror", "error", []string{"11 MX records"}}}},
		{name: "exactly 10 MX for mx", spf: "v=spf1 mx:mxten.parity.test -all",
			none: []string{"spf-permerror", "spf-void", "spf-lookups"}},
		{name: "mx exchanges without address are void lookups", spf: "v=spf1 mx:mxnoaddr.parity.test -all",
			want: []spfWant{{"spf-void", "error", []string{"3 void lookups", "gone1.parity.test A"}}}},
		{name: "self include", spf: "v=spf1 mx include:parity.test -all",
			want: []spfWant{{"spf-permerror", "error", []string{"include loop at parity.test"}}}},
		{name: "unknown mechanism", spf: "v=spf1 mx foo:bar.parity.test -all",
			want: []spfWant{{"spf-permerror", "error", []string{`unknown mechanism "foo"`}}}},
		{name: "include loop between records no root reaches", spf: "v=spf1 mx -all",
			extra: "a IN TXT \"v=spf1 include:b.parity.test -all\"\nb IN TXT \"v=spf1 include:a.parity.test -all\"\n",
			want:  []spfWant{{"spf-permerror", "error", []string{"include loop at a.parity.test"}}}},
		{name: "a non-ASCII letter is not folded into an ASCII one", spf: "v=spf1 include:\u212aspf.parity.test -all",
			extra: "kspf IN TXT \"v=spf1 -all\"\n",
			want:  []spfWant{{"spf-permerror", "error", []string{"not allowed"}}}},
		// An in-zone name whose CNAME leads out of the zone: its
		// authoritative servers answer the CNAME alone; receivers'
		// resolvers follow it (RFC 7208 §4.6.4 counts one lookup).
		{name: "include through a CNAME out of the zone", spf: "v=spf1 include:_spf.parity.test a:w1.parity.test a:w2.parity.test a:w3.parity.test -all", resolver: true,
			extra: "_spf IN CNAME _small.vendor.test.\nw1 IN CNAME a1.vendor.test.\nw2 IN CNAME a2.vendor.test.\nw3 IN CNAME a3.vendor.test.\n",
			none:  []string{"spf-permerror", "spf-void", "spf-unknown", "spf-lookups"}},
		{name: "CNAME out of the zone without resolver", spf: "v=spf1 include:_spf.parity.test a:w1.parity.test a:w2.parity.test a:w3.parity.test -all",
			extra: "_spf IN CNAME _small.vendor.test.\nw1 IN CNAME a1.vendor.test.\nw2 IN CNAME a2.vendor.test.\nw3 IN CNAME a3.vendor.test.\n",
			want:  []spfWant{{"spf-unknown", "info", []string{"_spf.parity.test", "a CNAME leads there"}}},
			none:  []string{"spf-permerror", "spf-void", "spf-lookups"}},
		// RFC 7208 §7: a macro of the sender is expanded per message
		// (reported, not a silent 0); %{d} is the record's own domain,
		// the same for every message: followed and counted.
		{name: "include with a sender macro", spf: "v=spf1 mx include:%{i}._spf.vendor.test -all", resolver: true,
			want: []spfWant{{"spf-unknown", "info", []string{"include or redirect= target %{i}._spf.vendor.test is expanded per message"}}},
			none: []string{"spf-lookups", "spf-permerror"}},
		{name: "include of the d macro is followed", spf: "v=spf1 include:_big.%{d} -all",
			extra: "_big IN TXT \"v=spf1" + strings.Repeat(" a:mx1.parity.test", 10) + " -all\"\n",
			want:  []spfWant{{"spf-lookups", "error", []string{"11 DNS lookups", "parity.test → _big.parity.test"}}},
			none:  []string{"spf-unknown"}},
		{name: "include without SPF record", spf: "v=spf1 include:_nospf.vendor.test -all", resolver: true,
			want: []spfWant{{"spf-permerror", "error", []string{"no SPF record at _nospf.vendor.test"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			text := spfZone(c.spf) + c.extra
			z := loadText(t, text)
			srv := serve(t, "knot", text)
			opts := parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8}
			if c.resolver {
				opts.Resolver = u.Addr
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			rep, err := parity.Run(ctx, z, []parity.Target{{Addr: srv}}, []parity.Target{{Addr: srv}}, opts)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			ok := true
			for _, w := range c.want {
				found := false
				for _, f := range rep.Findings {
					if f.Kind != w.kind || f.Severity != w.sev || (f.Name != origin && c.extra == "") {
						continue
					}
					all := f.Detail + "\n" + f.Old + "\n" + f.New
					missing := false
					for _, word := range w.words {
						if !strings.Contains(all, word) {
							missing = true
						}
					}
					if !missing {
						found = true
						if f.Line == 0 {
							t.Errorf("%s finding has no file:line", f.Kind)
						}
					}
				}
				if !found {
					t.Errorf("no %s %s finding at %s with %q", w.sev, w.kind, origin, w.words)
					ok = false
				}
			}
			for _, f := range rep.Findings {
				for _, k := range c.none {
					if f.Kind == k {
						t.Errorf("unexpected %s finding: %s", k, f.Detail)
						ok = false
					}
				}
			}
			if !ok || testing.Verbose() {
				dump(t, rep)
				for _, f := range rep.Findings {
					t.Logf("  old: %s\n  new: %s", f.Old, f.New)
				}
			}
		})
	}
}
