package ns1_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/ns1"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestWriteCancelledInFlightPerhapsApplied: providertest.CancelledWrite
// (a record written at the API whose answer the end of the push's
// context cut off). On the code before, the client returned the bare
// context error for a write as for a read: "not applied" for a record
// the zone held.
func TestWriteCancelledInFlightPerhapsApplied(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	hw := providertest.NewHoldWrite(s.Config.Handler, nil)
	defer hw.Close()
	p, err := ns1.New(&config.Provider{Name: "new", Type: "ns1", Settings: &ns1.Settings{APISettings: provider.APISettings{URL: hw.URL + "/v1", APIKey: config.Secret(apiKey)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.FastRetry)
	providertest.CancelledWrite(t, p, providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n$TTL 300\n@ SOA ns. h. 1 2 3 4 5\n@ NS dns1.p01.nsone.net.\nwww A 192.0.2.1\n"), hw)
}
