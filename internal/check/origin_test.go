package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestCheckOriginMismatch: a config's zone whose file names another
// origin ($ORIGIN shop.example. for the zone shop.test.) fails check, as
// it fails plan and push (one function, config.Config.OriginMismatch): on the $ORIGIN's
// line, saying which to correct. On the code before, check passed it
// (exit 0) and plan refused it at line 0 without saying what to do.
func TestCheckOriginMismatch(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfg, []byte("zones:\n  - name: shop.test.\n    file: zones/shop.test.zone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	text := "; shop\n$TTL 300\n$ORIGIN shop.example.\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"
	if err := os.WriteFile(filepath.Join(dir, "zones", "shop.test.zone"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	targets, _, err := Targets(nil, "", Scope{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	res := Run(targets, 0)
	want := "origin shop.example. does not match the zone shop.test. in " + cfg + ": correct the file's $ORIGIN (or its SOA owner), or the zone's name in " + cfg
	if len(res.Problems) != 1 || res.Problems[0].Severity != zone.Error || res.Problems[0].Pos.Line != 3 ||
		!strings.Contains(res.Problems[0].Message, want) || res.Tally.Errors != 1 {
		t.Errorf("problems %v (tally %+v), want one error at line 3: %q", res.Problems, res.Tally, want)
	}
}
