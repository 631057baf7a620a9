package lab

import (
	"fmt"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// TestUnboundKeepsDelegation: the lab's Unbound (a stub for the parent
// zone test., iterating below it, as the README's rehearsal configures
// its resolver) caches the delegation of child.test. it got from the
// parent, and keeps sending questions to the old servers after the parent
// delegates to new ones, until that NS RRset's TTL (4 s) runs out; then
// it follows the new delegation. A stub or forward zone for child.test.
// itself would follow the change at once (no referral to cache). This is
// what internal/lab/README.md and the rehearsal rely on.
func TestUnboundKeepsDelegation(t *testing.T) {
	const ttl = 4
	child := func(mname string, serial int) string {
		return fmt.Sprintf("$TTL %d\n@ IN SOA %s h.child.test. %d 3600 600 604800 %d\n@ IN NS %s\n", ttl, mname, serial, ttl, mname)
	}
	oldIP, newIP, parentIP := Addr(t), Addr(t), Addr(t)
	Knot(t, Options{IP: oldIP, Zones: []Zone{{Origin: "child.test.", Text: child("ns.old.test.", 1)}}})
	Knot(t, Options{IP: newIP, Zones: []Zone{{Origin: "child.test.", Text: child("ns.new.test.", 2)}}})
	parentZone := func(serial int, ns string) Zone {
		return Zone{Origin: "test.", Text: fmt.Sprintf("$TTL %d\n@ IN SOA ns.test. h.test. %d 3600 600 604800 %d\n@ IN NS ns.test.\nns IN A %s\n"+
			"ns.old IN A %s\nns.new IN A %s\nchild IN NS %s\n", ttl, serial, ttl, parentIP, oldIP, newIP, ns)}
	}
	parent := BIND(t, Options{IP: parentIP, Zones: []Zone{parentZone(1, "ns.old.test.")}})
	u := Unbound(t, UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}})

	// Which side answers: the SOA MNAME of a fresh name's NXDOMAIN.
	n := 0
	side := func() string {
		n++
		c := &dns.Client{Timeout: 2 * time.Second}
		m := new(dns.Msg)
		m.SetQuestion(fmt.Sprintf("fresh%d.child.test.", n), dns.TypeA)
		m.RecursionDesired = true
		r, _, err := c.Exchange(m, u.Addr)
		if err != nil {
			return "error: " + err.Error()
		}
		for _, rr := range r.Ns {
			if soa, ok := rr.(*dns.SOA); ok {
				return soa.Ns
			}
		}
		return "rcode " + dns.RcodeToString[r.Rcode]
	}
	// The delegation fetched once, just before the parent changes: the
	// resolver holds it a full TTL from here.
	if s := side(); s != "ns.old.test." {
		t.Fatalf("before the change the resolver answers from %s, want ns.old.test.", s)
	}
	parent.Reload(t, parentZone(2, "ns.new.test."))
	changed := time.Now()
	var lastOld, firstNew time.Duration
	for end := changed.Add(3*ttl*time.Second + 5*time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		at := time.Since(changed)
		switch s := side(); s {
		case "ns.old.test.":
			if firstNew > 0 {
				t.Fatalf("the resolver answered from the new servers at %s, then from the old ones again at %s", firstNew, at)
			}
			lastOld = at
		case "ns.new.test.":
			if firstNew == 0 {
				firstNew = at
			}
		default:
			t.Fatalf("at %s: %s", at, s)
		}
		if firstNew > 0 && at > firstNew+time.Second {
			break
		}
	}
	t.Logf("after the parent's change: old answers until %s, new from %s (the delegation's TTL %d s)", lastOld.Round(10*time.Millisecond), firstNew.Round(10*time.Millisecond), ttl)
	if firstNew == 0 {
		t.Fatalf("the resolver never followed the new delegation (%s after the change)", time.Since(changed).Round(time.Second))
	}
	// Half the TTL at least: the parent's reload and this machine's load
	// take some of it; a resolver that follows the change at once gives
	// none.
	if lastOld < ttl*time.Second/2 {
		t.Errorf("the resolver followed the parent's change after %s, not holding the delegation it cached for its TTL (%d s)", lastOld, ttl)
	}
}
