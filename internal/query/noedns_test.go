package query_test

import (
	"context"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// noEDNS is a server from before EDNS (RFC 6891 §7): a query with an OPT
// record is answered FORMERR without one; a plain query gets its answer
// (UDP and TCP).
func noEDNS(t *testing.T) string {
	answer := func(q *dns.Msg) *dns.Msg {
		if q.IsEdns0() != nil {
			m := new(dns.Msg)
			m.SetRcode(q, dns.RcodeFormatError)
			m.Extra = nil
			return m
		}
		rr, _ := dns.NewRR(q.Question[0].Name + " 300 IN A 192.0.2.80")
		return transfertest.Answer(q, []dns.RR{rr})
	}
	return udpTCP(t, func(q *dns.Msg) [][]byte { return packed(answer(q)) },
		func(q *dns.Msg) []*dns.Msg { return []*dns.Msg{answer(q)} })
}

// TestNoEDNSFallback: FORMERR without an OPT record to a query with one
// is a server that does not do EDNS (RFC 6891 §7); resolvers (BIND,
// Unbound) ask it again without EDNS and get the answer, and so does the
// client: one question, a batch, Msg.
func TestNoEDNSFallback(t *testing.T) {
	addr := noEDNS(t)
	c := &query.Client{Server: &query.Server{Addr: addr}, Timeout: time.Second, Retries: 0, Batch: true, DO: true, NSID: true}
	ctx := context.Background()
	as := append([]*query.Answer{c.Exchange(ctx, "www.f.test.", dns.TypeA)},
		c.AskEach(ctx, []query.Question{{Name: "a.f.test.", Type: dns.TypeA}, {Name: "b.f.test.", Type: dns.TypeA}}, 2)...)
	for i, a := range as {
		if a.Err != "" || a.Rcode != dns.RcodeSuccess || len(a.Answer) != 1 {
			t.Errorf("answer %d: %s", i, a.Text())
		}
	}
	m, err := query.Msg(ctx, addr, "c.f.test.", dns.TypeA, query.MsgOptions{Timeout: time.Second, Tries: 1, DO: true})
	if err != nil || m.Rcode != dns.RcodeSuccess || len(m.Answer) != 1 {
		t.Errorf("Msg: %v, %v", m, err)
	}
}
