package httpretry

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// TestAnnouncedHugeLimitCostsNothing: the limit per period is what a
// server's headers say (NS1's X-Ratelimit-Limit, DNS Made Easy's
// x-dnsme-requestLimit, Cloudflare's Ratelimit-Policy), so a large or
// garbled one must cost neither memory nor time per request: a window
// that kept a slot per announced request allocated 32 bytes per request
// the server claims to allow (a header of 2^31 is 64 GiB, the process
// killed) and scanned every slot on each request (an NS1 fake announcing
// 2^20 spent 97% of a push's CPU there: providers10). The requests of
// the window must still be counted until each answer.
func TestAnnouncedHugeLimitCostsNothing(t *testing.T) {
	const limit = 1 << 22 // 128 MiB of slots at 32 bytes each
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var b Budget
	b.Observe(limit, limit-3, time.Minute, time.Now())
	b.heard = true
	for range 100 {
		done, err := b.admit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		done()
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("an announced limit of %d and 100 requests allocated %d MiB, want under 8", limit, grew>>20)
	}
}

// TestWindowOldestSlotFirst: a window of 2 per 40 ms, both slots used:
// the next request waits for the slot answered first (a lower bound
// only: a loaded machine may make it later, never earlier).
func TestWindowOldestSlotFirst(t *testing.T) {
	const d = 40 * time.Millisecond
	w := newWindow(2)
	ctx := context.Background()
	doneA, _ := w.take(ctx, d)
	doneB, _ := w.take(ctx, d)
	doneA()
	t0 := time.Now()
	time.Sleep(5 * time.Millisecond)
	doneB()
	doneC, err := w.take(ctx, d) // A's slot: free 40 ms after A's answer
	if err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(t0); waited < d-time.Millisecond {
		t.Errorf("the third request went %v after the first answer, want at least %v", waited, d)
	}
	doneC()
}
