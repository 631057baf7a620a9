package inproc

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

const testZone = `$ORIGIN example.test.
$TTL 2
@ IN SOA ns1.oldprovider.test. hostmaster 1 3600 600 86400 2
@ IN NS ns1.oldprovider.test.
@ IN A 192.0.2.1
www IN CNAME web
web IN A 192.0.2.80
alias IN CNAME elsewhere.invalid.
*.apps IN A 192.0.2.90
a.b.c IN TXT "deep"
sub IN NS ns.sub
ns.sub IN A 192.0.2.53
`

func loadZone(t *testing.T, text string) []dns.RR {
	t.Helper()
	zp := dns.NewZoneParser(strings.NewReader(text), "", "")
	var rrs []dns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		rrs = append(rrs, rr)
	}
	if err := zp.Err(); err != nil {
		t.Fatal(err)
	}
	return rrs
}

// TestAnswers checks the authoritative logic question by question.
func TestAnswers(t *testing.T) {
	s := newStore("example.test.", loadZone(t, testZone))
	cases := []struct {
		name   string
		qtype  uint16
		rcode  int
		aa     bool
		answer []string // "owner type" in order
		ns     string   // type of the first AUTHORITY record ("" none)
	}{
		{"example.test.", dns.TypeA, dns.RcodeSuccess, true, []string{"example.test. A"}, ""},
		{"www.example.test.", dns.TypeA, dns.RcodeSuccess, true, []string{"www.example.test. CNAME", "web.example.test. A"}, ""},
		{"www.example.test.", dns.TypeCNAME, dns.RcodeSuccess, true, []string{"www.example.test. CNAME"}, ""},
		{"alias.example.test.", dns.TypeA, dns.RcodeSuccess, true, []string{"alias.example.test. CNAME"}, ""},
		{"web.example.test.", dns.TypeAAAA, dns.RcodeSuccess, true, nil, "SOA"},
		{"nope.example.test.", dns.TypeA, dns.RcodeNameError, true, nil, "SOA"},
		{"x.apps.example.test.", dns.TypeA, dns.RcodeSuccess, true, []string{"x.apps.example.test. A"}, ""},
		{"x.apps.example.test.", dns.TypeTXT, dns.RcodeSuccess, true, nil, "SOA"},
		{"apps.example.test.", dns.TypeA, dns.RcodeSuccess, true, nil, "SOA"}, // empty non-terminal
		{"b.c.example.test.", dns.TypeTXT, dns.RcodeSuccess, true, nil, "SOA"},
		{"x.c.example.test.", dns.TypeTXT, dns.RcodeNameError, true, nil, "SOA"},
		{"www.sub.example.test.", dns.TypeA, dns.RcodeSuccess, false, nil, "NS"},
		{"sub.example.test.", dns.TypeDS, dns.RcodeSuccess, true, nil, "SOA"},
		{"WWW.Example.TEST.", dns.TypeA, dns.RcodeSuccess, true, []string{"www.example.test. CNAME", "web.example.test. A"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name+"/"+dns.TypeToString[tc.qtype], func(t *testing.T) {
			m := new(dns.Msg)
			s.answer(m, dns.Question{Name: tc.name, Qtype: tc.qtype, Qclass: dns.ClassINET})
			var got []string
			for _, rr := range m.Answer {
				got = append(got, rr.Header().Name+" "+dns.TypeToString[rr.Header().Rrtype])
			}
			if m.Rcode != tc.rcode || m.Authoritative != tc.aa || strings.Join(got, ",") != strings.Join(tc.answer, ",") {
				t.Errorf("rcode %s aa %v answer %v; want %s %v %v", dns.RcodeToString[m.Rcode], m.Authoritative, got, dns.RcodeToString[tc.rcode], tc.aa, tc.answer)
			}
			first := ""
			if len(m.Ns) > 0 {
				first = dns.TypeToString[m.Ns[0].Header().Rrtype]
			}
			if first != tc.ns {
				t.Errorf("authority %s, want %s", first, tc.ns)
			}
			if tc.ns == "NS" && len(m.Extra) != 1 {
				t.Errorf("referral without glue: %v", m.Extra)
			}
		})
	}
}

// TestLab: TSIG-guarded AXFR and UPDATE on the wire, and a resolver that
// keeps a delegation until its TTL runs out.
func TestLab(t *testing.T) {
	for _, port := range []int{0, 15353} { // 0: 53 when allowed; a high port as without root
		t.Run(fmt.Sprint(port), func(t *testing.T) { testLab(t, port) })
	}
}

func testLab(t *testing.T, port int) {
	l, err := Start(Options{Parent: "test.", Zone: "example.test.", NSTTL: 2, Resolvers: 1, Port: port})
	if err != nil {
		t.Fatal(err)
	}
	if port != 0 && l.Port != port {
		t.Fatalf("port %d, want %d", l.Port, port)
	}
	defer l.Close()
	ctx := context.Background()
	add := loadZone(t, "www.example.test. 2 IN A 192.0.2.7\n")
	if err := l.Update(ctx, l.Old, "example.test.", nil, add); err != nil {
		t.Fatal(err)
	}
	// Unsigned AXFR and UPDATE are refused.
	tr := &dns.Transfer{}
	m := new(dns.Msg)
	m.SetAxfr("example.test.")
	if env, err := tr.In(m, l.Old.Addrs[0]); err == nil {
		for e := range env {
			if e.Error == nil {
				t.Error("unsigned AXFR answered")
			}
		}
	}
	u := new(dns.Msg)
	u.SetUpdate("example.test.")
	u.Insert(loadZone(t, "evil.example.test. 2 IN A 192.0.2.66\n"))
	if r, _, err := (&dns.Client{Net: "tcp"}).Exchange(u, l.Old.Addrs[0]); err != nil || r.Rcode != dns.RcodeNotAuth {
		t.Errorf("unsigned UPDATE: %v %v", r, err)
	}
	// Signed AXFR lists what was added, SOA first and last, serial bumped.
	m.SetTsig(l.Key.Name, dns.HmacSHA256, 300, time.Now().Unix())
	tr = &dns.Transfer{TsigSecret: map[string]string{l.Key.Name: l.Key.Secret}}
	env, err := tr.In(m, l.Old.Addrs[0])
	if err != nil {
		t.Fatal(err)
	}
	var got []dns.RR
	for e := range env {
		if e.Error != nil {
			t.Fatal(e.Error)
		}
		got = append(got, e.RR...)
	}
	if len(got) != 5 || got[0].(*dns.SOA).Serial != 2 || !strings.Contains(got[3].String(), "192.0.2.7") {
		t.Errorf("AXFR: %v", got)
	}
	// The resolver reaches the old provider through the parent.
	r := l.Resolvers[0]
	a, err := r.Resolve(ctx, "www.example.test.", dns.TypeA)
	if err != nil || len(a.Records()) != 1 {
		t.Fatalf("resolve: %v %v", a, err)
	}
	if err := l.Update(ctx, l.New, "example.test.", nil, loadZone(t, "www.example.test. 2 IN A 192.0.2.8\n")); err != nil {
		t.Fatal(err)
	}
	// Flip the delegation at the parent.
	var del, ins []dns.RR
	del = append(del, &dns.NS{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeNS, Class: dns.ClassINET}})
	for _, n := range l.New.NS {
		ins = append(ins, &dns.NS{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 2}, Ns: n})
	}
	start := time.Now()
	if err := l.Update(ctx, l.Parent, "test.", del, ins); err != nil {
		t.Fatal(err)
	}
	moved := time.Duration(0)
	for time.Since(start) < 6*time.Second {
		a, err := r.Resolve(ctx, "www.example.test.", dns.TypeA)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(a.Records()[0].String(), "192.0.2.8") {
			moved = time.Since(start)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if moved == 0 || moved > 4500*time.Millisecond {
		t.Errorf("resolver moved after %v, want within NS TTL 2 s + answer TTL 2 s", moved)
	}
	if l.New.Auth.Queries() == 0 {
		t.Error("the new provider was never asked")
	}
}
