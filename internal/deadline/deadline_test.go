package deadline

import (
	"testing"
	"time"
)

// TestFormat: a deadline with a fraction of a second is written as the
// next whole second, never the one before (time.Format's RFC 3339 cuts
// it); a whole one stays; the zone is UTC.
func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 5, 19, 17, 21, 800_000_000, time.UTC), "2026-12-05T19:17:22Z"},
		{time.Date(2026, 12, 5, 19, 17, 21, 1, time.UTC), "2026-12-05T19:17:22Z"},
		{time.Date(2026, 12, 5, 19, 17, 21, 0, time.UTC), "2026-12-05T19:17:21Z"},
		{time.Date(2026, 12, 31, 23, 59, 59, 500_000_000, time.UTC), "2027-01-01T00:00:00Z"},
		{time.Date(2026, 12, 5, 20, 17, 21, 200_000_000, time.FixedZone("CET", 3600)), "2026-12-05T19:17:22Z"},
	} {
		if got := Format(tc.at); got != tc.want {
			t.Errorf("Format(%s) = %s, want %s", tc.at.Format(time.RFC3339Nano), got, tc.want)
		}
		if up := Up(tc.at); up.Before(tc.at) || up.Sub(tc.at) >= time.Second {
			t.Errorf("Up(%s) = %s: not within the second after", tc.at.Format(time.RFC3339Nano), up.Format(time.RFC3339Nano))
		}
	}
}
