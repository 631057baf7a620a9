package rfc2136_test

import (
	"os"
	"testing"

	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestCorpus runs the shared round-trip corpus of awkward names and
// RDATA through each server by UPDATE and AXFR.
func TestCorpus(t *testing.T) {
	head, err := os.ReadFile(minZone)
	if err != nil {
		t.Fatal(err)
	}
	// BIND's check-names refuses an A record at a name that is not a host
	// name, its check-integrity an MX whose in-zone target has no
	// address; PowerDNS 4.7 turns an empty CAA value sent by UPDATE into
	// a NUL octet; Knot holds every case.
	refuses := map[string]map[string]string{"bind": {
		"escaped-space": "check-names", "dot-in-label": "check-names", "backslash-in-label": "check-names", "underscore-inside": "check-names",
		// The apex of minZone has no address: check-integrity.
		"mx-to-apex": "check-integrity",
	}, "powerdns": {
		"caa-empty-value": "NUL octet",
	}}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			providertest.RoundTrip(t, p, origin, string(head), refuses[s.name])
		})
	}
}
