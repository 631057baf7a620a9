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

// TestMissingZoneFileNamesConfigLine: a zone file the config names that
// does not exist is reported by every command that reads it with what to
// do and the config's line that names it, whether or not the config is
// in a git repository and whether or not the file's folder exists. On
// the code before, outside git with the folder missing, every command
// said "open zone: repository root …/zones: lstat …: no such file or
// directory", and no command named the config's line.
func TestMissingZoneFileNamesConfigLine(t *testing.T) {
	const cfgText = `# a comment
providers:
  old:
    type: rfc2136
    server: 127.0.0.1:53
    nameservers: [127.0.0.1]
zones:
  - name: shop.test
    file: zones/shop.test.zone
  - name: present.test
    file: present.test.zone
`
	cases := []struct {
		name          string
		git, makeDirs bool
	}{
		{"git, folder exists", true, true},
		{"git, no folder", true, false},
		{"no git, folder exists", false, true},
		{"no git, no folder", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if c.git {
				if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if c.makeDirs {
				if err := os.Mkdir(filepath.Join(dir, "zones"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, "present.test.zone"), []byte("$TTL 300\n@ SOA ns1 h 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := filepath.Join(dir, "dnsparity.yaml")
			if err := os.WriteFile(cfg, []byte(cfgText), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{
				{"check", "--config", cfg},
				{"plan", "--config", cfg},
				{"parity", "--config", cfg, "--old", "127.0.0.1", "--new", "127.0.0.2"},
			} {
				var out bytes.Buffer
				code := inProcess{}.Run(context.Background(), args, cli.IO{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }})
				for _, want := range []string{
					"zones/shop.test.zone: no such file or directory",
					"write the zone there",
					"correct the path at " + cfg + ":8 that names it",
				} {
					if !strings.Contains(out.String(), want) {
						t.Errorf("%s: exit %d, output lacks %q:\n%s", args[0], code, want, out.String())
					}
				}
				if code == exitOK {
					t.Errorf("%s: exit 0 with a zone file missing", args[0])
				}
			}
		})
	}
}
