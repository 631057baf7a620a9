package query_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// silent is a loopback UDP server that reads every query and answers
// none; heard is closed at the first query.
func silent(t *testing.T) (addr string, heard <-chan struct{}) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, 65535)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
			once.Do(func() { close(ch) })
		}
	}()
	t.Cleanup(func() { pc.Close(); wg.Wait() })
	return pc.LocalAddr().String(), ch
}

// TestCancelEndsReads: Ctrl-C during a run against a server that does
// not answer ends every path's UDP reads at once, not after the timeout
// (30 s here, 3 tries): the batched window (recvmmsg), the window read
// one datagram at a time, a pooled client, one question, Msg. Every
// question left is canceled. On the code before, each waited out its
// tries' timeouts (the reads ignored ctx).
func TestCancelEndsReads(t *testing.T) {
	const timeout = 30 * time.Second
	qs := make([]query.Question, 8)
	for i := range qs {
		qs[i] = query.Question{Name: "q" + string(rune('a'+i)) + ".c.test.", Type: dns.TypeA}
	}
	cases := []struct {
		name string
		ask  func(ctx context.Context, addr string) error
	}{
		{"batched", func(ctx context.Context, addr string) error {
			c := &query.Client{Server: &query.Server{Addr: addr}, Timeout: timeout, Retries: 2, Batch: true}
			return canceled(c.AskEach(ctx, qs, 8))
		}},
		{"unbatched", func(ctx context.Context, addr string) error {
			c := &query.Client{Server: &query.Server{Addr: addr}, Timeout: timeout, Retries: 2}
			return canceled(c.AskEach(ctx, qs, 8))
		}},
		{"pooled", func(ctx context.Context, addr string) error {
			p := query.NewPool(addr, 2)
			defer p.Close()
			c := &query.Client{Server: &query.Server{Addr: addr}, Timeout: timeout, Retries: 2, Batch: true, Pool: p}
			return canceled(c.AskEach(ctx, qs, 8))
		}},
		{"exchange", func(ctx context.Context, addr string) error {
			c := &query.Client{Server: &query.Server{Addr: addr}, Timeout: timeout, Retries: 2}
			return canceled([]*query.Answer{c.Exchange(ctx, "x.c.test.", dns.TypeA)})
		}},
		{"msg", func(ctx context.Context, addr string) error {
			_, err := query.Msg(ctx, addr, "x.c.test.", dns.TypeA, query.MsgOptions{Timeout: timeout, Tries: 3})
			if !errors.Is(err, context.Canceled) {
				return errors.New("Msg: " + errText(err) + ", want context.Canceled")
			}
			// The error says which question at which server.
			if !strings.Contains(err.Error(), "x.c.test. A at "+addr) {
				return errors.New("Msg: " + err.Error() + ", want it to name the question and the server")
			}
			return nil
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			addr, heard := silent(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- c.ask(ctx, addr) }()
			select {
			case <-heard:
			case err := <-done:
				t.Fatalf("returned before the server heard a query: %v", err)
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Error(err)
				}
				if d := time.Since(start); d > timeout/2 {
					t.Errorf("returned %s after the start, want well before the %s timeout", d, timeout)
				}
			case <-time.After(timeout / 2):
				t.Fatalf("still reading %s after the cancel (timeout %s): the reads ignore ctx", timeout/2, timeout)
			}
		})
	}
}

// canceled checks that every question asked is ErrCanceled (one not
// started when ctx ended stays nil, as AskAll says), and that one was.
func canceled(as []*query.Answer) error {
	n := 0
	for i, a := range as {
		if a == nil {
			continue
		}
		n++
		if a.Err != query.ErrCanceled {
			return fmt.Errorf("answer %d: %s, want %s", i, a.Status(), query.ErrCanceled)
		}
	}
	if n == 0 {
		return errors.New("no question was asked")
	}
	return nil
}

func errText(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

// TestMsgEndedContextSendsNothing: Msg on a context that has already
// ended returns its error and sends nothing, on either socket
// (connected, and AnySource's unconnected one): the sockets are opened
// without ctx, and an answering server raced the watch that closes them
// (the cutover's apex NS cache took such an answer as the step's).
func TestMsgEndedContextSendsNothing(t *testing.T) {
	for _, anySource := range []bool{false, true} {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var asked atomic.Int32
		go replyFrom(pc, pc, &asked)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for range 20 {
			_, err := query.Msg(ctx, pc.LocalAddr().String(), "x.c.test.", dns.TypeA, query.MsgOptions{Timeout: time.Second, Tries: 1, AnySource: anySource})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("AnySource %v: Msg on an ended context: %v, want context.Canceled", anySource, err)
				break
			}
		}
		// A query sent would have been read by now (loopback).
		time.Sleep(50 * time.Millisecond)
		if n := asked.Load(); n != 0 {
			t.Errorf("AnySource %v: the server was asked %d times on an ended context, want none", anySource, n)
		}
		pc.Close()
	}
}

// replyFrom counts each query read on in and answers it, an empty reply,
// from out (in itself, or another socket: an answer from another
// address), until in is closed.
func replyFrom(in, out net.PacketConn, asked *atomic.Int32) {
	buf := make([]byte, 65535)
	for {
		n, from, err := in.ReadFrom(buf)
		if err != nil {
			return
		}
		asked.Add(1)
		q := new(dns.Msg)
		if q.Unpack(buf[:n]) != nil {
			continue
		}
		r := new(dns.Msg)
		r.SetReply(q)
		if b, err := r.Pack(); err == nil {
			_, _ = out.WriteTo(b, from)
		}
	}
}
