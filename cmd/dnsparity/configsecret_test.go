package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"

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

// TestRedactedRunReadsConfigOnce: a redacted run (a terminal's, a step
// log's) reads the secret variables its config names before the command
// starts, and the command then takes that config, not the file read a
// second time: a config changed between the two reads (a checkout, an
// edit, a pull request's file swapped under the run) would have the
// redaction know one config's secrets and the command use another's.
// The times the file is opened are counted (inotify: whoever opens it,
// through whatever function). On the code before, every command opened
// it twice (config.ReadSecretsOf, then the command's own load).
func TestRedactedRunReadsConfigOnce(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dnsparity.yaml")
	text := "zones:\n  - name: a.test.\n    file: a.zone\nproviders:\n" +
		"  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: ['127.0.0.1:1']\n    tsig: {name: k., algorithm: hmac-sha256, secret_env: ONCE_TSIG}\n"
	// A zone file that does not parse: each command stops before any
	// server is asked.
	if err := os.WriteFile(filepath.Join(dir, "a.zone"), []byte("$ORIGIN a.test.\n$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nbad A 1.2.3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.zone"), []byte("$ORIGIN b.test.\n$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	opens := watchOpens(t, cfg)
	getenv := func(k string) string {
		if k == "ONCE_TSIG" {
			return "c2VjcmV0LXRzaWcta2V5LWZvci1vbmNlLTAxMjM0NTY3ODk"
		}
		return ""
	}
	for _, args := range [][]string{
		{"check", "--config", cfg},
		{"plan", "--config", cfg},
		{"push", "--config", cfg},
		{"parity", "--config", cfg, "--old", "127.0.0.1:1", "--new", "127.0.0.1:2"},
		{"matrix", "--config", cfg},
		{"status", "--config", cfg, "--zone", "a.test."},
		{"flip", "--config", cfg, "--zone", "a.test.", "--dry-run"},
		// The config found from the working folder and from the zone
		// file's (a zone the config does not name).
		{"ttl", "--cap", "300", "b.zone"},
		{"check"},
	} {
		for _, step := range []bool{false, true} {
			opens() // those before
			var stdout, stderr bytes.Buffer
			a := terminalApp(&stdout, &stderr, getenv, nil)
			if step {
				a = &app{stdout: &stdout, stderr: &stderr, getenv: getenv, stepLog: true}
			}
			code := a.main(context.Background(), args)
			if n := opens(); n != 1 {
				t.Errorf("%v (step log %v): exit %d, the config was read %d times, want once:\n%s%s", args, step, code, n, stdout.String(), stderr.String())
			}
		}
	}
}

// watchOpens counts the times path is opened (Linux inotify, IN_OPEN;
// IN_CLOSE too, between: inotify sends two like events in a row as one):
// each call returns the opens since the one before.
func watchOpens(t *testing.T, path string) func() int {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		t.Skipf("no inotify here: %v", err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if _, err := syscall.InotifyAddWatch(fd, path, syscall.IN_OPEN|syscall.IN_CLOSE); err != nil {
		t.Fatalf("inotify %s: %v", path, err)
	}
	buf := make([]byte, 64*(syscall.SizeofInotifyEvent+syscall.NAME_MAX+1))
	return func() int {
		n := 0
		for {
			k, err := syscall.Read(fd, buf)
			if err != nil || k <= 0 {
				return n
			}
			for off := 0; off+syscall.SizeofInotifyEvent <= k; {
				e := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
				if e.Mask&syscall.IN_OPEN != 0 {
					n++
				}
				off += syscall.SizeofInotifyEvent + int(e.Len)
			}
		}
	}
}

// TestActionReadsConfigOnce: the Action reads the config input once: it
// masks what the variables the config names hold (and reads which it
// names as no secret) from the bytes the commands it runs then load,
// not the file read again (cli.IO.Configs). Opens of the file counted as
// in TestRedactedRunReadsConfigOnce. On the code before, check opened it
// three times and plan and pr more.
func TestActionReadsConfigOnce(t *testing.T) {
	for _, cmd := range []string{"check", "plan", "pr"} {
		t.Run(cmd, func(t *testing.T) {
			ae := newActionEnv(t)
			ae.env["PDNS_API_KEY"] = "pk-Zl7Hq2mZ9wXr4Lt8V"
			ae.env["INPUT_COMMAND"] = cmd
			os.MkdirAll(filepath.Join(ae.ws, "zones"), 0o755)
			cfg := filepath.Join(ae.ws, "dnsparity.yaml")
			text := soaOnlyPowerDNS(t)
			os.WriteFile(cfg, []byte(text), 0o644)
			ae.baseConfig = &text // the fake API serves it: the test reads no file
			os.WriteFile(filepath.Join(ae.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
			opens := watchOpens(t, cfg)
			o := ae.run(t)
			if n := opens(); n != 1 {
				t.Errorf("exit %d: the config was read %d times, want once:\n%s%s", o.code, n, o.stdout, o.stderr)
			}
		})
	}
}
