package parity

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

const unitZone = `$ORIGIN u.test.
$TTL 300
@ IN SOA ns1 host 1 3600 600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
_http._tcp IN SRV 0 0 80 ns1
_http._tcp IN TXT "path=/" "x=1"
plain IN TXT "ab" "cd"
*.w IN A 192.0.2.9
deep.ent IN A 192.0.2.2
sub IN NS ns.sub
ns.sub IN A 192.0.2.3
c IN CNAME ns1
dn IN DNAME ns1.u.test.
out IN DNAME elsewhere.test.
`

func unit(t *testing.T) *view {
	t.Helper()
	z, err := zone.Parse(strings.NewReader(unitZone), "u.zone", "u.test.", "")
	if err != nil || len(z.Problems) > 0 {
		t.Fatalf("%v %v", err, z.Problems)
	}
	return newView(z)
}

func ans(t *testing.T, aa bool, rcode int, rrs ...string) *query.Answer {
	t.Helper()
	a := &query.Answer{AA: aa, Rcode: rcode}
	for _, s := range rrs {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		r, _, err := query.Canon(rr, nil)
		if err != nil {
			t.Fatal(err)
		}
		a.Answer = append(a.Answer, r)
	}
	return a
}

func TestCompare(t *testing.T) {
	v := unit(t)
	c := &comparer{v: v}
	cases := []struct {
		name string
		q    Question
		a, b *query.Answer
		kind string // "" = no difference
		sev  string
	}{
		{"equal, order and case", Question{Name: "ns1.u.test.", Type: dns.TypeA},
			ans(t, true, 0, "ns1.u.test. 300 IN A 192.0.2.1", "ns1.u.test. 300 IN A 192.0.2.2"),
			ans(t, true, 0, "NS1.u.test. 300 IN A 192.0.2.2", "ns1.U.test. 300 IN A 192.0.2.1"), "", ""},
		{"ipv6 form", Question{Name: "ns1.u.test.", Type: dns.TypeAAAA},
			ans(t, true, 0, "ns1.u.test. 300 IN AAAA 2001:db8::1"),
			ans(t, true, 0, "ns1.u.test. 300 IN AAAA 2001:0db8:0:0:0:0:0:1"), "", ""},
		{"ttl", Question{Name: "ns1.u.test.", Type: dns.TypeA},
			ans(t, true, 0, "ns1.u.test. 300 IN A 192.0.2.1"), ans(t, true, 0, "ns1.u.test. 600 IN A 192.0.2.1"), "ttl", SevWarning},
		{"rdata", Question{Name: "ns1.u.test.", Type: dns.TypeA},
			ans(t, true, 0, "ns1.u.test. 300 IN A 192.0.2.1"), ans(t, true, 0, "ns1.u.test. 300 IN A 192.0.2.2"), "rdata", SevError},
		{"txt split", Question{Name: "plain.u.test.", Type: dns.TypeTXT},
			ans(t, true, 0, `plain.u.test. 300 IN TXT "ab" "cd"`), ans(t, true, 0, `plain.u.test. 300 IN TXT "abc" "d"`), "txt-split", SevInfo},
		{"dns-sd txt split", Question{Name: "_http._tcp.u.test.", Type: dns.TypeTXT},
			ans(t, true, 0, `_http._tcp.u.test. 300 IN TXT "path=/" "x=1"`), ans(t, true, 0, `_http._tcp.u.test. 300 IN TXT "path=/x=1"`), "txt-split", SevError},
		{"caa tag case", Question{Name: "u.test.", Type: dns.TypeCAA},
			ans(t, true, 0, `u.test. 300 IN CAA 0 issue "ca.test"`), ans(t, true, 0, `u.test. 300 IN CAA 0 ISSUE "ca.test"`), "", ""},
		{"caa flag", Question{Name: "u.test.", Type: dns.TypeCAA},
			ans(t, true, 0, `u.test. 300 IN CAA 0 issue "ca.test"`), ans(t, true, 0, `u.test. 300 IN CAA 128 issue "ca.test"`), "rdata", SevError},
		{"nodata vs nxdomain", Question{Name: "x.u.test.", Type: dns.TypeA},
			ans(t, true, 0), ans(t, true, dns.RcodeNameError), "missing", SevError},
		{"servfail", Question{Name: "x.u.test.", Type: dns.TypeA},
			ans(t, true, 0), ans(t, false, dns.RcodeServerFailure), "rcode", SevError},
		{"cname hop", Question{Name: "c.u.test.", Type: dns.TypeA},
			ans(t, true, 0, "c.u.test. 300 IN CNAME ns1.u.test.", "ns1.u.test. 300 IN A 192.0.2.1"),
			ans(t, true, 0, "c.u.test. 300 IN CNAME ns2.u.test.", "ns2.u.test. 300 IN A 192.0.2.1"), "cname-hop", SevError},
		{"apex soa serial", Question{Name: "u.test.", Type: dns.TypeSOA},
			ans(t, true, 0, "u.test. 300 IN SOA ns1.u.test. host.u.test. 1 3600 600 1209600 300"),
			ans(t, true, 0, "u.test. 300 IN SOA ns1.u.test. host.u.test. 2026 3600 600 1209600 300"), "soa", SevInfo},
		{"apex soa negative ttl", Question{Name: "u.test.", Type: dns.TypeSOA},
			ans(t, true, 0, "u.test. 300 IN SOA ns1.u.test. host.u.test. 1 3600 600 1209600 300"),
			ans(t, true, 0, "u.test. 300 IN SOA ns1.u.test. host.u.test. 1 3600 600 1209600 60"), "soa", SevWarning},
		{"extra correct in-zone data on a CNAME question", Question{Name: "c.u.test.", Type: dns.TypeCNAME},
			ans(t, true, 0, "c.u.test. 300 IN CNAME ns1.u.test."),
			ans(t, true, 0, "c.u.test. 300 IN CNAME ns1.u.test.", "ns1.u.test. 300 IN A 192.0.2.1"), "extra", SevInfo},
		{"extra data that contradicts git", Question{Name: "c.u.test.", Type: dns.TypeCNAME},
			ans(t, true, 0, "c.u.test. 300 IN CNAME ns1.u.test."),
			ans(t, true, 0, "c.u.test. 300 IN CNAME ns1.u.test.", "ns1.u.test. 300 IN A 192.0.2.99"), "extra", SevWarning},
		{"an asked set is never extra", Question{Name: "c.u.test.", Type: dns.TypeA},
			ans(t, true, 0, "c.u.test. 300 IN CNAME ns1.u.test.", "ns1.u.test. 300 IN A 192.0.2.1"),
			ans(t, true, 0, "c.u.test. 300 IN CNAME ns1.u.test."), "missing", SevError},
		{"dns-sd instance by shape, no SRV", Question{Name: "printer._ipp._tcp.u.test.", Type: dns.TypeTXT},
			ans(t, true, 0, `printer._ipp._tcp.u.test. 300 IN TXT "a=1" "b=2"`), ans(t, true, 0, `printer._ipp._tcp.u.test. 300 IN TXT "a=1b=2"`), "txt-split", SevError},
		{"compact denial of a name git does not have", Question{Name: "x.u.test.", Type: dns.TypeA, Probe: probeRandom},
			compact(ans(t, true, 0)), ans(t, true, dns.RcodeNameError), "compact-denial", SevWarning},
		// A signer's compact NODATA is right at a name git has (an empty
		// non-terminal, a name under a wildcard): the NXDOMAIN is wrong.
		{"compact NODATA at an empty non-terminal git has", Question{Name: "ent.u.test.", Type: dns.TypeA, Probe: probeNoData},
			compact(ans(t, true, 0)), ans(t, true, dns.RcodeNameError), "missing", SevError},
		{"NXDOMAIN against compact NODATA at a name git has", Question{Name: "ent.u.test.", Type: dns.TypeA, Probe: probeNoData},
			ans(t, true, dns.RcodeNameError), compact(ans(t, true, 0)), "missing", SevError},
		{"compact NODATA under a wildcard git has", Question{Name: "dnsparity-x.w.u.test.", Type: dns.TypeTXT, Probe: probeRandom},
			compact(ans(t, true, 0)), ans(t, true, dns.RcodeNameError), "wildcard", SevError},
		// No response (a dropped answer: response rate limiting, a lost
		// datagram) is nothing to compare, not another rcode.
		{"timeout on one side", Question{Name: "x.u.test.", Type: dns.TypeA},
			ans(t, true, dns.RcodeNameError), &query.Answer{Err: "timeout"}, "failure", SevError},
		{"timeout on the other side", Question{Name: "ns1.u.test.", Type: dns.TypeA},
			&query.Answer{Err: "timeout"}, ans(t, true, 0, "ns1.u.test. 300 IN A 192.0.2.1"), "failure", SevError},
		{"no answer from either side, for other reasons", Question{Name: "ns1.u.test.", Type: dns.TypeA},
			&query.Answer{Err: "timeout"}, &query.Answer{Err: "tcp: connection refused"}, "failure", SevError},
		{"apex ns", Question{Name: "u.test.", Type: dns.TypeNS},
			ans(t, true, 0, "u.test. 300 IN NS ns1.u.test."), ans(t, true, 0, "u.test. 300 IN NS ns1.provider.test."), "ns", SevInfo},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ds := c.compare(tc.q, tc.a, tc.b, "old", "new")
			if tc.kind == "" {
				if len(ds) > 0 {
					t.Fatalf("want no difference, got %+v", ds)
				}
				return
			}
			if len(ds) == 0 || ds[0].kind != tc.kind || worst(ds) != tc.sev {
				t.Fatalf("got %+v, want %s %s", ds, tc.sev, tc.kind)
			}
		})
	}
}

