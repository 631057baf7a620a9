package retry

import (
	"net/http"
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := Policy{Attempts: 5, Base: time.Second, Max: 30 * time.Second}
	tests := []struct {
		name    string
		attempt int
		header  string
		want    time.Duration
	}{
		{"first backoff", 1, "", time.Second},
		{"doubles", 3, "", 4 * time.Second},
		{"capped", 10, "", 30 * time.Second},
		{"retry-after seconds", 1, "7", 7 * time.Second},
		{"retry-after zero", 4, "0", 0},
		{"retry-after capped", 1, "3600", 30 * time.Second},
		{"retry-after date", 1, now.Add(12 * time.Second).Format(http.TimeFormat), 12 * time.Second},
		{"retry-after past date", 1, now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"retry-after garbage", 2, "soon", 2 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.header != "" {
				h.Set("Retry-After", tc.header)
			}
			if got := p.Delay(tc.attempt, h, now); got != tc.want {
				t.Errorf("Delay(%d, %q) = %v, want %v", tc.attempt, tc.header, got, tc.want)
			}
		})
	}
}

func TestRetryable(t *testing.T) {
	for status, want := range map[int]bool{200: false, 400: false, 403: false, 429: true, 500: true, 501: false, 502: true, 503: true} {
		if got := Retryable(status); got != want {
			t.Errorf("Retryable(%d) = %v", status, got)
		}
	}
}
