package powerdns

import (
	"context"
	"time"
)

// SetSleep replaces the wait between retries (tests record the waits
// instead of sleeping).
func SetSleep(p *Provider, f func(ctx context.Context, d time.Duration) error) {
	p.sleep = f
}

// Backoff is the first retry's wait without Retry-After.
func Backoff(p *Provider) time.Duration { return p.backoff }
