package httpretry

import (
	"context"
	"errors"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/fakeapi"
)

// TestWindowCountsUntilTheAnswer: requests let through by the limiter
// reach a server that counts 5 per 20 ms (a fixed window, as the fakes
// and the vendors count) after a random delay on the way, as on a busy
// machine or a slow connection. A bucket that sends at most 5 in any
// 20 ms is refused there (the late ones bunch up in the server's
// window); with the count per window kept until each answer, never.
func TestWindowCountsUntilTheAnswer(t *testing.T) {
	const period = 20 * time.Millisecond
	run := func(l Limits) (refused, sent int) {
		lim := NewLimiter(l)
		var mu sync.Mutex
		server := &fakeapi.Window{Limit: 5, Period: period}
		rnd := rand.New(rand.NewSource(1))
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 25 {
					done, err := lim.Wait(context.Background(), "")
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					transit, answer := time.Duration(rnd.Int63n(int64(12*time.Millisecond))), time.Duration(rnd.Int63n(int64(2*time.Millisecond)))
					mu.Unlock()
					time.Sleep(transit)
					mu.Lock()
					server.Take(time.Now())
					mu.Unlock()
					time.Sleep(answer)
					done()
				}
			}()
		}
		wg.Wait()
		return server.Refused, int(lim.Stats().Requests)
	}
	bucket := Limits{PerSecond: 200, Burst: 1}
	if bucket.Most(period) != 5 {
		t.Fatalf("the bucket sends %d in %v, want 5", bucket.Most(period), period)
	}
	if refused, sent := run(bucket); refused == 0 {
		t.Errorf("the bucket alone: none of %d requests refused: the test does not delay them enough", sent)
	}
	counted := bucket
	counted.Count, counted.Window = 5, period
	if refused, sent := run(counted); refused != 0 || sent != 200 {
		t.Errorf("the count per window: %d of %d requests refused, want none of 200", refused, sent)
	}
}

// TestWindowSpeed: SetSpeed shortens the count's window (a benchmark
// against a fake whose window is as much shorter), and a request given up
// on (done after an error) frees its place.
func TestWindowSpeed(t *testing.T) {
	l := NewLimiter(Limits{Count: 2, Window: time.Hour})
	// The hour in 400 ms: a window long enough that waiting it and not
	// tell apart on a loaded machine.
	l.SetSpeed(float64(time.Hour / (400 * time.Millisecond)))
	ctx := context.Background()
	d0, _ := l.Wait(ctx, "") // the first request goes alone
	d0()
	time.Sleep(600 * time.Millisecond) // its place is free again
	start := time.Now()
	d1, _ := l.Wait(ctx, "")
	d2, _ := l.Wait(ctx, "")
	if time.Since(start) > 200*time.Millisecond {
		t.Errorf("two of 2 per window waited %v", time.Since(start))
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	if _, err := l.Wait(short, ""); err == nil {
		t.Error("a third request went while two are unanswered")
	}
	cancel()
	answered := time.Now() // before the answer: a stall after it only lengthens w
	d1()
	d3, err := l.Wait(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if w := time.Since(answered); w < 395*time.Millisecond || w > 5*time.Second {
		t.Errorf("the third request went %v after the first's answer, want the window (400 ms)", w)
	}
	d2()
	d3()
	if got := (Limits{PerSecond: 10, Burst: 10, Count: 20, Window: time.Second}).Most(time.Second); got != 20 {
		t.Errorf("Most: %d", got)
	}
	if got := (Limits{PerSecond: 100, Burst: 10, Count: 5, Window: time.Second}).Most(time.Second); got != 5 {
		t.Errorf("Most with the count tighter than the bucket: %d", got)
	}
}

// TestAnnouncedLimit: a server that announces its limit per window in
// each answer (NS1's X-Ratelimit-*, DNS Made Easy's x-dnsme-*) and counts
// 20 per 30 ms per family; 8 requests at a time reach it after a random
// delay. The limiter learns the limit from the first answer (the first
// request goes alone) and never lets the server refuse one, though the
// remaining count in each answer is already stale when it arrives.
func TestAnnouncedLimit(t *testing.T) {
	const limit, period = 20, 30 * time.Millisecond
	lim := NewLimiter(Limits{})
	var mu sync.Mutex
	server := &fakeapi.Window{Limit: limit, Period: period}
	rnd := rand.New(rand.NewSource(2))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 40 {
				done, err := lim.Wait(context.Background(), "read zones")
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				transit := time.Duration(rnd.Int63n(int64(8 * time.Millisecond)))
				mu.Unlock()
				time.Sleep(transit)
				mu.Lock()
				ok, remaining, _ := server.Take(time.Now())
				mu.Unlock()
				if !ok {
					remaining = 0
				}
				lim.Observe("read zones", limit, remaining, period)
				done()
			}
		}()
	}
	wg.Wait()
	if server.Refused != 0 {
		t.Errorf("%d of %d requests refused", server.Refused, lim.Stats().Requests)
	}
}

// TestLimiterPastDeadline: the limiter's own waits, a slot of the
// counted window (2 per 10 s, both answered just now: 10 s) and a token
// of the steady bucket (1 a second, spent: 1 s), with a deadline in
// 200 ms: the request fails at once, naming the wait (ErrWaitTooLong), as
// the pause after a refusal and the headers' pacing do, never sleeping
// until the deadline ends it with "context deadline exceeded" (the
// window) or failing with x/time/rate's own words (the bucket). Then
// each waits what fits: a slot of a window of 50 ms; the bucket's token,
// given back by the refused request, no later than its own.
func TestLimiterPastDeadline(t *testing.T) {
	for _, tc := range []struct {
		name   string
		limits Limits
		spend  int
		then   func(t *testing.T, lim *Limiter)
	}{
		{"window slot", Limits{Count: 2, Window: 10 * time.Second}, 2, func(t *testing.T, _ *Limiter) {
			short := NewLimiter(Limits{Count: 1, Window: 50 * time.Millisecond})
			done, _ := short.Wait(context.Background(), "")
			done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			if _, err := short.Wait(ctx, ""); err != nil {
				t.Errorf("a slot free within the deadline: %v", err)
			}
		}},
		{"bucket token", Limits{PerSecond: 1, Burst: 1}, 1, func(t *testing.T, lim *Limiter) {
			start := time.Now()
			done, err := lim.Wait(context.Background(), "")
			if err != nil || time.Since(start) > 1500*time.Millisecond {
				t.Errorf("the next request: %v after %s", err, time.Since(start))
			}
			if done != nil {
				done()
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim := NewLimiter(tc.limits)
			for range tc.spend {
				done, err := lim.Wait(context.Background(), "")
				if err != nil {
					t.Fatal(err)
				}
				done()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := lim.Wait(ctx, "")
			if !errors.Is(err, ErrWaitTooLong) || !strings.Contains(err.Error(), "before another try") {
				t.Errorf("a wait past the deadline: %v, want %v naming the wait", err, ErrWaitTooLong)
			}
			if took := time.Since(start); took > 100*time.Millisecond {
				t.Errorf("took %s: slept toward the deadline", took)
			}
			tc.then(t, lim)
		})
	}
}
