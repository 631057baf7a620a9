package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEntryErrorsNameTheLine: every error about a zones entry, a glob or
// a path of the config names the file and the line, as FILE:LINE: (what
// an editor and a GitHub annotation read), not "FILE: zones[1]: ..." or
// "FILE: line 2: zones[0]: ...", and the key at fault (zones[1].name, not
// zones[1]: a bad name, a name listed twice, a glob).
func TestEntryErrorsNameTheLine(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "zones", "a.test.zone"), []byte("$ORIGIN a.test.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const a = "zones:\n  - name: a.test.\n    file: zones/a.test.zone\n" // lines 1-3
	for _, tc := range []struct {
		name, yaml string
		line       string
		want       string
	}{
		{"no file", a + "  - name: b.test.\n", ":4: ", "file is required"},
		{"no name", a + "  - file: zones/b.test.zone\n", ":4: ", "name is required"},
		{"not a domain name", a + "  - name: a..test\n    file: zones/x.zone\n", ":4: ", `zones[1].name: "a..test" is not a domain name`},
		// the entry it repeats named too: names compare without case (RFC 4343)
		{"listed twice", a + "  - name: A.test\n    file: zones/a.test.zone\n", ":4: ", "zones[1].name: A.test listed twice (line 2, zones[0], as a.test.: names are compared without case)"},
		{"listed twice, same case", a + "  - name: b.test.\n    file: zones/b.test.zone\n  - name: a.test.\n    file: zones/a2.zone\n", ":6: ", "zones[2].name: a.test. listed twice (line 2, zones[0])"},
		{"listed twice, no final dot", a + "  - name: a.test\n    file: zones/a2.zone\n", ":4: ", "zones[1].name: a.test listed twice (line 2, zones[0], as a.test.: a name with or without its final dot is the same zone)"},
		{"a glob matching nothing", a + "  - files: zones/*.db\n", ":4: ", `zones[1].files: "zones/*.db" matches no file`},
		{"a glob with a name", a + "  - files: zones/*.zone\n    name: x.test.\n", ":4: ", "an entry of its own"},
		{"a glob leaving the folder", a + "  - files: ../*.zone\n", ":4: ", `zones[1].files: "../*.zone": `},
		{"a file outside the repository", a + "  - name: b.test.\n    file: ../../b.test.zone\n", ":4: ", "outside"},
		{"a state_dir outside the repository", a + "cutover:\n  state_dir: ../../trail\n", ":5: ", "outside"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "dnsparity.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil {
				t.Fatal("loaded")
			}
			if !strings.HasPrefix(err.Error(), path+tc.line) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %s%s...%s", err, path, tc.line, tc.want)
			}
		})
	}
}
