package cutover

import (
	"context"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// apexProxy forwards every query (UDP and TCP, one port) to a server
// and counts the zone's apex NS queries without the DO bit (the gates';
// parity asks with it); first, when set, rewrites the answer to the
// first of them, later the answers to the others.
type apexProxy struct {
	addr         string
	asked        atomic.Int32
	mu           sync.Mutex
	first, later func(*dns.Msg)
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
			n := p.asked.Add(1)
			p.mu.Lock()
			if f := map[bool]func(*dns.Msg){true: p.first, false: p.later}[n == 1]; f != nil {
				f(in)
			}
			p.mu.Unlock()
		}
		_ = w.WriteMsg(in)
	})
	// An address of its own: old servers are judged by address, and the
	// lab parents' own NS (ns.test.) is a placeholder at 127.0.0.1.
	p.addr = serveOn(t, lab.Addr(t), h)
	return p
}

// TestStepAsksOldApexNSOnceLab: a status or finish step asked each old
// server for the zone's apex NS up to four times (the old side's
// observation; the TTLs served, status's propagation and the delegation
// gate of the rollback status shows; finish's old-unreferenced),
// answers moments apart that its gates judged apart. Now each server is
// asked once per step, and every gate reads that answer; finish asks
// once more after its parity gate (minutes on a large zone), so that
// old-unreferenced judges what the old side serves then
// (TestFinishOldApexNSChangedLab). The old server sits behind a proxy
// that counts its apex NS queries. On the code before, status asked 4
// times.
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
	if n := p.asked.Load(); n != 2 {
		t.Errorf("finish asked the old server for the apex NS %d times, want twice (as it began, after parity)", n)
	}
}

// TestFinishOldApexNSChangedLab: the old server answers a finish's first
// apex NS query otherwise than every later one (a push landing, a revert
// at the old provider, an anycast node behind, a cache counting the TTL
// down). Finish asks again after its parity gate (minutes on a large
// zone): old-unreferenced judges that answer, and so does the overlap
// gate, again: a set naming an old server at either ask holds finish,
// and a TTL counted down refuses nothing. On the code before, the
// overlap gate judged the first answer and old-unreferenced the step's
// one answer, asked before parity: a set reverted to the old name during
// parity passed both.
func TestFinishOldApexNSChangedLab(t *testing.T) {
	for _, tc := range []struct {
		name         string
		first, later string // the old server's apex NS in its first answer, then
		firstTTL     uint32 // the first answer's TTL (0: as served, 60 s)
		says         string // in the overlap gate's detail ("": it passes)
		unref        bool   // old-unreferenced passes
	}{
		{"the old name, then the new", "ns1.old.example.test.", "ns1.new.example.test.", 0, "naming old servers", true},
		{"the new name, then the old (a push reverting it)", "ns1.new.example.test.", "ns1.old.example.test.", 0, "naming old servers", false},
		{"the new name, its TTL counted down", "ns1.new.example.test.", "ns1.new.example.test.", 61, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			c, _, flipped := l.flip(t, ctx)
			setRRs(t, &c.Old, "example.test. 60 IN NS ns1.new.example.test.")
			if rep := Status(ctx, l.mk()); rep.Result != ResultObserved {
				t.Fatalf("status: %s %v", rep.Result, rep.Errors)
			}
			// The old server itself is asked too (the delegation's glue
			// before the flip), at its own address: it serves the first
			// answer throughout; the proxy, the configured old server,
			// answers its first ask so and every later one with later.
			setRRs(t, &c.Old, "example.test. 60 IN NS "+tc.first)
			p := newApexProxy(t, l.old.Addr, "example.test.")
			rewrite := func(name string, ttl uint32) func(*dns.Msg) {
				return func(m *dns.Msg) {
					for _, rr := range m.Answer {
						if ns, ok := rr.(*dns.NS); ok {
							ns.Ns = name
							if ttl > 0 {
								ns.Hdr.Ttl = ttl
							}
						}
					}
				}
			}
			p.first, p.later = rewrite(tc.first, tc.firstTTL), rewrite(tc.later, 0)
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
			t.Logf("%s; overlap ok=%v: %s; apex-ns at %s: ok=%v got %s", rep.Result, overlap.OK, overlap.Detail, p.addr, apex.OK, apex.Got)
			if overlap.OK != (tc.says == "") || !strings.Contains(overlap.Detail, tc.says) {
				t.Errorf("overlap ok=%v, want %v saying %q: %s", overlap.OK, tc.says == "", tc.says, overlap.Detail)
			}
			if apex.OK != tc.unref || apex.Got != tc.later {
				t.Errorf("old-unreferenced's apex-ns: ok=%v, got %q; want ok=%v judging the answer after parity, %q", apex.OK, apex.Got, tc.unref, tc.later)
			}
			if want := map[bool]string{true: ResultDone, false: ResultRefused}[tc.says == "" && tc.unref]; rep.Result != want {
				t.Errorf("finish: %s, want %s", rep.Result, want)
			}
			tr, err := ReadTrail(fc.TrailPath, "example.test.")
			if err != nil {
				t.Fatal(err)
			}
			if o := tr.Entries[len(tr.Entries)-1].OldApexNS; tc.first != tc.later && (o == nil || !slices.Contains(o.NS, "ns1.old.example.test.") || !slices.Contains(o.NS, "ns1.new.example.test.")) {
				t.Errorf("the trail's entry records %+v: not both answers", o)
			}
		})
	}
}
