package cutover

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// TestStepRefusesOriginMismatch: a config's zone whose file names another
// origin stops every step before anything is asked, as a zone error
// (config.Config.OriginChecked, as check, plan, push and parity). On the
// code before, status went on with the file's name and failed at the
// parent ("no parent server answered: NS shop.example.: REFUSED").
func TestStepRefusesOriginMismatch(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "shop.test.zone"), []byte("$ORIGIN shop.example.\n$TTL 300\n@ IN SOA ns1 host 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// No $ORIGIN and the SOA owner another name: the one error, not
	// also no SOA and no NS at the apex (config.OriginChecked).
	if err := os.WriteFile(filepath.Join(dir, "shop2.test.zone"), []byte("shop.example. 300 IN SOA ns1.shop.example. host 1 3600 600 86400 300\nshop.example. 300 IN NS ns1.shop.example.\nns1.shop.example. 300 IN A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(p, []byte("zones:\n  - name: shop.test.\n    file: shop.test.zone\n  - name: shop2.test.\n    file: shop2.test.zone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"shop.test.", "shop2.test."} {
		_, err = StatusFromConfig(context.Background(), cfg, name, func(string) string { return "" }, io.Discard)
		var ze *ZoneError
		if !errors.As(err, &ze) || len(ze.Problems) != 1 || ze.Problems[0].Pos.Line != 1 ||
			!strings.Contains(ze.Problems[0].Message, "origin shop.example. does not match the zone "+name) {
			t.Fatalf("err %v, want a zone error at line 1 naming both origins", err)
		}
	}
}
