package parent

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

var key = &lab.TSIGKey{Name: "parent-key.", Algorithm: "hmac-sha256", Secret: "cGFyZW50LWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ="}

// Every kind of parent provider: BIND and Knot over RFC 2136, PowerDNS
// over its API. The delegation is read back from the server itself (a referral with
// glue), not from the provider.
func TestParentLab(t *testing.T) {
	ctx := context.Background()
	want := registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns.provider.net."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9"}}, DS: []string{"12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"}}
	want.Normalize()
	for _, kind := range parentKinds {
		t.Run(kind, func(t *testing.T) {
			addr, pc := parentServer(t, kind, parentText)
			cfg := &config.Config{Providers: map[string]*config.Provider{"parent": pc}}
			reg, err := registrar.New(&config.Registrar{Type: "parent", Zone: "test", Provider: "parent"}, registrar.Env{Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			got, err := reg.Delegation(ctx, "example.test.")
			if err != nil || strings.Join(got.NS, " ") != "ns1.old.example.test. ns2.old.example.test." {
				t.Fatalf("Delegation: %+v %v", got, err)
			}
			if err := reg.SetDelegation(ctx, "example.test.", want); err != nil {
				t.Fatal(err)
			}
			views := registrar.Lookup(ctx, []string{addr}, "example.test.", time.Second)
			d, ok := registrar.Agreed(views)
			if !ok || strings.Join(d.NS, " ") != strings.Join(want.NS, " ") || d.NSTTL != 5 || len(d.DS) != 1 || d.DS[0] != want.DS[0] {
				t.Errorf("at the parent's server: %+v (%+v)", d, views)
			}
			if g := d.Glue["ns1.new.example.test."]; len(g) != 1 || g[0] != "192.0.2.9" {
				t.Errorf("glue %v", d.Glue)
			}
			if _, old := d.Glue["ns1.old.example.test."]; old {
				t.Errorf("old glue kept: %v", d.Glue)
			}
			// Again: nothing to do, and the registrar reads the same.
			if err := reg.SetDelegation(ctx, "example.test.", want); err != nil {
				t.Fatal(err)
			}
			if err := reg.SetDelegation(ctx, "other.example.", want); err == nil {
				t.Error("a zone the parent does not hold was accepted")
			}
		})
	}
}
