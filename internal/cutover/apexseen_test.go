package cutover

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// apexNSServer answers example.test. NS with ns(n) for its n-th such
// query (from 1), authoritatively or not, and counts those queries.
func apexNSServer(t *testing.T, aa bool, ns func(n int32) string) (string, *atomic.Int32) {
	t.Helper()
	var asked atomic.Int32
	addr := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = aa
		if q := r.Question[0]; q.Name == "example.test." && q.Qtype == dns.TypeNS {
			m.Answer = []dns.RR{&dns.NS{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 300}, Ns: ns(asked.Add(1))}}
		} else {
			m.Rcode = dns.RcodeRefused
		}
		_ = w.WriteMsg(m)
	})
	return addr, &asked
}

// TestApexNSSeenOncePerStep: the gates of one step that read the old
// side's apex NS (observeOldNS, apexNSChecks, apexServed, sideNS) ask
// each server once and judge its one answer, though it answers the next
// query otherwise (its first names the old server, every later one the
// new); a new step asks again. Each keeps its own reading: an answer
// without AA counts for the names (the observation, the checks, sideNS)
// but not for the TTLs served; a server that does not answer is not
// answered for the observation and passes the checks. On the code
// before, each server was asked four times and the checks saw the new
// name where the observation saw the old.
func TestApexNSSeenOncePerStep(t *testing.T) {
	flapping := func(n int32) string {
		if n == 1 {
			return "ns1.old.example.test."
		}
		return "ns1.new.example.test."
	}
	aa, aaAsked := apexNSServer(t, true, flapping)
	lame, lameAsked := apexNSServer(t, false, flapping)
	dead := deadUDP(t)
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: 300 * time.Millisecond}
	c.Old = Side{Name: "old", Servers: []string{aa, lame, dead}, Delegation: []string{"ns1.old.example.test."}}
	c.New = Side{Name: "new", Delegation: []string{"ns1.new.example.test."}}
	ctx := context.Background()
	c.apexSeen = newApexNSSeen()

	o := observeOldNS(ctx, c)
	checks := apexNSChecks(ctx, c, "ns1.old.example.test.")
	served := apexServed(ctx, c, &c.Old)
	ns, ttl, _ := sideNS(ctx, c, &c.Old)

	if n, m := aaAsked.Load(), lameAsked.Load(); n != 1 || m != 1 {
		t.Errorf("one step asked the servers %d and %d times for the apex NS, want once each", n, m)
	}
	if o == nil || !o.namesOld() || strings.Join(o.NS, " ") != "ns1.old.example.test." || strings.Join(o.NotAnswered, " ") != dead {
		t.Errorf("observation: %+v, want ns1.old.example.test. served and %s not answering", o, dead)
	}
	if len(checks) != 3 || checks[0].OK || checks[1].OK || !checks[2].OK {
		t.Errorf("apex-ns checks, want the two answering servers failed (naming the old server, as the observation saw) and the unanswering one passed: %+v", checks)
	}
	if v, ok := served[dns.TypeNS]; !ok || v != 300 {
		t.Errorf("apex NS TTL served: %v %v, want 300 (the authoritative answer)", v, ok)
	}
	if strings.Join(ns, " ") != "ns1.old.example.test." || ttl != 300 {
		t.Errorf("sideNS: %v %d", ns, ttl)
	}

	// Served by the lame server alone: its answer names, but its TTL is
	// not one served.
	c.Old.Servers = []string{lame}
	if _, ok := apexServed(ctx, c, &c.Old)[dns.TypeNS]; ok {
		t.Error("apexServed counted an answer without AA")
	}

	// The next step asks again, and sees the new name.
	c.Old.Servers = []string{aa, lame, dead}
	c.apexSeen = newApexNSSeen()
	if o := observeOldNS(ctx, c); o == nil || o.namesOld() {
		t.Errorf("the next step's observation: %+v, want the new name", o)
	}
	if n := aaAsked.Load(); n != 2 {
		t.Errorf("two steps asked %d times, want twice", n)
	}
}

// deadUDP is a loopback UDP address that takes queries and answers none.
func deadUDP(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.LocalAddr().String()
}

// TestApexNSSeenCancelledAsk: an ask whose context had ended is not the
// step's answer: the next gate asks the server again and judges what it
// served (the first asker's "context canceled" was kept for every later
// gate, and old-unreferenced passes a server that did not answer).
func TestApexNSSeenCancelledAsk(t *testing.T) {
	addr, asked := apexNSServer(t, true, func(int32) string { return "ns1.old.example." })
	z := &zone.Zone{Origin: "example.test."}
	c := &Config{Zone: z, Timeout: time.Second}
	seen := newApexNSSeen()
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	if a := seen.apexNSOf(ended, c, []string{addr})[0]; a.askErr == nil {
		t.Fatalf("an ask on an ended context answered %v", a.ns)
	}
	a := seen.apexNSOf(context.Background(), c, []string{addr})[0]
	if a.err != nil || strings.Join(a.ns, " ") != "ns1.old.example." || asked.Load() != 1 {
		t.Errorf("after a cancelled ask: %v %v (server asked %d times), want its answer, asked once", a.ns, a.err, asked.Load())
	}
	if b := seen.apexNSOf(context.Background(), c, []string{addr})[0]; b.err != nil || asked.Load() != 1 {
		t.Errorf("a third gate: %v, server asked %d times, want the step's answer, asked once", b.err, asked.Load())
	}
}

