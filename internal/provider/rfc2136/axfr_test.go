package rfc2136_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const soaLine = "example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 7 3600 600 1209600 300"

// TestTransferFaults: the provider reads zones through the strict reader
// of internal/transfer (whose own tests hold every fault): a transfer
// without its closing SOA is an error from Records and Transfer, not a
// smaller zone, and records in answers without QR are not taken in.
func TestTransferFaults(t *testing.T) {
	body := []string{"example.com. 300 IN NS ns1.example.com.", "ns1.example.com. 300 IN A 192.0.2.53", "www.example.com. 300 IN A 192.0.2.80"}
	cases := []struct {
		name   string
		script func(t *testing.T, q *dns.Msg, send func(*dns.Msg))
		want   string // error text; "" for a complete transfer
	}{
		{"complete, one record per message", func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			for _, l := range append(append([]string{soaLine}, body...), soaLine) {
				send(transfertest.Answer(q, transfertest.RRs(t, l)))
			}
		}, ""},
		{"opening SOA only, then the connection ends", func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			send(transfertest.Answer(q, transfertest.RRs(t, soaLine)))
		}, "incomplete transfer"},
		{"messages without QR are discarded", func(t *testing.T, q *dns.Msg, send func(*dns.Msg)) {
			noQR := transfertest.Answer(q, transfertest.RRs(t, soaLine, "evil.example.com. 300 IN A 203.0.113.66", soaLine))
			noQR.Response = false
			send(noQR)
			send(transfertest.Answer(q, transfertest.RRs(t, append(append([]string{soaLine}, body...), soaLine)...)))
		}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := transfertest.Script(t, func(q *dns.Msg, send func(*dns.Msg)) { tc.script(t, q, send) })
			p, err := rfc2136.New(&config.Provider{Type: "rfc2136", Settings: &rfc2136.Settings{Server: addr}})
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

// TestTransferContext: a server that sends the opening SOA and then
// nothing does not hold Records past its context (the reader's own
// cancel and deadline cases are in internal/transfer).
func TestTransferContext(t *testing.T) {
	release := make(chan struct{})
	addr := transfertest.Script(t, func(q *dns.Msg, send func(*dns.Msg)) {
		send(transfertest.Answer(q, transfertest.RRs(t, soaLine))) // then silence
		<-release
	})
	defer close(release)
	p, err := rfc2136.New(&config.Provider{Type: "rfc2136", Settings: &rfc2136.Settings{Server: addr}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := p.Records(ctx, origin)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want the context's deadline", err)
		}
	case <-time.After(20 * time.Second): // the provider's own timeout is 30 s
		t.Fatal("the transfer did not end with its context")
	}
}

// TestUpdateContext: an UPDATE the server never answers ends with the
// context, as the context's error (not "unreachable").
func TestUpdateContext(t *testing.T) {
	release := make(chan struct{})
	addr := transfertest.Script(t, func(q *dns.Msg, send func(*dns.Msg)) { <-release })
	defer close(release)
	p, err := rfc2136.New(&config.Provider{Type: "rfc2136", Settings: &rfc2136.Settings{Server: addr}})
	if err != nil {
		t.Fatal(err)
	}
	rr, _ := dns.NewRR("www.example.com. 300 IN A 192.0.2.1")
	set, _ := zone.NewRRSet([]dns.RR{rr})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := p.Apply(ctx, origin, []provider.Change{{Action: provider.Create, Name: set.Name, Type: set.Type, New: set}}, nil)
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
