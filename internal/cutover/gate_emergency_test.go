package cutover

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// TestSurvivorServes: what downComplete takes as served by a surviving
// server: data of the type at the name, or a referral (a delegation the
// server holds, which resolvers follow); a server that does not answer
// cannot show a record unserved. A negative answer, another type at the
// name (a CNAME) or SERVFAIL is served by none.
func TestSurvivorServes(t *testing.T) {
	var serial atomic.Uint32
	serial.Store(1)
	neg := authSOA("ns1.old.example.test.", &serial)
	srv := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		q := r.Question[0]
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		switch strings.ToLower(q.Name) {
		case "a.example.test.":
			if q.Qtype != dns.TypeA {
				neg(w, r)
				return
			}
			rr, _ := dns.NewRR("a.example.test. 60 IN A 192.0.2.1")
			m.Answer = []dns.RR{rr}
		case "c.example.test.":
			rr, _ := dns.NewRR("c.example.test. 60 IN CNAME a.example.test.")
			m.Answer = []dns.RR{rr}
		case "x.sub.example.test.", "sub.example.test.":
			m.Authoritative = false
			rr, _ := dns.NewRR("sub.example.test. 60 IN NS ns.elsewhere.test.")
			m.Ns = []dns.RR{rr}
		case "fail.example.test.":
			m.Rcode = dns.RcodeServerFailure
		default:
			neg(w, r)
			return
		}
		_ = w.WriteMsg(m)
	})
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := pc.LocalAddr().String()
	pc.Close()
	c := &Config{Timeout: 300 * time.Millisecond}
	ctx := context.Background()
	for _, tc := range []struct {
		servers []string
		name    string
		types   []uint16
		want    string
	}{
		{[]string{srv}, "a.example.test.", []uint16{dns.TypeA}, srv},
		{[]string{srv}, "A.Example.Test.", []uint16{dns.TypeA}, srv},
		{[]string{srv}, "a.example.test.", []uint16{dns.TypeTXT}, ""},
		{[]string{srv}, "a.example.test.", []uint16{dns.TypeAAAA, dns.TypeA}, srv},
		{[]string{srv}, "c.example.test.", []uint16{dns.TypeA}, ""},
		{[]string{srv}, "c.example.test.", []uint16{dns.TypeCNAME}, srv},
		{[]string{srv}, "sub.example.test.", []uint16{dns.TypeNS}, srv},
		{[]string{srv}, "x.sub.example.test.", []uint16{dns.TypeA}, srv},
		{[]string{srv}, "fail.example.test.", []uint16{dns.TypeA}, ""},
		{[]string{srv}, "gone.example.test.", []uint16{dns.TypeTXT}, ""},
		{[]string{srv, dead}, "gone.example.test.", []uint16{dns.TypeTXT}, dead},
		{[]string{srv}, "gone.example.test.", nil, srv},
	} {
		if got, why, _, _ := survivorServes(ctx, c, tc.servers, tc.name, tc.types); got != tc.want {
			t.Errorf("%v %s %v: served by %q (%s), want %q", tc.servers, tc.name, tc.types, got, why, tc.want)
		}
	}
}

// TestCacheHoldBound: how long a resolver may answer a fresh name from
// what it holds is the largest of the SOA TTLs the resolvers showed
// (what is left of one cache entry each), git's largest TTL (a
// wildcard's) and its SOA minimum (the NSEC records' TTL); an answer
// without the zone's SOA (a wildcard CNAME's) adds nothing, but git's
// TTLs still count. On afb2bae it was the SOA TTLs shown alone: 0 for a
// wildcard's answer.
func TestCacheHoldBound(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n@ 300 SOA ns1 h 1 60 60 60 900\n@ 300 NS ns1\nns1 300 A 192.0.2.1\n* 3600 CNAME nowhere.test.\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	c := &Config{Zone: z}
	for _, tc := range []struct {
		ans  []freshAnswer
		want uint32
	}{
		{nil, 3600},
		{[]freshAnswer{{soa: "", soaTTL: 0}}, 3600},
		{[]freshAnswer{{soa: "ns1.example.test. 1", soaTTL: 5}}, 3600},
		{[]freshAnswer{{soa: "ns1.example.test. 1", soaTTL: 7200}}, 7200},
	} {
		if got := cacheHoldBound(c, tc.ans); got != tc.want {
			t.Errorf("%+v: %d, want %d", tc.ans, got, tc.want)
		}
	}
	z2, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n@ 300 SOA ns1 h 1 60 60 60 900\n@ 300 NS ns1\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := cacheHoldBound(&Config{Zone: z2}, nil); got != 900 {
		t.Errorf("git's SOA minimum 900 above its TTLs: %d", got)
	}
}
