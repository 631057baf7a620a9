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

// TestStreamedReportsRedactLaterSecrets: a step over several zones
// writes each zone's report as it comes (StreamWaves), but the run's
// secrets are learned as the steps read them: a zone whose setup fails
// before its providers' secrets are read (its file does not parse) comes
// first, its report quoting the line that holds a secret (a TSIG secret
// pasted into a TXT record), and the next zone's setup reads that secret.
// Held whole until the end, the report was redacted with every secret
// the run read; streamed (text, JSON: d7621701, c6fb6151), the first
// zone's report was written before the secret was known, and so was its
// line on stderr: the secret's head was printed. The secrets the
// config's variables hold are read before any zone's step.
func TestStreamedReportsRedactLaterSecrets(t *testing.T) {
	const secret = "c2VjcmV0LXRzaWcta2V5LWZvci1yZXZpZXcxMC0wMTIzNDU2Nzg5"
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("dnsparity.yaml", "zones:\n  - name: a.test.\n    file: a.zone\n  - name: b.test.\n    file: b.zone\nproviders:\n"+
		"  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: ['127.0.0.1:1']\n    tsig: {name: k., algorithm: hmac-sha256, secret_env: REVIEW10_TSIG}\n"+
		"  new:\n    type: rfc2136\n    server: 127.0.0.1:2\n    nameservers: ['127.0.0.1:2']\n    tsig: {name: k., algorithm: hmac-sha256, secret_env: REVIEW10_TSIG}\n")
	write("a.zone", "$ORIGIN a.test.\n$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\nkey TXT \""+secret+"\"\nbad A "+secret+"\n")
	write("b.zone", "$ORIGIN b.test.\n$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n")
	getenv := func(k string) string {
		if k == "REVIEW10_TSIG" {
			return secret
		}
		return ""
	}
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			a := terminalApp(&stdout, &stderr, getenv, nil)
			code := a.main(context.Background(), []string{"status", "--config", filepath.Join(dir, "dnsparity.yaml"), "--zone", "a.test.", "--zone", "b.test.", "--wave", "1", "--format", format})
			out := stdout.String() + stderr.String()
			if !strings.Contains(out, "a.test.") {
				t.Fatalf("exit %d, no report of a.test.:\n%s", code, out)
			}
			// Its head too: a zone file's token is quoted by its first
			// redact.TokenHead characters, which the run masks once it
			// knows the secret (redact.MinCut).
			if strings.Contains(out, secret[:redact.TokenHead]) {
				t.Errorf("exit %d: the secret is in the output:\n%s", code, out)
			}
		})
	}
}
