package parity

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// A tiny resolver on loopback that knows one name: the test asserts that
// server names go to it and nowhere else.
func startResolver(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := dns.NewServeMux()
	mux.HandleFunc(".", func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		if q := r.Question[0]; q.Name == "ns1.old.example." && q.Qtype == dns.TypeA {
			rr, _ := dns.NewRR("ns1.old.example. 60 IN A 127.0.0.9")
			m.Answer = append(m.Answer, rr)
		} else if q.Name != "ns1.old.example." {
			m.Rcode = dns.RcodeNameError
		}
		_ = w.WriteMsg(m)
	})
	srv := &dns.Server{PacketConn: pc, Handler: mux}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return pc.LocalAddr().String()
}

func TestResolveTargetsNeverSystemResolver(t *testing.T) {
	res := startResolver(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		targets  []Target
		resolver string
		want     []string
		wantErr  string
	}{
		{"address", []Target{{Addr: "127.0.0.5"}}, "", []string{"127.0.0.5:53"}, ""},
		{"address and port", []Target{{Addr: "127.0.0.5:5353"}}, "", []string{"127.0.0.5:5353"}, ""},
		{"name without resolver", []Target{{Addr: "localhost"}}, "", nil, "never uses the system resolver"},
		{"name through resolver", []Target{{Addr: "ns1.old.example:5300"}}, res, []string{"127.0.0.9:5300"}, ""},
		{"unknown name", []Target{{Addr: "nope.example"}}, res, nil, "knows no address"},
		{"bad port", []Target{{Addr: "127.0.0.5:99999"}}, "", nil, "bad port"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolveTargets(ctx, nil, "old", tc.targets, tc.resolver, time.Second)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to say %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var addrs []string
			for _, s := range got {
				addrs = append(addrs, s.Addr)
			}
			if strings.Join(addrs, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("addrs = %v, want %v", addrs, tc.want)
			}
		})
	}
}
