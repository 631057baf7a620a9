package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad config and bad flags: exit 2 with a message that says what is wrong
// (and where), before anything is asked of a server.
func TestCutoverBadInput(t *testing.T) {
	dir := t.TempDir()
	zoneText := "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.1\n"
	if err := os.WriteFile(filepath.Join(dir, "example.test.zone"), []byte(zoneText), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.zone"), []byte("$ORIGIN bad.test.\n@ SOA ns1 h 1 60 60 60 60\nwww IN A 1.2.3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := `zones:
  - {name: example.test., file: example.test.zone}
  - {name: bad.test., file: bad.zone}
providers:
  old: {type: rfc2136, server: 127.0.0.1:5300, nameservers: [OLDNS], delegation: [ns1.old.example.]}
  new: {type: rfc2136, server: 127.0.0.1:5301, nameservers: [127.0.0.1:5301], delegation: [NEWDELEG]}
REGISTRAR
CUTOVER
`
	tests := []struct {
		name, oldNS, registrar, parent string
		args                           []string
		want                           string
		newDeleg                       string // default ns1.new.example.
	}{
		{"zone not in the config", "127.0.0.1:5300", "registrar: {type: manual}", "127.0.0.1:5302", []string{"status", "--zone", "nope.test"}, "dnsparity.yaml:1: zone nope.test. is not under zones", ""},
		{"a nameserver name", "ns1.old.example.", "registrar: {type: manual}", "127.0.0.1:5302", []string{"flip", "--zone", "example.test"}, "dnsparity.yaml:5: providers.old.nameservers: \"ns1.old.example.\" is not an IP address", ""},
		// A config without cutover: (or with no parent servers and no
		// resolvers): said at the file before a server is asked, for
		// every step; on the code before, the step asked each side's
		// servers for their apex NS first (connection refused here).
		{"no cutover: section, status", "127.0.0.1:5300", "registrar: {type: manual}", "-", []string{"status", "--zone", "example.test"}, "dnsparity.yaml:1: cutover.parent_servers (the parent zone's authoritative servers, IP[:port]) or cutover.resolvers", ""},
		{"no cutover: section, flip --dry-run", "127.0.0.1:5300", "registrar: {type: manual}", "-", []string{"flip", "--zone", "example.test", "--dry-run"}, "dnsparity.yaml:1: cutover.parent_servers", ""},
		{"no cutover: section, rollback", "127.0.0.1:5300", "registrar: {type: manual}", "-", []string{"rollback", "--zone", "example.test"}, "dnsparity.yaml:1: cutover.parent_servers", ""},
		{"no cutover: section, finish", "127.0.0.1:5300", "registrar: {type: manual}", "-", []string{"finish", "--zone", "example.test"}, "dnsparity.yaml:1: cutover.parent_servers", ""},
		{"no parent servers", "127.0.0.1:5300", "registrar: {type: manual}", "", []string{"status", "--zone", "example.test"}, "dnsparity.yaml:8: cutover.parent_servers", ""},
		{"no registrar", "127.0.0.1:5300", "", "127.0.0.1:5302", []string{"rollback", "--zone", "example.test"}, "dnsparity.yaml:1: registrar: not configured", ""},
		{"a manual registrar with resolvers only", "127.0.0.1:5300", "registrar: {type: manual}", "resolvers: [127.0.0.1:5303]", []string{"flip", "--zone", "example.test", "--dry-run"}, "dnsparity.yaml:8: cutover.parent_servers is required with registrar type manual", ""},
		{"unknown registrar", "127.0.0.1:5300", "registrar: {type: carrier-pigeon}", "127.0.0.1:5302", []string{"finish", "--zone", "example.test"}, `unknown type "carrier-pigeon" (known: manual, parent`, ""},
		{"parent server name", "127.0.0.1:5300", "registrar: {type: manual}", "a.nic.test", []string{"status", "--zone", "example.test"}, "cutover.parent_servers: \"a.nic.test\" is not an IP address", ""},
		{"no --zone", "127.0.0.1:5300", "registrar: {type: manual}", "127.0.0.1:5302", []string{"status"}, "--zone NAME is required", ""},
		{"the same delegation on both sides", "127.0.0.1:5300", "registrar: {type: manual}", "127.0.0.1:5302", []string{"flip", "--zone", "example.test"}, "providers.old and providers.new are delegated to the same nameservers (ns1.old.example.)", "NS1.Old.Example."},
		{"--emergency on finish", "127.0.0.1:5300", "registrar: {type: manual}", "127.0.0.1:5302", []string{"finish", "--zone", "example.test", "--emergency"}, "flag provided but not defined: --emergency", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.newDeleg == "" {
				tt.newDeleg = "ns1.new.example."
			}
			cut := "cutover: {parent_servers: [" + tt.parent + "]}"
			switch {
			case tt.parent == "-":
				cut = ""
			case strings.HasPrefix(tt.parent, "resolvers:"):
				cut = "cutover: {" + tt.parent + "}"
			}
			cfg := strings.NewReplacer("OLDNS", tt.oldNS, "REGISTRAR", tt.registrar, "CUTOVER", cut, "NEWDELEG", tt.newDeleg).Replace(base)
			path := filepath.Join(dir, "dnsparity.yaml")
			if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errs bytes.Buffer
			a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
			code := a.main(context.Background(), append(tt.args, "--config", path))
			if code != exitError || !strings.Contains(errs.String(), tt.want) {
				t.Errorf("exit %d, stderr %q, want 2 and %q", code, errs.String(), tt.want)
			}
		})
	}
}

// A zone file with errors: flip (--dry-run too), rollback and finish are
// refused with exit 1 as push is, each problem as FILE:LINE with FILE
// relative to the repository root; status, which only reports, cannot run
// (exit 2). Nothing is asked of a server.
func TestCutoverZoneErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "zones", "bad.zone"), []byte("$ORIGIN bad.test.\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.1\nwww IN A 1.2.3\n"), 0o644)
	cfg := `zones:
  - {name: bad.test., file: zones/bad.zone}
providers:
  old: {type: rfc2136, server: 127.0.0.1:5300, nameservers: [127.0.0.1:5300], delegation: [ns1.old.example.]}
  new: {type: rfc2136, server: 127.0.0.1:5301, nameservers: [127.0.0.1:5301], delegation: [ns1.new.example.]}
registrar: {type: manual}
cutover: {parent_servers: [127.0.0.1:5302]}
`
	path := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"flip", "--dry-run"}, exitProblem},
		{[]string{"flip"}, exitProblem},
		{[]string{"rollback", "--dry-run"}, exitProblem},
		{[]string{"finish"}, exitProblem},
		{[]string{"status"}, exitError},
	} {
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		code := a.main(context.Background(), append(tc.args, "--zone", "bad.test", "--config", path))
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d; stderr %q", tc.args, code, tc.code, errs.String())
		}
		if !strings.HasPrefix(errs.String(), "zones/bad.zone:5: ") || strings.Contains(errs.String(), dir) {
			t.Errorf("%v: stderr %q, want the problem as zones/bad.zone:5: (relative to the repository root)", tc.args, errs.String())
		}
		if !strings.Contains(errs.String(), "has 1 error;") {
			t.Errorf("%v: stderr %q, want the count in words", tc.args, errs.String())
		}
	}
}
