package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

func TestParityCLI(t *testing.T) {
	lab.Require(t, "knotd", "named")
	zfile, err := filepath.Abs(filepath.Join("..", "..", "testdata", "parity", "parity.test.zone"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(zfile)
	if err != nil {
		t.Fatal(err)
	}
	z := lab.Zone{Origin: "parity.test.", Text: string(text)}
	bad := lab.Zone{Origin: "parity.test.", Text: strings.Replace(string(text), "192.0.2.81", "192.0.2.82", 1)}
	knot := lab.Knot(t, lab.Options{Zones: []lab.Zone{z}})
	bind := lab.BIND(t, lab.Options{Zones: []lab.Zone{bad}})
	knot2 := lab.Knot(t, lab.Options{Zones: []lab.Zone{z}})
	dead := lab.Addr(t)

	cases := []struct {
		name     string
		args     []string
		code     int
		errWords []string
	}{
		{"clean", []string{"--old", knot.Addr, "--new", knot2.Addr}, exitOK, nil},
		{"different", []string{"--old", knot.Addr, "--new", bind.Addr}, exitProblem, nil},
		{"dead", []string{"--old", knot.Addr, "--new", dead + ":53", "--timeout", "200ms", "--retries", "1"}, exitError, []string{dead, "new server"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
			args := append([]string{"parity", "--zone", zfile, "--format", "json"}, c.args...)
			code := a.main(context.Background(), args)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr: %s\nstdout: %s", code, c.code, errb.String(), out.String())
			}
			for _, w := range c.errWords {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr %q does not name %q", errb.String(), w)
				}
			}
			if c.code == exitError {
				return
			}
			var doc map[string]json.RawMessage
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatalf("json: %v\n%s", err, out.String())
			}
			for _, k := range []string{"zone", "findings", "queries", "seconds"} {
				if _, ok := doc[k]; !ok {
					t.Errorf("json has no %q: %s", k, out.String())
				}
			}
			var fs []map[string]any
			if err := json.Unmarshal(doc["findings"], &fs); err != nil {
				t.Fatal(err)
			}
			sawErr := false
			for _, f := range fs {
				for _, k := range []string{"name", "type", "severity", "kind", "old", "new", "detail"} {
					if _, ok := f[k]; !ok {
						t.Errorf("finding without %q: %v", k, f)
					}
				}
				if f["severity"] == "error" {
					sawErr = true
				}
			}
			if sawErr != (c.code == exitProblem) {
				t.Errorf("error findings %v, exit %d", sawErr, code)
			}
		})
	}
}

func TestParityCLIBadZone(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.test.zone")
	if err := os.WriteFile(p, []byte("$ORIGIN bad.test.\n$TTL 300\n@ IN SOA ns1 host 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 999.1.2.3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := a.main(context.Background(), []string{"parity", "--zone", p, "--old", "127.0.0.1:1", "--new", "127.0.0.1:1"})
	if code != exitProblem || !strings.Contains(errb.String(), "bad.test.zone:5") {
		t.Fatalf("exit %d, stderr %q; want 1 naming bad.test.zone:5", code, errb.String())
	}
}
