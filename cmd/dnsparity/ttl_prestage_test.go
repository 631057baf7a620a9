package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTTLCapAbovePrestage: `ttl --cap` above the config's
// policy.prestage_ttl (the flip's ttl-prestaged gate) says so: a user
// who pre-stages at 600 with a policy of 300 would otherwise push, wait
// out the old TTLs, and only then see the flip refused. A warning (a cap
// above the policy is a step on the way down), the files still
// rewritten, exit 0; a cap at or under it says nothing. On the code
// before, nothing was said.
func TestTTLCapAbovePrestage(t *testing.T) {
	const good = "$ORIGIN example.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 3600\n  IN NS ns1\nns1 IN A 192.0.2.1\n"
	for _, tc := range []struct {
		name, policy, cap string
		warn              string // "" for no warning
	}{
		{"above the policy", "policy: {prestage_ttl: 300}\n", "600", "dnsparity.yaml): the flip's ttl-prestaged gate refuses a TTL over 300 s; cap at 300 or less before the flip"},
		{"above the default", "", "900", "warning: --cap 900 is above policy.prestage_ttl 300 ("},
		{"above the policy, said with the cap", "policy: {prestage_ttl: 300}\n", "450", "warning: --cap 450 is above policy.prestage_ttl 300 ("},
		{"at the policy", "policy: {prestage_ttl: 300}\n", "300", ""},
		{"under the policy", "policy: {prestage_ttl: 600}\n", "300", ""},
		// A config that does not load: said, not passed over in silence.
		{"config does not load", "policy: {prestage_ttl: soon}\n", "600", "warning: --cap 600 was not compared with policy.prestage_ttl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "zones", "example.test.zone")
			cfg := "zones:\n  - name: example.test.\n    file: zones/example.test.zone\n" + tc.policy
			if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(good), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
			if code := a.main(context.Background(), []string{"ttl", "--cap", tc.cap, p}); code != exitOK {
				t.Fatalf("exit %d, want 0: %s", code, stderr.String())
			}
			got := strings.Contains(stderr.String(), "warning: --cap")
			if tc.warn == "" && got || tc.warn != "" && !strings.Contains(stderr.String(), tc.warn) {
				t.Errorf("stderr:\n%s\nwant warning %q", stderr.String(), tc.warn)
			}
			if b, _ := os.ReadFile(p); string(b) == good {
				t.Error("the file was not rewritten")
			}
		})
	}
}
