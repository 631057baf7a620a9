package fanout

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestOrderedBounds(t *testing.T) {
	weights := []int64{1, 5, 2, 30, 1, 1, 8, 2, 2, 1, 9, 1}
	tests := []struct {
		name   string
		o      Options
		maxRun int   // most items seen running at once, at most
		maxW   int64 // most weight running at once, at most
	}{
		{"limit 1", Options{Limit: 1}, 1, 30},
		{"limit 4", Options{Limit: 4}, 4, 1 << 40},
		{"budget 10", Options{Limit: 8, Budget: 10, Weight: func(i int) int64 { return weights[i] }}, 8, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			running, peak := 0, 0
			var w, peakW int64
			aloneOK := true
			got := []int{}
			n := Ordered(context.Background(), len(weights), tt.o, func(ctx context.Context, i int) int {
				mu.Lock()
				running++
				w += weights[i]
				peak, peakW = max(peak, running), max(peakW, w)
				if tt.o.Budget > 0 && weights[i] > tt.o.Budget && running > 1 {
					aloneOK = false
				}
				mu.Unlock()
				time.Sleep(time.Duration(10-i%5) * time.Millisecond) // later items finish first
				mu.Lock()
				running--
				w -= weights[i]
				mu.Unlock()
				return i * 10
			}, func(i, r int) bool {
				if r != i*10 {
					t.Errorf("item %d: result %d", i, r)
				}
				got = append(got, i)
				return true
			})
			if n != len(weights) || len(got) != len(weights) {
				t.Fatalf("handed on %d (%v), want %d", n, got, len(weights))
			}
			for i, g := range got {
				if g != i {
					t.Fatalf("order %v", got)
				}
			}
			if peak > tt.maxRun {
				t.Errorf("%d ran at once, limit %d", peak, tt.maxRun)
			}
			if tt.o.Budget > 0 {
				if !aloneOK {
					t.Error("an item heavier than the budget ran beside another")
				}
				// The heavy item alone is over the budget; the others
				// together stay within it.
				if peakW > tt.maxW && peakW != 30 {
					t.Errorf("weight %d ran at once, budget %d", peakW, tt.maxW)
				}
			}
			if tt.o.Limit > 1 && peak < 2 {
				t.Errorf("never more than one at once (limit %d)", tt.o.Limit)
			}
		})
	}
}

func TestOrderedStop(t *testing.T) {
	var maxStarted atomic.Int32
	var got []int
	const limit = 4
	var atStop int32
	n := Ordered(context.Background(), 100, Options{Limit: limit}, func(ctx context.Context, i int) int {
		for {
			m := maxStarted.Load()
			if int32(i) <= m || maxStarted.CompareAndSwap(m, int32(i)) {
				break
			}
		}
		if i != 3 {
			select {
			case <-ctx.Done():
			case <-time.After(time.Duration(i%3) * time.Millisecond):
			}
		}
		return i
	}, func(i, r int) bool {
		got = append(got, i)
		if i == 3 { // stop after item 3
			atStop = maxStarted.Load()
			return false
		}
		return true
	})
	if n != 3 || len(got) != 4 {
		t.Fatalf("handed on %d, emit saw %v; want 3 and 0..3", n, got)
	}
	// One item may be in the middle of starting when emit says stop.
	if m := maxStarted.Load(); m > atStop+1 {
		t.Errorf("item %d started: the fan-out went on after emit said stop", m)
	}
}

func TestOrderedContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var got []int
	n := Ordered(ctx, 50, Options{Limit: 2}, func(ctx context.Context, i int) int {
		if i == 5 {
			cancel()
		}
		<-time.After(time.Millisecond)
		return i
	}, func(i, r int) bool {
		got = append(got, i)
		return true
	})
	if n < 5 || n > 8 || len(got) != n {
		t.Fatalf("handed on %d (%v): want the items started before the end, in order", n, got)
	}
	for i, g := range got {
		if g != i {
			t.Fatalf("order %v", got)
		}
	}
}

// TestAll: every call runs at once (each waits for all the others to
// have started: one at a time would never end) and the results come in
// index order.
func TestAll(t *testing.T) {
	for _, n := range []int{0, 1, 7} {
		var started sync.WaitGroup
		started.Add(n)
		done := make(chan []int)
		go func() {
			done <- All(n, func(i int) int {
				started.Done()
				started.Wait()
				return i * i
			})
		}()
		select {
		case got := <-done:
			if len(got) != n {
				t.Fatalf("n=%d: %d results", n, len(got))
			}
			for i, v := range got {
				if v != i*i {
					t.Errorf("n=%d: result %d is %d, want %d", n, i, v, i*i)
				}
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("n=%d: the calls did not all run at once", n)
		}
	}
}

// TestEach: every index is done once, by a worker numbered below the
// bound (and below n), each worker's calls one after the other.
func TestEach(t *testing.T) {
	for _, tc := range []struct{ n, workers, want int }{{0, 3, 0}, {1, 3, 1}, {5, 0, 1}, {100, 4, 4}, {3, 8, 3}} {
		var mu sync.Mutex
		done := make([]int, tc.n)
		busy := map[int]bool{}
		used := map[int]bool{}
		Each(tc.n, tc.workers, func(w, i int) {
			mu.Lock()
			if busy[w] {
				t.Errorf("n=%d workers=%d: worker %d runs two calls at once", tc.n, tc.workers, w)
			}
			busy[w], used[w] = true, true
			done[i]++
			mu.Unlock()
			mu.Lock()
			busy[w] = false
			mu.Unlock()
		})
		for i, c := range done {
			if c != 1 {
				t.Errorf("n=%d workers=%d: index %d done %d times", tc.n, tc.workers, i, c)
			}
		}
		for w := range used {
			if w < 0 || w >= tc.want {
				t.Errorf("n=%d workers=%d: worker %d, want below %d", tc.n, tc.workers, w, tc.want)
			}
		}
	}
}
