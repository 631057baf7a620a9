package parity_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/miekg/dns"
)

// seen is one query as a server received it.
type seen struct {
	tcp bool
	msg *dns.Msg
}

// recorder listens on a lab address (UDP and TCP, same port), records every
// query it receives and relays it to a real server (upstream), or answers
// nothing when upstream is "". Queries for which drop returns true are
// recorded and not relayed (a lost answer).
type recorder struct {
	Addr     string
	upstream string
	drop     func(q dns.Question) bool
	// mutate, when set, may change a UDP response before it is relayed.
	mutate func(resp []byte)

	mu    sync.Mutex
	seen  []seen
	wg    sync.WaitGroup
	udp   net.PacketConn
	tcpL  net.Listener
	close chan struct{}
}

func newRecorder(t *testing.T, upstream string, drop func(dns.Question) bool) *recorder {
	t.Helper()
	return newRelay(t, upstream, drop, nil)
}

// newRelay is newRecorder with a function that may change UDP responses.
func newRelay(t *testing.T, upstream string, drop func(dns.Question) bool, mutate func([]byte)) *recorder {
	t.Helper()
	ip := lab.Addr(t)
	r := &recorder{upstream: upstream, drop: drop, mutate: mutate, close: make(chan struct{})}
	var err error
	for try := 0; try < 20; try++ {
		if r.udp, err = net.ListenPacket("udp", net.JoinHostPort(ip, "0")); err != nil {
			t.Fatal(err)
		}
		r.Addr = r.udp.LocalAddr().String()
		if r.tcpL, err = net.Listen("tcp", r.Addr); err == nil {
			break
		}
		r.udp.Close()
	}
	if err != nil {
		t.Fatalf("recorder: %v", err)
	}
	r.wg.Add(2)
	go r.serveUDP()
	go r.serveTCP()
	t.Cleanup(func() {
		close(r.close)
		r.udp.Close()
		r.tcpL.Close()
		r.wg.Wait()
	})
	return r
}

func (r *recorder) record(tcp bool, b []byte) (*dns.Msg, bool) {
	m := new(dns.Msg)
	if err := m.Unpack(b); err != nil {
		m = nil
	}
	r.mu.Lock()
	r.seen = append(r.seen, seen{tcp: tcp, msg: m})
	r.mu.Unlock()
	if m == nil || r.upstream == "" {
		return m, false
	}
	if r.drop != nil && len(m.Question) == 1 && r.drop(m.Question[0]) {
		return m, false
	}
	return m, true
}

func (r *recorder) serveUDP() {
	defer r.wg.Done()
	for {
		buf := make([]byte, 65535)
		n, from, err := r.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		if _, relay := r.record(false, buf[:n]); !relay {
			continue
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			c, err := net.Dial("udp", r.upstream)
			if err != nil {
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(2 * time.Second))
			if _, err := c.Write(buf[:n]); err != nil {
				return
			}
			resp := make([]byte, 65535)
			m, err := c.Read(resp)
			if err != nil {
				return
			}
			if r.mutate != nil {
				r.mutate(resp[:m])
			}
			r.udp.WriteTo(resp[:m], from)
		}()
	}
}

func (r *recorder) serveTCP() {
	defer r.wg.Done()
	for {
		c, err := r.tcpL.Accept()
		if err != nil {
			return
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			for {
				var l [2]byte
				if _, err := io.ReadFull(c, l[:]); err != nil {
					return
				}
				b := make([]byte, binary.BigEndian.Uint16(l[:]))
				if _, err := io.ReadFull(c, b); err != nil {
					return
				}
				if _, relay := r.record(true, b); !relay {
					return
				}
				u, err := net.Dial("tcp", r.upstream)
				if err != nil {
					return
				}
				u.SetDeadline(time.Now().Add(5 * time.Second))
				u.Write(append(l[:], b...))
				var rl [2]byte
				if _, err := io.ReadFull(u, rl[:]); err == nil {
					resp := make([]byte, binary.BigEndian.Uint16(rl[:]))
					if _, err := io.ReadFull(u, resp); err == nil {
						c.Write(append(rl[:], resp...))
					}
				}
				u.Close()
			}
		}()
	}
}

func (r *recorder) queries() []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seen(nil), r.seen...)
}

