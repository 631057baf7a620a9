package query_test

import (
	"context"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// expireServer answers the apex SOA of e.test. with AA; a query carrying
// the EDNS EXPIRE option (RFC 7314, code 9) empty gets one back holding
// the octets data (RFC 7314 §2: four in an answer, the seconds left).
func expireServer(t *testing.T, data []byte) string {
	answer := func(q *dns.Msg) *dns.Msg {
		soa, _ := dns.NewRR("e.test. 300 IN SOA ns.e.test. h.e.test. 1 60 60 604800 60")
		m := transfertest.Answer(q, []dns.RR{soa})
		m.Authoritative = true
		if opt := q.IsEdns0(); opt != nil {
			m.SetEdns0(1232, false)
			for _, o := range opt.Option {
				// Asked as RFC 7314 §2 says: the option empty.
				if e, ok := o.(*dns.EDNS0_EXPIRE); ok && e.Empty {
					m.IsEdns0().Option = append(m.IsEdns0().Option, &dns.EDNS0_LOCAL{Code: dns.EDNS0EXPIRE, Data: data})
				}
			}
		}
		return m
	}
	return udpTCP(t, func(q *dns.Msg) [][]byte { return packed(answer(q)) },
		func(q *dns.Msg) []*dns.Msg { return []*dns.Msg{answer(q)} })
}

// TestExpireOption: Msg with Expire sends the option empty and Expire
// reads the four octets of the answer's; an answer whose option is cut
// short (two octets) does not parse, and the server is asked again
// without it, as one that does not know the option (Expire: none): it
// answers, and a gate reading its apex SOA (new-authoritative, old-down)
// does not count it as not answering.
func TestExpireOption(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		data []byte
		ok   bool
		secs uint32
	}{
		{"four octets", []byte{0, 0, 0x0e, 0x10}, true, 3600},
		{"two octets", []byte{0, 1}, false, 0},
	} {
		addr := expireServer(t, c.data)
		m, err := query.Msg(ctx, addr, "e.test.", dns.TypeSOA, query.MsgOptions{Timeout: time.Second, Tries: 1, Expire: true})
		if err != nil || m.Rcode != dns.RcodeSuccess || !m.Authoritative || len(m.Answer) != 1 {
			t.Errorf("%s: Msg: %v, %v", c.name, m, err)
			continue
		}
		if secs, ok := query.Expire(m); ok != c.ok || secs != c.secs {
			t.Errorf("%s: Expire = %d, %v; want %d, %v", c.name, secs, ok, c.secs, c.ok)
		}
	}
}
