package config_test

// What a registrar type registers (config.RegisterRegistrar) decides what
// the config does with its registrar: block, never the type's name: types
// registered here, as a registrar package registers its own (the real
// ones, which import config, are tested in their packages: parent's
// TestParentCutoverCuts, route53domains' TestChainVars), and not
// imported here, where every test of the package would see them.

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

func init() {
	// A registrar that edits delegations in a configured parent zone
	// (as parent does) under another name.
	config.RegisterRegistrar("test-inparent", config.RegistrarType{
		Check: func(r *config.Registrar) error {
			if r.Zone == "" {
				return errors.New("zone: the parent zone is required")
			}
			return nil
		},
		CheckProvider: func(r *config.Registrar, p *config.Provider) error {
			if p.Type != "rfc2136" {
				return errors.New("provider: not rfc2136")
			}
			return nil
		},
		ParentZone: func(r *config.Registrar) string { return r.Zone },
	})
	// A registrar whose client signs with the AWS credential chain (as
	// route53domains does) under another name.
	config.RegisterRegistrar("test-chain", config.RegistrarType{Vars: func(r *config.Registrar) []config.Var { return r.AWS.Vars() }})
}

// TestCutoverCuts: with a registrar that changes delegations in a parent
// zone, the configured zones below that zone are the delegations a plan
// of it leaves to the cutover; none for any other zone or registrar.
func TestCutoverCuts(t *testing.T) {
	zones := "zones:\n  - {name: Example.COM, file: a.zone}\n  - {name: dept.example.com, file: b.zone}\n  - {name: a.b.example.com, file: c.zone}\n  - {name: other.test, file: d.zone}\n  - {name: notexample.com, file: e.zone}\n"
	cases := []struct{ registrar, zone, want string }{
		{"registrar: {type: test-inparent, zone: EXAMPLE.com, provider: p}\n", "example.com.", "a.b.example.com. dept.example.com."},
		{"registrar: {type: test-inparent, zone: example.com., provider: p}\n", "dept.example.com", ""},
		{"registrar: {type: test-inparent, zone: example.com., provider: p}\n", "other.test.", ""},
		{"registrar: {type: test-unregistered, zone: example.com}\n", "example.com.", ""},
		{"registrar: {type: test-chain}\n", "example.com.", ""},
		{"", "example.com.", ""},
	}
	for _, tc := range cases {
		c, err := config.Parse([]byte(zones+"providers:\n  p: {type: rfc2136}\n"+tc.registrar), "dnsparity.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(c.CutoverCuts(tc.zone), " "); got != tc.want {
			t.Errorf("%q, zone %s: CutoverCuts = %q, want %q", tc.registrar, tc.zone, got, tc.want)
		}
	}
}

// TestRegistrarTypeRegistration: the variables a registrar: block reads,
// and the checks it gets when the config loads, are what its type
// registered.
func TestRegistrarTypeRegistration(t *testing.T) {
	chain := "AWS_ACCESS_KEY_ID AWS_ACCESS_KEY AWS_SECRET_ACCESS_KEY AWS_SECRET_KEY AWS_SESSION_TOKEN"
	for _, tc := range []struct {
		name, registrar string
		secrets         string // the secret variables read (SecretEnvs)
		err             string // the load's error ("": none)
	}{
		{"registered chain: the chain", "{type: test-chain}", chain, ""},
		{"registered chain: its keys", "{type: test-chain, access_key_id_env: K_ID, secret_access_key_env: K_SECRET}", "K_ID K_SECRET", ""},
		{"no client: no chain", "{type: test-unregistered}", "", ""},
		{"unregistered: its keys", "{type: test-unregistered, access_key_id_env: K_ID, secret_access_key_env: K_SECRET}", "K_ID K_SECRET", ""},
		{"its tsig only", "{type: test-inparent, zone: test., provider: p, tsig: {name: k., secret_env: P_TSIG}}", "P_TSIG", ""},
		{"registered check", "{type: test-inparent, provider: p}", "", "dnsparity.yaml:4: registrar: zone: the parent zone is required"},
		{"registered provider check", "{type: test-inparent, zone: test., provider: q}", "", "registrar: provider: not rfc2136"},
		{"registered checks pass", "{type: test-inparent, zone: test., provider: p}", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			y := "providers:\n  p: {type: rfc2136, server: 127.0.0.1}\n  q: {type: powerdns, url: \"http://127.0.0.1:8081\", api_key_env: Q_KEY}\nregistrar: " + tc.registrar + "\n"
			c, err := config.Parse([]byte(y), "dnsparity.yaml")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := slices.DeleteFunc(c.SecretEnvs(), func(s string) bool { return s == "Q_KEY" })
			if strings.Join(got, " ") != tc.secrets {
				t.Errorf("secret variables %q, want %q", got, tc.secrets)
			}
		})
	}
}
