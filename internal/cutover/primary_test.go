package cutover

import (
	"context"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	_ "github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestSidePrimary: a side whose provider has a primary server (RFC 2136)
// that is not among its nameservers gets it as the hidden primary status
// compares serials with; one among them, or an API provider, gets none.
func TestSidePrimary(t *testing.T) {
	const yml = `
providers:
  hidden: {type: rfc2136, server: 127.0.0.1:5399, nameservers: [127.0.0.1:5301], delegation: [ns1.example.net.]}
  public: {type: rfc2136, server: 127.0.0.1:5301, nameservers: [127.0.0.1:5301], delegation: [ns1.example.net.]}
  api: {type: powerdns, url: "http://127.0.0.1:8081", api_key_env: K, nameservers: [127.0.0.1:5301], delegation: [ns1.example.net.]}
`
	cfg, err := config.Parse([]byte(yml), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	z := zone.New("example.test.")
	for name, want := range map[string]string{"hidden": "127.0.0.1:5399", "public": "", "api": ""} {
		sides, err := provider.Sides(cfg, func(string) string { return "pdns-api-key-0001" }, name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := sideFromConfig(context.Background(), sides[0], z)
		if err != nil || s.Primary != want {
			t.Errorf("%s: primary %q, %v; want %q", name, s.Primary, err, want)
		}
	}
}
