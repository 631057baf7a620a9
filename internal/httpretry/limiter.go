package httpretry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Limits are an API's documented request budget for one account: a
// steady rate with a burst (a token bucket whose every window of the
// vendor's length stays within the vendor's count), and the vendor's
// count per window itself.
type Limits struct {
	PerSecond float64
	Burst     int
	// Count requests per Window, when set, is the vendor's documented
	// limit, kept as the server counts it: a request is counted from
	// when it is let through until its answer comes (the latest the
	// server can have counted it), and none is let through while Count
	// counted ones, none answered more than Window ago, would make
	// another window of Count+1. A bucket alone is exact only at the
	// moment of sending: requests that reach the server late (a slow
	// connection, a busy machine) bunch up in the server's window.
	Count  int
	Window time.Duration
}

// Limiter is the API budget of one provider account, shared by every zone
// a process works on: a token bucket at the documented rate, the
// documented count per window counted up to each answer, the pacing the
// server's rate-limit headers ask for (per endpoint family, NS1's
// X-Ratelimit-*, DNS Made Easy's x-dnsme-*), and a pause for the whole
// account when an answer says Retry-After. It is safe for concurrent
// use.
type Limiter struct {
	bucket *rate.Limiter
	window *window // nil: no count per window
	limits Limits
	max    atomic.Int64  // caps a header-paced wait or a pause (ns)
	speed  atomic.Uint64 // the clock's speed (SetSpeed), float64 bits; 0: 1

	mu       sync.Mutex
	families map[string]*Budget
	paused   time.Time // no request before this

	requests  atomic.Int64
	throttled atomic.Int64
	waited    atomic.Int64 // ns
}

// NewLimiter makes a limiter; zero Limits mean no steady-rate bucket.
func NewLimiter(l Limits) *Limiter {
	lim := &Limiter{families: map[string]*Budget{}, limits: l}
	if l.PerSecond > 0 {
		lim.bucket = rate.NewLimiter(rate.Limit(l.PerSecond), max(l.Burst, 1))
	}
	if l.Count > 0 && l.Window > 0 {
		lim.window = newWindow(l.Count)
	}
	lim.max.Store(int64(DefaultLongest))
	return lim
}

