package rfc2136_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// TestAXFRRefusedToVerifiedKeyLab: BIND takes the key (it may update
// with it) and its allow-transfer does not list it: the REFUSED answer is
// signed with the key and verifies, so the credentials are fine and the
// server refused the transfer itself. The error says so and points to
// allow-transfer, and does not wrap provider.ErrAuth (it did: every
// REFUSED to an AXFR read as credentials refused). A wrong secret is
// still credentials refused.
func TestAXFRRefusedToVerifiedKeyLab(t *testing.T) {
	lab.Require(t, "named")
	srv := lab.BIND(t, lab.Options{Zones: []lab.Zone{lab.ZoneFile(t, origin, minZone)}, TSIG: key, AllowUpdate: true, NoTransfer: true})
	ctx := context.Background()
	_, err := newProvider(t, srv.Addr, key.Secret).Records(ctx, origin)
	if err == nil || errors.Is(err, provider.ErrAuth) || errors.Is(err, provider.ErrZoneNotFound) || provider.Down(err) ||
		!strings.Contains(err.Error(), "refused the transfer") || !strings.Contains(err.Error(), "allow-transfer") || !strings.Contains(err.Error(), "key "+key.Name) {
		t.Errorf("AXFR refused to a key the server accepts: %v; want the transfer refused, allow-transfer named, not ErrAuth", err)
	}
	t.Log(err)
	bad := newProvider(t, srv.Addr, "d3Jvbmctc2VjcmV0LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNA==")
	if _, err := bad.Records(ctx, origin); !errors.Is(err, provider.ErrAuth) {
		t.Errorf("AXFR with a wrong secret: %v, want ErrAuth", err)
	}
}
