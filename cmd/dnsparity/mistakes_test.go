package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestMistakesEveryCommand: a new user's mistakes, each run through every
// command that reads what the mistake is in, in-process. Each gives its
// clear error (the file and line, the variable's name) and the exit code
// the command documents, and nothing reaches a provider or the parent's
// servers (a TCP listener stands in for them, the PowerDNS API, AXFR and
// UPDATE, and counts every connection) nor writes an audit trail or
// import's file; no secret's value is shown. The row of an SOA owner
// of another zone failed before config.OriginMismatch read it (the zone
// had "no SOA record at the apex: the file holds no records"), and
// before config.OriginChecked with both errors, and each record out of
// the zone, in every command's output (absent).
func TestMistakesEveryCommand(t *testing.T) {
	// One listener stands in for every provider and parent server (the
	// PowerDNS API's URL too): each connection to it is counted.
	var contacts atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for c, err := ln.Accept(); err == nil; c, err = ln.Accept() {
			contacts.Add(1)
			c.Close()
		}
	}()
	server := ln.Addr().String()
	providers := func(newType string) string {
		return strings.NewReplacer("SERVER", server, "TYPE", newType).Replace(`providers:
  old:
    type: rfc2136
    server: SERVER
    nameservers: [SERVER]
    tsig: {name: k., algorithm: hmac-sha256, secret_env: OLD_TSIG_SECRET}
  new:
    type: TYPE
    url: http://SERVER
    server_id: localhost
    api_key_env: PDNS_API_KEY
    nameservers: [SERVER]
registrar:
  type: manual
cutover:
  parent_servers: [SERVER]
`)
	}
	const good = "$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
	files := map[string]string{
		"a.test.zone":   good,
		"bad.test.zone": good + "www IN AAA 192.0.2.1\n", // line 5
		"origin.zone":   "$ORIGIN other.test.\n" + good,
		"soa.zone":      "$TTL 300\nother.test. IN SOA ns1.other.test. h 1 3600 600 86400 300\nother.test. IN NS ns1.other.test.\n",
	}
	secrets := map[string]string{"OLD_TSIG_SECRET": "c2VjcmV0c2VjcmV0c2VjcmV0", "PDNS_API_KEY": "api-key-0123456789"}
	const zoneOnly = "check plan push matrix parity status flip rollback finish ttl" // commands that read the zone files
	const all = zoneOnly + " import"
	for _, tc := range []struct {
		name, zones, newType string
		noSecrets            bool
		commands             string
		want                 []string       // in the output of every command that fails
		absent               []string       // in the output of none
		exit                 map[string]int // by command; default 2
	}{
		{name: "zone file missing", zones: "  - name: a.test.\n    file: zones/nope.zone\n", commands: zoneOnly,
			want: []string{"zones/nope.zone: no such file or directory: write the zone there", "dnsparity.yaml:2"}, exit: map[string]int{"matrix": 0}},
		{name: "syntax error", zones: "  - name: a.test.\n    file: zones/bad.test.zone\n", commands: zoneOnly,
			want: []string{"zones/bad.test.zone:5: ", "unknown RR type AAA (did you mean AAAA?)"}, exit: map[string]int{"matrix": 0, "status": 2, "check": 1, "plan": 1, "push": 1, "parity": 1, "flip": 1, "rollback": 1, "finish": 1, "ttl": 1}},
		{name: "SOA owner of another zone", zones: "  - name: a.test.\n    file: zones/soa.zone\n", commands: zoneOnly,
			want:   []string{"zones/soa.zone:2: ", "origin other.test. does not match the zone a.test. in dnsparity.yaml"},
			absent: []string{"has no SOA record", "has no NS records", "out-of-zone"}, exit: map[string]int{"matrix": 0, "status": 2, "check": 1, "plan": 1, "push": 1, "parity": 1, "flip": 1, "rollback": 1, "finish": 1, "ttl": 1}},
		{name: "$ORIGIN of another zone", zones: "  - name: a.test.\n    file: zones/origin.zone\n", commands: zoneOnly,
			want: []string{"zones/origin.zone:1: ", "origin other.test. does not match the zone a.test. in dnsparity.yaml"}, exit: map[string]int{"matrix": 0, "status": 2, "check": 1, "plan": 1, "push": 1, "parity": 1, "flip": 1, "rollback": 1, "finish": 1, "ttl": 1}},
		{name: "one zone twice in other case", zones: "  - name: a.test.\n    file: zones/a.test.zone\n  - name: A.TEST\n    file: zones/a.test.zone\n", commands: all,
			want: []string{"dnsparity.yaml:4: zones[1].name: A.TEST listed twice (line 2, zones[0], as a.test.: names are compared without case)"}},
		{name: "provider type misspelt", zones: "  - name: a.test.\n    file: zones/a.test.zone\n", newType: "powerdsn", commands: all,
			want: []string{`dnsparity.yaml:11: providers.new: unknown type "powerdsn" (known: `, "did you mean powerdns?"}},
		{name: "secret unset", zones: "  - name: a.test.\n    file: zones/a.test.zone\n", noSecrets: true, commands: "check matrix ttl plan push status flip rollback finish import",
			want: []string{"dnsparity.yaml:9: providers.old.tsig.secret_env: environment variable OLD_TSIG_SECRET is not set or is empty"}, exit: map[string]int{"check": 0, "matrix": 0, "ttl": 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
				t.Fatal(err)
			}
			os.Mkdir(filepath.Join(dir, ".git"), 0o755)
			for name, text := range files {
				if err := os.WriteFile(filepath.Join(dir, "zones", name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			typ := tc.newType
			if typ == "" {
				typ = "powerdns"
			}
			if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte("zones:\n"+tc.zones+providers(typ)), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			getenv := func(k string) string {
				if tc.noSecrets {
					return ""
				}
				return secrets[k]
			}
			for _, c := range strings.Fields(tc.commands) {
				args := map[string][]string{
					"parity":   {"parity", "--zone", "a.test."},
					"status":   {"status", "--zone", "a.test."},
					"flip":     {"flip", "--zone", "a.test.", "--dry-run"},
					"rollback": {"rollback", "--zone", "a.test.", "--dry-run"},
					"finish":   {"finish", "--zone", "a.test."},
					"ttl":      {"ttl", "--cap", "60", "--dry-run"},
					"import":   {"import", "--provider", "old", "--zone", "a.test.", "-o", filepath.Join(dir, "out.zone")},
				}[c]
				if args == nil {
					args = []string{c}
				}
				var out strings.Builder
				a := &app{stdout: &out, stderr: &out, getenv: getenv}
				before := contacts.Load()
				code := a.main(context.Background(), args)
				want, ok := tc.exit[c]
				if !ok {
					want = 2
				}
				if code != want {
					t.Errorf("%s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out.String())
				}
				for _, w := range tc.want {
					if want != 0 && !strings.Contains(out.String(), w) {
						t.Errorf("%s: output lacks %q:\n%s", strings.Join(args, " "), w, out.String())
					}
				}
				for _, w := range tc.absent {
					if strings.Contains(out.String(), w) {
						t.Errorf("%s: output has %q:\n%s", strings.Join(args, " "), w, out.String())
					}
				}
				if n := contacts.Load() - before; n > 0 {
					t.Errorf("%s: %d connections to a provider or parent server, want none", strings.Join(args, " "), n)
				}
				for _, s := range secrets {
					if strings.Contains(out.String(), s) {
						t.Errorf("%s: output shows a secret's value", strings.Join(args, " "))
					}
				}
			}
			if _, err := os.Stat(filepath.Join(dir, ".dnsparity")); err == nil {
				t.Errorf("an audit trail or report was written under .dnsparity")
			}
			if _, err := os.Stat(filepath.Join(dir, "out.zone")); err == nil {
				t.Errorf("import wrote its file")
			}
		})
	}
}

// TestZoneNamedTwiceRefused: a zone named twice on the command line
// (--zone a.test. --zone A.TEST, or once more in --zones-from) is refused
// by every command that takes --zone, naming it, before any zone is
// taken (exit 2), as import refused it: check read its file twice,
// matrix gave it two shards (two jobs pushing one zone), plan and push
// planned and pushed it twice at once, and a cutover step ran it twice in
// one wave.
func TestZoneNamedTwiceRefused(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "a.test.zone"), []byte("$TTL 300\n@ IN SOA ns1 h 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "zones:\n  - {name: a.test., file: a.test.zone}\nproviders:\n  old: {type: rfc2136, server: '127.0.0.1:1', nameservers: ['127.0.0.1:1']}\n  new: {type: rfc2136, server: '127.0.0.1:1', nameservers: ['127.0.0.1:1']}\n"
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "list"), []byte("a.test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, args := range [][]string{
		{"check", "--zone", "a.test.", "--zone", "A.TEST"},
		{"matrix", "--zone", "a.test.", "--zone", "A.TEST"},
		{"plan", "--zone", "a.test.,A.TEST"},
		{"push", "--zone", "a.test.", "--zone", "A.TEST"},
		{"parity", "--zone", "a.test.", "--zone", "A.TEST"},
		{"status", "--zone", "A.TEST", "--zones-from", "list"},
		{"flip", "--dry-run", "--zone", "a.test.", "--zone", "A.TEST"},
		{"rollback", "--dry-run", "--zones-from", "list", "--zone", "a.test."},
		{"finish", "--zone", "a.test.", "--zone", "A.TEST"},
		{"import", "--provider", "old", "--zone", "a.test.", "--zone", "A.TEST", "-o", "out"},
	} {
		var out strings.Builder
		a := &app{stdout: &out, stderr: &out, getenv: func(string) string { return "" }}
		code := a.main(context.Background(), args)
		if code != exitError || !strings.Contains(out.String(), "zone a.test. is given twice") || strings.Contains(out.String(), args[0]+" a.test.: ") {
			t.Errorf("%s: exit %d, want %d refusing the zone given twice before any zone ran:\n%s", strings.Join(args, " "), code, exitError, out.String())
		}
	}
}

// TestCutoverZoneTypoOneFormAtItsLine: a typo'd zone among a cutover
// step's zones is shown in one form, the canonical one, in every line
// (the wave's summary printed the name as typed beside it), and one
// listed in --zones-from is said at that file's line, where the typo is
// (it was said at dnsparity.yaml:1, the zones: key).
func TestCutoverZoneTypoOneFormAtItsLine(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	files := map[string]string{
		"a.test.zone":    "$TTL 300\n@ IN SOA ns1 h 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n",
		"dnsparity.yaml": "zones:\n  - {name: a.test., file: a.test.zone}\nproviders:\n  old: {type: rfc2136, server: '127.0.0.1:1', nameservers: ['127.0.0.1:1']}\n  new: {type: rfc2136, server: '127.0.0.1:1', nameservers: ['127.0.0.1:1']}\n",
		"list":           "# the wave\na.test.\n\nA.tset\n",
	}
	for n, text := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, tc := range []struct {
		args []string
		at   string // where the typo is said
	}{
		{[]string{"flip", "--dry-run", "--zone", "A.test", "--zone", "A.tset"}, "dnsparity.yaml:1: zone a.tset. is not under zones"},
		{[]string{"status", "--zone", "a.tset"}, "dnsparity.yaml:1: zone a.tset. is not under zones"},
		{[]string{"rollback", "--dry-run", "--zones-from", "list"}, "list:4: zone a.tset. is not under zones"},
		{[]string{"finish", "--zones-from", "list"}, "list:4: zone a.tset. is not under zones"},
	} {
		var out strings.Builder
		a := &app{stdout: &out, stderr: &out, getenv: func(string) string { return "" }}
		code := a.main(context.Background(), tc.args)
		s := out.String()
		if code != exitError || !strings.Contains(s, tc.at) || strings.Count(s, "a.tset") != strings.Count(s, "a.tset.") || strings.Contains(s, "A.t") {
			t.Errorf("%s: exit %d, want %d, %q, every name in one form:\n%s", strings.Join(tc.args, " "), code, exitError, tc.at, s)
		}
	}
}
