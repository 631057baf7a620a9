package query

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestPoolShared: ten clients of one server (ten zones' runs) asking at
// once through a pool of two sockets get every answer right, the pool
// opened two sockets in all, not two per client, and its windows were
// asked by two goroutines of its own, which Close ends.
func TestPoolShared(t *testing.T) {
	lab.Require(t, "knotd")
	var zones []lab.Zone
	for z := 0; z < 10; z++ {
		var b strings.Builder
		fmt.Fprintf(&b, "$ORIGIN p%d.test.\n$TTL 300\n@ SOA ns1 hm 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n", z)
		for i := 0; i < 100; i++ {
			fmt.Fprintf(&b, "h%d A 192.0.2.%d\n", i, i)
		}
		zones = append(zones, lab.Zone{Origin: fmt.Sprintf("p%d.test.", z), Text: b.String()})
	}
	k := lab.Knot(t, lab.Options{Zones: zones})
	before := runtime.NumGoroutine()
	pool := NewPool(k.Addr, 2)
	defer pool.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for z := 0; z < 10; z++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &Client{Server: &Server{Addr: k.Addr}, Timeout: time.Second, Retries: 2, Batch: true, Pool: pool}
			out := make([]*Answer, 100)
			c.AskAll(ctx, 100, func(i int) (string, uint16) { return fmt.Sprintf("h%d.p%d.test.", i, z), dns.TypeA }, out, 32)
			for i, a := range out {
				if a == nil || a.Class() != ClassAnswer || !a.AA || RdataText(a.Answer[0]) != fmt.Sprintf("192.0.2.%d", i) {
					errs <- fmt.Errorf("zone %d question %d: %v", z, i, a)
					return
				}
			}
			if a := c.Exchange(ctx, fmt.Sprintf("p%d.test.", z), dns.TypeSOA); a.Class() != ClassAnswer {
				errs <- fmt.Errorf("zone %d SOA: %s", z, a.Text())
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	pool.mu.Lock()
	opened, running := len(pool.idle), pool.running
	pool.mu.Unlock()
	if opened != 2 || running != 2 {
		t.Errorf("the pool holds %d sockets and %d goroutines after the runs, want 2 and 2 (one pool for all clients)", opened, running)
	}
	pool.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before the pool", n, before)
	}
	// A client whose server is not the pool's does not take its sockets.
	c := &Client{Server: &Server{Addr: "127.0.0.1:9"}, Timeout: 100 * time.Millisecond, Pool: pool}
	if c.pooled() {
		t.Error("a client of another server uses the pool")
	}
}