// compact marks a NODATA answer as compact denial of existence.
func compact(a *query.Answer) *query.Answer {
	a.Compact = true
	return a
}

func TestLookupAndQuestions(t *testing.T) {
	v := unit(t)
	cases := []struct {
		name  string
		t     uint16
		class query.Class
		n     int
	}{
		{"ns1.u.test.", dns.TypeA, query.ClassAnswer, 1},
		{"ns1.u.test.", dns.TypeTXT, query.ClassNoData, 0},
		{"ent.u.test.", dns.TypeA, query.ClassNoData, 0},
		{"nope.u.test.", dns.TypeA, query.ClassNXDomain, 0},
		{"any.w.u.test.", dns.TypeA, query.ClassAnswer, 1},
		{"ns.sub.u.test.", dns.TypeA, query.ClassReferral, 0},
		{"c.u.test.", dns.TypeA, query.ClassAnswer, 2},
		// RFC 6672: DNAME, synthesized CNAME, then the target's data
		{"ns1.dn.u.test.", dns.TypeA, query.ClassNXDomain, 2},  // ns1.ns1.u.test. does not exist: NXDOMAIN after substitution
		{"x.out.u.test.", dns.TypeA, query.ClassAnswer, 2},     // the chain leaves the zone
		{"x.out.u.test.", dns.TypeCNAME, query.ClassAnswer, 2}, // the synthesized CNAME answers a CNAME question
		{"dn.u.test.", dns.TypeDNAME, query.ClassAnswer, 1},    // the owner itself is not substituted
		{"dn.u.test.", dns.TypeA, query.ClassNoData, 0},
	}
	for _, c := range cases {
		a, src := v.lookup(c.name, c.t)
		if a.Class() != c.class || len(a.Answer) != c.n {
			t.Errorf("%s %s: %s with %d records, want %s with %d", c.name, dns.Type(c.t), a.Class(), len(a.Answer), c.class, c.n)
		}
		if src == nil || src.Pos().Line == 0 {
			t.Errorf("%s %s: no source position", c.name, dns.Type(c.t))
		}
	}
	qs := v.questions("rnd")
	want := map[string]bool{"rnd.dn.u.test. A": false, "rnd.out.u.test. A": false, "rnd.u.test. A": false, "rnd.w.u.test. A": false, "rnd.ent.u.test. A": false, "ent.u.test. A": false, "plain.u.test. TXT": false, "plain.u.test. A": false}
	for _, q := range qs {
		k := q.Name + " " + dns.Type(q.Type).String()
		if _, ok := want[k]; ok {
			want[k] = true
		}
		if strings.HasSuffix(q.Name, "sub.u.test.") && strings.HasPrefix(q.Name, "rnd.") {
			t.Errorf("random probe below a zone cut: %s", k)
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("question %s not asked", k)
		}
	}
}

