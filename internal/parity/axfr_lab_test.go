package parity_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// faultyFront stands in front of a real server (backend) on one loopback
// port, UDP and TCP: it relays every question and its answer unchanged,
// except a zone transfer, which it reads completely from the backend and
// hands on as mode says: "complete", "opening-soa" (the opening SOA, then
// the connection ends), "no-closing-soa" (everything but the closing SOA,
// then the connection ends), "no-qr" (first a message without the QR
// bit holding an extra record, then the complete transfer) or "stall"
// (the opening SOA, then silence until the client hangs up).
func faultyFront(t *testing.T, backend, mode string) string {
	t.Helper()
	var ln net.Listener
	var pc net.PacketConn
	for i := 0; ; i++ {
		var err error
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		pc, err = net.ListenPacket("udp", ln.Addr().String())
		if err == nil {
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
	go func() { // UDP: relay
		defer wg.Done()
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			q := append([]byte(nil), buf[:n]...)
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := net.Dial("udp", backend)
				if err != nil {
					return
				}
				defer c.Close()
				c.SetDeadline(time.Now().Add(2 * time.Second))
				c.Write(q)
				r := make([]byte, 65535)
				if n, err := c.Read(r); err == nil {
					pc.WriteTo(r[:n], from)
				}
			}()
		}
	}()
	transfertest.ServeListener(t, ln, func(c net.Conn) { // TCP: relay, or a faulty transfer
		c.SetDeadline(time.Now().Add(10 * time.Second))
		dc := &dns.Conn{Conn: c}
		for {
			q, err := dc.ReadMsg()
			if err != nil {
				return
			}
			if len(q.Question) == 1 && q.Question[0].Qtype == dns.TypeAXFR {
				frontAXFR(t, backend, mode, q, c)
				return
			}
			r, _, err := (&dns.Client{Net: "tcp", Timeout: 2 * time.Second}).Exchange(q, backend)
			if err != nil {
				return
			}
			dc.WriteMsg(r)
		}
	})
	return ln.Addr().String()
}

// frontAXFR transfers the zone from backend (miekg/dns's reader, not the
// one under test) and writes it to w as mode says.
func frontAXFR(t *testing.T, backend, mode string, q *dns.Msg, c net.Conn) {
	m := new(dns.Msg)
	m.SetAxfr(q.Question[0].Name)
	ch, err := (&dns.Transfer{ReadTimeout: 5 * time.Second}).In(m, backend)
	if err != nil {
		t.Errorf("front: AXFR from %s: %v", backend, err)
		return
	}
	var all []dns.RR
	for env := range ch {
		if env.Error != nil {
			t.Errorf("front: AXFR from %s: %v", backend, env.Error)
			return
		}
		all = append(all, env.RR...)
	}
	send := func(rrs []dns.RR, qr bool) {
		r := new(dns.Msg)
		r.SetReply(q)
		r.Response = qr
		r.Authoritative = true
		r.Answer = rrs
		out, err := r.Pack()
		if err != nil {
			t.Errorf("front: %v", err)
			return
		}
		transfertest.WriteRaw(c, out)
	}
	switch mode {
	case "complete":
		send(all, true)
	case "opening-soa":
		send(all[:1], true)
	case "no-closing-soa":
		send(all[:len(all)-1], true)
	case "stall":
		send(all[:1], true)
		c.SetDeadline(time.Time{}) // until the client hangs up, or the test ends
		io.Copy(io.Discard, c)
	case "no-qr":
		evil, _ := dns.NewRR("evil." + origin + " 300 IN A 203.0.113.66")
		send([]dns.RR{all[0], evil, all[len(all)-1]}, false)
		send(all, true)
	default:
		t.Errorf("front: unknown mode %q", mode)
	}
}

