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

// TestOneTextEscapesConverge (as NS1's): ClouDNS keeps a TXT record as
// one text (records.json's "record", the octets) and serves it split at
// 255 octets. A first string that is 255 octets only once its escapes
// count as one octet each (\\ and \DDD) is pushed, read back as git's
// strings, and a second plan is empty, through records-import (a BIND
// file's escapes) and add-record (the text's octets) alike; one of 254
// octets is refused up front (the read-back would split it at 255), and
// so is a quote (ClouDNS does not keep it: TXTChars).
func TestOneTextEscapesConverge(t *testing.T) {
	for _, mode := range []struct {
		name  string
		batch int
	}{{"import", 5}, {"per-record", 0}} {
		for _, tc := range []struct {
			name, first string
			refused     string
		}{
			{"254 octets", strings.Repeat("a", 253) + `\\`, "splits it at 255 octets"},
			{"quote", strings.Repeat("a", 254) + `\"`, "does not keep it as it is"},
			{"backslash", strings.Repeat("a", 254) + `\\`, ""},
			{"decimal", strings.Repeat("a", 253) + `\195\169`, ""},
		} {
			t.Run(mode.name+"/"+tc.name, func(t *testing.T) {
				s := newServer(t, authID, "")
				s.AddZone("example.com")
				p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: config.Secret(password)}, AuthID: authID}})
				p.SetImportBatch(mode.batch)
				text := "$ORIGIN example.com.\n$TTL 300\n@ SOA pns41.cloudns.net. support.cloudns.net. 1 7200 1800 1209600 3600\n@ 3600 NS pns41.cloudns.net.\n" +
					"dkim TXT \"" + tc.first + "\" \"bcd\"\n"
				d := providertest.Desired(t, "example.com.", text)
				cur, err := p.Records(context.Background(), d.Origin)
				if err != nil {
					t.Fatal(err)
				}
				pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
				if (len(pl.Unsupported) > 0) != (tc.refused != "") || (tc.refused != "" && !strings.Contains(pl.Unsupported[0].String(), tc.refused)) {
					t.Fatalf("refused: %v, want refused %q", pl.Unsupported, tc.refused)
				}
				if tc.refused != "" {
					return
				}
				providertest.Push(t, p, d)
				pl2 := providertest.Plan(t, p, d)
				if len(pl2.Changes) > 0 {
					t.Errorf("second plan after apply is not empty: %s", provider.ChangeNames(pl2.Changes))
					for _, c := range pl2.Changes {
						t.Logf("%s", c)
					}
				}
				z, err := p.Records(context.Background(), d.Origin)
				if err != nil {
					t.Fatal(err)
				}
				got := z.Get("dkim.example.com.", 16)
				if got == nil || !got.SameData(d.Get("dkim.example.com.", 16)) {
					t.Fatalf("dkim TXT read back: %v, want git's %v", got, d.Get("dkim.example.com.", 16))
				}
			})
		}
	}
}
