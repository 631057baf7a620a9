package query_test

import (
	"context"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// forger answers every question on one loopback port, UDP and TCP, first
// with messages that are not the answer (no QR bit, another ID) holding a
// forged address, then with the real one: over UDP truncated when tc is
// set (so the client asks again over TCP).
func forger(t *testing.T, tc bool) string {
	answers := func(q *dns.Msg, truncated bool) []*dns.Msg {
		forged, _ := dns.NewRR(q.Question[0].Name + " 300 IN A 203.0.113.66")
		real, _ := dns.NewRR(q.Question[0].Name + " 300 IN A 192.0.2.80")
		noQR := transfertest.Answer(q, []dns.RR{forged})
		noQR.Response = false
		other := transfertest.Answer(q, []dns.RR{forged})
		other.Id = q.Id + 1
		good := transfertest.Answer(q, []dns.RR{real})
		if truncated {
			good.Answer, good.Truncated = nil, true
		}
		return []*dns.Msg{noQR, other, good}
	}
	return udpTCP(t, func(q *dns.Msg) [][]byte { return packed(answers(q, tc)...) },
		func(q *dns.Msg) []*dns.Msg { return answers(q, false) })
}

// TestClientDiscardsNonAnswers: over UDP (one question and a batch) and
// over TCP after truncation, a message without the QR bit or with another
// ID is never taken for the answer.
func TestClientDiscardsNonAnswers(t *testing.T) {
	for _, tc := range []bool{false, true} {
		addr := forger(t, tc)
		c := &query.Client{Server: &query.Server{Addr: addr}, Timeout: 2 * time.Second, Retries: 0}
		ctx := context.Background()
		as := append([]*query.Answer{c.Exchange(ctx, "www.f.test.", dns.TypeA)},
			c.AskEach(ctx, []query.Question{{Name: "a.f.test.", Type: dns.TypeA}, {Name: "b.f.test.", Type: dns.TypeA}}, 2)...)
		for i, a := range as {
			if a.Err != "" || len(a.Answer) != 1 || query.RdataText(a.Answer[0]) != "192.0.2.80" {
				t.Errorf("truncated %v, answer %d: %s", tc, i, a.Text())
			}
		}
	}
}