// TestParityAXFRTruncated: under --axfr, a transfer from the new side that
// ends before its closing SOA (or after the opening SOA alone) stops the
// run with an *AXFRError that says why, never a silent pass; a message
// without the QR bit is not taken for the transfer. Both sides serve one
// record git lacks: a complete transfer from new says it is on both.
func TestParityAXFRTruncated(t *testing.T) {
	lab.Require(t, "named")
	text := fixture(t)
	z := loadText(t, text)
	backend := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text + "extra IN A 192.0.2.200\n"}}}).Addr
	for _, c := range []struct {
		mode  string
		fail  string // words of the *AXFRError; "" for a complete transfer
		extra string // what the finding at extra.parity.test. says AXFR found
	}{
		{"complete", "", "present on old and new (AXFR), not in git"},
		{"opening-soa", "incomplete transfer: 1 records and no closing SOA", ""},
		{"no-closing-soa", "and no closing SOA", ""},
		{"no-qr", "", "present on old and new (AXFR), not in git"},
	} {
		t.Run(c.mode, func(t *testing.T) {
			front := faultyFront(t, backend, c.mode)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			rep, err := parity.Run(ctx, z, []parity.Target{{Addr: backend}}, []parity.Target{{Addr: front}},
				parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8, AXFR: true})
			if c.fail != "" {
				var ae *parity.AXFRError
				if !errors.As(err, &ae) || ae.Side != "new" || !strings.Contains(err.Error(), "no new server gave a complete zone transfer") ||
					!strings.Contains(err.Error(), c.fail) || !strings.Contains(err.Error(), "nothing is proven") {
					t.Fatalf("Run: %v; want an AXFRError with %q", err, c.fail)
				}
				return
			}
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			var extra bool
			for _, f := range rep.Findings {
				switch {
				case f.Name == "extra."+origin && f.Type == "A" && f.Kind == "git-drift":
					if !strings.Contains(f.Detail, c.extra) {
						t.Errorf("extra.%s A: %s; want %q", origin, f.Detail, c.extra)
					}
					extra = true
				case strings.HasPrefix(f.Name, "evil."):
					t.Errorf("a record from a message without QR was taken in: %s %s: %s", f.Name, f.Type, f.Detail)
				case f.Severity != "info":
					t.Errorf("unexpected %s %s at %s %s: %s", f.Severity, f.Kind, f.Name, f.Type, f.Detail)
				}
			}
			if !extra {
				t.Errorf("no git-drift finding at extra.%s A", origin)
			}
			if t.Failed() {
				dump(t, rep)
			}
		})
	}
}

// TestParityAXFRContext: a transfer that stalls after its opening SOA
// does not hold the run past its context (the read timeout, five times
// --timeout, is far longer).
func TestParityAXFRContext(t *testing.T) {
	lab.Require(t, "named")
	text := fixture(t)
	z := loadText(t, text)
	backend := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}}).Addr
	front := faultyFront(t, backend, "stall")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(500*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() {
		_, err := parity.Run(ctx, z, []parity.Target{{Addr: backend}}, []parity.Target{{Addr: front}},
			parity.Options{Timeout: 4 * time.Second, Retries: 0, AXFR: true})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	case <-time.After(15 * time.Second): // the read timeout is 20 s
		t.Fatal("the stalled transfer held the run past its context")
	}
}

// TestParityAXFRBINDSigned: the old side is a BIND signing the zone
// (dnssec-policy, inline-signing), the new side an unsigned Knot, both
// serving the zone file exactly. BIND's transfer holds its signing state
// at the apex, a record of the private type 65534 that it makes as it
// makes RRSIG and NSEC, and serves; asked as data, it was a finding that
// only the old side serves parity.test. TYPE65534, one git lacks: every
// run with axfr on from a signed BIND failed.
func TestParityAXFRBINDSigned(t *testing.T) {
	lab.Require(t, "named", "knotd")
	text := "$ORIGIN parity.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.80\n"
	z := loadText(t, text)
	old := lab.BIND(t, lab.Options{Signing: true, Zones: []lab.Zone{{Origin: origin, Text: text}}}).Addr
	nw := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}}).Addr
	rep, err := parity.Run(context.Background(), z, []parity.Target{{Addr: old}}, []parity.Target{{Addr: nw}},
		parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8, AXFR: true})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	for _, f := range rep.Findings {
		if f.Type == "TYPE65534" || strings.Contains(f.Detail, "TYPE65534") {
			t.Errorf("finding on BIND's signing state: %+v", f)
		}
	}
	if !rep.OK() {
		t.Errorf("parity of a signed BIND and an unsigned Knot serving the same zone file, by AXFR: %+v", rep.Findings)
	}
}
