package rfc2136_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
)

var transferKey = &lab.TSIGKey{Name: "transfer-only-key.", Algorithm: "hmac-sha256", Secret: "dHJhbnNmZXItb25seS1zZWNyZXQtZm9yLXRoZS1sYWItMDEy"}

// TestTransferOnlyAndUpdateKeys: one config, two keys with their own
// names (tsig.name_env), as the workflows use them: the pull-request and
// drift jobs get the transfer-only key (it reads the zone, and an UPDATE
// signed with it is refused, the zone untouched), the sync job the update
// key. On real BIND, Knot and PowerDNS, each keyed by name.
func TestTransferOnlyAndUpdateKeys(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			lab.Require(t, s.bins...)
			srv := s.start(t, lab.Options{Zones: []lab.Zone{lab.ZoneFile(t, origin, minZone)}, TSIG: key, TransferKey: transferKey, AllowUpdate: true})
			cfg, err := config.Parse([]byte(fmt.Sprintf("providers:\n  old: {type: rfc2136, server: '%s', flavor: %s, tsig: {name_env: OLD_TSIG_NAME, secret_env: OLD_TSIG_SECRET}}\n", srv.Addr, s.name)), "dnsparity.yaml")
			if err != nil {
				t.Fatal(err)
			}
			job := func(k *lab.TSIGKey) *rfc2136.Provider {
				t.Helper()
				env := map[string]string{"OLD_TSIG_NAME": k.Name, "OLD_TSIG_SECRET": k.Secret}
				if err := cfg.Resolve(func(v string) string { return env[v] }); err != nil {
					t.Fatal(err)
				}
				if got := cfg.Providers["old"].TSIG.Name; got != k.Name {
					t.Fatalf("key name %q, want %q", got, k.Name)
				}
				p, err := rfc2136.New(cfg.Providers["old"])
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			ctx := context.Background()
			ro := job(transferKey)
			before, err := ro.Records(ctx, origin)
			if err != nil {
				t.Fatalf("AXFR with the transfer-only key: %v", err)
			}
			desired := load(t, fullZone)
			pl := plan.Compute(desired, before, plan.Options{Caps: ro.Capabilities()})
			if len(pl.Changes) == 0 {
				t.Fatal("nothing to change")
			}
			res, err := ro.Apply(ctx, origin, pl.Changes, nil)
			if err == nil || len(res.Applied) != 0 {
				t.Fatalf("UPDATE with the transfer-only key: %d applied, err %v", len(res.Applied), err)
			}
			t.Logf("UPDATE with the transfer-only key: %v", err)
			if !errors.Is(err, provider.ErrAuth) && !strings.Contains(err.Error(), "REFUSED") {
				t.Errorf("UPDATE with the transfer-only key: %v, want a refusal", err)
			}
			if strings.Contains(err.Error(), transferKey.Secret) || strings.Contains(err.Error(), key.Secret) {
				t.Errorf("the error shows a secret: %v", err)
			}
			after, err := ro.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			sameExceptSOA(t, before, after)

			// The other key's secret under this key's name is no key.
			mixed := map[string]string{"OLD_TSIG_NAME": transferKey.Name, "OLD_TSIG_SECRET": key.Secret}
			if err := cfg.Resolve(func(v string) string { return mixed[v] }); err != nil {
				t.Fatal(err)
			}
			bad, err := rfc2136.New(cfg.Providers["old"])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := bad.Records(ctx, origin); !errors.Is(err, provider.ErrAuth) {
				t.Errorf("AXFR with a name and the other key's secret: %v, want ErrAuth", err)
			}

			rw := job(key)
			push(t, rw, desired, s.unsupported)
			got, err := ro.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			if pl := plan.Compute(desired, got, plan.Options{Caps: ro.Capabilities()}); len(pl.Changes) != 0 && s.unsupported == "" {
				t.Errorf("after the push with the update key, %d changes remain", len(pl.Changes))
			}
		})
	}
}
