package cutover

import (
	"bytes"
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// serve answers DNS with h on one loopback port, UDP and TCP (a
// truncated answer is asked again over TCP); it returns "IP:port".
func serve(t *testing.T, h dns.HandlerFunc) string {
	t.Helper()
	return serveOn(t, "127.0.0.1", h)
}

// serveOn is serve on address ip (a port of its choosing).
func serveOn(t *testing.T, ip string, h dns.HandlerFunc) string {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	pc, err := net.ListenPacket("udp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*dns.Server{{Listener: ln, Handler: h}, {PacketConn: pc, Handler: h}} {
		go func() { _ = s.ActivateAndServe() }()
		t.Cleanup(func() { _ = s.Shutdown() })
	}
	return ln.Addr().String()
}

// parentOf answers as the parent's server delegating example.test. to
// ns (a referral, TTL 300) without a DS; it refuses anything else.
func parentOf(ns string) dns.HandlerFunc {
	return func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		switch q := r.Question[0]; {
		case q.Name == "example.test." && q.Qtype == dns.TypeNS:
			m.Ns = []dns.RR{&dns.NS{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 300}, Ns: ns}}
		case q.Name == "example.test." && q.Qtype == dns.TypeDS:
			m.Authoritative = true // no DS
		default:
			m.Rcode = dns.RcodeRefused
		}
		_ = w.WriteMsg(m)
	}
}

// lameSOA answers r with the zone's SOA (mname, serial) without AA: a
// server that serves the same data, no longer with authority.
func lameSOA(w dns.ResponseWriter, r *dns.Msg, mname string, serial uint32) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.Answer = []dns.RR{&dns.SOA{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 60},
		Ns: mname, Mbox: "h.example.test.", Serial: serial, Refresh: 60, Retry: 60, Expire: 60, Minttl: 60}}
	_ = w.WriteMsg(m)
}

// authSOA answers every query of example.test. as its authority would,
// with the SOA of mname and *serial (a negative answer below the apex).
func authSOA(mname string, serial *atomic.Uint32) dns.HandlerFunc {
	return func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		soa := &dns.SOA{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 60},
			Ns: mname, Mbox: "h.example.test.", Serial: serial.Load(), Refresh: 60, Retry: 60, Expire: 60, Minttl: 60}
		q := r.Question[0]
		switch {
		case q.Name == "example.test." && q.Qtype == dns.TypeSOA:
			m.Answer = []dns.RR{soa}
		case q.Name == "example.test." && q.Qtype == dns.TypeNS:
			m.Answer = []dns.RR{&dns.NS{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 60}, Ns: mname}}
		default:
			m.Rcode = dns.RcodeNameError
			m.Ns = []dns.RR{soa}
		}
		w.WriteMsg(m)
	}
}

// TestWatchTargetSerialChanges: the target side changes its SOA serial
// while the watch runs (a push, a provider that bumps it, a signer that
// re-signs): a resolver answering from it still answers from the target,
// and counts as moved, whatever the serial.
func TestWatchTargetSerialChanges(t *testing.T) {
	for _, tt := range []struct {
		name     string
		oldMname string // the new side's is ns1.new.example.test. unless equal
		newMname string
	}{
		{"the sides' SOA MNAMEs differ", "ns1.old.example.test.", "ns1.new.example.test."},
		{"one MNAME, the serials differ", "ns.example.test.", "ns.example.test."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var oldSerial, newSerial atomic.Uint32
			oldSerial.Store(1)
			newSerial.Store(100)
			oldAddr := serve(t, authSOA(tt.oldMname, &oldSerial))
			newAuth := authSOA(tt.newMname, &newSerial)
			newAddr := serve(t, newAuth)
			// The resolver has moved: it answers from the new side,
			// whose serial goes up after its first answer.
			var asked atomic.Int32
			res := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
				newAuth(w, r)
				if asked.Add(1) == 1 {
					newSerial.Add(1)
				}
			})
			z, err := zone.Parse(strings.NewReader("$TTL 60\n@ SOA ns.example.test. h.example.test. 1 60 60 60 60\n@ NS ns1.old.example.test.\n"), "z", "example.test.", "")
			if err != nil {
				t.Fatal(err)
			}
			var progress bytes.Buffer
			c := &Config{Zone: z, Timeout: 2 * time.Second, Now: time.Now, Log: &progress,
				Watch: 3 * time.Second, Interval: 20 * time.Millisecond, Resolvers: []string{res},
				Old: Side{Name: "old", Servers: []string{oldAddr}}, New: Side{Name: "new", Servers: []string{newAddr}}}
			w := watch(context.Background(), c, "new", time.Now(), time.Time{}, heldTTLs{ns: 60}, nil)
			if !w.AllMoved || !w.Resolvers[0].Moved {
				t.Errorf("the resolver answers from the new side (serial bumped during the watch): all_moved %v, %+v\n%s", w.AllMoved, w.Resolvers, progress.String())
			}
		})
	}
}