// SetMax caps every wait the headers or a Retry-After ask for (a
// policy's Longest; tests shorten it).
func (l *Limiter) SetMax(d time.Duration) {
	if d > 0 {
		l.max.Store(int64(d))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range l.families {
		b.Max = d
	}
}

// SetSpeed runs the limiter's clock f times as fast (f ≥ 1), for a
// benchmark against a fake API whose rate windows are f times shorter
// than the vendor's: the bucket refills f times as fast (the burst stays),
// and a period the headers announce, a Retry-After and a pause after a
// refusal are f times shorter. Every provider of the account sees it.
func (l *Limiter) SetSpeed(f float64) {
	if f < 1 {
		f = 1
	}
	l.speed.Store(math.Float64bits(f))
	if l.bucket != nil {
		l.bucket.SetLimit(rate.Limit(l.limits.PerSecond * f))
	}
}

// scaled is d on the limiter's clock (SetSpeed).
func (l *Limiter) scaled(d time.Duration) time.Duration {
	if f := math.Float64frombits(l.speed.Load()); f > 1 {
		return time.Duration(float64(d) / f)
	}
	return d
}

// budget is the header budget of an endpoint family ("" for the API as a
// whole).
func (l *Limiter) budget(family string) *Budget {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.families[family]
	if b == nil {
		b = &Budget{Max: time.Duration(l.max.Load())}
		l.families[family] = b
	}
	return b
}

// Wait blocks until the account may send one more request of the family:
// after any pause, the family's header pacing, a token of the bucket and
// room in the counts per window (the account's, and the one the family's
// answers announce). The caller sends the request and calls done when its
// answer has come and its rate-limit headers were observed, or when it
// has given up on it (done is never nil; it must be called, also after an
// error).
func (l *Limiter) Wait(ctx context.Context, family string) (done func(), err error) {
	if l == nil {
		return func() {}, nil
	}
	start := time.Now()
	defer func() { l.waited.Add(int64(time.Since(start))) }()
	l.mu.Lock()
	pause := time.Until(l.paused)
	l.mu.Unlock()
	if pause > 0 {
		// The account's pause after a refusal (Throttled): not slept
		// into a deadline it outlasts, which no request could then meet.
		if err := Worth(ctx, pause, time.Duration(l.max.Load())); err != nil {
			return func() {}, fmt.Errorf("the account is paused after a refusal for rate: %w", err)
		}
		if err := Sleep(ctx, pause); err != nil {
			return func() {}, err
		}
	}
	b := l.budget(family)
	if err := b.Wait(ctx); err != nil {
		return func() {}, err
	}
	if l.bucket != nil {
		// The token's wait, not slept into a deadline it outlasts (the
		// token given back: the next request is not delayed by it).
		r := l.bucket.Reserve()
		if d := r.Delay(); d > 0 {
			if err := Worth(ctx, d, d); err != nil {
				r.Cancel()
				return func() {}, fmt.Errorf("the steady request rate is spent: %w", err)
			}
			if err := Sleep(ctx, d); err != nil {
				r.Cancel()
				return func() {}, err
			}
		}
	}
	account, family1 := func() {}, func() {}
	if l.window != nil {
		if account, err = l.window.take(ctx, l.scaled(l.limits.Window)); err != nil {
			return func() {}, err
		}
	}
	if family1, err = b.admit(ctx); err != nil {
		account()
		return func() {}, err
	}
	l.requests.Add(1)
	return func() { account(); family1() }, nil
}

func newWindow(count int) *window { return seededWindow(count, 0, time.Time{}) }

// seededWindow is a window of count slots of which used were answered
// at (the requests a server says it counted before this one heard of
// its limit).
func seededWindow(count, used int, at time.Time) *window {
	w := &window{changed: make(chan struct{})}
	used = min(max(used, 0), count)
	if count-used > 0 {
		w.free = append(w.free, run{n: count - used})
	}
	if used > 0 {
		w.free = append(w.free, run{at: at, n: used})
	}
	return w
}

// window keeps a count per window as the server counts it: Count slots,
// each holding one request at a time, from when it is let through until
// its answer; a slot takes the next request only Window after its last
// one's answer. So the requests of one slot reach the server at least
// Window apart, in any order of arrival, and no window of that length
// holds more than one request per slot.
//
// The free slots are kept as runs, oldest answer first: slots answered
// at one time are one run, and every slot free for a whole window is in
// the first. A request takes a slot of the first run, the one free the
// soonest. So neither memory nor the time of a request grows with the
// count, which a server's headers set (a garbled or hostile one too).
type window struct {
	mu      sync.Mutex
	free    []run         // the free slots, by their last answer, oldest first
	changed chan struct{} // closed (and replaced) when a slot is freed
}

// run is n free slots whose last requests were answered at at (the zero
// time: never used).
type run struct {
	at time.Time
	n  int
}

// take waits for a slot free for Window d and holds it until done.
func (w *window) take(ctx context.Context, d time.Duration) (done func(), err error) {
	for {
		w.mu.Lock()
		now := time.Now()
		// Slots free for a whole window are all alike: one run.
		for len(w.free) > 1 && !w.free[1].at.Add(d).After(now) {
			w.free[1].n += w.free[0].n
			w.free = w.free[1:]
		}
		wait, some := time.Duration(0), len(w.free) > 0
		if some {
			wait = w.free[0].at.Add(d).Sub(now)
		}
		if some && wait <= 0 {
			if w.free[0].n--; w.free[0].n == 0 {
				w.free = w.free[1:]
			}
			w.mu.Unlock()
			var once sync.Once
			return func() { once.Do(w.answered) }, nil
		}
		changed := w.changed
		w.mu.Unlock()
		if some {
			// No slot frees sooner (one in flight frees a window after
			// its answer, later still): a wait past the deadline is
			// not slept into, as the pause and the pacing are not.
			if err := Worth(ctx, wait, wait); err != nil {
				return nil, fmt.Errorf("the requests counted per window are all spent: %w", err)
			}
		}
		var t *time.Timer
		var timer <-chan time.Time
		if some {
			t = time.NewTimer(wait)
			timer = t.C
		}
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-changed:
		case <-timer:
		}
		if t != nil {
			t.Stop()
		}
		if err != nil {
			return nil, err
		}
	}
}

