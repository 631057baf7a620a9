package cloudflare

import (
	"net/http"
	"testing"
	"time"
)

// TestRateLimitForms: every form of the rate-limit headers Cloudflare
// documents reads as what it says is left (rateLimit's sources).
func TestRateLimitForms(t *testing.T) {
	now := time.Date(2026, 12, 7, 4, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		h         map[string]string
		limit     int
		remaining int
		period    time.Duration
		ok        bool
	}{
		{"the limits page's example, names differ", map[string]string{"Ratelimit": `"default";r=50;t=30`, "Ratelimit-Policy": `"burst";q=100;w=60`}, 100, 50, time.Minute, true},
		{"names match", map[string]string{"Ratelimit": `"default";r=5;t=30`, "Ratelimit-Policy": `"default";q=1200;w=300`}, 1200, 5, 5 * time.Minute, true},
		{"a token name", map[string]string{"Ratelimit": `default;r=5;t=30`, "Ratelimit-Policy": `default;q=1200;w=300`}, 1200, 5, 5 * time.Minute, true},
		{"no policy: r until t", map[string]string{"Ratelimit": `"default";r=10;t=30`}, 0, 10, 30 * time.Second, true},
		{"the tightest of two", map[string]string{"Ratelimit": `"a";r=900, "b";r=1`, "Ratelimit-Policy": `"a";q=1000;w=60, "b";q=10;w=1`}, 10, 1, time.Second, true},
		{"two limits, one policy unnamed by either: r until t", map[string]string{"Ratelimit": `"a";r=2;t=10, "b";r=900;t=10`, "Ratelimit-Policy": `"c";q=1000;w=60`}, 0, 2, 10 * time.Second, true},
		{"x-ratelimit, reset a date", map[string]string{"X-Ratelimit-Limit": "1200", "X-Ratelimit-Remaining": "3", "X-Ratelimit-Reset": now.Add(20 * time.Second).Format(http.TimeFormat)}, 0, 3, 21 * time.Second, true},
		{"nothing left is still said", map[string]string{"Ratelimit": `"default";r=0;t=30`, "Ratelimit-Policy": `"burst";q=100;w=60`}, 100, 0, time.Minute, true},
		{"no headers", nil, 0, 0, 0, false},
		{"no remaining", map[string]string{"Ratelimit": `"default";t=30`, "Ratelimit-Policy": `"default";q=100;w=60`}, 0, 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.h {
				h.Set(k, v)
			}
			limit, remaining, period, ok := rateLimit(h, now)
			if limit != tc.limit || remaining != tc.remaining || period != tc.period || ok != tc.ok {
				t.Errorf("rateLimit = %d, %d, %s, %v; want %d, %d, %s, %v", limit, remaining, period, ok, tc.limit, tc.remaining, tc.period, tc.ok)
			}
		})
	}
}
