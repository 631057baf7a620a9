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
	if code != exitProblem || !strings.Contains(out.String(), "bad.test.zone:5") {
		t.Fatalf("exit %d, stdout %q; want 1 naming bad.test.zone:5", code, out.String())
	}
}

// TestParityCLIConfigResolverAXFR: parity.resolver and parity.axfr from
// dnsparity.yaml, the transfer signed with the old provider's TSIG key
// from its secret_env: an out-of-zone SPF chain over 10 lookups and a
// record present on new only (not in git) are both found.
func TestParityCLIConfigResolverAXFR(t *testing.T) {
	lab.Require(t, "knotd", "named", "unbound")
	const vendor = `$ORIGIN vendor.test.
$TTL 300
@     IN SOA ns1 hostmaster 1 3600 600 1209600 300
@     IN NS  ns1
ns1   IN A   192.0.2.53
_spf  IN TXT "v=spf1 a:ns1.vendor.test a:x.vendor.test include:_spf2.vendor.test -all"
x     IN A   192.0.2.54
_spf2 IN TXT "v=spf1 a:ns1.vendor.test a:x.vendor.test a exists:x.vendor.test ptr a:ns1.vendor.test a:x.vendor.test -all"
`
	const zoneText = `$ORIGIN cfg.test.
$TTL 300
@   IN SOA ns1 hostmaster 1 3600 600 1209600 300
@   IN NS  ns1
ns1 IN A   192.0.2.53
@   IN MX  10 ns1
@   IN TXT "v=spf1 mx include:_spf.vendor.test ~all"
`
	dir := t.TempDir()
	zfile := filepath.Join(dir, "cfg.test.zone")
	if err := os.WriteFile(zfile, []byte(zoneText), 0o644); err != nil {
		t.Fatal(err)
	}
	key := &lab.TSIGKey{Name: "transfer-key.", Secret: "c2VjcmV0LXRyYW5zZmVyLWtleS1mb3ItZG5zcGFyaXR5LXRlc3Q="}
	old := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "cfg.test.", Text: zoneText}}, TSIG: key})
	new := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "cfg.test.", Text: zoneText + "stray IN A 192.0.2.99\n"}}})
	v := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "vendor.test.", Text: vendor}}})
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {v.Addr}}})
	cfg := `zones:
  - name: cfg.test.
    file: cfg.test.zone
providers:
  old:
    type: rfc2136
    server: ` + old.Addr + `
    nameservers: [` + old.Addr + `]
    tsig: {name: transfer-key., algorithm: hmac-sha256, secret_env: OLD_TSIG_SECRET}
  new:
    type: rfc2136
    server: ` + new.Addr + `
    nameservers: [` + new.Addr + `]
parity:
  resolver: ` + u.Addr + `
  axfr: true
`
	cfgPath := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		env    map[string]string
		code   int
		kinds  []string // kind@name that must be found
		absent []string // kind@name that must not be
		stderr string
		args   []string
	}{
		{name: "resolver and axfr from the config", env: map[string]string{"OLD_TSIG_SECRET": key.Secret}, code: exitProblem,
			kinds: []string{"spf-lookups@cfg.test.", "missing@stray.cfg.test."}},
		{name: "secret not set", code: exitError, stderr: "OLD_TSIG_SECRET"},
		// A fork PR has no secrets: --axfr=false turns the config's axfr off.
		{name: "axfr turned off", args: []string{"--axfr=false"}, code: exitProblem,
			kinds: []string{"spf-lookups@cfg.test."}, absent: []string{"missing@stray.cfg.test."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			a := &app{stdout: &out, stderr: &errb, getenv: func(k string) string { return c.env[k] }}
			code := a.main(context.Background(), append([]string{"parity", "--config", cfgPath, "--format", "json"}, c.args...))
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr: %s\nstdout: %s", code, c.code, errb.String(), out.String())
			}
			if c.stderr != "" && !strings.Contains(errb.String(), c.stderr) {
				t.Errorf("stderr %q lacks %q", errb.String(), c.stderr)
			}
			if strings.Contains(out.String()+errb.String(), key.Secret) {
				t.Errorf("the TSIG secret leaks into the output")
			}
			if c.code == exitError {
				return
			}
			var doc struct {
				Findings []struct{ Name, Kind, Detail string }
			}
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatalf("json: %v\n%s", err, out.String())
			}
			for _, k := range c.kinds {
				found := false
				for _, f := range doc.Findings {
					if f.Kind+"@"+f.Name == k {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s finding in\n%s", k, out.String())
				}
			}
			for _, k := range c.absent {
				for _, f := range doc.Findings {
					if f.Kind+"@"+f.Name == k {
						t.Errorf("unexpected %s finding", k)
					}
				}
			}
		})
	}
}

// TestParityCLIFlags: bad flag values exit 2 with a message naming the
// flag, and the help shows each default once.
func TestParityCLIFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, exitOK, "retries after a timeout"},
		{"bad format", []string{"--format", "xml"}, exitError, "must be text, json or markdown"},
		{"negative retries", []string{"--zone", "x", "--old", "127.0.0.1", "--new", "127.0.0.1", "--retries", "-1"}, exitError, "--retries"},
		{"negative timeout", []string{"--zone", "x", "--old", "127.0.0.1", "--new", "127.0.0.1", "--timeout", "-1s"}, exitError, "--timeout"},
		{"unknown flag", []string{"--bogus"}, exitError, "-bogus"},
		{"argument", []string{"extra"}, exitError, "unexpected"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
			code := a.main(context.Background(), append([]string{"parity"}, c.args...))
			got := errb.String() // help asked for is on stdout, errors on stderr
			if code == exitOK {
				got = out.String()
			}
			if code != c.code || !strings.Contains(got, c.want) {
				t.Fatalf("exit %d, output %q; want %d and %q", code, got, c.code, c.want)
			}
			if strings.Contains(got, "(default -1)") {
				t.Errorf("help shows a sentinel default: %s", got)
			}
		})
	}
}