// answered frees the slot of a request whose answer came now: the last
// run, or a run after it (the clock only moves on; a run of a later time,
// which only a seeded window can hold, keeps its place).
func (w *window) answered() {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	i := len(w.free)
	for i > 0 && w.free[i-1].at.After(now) {
		i--
	}
	switch {
	case i > 0 && w.free[i-1].at.Equal(now):
		w.free[i-1].n++
	default:
		w.free = slices.Insert(w.free, i, run{at: now, n: 1})
	}
	close(w.changed)
	w.changed = make(chan struct{})
}

// Observe records the rate-limit headers of one answer of the family
// (limit 0 when not said; remaining -1 when no header).
func (l *Limiter) Observe(family string, limit, remaining int, period time.Duration) {
	if l == nil {
		return
	}
	l.budget(family).Observe(limit, remaining, l.scaled(period), time.Now())
}

// Throttled records a refusal for rate (429 or the vendor's equivalent):
// every request of the account waits d (capped), not only the refused
// one's retry.
func (l *Limiter) Throttled(d time.Duration) {
	if l == nil {
		return
	}
	l.throttled.Add(1)
	d = min(l.scaled(d), time.Duration(l.max.Load()))
	if d <= 0 {
		return
	}
	until := time.Now().Add(d)
	l.mu.Lock()
	if until.After(l.paused) {
		l.paused = until
	}
	l.mu.Unlock()
}

// Stats are what a limiter has seen: requests let through, refusals for
// rate, and the time spent waiting (summed over concurrent waiters).
type Stats struct {
	Requests, Throttled int64
	Waited              time.Duration
}

// Stats of the limiter.
func (l *Limiter) Stats() Stats {
	return Stats{Requests: l.requests.Load(), Throttled: l.throttled.Load(), Waited: time.Duration(l.waited.Load())}
}

// accounts holds one Limiter per provider account for the process: every
// provider made for the same account (several zones, or plan and the
// feature report of one run) draws from one budget, as the vendor counts
// it. It is the one process-wide state besides the provider registry.
var accounts = struct {
	sync.Mutex
	m map[string]*Limiter
}{m: map[string]*Limiter{}}

// Account is the process's limiter for one account of an API: kind names
// the API ("route53"), endpoint its base URL, credential identifies the
// account (hashed here, never kept); the first call for an account makes
// it with l.
func Account(kind, endpoint, credential string, l Limits) *Limiter {
	sum := sha256.Sum256([]byte(credential))
	key := kind + " " + endpoint + " " + hex.EncodeToString(sum[:8])
	accounts.Lock()
	defer accounts.Unlock()
	lim := accounts.m[key]
	if lim == nil {
		lim = NewLimiter(l)
		accounts.m[key] = lim
	}
	return lim
}

// Most is the most requests the limits let through in any window of
// length d: the bucket's burst and what refills meanwhile, and no more
// than Count per Window; to be held at or under the vendor's count for
// its window.
func (l Limits) Most(d time.Duration) int {
	n := math.MaxInt
	if l.PerSecond > 0 {
		n = l.Burst + int(l.PerSecond*d.Seconds())
	}
	if l.Count > 0 && l.Window > 0 {
		n = min(n, l.Count*int((d+l.Window-1)/l.Window))
	}
	return n
}
