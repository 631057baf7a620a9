package cutover

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestWatchChildNSTTLLab: a resolver that took the old side's own NS set
// (RFC 2181 §5.4.1 ranks it above the parent's referral; Unbound does)
// keeps following the old servers for the child's NS TTL, past the
// parent's NS TTL (Unbound does so when the child's set differs from the
// referral's: here the old side also lists a second name). The watch must not say the last cached copy of the old
// delegation expires at the change plus the parent's NS TTL while a real
// Unbound still answers from the old side after that: the bound is the
// parent's NS TTL plus the child's.
func TestWatchChildNSTTLLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	const parentTTL, childTTL = 1, 30
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	side := func(name string, serial int) string {
		return "$ORIGIN example.test.\n$TTL 30\n@ SOA ns1." + name + ".example.test. h.example.test. " + strconv.Itoa(serial) + " 60 60 1209600 1\n" +
			"@ 30 NS ns1." + name + ".example.test.\n@ 30 NS ns2." + name + ".example.test.\nns1.old A " + oldIP + "\nns2.old A " + oldIP + "\nns1.new A " + newIP + "\nns2.new A " + newIP + "\nwww A 192.0.2.80\n"
	}
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: side("old", 1)}}})
	nw := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: side("new", 2)}}})
	parentText := func(to, ip string, serial int) string {
		return "$TTL 1\n@ SOA ns.test. h.test. " + strconv.Itoa(serial) + " 60 60 1209600 1\n@ NS ns.test.\nns A 127.0.0.1\n" +
			"example 1 NS ns1." + to + ".example.test.\nns1." + to + ".example 1 A " + ip + "\n"
	}
	parent := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText("old", oldIP, 1)}}})
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}})
	ctx := context.Background()
	c := watchConfig(t, side("old", 1), old.Addr, nw.Addr, u.Addr, 4*time.Second)

	// Unbound learns the old side's own NS set (TTL 30) from an answer.
	if a := askNS(ctx, c, u.Addr, true); a.err != nil || strings.Join(a.ns, " ") != "ns1.old.example.test. ns2.old.example.test." {
		t.Fatalf("priming: %v %v", a.ns, a.err)
	}
	parent.Reload(t, lab.Zone{Origin: "test.", Text: parentText("new", newIP, 2)})
	start := time.Now()
	w := watch(ctx, c, "new", start, time.Time{}, heldTTLs{ns: parentTTL}, nil)

	// The premise, on the real resolver: past the parent's NS TTL it still
	// answers from the old side.
	cl, err := newClassifier(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if got, detail := cl.which(ctx, c, u.Addr); got != "old" || now.Sub(start) < 2*parentTTL*time.Second {
		t.Fatalf("Unbound answers from %s (%s) %v after the change: the premise (old child NS set kept past the parent's NS TTL) does not hold", got, detail, now.Sub(start))
	}
	if w.AllMoved {
		t.Fatalf("watch says every resolver moved while Unbound answers from old")
	}
	if min := start.Add((parentTTL + childTTL) * time.Second).Truncate(time.Second); w.OldDelegationExpires.Before(min) {
		t.Errorf("watch: the old delegation expires by %s (%v after the change) while Unbound still answers from old at %v; want at least the parent's plus the old child's NS TTL (%s): %s",
			w.OldDelegationExpires.Format(time.RFC3339), w.OldDelegationExpires.Sub(start).Round(time.Second), now.Sub(start).Round(time.Second), min.Format(time.RFC3339), w.Detail)
	}
}