// checkQuery asserts what every query must look like: a query with RD=0,
// one question, EDNS0 with a 1232-octet buffer and DO=1 (as resolvers
// ask: TestParityCompactDenialLab), no options.
func checkQuery(t *testing.T, s seen) {
	t.Helper()
	m := s.msg
	if m == nil {
		t.Errorf("a query that does not parse")
		return
	}
	q := fmt.Sprintf("%v (tcp %v)", m.Question, s.tcp)
	if m.Response || m.Opcode != dns.OpcodeQuery || m.RecursionDesired || len(m.Question) != 1 {
		t.Errorf("%s: QR %v opcode %d RD %v, %d questions; want a query with RD=0 and one question", q, m.Response, m.Opcode, m.RecursionDesired, len(m.Question))
	}
	opt := m.IsEdns0()
	switch {
	case opt == nil:
		t.Errorf("%s: no EDNS0", q)
	case opt.UDPSize() != 1232 || !opt.Do() || opt.Version() != 0 || !onlyNSID(opt.Option):
		t.Errorf("%s: EDNS0 size %d DO %v version %d options %#v; want 1232, true, 0, an empty NSID option only", q, opt.UDPSize(), opt.Do(), opt.Version(), opt.Option)
	}
}

// onlyNSID: without client subnets a query carries one EDNS option, an
// empty NSID request (RFC 5001 §2.1), and no ECS option.
func onlyNSID(os []dns.EDNS0) bool {
	if len(os) != 1 {
		return false
	}
	n, ok := os[0].(*dns.EDNS0_NSID)
	return ok && n.Nsid == ""
}

// TestParityWireQueries: what a real server gets from the engine. Both
// sides are Knot behind a recorder; the zone has an RRset too large for a
// 1232-octet UDP answer and a name whose answers are lost.
func TestParityWireQueries(t *testing.T) {
	lab.Require(t, "knotd")
	var b strings.Builder
	b.WriteString(fixture(t))
	for i := range 80 {
		fmt.Fprintf(&b, "big IN TXT \"record %03d with enough text to fill a UDP answer quickly\"\n", i)
	}
	b.WriteString("quiet IN A 192.0.2.99\n")
	text := b.String()
	z := loadText(t, text)
	upstream := serve(t, "knot", text)
	quiet := func(q dns.Question) bool { return strings.EqualFold(q.Name, "quiet."+origin) }
	for _, retries := range []int{0, 2} {
		t.Run(fmt.Sprintf("retries=%d", retries), func(t *testing.T) {
			old, new := newRecorder(t, upstream, quiet), newRecorder(t, upstream, quiet)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			rep, err := parity.Run(ctx, z, []parity.Target{{Addr: old.Addr}}, []parity.Target{{Addr: new.Addr}},
				parity.Options{Timeout: 300 * time.Millisecond, Retries: retries, Concurrency: 8})
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, rec := range []*recorder{old, new} {
				qs := rec.queries()
				total += len(qs)
				ids := map[uint16]bool{}
				count := map[string]int{}
				for _, s := range qs {
					checkQuery(t, s)
					if s.msg == nil || len(s.msg.Question) != 1 {
						continue
					}
					ids[s.msg.Id] = true
					q := s.msg.Question[0]
					k := fmt.Sprintf("%s %s tcp=%v", strings.ToLower(q.Name), dns.Type(q.Qtype), s.tcp)
					count[k]++
				}
				// Random IDs: almost all distinct (a few collisions of
				// 16-bit IDs are possible, all equal is not).
				if len(ids) < len(qs)*9/10 {
					t.Errorf("%d distinct IDs in %d queries", len(ids), len(qs))
				}
				// The truncated answer is asked again over TCP, once;
				// nothing else goes over TCP.
				for k, n := range count {
					want := 0
					switch k {
					case "big.parity.test. TXT tcp=false", "big.parity.test. TXT tcp=true":
						want = 1
					case "quiet.parity.test. A tcp=false":
						want = 1 + retries // every try, then it gives up
					default:
						if strings.HasSuffix(k, "tcp=true") {
							t.Errorf("%s: %d queries over TCP, want none", k, n)
						}
						continue
					}
					if n != want {
						t.Errorf("%s: %d queries, want %d", k, n, want)
					}
				}
				for _, k := range []string{"big.parity.test. TXT tcp=true", "quiet.parity.test. A tcp=false"} {
					if count[k] == 0 {
						t.Errorf("no query %s", k)
					}
				}
			}
			// Every message sent is counted (retries, TCP, probes, mail).
			if rep.Queries != total {
				t.Errorf("report counts %d queries, the servers got %d", rep.Queries, total)
			}
			// The lost answers are a failure on both sides, nothing else.
			var failed bool
			for _, f := range rep.Findings {
				if f.Severity == parity.SevError && !(f.Kind == "failure" && f.Name == "quiet."+origin) {
					t.Errorf("unexpected %s %s %s: %s", f.Kind, f.Name, f.Type, f.Detail)
				}
				failed = failed || f.Kind == "failure" && f.Name == "quiet."+origin
			}
			if !failed {
				dump(t, rep)
				t.Errorf("no failure finding for quiet.%s", origin)
			}
		})
	}
}