// TestLookupTopmostBoundary: below nested zone cuts, or a cut below a
// DNAME, the one closest to the apex is where an authoritative server's
// walk stops (RFC 1034 §4.3.2, RFC 6672 §3.2): BIND answers with the
// referral of the outer cut (a DS question at the inner cut included) and
// substitutes the DNAME above an occluded cut.
func TestLookupTopmostBoundary(t *testing.T) {
	const text = `$ORIGIN n.test.
$TTL 300
@ IN SOA ns1 host 1 3600 600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
sub IN NS ns.sub
ns.sub IN A 192.0.2.3
in.sub IN NS ns.in.sub
ns.in.sub IN A 192.0.2.4
d IN DNAME t.n.test.
x.d IN NS ns1.n.test.
y.x.t IN A 192.0.2.5
`
	z, err := zone.Parse(strings.NewReader(text), "n.zone", "n.test.", "")
	if err != nil || len(z.Problems) > 0 {
		t.Fatalf("%v %v", err, z.Problems)
	}
	v := newView(z)
	cases := []struct {
		name  string
		t     uint16
		class query.Class
		ns    string // the referral's NS owner
		n     int    // answer records
	}{
		{"x.in.sub.n.test.", dns.TypeA, query.ClassReferral, "sub.n.test.", 0},
		{"in.sub.n.test.", dns.TypeDS, query.ClassReferral, "sub.n.test.", 0},
		{"in.sub.n.test.", dns.TypeNS, query.ClassReferral, "sub.n.test.", 0},
		{"y.x.d.n.test.", dns.TypeA, query.ClassAnswer, "", 3}, // DNAME, CNAME, A
	}
	for _, c := range cases {
		a, _ := v.lookup(c.name, c.t)
		ns := ""
		if len(a.NS) > 0 {
			ns = a.NS[0].Name
		}
		if a.Class() != c.class || ns != c.ns || len(a.Answer) != c.n {
			t.Errorf("%s %s: %s, NS %q, %d answer records; want %s, NS %q, %d", c.name, dns.Type(c.t), a.Class(), ns, len(a.Answer), c.class, c.ns, c.n)
		}
	}
	if r := v.rule("x.in.sub.n.test.", dns.TypeA); r != "the delegation of sub.n.test." {
		t.Errorf("rule: %s", r)
	}
}

