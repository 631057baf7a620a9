package rfc2136_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// fakeServer is a hand-written TCP DNS server on loopback that answers
// each query with what script writes: fault injection for zone transfers.
func fakeServer(t *testing.T, script func(q *dns.Msg, send func(*dns.Msg))) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				dc := &dns.Conn{Conn: c}
				q, err := dc.ReadMsg()
				if err != nil {
					return
				}
				script(q, func(m *dns.Msg) { dc.WriteMsg(m) })
			}()
		}
	}()
	return ln.Addr().String()
}

func rrs(t *testing.T, lines ...string) []dns.RR {
	t.Helper()
	var out []dns.RR
	for _, l := range lines {
		rr, err := dns.NewRR(l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rr)
	}
	return out
}

func answer(q *dns.Msg, rr []dns.RR) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(q)
	m.Authoritative = true
	m.Answer = rr
	return m
}

const soaLine = "example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 7 3600 600 1209600 300"

func TestTransferFaults(t *testing.T) {
	body := []string{"example.com. 300 IN NS ns1.example.com.", "ns1.example.com. 300 IN A 192.0.2.53", "www.example.com. 300 IN A 192.0.2.80"}
	cases := []struct {
		name   string
		script func(t *testing.T, q *dns.Msg, send func(*dns.Msg))
		want   string // error text; "" for a complete transfer
	}{
		{"complete, one message", func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(answer(q, rrs(t, append(append([]string{soaLine}, body...), soaLine)...)))
		}, ""},
		{"complete, one record per message", func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			for _, l := range append(append([]string{soaLine}, body...), soaLine) {
				send(answer(q, rrs(t, l)))
			}
		}, ""},
		{"opening SOA only, then the connection ends", func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(answer(q, rrs(t, soaLine)))
		}, "incomplete transfer"},
		{"ends half-way without the closing SOA", func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(answer(q, rrs(t, append([]string{soaLine}, body...)...)))
		}, "incomplete transfer: 4 records and no closing SOA"},
		{"messages without QR or with another ID are discarded", func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			evil := rrs(t, soaLine, "evil.example.com. 300 IN A 203.0.113.66", soaLine)
			noQR := answer(q, evil)
			noQR.Response = false
			send(noQR)
			other := answer(q, evil)
			other.Id = q.Id + 1
			send(other)
			send(answer(q, rrs(t, soaLine)))
			send(other)
			send(answer(q, rrs(t, append(body, soaLine)...)))
		}, ""},
		{"does not start with the SOA", func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(answer(q, rrs(t, append(body, soaLine)...)))
		}, "does not start with the zone's SOA"},
		{"records after the closing SOA", func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(answer(q, rrs(t, soaLine, body[0], soaLine, body[1])))
		}, "records after the closing SOA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := fakeServer(t, func(q *dns.Msg, send func(*dns.Msg)) { tc.script(t, q, send) })
			p, err := rfc2136.New(&config.Provider{Type: "rfc2136", Server: addr})
			if err != nil {
				t.Fatal(err)
			}
			z, err := p.Records(context.Background(), origin)
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want an error with %q", err, tc.want)
				}
				if _, err := p.Transfer(context.Background(), origin); err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("Transfer: got %v, want an error with %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if z.Len() != 4 || z.Get("www.example.com.", dns.TypeA) == nil || z.Get("evil.example.com.", dns.TypeA) != nil {
				t.Errorf("transferred %d RRsets: %v", z.Len(), z.Sets)
			}
		})
	}
}

// TestTransferContext: a server that accepts and never answers does not
// hold the transfer or the push past the context.
func TestTransferContext(t *testing.T) {
	release := make(chan struct{})
	addr := fakeServer(t, func(q *dns.Msg, send func(*dns.Msg)) {
		send(answer(q, rrs(t, soaLine))) // then silence
		<-release
	})
	defer close(release)
	p, err := rfc2136.New(&config.Provider{Type: "rfc2136", Server: addr})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 200*time.Millisecond)
		}, context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := tc.ctx()
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := p.Records(ctx, origin)
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, tc.want) {
					t.Errorf("got %v, want %v", err, tc.want)
				}
			case <-time.After(20 * time.Second): // the provider's own timeout is 30 s
				t.Fatal("the transfer did not end with its context")
			}
		})
	}
}

