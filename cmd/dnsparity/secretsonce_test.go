package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestRedactedRunReadsSecretsOnce: a redacted run (a terminal's, a step
// log's) reads each secret variable its config names once, as it reads
// the config once (TestRedactedRunReadsConfigOnce): the values it reads
// before the command starts (config.ReadSecretsOf, what the redaction
// knows) are those the command uses (config.Loads carries them), not the
// variable read again. Here a variable whose value changes at every read
// (a secret a helper rotates, read from a file each time) would have the
// redaction know one value and the command send another. The reads of
// each variable are counted; the zone file loads and the config is
// complete for a cutover step, so that status and flip reach their
// provider's setup (the step's secret reads) before any server is asked.
// On the code before, a cutover step read its key three times
// (ReadSecretsOf, the cutover's redaction set, the step's setup).
func TestRedactedRunReadsSecretsOnce(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cfg := filepath.Join(dir, "dnsparity.yaml")
	// The config, its zone, and a repository's root (.git).
	for _, f := range [][2]string{
		{cfg, "zones:\n  - name: a.test.\n    file: a.zone\nproviders:\n" +
			"  old: {type: powerdns, url: 'http://127.0.0.1:9', api_key_env: ONCE_OLD_KEY, nameservers: ['127.0.0.1:9']}\n" +
			"  new: {type: powerdns, url: 'http://127.0.0.1:9', api_key_env: ONCE_NEW_KEY, nameservers: ['127.0.0.2:9']}\n" +
			"registrar: {type: manual}\ncutover: {parent_servers: ['127.0.0.1:9']}\n"},
		{filepath.Join(dir, "a.zone"), "$ORIGIN a.test.\n$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"},
		{filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/main\n"},
	} {
		if err := errors.Join(os.MkdirAll(filepath.Dir(f[0]), 0o755), os.WriteFile(f[0], []byte(f[1]), 0o644)); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"status", "--config", cfg, "--zone", "a.test."},
		{"flip", "--config", cfg, "--zone", "a.test.", "--dry-run"},
		{"check", "--config", cfg},
		{"plan", "--config", cfg},
	} {
		for _, step := range []bool{false, true} {
			var mu sync.Mutex
			reads := map[string]int{}
			getenv := func(k string) string {
				mu.Lock()
				defer mu.Unlock()
				switch k {
				case "ONCE_OLD_KEY", "ONCE_NEW_KEY":
					reads[k]++
					return k + "-pk-Zl7Hq2mZ9wXr4Lt8V"
				}
				return ""
			}
			var stdout, stderr bytes.Buffer
			a := terminalApp(&stdout, &stderr, getenv, nil)
			if step {
				a = &app{stdout: &stdout, stderr: &stderr, getenv: getenv, stepLog: true}
			}
			code := a.main(context.Background(), args)
			for _, k := range []string{"ONCE_OLD_KEY", "ONCE_NEW_KEY"} {
				if n := reads[k]; n != 1 {
					t.Errorf("%v (step log %v): exit %d, %s was read %d times, want once:\n%s%s", args, step, code, k, n, stdout.String(), stderr.String())
				}
			}
		}
	}
}
