package parity_test

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// wholeOverUDP is a server that ignores the EDNS payload size asked: a
// UDP relay in front of upstream that asks it each question over TCP and
// sends the whole answer back in one datagram, whatever its size (BIND,
// Knot and PowerDNS all cap UDP answers at 1232 octets by default).
func wholeOverUDP(t *testing.T, upstream string) string {
	return udpRelay(t, upstream, nil)
}

// udpRelay listens on a lab address (UDP only), asks upstream each
// question over TCP, lets change rewrite the response (with the question
// and a function that asks upstream another question), and sends it back
// whole in one datagram.
func udpRelay(t *testing.T, upstream string, change func(q, r *dns.Msg, ask func(name string, t uint16) *dns.Msg)) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", net.JoinHostPort(lab.Addr(t), "0"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { pc.Close(); wg.Wait() })
	c := &dns.Client{Net: "tcp", Timeout: 2 * time.Second}
	ask := func(name string, qt uint16) *dns.Msg {
		m := new(dns.Msg)
		m.SetQuestion(name, qt)
		m.SetEdns0(1232, true)
		r, _, err := c.Exchange(m, upstream)
		if err != nil {
			return nil
		}
		return r
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			buf := make([]byte, 65535)
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			q := new(dns.Msg)
			if q.Unpack(buf[:n]) != nil || len(q.Question) != 1 {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, _, err := c.Exchange(q, upstream)
				if err != nil {
					return
				}
				if change != nil {
					change(q, r, ask)
				}
				if b, err := r.Pack(); err == nil {
					pc.WriteTo(b, from)
				}
			}()
		}
	}()
	return pc.LocalAddr().String()
}

// TestParityOversizeLab: an old server that sends UDP answers larger
// than the 1232 octets the query allowed (wholeOverUDP in front of Knot:
// a 2,500-octet TXT RRset in one datagram instead of TC) is one udp-size warning naming
// the server and the question, not an error: resolvers that get the
// datagram see the same data, those behind a path that drops fragments
// never get it. On the code before: nothing (parity held in silence).
func TestParityOversizeLab(t *testing.T) {
	lab.Require(t, "knotd", "named")
	var big strings.Builder
	for i := 0; i < 12; i++ {
		big.WriteString(`big IN TXT "` + strings.Repeat(string(rune('a'+i)), 200) + "\"\n")
	}
	text := fixture(t) + big.String()
	z := loadText(t, text)
	old := wholeOverUDP(t, serve(t, "knot", text))
	rep := run(t, z, []string{old}, []string{serve(t, "bind", text)})
	var got []parity.Finding
	for _, f := range rep.Findings {
		if f.Severity == parity.SevError {
			t.Errorf("error %s %s %s: %s", f.Kind, f.Name, f.Type, f.Detail)
		}
		if f.Kind == "udp-size" {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		dump(t, rep)
		t.Fatalf("%d udp-size findings, want one", len(got))
	}
	f := got[0]
	if f.Severity != parity.SevWarning || f.Name != "big.parity.test." || f.Type != "TXT" || f.Line == 0 ||
		!strings.Contains(f.Detail, "old server "+old) || !strings.Contains(f.Detail, "big.parity.test. TXT (") {
		t.Errorf("%s %s %s %s (%s): %s", f.Severity, f.Kind, f.Name, f.Type, f.Pos(), f.Detail)
	}
	if testing.Verbose() {
		dump(t, rep)
	}
}
