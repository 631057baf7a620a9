package cloudns_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestWriteCancelledInFlightPerhapsApplied: providertest.CancelledWrite
// (an import or record write at the API whose answer the end of the
// push's context cut off: httpretry.Do's ErrTransport, perhaps applied).
// On the code before, Do returned the bare context error and the push
// said the write was not applied.
func TestWriteCancelledInFlightPerhapsApplied(t *testing.T) {
	s := newServer(t, authID, "")
	defer s.Close()
	s.AddZone("example.com")
	writes := func(r *http.Request) bool {
		for _, w := range []string{"add-record", "mod-record", "delete-record", "records-import"} {
			if strings.Contains(r.URL.Path, w) {
				return true
			}
		}
		return false
	}
	hw := providertest.NewHoldWrite(s.Config.Handler, writes)
	defer hw.Close()
	p := newProviderAt(t, hw.URL, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	providertest.CancelledWrite(t, p, providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns. h. 1 2 3 4 5\n@ NS pns1.cloudns.net.\nwww A 192.0.2.1\n"), hw)
}
