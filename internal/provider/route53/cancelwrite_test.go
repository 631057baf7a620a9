package route53_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestWriteCancelledInFlightPerhapsApplied: providertest.CancelledWrite
// (a change batch at the API, applied, whose answer the end of the
// push's context cut off: the SDK's send error, perhaps applied).
func TestWriteCancelledInFlightPerhapsApplied(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	hw := providertest.NewHoldWrite(s.Config.Handler, func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/rrset")
	})
	defer hw.Close()
	p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "new", Type: "route53", Settings: &route53.Settings{URL: hw.URL, AWS: config.AWS{AccessKeyID: config.Secret(keyID), SecretAccessKey: config.Secret(secret)}}},
		providertest.FastRetry)
	if err != nil {
		t.Fatal(err)
	}
	providertest.CancelledWrite(t, p, providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n$TTL 300\n@ SOA ns-1.awsdns-1.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400\n@ NS ns-1.awsdns-1.com.\nwww A 192.0.2.1\n"), hw)
}
