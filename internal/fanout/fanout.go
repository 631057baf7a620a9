// Package fanout runs one piece of work per item (a zone) several at a
// time, within a bound on how many run at once and on their summed
// weight (a zone's size: memory), and hands the results on in item order
// as soon as they can be: check, parity, plan and push over thousands of
// zones in one process keep the memory of the zones in flight, not of
// all of them, and report as they go.
package fanout

import (
	"context"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/semaphore"
)

// Options bound a fan-out.
type Options struct {
	// Limit is how many items run at once (default 1).
	Limit int
	// Budget bounds the summed Weight of the items running at once (0: no
	// bound). An item heavier than Budget runs alone.
	Budget int64
	// Weight is item i's weight (default 1).
	Weight func(i int) int64
}

// All calls do(i) for each i in [0, n), all at once (a goroutine each),
// and returns their results in index order once every call has returned:
// for a handful of servers asked together, where each one that does not
// answer costs its timeout once, not once per server. Not for zones:
// Ordered bounds those.
func All[R any](n int, do func(i int) R) []R {
	out := make([]R, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { out[i] = do(i) })
	}
	wg.Wait()
	return out
}

// Each calls do(w, i) for each i in [0, n), in at most workers goroutines
// (default 1) that each take the next index free (w is the goroutine's,
// from 0: state kept per goroutine, reused from one item to the next),
// and returns when every call has. Nothing is handed from one goroutine
// to another per item: over thousands of small items (a glob's files, a
// sweep's zones) the cost is theirs, not the scheduler's. For results in
// order as they come, or bounds by weight, Ordered.
func Each(n, workers int, do func(w, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(max(workers, 1), n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				do(w, i)
			}
		})
	}
	wg.Wait()
}

// Ordered calls do(ctx, i) for each i in [0, n), several at once within
// o's bounds, starting them in index order, and hands each result to emit
// in index order, as soon as the results before it have been handed on
// (emit runs in one goroutine at a time). When emit returns false, no more
// items are started and the ctx of those running is canceled; their
// results are not handed on. When ctx ends (Ctrl-C), no more items are
// started; the results of those running (partial, as do makes them) are
// handed on in order. Ordered returns when every started call has
// returned, with the number of results handed on. The calls run in at
// most o.Limit goroutines that take one item after the other (not one
// goroutine per item: a goroutine's stack, grown by the first zone it
// parses, serves the next ones).
func Ordered[R any](ctx context.Context, n int, o Options, do func(ctx context.Context, i int) R, emit func(i int, r R) bool) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	limit := max(1, o.Limit)
	slots := semaphore.NewWeighted(int64(limit))
	var budget *semaphore.Weighted
	if o.Budget > 0 {
		budget = semaphore.NewWeighted(o.Budget)
	}
	weight := func(i int) int64 {
		w := int64(1)
		if o.Weight != nil {
			w = max(o.Weight(i), 0)
		}
		if budget != nil {
			w = min(w, o.Budget) // a heavier item waits for the whole budget: it runs alone
		}
		return w
	}

	var (
		mu      sync.Mutex
		done    = map[int]R{}
		next    int // the next index to hand on
		stopped bool
		wg      sync.WaitGroup
	)
	// finish records item i's result and hands on what is in order.
	finish := func(i int, r R) {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		done[i] = r
		for {
			r, ok := done[next]
			if !ok {
				return
			}
			delete(done, next)
			if !emit(next, r) {
				stopped = true
				cancel()
				return
			}
			next++
		}
	}
	// Items started (within the bounds) go to the workers, one at a time;
	// a worker is started while fewer than limit run and none is idle.
	type item struct {
		i int
		w int64
	}
	work := make(chan item)
	workers := 0
	var idle atomic.Int64
	for i := 0; i < n; i++ {
		w := weight(i)
		if slots.Acquire(ctx, 1) != nil {
			break
		}
		if budget != nil && budget.Acquire(ctx, w) != nil {
			slots.Release(1)
			break
		}
		if ctx.Err() != nil { // Acquire may succeed on an ended ctx
			slots.Release(1)
			if budget != nil {
				budget.Release(w)
			}
			break
		}
		if workers < limit && idle.Load() == 0 {
			workers++
			wg.Add(1)
			go func() {
				defer wg.Done()
				for it := range work {
					finish(it.i, do(ctx, it.i))
					if budget != nil {
						budget.Release(it.w)
					}
					idle.Add(1)
					slots.Release(1)
				}
			}()
		} else {
			idle.Add(-1)
		}
		work <- item{i, w}
	}
	close(work)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return next
}
