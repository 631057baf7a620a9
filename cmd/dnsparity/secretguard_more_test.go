package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
)

// TestMaskedByCallerSecondZone: a value the caller masks standing in a
// record of the second of two zones is refused by the commands
// TestMaskedByCaller does not run (push before any provider is asked;
// the cutover commands in that zone's step), naming the variable and
// never the value or its mask. (ttl shows no record's data: not here.)
func TestMaskedByCallerSecondZone(t *testing.T) {
	const token = "Zq7vK2mP9xR4tL8wN3bH6jF1"
	dir := guardEnv(t)
	cfg := filepath.Join(dir, "dnsparity.yaml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	two := strings.Replace(string(b), "zones:\n", "zones:\n  - name: beta.test.\n    file: beta.test.zone\n", 1)
	two = strings.Replace(two, "zones:\n  - name: beta.test.\n    file: beta.test.zone\n  - name: acme.test.\n    file: acme.test.zone\n", "zones:\n  - name: acme.test.\n    file: acme.test.zone\n  - name: beta.test.\n    file: beta.test.zone\n", 1)
	if err := os.WriteFile(cfg, []byte(two), 0o644); err != nil {
		t.Fatal(err)
	}
	beta := strings.ReplaceAll(acmeZone, "acme.test.", "beta.test.") + "note TXT \"" + token + "\"\n"
	if err := os.WriteFile(filepath.Join(dir, "beta.test.zone"), []byte(beta), 0o644); err != nil {
		t.Fatal(err)
	}
	masked := map[string]string{"BOT_TOKEN": token}
	for _, args := range [][]string{
		{"push", "--config", cfg, "--format", "json"},
		{"status", "--config", cfg, "--zone", "acme.test.", "--zone", "beta.test.", "--format", "json"},
		{"flip", "--config", cfg, "--zone", "acme.test.", "--zone", "beta.test.", "--dry-run", "--format", "json"},
		{"rollback", "--config", cfg, "--zone", "acme.test.", "--zone", "beta.test.", "--dry-run", "--format", "json"},
		{"finish", "--config", cfg, "--zone", "acme.test.", "--zone", "beta.test.", "--format", "json"},
	} {
		var out, errb bytes.Buffer
		env := map[string]string{"PDNS_API_KEY": "k9Wd2Lp5Xs8Qv3Nt6Rb1"}
		code := inProcess{}.Run(context.Background(), args, cli.IO{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }, Masked: masked})
		got := out.String() + errb.String()
		if code == exitOK || !strings.Contains(got, "BOT_TOKEN") {
			t.Errorf("%s: exit %d, want a refusal naming BOT_TOKEN:\n%s", args[0], code, got)
		}
		if strings.Contains(strings.ToLower(got), strings.ToLower(token)) || strings.Contains(got, "***") {
			t.Errorf("%s: the output shows the value or a mask of it:\n%s", args[0], got)
		}
	}
}
