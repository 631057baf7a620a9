package export_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/export"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestImportLeavesProviderZONEMDLab: a Knot that keeps a ZONEMD at the
// apex (zonemd-generate, as a provider's zone pipeline) transfers it to
// the rfc2136 provider's listing. Import writes the zone without it and
// lists it as not written, with why: written into git, it was pushed back
// to a provider that makes its own (Knot makes a new one at every serial,
// so git's never matched the served one and every push rewrote it). The
// imported file's plan against the provider is still empty (plan leaves
// an apex ZONEMD git lacks: zone.SignerMade). On the code before, the
// file held "@ 0 IN ZONEMD 1 1 1 ...".
func TestImportLeavesProviderZONEMDLab(t *testing.T) {
	const origin = "example.test."
	text := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\nwww TXT \"v\"\n"
	key := &lab.TSIGKey{Name: "transfer-key.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0LWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ="}
	srv := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, TSIG: key, ZONEMD: true})
	p, err := rfc2136.New(&config.Provider{Name: "old", Type: "rfc2136", TSIG: &config.TSIG{Name: key.Name, Algorithm: key.Algorithm, SecretEnv: "X", Secret: config.Secret(key.Secret)}, Settings: &rfc2136.Settings{Server: srv.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cur, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Get(origin, dns.TypeZONEMD) == nil {
		t.Fatalf("knot with zonemd-generate: the transfer holds no apex ZONEMD")
	}
	var buf bytes.Buffer
	res, _, err := export.FromProvider(ctx, &buf, p, "old", "rfc2136", origin, "imported.zone", nil)
	if err != nil {
		t.Fatal(err)
	}
	imported := zonetest.Load(t, buf.String(), origin)
	if imported.Get(origin, dns.TypeZONEMD) != nil {
		t.Errorf("import wrote the provider's apex ZONEMD into the zone file:\n%s", buf.String())
	}
	listed := false
	for _, s := range res.Skipped {
		if s.Name == origin && s.Type == "ZONEMD" && strings.Contains(s.Why, "provider") {
			listed = true
		}
	}
	if !listed {
		t.Errorf("skipped %v, want the apex ZONEMD listed with why", res.Skipped)
	}
	if c := changed(imported, cur); len(c) != 0 {
		t.Errorf("plan of the imported file against the provider changes %v, want nothing", c)
	}
}
