package cutover

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
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
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, kept := sh.parents["slow.test. "+hole.LocalAddr().String()]; kept {
		t.Error("a failed lookup was kept: the next step would not ask again")
	}
}
