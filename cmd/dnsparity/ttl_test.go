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

func TestTTLCommand(t *testing.T) {
	const good = "$ORIGIN example.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 3600\n  IN NS ns1\nns1 IN A 192.0.2.1\n"
	const bad = "$ORIGIN example.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 3600\n  IN NS ns1\nns1 IN A 192.0.2.999\n"
	const cname = "$ORIGIN example.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 3600\n  IN NS ns1\nns1 IN A 192.0.2.1\nwww IN CNAME ns1\nwww IN A 192.0.2.2\n"
	cases := []struct {
		name    string
		content string
		args    []string
		code    int
		out     []string // substrings of stdout
		errOut  []string // substrings of stderr
		changed bool
	}{
		{"caps", good, []string{"--cap", "300"}, exitOK, []string{"z.zone:2: $TTL 1d → 300", "z.zone:3: SOA minimum 3600 → 300"}, []string{"lowered 2 TTLs to 300 s in 1 zone file\n"}, true},
		{"units", good, []string{"--cap", "5m"}, exitOK, []string{"z.zone:2: $TTL 1d → 300"}, nil, true},
		{"dry run", good, []string{"--cap", "300", "--dry-run"}, exitOK, []string{"z.zone:2:"}, []string{"would lower 2"}, false},
		{"nothing to do", good, []string{"--cap", "86400"}, exitOK, nil, []string{"lowered 0 TTLs"}, false},
		{"invalid zone", bad, []string{"--cap", "300"}, exitProblem, nil, []string{"z.zone:5:", "not rewritten", "nothing written: 1 of 1 zone file invalid"}, false},
		{"CNAME and other data", cname, []string{"--cap", "300"}, exitProblem, nil, []string{"z.zone:7:", "CNAME and other data", "nothing written"}, false},
		{"CNAME and other data, dry run", cname, []string{"--cap", "300", "--dry-run"}, exitProblem, nil, []string{"z.zone:7:", "nothing written"}, false},
		{"no cap", good, nil, exitError, nil, []string{"--cap: required"}, false},
		{"cap zero", good, []string{"--cap", "0"}, exitError, nil, []string{"out of range"}, false},
		{"cap not a number", good, []string{"--cap", "soon"}, exitError, nil, []string{"not a TTL"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "z.zone")
			os.WriteFile(p, []byte(tc.content), 0o644)
			var stdout, stderr bytes.Buffer
			a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
			code := a.main(context.Background(), append(append([]string{"ttl"}, tc.args...), p))
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			for _, s := range tc.out {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
			for _, s := range tc.errOut {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr.String())
				}
			}
			b, _ := os.ReadFile(p)
			if (string(b) != tc.content) != tc.changed {
				t.Errorf("file changed = %v, want %v:\n%s", string(b) != tc.content, tc.changed, b)
			}
		})
	}
}

func TestTTLCommandJSONAndMissingFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "z.zone")
	os.WriteFile(p, []byte("$ORIGIN example.test.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 60\n  IN NS ns1\nns1 IN A 192.0.2.1\n"), 0o644)
	var stdout, stderr bytes.Buffer
	a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	if code := a.main(context.Background(), []string{"ttl", "--cap", "120", p, filepath.Join(dir, "missing.zone")}); code != exitError {
		t.Errorf("exit %d with a missing file, want 2", code)
	}
	stdout.Reset()
	if code := a.main(context.Background(), []string{"ttl", "--cap", "120", "--format", "json", p}); code != exitOK {
		t.Errorf("exit %d, want 0: %s", code, stderr.String())
	}
	var out struct {
		Cap     uint32 `json:"cap"`
		Changes []struct {
			File string `json:"file"`
			Line int    `json:"line"`
			What string `json:"what"`
			Old  string `json:"old"`
			New  string `json:"new"`
		} `json:"changes"`
		Problems []string `json:"problems"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("%v: %s", err, stdout.String())
	}
	if out.Cap != 120 || len(out.Changes) != 1 || out.Changes[0].Line != 2 || out.Changes[0].Old != "3600" || out.Changes[0].New != "120" || len(out.Problems) != 0 {
		t.Errorf("json: %+v", out)
	}
}

// One invalid zone file among several: none is written (the valid one
// either), exit 1, and no change is listed as made.
func TestTTLCommandOneInvalidWritesNothing(t *testing.T) {
	dir := t.TempDir()
	good := "$ORIGIN good.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 3600\n  IN NS ns1\nns1 IN A 192.0.2.1\n"
	bad := "$ORIGIN bad.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 3600\n  IN NS ns1\nns1 IN A 192.0.2.1\nns1 IN CNAME www\n"
	os.WriteFile(filepath.Join(dir, "good.test.zone"), []byte(good), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.test.zone"), []byte(bad), 0o644)
	var stdout, stderr bytes.Buffer
	a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	if code := a.main(context.Background(), []string{"ttl", "--cap", "300", "--format", "json", dir}); code != exitProblem {
		t.Errorf("exit %d, want 1; stderr: %s", code, stderr.String())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "good.test.zone")); string(b) != good {
		t.Errorf("the valid zone file was rewritten beside an invalid one:\n%s", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "bad.test.zone")); string(b) != bad {
		t.Errorf("the invalid zone file was rewritten:\n%s", b)
	}
	var out struct {
		Changes  []any    `json:"changes"`
		Problems []string `json:"problems"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("%v: %s", err, stdout.String())
	}
	if len(out.Changes) != 0 || len(out.Problems) != 1 || !strings.Contains(out.Problems[0], "CNAME and other data") {
		t.Errorf("json: %+v", out)
	}
}

// Without PATH, ttl caps the config's zones and names each file as check
// does: relative to the repository root, wherever it runs from.
func TestTTLCommandPathsFromTheRepositoryRoot(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	os.MkdirAll(filepath.Join(dir, "zones"), 0o755)
	os.WriteFile(filepath.Join(dir, "zones", "a.test.zone"), []byte("$ORIGIN a.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 3600\n  IN NS ns1\nns1 IN A 192.0.2.1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte("zones:\n  - {name: a.test., file: zones/a.test.zone}\n"), 0o644)
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(filepath.Join(dir, "zones")); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	if code := a.main(context.Background(), []string{"ttl", "--cap", "300", "--dry-run"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if want := "zones/a.test.zone:2: $TTL 1d → 300\n"; !strings.HasPrefix(stdout.String(), want) {
		t.Errorf("stdout %q, want it to start with %q", stdout.String(), want)
	}
}

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

// TestTTLFailureJSONCap: ttl's failure report (exit 2, "error") gives the
// cap and --dry-run as they were read: "cap": 0 was said of a cap parsed
// whole, when the paths then failed; a cap that did not parse is 0.
func TestTTLFailureJSONCap(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("empty", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		cap  uint32
		dry  bool
	}{
		{"missing file", []string{"--cap", "5m", "missing.zone"}, 300, false},
		{"folder without zones", []string{"--cap", "60", "--dry-run", "empty"}, 60, true},
		{"origin without PATH", []string{"--cap", "120", "--origin", "example.test."}, 120, false},
		{"cap not read", []string{"--cap", "soon", "missing.zone"}, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
			if code := a.main(context.Background(), append([]string{"ttl", "--format", "json"}, c.args...)); code != exitError {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitError, stderr.String())
			}
			var out struct {
				Error  string  `json:"error"`
				Cap    *uint32 `json:"cap"`
				DryRun bool    `json:"dry_run"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatalf("%v: %s", err, stdout.String())
			}
			if out.Error == "" || out.Cap == nil || *out.Cap != c.cap || out.DryRun != c.dry {
				t.Errorf("report %s\nwant an error, cap %d, dry_run %v", stdout.String(), c.cap, c.dry)
			}
		})
	}
}