// TestLookupEmptyWildcard: a wildcard that owns nothing but has a name
// below it (x.*.w) is an empty non-terminal, and an empty non-terminal
// exists (RFC 4592 §2.2.2): it is the source of synthesis for the names
// it covers, which answer NODATA, not NXDOMAIN (RFC 4592 §3.3.1, §4.2),
// as named-checkzone's own resolution in internal/zone takes it.
func TestLookupEmptyWildcard(t *testing.T) {
	const text = `$ORIGIN w.test.
$TTL 300
@ IN SOA ns1 host 1 3600 600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
x.*.w IN TXT "below the wildcard"
`
	z, err := zone.Parse(strings.NewReader(text), "w.zone", "w.test.", "")
	if err != nil || len(z.Problems) > 0 {
		t.Fatalf("%v %v", err, z.Problems)
	}
	v := newView(z)
	a, src := v.lookup("any.w.w.test.", dns.TypeA)
	if a.Class() != query.ClassNoData || src == nil || src.Name != "x.*.w.w.test." {
		t.Errorf("any.w A: %s from %v, want NODATA from the set below the wildcard", a.Class(), src)
	}
	if a, _ := v.lookup("any.other.w.test.", dns.TypeA); a.Class() != query.ClassNXDomain {
		t.Errorf("any.other A: %s, want NXDOMAIN", a.Class())
	}
	if r := v.rule("any.w.w.test.", dns.TypeA); r != "the wildcard *.w.w.test." {
		t.Errorf("rule: %s", r)
	}
}
