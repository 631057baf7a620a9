package dnssec_test

import (
	"context"
	"net"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestGateHeldDSAsksOnce: with a DS at the parent and a held DS set
// (Input.Held) both judged, the gate asks each server each question once,
// as many queries as with the parent's DS set alone. Counted by a proxy
// in front of each Knot server (UDP and TCP).
func TestGateHeldDSAsksOnce(t *testing.T) {
	a := newSigner(t, origin) // the old provider's keys
	b := newSigner(t, origin) // the new provider's keys
	newP := countingProxy(t, serve(t, "knot", b.sign(t, zoneText, signOpts{extraKeys: a.keys(t)})))
	oldP := countingProxy(t, serve(t, "knot", a.sign(t, zoneText, signOpts{extraKeys: b.keys(t)})))
	ds := []string{a.ds(t, "2"), b.ds(t, "2")}
	run := func(held []string) (newQ, oldQ map[string]int) {
		newP.reset()
		oldP.reset()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		now := time.Now()
		res, err := dnssec.Gate(ctx, dnssec.Input{Zone: origin, DS: ds, DSTTL: 3600, NSTTL: 7200, MaxTTL: 300,
			Held:    []dnssec.HeldDS{{DS: held, Until: now.Add(time.Hour)}},
			Servers: []string{newP.addr}, Other: []string{oldP.addr}, Sample: samples, EmptyNonTerminal: ent, Timeout: 2 * time.Second, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK || res.Situation != dnssec.SignedMatch {
			t.Fatalf("ok=%v %s: %s", res.OK, res.Situation, res.Detail)
		}
		return newP.counts(), oldP.counts()
	}
	alone, aloneOld := run(nil)
	both, bothOld := run([]string{b.ds(t, "2")}) // the parent served the new side's DS alone until lately
	t.Logf("queries with the parent's DS set alone: new side %d, old side %d; with a held DS set too: new side %d, old side %d",
		total(alone), total(aloneOld), total(both), total(bothOld))
	for _, c := range []struct {
		side        string
		alone, both map[string]int
	}{{"new", alone, both}, {"old", aloneOld, bothOld}} {
		if total(c.both) != total(c.alone) {
			t.Errorf("%s side: %d queries with a held DS set, %d without", c.side, total(c.both), total(c.alone))
		}
		var twice []string
		for q, n := range c.both {
			if n > 1 {
				twice = append(twice, q)
			}
		}
		sort.Strings(twice)
		if len(twice) > 0 {
			t.Errorf("%s side: asked more than once: %q", c.side, twice)
		}
	}
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// proxy forwards every query it gets over UDP or TCP to one upstream
// server over the same transport and counts them by transport and
// question.
type proxy struct {
	addr string
	mu   sync.Mutex
	n    map[string]int
}

func (p *proxy) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n = map[string]int{}
}

func (p *proxy) counts() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for k, v := range p.n {
		out[k] = v
	}
	return out
}

func countingProxy(t *testing.T, upstream string) *proxy {
	t.Helper()
	// A loopback address of the lab's own, port 53 over UDP and TCP: an
	// ephemeral UDP port's number may be taken over TCP by another process.
	at := net.JoinHostPort(lab.Addr(t), "53")
	pc, err := net.ListenPacket("udp", at)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", at)
	if err != nil {
		pc.Close()
		t.Fatal(err)
	}
	p := &proxy{addr: pc.LocalAddr().String(), n: map[string]int{}}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		netw := w.LocalAddr().Network()
		if len(r.Question) == 1 {
			q := r.Question[0]
			p.mu.Lock()
			p.n[netw+" "+q.Name+" "+dns.Type(q.Qtype).String()]++
			p.mu.Unlock()
		}
		c := &dns.Client{Net: netw, Timeout: 2 * time.Second, UDPSize: 65535}
		resp, _, err := c.Exchange(r, upstream)
		if err != nil {
			m := new(dns.Msg)
			m.SetRcode(r, dns.RcodeServerFailure)
			resp = m
		}
		_ = w.WriteMsg(resp)
	})
	udp := &dns.Server{PacketConn: pc, Handler: h}
	tcp := &dns.Server{Listener: l, Handler: h}
	go func() { _ = udp.ActivateAndServe() }()
	go func() { _ = tcp.ActivateAndServe() }()
	t.Cleanup(func() {
		_ = udp.Shutdown()
		_ = tcp.Shutdown()
	})
	return p
}
