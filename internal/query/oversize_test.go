package query_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// oversizer ignores the EDNS payload size asked (1232): it answers
// "big" names with n TXT records of 200 octets in one UDP datagram
// (big: 12, about 2,500 octets; huge: 30, about 6,200, past the 4,096
// the batched reads took), any other name with one A record.
func oversizer(t *testing.T) string {
	answer := func(q *dns.Msg) *dns.Msg {
		name := q.Question[0].Name
		n := 0
		switch {
		case strings.HasPrefix(name, "big."):
			n = 12
		case strings.HasPrefix(name, "huge."):
			n = 30
		}
		if n == 0 {
			rr, _ := dns.NewRR(name + " 300 IN A 192.0.2.1")
			return transfertest.Answer(q, []dns.RR{rr})
		}
		var rrs []dns.RR
		for i := 0; i < n; i++ {
			rr, _ := dns.NewRR(name + ` 300 IN TXT "` + strings.Repeat(string(rune('a'+i%26)), 200) + `"`)
			rrs = append(rrs, rr)
		}
		return transfertest.Answer(q, rrs)
	}
	return udpTCP(t, func(q *dns.Msg) [][]byte { return packed(answer(q)) },
		func(q *dns.Msg) []*dns.Msg { return []*dns.Msg{answer(q)} })
}

// TestOversize: a UDP answer larger than the 1232 octets the query
// allowed is taken (resolvers on a lenient path get it) and its size is
// in Answer.Oversize (0 for one within the size), on every path: one
// question, a batched window (recvmmsg), one unbatched; one past 4,096
// octets too, which the batched reads cut (MSG_TRUNC) and dropped, so
// that the question waited out its timeout and, with no retry left,
// failed. Msg takes them too: it read 1232 octets of the datagram
// (miekg/dns reads the size asked) and failed, a "bad response" where
// resolvers get the answer.
func TestOversize(t *testing.T) {
	addr := oversizer(t)
	ctx := context.Background()
	for _, name := range []string{"big.o.test.", "huge.o.test."} {
		m, err := query.Msg(ctx, addr, name, dns.TypeTXT, query.MsgOptions{Timeout: 2 * time.Second, Tries: 1})
		if err != nil || len(m.Answer) == 0 {
			t.Errorf("Msg %s: %v, %v", name, m, err)
		}
	}
	for _, batch := range []bool{true, false} {
		c := &query.Client{Server: &query.Server{Addr: addr}, Timeout: 2 * time.Second, Retries: 0, Batch: batch}
		as := append([]*query.Answer{c.Exchange(ctx, "big.o.test.", dns.TypeTXT)},
			c.AskEach(ctx, []query.Question{{Name: "big.o.test.", Type: dns.TypeTXT}, {Name: "small.o.test.", Type: dns.TypeA},
				{Name: "huge.o.test.", Type: dns.TypeTXT}, {Name: "small2.o.test.", Type: dns.TypeA}}, 4)...)
		want := []struct{ records, over int }{{12, 2000}, {12, 2000}, {1, 0}, {30, 5000}, {1, 0}}
		for i, w := range want {
			a := as[i]
			if a.Err != "" || len(a.Answer) != w.records {
				t.Errorf("batch %v, answer %d: %s (%d records), want %d records", batch, i, a.Status(), len(a.Answer), w.records)
				continue
			}
			if (w.over == 0) != (a.Oversize == 0) || a.Oversize < w.over {
				t.Errorf("batch %v, answer %d: Oversize %d, want 0 within the size, else the datagram's octets (over %d)", batch, i, a.Oversize, w.over)
			}
		}
	}
}
