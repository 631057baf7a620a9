package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestZoneFileNoConfigNames: run on a config's zones, check warns about a
// zone file beside them (*.zone, *.db in a folder holding one of them)
// that no zones entry names and no zone $INCLUDEs: plan, push and parity
// never see it, and the user who added it and forgot the config thinks it
// managed. Not with --zone or a shard (the other entries are not read),
// nor for files named on the command line.
func TestZoneFileNoConfigNames(t *testing.T) {
	const soa = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".git/HEAD", "ref: refs/heads/main\n") // the repository's root: $INCLUDE paths from it
	write("dnsparity.yaml", "zones:\n  - name: a.test.\n    file: zones/a.test.zone\n  - files: zones/glob/*.zone\n")
	write("zones/a.test.zone", soa+"$INCLUDE zones/common.db\n")
	write("zones/common.db", "www A 192.0.2.2\n")
	write("zones/b.test.zone", soa)        // named by nothing
	write("zones/c.test.db", soa)          // named by nothing
	write("zones/notes.txt", "not a zone") // not a zone file
	write("zones/glob/g.test.zone", soa)   // named by the glob
	write("zones/deeper/d.test.zone", soa) // another folder: not looked at
	cfg := filepath.Join(dir, "dnsparity.yaml")

	unnamed := func(scope Scope, args ...string) []string {
		t.Helper()
		targets, _, err := Targets(args, "", scope)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		res := Run(targets, 0)
		if res.Tally.Errors > 0 || len(res.Failed) > 0 {
			t.Fatalf("errors: %v %v", res.Problems, res.Failed)
		}
		for _, p := range res.Problems {
			if strings.Contains(p.Message, "no zones entry") {
				if p.Pos.Line != 1 {
					t.Errorf("%v: want line 1", p)
				}
				got = append(got, filepath.Base(p.Pos.File))
			}
		}
		return got
	}
	if got := strings.Join(unnamed(Scope{Config: cfg}), " "); got != "b.test.zone c.test.db" {
		t.Errorf("warned about %q, want b.test.zone c.test.db", got)
	}
	if got := unnamed(Scope{Config: cfg, Zones: []string{"a.test."}}); len(got) != 0 {
		t.Errorf("--zone: warned about %v", got)
	}
	if got := unnamed(Scope{Config: cfg}, filepath.Join(dir, "zones", "a.test.zone")); len(got) != 0 {
		t.Errorf("a file named: warned about %v", got)
	}
}
