package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestImportNotHeldRFC2136Hint: an RFC 2136 server cannot list its zones,
// so a typo'd --zone gets its "did you mean" from the config's zones
// (config.ZoneHint), as every other command's --zone does. On the code
// before, the message ended at the server's REFUSED ("zone not found at
// the provider"), with no hint.
func TestImportNotHeldRFC2136Hint(t *testing.T) {
	lab.Require(t, "knotd")
	text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 300\n@ NS ns1.example.com.\nns1 A 192.0.2.53\n"
	k := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.com.", Text: text}}})
	e := newCloudEnv(t, "    type: rfc2136\n    server: "+k.Addr+"\n", map[string]string{})
	code, out, errs := e.run(t, "import", "--provider", "old", "--zone", "exmaple.com")
	want := "dnsparity import: zone exmaple.com. is not at provider old (rfc2136): "
	hint := "zone not found at the provider; in " + e.dir + "/dnsparity.yaml: did you mean example.com.?\n"
	if code != exitError || out != "" || !strings.Contains(errs, want) || !strings.Contains(errs, hint) {
		t.Errorf("exit %d, stdout %q, want 2 and %q ... %q on stderr:\n%s", code, out, want, hint, errs)
	}
	code, _, errs = e.run(t, "import", "--provider", "old", "--zone", "example.com")
	if code != exitOK {
		t.Errorf("the zone held: exit %d:\n%s", code, errs)
	}
	// Listed in --zones-from: said at the list's line, where the typo
	// is (it was said with no line at all).
	list := filepath.Join(e.dir, "zones.txt")
	if err := os.WriteFile(list, []byte("# to import\nexample.com.\nExmaple.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = e.run(t, "import", "--provider", "old", "--zones-from", list, "-o", filepath.Join(e.dir, "imported"), "--force")
	if want := "dnsparity import: " + list + ":3: zone exmaple.com. is not at provider old (rfc2136): "; code != exitError || !strings.Contains(errs, want) {
		t.Errorf("--zones-from: exit %d, want 2 and %q:\n%s", code, want, errs)
	}
}
