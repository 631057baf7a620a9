package cutover

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// anycast is one address (UDP and TCP, on a lab address) in front of
// several caching resolvers, taking them in turn for each query of a
// type (the turn of each type kept apart, so that the nodes one kind of
// question reaches do not hang on how many questions of other kinds a
// reader asks: registrar.Lookup asks the parent's DNSKEY too, since
// dnssec.VerifyParentDS): what the watch sees of an anycast resolver
// address or of a pool behind one address. It returns "IP:port".
func anycast(t *testing.T, backends ...string) string {
	t.Helper()
	ip := lab.Addr(t)
	pc, err := net.ListenPacket("udp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port)
	l, err := net.Listen("tcp", net.JoinHostPort(ip, port))
	if err != nil {
		pc.Close()
		t.Fatal(err)
	}
	var mu sync.Mutex
	next := map[uint16]int{}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		var qt uint16
		if len(r.Question) > 0 {
			qt = r.Question[0].Qtype
		}
		mu.Lock()
		to := backends[next[qt]%len(backends)]
		next[qt]++
		mu.Unlock()
		c := &dns.Client{Net: w.LocalAddr().Network(), Timeout: 2 * time.Second}
		resp, _, err := c.Exchange(r, to)
		if err != nil {
			resp = new(dns.Msg)
			resp.SetRcode(r, dns.RcodeServerFailure)
		}
		w.WriteMsg(resp)
	})
	udp := &dns.Server{PacketConn: pc, Handler: h}
	tcp := &dns.Server{Listener: l, Handler: h}
	go udp.ActivateAndServe()
	go tcp.ActivateAndServe()
	t.Cleanup(func() {
		udp.Shutdown()
		tcp.Shutdown()
	})
	return net.JoinHostPort(ip, port)
}

// TestWatchAnycastLab: a resolver address backed by two caches (two real
// Unbounds behind a forwarder that takes them in turn), one of which
// cached the old delegation with a long TTL while the other is fresh,
// answers from the new side at every other poll. The watch used to count
// it as moved at its first answer from new and report all_moved while one
// cache still answered from old. It must keep asking, take the resolver
// back when old answers again (saying why), and not report all_moved; a
// plain resolver that follows the parent still counts as moved.
func TestWatchAnycastLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	side := func(name string, serial int) string {
		return "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1." + name + ".example.test. h.example.test. " + strconv.Itoa(serial) + " 60 60 1209600 1\n" +
			"@ NS ns1." + name + ".example.test.\nns1.old A " + oldIP + "\nns1.new A " + newIP + "\nwww A 192.0.2.80\n"
	}
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: side("old", 1)}}})
	nw := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: side("new", 2)}}})
	parentText := func(to, ip string, ttl, serial int) string {
		return "$TTL 1\n@ SOA ns.test. h.test. " + strconv.Itoa(serial) + " 60 60 1209600 1\n@ NS ns.test.\nns A 127.0.0.1\n" +
			"example " + strconv.Itoa(ttl) + " NS ns1." + to + ".example.test.\nns1." + to + ".example " + strconv.Itoa(ttl) + " A " + ip + "\n"
	}
	// The old delegation with a TTL of 60 s: the cache that takes it
	// keeps it past the whole watch.
	parent := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText("old", oldIP, 60, 1)}}})
	stale := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}})
	fresh := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}})
	z, err := zone.Parse(strings.NewReader(side("old", 1)), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var progress bytes.Buffer
	c := &Config{Zone: z, Timeout: 2 * time.Second, Watch: 3 * time.Second, Interval: 250 * time.Millisecond,
		Log: &progress, Now: time.Now,
		Old: Side{Name: "old", Servers: []string{old.Addr}}, New: Side{Name: "new", Servers: []string{nw.Addr}}}
	cl, err := newClassifier(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	// One cache takes the old delegation; the other has not asked yet.
	if got, detail := cl.which(ctx, c, stale.Addr); got != "old" {
		t.Fatalf("priming: %s answers from %s (%s)", stale.Addr, got, detail)
	}
	parent.Reload(t, lab.Zone{Origin: "test.", Text: parentText("new", newIP, 1, 2)})
	pool := anycast(t, stale.Addr, fresh.Addr)
	c.Resolvers = []string{pool, fresh.Addr}

	start := time.Now()
	w := watch(ctx, c, "new", start, time.Time{}, heldTTLs{ns: 1}, nil)
	t.Logf("progress:\n%s", progress.String())

	// The premise, on the real resolvers: the address still answers from
	// both sides, one after the other.
	seen := map[string]bool{}
	for range 4 {
		got, _ := cl.which(ctx, c, pool)
		seen[got] = true
	}
	if !seen["old"] || !seen["new"] {
		t.Fatalf("the pooled address answers from %v after the watch: the premise (one cache old, one new) does not hold", seen)
	}
	if w.AllMoved {
		t.Errorf("watch says every resolver moved while one cache behind %s answers from old: %+v", pool, w.Resolvers)
	}
	byAddr := map[string]ResolverWatch{}
	for _, rw := range w.Resolvers {
		byAddr[rw.Resolver] = rw
	}
	if rw := byAddr[pool]; rw.Moved || rw.Seconds != 0 || !strings.Contains(rw.Detail, "answered from new, then old again: several caches behind one address") {
		t.Errorf("the pooled address: %+v; want not moved, with the flapping named", rw)
	}
	// It answered from new from the first poll: its seconds are those of
	// that answer, not of the third (at least two intervals later).
	if rw := byAddr[fresh.Addr]; !rw.Moved || rw.Last != "new" || rw.Seconds >= 2*c.Interval.Seconds() {
		t.Errorf("the fresh resolver: %+v; want moved, with the seconds of its first answer from new", rw)
	}
	if !strings.Contains(progress.String(), pool+" answered from new, then old again: several caches behind one address") ||
		!strings.Contains(w.Detail, "1 of 2 resolvers have not answered from new on 3 consecutive polls") {
		t.Errorf("progress or detail do not say why:\n%s\ndetail: %s", progress.String(), w.Detail)
	}

	// What the watch did before: one answer from new counted. The same
	// address, counted so, makes all_moved come early.
	c.MovedAfter = 1
	if w := watch(ctx, c, "new", time.Now(), time.Time{}, heldTTLs{ns: 1}, nil); !w.AllMoved {
		t.Errorf("with one answer counting (the old watch), the pooled address did not pass for moved: the test does not show the early all_moved: %+v", w.Resolvers)
	}
}
