package action

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// TestIncludersBrokenInclude: a pull request that changes a file a zone
// $INCLUDEs takes that zone, also when the change breaks the file (its
// first record unreadable: the loader drops it, so none of its records
// name it) or deletes it (the $INCLUDE no longer opens). Before, such a
// zone was taken only through its records' positions: the pull request
// that broke the zone had "nothing to do" and passed ([] for the broken
// and the deleted file), and its check never ran.
func TestIncludersBrokenInclude(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const head = "$TTL 300\n@ IN SOA ns1 h 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
	write("zones/a.test.zone", "$ORIGIN a.test.\n"+head+"$INCLUDE inc/common.inc\n")
	write("zones/b.test.zone", "$ORIGIN b.test.\n"+head)
	// c.test. names its include from the repository root, as the loader
	// also finds it (beside the zone file first, then from the root).
	write("zones/c.test.zone", "$ORIGIN c.test.\n"+head+"$INCLUDE shared/mx.inc\n")
	write("shared/mx.inc", "@ IN MX 10 mail\n")
	write("dnsparity.yaml", "zones:\n  - files: zones/*.zone\nproviders:\n  old: {type: rfc2136, server: 127.0.0.1:5353, nameservers: [127.0.0.1]}\n  new: {type: rfc2136, server: 127.0.0.1:5354, nameservers: [127.0.0.1]}\n")
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil { // the repository root
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rel := func(p string) string {
		r, err := filepath.Rel(dir, p)
		if err != nil {
			return p
		}
		return filepath.ToSlash(r)
	}
	for _, tt := range []struct {
		name, inc, text string // text "": the file deleted
		changed         []string
		want            []string
	}{
		{"changed", "zones/inc/common.inc", "www IN A 192.0.2.2\n", []string{"zones/inc/common.inc"}, []string{"a.test."}},
		{"first record broken", "zones/inc/common.inc", "www IN A 999.1.1.1\n", []string{"zones/inc/common.inc"}, []string{"a.test."}},
		{"not a zone file", "zones/inc/common.inc", "}}}}\n", []string{"zones/inc/common.inc"}, []string{"a.test."}},
		{"deleted", "zones/inc/common.inc", "", []string{"zones/inc/common.inc"}, []string{"a.test."}},
		{"from the root, deleted", "shared/mx.inc", "", []string{"shared/mx.inc"}, []string{"c.test."}},
		{"another file", "zones/inc/common.inc", "www IN A 192.0.2.2\n", []string{"zones/inc/other.inc", "scripts/x.sh"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.inc)
			if tt.text == "" {
				if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
			} else {
				write(tt.inc, tt.text)
			}
			if got := includers(cfg, tt.changed, rel); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s changed (%s): the zones that $INCLUDE it are %v, want %v", tt.changed, tt.name, got, tt.want)
			}
		})
	}
}
