package export_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/export"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
)

// TestImportNotHeldLab: import of a zone a real server does not hold
// says so, naming the zone and the provider: PowerDNS, which lists its
// zones in one request, with the zone meant ("did you mean"), or the
// zones it holds; an RFC 2136 server, which cannot list them, with what
// it answered. On the code before: "provider new: zone not found at the
// provider (HTTP 404: Not Found)", and the rfc2136 error alone.
func TestImportNotHeldLab(t *testing.T) {
	const origin = "example.test."
	text := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n"
	ctx := context.Background()

	pdns := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}})
	pp, err := powerdns.New(&config.Provider{Name: "new", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: pdns.APIURL, APIKey: config.Secret(pdns.APIKey)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := &lab.TSIGKey{Name: "transfer-key.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0LWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ="}
	bind := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, TSIG: key})
	rp, err := rfc2136.New(&config.Provider{Name: "old", Type: "rfc2136", TSIG: &config.TSIG{Name: key.Name, Algorithm: key.Algorithm, SecretEnv: "X", Secret: config.Secret(key.Secret)}, Settings: &rfc2136.Settings{Server: bind.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p          provider.Provider
		name, typ  string
		zone, want string
	}{
		{pp, "new", "powerdns", "exmaple.test.", "zone exmaple.test. is not at provider new (powerdns): did you mean example.test.? ("},
		{pp, "new", "powerdns", "other.test.", "zone other.test. is not at provider new (powerdns), which holds 1 zone: example.test. ("},
		{rp, "old", "rfc2136", "exmaple.test.", "zone exmaple.test. is not at provider old (rfc2136): rfc2136 " + bind.Addr + ": "},
	} {
		var buf bytes.Buffer
		_, _, err := export.FromProvider(ctx, &buf, tc.p, tc.name, tc.typ, tc.zone, "imported.zone", nil)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || !errors.Is(err, provider.ErrZoneNotFound) || buf.Len() > 0 {
			t.Errorf("%s %s: %v\nwant %s... (wrapping ErrZoneNotFound, nothing written)", tc.typ, tc.zone, err, tc.want)
		}
	}
}
