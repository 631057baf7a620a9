package cloudflare

import (
	"github.com/dnsparity/dnsparity/internal/config"
	"testing"
	"time"
)

// The client-side bucket never lets more than Cloudflare's 1,200 requests
// through in any 5 minutes: its burst plus what refills in that time.
func TestRateLimitWithinCloudflares(t *testing.T) {
	window := 5 * time.Minute
	worst := rateBurst + int(ratePerSec*window.Seconds())
	if worst > 1200 {
		t.Errorf("up to %d requests in 5 minutes, over 1,200", worst)
	}
	p, err := New(testConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.limiter.Burst() != rateBurst || float64(p.limiter.Limit()) != ratePerSec {
		t.Errorf("limiter %v/%d", p.limiter.Limit(), p.limiter.Burst())
	}
}

func testConfig() *config.Provider {
	return &config.Provider{Type: "cloudflare", APIKey: "t"}
}
