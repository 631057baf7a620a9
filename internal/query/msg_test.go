package query

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// A UDP server on loopback that misbehaves as told: the client must take
// only a response (QR) to its own ID and question, and fall back to TCP on
// truncation.
func msgServer(t *testing.T, mode string) string {
	t.Helper()
	// A free UDP port whose TCP twin is free too: other processes on the
	// machine may hold the TCP port of the UDP port the kernel picks.
	var pc net.PacketConn
	var tl net.Listener
	var addr string
	for try := 0; ; try++ {
		var err error
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		addr = pc.LocalAddr().String()
		if tl, err = net.Listen("tcp", addr); err == nil {
			break
		}
		pc.Close()
		if try == 20 {
			t.Fatal(err)
		}
	}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		rr, _ := dns.NewRR(r.Question[0].Name + " 60 IN A 127.0.0.7")
		m.Answer = append(m.Answer, rr)
		_, tcp := w.RemoteAddr().(*net.TCPAddr)
		// What the query was: the transport and its OPT record, in a TXT.
		how := fmt.Sprintf("tcp=%v edns=%v", tcp, r.IsEdns0() != nil)
		if o := r.IsEdns0(); o != nil {
			how += fmt.Sprintf(" size=%d", o.UDPSize())
		}
		m.Extra = append(m.Extra, &dns.TXT{Hdr: dns.RR_Header{Name: "how.", Rrtype: dns.TypeTXT, Class: dns.ClassINET}, Txt: []string{how}})
		switch {
		case mode == "no-qr":
			m.Response = false
		case mode == "other-id":
			m.Id = r.Id + 1
		case mode == "other-question":
			m.Question[0].Name = "other.example."
		case mode == "truncated" && !tcp:
			m.Answer = nil
			m.Truncated = true
		}
		_ = w.WriteMsg(m)
	})
	us := &dns.Server{PacketConn: pc, Handler: h}
	ts := &dns.Server{Listener: tl, Handler: h}
	go func() { _ = us.ActivateAndServe() }()
	go func() { _ = ts.ActivateAndServe() }()
	t.Cleanup(func() { _ = us.Shutdown(); _ = ts.Shutdown() })
	return addr
}

func TestMsg(t *testing.T) {
	tests := []struct {
		mode    string
		wantErr string
	}{
		{"good", ""},
		{"truncated", ""}, // the TCP answer has the record
		{"no-qr", "not the response"},
		{"other-id", ""}, // miekg's client drops it; a timeout follows
		{"other-question", "not the response"},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			addr := msgServer(t, tc.mode)
			r, err := Msg(context.Background(), addr, "www.example.", dns.TypeA, MsgOptions{Timeout: 300 * time.Millisecond})
			if tc.mode == "other-id" {
				if err == nil {
					t.Fatalf("a response with another ID was taken: %v", r)
				}
				return
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Answer) != 1 {
				t.Fatalf("answer = %v, want the A record", r.Answer)
			}
		})
	}
}

// The options send exactly the query asked for: over TCP only, without
// an OPT record, with another payload size; the name's case is kept.
func TestMsgOptions(t *testing.T) {
	addr := msgServer(t, "good")
	for _, tc := range []struct {
		o    MsgOptions
		want string
	}{
		{MsgOptions{}, "tcp=false edns=true size=1232"},
		{MsgOptions{TCP: true}, "tcp=true edns=true size=1232"},
		{MsgOptions{NoEDNS: true}, "tcp=false edns=false"},
		{MsgOptions{TCP: true, NoEDNS: true}, "tcp=true edns=false"},
		{MsgOptions{UDPSize: 512}, "tcp=false edns=true size=512"},
	} {
		tc.o.Timeout = time.Second
		r, err := Msg(context.Background(), addr, "WwW.ExAmPlE.", dns.TypeA, tc.o)
		if err != nil {
			t.Fatalf("%+v: %v", tc.o, err)
		}
		var got string
		for _, rr := range r.Extra {
			if txt, ok := rr.(*dns.TXT); ok {
				got = strings.Join(txt.Txt, "")
			}
		}
		if got != tc.want || r.Question[0].Name != "WwW.ExAmPlE." {
			t.Errorf("%+v: the server saw %q for %s, want %q", tc.o, got, r.Question[0].Name, tc.want)
		}
	}
}

func TestMsgContext(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0") // never answers
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Msg(ctx, pc.LocalAddr().String(), "www.example.", dns.TypeA, MsgOptions{Timeout: 5 * time.Second, Tries: 3})
	if err == nil {
		t.Fatal("no error from a silent server")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v: the context was not honoured", d)
	}
}

// TestNamesRefused: a server given by name is refused by every exchange
// path before a socket is opened (Msg, a Client's one question, its
// batched and pooled questions, Route), so no caller can reach the system
// resolver by passing one. "localhost" is in /etc/hosts: through the
// dialer it would reach the test server.
func TestNamesRefused(t *testing.T) {
	addr := msgServer(t, "good")
	_, port, _ := net.SplitHostPort(addr)
	if r, err := Msg(context.Background(), addr, "www.example.", dns.TypeA, MsgOptions{Timeout: time.Second}); err != nil || len(r.Answer) != 1 {
		t.Fatalf("the server by address: %v %v", r, err)
	}
	for _, name := range []string{"localhost:" + port, "localhost", "[localhost]:" + port, "dns.example:53"} {
		ctx := context.Background()
		r, err := Msg(ctx, name, "www.example.", dns.TypeA, MsgOptions{Timeout: time.Second, TCP: strings.HasPrefix(name, "[")})
		if !errors.Is(err, ErrNotAddress) {
			t.Errorf("Msg(%q) = %v, %v; want ErrNotAddress", name, r, err)
		}
		c := &Client{Server: &Server{Addr: name}, Timeout: time.Second}
		if a := c.Exchange(ctx, "www.example.", dns.TypeA); !strings.Contains(a.Err, ErrNotAddress.Error()) || c.Sent() != 0 {
			t.Errorf("Exchange via %q: %+v, %d sent; want the address refused, nothing sent", name, a, c.Sent())
		}
		out := make([]*Answer, 8)
		pc := &Client{Server: &Server{Addr: name}, Timeout: time.Second, Batch: true, Pool: NewPool(name, 2)}
		pc.AskAll(ctx, len(out), func(int) (string, uint16) { return "www.example.", dns.TypeA }, out, 8)
		for i, a := range out {
			if a == nil || !strings.Contains(a.Err, ErrNotAddress.Error()) {
				t.Errorf("AskAll via %q: answer %d %+v; want the address refused", name, i, a)
			}
		}
		if err := Route(ctx, name); !errors.Is(err, ErrNotAddress) {
			t.Errorf("Route(%q) = %v, want ErrNotAddress", name, err)
		}
	}
}

// TestHost: the IP of an IP:port, the address itself without a port.
func TestHost(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1:53":     "192.0.2.1",
		"192.0.2.1":        "192.0.2.1",
		"[2001:db8::1]:53": "2001:db8::1",
		"2001:db8::1":      "2001:db8::1",
	} {
		if got := Host(in); got != want {
			t.Errorf("Host(%q) = %q, want %q", in, got, want)
		}
	}
}
