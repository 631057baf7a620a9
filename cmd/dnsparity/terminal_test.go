package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// TestServerControlsNotRaw: a provider's error that holds a terminal's
// control characters (ESC sequences: OSC 52 writing the clipboard, a
// conceal, a clear screen; a C1 CSI, U+009B; BEL; a carriage return that
// writes over the line) reaches the command line's output outside the
// Action (a terminal: the program's own stdout and stderr, terminalApp)
// with each shown as an escape, never raw, in every format; the message
// itself is still shown. PowerDNS's error shape: {"error": "..."}
// (https://doc.powerdns.com/authoritative/http-api/index.html#errors).
func TestServerControlsNotRaw(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"zone refused \u001b]52;c;cHduZWQ=\u0007 \u001b[8mhidden\u001b[0m \u001b[2J \u009b31m red\rOK \u007f"}`)
	}))
	t.Cleanup(api.Close)
	dir := t.TempDir()
	cfg := fmt.Sprintf("zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n", api.URL)
	os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone), 0o644)
	env := map[string]string{"PDNS_API_KEY": "pdns-terminal-key-0123456789"}
	for _, format := range []string{"text", "json", "markdown"} {
		var stdout, stderr bytes.Buffer
		a := terminalApp(&stdout, &stderr, func(k string) string { return env[k] }, nil)
		code := a.main(context.Background(), []string{"plan", "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", format})
		out := stdout.String() + stderr.String()
		if code != exitError || !strings.Contains(out, "zone refused") {
			t.Fatalf("plan --format %s: exit %d, want 2 and the provider's error:\n%q", format, code, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) && r != '\n' && r != '\t' {
				t.Errorf("plan --format %s: control character %U raw in the output:\n%q", format, r, out)
				break
			}
		}
	}
}