// TestParitySilentServer: a server that answers nothing is asked the apex
// SOA exactly 1 + retries times, then the run stops with an error naming
// it.
func TestParitySilentServer(t *testing.T) {
	lab.Require(t, "knotd")
	text := fixture(t)
	z := loadText(t, text)
	knot := serve(t, "knot", text)
	for _, retries := range []int{0, 1, 3} {
		t.Run(fmt.Sprintf("retries=%d", retries), func(t *testing.T) {
			silent := newRecorder(t, "", nil)
			_, err := parity.Run(context.Background(), z, []parity.Target{{Addr: silent.Addr}}, []parity.Target{{Addr: knot}},
				parity.Options{Timeout: 150 * time.Millisecond, Retries: retries})
			if err == nil || !strings.Contains(err.Error(), silent.Addr) {
				t.Fatalf("err = %v, want one naming %s", err, silent.Addr)
			}
			qs := silent.queries()
			if len(qs) != 1+retries {
				t.Errorf("%d tries, want %d", len(qs), 1+retries)
			}
			ids := map[uint16]bool{}
			for _, s := range qs {
				checkQuery(t, s)
				if s.tcp || s.msg == nil || len(s.msg.Question) != 1 || s.msg.Question[0].Name != origin || s.msg.Question[0].Qtype != dns.TypeSOA {
					t.Errorf("try %v: want the apex SOA over UDP", s.msg)
				}
				if s.msg != nil {
					ids[s.msg.Id] = true
				}
			}
			// A fresh ID per try (two equal of 16 bits: 1 in 65536).
			if retries > 0 && len(ids) < len(qs)-1 {
				t.Errorf("%d distinct IDs in %d tries", len(ids), len(qs))
			}
		})
	}
}

// TestParityRate: --rate 200 over about 400 queries takes at least about
// 1.5 s. A loose lower bound of the limiter (a correctness property), not
// a speed goal.
func TestParityRate(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n", origin)
	for i := range 95 {
		fmt.Fprintf(&b, "h%d IN A 192.0.2.%d\n", i, i+1)
	}
	text := b.String()
	z := loadText(t, text)
	old, new := serve(t, "knot", text), serve(t, "knot", text)
	const qps = 200
	start := time.Now()
	rep, err := parity.Run(context.Background(), z, []parity.Target{{Addr: old}}, []parity.Target{{Addr: new}},
		parity.Options{Rate: qps, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start)
	if !rep.OK() {
		dump(t, rep)
		t.Fatal("parity does not hold")
	}
	if rep.Queries < 350 {
		t.Fatalf("only %d queries; the bound needs about 400", rep.Queries)
	}
	// The limiter lets a burst of qps/10 through, then qps per second.
	min := time.Duration(float64(rep.Queries-qps/10) / qps * 0.9 * float64(time.Second))
	t.Logf("%d queries in %.2fs (report), %.2fs (wall): %.0f qps; lower bound %.2fs", rep.Queries, rep.Seconds, wall.Seconds(), rep.QPS(), min.Seconds())
	if got := time.Duration(rep.Seconds * float64(time.Second)); got < min {
		t.Errorf("%d queries at --rate %d took %s, want at least %s", rep.Queries, qps, got, min)
	}
}
