package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJSONWhenItCannotRun: every command that writes JSON with --format
// json writes one object when it could not run (exit 2): a bad flag, a
// value that is not one, a PATH or report not found; its "error" says
// why, and is the object's first key. On the code before, ttl and merge
// wrote nothing on stdout, which a JSON reader cannot parse.
func TestJSONWhenItCannotRun(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, tc := range []struct {
		args []string
		want string // in "error"
	}{
		{[]string{"ttl", "--cap", "60", "--format", "json", "nope.zone"}, "nope.zone: no such file or directory"},
		{[]string{"ttl", "--cap", "abc", "--format", "json", "nope.zone"}, `--cap: "abc" is not a TTL`},
		{[]string{"ttl", "--format", "json", "--bogus"}, "bad command line: --format json --bogus"},
		{[]string{"merge", "--format", "json", "nope.json"}, "open nope.json: no such file or directory"},
		{[]string{"merge", "--format", "json"}, "no report given"},
		{[]string{"merge", "--format=json", "--expect", "x"}, "bad command line: --format=json --expect x"},
		{[]string{"check", "--format", "json", "nope.zone"}, "nope.zone: no such file or directory"},
		{[]string{"check", "--format", "json", "--bogus"}, "bad command line"},
		{[]string{"parity", "--format", "json", "--file", "nope.zone", "--old", "127.0.0.1", "--new", "127.0.0.2"}, "nope.zone: no such file or directory"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
			if code := a.main(context.Background(), tc.args); code != exitError {
				t.Errorf("exit %d, want %d", code, exitError)
			}
			var out map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatalf("stdout is no JSON object (%v):\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
			}
			if e, _ := out["error"].(string); !strings.Contains(e, tc.want) {
				t.Errorf("error %q, want %q", out["error"], tc.want)
			}
			if first := strings.TrimSpace(strings.SplitN(strings.TrimPrefix(strings.TrimSpace(stdout.String()), "{"), ":", 2)[0]); first != `"error"` && first != `"zone"` {
				t.Errorf("first key %s, want \"error\" (after \"zone\" for parity):\n%s", first, stdout.String())
			}
		})
	}
	if _, err := os.Stat(filepath.Join(".", "nope.zone")); err == nil {
		t.Errorf("a file was written")
	}
}
