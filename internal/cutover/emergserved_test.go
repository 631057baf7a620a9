package cutover

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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
		if got, why := survivorServes(ctx, c, tc.servers, tc.name, tc.types); got != tc.want {
			t.Errorf("%v %s %v: served by %q (%s), want %q", tc.servers, tc.name, tc.types, got, why, tc.want)
		}
	}
}
