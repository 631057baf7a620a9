package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// TestZoneFileQuotingConfigSecret: a command run from a terminal (or any
// redacted run) that reads a config's zone files knows the secrets the
// config's variables hold before it reads a zone file: a zone file line
// that holds one (a TSIG secret pasted into a record) is quoted by no
// error, warning or report, in no format. On the code before, check,
// plan and parity printed the token's head (`invalid value near …`)
// since only a provider's setup, after the zone files, read the variable.
func TestZoneFileQuotingConfigSecret(t *testing.T) {
	const secret = "c2VjcmV0LXRzaWcta2V5LWZvci1jb25maWctMDEyMzQ1Njc4OQ"
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dnsparity.yaml")
	for name, text := range map[string]string{
		"dnsparity.yaml": "zones:\n  - name: a.test.\n    file: a.zone\nproviders:\n" +
			"  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: ['127.0.0.1:1']\n    tsig: {name: k., algorithm: hmac-sha256, secret_env: CFGSECRET_TSIG}\n",
		"a.zone": "$ORIGIN a.test.\n$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\nbad A " + secret + "\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	getenv := func(k string) string {
		if k == "CFGSECRET_TSIG" {
			return secret
		}
		return ""
	}
	for _, args := range [][]string{
		{"check", "--config", cfg},
		{"check", "--config", cfg, "--format", "json"},
		{"check", "--config", cfg, "--format", "markdown"},
		{"plan", "--config", cfg},
		{"plan", "--config", cfg, "--format", "json"},
		{"parity", "--config", cfg, "--old", "127.0.0.1:1", "--new", "127.0.0.1:2"},
	} {
		var stdout, stderr bytes.Buffer
		a := terminalApp(&stdout, &stderr, getenv, nil)
		code := a.main(context.Background(), args)
		out := stdout.String() + stderr.String()
		if code == exitOK {
			t.Errorf("%v: exit 0 on a zone file that does not parse:\n%s", args, out)
		}
		if strings.Contains(out, secret[:redact.TokenHead]) {
			t.Errorf("%v: exit %d: the secret's head is in the output:\n%s", args, code, out)
		}
	}
}
