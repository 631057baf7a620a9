package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigErrorNamesPathAsGiven: an error in dnsparity.yaml names the
// file relative to the working directory, whether it was found from there
// (no --config) or named with --config, in text and in check's JSON
// "error" alike (README: "dnsparity.yaml:12: ..."); found from a folder
// below it, it is ../dnsparity.yaml. It named it absolutely when found.
func TestConfigErrorNamesPathAsGiven(t *testing.T) {
	repo := t.TempDir()
	for _, d := range []string{filepath.Join(repo, ".git"), filepath.Join(repo, "zones")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg := "zones:\n  - name: example.test.\n    file: zones/example.test.zone\npolicy:\n  overlap: -7d\n"
	if err := os.WriteFile(filepath.Join(repo, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		var out, errOut bytes.Buffer
		a := &app{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
		if code := a.main(context.Background(), args); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		return out.String() + errOut.String()
	}
	for _, tc := range []struct {
		dir, want string
		args      [][]string
	}{
		{repo, "dnsparity.yaml:5: policy.overlap: -7d is negative", [][]string{
			{"check"}, {"check", "--format", "json"}, {"plan"}, {"status", "--zone", "example.test."},
			{"check", "--config", "dnsparity.yaml"}, {"check", "--config", "dnsparity.yaml", "--format", "json"},
			{"plan", "--config", "dnsparity.yaml"},
		}},
		{filepath.Join(repo, "zones"), "../dnsparity.yaml:5: policy.overlap: -7d is negative", [][]string{
			{"check"}, {"check", "--format", "json"}, {"plan"}, {"status", "--zone", "example.test."},
		}},
	} {
		t.Chdir(tc.dir)
		for _, args := range tc.args {
			got := run(args...)
			if !strings.Contains(got, tc.want) || strings.Contains(got, repo) {
				t.Errorf("in %s, %v printed:\n%s\nwant %q and not %s", tc.dir, args, got, tc.want, repo)
			}
		}
	}
}
