package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// TestPushHalfFailedConverges: a first push over three zones that the
// provider's API fails for the middle one (after the first was pushed)
// exits 2 and says, zone by zone, what was pushed and what was not; the
// re-run pushes what is left (exit 0), and a plan after it is empty: the
// run converges (Cloudflare fake: developers.cloudflare.com/api/resources/
// dns/subresources/records/methods/batch/).
func TestPushHalfFailedConverges(t *testing.T) {
	s := cftest.New("cf-token-for-tests")
	t.Cleanup(s.Close)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := "zones:\n"
	ids := map[string]string{}
	for _, z := range []string{"a.half.test", "b.half.test", "c.half.test"} {
		ids[z] = s.AddZone(z)
		text := fmt.Sprintf("$ORIGIN %s.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ada.ns.cloudflare.com.\n@ NS bob.ns.cloudflare.com.\nwww A 192.0.2.1\nmail A 192.0.2.25\n", z)
		if err := os.WriteFile(filepath.Join(dir, "zones", z+".zone"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg += "  - name: " + z + ".\n    file: zones/" + z + ".zone\n"
	}
	cfg += fmt.Sprintf("providers:\n  new:\n    type: cloudflare\n    url: %s\n    api_key_env: CF_TOKEN\n", s.APIURL())
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	e := &cloudEnv{dir: dir, env: map[string]string{"CF_TOKEN": "cf-token-for-tests"}}
	s.AddFault(cftest.Fault{Method: "POST", Path: "/zones/" + ids["b.half.test"] + "/dns_records/batch", Times: 100, Status: http.StatusBadRequest})
	code, out, errs := e.run(t, "push")
	for _, want := range []string{"applied: new a.half.test. 2 of 2 changes; new c.half.test. 2 of 2 changes", "push again to converge", "zone b.half.test.: cloudflare"} {
		if !strings.Contains(errs, want) {
			t.Errorf("first push: stderr lacks %q", want)
		}
	}
	if code != exitError || !strings.Contains(out, "[not applied]") || !strings.Contains(out, "1 with an error (new b.half.test.); 2 pushed (new a.half.test., new c.half.test.)") {
		t.Errorf("first push: exit %d, want 2 and each zone's outcome:\n%s\n%s", code, out, errs)
	}
	s.ClearFaults()
	if code, out, errs := e.run(t, "push"); code != exitOK || !strings.Contains(out, "1 pushed (new b.half.test.); 2 unchanged") {
		t.Errorf("second push: exit %d, want 0 and b.half.test. alone pushed:\n%s\n%s", code, out, errs)
	}
	if code, out, errs := e.run(t, "plan"); code != exitOK || !strings.Contains(out, "3 unchanged") {
		t.Errorf("plan after the re-run: exit %d, want 0 and nothing to change:\n%s\n%s", code, out, errs)
	}
}
