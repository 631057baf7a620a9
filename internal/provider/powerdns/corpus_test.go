package powerdns_test

import (
	"context"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestCorpus runs the shared round-trip corpus of awkward names and
// RDATA through PowerDNS's API.
func TestCorpus(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	if err := p.CreateZone(context.Background(), origin, nil); err != nil {
		t.Fatal(err)
	}
	head := "$ORIGIN example.com.\n$TTL 300\n"
	// PowerDNS's API refuses escaped octets in an owner name, and a '*'
	// label further right than the leftmost.
	why := "refuses owner names"
	providertest.RoundTrip(t, p, origin, head, map[string]string{
		"escaped-space": why, "dot-in-label": why, "backslash-in-label": why,
		"at-in-label": why, "paren-in-label": why, "semicolon-in-label": why, "quote-in-label": why,
		"apostrophe-in-label": why, "octets-in-label": why, "dot-in-label-txt": why,
		// 422 "contains unsupported characters" for a '*' label that is
		// not the leftmost.
		"star-not-leftmost": why, "star-in-label": why, "star-label-prefix": why,
	})
}