// TestUpdateContext: an UPDATE the server never answers ends with the
// context, as the context's error (not "unreachable").
func TestUpdateContext(t *testing.T) {
	release := make(chan struct{})
	addr := fakeServer(t, func(q *dns.Msg, send func(*dns.Msg)) { <-release })
	defer close(release)
	p, err := rfc2136.New(&config.Provider{Type: "rfc2136", Server: addr})
	if err != nil {
		t.Fatal(err)
	}
	rr, _ := dns.NewRR("www.example.com. 300 IN A 192.0.2.1")
	set, _ := zone.NewRRSet([]dns.RR{rr})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := p.Apply(ctx, origin, []provider.Change{{Action: provider.Create, Name: set.Name, Type: set.Type, New: set}})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, provider.ErrUnavailable) {
			t.Errorf("got %v, want the context's deadline", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the UPDATE did not end with its context")
	}
}

// TestTransferTSIGFaults: with a key, every message of a transfer must be
// signed and verify in sequence (RFC 8945 §5.3.1); an unsigned or forged
// message in the middle is an error, not part of the zone.
func TestTransferTSIGFaults(t *testing.T) {
	body := []string{"example.com. 300 IN NS ns1.example.com.", "ns1.example.com. 300 IN A 192.0.2.53"}
	// serve signs the messages of a transfer; sign[i] false leaves message
	// i unsigned, forge[i] signs it with another secret.
	serve := func(sign, forge []bool) func(q *dns.Msg, w net.Conn) {
		return func(q *dns.Msg, w net.Conn) {
			if q.IsTsig() == nil { // the provider's plain SOA query after a refusal
				m := answer(q, rrs(t, soaLine))
				out, _ := m.Pack()
				w.Write(append([]byte{byte(len(out) >> 8), byte(len(out))}, out...))
				return
			}
			msgs := [][]string{{soaLine}, body, {"www.example.com. 300 IN A 192.0.2.80", soaLine}}
			mac := q.IsTsig().MAC
			for i, lines := range msgs {
				m := answer(q, rrs(t, lines...))
				var out []byte
				var err error
				if sign[i] {
					secret := key.Secret
					if forge[i] {
						secret = "d3Jvbmctc2VjcmV0LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNA=="
					}
					m.SetTsig(key.Name, dns.HmacSHA256, 300, time.Now().Unix())
					out, mac, err = dns.TsigGenerate(m, secret, mac, i > 0)
				} else {
					out, err = m.Pack()
				}
				if err != nil {
					t.Error(err)
					return
				}
				w.Write(append([]byte{byte(len(out) >> 8), byte(len(out))}, out...))
			}
		}
	}
	for _, tc := range []struct {
		name        string
		sign, forge []bool
		want        string
	}{
		{"all signed", []bool{true, true, true}, []bool{false, false, false}, ""},
		{"middle message unsigned", []bool{true, false, true}, []bool{false, false, false}, "not TSIG-signed"},
		{"last message forged", []bool{true, true, true}, []bool{false, false, true}, "TSIG"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := rawServer(t, serve(tc.sign, tc.forge))
			p := newProvider(t, addr, key.Secret)
			z, err := p.Records(context.Background(), origin)
			if tc.want == "" {
				if err != nil || z.Get("www.example.com.", dns.TypeA) == nil {
					t.Fatalf("signed transfer: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// rawServer is fakeServer that writes raw bytes (for signed messages).
func rawServer(t *testing.T, script func(q *dns.Msg, w net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				q, err := (&dns.Conn{Conn: c, TsigSecret: map[string]string{key.Name: key.Secret}}).ReadMsg()
				if err != nil {
					return
				}
				script(q, c)
			}()
		}
	}()
	return ln.Addr().String()
}
