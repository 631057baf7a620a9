package httpretry

import (
	"context"
	"sync"
	"time"
)

// Budget follows a rate limit the server announces in its answers'
// headers (NS1's X-Ratelimit-Limit/-Remaining/-Period, DNS Made Easy's
// x-dnsme-requestLimit/-requestsRemaining over its 5-minute window) and
// spaces requests out before the server has to refuse one: while plenty
// of the window's requests remain there is no wait; when fewer than a
// tenth remain, requests are spread evenly over the window
// (period / remaining, the whole period when none remain). Every wait is
// capped by Max. The zero Budget never waits.
type Budget struct {
	// Max caps a wait (default 60 s).
	Max time.Duration

	mu   sync.Mutex
	next time.Time // no request before this
}

// Pace is the wait the announced numbers ask for before the next request.
func Pace(limit, remaining int, period time.Duration) time.Duration {
	if period <= 0 || remaining < 0 {
		return 0
	}
	if limit > 0 && remaining*10 > limit {
		return 0
	}
	if remaining == 0 {
		return period
	}
	return period / time.Duration(remaining)
}

// Observe records the numbers of one answer (limit 0 when the server did
// not say; remaining -1 when it sent no header).
func (b *Budget) Observe(limit, remaining int, period time.Duration, now time.Time) {
	if b == nil || remaining < 0 {
		return
	}
	d := Pace(limit, remaining, period)
	max := b.Max
	if max <= 0 {
		max = time.Minute
	}
	d = min(d, max)
	b.mu.Lock()
	b.next = now.Add(d)
	b.mu.Unlock()
}

// Wait blocks until the budget allows the next request or ctx ends.
func (b *Budget) Wait(ctx context.Context) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	d := time.Until(b.next)
	b.mu.Unlock()
	if d <= 0 {
		return nil
	}
	return Sleep(ctx, d)
}
