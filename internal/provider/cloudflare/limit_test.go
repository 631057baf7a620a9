package cloudflare_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// The account's bucket never lets more than Cloudflare's 1,200 requests
// through in any 5 minutes: its burst plus what refills in that time.
func TestRateLimitWithinCloudflares(t *testing.T) {
	if most := cloudflare.Limits.Most(5 * time.Minute); most > 1200 {
		t.Errorf("up to %d requests in 5 minutes, over 1,200", most)
	}
}

// TestRateLimitHeadersPace: Cloudflare's budget is the user's, spent by
// every token and the dashboard alike, and every answer says what is left
// of it, in each form Cloudflare has documented (cftest.RateLimitForm:
// the limits page's own example names the limit "default" and the policy
// "burst"; the draft's pairing by name; the x-ratelimit-* headers of the
// page's first version). With a window of 3 requests a second, reads one
// after the other wait for the window the headers announce rather than
// run into a 429, which at Cloudflare blocks every call for the next five
// minutes.
func TestRateLimitHeadersPace(t *testing.T) {
	for _, tc := range []struct {
		name string
		form cftest.RateLimitForm
	}{
		{"documented example", cftest.RateLimitDocumented},
		{"same name", cftest.RateLimitSameName},
		// Pacing alone (no window's length said): it was cut to the
		// retry policy's Max (20 ms here) and ran into the 429.
		{"x-ratelimit", cftest.RateLimitXHeaders},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			s.Headers = tc.form
			s.Limit = &fakeapi.Window{Limit: 3, Period: time.Second}
			s.AddZone("example.com")
			p := newProvider(t, s, token)
			for range 3 {
				if _, err := p.Records(context.Background(), "example.com."); err != nil {
					t.Fatal(err)
				}
			}
			if n := s.Count("rate-limited"); n != 0 {
				t.Errorf("%d requests refused for rate (429): the rate-limit headers were not followed", n)
			}
		})
	}
}
