package query_test

import (
	"net"
	"sync"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// udpTCP serves one loopback port over UDP and TCP: each UDP question
// gets the datagrams udp returns (as sent: cut or several), each TCP
// question the messages tcp returns. It returns the address.
func udpTCP(t *testing.T, udp func(q *dns.Msg) [][]byte, tcp func(q *dns.Msg) []*dns.Msg) string {
	t.Helper()
	var ln net.Listener
	var pc net.PacketConn
	for i := 0; ; i++ {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if pc, err = net.ListenPacket("udp", ln.Addr().String()); err == nil {
			break
		}
		ln.Close()
		if i == 20 {
			t.Fatalf("no port free for both UDP and TCP: %v", err)
		}
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { pc.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			q := new(dns.Msg)
			if q.Unpack(buf[:n]) != nil || len(q.Question) != 1 {
				continue
			}
			for _, out := range udp(q) {
				pc.WriteTo(out, from)
			}
		}
	}()
	transfertest.ServeListener(t, ln, func(c net.Conn) {
		dc := &dns.Conn{Conn: c}
		q, err := dc.ReadMsg()
		if err != nil || len(q.Question) != 1 {
			return
		}
		for _, m := range tcp(q) {
			dc.WriteMsg(m)
		}
	})
	return ln.Addr().String()
}

// packed is each message packed.
func packed(ms ...*dns.Msg) [][]byte {
	var out [][]byte
	for _, m := range ms {
		b, _ := m.Pack()
		out = append(out, b)
	}
	return out
}
