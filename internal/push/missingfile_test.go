package push

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// TestPlanMissingFileAndZoneErrors: over several zones, a zone file that
// cannot be read (named in the config, not written yet) and other zones'
// errors are all reported in one run, each zone file's errors on their
// lines, then the file that could not be read (exit 2, nothing planned,
// nothing asked of the provider for the zones after it). Before, the
// missing file was the whole report: the errors of the files before and
// after it were dropped, a user fixing one thing a run.
func TestPlanMissingFileAndZoneErrors(t *testing.T) {
	const zones = 5
	cf := cftest.New("cf-test-token")
	defer cf.Close()
	dir := t.TempDir()
	cfgPath, getenv := cloudflareRepo(t, cf, dir, zones, func(i int, name string) string {
		text := "$ORIGIN " + name + ".\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ada.ns.cloudflare.com.\nwww A 192.0.2.1\n"
		if i == 1 || i == 3 {
			text += "bad A 192.0.2\n" // line 6: an error
		}
		return text
	})
	if err := os.Remove(filepath.Join(dir, "z02.test.zone")); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"plan", "push"} {
		var errb strings.Builder
		targets, _, f := Setup(context.Background(), Options{Command: cmd, Config: cfgPath, Providers: []string{"new"}, Getenv: getenv, Stderr: &errb})
		if f == nil || targets != nil || f.Code != cli.ExitError {
			t.Fatalf("%s: %d targets, failure %+v, want exit 2 and no plan:\n%s", cmd, len(targets), f, errb.String())
		}
		out := errb.String()
		for _, want := range []string{"z01.test.zone:6: ", "z03.test.zone:6: ", "z02.test.zone: no such file"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", cmd, want, out)
			}
		}
		files := map[string]bool{}
		for _, p := range f.Problems {
			files[filepath.Base(p.Pos.File)] = true
		}
		if !files["z01.test.zone"] || !files["z03.test.zone"] {
			t.Errorf("%s: problems %v, want both broken files' (the JSON report's)", cmd, f.Problems)
		}
	}
	if n := cf.Count("POST batch"); n != 0 {
		t.Errorf("%d writes", n)
	}
}
