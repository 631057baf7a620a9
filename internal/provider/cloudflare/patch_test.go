package cloudflare_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestTTLOnlyPatchNamesRecord: a replace that changes only the TTL
// patches the records it keeps; each patch of a batch carries the
// record's name, ttl and type, which the API reference lists as required
// ("Batch DNS Records": patches ARecord { name, ttl, type, ... } id). A
// patch of the id and ttl alone is refused.
func TestTTLOnlyPatchNamesRecord(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	p := newProvider(t, s, token)
	head := "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ada.ns.cloudflare.com.\n"
	providertest.Push(t, p, desired(t, head+"www 300 A 192.0.2.1\nwww 300 A 192.0.2.2\n_sip._tcp 300 SRV 10 5 5060 sip.example.com.\n"))
	s.ResetCounts()
	providertest.Push(t, p, desired(t, head+"www 600 A 192.0.2.1\nwww 600 A 192.0.2.2\n_sip._tcp 600 SRV 10 5 5060 sip.example.com.\n"))
	if len(s.Batches) != 1 || len(s.Batches[0].Patches) != 3 || len(s.Batches[0].Posts)+len(s.Batches[0].Deletes) != 0 {
		t.Fatalf("batches %+v, want one of three patches", s.Batches)
	}
	for _, r := range s.Records(id) {
		if r.TTL != 600 {
			t.Errorf("%s %s TTL %d, want 600", r.Name, r.Type, r.TTL)
		}
	}
	providertest.Noop(t, p, desired(t, head+"www 600 A 192.0.2.1\nwww 600 A 192.0.2.2\n_sip._tcp 600 SRV 10 5 5060 sip.example.com.\n"), func() int { return int(p.Writes()) })
}
