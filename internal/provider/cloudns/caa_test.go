package cloudns_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestCAAEmptyValueRefusedAtPlan: a CAA whose value is empty (RFC 8659
// allows `0 issue ""`) would go with an empty record, which add-record
// refuses ("record: Required", article 58: "Missing record"), failing
// the push half-way: the plan refuses it instead, before anything is
// sent.
func TestCAAEmptyValueRefusedAtPlan(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com")
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: config.Secret(password)}, AuthID: authID}})
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\ncaa 300 CAA 0 issue \"\"\n")
	cur, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
	if len(pl.Unsupported) != 1 || !strings.Contains(pl.Unsupported[0].Reason, "empty") {
		t.Fatalf("unsupported %v, changes %v: want the empty CAA value refused", pl.Unsupported, pl.Changes)
	}
}
