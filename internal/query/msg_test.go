package query

import (
	"context"
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
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	tl, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		rr, _ := dns.NewRR(r.Question[0].Name + " 60 IN A 127.0.0.7")
		m.Answer = append(m.Answer, rr)
		_, tcp := w.RemoteAddr().(*net.TCPAddr)
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
