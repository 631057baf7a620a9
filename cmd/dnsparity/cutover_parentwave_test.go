package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCutoverParentWaveWarns: a flip or rollback of several zones of one
// parent zone in waves of more than one, with the parent registrar over
// RFC 2136, says before it starts that their changes collide (each
// UPDATE's prerequisite is the parent's SOA serial: in the walk the
// second zone of a wave of 2 was refused with NXRRSET, exit 2). A dry
// run, a wave of 1, or zones of different parents say nothing. On the
// code before, nothing was said.
func TestCutoverParentWaveWarns(t *testing.T) {
	dir := t.TempDir()
	for _, z := range []string{"a.test", "b.test"} {
		text := "$ORIGIN " + z + ".\n$TTL 60\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.1\n"
		if err := os.WriteFile(filepath.Join(dir, z+".zone"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := `zones:
  - {name: a.test., file: a.test.zone}
  - {name: b.test., file: b.test.zone}
providers:
  old: {type: rfc2136, server: 127.0.0.1:5300, nameservers: [127.0.0.1:5300], delegation: [ns1.old.example.]}
  new: {type: rfc2136, server: 127.0.0.1:5301, nameservers: [127.0.0.1:5301], delegation: [ns1.new.example.]}
  parent: {type: rfc2136, server: 127.0.0.1:5302}
registrar: {type: parent, zone: test., provider: parent}
cutover: {parent_servers: [127.0.0.1:5302]}
`
	path := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "warning: a.test. b.test. are changed in the parent zone test. through RFC 2136 in waves of 2: each UPDATE's prerequisite is that zone's SOA serial, so all but one of a wave are refused (nothing applied); keep --wave (policy.wave) at 1 for them"
	for _, tc := range []struct {
		args []string
		warn bool
	}{
		{[]string{"flip", "--zone", "a.test", "--zone", "b.test", "--wave", "2"}, true},
		{[]string{"rollback", "--zone", "a.test", "--zone", "b.test", "--wave", "2"}, true},
		{[]string{"flip", "--zone", "a.test", "--zone", "b.test", "--wave", "2", "--dry-run"}, false},
		{[]string{"flip", "--zone", "a.test", "--zone", "b.test"}, false},
		{[]string{"status", "--zone", "a.test", "--zone", "b.test"}, false},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errs bytes.Buffer
			a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
			a.main(context.Background(), append(tc.args, "--config", path))
			if got := strings.Contains(errs.String(), want); got != tc.warn {
				t.Errorf("warned %v, want %v (%q):\n%s", got, tc.warn, want, errs.String())
			}
		})
	}
}
