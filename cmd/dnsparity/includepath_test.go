package main

import (
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIncludedFilePathSecretRefused: a file an $INCLUDE reads is named
// by what a run shows of it (a problem's "file", an annotation's path,
// a record's file:line), as the config's zone files are; a secret that
// stands in its name is refused (exit 2, naming the variable), as one in
// a zone file's name is. plan printed the path whole on the command line
// ("inc-Zq7v….inc:2: bad A record"), and the Action put a mask in it
// ("inc-***.inc" in its comment, annotations and report), which says
// what the secret is to anyone who reads the repository.
func TestIncludedFilePathSecretRefused(t *testing.T) {
	const key = "Zq7vK2mP9xR4tL8wN3bH6jF1"
	inc := "inc-" + key + ".inc"
	for _, tc := range []struct{ what, included string }{
		{"a problem in it", "x 300 IN TXT \"hello\"\nbad 300 IN A 999.1.1.1\n"},
		{"its records", "x 300 IN TXT \"hello\"\n"},
	} {
		dir := guardEnv(t)
		os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone+"$INCLUDE "+inc+"\n"), 0o644)
		os.WriteFile(filepath.Join(dir, inc), []byte(tc.included), 0o644)
		refused := func(where string, code int, out string) {
			t.Helper()
			if code != exitError || !strings.Contains(html.UnescapeString(out), "PDNS_API_KEY") || !strings.Contains(out, "stands in what a run shows") {
				t.Errorf("%s, %s: exit %d, want 2 naming the variable:\n%s", tc.what, where, code, out)
			}
			if strings.Contains(out, key[:8]) || strings.Contains(out, "***") {
				t.Errorf("%s, %s: the output shows the value or a mask of it:\n%s", tc.what, where, out)
			}
		}
		for _, cmd := range []string{"plan", "push"} {
			for _, format := range []string{"text", "json"} {
				code, out := runGuard(t, map[string]string{"PDNS_API_KEY": key}, cmd, "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", format)
				refused(cmd+" --format "+format, code, out)
			}
		}
		for _, command := range []string{"check", "plan"} {
			e := newActionEnv(t)
			e.env["PDNS_API_KEY"] = key
			e.env["INPUT_COMMAND"] = command
			cfg, _ := os.ReadFile(filepath.Join(dir, "dnsparity.yaml"))
			os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), cfg, 0o644)
			os.WriteFile(filepath.Join(e.ws, "acme.test.zone"), []byte(acmeZone+"$INCLUDE "+inc+"\n"), 0o644)
			os.WriteFile(filepath.Join(e.ws, inc), []byte(tc.included), 0o644)
			o := e.run(t)
			refused("the Action's "+command, o.code, e.shown(o, command+".json"))
		}
	}
}
