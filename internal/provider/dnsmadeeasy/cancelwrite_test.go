package dnsmadeeasy_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestWriteCancelledInFlightPerhapsApplied: providertest.CancelledWrite
// (a write at the API whose answer the end of the push's context cut
// off: httpretry.Do's ErrTransport, perhaps applied). On the code
// before, Do returned the bare context error and the push said the
// write was not applied.
func TestWriteCancelledInFlightPerhapsApplied(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	s.AddZone("example.com")
	hw := providertest.NewHoldWrite(s.Config.Handler, nil)
	defer hw.Close()
	p := newProviderAt(t, s, hw.URL+"/V2.0", apiKey, secretKey)
	providertest.CancelledWrite(t, p, providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n$TTL 300\n@ SOA ns. h. 1 2 3 4 5\n@ NS ns0.dnsmadeeasy.com.\nwww A 192.0.2.1\n"), hw)
}
