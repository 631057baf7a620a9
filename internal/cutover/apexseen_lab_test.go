package cutover

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/delegation"
)

// apexProxy forwards every query (UDP and TCP, one port) to a server
// and counts the zone's apex NS queries without the DO bit (the gates';
// parity asks with it); first, when set, rewrites the answer to the
// first of them.
type apexProxy struct {
	addr  string
	asked atomic.Int32
	mu    sync.Mutex
	first func(*dns.Msg)
}

func newApexProxy(t *testing.T, to, z string) *apexProxy {
	t.Helper()
	p := &apexProxy{}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		network := "udp"
		if _, ok := w.RemoteAddr().(*net.TCPAddr); ok {
			network = "tcp"
		}
		in, _, err := (&dns.Client{Net: network, Timeout: 2 * time.Second}).Exchange(r, to)
		if err != nil {
			return // unanswered, as the server was
		}
		// Parity's own questions (DO set: it compares the signatures
		// too) are its comparison of the data, not a gate's reading of
		// the side's apex NS.
		if q := r.Question[0]; strings.EqualFold(q.Name, z) && q.Qtype == dns.TypeNS && (r.IsEdns0() == nil || !r.IsEdns0().Do()) {
			if p.asked.Add(1) == 1 {
				p.mu.Lock()
				if p.first != nil {
					p.first(in)
				}
				p.mu.Unlock()
			}
		}
		_ = w.WriteMsg(in)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
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
	p.addr = ln.Addr().String()
	return p
}

// TestStepAsksOldApexNSOnceLab: a status or finish step asked each old
// server for the zone's apex NS up to four times (the old side's
// observation; the TTLs served, status's propagation and the delegation
// gate of the rollback status shows; finish's old-unreferenced),
// answers moments apart that its gates judged apart. Now each server is
// asked once per step, and every gate reads that answer. The old server
// sits behind a proxy that counts its apex NS queries. On the code
// before, status asked 4 times, finish twice.
func TestStepAsksOldApexNSOnceLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	c, _, flipped := l.flip(t, ctx)
	// The old side names the new server only, seen by a status run.
	setRRs(t, &c.Old, "example.test. 60 IN NS ns1.new.example.test.")
	if rep := Status(ctx, l.mk()); rep.Result != ResultObserved {
		t.Fatalf("status: %s %v", rep.Result, rep.Errors)
	}
	p := newApexProxy(t, l.old.Addr, "example.test.")
	behind := func(c *Config) *Config {
		c.Old.Servers = []string{p.addr}
		return c
	}

	p.asked.Store(0)
	rep := Status(ctx, behind(l.at(flipped, 10*time.Minute)))
	t.Logf("status: %s, the old server's apex NS asked %d times", rep.Result, p.asked.Load())
	if rep.Result != ResultObserved || rep.Propagation == nil || rep.TTL == nil {
		t.Fatalf("status: %s (propagation %v, ttl %v) %v", rep.Result, rep.Propagation, rep.TTL, rep.Errors)
	}
	if n := p.asked.Load(); n != 1 {
		t.Errorf("status asked the old server for the apex NS %d times, want once", n)
	}

	p.asked.Store(0)
	rep = Finish(ctx, behind(l.at(flipped, 20*time.Minute)))
	t.Logf("finish: %s, the old server's apex NS asked %d times", rep.Result, p.asked.Load())
	if rep.Result != ResultDone {
		t.Fatalf("finish: %s %+v", rep.Result, rep.Gates)
	}
	if n := p.asked.Load(); n != 1 {
		t.Errorf("finish asked the old server for the apex NS %d times, want once", n)
	}
}

// TestStepJudgesOneOldApexNSLab: the old server answers a finish's first
// apex NS query with its own name and every later one with the new
// server's (a push landing, an anycast node behind): the overlap gate
// (the old side's observation) and old-unreferenced (apex-ns) judged
// different answers on the code before: the overlap held finish on an
// apex NS naming the old server that old-unreferenced said no server
// served. Now both judge the step's one answer.
func TestStepJudgesOneOldApexNSLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	c, _, flipped := l.flip(t, ctx)
	setRRs(t, &c.Old, "example.test. 60 IN NS ns1.new.example.test.")
	if rep := Status(ctx, l.mk()); rep.Result != ResultObserved {
		t.Fatalf("status: %s %v", rep.Result, rep.Errors)
	}
	p := newApexProxy(t, l.old.Addr, "example.test.")
	p.first = func(m *dns.Msg) {
		for _, rr := range m.Answer {
			if ns, ok := rr.(*dns.NS); ok {
				ns.Ns = "ns1.old.example.test."
			}
		}
	}
	fc := l.at(flipped, 20*time.Minute)
	fc.Old.Servers = []string{p.addr}
	rep := Finish(ctx, fc)
	var overlap, unref *Gate
	for i, g := range rep.Gates {
		switch g.Name {
		case GateOverlap:
			overlap = &rep.Gates[i]
		case GateOldUnreferenced:
			unref = &rep.Gates[i]
		}
	}
	if overlap == nil || unref == nil {
		t.Fatalf("finish: %s, gates %+v", rep.Result, rep.Gates)
	}
	var apex *delegation.Check
	for i, ch := range unref.Checks {
		if ch.Name == CheckApexNS && ch.Server == p.addr {
			apex = &unref.Checks[i]
		}
	}
	if apex == nil {
		t.Fatalf("old-unreferenced has no apex-ns check of %s: %+v", p.addr, unref.Checks)
	}
	heldOnOld := strings.Contains(overlap.Detail, "naming old servers")
	t.Logf("overlap ok=%v held on the old name=%v; apex-ns at %s: ok=%v got %s", overlap.OK, heldOnOld, p.addr, apex.OK, apex.Got)
	if !heldOnOld || apex.OK || apex.Got != "ns1.old.example.test." {
		t.Errorf("the step's gates judged different answers of %s: overlap held on an apex NS naming the old server: %v (%s); old-unreferenced's apex-ns: ok=%v, got %q", p.addr, heldOnOld, overlap.Detail, apex.OK, apex.Got)
	}
	if rep.Result != ResultRefused {
		t.Errorf("finish: %s", rep.Result)
	}
}
