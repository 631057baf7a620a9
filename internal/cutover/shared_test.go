package cutover

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestSharedParentLookupNotHeld: while one step looks a parent's servers
// up (here from a resolver that never answers), a step asking for the
// same parent gives up when its own context ends, and a step asking for
// another parent is not made to wait. On the code before, Shared held its
// lock through the lookup: both waited for the first step's lookup to
// end, and the test saw it ended first.
func TestSharedParentLookupNotHeld(t *testing.T) {
	hole, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hole.Close()
	// The resolver reads every query and answers none; queried is
	// closed at the first: a lookup is under way.
	queried := make(chan struct{})
	go func() {
		buf := make([]byte, 512)
		for n := 0; ; n++ {
			if _, _, err := hole.ReadFrom(buf); err != nil {
				return
			}
			if n == 0 {
				close(queried)
			}
		}
	}()
	var sh Shared
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	firstDone := make(chan struct{})
	go func() {
		defer close(firstDone)
		_, _ = sh.parentServers(ctx, "slow.test.", []string{hole.LocalAddr().String()})
	}()
	<-queried
	inFlight := func() bool {
		select {
		case <-firstDone:
			return false
		default:
			return true
		}
	}

	short, stop := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer stop()
	_, err = sh.parentServers(short, "slow.test.", []string{hole.LocalAddr().String()})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("same parent, own context ended: %v, want context.DeadlineExceeded", err)
	}
	if !inFlight() {
		t.Error("same parent: the waiting step returned only after the first step's lookup ended, not when its own context did")
	}

	if _, err := sh.parentServers(context.Background(), "other.test.", nil); err == nil {
		t.Error("another parent with no resolvers: no error")
	}
	if !inFlight() {
		t.Error("another parent: its lookup waited for the first step's lookup of slow.test.")
	}
	cancel()
	<-firstDone
	if sh.parents.kept("slow.test. " + hole.LocalAddr().String()) {
		t.Error("a failed lookup was kept: the next step would not ask again")
	}
}

// TestReadReferralEdgesLab: the grandparent's referral (readReferral) is
// read only where resolvers start from it, and said unread when it could
// not be. A parent the resolvers' tree lacks (here a "resolver", real
// BIND, serving only the root, which answers NXDOMAIN with the root's
// SOA for the zone above the parent) is reached some other way (a stub
// zone): no referral, nothing asked, nothing unseen; before, the root's
// SOA made "." the grandparent and its servers (here an address nothing
// answers at) were asked, a sound flip warned "not confirmed". And a
// grandparent whose every address this machine cannot send to (IPv6
// only, policy.delegation.ipv6 off) is said unread; before, none asked
// counted as every one read, and the empty referral was kept.
func TestReadReferralEdgesLab(t *testing.T) {
	lab.Require(t, "named")
	for _, c := range []struct {
		what, origin, text, parent, why string
	}{
		{"a parent outside the resolvers' tree", ".", "$TTL 5\n@ SOA ns.root. h.root. 1 60 60 600 5\n@ NS ns.root.\nns.root. A " + lab.Addr(t) + "\n", "p.test.", ""},
		{"a grandparent at IPv6 addresses only", "test.", "$TTL 5\n@ SOA ns.test. h.test. 1 60 60 600 5\n@ NS ns.test.\nns AAAA ::1\n", "p.test.", "none of the 1 addresses of its servers can be asked from here"},
	} {
		t.Run(c.what, func(t *testing.T) {
			res := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: c.origin, Text: c.text}}})
			cfg := &Config{Timeout: time.Second, Delegation: delegation.Policy{NoIPv6: true}}
			names, _, why := readReferral(context.Background(), cfg, res.Addr, c.parent)
			if len(names) != 0 || (why == "") != (c.why == "") || !strings.Contains(why, c.why) {
				t.Errorf("referral for %s: names %v, why %q; want none, why %q", c.parent, names, why, c.why)
			}
		})
	}
}

// kept reports whether key's value is kept (read, and not failed).
func (o *onceEach[T]) kept(key string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.m[key]
	return ok
}
