package check

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// typoRepo is a repository whose dnsparity.yaml lists entries under
// zones:, beside zone files that name no origin (example.net.zone,
// example.net.db, b.test.zone, an RFC 2317 zone's file named as import
// names it) and one that does (origin/example.net.zone), loaded.
func typoRepo(t *testing.T, entries string) *config.Config {
	dir := t.TempDir()
	plain := "$TTL 300\n@ IN SOA ns1 h 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
	files := map[string]string{".git/HEAD": "", "dnsparity.yaml": "zones:\n" + entries,
		"zones/example.net.zone": plain, "zones/example.net.db": plain, "zones/b.test.zone": plain, "zones/origin/example.net.zone": "$ORIGIN exmaple.net.\n" + plain,
		"zones/0-25.2.0.192.in-addr.arpa.zone": plain}
	for n, text := range files {
		p := filepath.Join(dir, n)
		if err := errors.Join(os.MkdirAll(filepath.Dir(p), 0o755), os.WriteFile(p, []byte(text), 0o644)); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	cfg, err := config.Load("dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestNameTypos: a zones entry whose name is one typo from its file's
// name (exmaple.net for zones/example.net.zone), the file naming no zone
// itself, is a warning at the entry's line with the name meant: every
// record would go to the typo'd zone, and nothing said so. A file that
// names its zone ($ORIGIN: OriginMismatch's error), a name far from the
// file's, and a glob's zone pass.
func TestNameTypos(t *testing.T) {
	for _, tc := range []struct {
		name, entries string
		want          string // "": no warning
	}{
		{"swapped letters", "  - name: exmaple.net\n    file: zones/example.net.zone\n", "dnsparity.yaml:2: the zones entry of zones/example.net.zone names the zone exmaple.net., one typo from the file's name example.net. (example.net.zone)"},
		{"a letter dropped, .db", "  - name: exampe.net.\n    file: zones/example.net.db\n", "write name: example.net. here"},
		// Named for the entry's name's typo, with $ORIGIN: the warning's
		// origin check is what passes it (origin.zone passed by its
		// name's label count, whatever the check did).
		{"the file names its origin", "  - name: exmaple.net\n    file: zones/origin/example.net.zone\n", ""},
		// import's file name for 0/25.2.0.192.in-addr.arpa. (- for /).
		{"an RFC 2317 zone's file", "  - name: 0/25.2.0.192.in-addr.arpa.\n    file: zones/0-25.2.0.192.in-addr.arpa.zone\n", ""},
		// A defensive typo domain sharing the brand's file on purpose.
		{"a zone sharing the file of a zone named for it", "  - name: example.net\n    file: zones/example.net.zone\n  - name: exmaple.net\n    file: zones/example.net.zone\n", ""},
		{"another name", "  - name: other.test.\n    file: zones/example.net.zone\n", ""},
		{"a one-letter label", "  - name: a.test.\n    file: zones/b.test.zone\n", ""},
		{"the same name", "  - name: Example.NET\n    file: zones/example.net.zone\n", ""},
		{"a glob", "  - files: zones/*.db\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range nameTypos(typoRepo(t, tc.entries)) {
				got = append(got, p.String())
			}
			if tc.want == "" && len(got) > 0 || tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want)) {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
}
