package push

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// TestPlanSaysCheckWarnings: plan and push say the zone files' warnings
// of `dnsparity check` (which they do not refuse on) on stderr, each on
// its file and line, the first shownWarnings of them and a count of the
// rest; the plan is made all the same. On the code before they said
// nothing: a user who only plans never saw that a receiver ignores part
// of the zone's SPF record.
func TestPlanSaysCheckWarnings(t *testing.T) {
	for _, tc := range []struct {
		name        string
		zones, warn int // zones, of which the first warn have one warning each
		more        string
	}{
		{"one warning", 3, 1, ""},
		{"more than are shown", shownWarnings + 5, shownWarnings + 5, "5 more warnings in the zone files: `dnsparity check` lists every one"},
		{"none", 2, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cf := cftest.New("cf-test-token")
			defer cf.Close()
			cfgPath, getenv := cloudflareRepo(t, cf, t.TempDir(), tc.zones, func(i int, name string) string {
				text := "$ORIGIN " + name + ".\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ada.ns.cloudflare.com.\n@ NS bob.ns.cloudflare.com.\nwww A 192.0.2.1\n"
				if i < tc.warn {
					// +all: a receiver passes mail from anywhere (check's warning).
					text += "@ TXT \"v=spf1 +all\"\n"
				}
				return text
			})
			var stderr bytes.Buffer
			targets, _, f := Setup(context.Background(), Options{Command: "plan", Config: cfgPath, Providers: []string{"new"}, Getenv: getenv, Stderr: &stderr})
			if f != nil || len(targets) != tc.zones {
				t.Fatalf("plan: %d targets, failure %+v", len(targets), f)
			}
			shown := 0
			for _, l := range strings.Split(stderr.String(), "\n") {
				if strings.Contains(l, ".zone:7: ") && strings.Contains(l, "warning") {
					shown++
				}
			}
			if want := min(tc.warn, shownWarnings); shown != want {
				t.Errorf("%d warnings on their line said, want %d:\n%s", shown, want, stderr.String())
			}
			if tc.more != "" && !strings.Contains(stderr.String(), tc.more) {
				t.Errorf("stderr lacks %q:\n%s", tc.more, stderr.String())
			}
			if tc.more == "" && strings.Contains(stderr.String(), "more warning") {
				t.Errorf("a count of more warnings where none were left out:\n%s", stderr.String())
			}
		})
	}
}
