package cutover

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestWatchNSAddrTTLLab: both sides name the same in-zone nameserver,
// ns1.example.test, whose address the flip changes (the parent's glue
// and the new side's A record say the new server's; the old side's A
// record, TTL 40, the old one's). A resolver that took ns1's address
// from the old side's authoritative answer ranks it above the parent's
// new glue (RFC 2181 §5.4.1) and keeps asking the old server until that
// A record expires, past the parent's NS TTL and the old side's apex NS
// TTL. The watch's old_delegation_expires must count that address TTL:
// finish and decommissioning wait for it.
func TestWatchNSAddrTTLLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	const parentTTL, childNSTTL, addrTTL = 1, 1, 40
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	side := func(ip string, ttl, serial int) string {
		return "$ORIGIN example.test.\n$TTL 1\n@ SOA ns1.example.test. h.example.test. " + strconv.Itoa(serial) + " 60 60 1209600 1\n" +
			"@ " + strconv.Itoa(childNSTTL) + " NS ns1.example.test.\nns1 " + strconv.Itoa(ttl) + " A " + ip + "\nwww A 192.0.2.80\n"
	}
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: side(oldIP, addrTTL, 1)}}})
	nw := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: side(newIP, 1, 2)}}})
	parentText := func(ip string, serial int) string {
		return "$TTL 1\n@ SOA ns.test. h.test. " + strconv.Itoa(serial) + " 60 60 1209600 1\n@ NS ns.test.\nns A 127.0.0.1\n" +
			"example " + strconv.Itoa(parentTTL) + " NS ns1.example.test.\nns1.example " + strconv.Itoa(parentTTL) + " A " + ip + "\n"
	}
	parent := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText(oldIP, 1)}}})
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}})
	ctx := context.Background()
	c := watchConfig(t, side(oldIP, addrTTL, 1), old.Addr, nw.Addr, u.Addr, 4*time.Second)

	// Unbound learns ns1's address from the old side's answer (TTL 40).
	r, err := ask(ctx, u.Addr, "ns1.example.test.", 1, true, c.Timeout)
	if err != nil || len(r.Answer) == 0 || !strings.Contains(r.Answer[0].String(), oldIP) {
		t.Fatalf("priming: %v %v", r, err)
	}
	parent.Reload(t, lab.Zone{Origin: "test.", Text: parentText(newIP, 2)})
	start := time.Now()
	w := watch(ctx, c, "new", start, time.Time{}, heldTTLs{ns: parentTTL}, nil)

	// The premise, on the real resolver: past the parent's NS TTL and the
	// old side's apex NS TTL it still answers from the old server.
	cl, err := newClassifier(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if got, detail := cl.which(ctx, c, u.Addr); got != "old" || now.Sub(start) < 2*(parentTTL+childNSTTL)*time.Second {
		t.Fatalf("Unbound answers from %s (%s) %v after the change: the premise (ns1's old address kept past the NS TTLs) does not hold", got, detail, now.Sub(start))
	}
	if min := start.Add((parentTTL + addrTTL) * time.Second).Truncate(time.Second); w.OldDelegationExpires.Before(min) {
		t.Errorf("watch: the old delegation expires by %s (%v after the change) while Unbound still asks the old server at %v; want at least the parent's NS TTL plus the old side's A TTL of ns1 (%s): %s",
			w.OldDelegationExpires.Format(time.RFC3339), w.OldDelegationExpires.Sub(start).Round(time.Second), now.Sub(start).Round(time.Second), min.Format(time.RFC3339), w.Detail)
	}
}
