// Package transfertest holds the hand-written DNS-over-TCP servers that
// tests use for fault injection (truncated transfers, unsigned or forged
// messages, slow links): one accept loop, cleaned up with the test.
package transfertest

import (
	"net"
	"sync"
	"testing"

	"github.com/miekg/dns"
)

// Serve listens on a free TCP port of 127.0.0.1 and returns its address;
// see ServeListener.
func Serve(t testing.TB, handle func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ServeListener(t, ln, handle)
	return ln.Addr().String()
}

// ServeListener runs handle for each connection ln accepts, in a goroutine
// of its own, and closes the connection after. When the test ends, ln
// and every open connection are closed and the handlers waited for.
func ServeListener(t testing.TB, ln net.Listener, handle func(c net.Conn)) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
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
			conns[c] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					c.Close()
					mu.Lock()
					delete(conns, c)
					mu.Unlock()
				}()
				handle(c)
			}()
		}
	}()
}

// ServeQuery is Serve that reads the first query of each connection (its
// TSIG checked against secrets, name → base64, when it is signed) and
// hands it to script with the connection to write the answers to.
func ServeQuery(t testing.TB, secrets map[string]string, script func(q *dns.Msg, c net.Conn)) string {
	t.Helper()
	return Serve(t, func(c net.Conn) {
		q, err := (&dns.Conn{Conn: c, TsigSecret: secrets}).ReadMsg()
		if err != nil {
			return
		}
		script(q, c)
	})
}

// Script is ServeQuery for scripts that write whole messages, unsigned.
func Script(t testing.TB, script func(q *dns.Msg, send func(*dns.Msg))) string {
	t.Helper()
	return ServeQuery(t, nil, func(q *dns.Msg, c net.Conn) {
		dc := &dns.Conn{Conn: c}
		script(q, func(m *dns.Msg) { dc.WriteMsg(m) })
	})
}

// WriteRaw writes one message as packed (signed, forged, …) with its TCP
// length prefix.
func WriteRaw(c net.Conn, out []byte) error {
	_, err := c.Write(append([]byte{byte(len(out) >> 8), byte(len(out))}, out...))
	return err
}

// RRs parses records in presentation form.
func RRs(t testing.TB, lines ...string) []dns.RR {
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

// Answer is an authoritative answer to q holding rrs.
func Answer(q *dns.Msg, rrs []dns.RR) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(q)
	m.Authoritative = true
	m.Answer = rrs
	return m
}
