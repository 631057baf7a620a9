package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const good = `
zones:
  - name: example.com
    file: zones/example.com.zone
providers:
  old:
    type: rfc2136
    server: 127.0.0.1:53
    tsig: {name: transfer-key., algorithm: hmac-sha256, secret_env: OLD_TSIG_SECRET}
  new:
    type: powerdns
    url: http://127.0.0.1:8081
    server_id: localhost
    api_key_env: PDNS_API_KEY
registrar:
  type: parent
policy:
  max_change_percent: 30
  prestage_ttl: 300
  overlap: 168h
`

func TestParseGood(t *testing.T) {
	c, err := Parse([]byte(good), "/repo/dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Zones[0].Name; got != "example.com." {
		t.Errorf("zone name = %q, want canonical example.com.", got)
	}
	if got := c.ZoneFile(c.Zones[0]); got != "/repo/zones/example.com.zone" {
		t.Errorf("ZoneFile = %q", got)
	}
	if c.Providers["old"].Name != "old" || c.Providers["new"].Type != "powerdns" {
		t.Errorf("providers not named: %+v", c.Providers)
	}
	if c.Policy.Overlap.Duration != 168*time.Hour || c.Policy.MaxChange() != 30 {
		t.Errorf("policy = %+v", c.Policy)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(root, "zones", "deep")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := Find(sub); got != "" {
		t.Errorf("Find without a config = %q", got)
	}
	p := filepath.Join(root, FileName)
	if err := os.WriteFile(p, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(sub); got != p {
		t.Errorf("Find = %q, want %q", got, p)
	}
}

func TestProviderNames(t *testing.T) {
	c := &Config{Providers: map[string]*Provider{"new": {}, "zeta": {}, "old": {}, "alpha": {}}}
	if got := strings.Join(c.ProviderNames(), ","); got != "old,new,alpha,zeta" {
		t.Errorf("ProviderNames = %s", got)
	}
}

// TestZoneNameFoldASCIIOnly: zone names fold ASCII letters only (RFC
// 4343): "Example.COM" is example.com., a name with a non-ASCII octet
// keeps its octets (strings.ToLower would make É é), spelled as named and
// miekg/dns print them (\DDD): "ÉXAMPLE" is \195\137xample.
func TestZoneNameFoldASCIIOnly(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Example.COM", "example.com."},
		{"ÉXAMPLE.test.", `\195\137xample.test.`},
	} {
		c, err := Parse([]byte("zones:\n  - {name: \""+tc.name+"\", file: z.zone}\n"), "dnsparity.yaml")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := c.Zones[0].Name; got != tc.want {
			t.Errorf("zone %q is %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestZone: a zone is found by its name in any case, with or without the
// final dot, with escapes spelled either way; an unknown name is an error
// naming it, the config and the zones there are.
func TestZone(t *testing.T) {
	c, err := Parse([]byte("zones:\n  - {name: Example.COM, file: a.zone}\n  - {name: 'a\\098c.test.', file: b.zone}\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, file string }{
		{"example.com.", "a.zone"}, {"EXAMPLE.com", "a.zone"}, {"abc.test", "b.zone"}, {"ABC.test.", "b.zone"}, {`a\098c.test`, "b.zone"},
	} {
		z, err := c.Zone(tc.name)
		if err != nil || z.File != tc.file {
			t.Errorf("Zone(%q) = %+v, %v; want the one in %s", tc.name, z, err, tc.file)
		}
	}
	_, err = c.Zone("other.example")
	if err == nil || err.Error() != "dnsparity.yaml:1: zone other.example. is not under zones: in dnsparity.yaml (zones: example.com., abc.test.)" {
		t.Errorf("unknown zone: %v", err)
	}
}

// TestZoneDidYouMean: a zone name one typo from a configured one (a swap,
// a letter missing, more or changed) names it; a config of many zones
// lists ten of them, not all.
func TestZoneDidYouMean(t *testing.T) {
	var b strings.Builder
	b.WriteString("zones:\n  - {name: example.test., file: a.zone}\n")
	for i := range 30 {
		fmt.Fprintf(&b, "  - {name: z%02d.example., file: z%02d.zone}\n", i, i)
	}
	c, err := Parse([]byte(b.String()), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, typo := range []string{"example.tset.", "exmaple.test", "example.tst.", "EXAMPLE.TESTS."} {
		_, err := c.Zone(typo)
		if err == nil || !strings.HasSuffix(err.Error(), " is not under zones: in dnsparity.yaml (did you mean example.test.?)") {
			t.Errorf("Zone(%q): %v, want did you mean example.test.?", typo, err)
		}
	}
	_, err = c.Zone("other.net")
	if want := "dnsparity.yaml:1: zone other.net. is not under zones: in dnsparity.yaml (zones: example.test., z00.example., z01.example., z02.example., z03.example., z04.example., z05.example., z06.example., z07.example., z08.example. and 21 more)"; err == nil || err.Error() != want {
		t.Errorf("unknown zone among 31: %v\nwant %s", err, want)
	}
}

// TestZoneProviders: plan and push default to old and new, never to the
// provider that only holds the parent zone for the registrar.
func TestZoneProviders(t *testing.T) {
	cases := []struct {
		yaml string
		want string
	}{
		{"providers:\n  parent: {type: rfc2136}\n  new: {type: powerdns}\n  old: {type: rfc2136}\nregistrar: {type: parent, zone: test., provider: parent}\n", "old new"},
		{"providers:\n  extra: {type: rfc2136}\n  old: {type: rfc2136}\n", "old"},
		{"providers:\n  a: {type: rfc2136}\n  parent: {type: rfc2136}\nregistrar: {type: parent, zone: test., provider: parent}\n", "a"},
		{"providers:\n  b: {type: rfc2136}\n  a: {type: rfc2136}\n", "a b"},
	}
	for _, tc := range cases {
		c, err := Parse([]byte(tc.yaml), "dnsparity.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(c.ZoneProviders(), " "); got != tc.want {
			t.Errorf("%q: ZoneProviders = %q, want %q", tc.yaml, got, tc.want)
		}
	}
}

// A TSIG secret that is not base64 is an error when the secrets are read
// (before anything is sent), naming the variable and the key, never the
// value; the registrar's own key too.
func TestResolveTSIGNotBase64(t *testing.T) {
	c, err := Parse([]byte(strings.Replace(good, "  type: parent\n", "  type: parent\n  tsig: {name: parent-key., secret_env: PARENT_TSIG}\n", 1)), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"OLD_TSIG_SECRET": "not base64: h!dden", "PDNS_API_KEY": "pdns-api-key-01", "PARENT_TSIG": "c2VjcmV0LXRzaWc="}
	err = c.Resolve(func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "OLD_TSIG_SECRET") || !strings.Contains(err.Error(), "transfer-key.") || !strings.Contains(err.Error(), "base64") {
		t.Fatalf("err = %v, want one naming OLD_TSIG_SECRET and transfer-key.", err)
	}
	if strings.Contains(err.Error(), "h!dden") {
		t.Errorf("the error repeats the secret: %v", err)
	}
	if err := c.ResolveRegistrar(func(k string) string { return env[k] }); err != nil {
		t.Errorf("registrar: %v", err)
	}
	env["PARENT_TSIG"] = "%%%%-not-base64"
	if err := c.ResolveRegistrar(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "PARENT_TSIG") || !strings.Contains(err.Error(), "parent-key.") {
		t.Errorf("registrar: err = %v", err)
	}
	env["OLD_TSIG_SECRET"] = "c2VjcmV0LXRzaWc="
	if err := c.Resolve(func(k string) string { return env[k] }); err != nil {
		t.Errorf("a base64 secret: %v", err)
	}
}

// An unknown key names its line and the key it was likely meant to be; a
// provider's type records where it is, for the unknown-type error.
func TestParseUnknownKeyHintAndTypePos(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"policy:\n  max_change_precent: 3\n", `dnsparity.yaml:2: unknown key "max_change_precent" (did you mean max_change_percent?)`},
		{"policy:\n  max_change: 3\n", `(did you mean max_change_percent?)`},
		{"providers:\n  old:\n    type: rfc2136\n    sever: 127.0.0.1\n", `dnsparity.yaml:4: unknown key "sever" (did you mean server?)`},
		{"providers:\n  old:\n    type: route53\n    acess_key_id_env: K\n", `(did you mean access_key_id_env?)`},
		{"cutover:\n  resolver: [127.0.0.1]\n", `(did you mean resolvers?)`},
		{"zone:\n  - name: a.\n", `unknown key "zone" (did you mean zones?)`},
	} {
		_, err := Parse([]byte(tc.yaml), "dnsparity.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.yaml, err, tc.want)
		}
	}
	_, err := Parse([]byte("policy:\n  overlap_hours: 3\n"), "dnsparity.yaml")
	if err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("no likely key, yet: %v", err)
	}
	c, err := Parse([]byte("providers:\n  old:\n    server: 127.0.0.1\n    type: rfc2316\n  new:\n    type: powerdns\nregistrar:\n  type: manuel\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Providers["old"].TypePos != "dnsparity.yaml:4" || c.Providers["new"].TypePos != "dnsparity.yaml:6" || c.Registrar.TypePos != "dnsparity.yaml:8" {
		t.Errorf("TypePos old %q new %q registrar %q", c.Providers["old"].TypePos, c.Providers["new"].TypePos, c.Registrar.TypePos)
	}
	err = UnknownType(c.Providers["old"].TypePos, "providers.old", "rfc2316", []string{"powerdns", "rfc2136"})
	if err == nil || err.Error() != `dnsparity.yaml:4: providers.old: unknown type "rfc2316" (known: powerdns, rfc2136); did you mean rfc2136?` {
		t.Errorf("UnknownType: %v", err)
	}
}

// TestClientSubnets: parity.client_subnets as a list or a map region →
// CIDR, in the file's order; a bad or repeated subnet is an error naming
// the file and line.
func TestClientSubnets(t *testing.T) {
	c, err := Parse([]byte("parity:\n  client_subnets:\n    eu: 198.51.100.0/24\n    us: 203.0.113.0/24\n    ap: 2001:db8:1::/48\n  queries: logs/q.tap\n  max_queries: 500\n"), "/repo/dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(c.Parity.ClientSubnets)
	if want := "[{eu 198.51.100.0/24 3} {us 203.0.113.0/24 4} {ap 2001:db8:1::/48 5}]"; got != want {
		t.Errorf("map form: %s, want %s", got, want)
	}
	if c.QueriesFile() != "/repo/logs/q.tap" || c.Parity.MaxQueries != 500 {
		t.Errorf("queries %q max %d", c.QueriesFile(), c.Parity.MaxQueries)
	}
	c, err = Parse([]byte("parity:\n  client_subnets: [198.51.100.0/24, 2001:db8:1::/48]\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c.Parity.ClientSubnets); got != "[{ 198.51.100.0/24 2} { 2001:db8:1::/48 2}]" {
		t.Errorf("list form: %s", got)
	}
	for _, c := range []struct{ yaml, want string }{
		{"parity:\n  client_subnets:\n    - 198.51.100.1/24\n", "dnsparity.yaml:3: parity.client_subnets: \"198.51.100.1/24\" has host bits set"},
		{"parity:\n  client_subnets:\n    eu: europe\n", "dnsparity.yaml:3: parity.client_subnets: \"europe\" is not a subnet"},
		{"parity:\n  client_subnets:\n    - 198.51.100.0/24\n    - 198.51.100.0/24\n", "dnsparity.yaml:4: parity.client_subnets: 198.51.100.0/24 is listed twice (line 3)"},
		{"parity:\n  client_subnets: 198.51.100.0/24\n", "dnsparity.yaml:2: parity.client_subnets: a list of CIDRs, or a map region → CIDR"},
		{"parity:\n  max_queries: -1\n", "dnsparity.yaml:2: parity.max_queries: -1 is negative"},
	} {
		_, err := Parse([]byte(c.yaml), "dnsparity.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.yaml, err, c.want)
		}
	}
}
