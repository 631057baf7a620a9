package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPathsOutsideTheRepository: a zone file or a config outside the
// repository root (absolute, .. out, a symlink out, under .git) is refused
// by every command that reads the config, exit 2, with a message that says
// "outside the repository" and names the path; nothing of the file it
// names is read or shown (DESIGN "Paths").
func TestPathsOutsideTheRepository(t *testing.T) {
	const secret = "ghs_0123456789abcdefSECRETvalue0123456789"
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(repo, ".git"), filepath.Join(repo, "zones"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Files that must never be read: environment-like content with a
	// secret, as /proc/self/environ holds.
	leak := "INPUT_GITHUB-TOKEN=" + secret + "\x00HOME=/root\x00"
	write(filepath.Join(outside, "environ"), leak)
	write(filepath.Join(outside, "dnsparity.yaml"), "zones: [{name: example.test., file: "+secret+"}]\n")
	write(filepath.Join(repo, ".git", "config"), "[remote]\n\turl = https://x:"+secret+"@example.com\n")
	write(filepath.Join(repo, "zones", "example.test.zone"), "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n")
	for link, target := range map[string]string{
		filepath.Join(repo, "zones", "link.zone"): filepath.Join(outside, "environ"),
		filepath.Join(repo, "zones", "gitlink"):   filepath.Join(repo, ".git", "config"),
		filepath.Join(repo, "zones", "dirlink"):   outside,
		filepath.Join(repo, "linked.yaml"):        filepath.Join(outside, "dnsparity.yaml"),
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	abs := filepath.Join(outside, "environ")
	cases := []struct {
		name, file, named string
	}{
		{"absolute", abs, abs},
		{"proc environ", "/proc/self/environ", "/proc/self/environ"},
		{"dot-dot out", "../outside/environ", "../outside/environ"},
		{"symlink out", "zones/link.zone", "zones/link.zone"},
		{"symlinked folder out", "zones/dirlink/environ", "zones/dirlink/environ"},
		{"under .git", ".git/config", ".git/config"},
		{"symlink to .git", "zones/gitlink", "zones/gitlink"},
	}
	t.Chdir(repo)
	cfg := filepath.Join(repo, "dnsparity.yaml")
	run := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		env := map[string]string{"INPUT_GITHUB-TOKEN": secret, "PDNS_API_KEY": "pdns-api-key-0001"}
		a := &app{stdout: &out, stderr: &errOut, getenv: func(k string) string { return env[k] }}
		code := a.main(context.Background(), args)
		return code, out.String() + errOut.String()
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			write(cfg, "zones:\n  - name: example.test.\n    file: "+c.file+"\nproviders:\n  new: {type: powerdns, url: 'http://127.0.0.1:9', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n")
			for _, args := range [][]string{
				{"check"},
				{"check", "--format", "json"},
				{"plan", "--config", cfg},
				{"parity", "--config", cfg, "--format", "json"},
				{"status", "--config", cfg, "--zone", "example.test."},
				{"ttl", "--cap", "300", "--dry-run"},
			} {
				code, out := run(args...)
				if code != exitError {
					t.Errorf("%s: exit %d, want %d:\n%s", args[0], code, exitError, out)
				}
				if !strings.Contains(out, "outside the repository") || !strings.Contains(out, c.named) {
					t.Errorf("%s: the message does not say the path %s is outside the repository:\n%s", args[0], c.named, out)
				}
				if strings.Contains(out, secret) || strings.Contains(out, "HOME=") || strings.Contains(out, "remote") {
					t.Errorf("%s: the output shows what the refused file holds:\n%s", args[0], out)
				}
			}
		})
	}
	// The config itself: a symlink out of the repository, or under .git.
	write(filepath.Join(repo, ".git", "dnsparity.yaml"), "zones: []\n")
	for _, p := range []string{filepath.Join(repo, "linked.yaml"), filepath.Join(repo, ".git", "dnsparity.yaml")} {
		code, out := run("plan", "--config", p)
		if code != exitError || !strings.Contains(out, "outside the repository") || !strings.Contains(out, p) || strings.Contains(out, secret) {
			t.Errorf("config %s: exit %d:\n%s", p, code, out)
		}
	}
	// Inside the repository, relative and through a symlink that stays
	// inside, all is well.
	if err := os.Symlink("example.test.zone", filepath.Join(repo, "zones", "current.zone")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"zones/example.test.zone", "./zones/../zones/current.zone"} {
		write(cfg, "zones:\n  - name: example.test.\n    file: "+f+"\n")
		if code, out := run("check"); code != exitOK {
			t.Errorf("%s: exit %d:\n%s", f, code, out)
		}
	}
}
