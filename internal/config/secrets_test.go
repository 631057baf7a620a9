package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/confine"
)

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
			c, err := Parse([]byte(tt.yaml), "dnsparity.yaml")
			if err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"DME_KEY": "k", "OLD_TSIG": "c2VjcmV0", "AWS_ID": "AKIA"}
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
	c, _ := Parse([]byte("providers:\n  new: {type: powerdns, api_key_env: PDNS_API_KEY}\n"), "dnsparity.yaml")
	if err := c.Resolve(func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "environment variable PDNS_API_KEY is not set") {
		t.Errorf("got %v", err)
	}
}

// TestTSIGNameEnv: a TSIG key's name may come from a variable, so that a
// transfer-only key and an update key (distinct names, as servers
// require) share one config; the name is a domain name, and name and
// name_env do not go together.
func TestTSIGNameEnv(t *testing.T) {
	c, err := Parse([]byte("providers:\n  old: {type: rfc2136, server: '127.0.0.1', tsig: {name_env: OLD_TSIG_NAME, secret_env: OLD_TSIG_SECRET}}\nregistrar:\n  type: parent\n  server: '127.0.0.1'\n  tsig: {name_env: REG_NAME, secret_env: REG_SECRET}\n"), "dnsparity.yaml")
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
		{"tsig: {name: k., name_env: K, secret_env: S}", "give one of them"},
		{"tsig: {secret_env: S}", "name (or name_env"},
		{"tsig: {name_env: 'k.', secret_env: S}", "name_env is not an environment variable name"},
		{"auth_id: '1', auth_id_env: ID", "auth_id and auth_id_env"},
		{"sub_auth_id_env: 'a b'", "sub_auth_id_env is not an environment variable name"},
	} {
		_, err := Parse([]byte("providers:\n  old: {type: rfc2136, "+bad.yaml+"}\n"), "dnsparity.yaml")
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: got %v, want %q", bad.yaml, err, bad.want)
		}
	}
}

// TestAuthIDEnv: an API user's id may come from a variable (a read-only
// sub-user for pull requests, a write user for sync).
func TestAuthIDEnv(t *testing.T) {
	c, err := Parse([]byte("providers:\n  new: {type: cloudns, sub_auth_id_env: CLOUDNS_SUB_ID, api_key_env: CLOUDNS_PASSWORD}\n"), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Resolve(func(k string) string {
		return map[string]string{"CLOUDNS_SUB_ID": "4242", "CLOUDNS_PASSWORD": "pw-pw-pw"}[k]
	}); err != nil {
		t.Fatal(err)
	}
	if got := c.Providers["new"].SubAuthID; got != "4242" {
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
	if c, err := LoadIn(ws, filepath.Join(ws, "dnsparity.yaml")); err != nil || c.Root != ws {
		t.Fatalf("inside: %v", err)
	}
	for _, p := range []string{filepath.Join(other, "dnsparity.yaml"), filepath.Join(ws, "..", "other", "dnsparity.yaml")} {
		_, err := LoadIn(ws, p)
		if !errors.Is(err, confine.ErrOutside) || !strings.Contains(err.Error(), "outside the repository") || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", p, err)
		}
	}
	if err := os.WriteFile(filepath.Join(ws, "dnsparity.yaml"), []byte("zones: [{name: a.test., file: ../other/a.zone}]\ncutover: {state_dir: /var/tmp}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadIn(ws, filepath.Join(ws, "dnsparity.yaml"))
	if !errors.Is(err, confine.ErrOutside) || !strings.Contains(err.Error(), "zones[0].file: ../other/a.zone: outside the repository") || !strings.Contains(err.Error(), "cutover.state_dir: /var/tmp: outside the repository") {
		t.Errorf("paths in the config: %v", err)
	}
}
