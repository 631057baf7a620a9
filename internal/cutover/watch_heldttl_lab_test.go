package cutover

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/query"
)

// TestWatchHeldTTLsLab: what a resolver holds from the side a move
// leaves is more than its delegation. A resolver that cached "no such
// name" from the old side keeps it for the old SOA's negative TTL (RFC
// 2308 §5: the SOA's TTL or its MINIMUM, the smaller), one that cached
// the old side's DNSKEY set keeps validating with it for its TTL, and one
// that cached the parent's DS set before a DS change keeps it for the DS
// TTL (RFC 4035 §5.2), each counted from when it last asked the old side
// (after the parent's NS TTL, or the DS TTL, ran out). On the code
// before, old_delegation_expires counted only the parent's NS and glue
// TTLs and the old side's NS and NS-address TTLs: here 1 s + 2 s, while a
// real Unbound still answers NXDOMAIN for a name the new side serves
// well after that (premise checked), and the finish's overlap gate and
// status's "settled" trusted it. Now it counts the largest of the
// referral's TTLs (NS, glue, DS when the move changes it) and of the left
// side's NS, NS-address, DNSKEY and negative TTLs, and the watch says
// which.
func TestWatchHeldTTLsLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	// The DNSKEY TTL the largest the old side holds, then the negative
	// TTL: each is counted, not only the largest of a kind.
	for _, negTTL := range []uint32{12, 25} {
		t.Run(fmt.Sprintf("negative TTL %d", negTTL), func(t *testing.T) { heldTTLsLab(t, negTTL) })
	}
}

func heldTTLsLab(t *testing.T, negTTL uint32) {
	const parentTTL, childNSTTL, dnskeyTTL, dsTTL = 1, 2, 20, 15
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	side := func(name string, serial int, extra string) string {
		return "$ORIGIN example.test.\n$TTL 2\n@ " + strconv.Itoa(int(negTTL)) + " SOA ns1." + name + ".example.test. h.example.test. " + strconv.Itoa(serial) + " 60 60 1209600 3600\n" +
			"@ " + strconv.Itoa(childNSTTL) + " NS ns1." + name + ".example.test.\nns1.old A " + oldIP + "\nns1.new A " + newIP + "\nwww A 192.0.2.80\n" + extra
	}
	dnskey := "@ " + strconv.Itoa(dnskeyTTL) + " DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n"
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: side("old", 1, dnskey)}}})
	nw := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: side("new", 2, "gone A 192.0.2.99\n")}}})
	parentText := func(to, ip string, serial int) string {
		return "$TTL 1\n@ SOA ns.test. h.test. " + strconv.Itoa(serial) + " 60 60 1209600 1\n@ NS ns.test.\nns A 127.0.0.1\n" +
			"example 1 NS ns1." + to + ".example.test.\nns1." + to + ".example 1 A " + ip + "\n"
	}
	parent := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText("old", oldIP, 1)}}})
	// Unbound keeps a negative answer as long as the SOA says (up to
	// an hour by default; the lab's default caps it at 5 s).
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, MaxNegativeTTL: 3600})
	ctx := context.Background()
	c := watchConfig(t, side("old", 1, ""), old.Addr, nw.Addr, u.Addr, 3*time.Second)
	gone := func() int {
		t.Helper()
		r, err := query.Msg(ctx, u.Addr, "gone.example.test.", dns.TypeA, query.MsgOptions{Timeout: 2 * time.Second, RD: true})
		if err != nil {
			t.Fatal(err)
		}
		return r.Rcode
	}
	// Unbound caches "no such name" from the old side.
	if rc := gone(); rc != dns.RcodeNameError {
		t.Fatalf("priming: gone.example.test. answers %s from the old side, want NXDOMAIN", dns.RcodeToString[rc])
	}
	parent.Reload(t, lab.Zone{Origin: "test.", Text: parentText("new", newIP, 2)})
	start := time.Now()
	w := watch(ctx, c, "new", start, time.Time{}, heldTTLs{ns: parentTTL, ds: dsTTL}, nil)
	// The premise, on the real resolver: past the parent's and the old
	// child's NS TTLs, it still says no such name, which the new side
	// serves.
	time.Sleep(time.Until(start.Add(2 * (parentTTL + childNSTTL) * time.Second)))
	if rc := gone(); rc != dns.RcodeNameError || time.Since(start) < (parentTTL+childNSTTL)*time.Second {
		t.Fatalf("Unbound answers %s %v after the change: the premise (a negative answer kept past the NS TTLs) does not hold", dns.RcodeToString[rc], time.Since(start))
	}
	if w.NegativeTTL != negTTL || w.DNSKEYTTL != dnskeyTTL || w.DSTTL != dsTTL {
		t.Errorf("watch: negative TTL %d, DNSKEY TTL %d, DS TTL %d; want %d, %d, %d", w.NegativeTTL, w.DNSKEYTTL, w.DSTTL, negTTL, dnskeyTTL, dsTTL)
	}
	if min := start.Add(time.Duration(dsTTL+max(dnskeyTTL, negTTL)) * time.Second).Truncate(time.Second); w.OldDelegationExpires.Before(min) {
		t.Errorf("watch: the old side's data expires from caches by %s (%v after the change); want at least the DS TTL plus the larger of the old DNSKEY and negative TTLs (%s)",
			w.OldDelegationExpires.Format(time.RFC3339), w.OldDelegationExpires.Sub(start).Round(time.Second), min.Format(time.RFC3339))
	}
}
