package config_test

// The tests of what the config does with each provider type's own keys
// (decoded, checked and resolved through its registered Settings), run
// with the real provider packages registered.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	_ "github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
)

// goodConfig has an rfc2136 and a powerdns provider, each naming its
// secret's variable.
const goodConfig = `
providers:
  old: {type: rfc2136, server: 127.0.0.1:53, tsig: {name: transfer-key., algorithm: hmac-sha256, secret_env: OLD_TSIG_SECRET}}
  new: {type: powerdns, url: "http://127.0.0.1:8081", server_id: localhost, api_key_env: PDNS_API_KEY}
`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "zones: []\npolicy:\n  max_change: 3\n", `dnsparity.yaml:3: unknown key "max_change"`},
		{"wrong kind", "zones: []\npolicy:\n  max_change_percent: lots\n", `dnsparity.yaml:3: policy.max_change_percent: "lots" is not a number`},
		{"unknown provider key", "providers:\n  old:\n    type: rfc2136\n    secret: hunter2\n", `:4: unknown key "secret"`},
		{"zone without file", "zones:\n  - name: a.example.\n", "file is required"},
		{"bad zone name", "zones:\n  - name: 'a..b'\n    file: x\n", "not a domain name"},
		{"provider without type", "providers:\n  old:\n    server: 127.0.0.1:53\n", "providers.old: type is required"},
		{"secret in env field", "providers:\n  new:\n    type: powerdns\n    api_key_env: 'abc def=='\n", "not an environment variable name"},
		{"secret in secret_key_env", "providers:\n  new:\n    type: dnsmadeeasy\n    api_key_env: DME_KEY\n    secret_key_env: 'abc/def=='\n", "secret_key_env is not an environment variable name"},
		{"secret in secret_env", "providers:\n  old:\n    type: rfc2136\n    tsig: {name: k., secret_env: 'c2VjcmV0LXRzaWc='}\n", "not an environment variable name"},
		{"tsig without env", "providers:\n  old:\n    type: rfc2136\n    tsig: {name: k.}\n", "secret_env is required"},
		{"bad tsig algorithm", "providers:\n  old:\n    type: rfc2136\n    tsig: {name: k., algorithm: rot13, secret_env: X}\n", "unknown algorithm"},
		{"negative retries", "parity:\n  retries: -1\n", "parity.retries: -1 is negative"},
		{"negative rate", "parity:\n  rate_limit: -5\n", "must not be negative"},
		{"bad percent", "policy:\n  max_change_percent: 130\n", "dnsparity.yaml:2: policy.max_change_percent: 130 is not a number between 0 and 100"},
		{"bad duration", "policy:\n  overlap: soon\n", "bad duration"},
		{"registrar provider unknown", "registrar:\n  type: parent\n  provider: parentdns\n", `provider "parentdns" is not under providers`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.yaml), "dnsparity.yaml")
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "dnsparity.yaml") {
				t.Errorf("error %q does not name the file and contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "def==") || strings.Contains(err.Error(), "c2VjcmV0") {
				t.Errorf("error %q repeats a secret pasted into the file", err)
			}
		})
	}
}

