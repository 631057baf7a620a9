package provider_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
)

const sidesYAML = `
providers:
  old:
    type: rfc2136
    server: 127.0.0.1:5300
    nameservers: [192.0.2.1, "[2001:db8::1]:5353"]
    tsig: {name: k., secret_env: OLD_SECRET}
  new:
    type: rfc2136
    server: 127.0.0.1:5301
    nameservers: [ns1.example.net]
    tsig: {name: k., secret_env: NEW_SECRET}
`

// TestSides: a side is looked up by name; its secrets are read only when
// asked for (parity with the servers in the config needs none), all at
// once by ReadSecrets (one error names every missing variable); its
// servers are addresses for the cutover, as written for parity.
func TestSides(t *testing.T) {
	cfg, err := config.Parse([]byte(sidesYAML), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	getenv := func(k string) string { read++; return "" }
	if _, err := provider.Sides(cfg, getenv, "old", "nope"); err == nil || err.Error() != `dnsparity.yaml:2: no provider "nope" in dnsparity.yaml (providers: old, new)` {
		t.Errorf("unknown provider: %v", err)
	}
	// a typo names the provider meant
	if _, err := provider.Sides(cfg, getenv, "nw"); err == nil || err.Error() != `dnsparity.yaml:2: no provider "nw" in dnsparity.yaml (providers: old, new; did you mean new?)` {
		t.Errorf("a typo of a provider: %v", err)
	}
	sides, err := provider.Sides(cfg, getenv, "old", "new")
	if err != nil {
		t.Fatal(err)
	}
	old, new := sides[0], sides[1]
	if ns, err := new.Nameservers(context.Background(), []string{"example.com."}); err != nil || strings.Join(ns, " ") != "ns1.example.net" || read != 0 {
		t.Errorf("parity's nameservers: %v %v, %d variables read", ns, err, read)
	}
	if s, err := old.Servers(); err != nil || strings.Join(s, " ") != "192.0.2.1:53 [2001:db8::1]:5353" {
		t.Errorf("old servers: %v %v", s, err)
	}
	if _, err := new.Servers(); err == nil || !strings.Contains(err.Error(), `providers.new.nameservers: "ns1.example.net" is not an IP address`) {
		t.Errorf("a name as a cutover server: %v", err)
	}
	err = provider.ReadSecrets(sides...)
	if err == nil || !strings.Contains(err.Error(), "OLD_SECRET") || !strings.Contains(err.Error(), "NEW_SECRET") {
		t.Errorf("missing secrets: %v", err)
	}
	if _, err := old.Provider(); err == nil || !strings.Contains(err.Error(), "OLD_SECRET") {
		t.Errorf("a provider without its secret: %v", err)
	}
	env := map[string]string{"OLD_SECRET": "c2VjcmV0", "NEW_SECRET": "c2VjcmV0"}
	sides, _ = provider.Sides(cfg, func(k string) string { return env[k] }, "old")
	p, err := sides[0].Provider()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := sides[0].Provider(); again != p {
		t.Errorf("the provider is made again")
	}
}
