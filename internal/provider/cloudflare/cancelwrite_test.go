package cloudflare_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestWriteCancelledInFlightPerhapsApplied: providertest.CancelledWrite
// (a push cancelled, Ctrl-C or a stopped run, while a batch is at the
// API, which applied it and has not answered). On the code before, call
// returned the bare context error for a write as for a read, and Apply
// said nothing of the batch was applied, while the zone held all of it.
func TestWriteCancelledInFlightPerhapsApplied(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	s.AddZone("example.com")
	hw := providertest.NewHoldWrite(s.Config.Handler, nil)
	defer hw.Close()
	p := newProviderAt(t, hw.URL+"/client/v4", token)
	providertest.CancelledWrite(t, p, desired(t, "$ORIGIN example.com.\n$TTL 300\n@ SOA ns. h. 1 2 3 4 5\n@ NS ada.ns.cloudflare.com.\nwww A 192.0.2.1\n"), hw)
}