func TestResolveSecrets(t *testing.T) {
	c, err := config.Parse([]byte(goodConfig), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"OLD_TSIG_SECRET": "c2VjcmV0LXRzaWc="}
	err = c.Resolve(func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "PDNS_API_KEY is not set") {
		t.Fatalf("missing env var not reported: %v", err)
	}
	env["PDNS_API_KEY"] = "s3cr3t-api-key"
	if err := c.Resolve(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	p := c.Providers["new"]
	if p.Settings.(*powerdns.Settings).APIKey.Value() != "s3cr3t-api-key" || c.Providers["old"].TSIG.Secret.Value() != "c2VjcmV0LXRzaWc=" {
		t.Fatal("secrets not read")
	}
	// A secret never prints itself, whatever the formatting.
	b, _ := json.Marshal(p)
	for _, s := range []string{fmt.Sprint(p), fmt.Sprintf("%+v", *p), fmt.Sprintf("%#v", *p), string(b), fmt.Sprint(c.Providers["old"].TSIG)} {
		if strings.Contains(s, "s3cr3t") || strings.Contains(s, "c2VjcmV0") {
			t.Errorf("secret leaked in %q", s)
		}
	}
}

func TestResolveSecretKey(t *testing.T) {
	c, err := config.Parse([]byte("providers:\n  new:\n    type: dnsmadeeasy\n    api_key_env: DME_KEY\n    secret_key_env: DME_SECRET\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DME_KEY": "dme-api-key-0001"}
	if err := c.Resolve(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "DME_SECRET") {
		t.Fatalf("missing secret key not reported: %v", err)
	}
	env["DME_SECRET"] = "s3cr3t-secret-key"
	if err := c.Resolve(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	p := c.Providers["new"]
	st := p.Settings.(*dnsmadeeasy.Settings)
	if st.SecretKey.Value() != "s3cr3t-secret-key" || strings.Contains(fmt.Sprintf("%+v %+v", *p, *st), "s3cr3t") {
		t.Errorf("secret key %q / printed %+v", st.SecretKey.Value(), *st)
	}
}

func TestAWSKeys(t *testing.T) {
	y := `providers:
  new:
    type: route53
    region: eu-west-1
    access_key_id_env: AWS_KEY
    secret_access_key_env: AWS_SECRET
registrar:
  type: route53domains
  url: http://127.0.0.1:1
  access_key_id_env: AWS_KEY
  secret_access_key_env: AWS_SECRET
`
	c, err := config.Parse([]byte(y), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r53 := c.Providers["new"].Settings.(*route53.Settings)
	if r53.Region != "eu-west-1" || c.Registrar.URL != "http://127.0.0.1:1" || c.Registrar.AccessKeyIDEnv != "AWS_KEY" {
		t.Fatalf("AWS keys not read: %+v %+v", r53.AWS, c.Registrar)
	}
	env := map[string]string{"AWS_KEY": "AKIDEXAMPLE", "AWS_SECRET": "s3cr3t-value"}
	if err := c.Resolve(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if err := c.ResolveRegistrar(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if r53.SecretAccessKey.Value() != "s3cr3t-value" || c.Registrar.AccessKeyID.Value() != "AKIDEXAMPLE" {
		t.Fatal("secrets not resolved")
	}
	if err := c.ResolveRegistrar(func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "AWS_SECRET") {
		t.Fatalf("missing variable not named: %v", err)
	}
	for _, bad := range []string{
		"providers:\n  new:\n    type: route53\n    access_key_id_env: AKIA/not-a-name\n    secret_access_key_env: X\n",
		"providers:\n  new:\n    type: route53\n    access_key_id_env: X\n",
	} {
		_, err := config.Parse([]byte(bad), "dnsparity.yaml")
		if err == nil {
			t.Fatalf("accepted %q", bad)
		}
		if strings.Contains(err.Error(), "AKIA/not-a-name") {
			t.Fatalf("error repeats the value: %v", err)
		}
	}
}

// TestUnsetVariableNameNotShown: a value in a *_env key that is not
// written as a variable name is (capitals, digits, underscores) may be
// the secret itself, pasted where its variable's name belongs: when no
// such variable is set, the error says which key, never the value.
func TestUnsetVariableNameNotShown(t *testing.T) {
	pasted := "c2VjcmV0a2V5MDEyMzQ1Njc4OQ" // base64 without padding: a valid name
	for _, tt := range []struct{ name, yaml string }{
		{"api_key_env", "providers:\n  new: {type: powerdns, url: 'http://x', api_key_env: " + pasted + "}\n"},
		{"secret_key_env", "providers:\n  new: {type: dnsmadeeasy, api_key_env: DME_KEY, secret_key_env: " + pasted + "}\n"},
		{"tsig.secret_env", "providers:\n  old: {type: rfc2136, server: '127.0.0.1', tsig: {name: k., secret_env: " + pasted + "}}\n"},
		{"tsig.name_env", "providers:\n  old: {type: rfc2136, server: '127.0.0.1', tsig: {name_env: " + pasted + ", secret_env: OLD_TSIG}}\n"},
		{"secret_access_key_env", "providers:\n  new: {type: route53, access_key_id_env: AWS_ID, secret_access_key_env: " + pasted + "}\n"},
		{"registrar", "registrar:\n  type: parent\n  server: '127.0.0.1'\n  tsig: {name: k., secret_env: " + pasted + "}\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.yaml), "dnsparity.yaml")
			if err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"DME_KEY": "dme-api-key-0001", "OLD_TSIG": "c2VjcmV0", "AWS_ID": "AKIA"}
			getenv := func(k string) string { return env[k] }
			err = errors.Join(c.Resolve(getenv), c.ResolveRegistrar(getenv))
			if err == nil || !strings.Contains(err.Error(), tt.name) || !strings.Contains(err.Error(), "not set") {
				t.Fatalf("want an error naming the key %s, got %v", tt.name, err)
			}
			if strings.Contains(err.Error(), pasted[:12]) {
				t.Errorf("the error shows the value: %v", err)
			}
		})
	}
	// A name written as names are is shown: that is how the user finds it.
	c, _ := config.Parse([]byte("providers:\n  new: {type: powerdns, api_key_env: PDNS_API_KEY}\n"), "dnsparity.yaml")
	if err := c.Resolve(func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "environment variable PDNS_API_KEY is not set") {
		t.Errorf("got %v", err)
	}
}

// TestTSIGNameEnv: a TSIG key's name may come from a variable, so that a
// transfer-only key and an update key (distinct names, as servers
// require) share one config; the name is a domain name, and name and
// name_env do not go together.
func TestTSIGNameEnv(t *testing.T) {
	c, err := config.Parse([]byte("providers:\n  old: {type: rfc2136, server: '127.0.0.1', tsig: {name_env: OLD_TSIG_NAME, secret_env: OLD_TSIG_SECRET}}\nregistrar:\n  type: parent\n  server: '127.0.0.1'\n  tsig: {name_env: REG_NAME, secret_env: REG_SECRET}\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"OLD_TSIG_NAME": "transfer-only", "OLD_TSIG_SECRET": "c2VjcmV0", "REG_NAME": "registrar-key.", "REG_SECRET": "cmVn"}
	getenv := func(k string) string { return env[k] }
	if err := c.Resolve(getenv); err != nil {
		t.Fatal(err)
	}
	if err := c.ResolveRegistrar(getenv); err != nil {
		t.Fatal(err)
	}
	if got := c.Providers["old"].TSIG.Name; got != "transfer-only." {
		t.Errorf("name = %q", got)
	}
	if got := c.Registrar.TSIG.Name; got != "registrar-key." {
		t.Errorf("registrar name = %q", got)
	}
	env["OLD_TSIG_NAME"] = "not a name.."
	if err := c.Resolve(getenv); err == nil || !strings.Contains(err.Error(), "OLD_TSIG_NAME is not a domain name") || strings.Contains(err.Error(), "not a name..") {
		t.Errorf("bad name: %v", err)
	}
	delete(env, "OLD_TSIG_NAME")
	if err := c.Resolve(getenv); err == nil || !strings.Contains(err.Error(), "providers.old.tsig.name_env: environment variable OLD_TSIG_NAME is not set") {
		t.Errorf("unset name: %v", err)
	}
	for _, bad := range []struct{ yaml, want string }{
		{"type: rfc2136, tsig: {name: k., name_env: K, secret_env: S}", "give one of them"},
		{"type: rfc2136, tsig: {secret_env: S}", "name (or name_env"},
		{"type: rfc2136, tsig: {name_env: 'k.', secret_env: S}", "name_env is not an environment variable name"},
		{"type: cloudns, auth_id: '1', auth_id_env: ID", "auth_id and auth_id_env"},
		{"type: cloudns, sub_auth_id_env: 'a b'", "sub_auth_id_env is not an environment variable name"},
	} {
		_, err := config.Parse([]byte("providers:\n  old: {"+bad.yaml+"}\n"), "dnsparity.yaml")
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: got %v, want %q", bad.yaml, err, bad.want)
		}
	}
}

// TestAuthIDEnv: an API user's id may come from a variable (a read-only
// sub-user for pull requests, a write user for sync).
func TestAuthIDEnv(t *testing.T) {
	c, err := config.Parse([]byte("providers:\n  new: {type: cloudns, sub_auth_id_env: CLOUDNS_SUB_ID, api_key_env: CLOUDNS_PASSWORD}\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Resolve(func(k string) string {
		return map[string]string{"CLOUDNS_SUB_ID": "4242", "CLOUDNS_PASSWORD": "pw-pw-pw"}[k]
	}); err != nil {
		t.Fatal(err)
	}
	if got := c.Providers["new"].Settings.(*cloudns.Settings).SubAuthID; got != "4242" {
		t.Errorf("sub_auth_id = %q", got)
	}
}

// TestLoadIn: the config and its paths are confined to the root given
// (the Action's workspace), whatever the config's own folder.
func TestLoadIn(t *testing.T) {
	base := t.TempDir()
	ws := filepath.Join(base, "ws")
	other := filepath.Join(base, "other")
	for _, d := range []string{ws, other} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	good := "zones: [{name: a.test., file: a.zone}]\n"
	for _, p := range []string{filepath.Join(ws, "dnsparity.yaml"), filepath.Join(other, "dnsparity.yaml")} {
		if err := os.WriteFile(p, []byte(good), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if c, err := config.LoadIn(ws, filepath.Join(ws, "dnsparity.yaml")); err != nil || c.Root != ws {
		t.Fatalf("inside: %v", err)
	}
	for _, p := range []string{filepath.Join(other, "dnsparity.yaml"), filepath.Join(ws, "..", "other", "dnsparity.yaml")} {
		_, err := config.LoadIn(ws, p)
		if !errors.Is(err, confine.ErrOutside) || !strings.Contains(err.Error(), "outside the repository") || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", p, err)
		}
	}
	if err := os.WriteFile(filepath.Join(ws, "dnsparity.yaml"), []byte("zones: [{name: a.test., file: ../other/a.zone}]\ncutover: {state_dir: /var/tmp}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := config.LoadIn(ws, filepath.Join(ws, "dnsparity.yaml"))
	if !errors.Is(err, confine.ErrOutside) || !strings.Contains(err.Error(), "zones[0].file: ../other/a.zone: outside the repository") || !strings.Contains(err.Error(), "cutover.state_dir: /var/tmp: outside the repository") {
		t.Errorf("paths in the config: %v", err)
	}
}

// TestProviderOwnKeys: each provider type decodes its own keys (beside
// type, nameservers, delegation, manage_apex): a key of another type is
// unknown, on its line, nested keys too; a block reaches the provider as
// its type's Settings.
func TestProviderOwnKeys(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"providers:\n  new:\n    type: powerdns\n    url: http://x\n    zone_id: abc\n", `dnsparity.yaml:5: unknown key "zone_id"`},
		{"providers:\n  old:\n    type: rfc2136\n    server: 127.0.0.1\n    api_key_env: KEY\n", `dnsparity.yaml:5: unknown key "api_key_env"`},
		{"providers:\n  old:\n    type: rfc2136\n    tsig: {name: k., secret_env: S, colour: red}\n", `dnsparity.yaml:4: unknown key "colour"`},
		{"providers:\n  old:\n    type: cloudns\n    auth_id: '1'\n    region: eu\n", `dnsparity.yaml:5: unknown key "region"`},
		// A typo of a key of the type, or of a common key, is named.
		{"providers:\n  old:\n    type: rfc2136\n    sever: 127.0.0.1\n", `dnsparity.yaml:4: unknown key "sever" (did you mean server?)`},
		{"providers:\n  old:\n    type: powerdns\n    nameserver: [192.0.2.1]\n", `dnsparity.yaml:4: unknown key "nameserver" (did you mean nameservers?)`},
	} {
		_, err := config.Parse([]byte(tc.yaml), "dnsparity.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.yaml, err, tc.want)
		}
	}
	c, err := config.Parse([]byte("providers:\n  new:\n    type: route53\n    zone_id: Z1\n    region: eu-west-1\n    nameservers: [192.0.2.1]\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := c.Providers["new"]
	if st, ok := p.Settings.(*route53.Settings); !ok || st.ZoneID != "Z1" || st.Region != "eu-west-1" || len(p.Nameservers) != 1 {
		t.Errorf("route53's block: %+v %#v", p, p.Settings)
	}
}

// TestSecretEnvs: the variables the config names for secrets, each once
// (providers old, new, then by name, then the registrar's), and those of
// the AWS credential chain a route53 provider without keys signs with
// (config.ChainVars); not the ids and key names also given by variable,
// nor the chain's for a provider with keys or a registrar without AWS.
func TestSecretEnvs(t *testing.T) {
	c, err := config.Parse([]byte(`providers:
  parent: {type: rfc2136, server: '127.0.0.1', tsig: {name: p., secret_env: PARENT_TSIG}}
  new: {type: cloudns, sub_auth_id_env: CLOUDNS_SUB_ID, api_key_env: CLOUDNS_PASSWORD}
  old: {type: rfc2136, server: '127.0.0.1', tsig: {name_env: OLD_TSIG_NAME, secret_env: OLD_TSIG}}
  r53: {type: route53, access_key_id_env: R53_ID, secret_access_key_env: R53_SECRET, session_token_env: R53_TOKEN}
  again: {type: powerdns, url: 'http://127.0.0.1:8081', api_key_env: CLOUDNS_PASSWORD}
  chain: {type: route53, zone_id: Z2}
registrar:
  type: parent
  zone: test.
  provider: parent
  tsig: {name: r., secret_env: REG_TSIG}
`), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := "OLD_TSIG CLOUDNS_PASSWORD AWS_ACCESS_KEY_ID AWS_ACCESS_KEY AWS_SECRET_ACCESS_KEY AWS_SECRET_KEY AWS_SESSION_TOKEN PARENT_TSIG R53_ID R53_SECRET R53_TOKEN REG_TSIG"
	if got := strings.Join(c.SecretEnvs(), " "); got != want {
		t.Errorf("SecretEnvs = %s, want %s", got, want)
	}
}

// TestUnsetSaysEmpty: a variable set to "" (what a workflow gives for a
// secret that does not exist) is not reported as "not set" alone: the user
// sees it set in the workflow's env:.
func TestUnsetSaysEmpty(t *testing.T) {
	err := config.UnsetError("providers.old.tsig.secret_env", "OLD_TSIG_SECRET")
	if want := "providers.old.tsig.secret_env: environment variable OLD_TSIG_SECRET is not set or is empty (in GitHub Actions: a secret that does not exist, or a run from a fork, gives an empty value)"; err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}

// TestPastedKeyNotShown: a key pasted where a variable's name belongs is
// not repeated by the error for its unset variable, also one written in
// capitals and digits as names are (a base32 or upper-case hex key);
// names are shown as they are.
func TestPastedKeyNotShown(t *testing.T) {
	for _, tt := range []struct {
		env   string
		shown bool
	}{
		{"JBSWY3DPEHPK3PXPQ7RZ", false},
		{"9F86D081884C7D659A2FEAA0C55AD015", false},
		{"pdns-api-key-0123", false},
		{"PDNS_API_KEY", true},
		{"CLOUDFLAREAPITOKEN", true},
		{"TOKEN2", true},
		{"OLD_TSIG_SECRET_2024", true},
		{"AKIAIOSFODNN7EXAMPLE", true}, // an access key id: an identifier, one digit
	} {
		c, err := config.Parse([]byte("providers:\n  new:\n    type: powerdns\n    url: http://127.0.0.1:8081\n    api_key_env: "+tt.env+"\n"), "dnsparity.yaml")
		if err != nil {
			if !tt.shown && !strings.Contains(err.Error(), tt.env) {
				continue // refused as no variable name, without repeating it
			}
			t.Fatalf("%s: %v", tt.env, err)
		}
		err = c.Resolve(func(string) string { return "" })
		if err == nil {
			t.Fatalf("%s: unset, no error", tt.env)
		}
		if got := strings.Contains(err.Error(), tt.env); got != tt.shown {
			t.Errorf("%s: shown %v, want %v: %v", tt.env, got, tt.shown, err)
		}
		if got := config.ShownEnvName(tt.env) != ""; got != tt.shown {
			t.Errorf("ShownEnvName(%s): shown %v, want %v", tt.env, got, tt.shown)
		}
	}
}

// TestShortSecretRefused: a secret of fewer than redact.MinLen
// characters (blanks aside), which redaction could not mask without
// garbling what a run prints, is refused when the secrets are read,
// naming the key and the variable, never the value; ids read by variable
// (auth_id_env) are no secrets and may be short.
func TestShortSecretRefused(t *testing.T) {
	y := `providers:
  old: {type: rfc2136, server: 127.0.0.1:53, tsig: {name: k., secret_env: OLD_TSIG}}
  new: {type: powerdns, url: "http://127.0.0.1:8081", api_key_env: PDNS_KEY}
  dme: {type: dnsmadeeasy, api_key_env: DME_KEY, secret_key_env: DME_SECRET}
  cn: {type: cloudns, auth_id_env: CN_ID, api_key_env: CN_PASS}
registrar:
  type: route53domains
  access_key_id_env: AWS_KEY
  secret_access_key_env: AWS_SECRET
`
	c, err := config.Parse([]byte(y), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	good := map[string]string{"OLD_TSIG": "c2VjcmV0LXRzaWc=", "PDNS_KEY": "pdns-key-0001", "DME_KEY": "dme-key-0001", "DME_SECRET": "dme-secret-0001",
		"CN_ID": "7", "CN_PASS": "cloudns-pass-01", "AWS_KEY": "AKIDEXAMPLE", "AWS_SECRET": "aws-secret-0001"}
	resolve := func(env map[string]string) error {
		get := func(k string) string { return env[k] }
		return errors.Join(c.Resolve(get), c.ResolveRegistrar(get))
	}
	if err := resolve(good); err != nil {
		t.Fatalf("long secrets, a one-digit id: %v", err)
	}
	for _, tc := range []struct{ env, key, value string }{
		{"OLD_TSIG", "providers.old.tsig.secret_env", "YQ=="}, // 4 characters (base64 of one byte): masked, so kept
		{"PDNS_KEY", "providers.new.api_key_env", "abc"},
		{"DME_KEY", "providers.dme.api_key_env", "x"},
		{"DME_SECRET", "providers.dme.secret_key_env", " k9 "},
		{"CN_PASS", "providers.cn.api_key_env", "pw1"},
		{"AWS_SECRET", "registrar.secret_access_key_env", "s3\n"},
	} {
		t.Run(tc.env, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range good {
				env[k] = v
			}
			env[tc.env] = tc.value
			err := resolve(env)
			if len(strings.TrimSpace(tc.value)) >= 4 {
				if err != nil {
					t.Errorf("a secret of 4 characters refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.key) || !strings.Contains(err.Error(), tc.env) || !strings.Contains(err.Error(), "fewer than 4 characters") {
				t.Fatalf("err = %v, want one naming %s and %s", err, tc.key, tc.env)
			}
			if v := strings.TrimSpace(tc.value); strings.Contains(err.Error(), " "+v+" ") || strings.Contains(err.Error(), `"`+v+`"`) {
				t.Errorf("the error repeats the value: %v", err)
			}
		})
	}
}

// TestUnsetNamesLine: a secret's variable that is not set is an error
// that starts with the file and the line of the key naming it, as every
// other error about a value of the config does.
func TestUnsetNamesLine(t *testing.T) {
	c, err := config.Parse([]byte("zones: []\nproviders:\n  old:\n    type: rfc2136\n    server: 192.0.2.1\n    tsig: {name: k., secret_env: OLD_TSIG}\n  new:\n    type: powerdns\n    url: http://192.0.2.2:8081\n    api_key_env: PDNS_API_KEY\nregistrar:\n  type: parent\n  zone: test.\n  provider: old\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	err = c.Resolve(func(string) string { return "" })
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "dnsparity.yaml:6: providers.old.tsig.secret_env: environment variable OLD_TSIG is not set") ||
		!strings.HasPrefix(lines[1], "dnsparity.yaml:10: providers.new.api_key_env: environment variable PDNS_API_KEY is not set") {
		t.Errorf("errors:\n%v", err)
	}
	if err := c.Resolve(func(string) string { return "ab" }, "new"); err == nil || !strings.HasPrefix(err.Error(), "dnsparity.yaml:10: providers.new.api_key_env: ") {
		t.Errorf("short secret: %v", err)
	}
}

// TestShownSecretOnEveryZone: ShownSecret finds a secret the config read
// in a zone's texts, and is asked once per zone a run loads (10,000
// zones: 10,000 calls): what finds the secrets' forms is built once, when
// they are read, not on every call. Before, every call added each secret
// in every form again and built their matcher (about 36 s of CPU for the
// Action's check of 10,000 zones of 30 RRsets). The bound on allocations
// per call over a zone's few texts is far below what one such build
// takes.
func TestShownSecretOnEveryZone(t *testing.T) {
	c, err := config.Parse([]byte(goodConfig), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"OLD_TSIG_SECRET": "c2VjcmV0LXRzaWc=", "PDNS_API_KEY": "s3cr3t-api-key"}
	if err := c.Resolve(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	texts := func(ts ...string) func(func(string) bool) {
		return func(yield func(string) bool) {
			for _, s := range ts {
				if !yield(s) {
					return
				}
			}
		}
	}
	clean := texts("www.example.com.", "192.0.2.1", "v=spf1 -all")
	if err := c.ShownSecret(clean); err != nil {
		t.Fatalf("clean texts: %v", err)
	}
	if err := c.ShownSecret(texts("www.example.com.", "token=S3CR3T-API-KEY")); err == nil || !strings.Contains(err.Error(), "PDNS_API_KEY") {
		t.Fatalf("a text holding the API key: %v, want an error naming PDNS_API_KEY", err)
	}
	if err := c.ShownSecret(texts("c2VjcmV0LXRzaWc=")); err == nil || !strings.Contains(err.Error(), "OLD_TSIG_SECRET") {
		t.Fatalf("a text holding the TSIG secret: %v, want an error naming OLD_TSIG_SECRET", err)
	}
	allocs := testing.AllocsPerRun(50, func() { _ = c.ShownSecret(clean) })
	t.Logf("%.0f allocations per call", allocs)
	if allocs > 40 {
		t.Errorf("ShownSecret over 3 texts: %.0f allocations per call, want at most 40 (the secrets' matcher built again on every call?)", allocs)
	}
}

// TestURLSecretShownRefused: the credentials a url: carries are secrets
// of the run (the Action and the command line mask them,
// URLCredentialsOf), so, as a variable's, one that stands in what a run
// shows anyway is refused, naming what holds it, never the value: in a
// zone's name or a zone file's path, the config does not load; in a
// zone's records or the path of a file an $INCLUDE reads, ShownSecret
// refuses the zone. They were masked and never checked: the zone
// zq7vk2mp.test. of a url: password Zq7vK2mP was shown as ***.test.
func TestURLSecretShownRefused(t *testing.T) {
	const pass = "Zq7vK2mP"
	provider := func(url string) string {
		return "providers:\n  old: {type: powerdns, url: '" + url + "', api_key_env: PDNS_API_KEY}\n"
	}
	const shown, short = "holds a secret that stands in what a run shows anyway", "holds a secret of fewer than 4 characters"
	for _, tc := range []struct {
		name, zone, url string
		refused         string // the config does not load, saying so ("": it loads)
	}{
		{"password in a zone's name", "zq7vk2mp.test.", "https://admin:" + pass + "@127.0.0.1:8081/", shown},
		{"password percent-encoded, in a zone's name", "zq7vk2mp.test.", "https://admin:Zq7v%4bK2mP@127.0.0.1:8081/", ""},
		{"decoded password in a zone's name", "zq7vkk2mp.test.", "https://admin:Zq7v%4bK2mP@127.0.0.1:8081/", shown},
		{"token as the user name in a zone's name", "ghp-tokenasuser0123.test.", "https://ghp-TokenAsUser0123@127.0.0.1:8081/", shown},
		{"password elsewhere", "acme.test.", "https://admin:" + pass + "@127.0.0.1:8081/", ""},
		{"user name in a zone's name", "provisioning-bot.test.", "https://provisioning-bot:" + pass + "@127.0.0.1:8081/", ""},
		{"short user name alone in a zone's name", "admin.test.", "https://admin@127.0.0.1:8081/", ""},
		// Too short to be masked (redact.MinLen), as a variable's.
		{"short password", "acme.test.", "https://admin:zq7@127.0.0.1:8081/", short},
		{"short password, decoded", "acme.test.", "https://admin:z%37q@127.0.0.1:8081/", short},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := "zones:\n  - name: " + tc.zone + "\n    file: z.zone\n" + provider(tc.url)
			path := filepath.Join(dir, "dnsparity.yaml")
			os.WriteFile(path, []byte(cfg), 0o644)
			c, err := config.Load(path)
			if tc.refused == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("loaded; want it refused")
			}
			msg := err.Error()
			if !strings.Contains(msg, "dnsparity.yaml:5: providers.old.url: the url: of provider old "+tc.refused) {
				t.Errorf("err = %v, want the url:'s line and holder", msg)
			}
			if strings.Contains(strings.ToLower(msg), "zq7v") || strings.Contains(strings.ToLower(msg), "tokenasuser") || strings.Contains(msg, "***") || c != nil {
				t.Errorf("err = %v, shows the value or a mask of it", msg)
			}
		})
	}
	// In a zone's records and an $INCLUDE's path: ShownSecret.
	c, err := config.Parse([]byte("zones:\n  - name: acme.test.\n    file: acme.test.zone\n"+provider("https://admin:"+pass+"@127.0.0.1:8081/")), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	texts := func(ts ...string) func(func(string) bool) { return slices.Values(ts) }
	if err := c.ShownSecret(texts("acme.test.", "v=spf1 -all", "zones/inc-provisioning-bot.inc")); err != nil {
		t.Errorf("clean texts: %v", err)
	}
	for _, shown := range [][]string{
		{"acme.test.", `"sync=zq7vk2mp"`},
		{"acme.test.", "v=spf1 -all", "zones/inc-" + pass + ".inc"},
	} {
		err := c.ShownSecret(texts(shown...))
		if err == nil || !strings.Contains(err.Error(), "providers.old.url: the url: of provider old holds a secret") {
			t.Errorf("%q: %v, want an error naming the url: of provider old", shown, err)
		}
	}
}
