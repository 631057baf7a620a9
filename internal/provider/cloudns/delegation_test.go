package cloudns_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestDelegationRemoved: "ClouDNS requires NS records exist for any DS
// records" (dnscontrol's ClouDNS provider documentation, which adds the
// NS records first for it; cloudnstest refuses a DS without NS, and the
// last NS of a host whose DS stays). A delegation removed from git (its
// NS and DS) deleted the NS first, which ClouDNS refuses while the DS
// stays; the DS goes first, as the NS went first when it was added.
func TestDelegationRemoved(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com")
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	head := "$ORIGIN example.com.\n@ 3600 SOA pns41.cloudns.net. support.cloudns.net. 1 7200 1800 1209600 3600\n@ 3600 NS pns41.cloudns.net.\n@ 3600 NS pns42.cloudns.com.\n"
	withSub := providertest.Desired(t, "example.com.", head+"sub 3600 NS ns1.sub.example.net.\nsub 3600 DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n")
	providertest.Push(t, p, withSub)
	without := providertest.Desired(t, "example.com.", head)
	providertest.Push(t, p, without)
	if pl := providertest.Plan(t, p, without); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}