// TestOldUnreferencedInterrupted: old-unreferenced on a run that ended
// (SIGINT after the parity gate passed) could not run, and says so: its
// asks, cut short, passed each server as one that "does not serve the
// zone", and finish was recorded done while the old side named itself.
func TestOldUnreferencedInterrupted(t *testing.T) {
	addr, _ := apexNSServer(t, true, func(int32) string { return "ns1.old.example." })
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: time.Second, apexSeen: newApexNSSeen()}
	c.Old = Side{Name: "old", Servers: []string{addr}, Delegation: []string{"ns1.old.example."}}
	c.New = Side{Name: "new", Delegation: []string{"ns1.new.example."}}
	g := gateOldUnreferenced(context.Background(), c, nil, &Report{}, time.Time{})
	if i := slices.IndexFunc(g.Checks, func(ch delegation.Check) bool { return ch.Name == CheckApexNS && ch.Server == addr }); g.OK || g.Err || i < 0 || g.Checks[i].OK {
		t.Fatalf("the old server naming itself: ok=%v err=%v, its apex-ns check failed: %v; %s", g.OK, g.Err, i >= 0 && !g.Checks[i].OK, g.Detail)
	}
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	c.apexSeen = newApexNSSeen()
	if g := gateOldUnreferenced(ended, c, nil, &Report{}, time.Time{}); g.OK || !g.Err || !strings.Contains(g.Detail, "interrupted") {
		t.Errorf("on an ended run: ok=%v err=%v %s; want could not run", g.OK, g.Err, g.Detail)
	}
}

// TestOldOnlyOncePerStep: the old side's servers that are not the new
// side's are found once a step (finish's gates read them four times),
// and found anew when askFromServers adds a server to a side, which they
// are read from: an address of the old delegation's glue that the config
// does not list is then the old side's only.
func TestOldOnlyOncePerStep(t *testing.T) {
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: time.Second}
	c.Old = Side{Name: "old", Servers: []string{"127.0.0.1:53"}, Delegation: []string{"ns1.old.example.test.", "ns2.old.example.test."}}
	c.New = Side{Name: "new", Servers: []string{"127.0.0.2:53"}, Delegation: []string{"ns1.new.example.test."}}
	names, ips := c.oldOnly(context.Background())
	again, _ := c.oldOnly(context.Background())
	if !names["ns1.old.example.test."] || !ips["127.0.0.1"] || ips["127.0.0.2"] {
		t.Fatalf("old only: %v %v, want ns1.old and 127.0.0.1, not the new side's 127.0.0.2", names, ips)
	}
	if reflect.ValueOf(names).Pointer() != reflect.ValueOf(again).Pointer() {
		t.Error("oldOnly was found again within the step")
	}
	rep := &Report{Delegation: DelegationView{NS: []string{"ns1.old.example.test.", "ns2.old.example.test."},
		Glue: map[string][]string{"ns2.old.example.test.": {"127.0.0.3"}}}}
	c.askFromServers(context.Background(), rep, &c.Old, true)
	if !slices.Contains(c.Old.Servers, "127.0.0.3:53") {
		t.Fatalf("askFromServers did not add the glue's address: %v; %v", c.Old.Servers, rep.Warnings)
	}
	if _, ips := c.oldOnly(context.Background()); !ips["127.0.0.3"] {
		t.Errorf("after askFromServers added 127.0.0.3:53 to the old side, old only: %v, want it", ips)
	}
}

// TestOldOnlyNewStep: a step finds the old side's servers that are not
// the new side's anew when it reads the trail (begin, Status): a flip
// recorded since the last step names, in the delegation before it, an
// old server the config does not list (ns2.old), which is the old side's
// only from then on.
func TestOldOnlyNewStep(t *testing.T) {
	parent := serve(t, parentOf("ns1.new.example.test."))
	path := filepath.Join(t.TempDir(), "example.test.json")
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: 300 * time.Millisecond, TrailPath: path, ParentServers: []string{parent}, Log: io.Discard}
	c.Old = Side{Name: "old", Delegation: []string{"ns1.old.example.test."}}
	c.New = Side{Name: "new", Delegation: []string{"ns1.new.example.test."}}
	ctx := context.Background()
	flipped := func(ns ...string) {
		t.Helper()
		tr, err := ReadTrail(path, "example.test.")
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().UTC()
		if err := tr.Append(path, Entry{Time: at, Command: "flip", Result: ResultDone, ChangedAt: &at,
			Before: &registrar.Delegation{NS: ns}, After: &registrar.Delegation{NS: []string{"ns1.new.example.test."}}}); err != nil {
			t.Fatal(err)
		}
	}

	rep, _, ok := begin(ctx, c, "finish", agreedView)
	c.release()
	if names, _ := c.oldOnly(context.Background()); !ok || !names["ns1.old.example.test."] || names["ns2.old.example.test."] {
		t.Fatalf("first step (%v %v): old only %v, want ns1.old alone", ok, rep.Errors, names)
	}
	flipped("ns1.old.example.test.", "ns2.old.example.test.")
	rep, _, ok = begin(ctx, c, "finish", agreedView)
	c.release()
	if names, _ := c.oldOnly(context.Background()); !ok || !names["ns2.old.example.test."] {
		t.Errorf("a step after the flip (%v %v): old only %v, want ns2.old too (the delegation before the flip)", ok, rep.Errors, names)
	}
	flipped("ns1.old.example.test.", "ns3.old.example.test.")
	Status(ctx, c)
	if names, _ := c.oldOnly(context.Background()); !names["ns3.old.example.test."] {
		t.Errorf("status after another flip: old only %v, want ns3.old", names)
	}
}
