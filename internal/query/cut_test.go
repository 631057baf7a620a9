package query_test

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// cutter answers every question with 20 TXT records: over UDP with TC=1
// and the message cut short in the middle of a record (RFC 1035 §4.2.1
// truncation as older servers and some DNS load balancers send it: the
// bytes that fit, not whole records), over TCP whole.
func cutter(t *testing.T) string {
	answer := func(q *dns.Msg) *dns.Msg {
		var rrs []dns.RR
		for i := 0; i < 20; i++ {
			rr, _ := dns.NewRR(q.Question[0].Name + ` 300 IN TXT "0123456789012345678901234567890123456789012345678901234567890123456789"`)
			rr.(*dns.TXT).Txt[0] += string(rune('a' + i))
			rrs = append(rrs, rr)
		}
		return transfertest.Answer(q, rrs)
	}
	return udpTCP(t, func(q *dns.Msg) [][]byte {
		out := packed(answer(q))[0]
		out[2] |= 0x02 // TC
		return [][]byte{out[:500]}
	}, func(q *dns.Msg) []*dns.Msg { return []*dns.Msg{answer(q)} })
}

// TestTruncatedMidRecord: a UDP answer with TC=1 cut in the middle of a
// record is truncated, as resolvers read the TC bit of its header: asked
// again over TCP, never "a bad response" (one question, a batch, Msg).
func TestTruncatedMidRecord(t *testing.T) {
	addr := cutter(t)
	c := &query.Client{Server: &query.Server{Addr: addr}, Timeout: time.Second, Retries: 0, Batch: true}
	ctx := context.Background()
	as := append([]*query.Answer{c.Exchange(ctx, "www.f.test.", dns.TypeTXT)},
		c.AskEach(ctx, []query.Question{{Name: "a.f.test.", Type: dns.TypeTXT}, {Name: "b.f.test.", Type: dns.TypeTXT}}, 2)...)
	for i, a := range as {
		if a.Err != "" || len(a.Answer) != 20 {
			t.Errorf("answer %d: %s (%d records)", i, a.Status(), len(a.Answer))
		}
	}
	m, err := query.Msg(ctx, addr, "c.f.test.", dns.TypeTXT, query.MsgOptions{Timeout: time.Second, Tries: 1})
	if err != nil || len(m.Answer) != 20 || m.Truncated {
		t.Errorf("Msg: %v, %v", m, err)
	}
}

// TestTruncatedKept: MsgOptions.Truncated returns the truncated UDP
// answer as it came (Zonemaster NAMESERVER13 judges its OPT record), not
// the TCP answer it would be asked again for.
func TestTruncatedKept(t *testing.T) {
	addr := cutter(t)
	m, err := query.Msg(context.Background(), addr, "c.f.test.", dns.TypeTXT, query.MsgOptions{Timeout: time.Second, Tries: 1, Truncated: true})
	if err != nil || !m.Truncated || len(m.Answer) == 20 {
		t.Errorf("Msg with Truncated: %v, %v", m, err)
	}
}

// TestAnySource: a server that answers from another socket (another
// source port here; another address on a multi-homed host) is not heard
// on the connected socket, as resolvers drop it (RFC 2181 §4); with
// MsgOptions.AnySource its answer is read and named as an
// *OtherSourceError, at the first try.
func TestAnySource(t *testing.T) {
	in, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var asked atomic.Int32
	go replyFrom(in, out, &asked)
	ctx := context.Background()
	addr := in.LocalAddr().String()
	if _, err := query.Msg(ctx, addr, "example.test.", dns.TypeSOA, query.MsgOptions{Timeout: 200 * time.Millisecond, Tries: 1}); err == nil {
		t.Fatalf("the connected socket read an answer from %s", out.LocalAddr())
	}
	_, err = query.Msg(ctx, addr, "example.test.", dns.TypeSOA, query.MsgOptions{Timeout: 200 * time.Millisecond, Tries: 2, AnySource: true})
	var other *query.OtherSourceError
	if !errors.As(err, &other) || other.From != out.LocalAddr().String() || other.Asked != addr {
		t.Fatalf("AnySource: %v, want an OtherSourceError from %s", err, out.LocalAddr())
	}
	if n := asked.Load(); n != 2 {
		t.Errorf("asked %d times, want 2 (one try each: an answer from elsewhere is not asked again)", n)
	}
}
