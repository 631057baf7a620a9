package export_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/export"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestSameRecordImport: a provider (BIND through the rfc2136 provider's
// transfer) holds side B of every pair of zonetest.Pairs, git side A. The
// plan against the provider, and the plan against the zone file import
// writes from it, change exactly the RRsets that differ: import writes
// what plan then finds in sync, with the same definition of the same
// record as parity.
func TestSameRecordImport(t *testing.T) {
	lab.Require(t, "named")
	const origin = "example.test."
	key := &lab.TSIGKey{Name: "transfer-key.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0LWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ="}
	srv := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zonetest.Zone(origin, true)}}, TSIG: key})
	p, err := rfc2136.New(&config.Provider{Name: "new", Type: "rfc2136", TSIG: &config.TSIG{Name: key.Name, Algorithm: key.Algorithm, SecretEnv: "X", Secret: config.Secret(key.Secret)}, Settings: &rfc2136.Settings{Server: srv.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	cur, err := p.Records(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	git := zonetest.Load(t, zonetest.Zone(origin, false), origin)
	zonetest.Check(t, "plan against the provider", origin, changed(git, cur))

	var buf bytes.Buffer
	if _, err := export.Write(&buf, cur, export.Options{Source: "rfc2136 (providers.new)", File: "imported.zone"}); err != nil {
		t.Fatal(err)
	}
	imported := zonetest.Load(t, buf.String(), origin)
	zonetest.Check(t, "plan against the imported file", origin, changed(git, imported))
	if t.Failed() {
		t.Logf("imported:\n%s", buf.String())
	}
}

// changed is the set of RRsets a plan from current to desired changes.
func changed(desired, current *zone.Zone) map[zone.Key]bool {
	seen := map[zone.Key]bool{}
	for _, c := range plan.Compute(desired, current, plan.Options{ManageApex: true}).Changes {
		seen[c.Key()] = true
	}
	return seen
}
