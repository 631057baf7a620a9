package cloudflare_test

import (
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
)

// The account's bucket never lets more than Cloudflare's 1,200 requests
// through in any 5 minutes: its burst plus what refills in that time.
func TestRateLimitWithinCloudflares(t *testing.T) {
	if most := cloudflare.Limits.Most(5 * time.Minute); most > 1200 {
		t.Errorf("up to %d requests in 5 minutes, over 1,200", most)
	}
}
