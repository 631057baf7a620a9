package ns1_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestRedirectRecordAdvice: NS1's URL redirects ("Configuring a URL
// redirect", ibm.com/docs/en/ns1-connect?topic=redirects-configuring-url-redirect:
// "the platform auto-generates a REDIRECT record type within the
// corresponding DNS zone containing the configuration details for this
// URL redirect") list a REDIRECT record among the zone's records. It is a
// web redirect, reported as one: its advice is to run the redirect
// elsewhere, not to "recreate it by hand" (NS1 itself refuses a REDIRECT
// written through the records endpoint, ns1test; other providers have no
// such type). It is left out of Records.
func TestRedirectRecordAdvice(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.PeriodUnit = 10 * time.Millisecond
	s.AddZone("example.com")
	s.Seed(ns1test.Record{Zone: "example.com", Domain: "old.example.com", Type: "REDIRECT", TTL: 3600, Answers: []ns1test.Answer{{Answer: []any{"65f1c0de2a7e4a0001c0ffee"}}}})
	p := newProvider(t, s, apiKey)
	got := providertest.FeaturesAre(t, p, "example.com.", "old.example.com. REDIRECT url-redirect true")
	f := got["old.example.com. REDIRECT url-redirect true"]
	if strings.Contains(f.Advice, "by hand") || !strings.Contains(f.Advice, "run the redirect elsewhere") {
		t.Errorf("advice: %q, want the redirect run elsewhere", f.Advice)
	}
}
