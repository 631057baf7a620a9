package redact

import (
	"testing"
	"time"
)

// TestIsTime: isTime's quick refusal keeps every time encoding/json
// writes (RFC 3339 with or without fractions, any zone) and refuses what
// is no time, as time.Parse does.
func TestIsTime(t *testing.T) {
	at := time.Date(2026, 12, 7, 5, 45, 0, 123456789, time.FixedZone("x", -5*3600))
	for _, c := range []struct {
		v    string
		want bool
	}{
		{at.Format(time.RFC3339Nano), true},
		{at.UTC().Format(time.RFC3339Nano), true},
		{at.Truncate(time.Second).UTC().Format(time.RFC3339), true},
		{"0001-01-01T00:00:00Z", true},
		{"2026-12-07T05:45:00", false},
		{"2026-12-07", false},
		{"x2026-12-07T05:45:00Z", false},
		{"20261207T054500Z0000", false},
		{"pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg", false},
		{"", false},
	} {
		_, err := time.Parse(time.RFC3339Nano, c.v)
		if got := isTime(c.v); got != c.want || got != (err == nil) {
			t.Errorf("isTime(%q) = %v, want %v (time.Parse: %v)", c.v, got, c.want, err)
		}
	}
}

// TestIsTimeAllocs: refusing what is no time allocates nothing (a
// report's values are mostly no times; time.Parse's error allocated).
func TestIsTimeAllocs(t *testing.T) {
	for _, v := range []string{"h1.bench.test.", "v=spf1 ip4:192.0.2.1 -all", "site-verification=9e3779b1"} {
		var got bool
		if n := testing.AllocsPerRun(10, func() { got = isTime(v) }); n != 0 || got {
			t.Errorf("isTime(%q) = %v: %v allocations", v, got, n)
		}
	}
}
