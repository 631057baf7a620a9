package transfer_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// key signs the transfers of TestAXFRTSIGFaults.
var key = &transfer.Key{Name: "transfer-key.", Algorithm: dns.HmacSHA256, Secret: "c2VjcmV0LWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ="}

const (
	origin  = "example.com."
	soaLine = "example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 7 3600 600 1209600 300"
)

// rawServer is a server on loopback that hands each query (its TSIG read
// with key) and the connection to script.
func rawServer(t *testing.T, script func(q *dns.Msg, w net.Conn)) string {
	return transfertest.ServeQuery(t, map[string]string{key.Name: key.Secret}, script)
}

// TestAXFRFaults: a transfer is complete only with its closing SOA;
// answers without QR or with another ID are discarded, not taken in.
func TestAXFRFaults(t *testing.T) {
	body := []string{"example.com. 300 IN NS ns1.example.com.", "ns1.example.com. 300 IN A 192.0.2.53", "www.example.com. 300 IN A 192.0.2.80"}
	cases := []struct {
		name      string
		script    func(t *testing.T, q *dns.Msg, send func(*dns.Msg))
		want      string // error text; "" for a complete transfer
		discarded int
	}{
		{name: "complete, one message", script: func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(transfertest.Answer(q, transfertest.RRs(t, append(append([]string{soaLine}, body...), soaLine)...)))
		}},
		{name: "complete, one record per message", script: func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			for _, l := range append(append([]string{soaLine}, body...), soaLine) {
				send(transfertest.Answer(q, transfertest.RRs(t, l)))
			}
		}},
		{name: "opening SOA only, then the connection ends", script: func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(transfertest.Answer(q, transfertest.RRs(t, soaLine)))
		}, want: "incomplete transfer: 1 records and no closing SOA"},
		{name: "ends half-way without the closing SOA", script: func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(transfertest.Answer(q, transfertest.RRs(t, append([]string{soaLine}, body...)...)))
		}, want: "incomplete transfer: 4 records and no closing SOA"},
		{name: "messages without QR or with another ID are discarded", script: func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			evil := transfertest.RRs(t, soaLine, "evil.example.com. 300 IN A 203.0.113.66", soaLine)
			noQR := transfertest.Answer(q, evil)
			noQR.Response = false
			send(noQR)
			other := transfertest.Answer(q, evil)
			other.Id = q.Id + 1
			send(other)
			send(transfertest.Answer(q, transfertest.RRs(t, soaLine)))
			send(other)
			send(transfertest.Answer(q, transfertest.RRs(t, append(body, soaLine)...)))
		}, discarded: 3},
		{name: "does not start with the SOA", script: func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(transfertest.Answer(q, transfertest.RRs(t, append(body, soaLine)...)))
		}, want: "does not start with the zone's SOA"},
		{name: "records after the closing SOA", script: func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(transfertest.Answer(q, transfertest.RRs(t, soaLine, body[0], soaLine, body[1])))
		}, want: "records after the closing SOA"},
		{name: "refused", script: func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			m := transfertest.Answer(q, nil)
			m.Rcode = dns.RcodeRefused
			send(m)
		}, want: "server answered REFUSED"},
		{name: "empty answer", script: func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(transfertest.Answer(q, nil))
		}, want: "empty answer to AXFR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := transfertest.Script(t, func(q *dns.Msg, send func(*dns.Msg)) { tc.script(t, q, send) })
			c, err := transfer.Dial(context.Background(), addr, transfer.Options{Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			got, err := c.AXFR(context.Background(), origin)
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %d records, %v; want an error with %q", len(got), err, tc.want)
				}
				if strings.Contains(tc.want, "incomplete") && !errors.Is(err, transfer.ErrIncomplete) {
					t.Errorf("%v does not wrap ErrIncomplete", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, rr := range got {
				names = append(names, rr.Header().Name+" "+dns.TypeToString[rr.Header().Rrtype])
			}
			want := "example.com. SOA|example.com. NS|ns1.example.com. A|www.example.com. A"
			if strings.Join(names, "|") != want {
				t.Errorf("transferred %v, want %s (closing SOA left out)", names, want)
			}
			if c.Discarded() != tc.discarded {
				t.Errorf("discarded %d answers, want %d", c.Discarded(), tc.discarded)
			}
		})
	}
}

// TestAXFRContext: a server that sends the opening SOA and then nothing
// does not hold the transfer past its context (the read timeout is far
// longer).
func TestAXFRContext(t *testing.T) {
	release := make(chan struct{})
	addr := transfertest.Script(t, func(q *dns.Msg, send func(*dns.Msg)) {
		send(transfertest.Answer(q, transfertest.RRs(t, soaLine))) // then silence
		<-release
	})
	defer close(release)
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
				_, err := transfer.AXFR(ctx, addr, origin, transfer.Options{Timeout: time.Minute})
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, tc.want) {
					t.Errorf("got %v, want %v", err, tc.want)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the transfer did not end with its context")
			}
		})
	}
}

// TestAXFRTSIGFaults: with a key, every message of a transfer must be
// signed and verify in sequence (RFC 8945 §5.3.1); an unsigned or forged
// message in the middle is an error, not part of the zone.
func TestAXFRTSIGFaults(t *testing.T) {
	body := []string{"example.com. 300 IN NS ns1.example.com.", "ns1.example.com. 300 IN A 192.0.2.53"}
	// serve signs the messages of a transfer; sign[i] false leaves message
	// i unsigned, forge[i] signs it with another secret.
	serve := func(sign, forge []bool) func(q *dns.Msg, w net.Conn) {
		return func(q *dns.Msg, w net.Conn) {
			msgs := [][]string{{soaLine}, body, {"www.example.com. 300 IN A 192.0.2.80", soaLine}}
			mac := q.IsTsig().MAC
			for i, lines := range msgs {
				m := transfertest.Answer(q, transfertest.RRs(t, lines...))
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
				transfertest.WriteRaw(w, out)
			}
		}
	}
	for _, tc := range []struct {
		name        string
		sign, forge []bool
		want        string
	}{
		{"all signed", []bool{true, true, true}, []bool{false, false, false}, ""},
		{"first message unsigned", []bool{false, true, true}, []bool{false, false, false}, "not TSIG-signed"},
		{"middle message unsigned", []bool{true, false, true}, []bool{false, false, false}, "message 2 of the transfer: answer is not TSIG-signed"},
		{"last message forged", []bool{true, true, true}, []bool{false, false, true}, "message 3 of the transfer: answer's TSIG does not verify"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := rawServer(t, serve(tc.sign, tc.forge))
			got, err := transfer.AXFR(context.Background(), addr, origin, transfer.Options{Key: key, Timeout: 5 * time.Second})
			if tc.want == "" {
				if err != nil || len(got) != 4 {
					t.Fatalf("signed transfer: %d records, %v", len(got), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %d records, %v; want an error with %q", len(got), err, tc.want)
			}
		})
	}
}
