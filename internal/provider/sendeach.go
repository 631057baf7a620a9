package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/dnsparity/dnsparity/internal/progress"
)

// Failure is a change of SendEach's order that failed: its index there
// and why.
type Failure struct {
	Index int
	Err   error
}

// SendEach sends the changes of order, one call each (send, which returns
// the requests it took), up to workers calls at once, for an API that
// takes one change a call and lets several be under way (NS1: "Available
// tokens may be used as quickly as your automation can send requests",
// IBM NS1 Connect, "API rate limiting"; the account's limiter keeps them
// within the limit the API announces). order is CreatesFirst's (or
// ByName's): each name's changes together, the names that get records
// before the names that only lose records. So the changes of one name go
// one after the other, in their order (a CNAME in before the A it
// replaces goes out, a DS after its NS); the names that get records go
// at once, and the names that only lose records start when all of those
// are done (no delete runs ahead of an add elsewhere that may need it
// still present). workers < 2 sends one change at a time, in order.
//
// The first failure stops it: no call starts after it, the calls under
// way end (applied or failed). The Result lists the changes done in the
// order their calls ended; the failures come in the order of order, and
// notSent are the changes no call was started for; res.Left holds each
// failure's change (perhaps applied or not applied, as OneCallState says)
// and notSent (not applied).
func SendEach(ctx context.Context, order []Change, workers int, task progress.Updater, send func(ctx context.Context, c Change) (requests int, err error)) (res Result, fails []Failure, notSent []Change) {
	var groups [][]int
	for i, c := range order {
		if i == 0 || c.Name != order[i-1].Name {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], i)
	}
	split := len(groups)
	for split > 0 && onlyDeletes(order, groups[split-1]) {
		split--
	}
	var mu sync.Mutex
	started := make([]bool, len(order))
	stopped := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(fails) > 0
	}
	one := func(g []int) {
		for _, i := range g {
			mu.Lock()
			if len(fails) > 0 {
				mu.Unlock()
				return
			}
			started[i] = true
			mu.Unlock()
			n, err := send(ctx, order[i])
			mu.Lock()
			res.Requests += n
			if err != nil {
				fails = append(fails, Failure{Index: i, Err: err})
			} else {
				res.Done(task, order[i])
			}
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}
	phase := func(gs [][]int) {
		next := make(chan []int)
		var wg sync.WaitGroup
		for range min(max(workers, 1), len(gs)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for g := range next {
					one(g)
				}
			}()
		}
		for _, g := range gs {
			if stopped() {
				break
			}
			next <- g
		}
		close(next)
		wg.Wait()
	}
	phase(groups[:split])
	if !stopped() {
		phase(groups[split:])
	}
	slices.SortFunc(fails, func(a, b Failure) int { return a.Index - b.Index })
	for i, c := range order {
		if !started[i] {
			notSent = append(notSent, c)
		}
	}
	for _, f := range fails {
		if PerhapsApplied(f.Err) {
			res.Left.Perhaps = append(res.Left.Perhaps, order[f.Index])
		} else {
			res.Left.NotApplied = append(res.Left.NotApplied, order[f.Index])
		}
	}
	res.Left.NotApplied = append(res.Left.NotApplied, notSent...)
	return res, fails, notSent
}

func onlyDeletes(order []Change, g []int) bool {
	for _, i := range g {
		if order[i].Action != Delete {
			return false
		}
	}
	return true
}

// OneCallState is the state of a change made in one call that failed
// with err: perhaps applied (PerhapsState) or not applied.
func OneCallState(err error) string {
	if PerhapsApplied(err) {
		return PerhapsState
	}
	return "not applied"
}

// FailuresText says what became of each failure of SendEach (fails, of
// order, one call a change): the first, which stopped the push, then each
// other that failed while it was under way, each with its own state
// (OneCallState: a write whose answer was lost is perhaps applied, every
// time, not only when it failed first). Each is its own "; " clause
// naming its change. The first's error is left for the caller to wrap.
func FailuresText(order []Change, fails []Failure) string {
	var b strings.Builder
	for k, f := range fails {
		if k == 0 {
			fmt.Fprintf(&b, "change %d of %d (%s) failed, %s", f.Index+1, len(order), order[f.Index], OneCallState(f.Err))
			continue
		}
		fmt.Fprintf(&b, "; change %d of %d (%s) also failed meanwhile, %s: %v", f.Index+1, len(order), order[f.Index], OneCallState(f.Err), f.Err)
	}
	return b.String()
}
