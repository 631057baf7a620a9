package config_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// TestURLSecretShownRefused: the credentials a url: carries are secrets
// of the run (the Action and the command line mask them,
// URLCredentialsOf), so, as a variable's, one that stands in what a run
// shows anyway is refused, naming what holds it, never the value: in a
// zone's name or a zone file's path, the config does not load; in a
// zone's records or the path of a file an $INCLUDE reads, ShownSecret
// refuses the zone. They were masked and never checked: the zone
// zq7vk2mp.test. of a url: password Zq7vK2mP was shown as ***.test.
func TestURLSecretShownRefused(t *testing.T) {
	const pass = "Zq7vK2mP"
	provider := func(url string) string {
		return "providers:\n  old: {type: powerdns, url: '" + url + "', api_key_env: PDNS_API_KEY}\n"
	}
	for _, tc := range []struct {
		name, zone, url string
		refused         bool // the config does not load
	}{
		{"password in a zone's name", "zq7vk2mp.test.", "https://admin:" + pass + "@127.0.0.1:8081/", true},
		{"password percent-encoded, in a zone's name", "zq7vk2mp.test.", "https://admin:Zq7v%4bK2mP@127.0.0.1:8081/", false},
		{"decoded password in a zone's name", "zq7vkk2mp.test.", "https://admin:Zq7v%4bK2mP@127.0.0.1:8081/", true},
		{"token as the user name in a zone's name", "ghp-tokenasuser0123.test.", "https://ghp-TokenAsUser0123@127.0.0.1:8081/", true},
		{"password elsewhere", "acme.test.", "https://admin:" + pass + "@127.0.0.1:8081/", false},
		{"user name in a zone's name", "provisioning-bot.test.", "https://provisioning-bot:" + pass + "@127.0.0.1:8081/", false},
		{"short user name alone in a zone's name", "admin.test.", "https://admin@127.0.0.1:8081/", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := "zones:\n  - name: " + tc.zone + "\n    file: z.zone\n" + provider(tc.url)
			path := filepath.Join(dir, "dnsparity.yaml")
			os.WriteFile(path, []byte(cfg), 0o644)
			c, err := config.Load(path)
			if !tc.refused {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("loaded; want it refused")
			}
			msg := err.Error()
			if !strings.Contains(msg, "dnsparity.yaml:5: providers.old.url: the url: of provider old holds a secret that stands in what a run shows anyway") {
				t.Errorf("err = %v, want the url:'s line and holder", msg)
			}
			if strings.Contains(strings.ToLower(msg), "zq7v") || strings.Contains(strings.ToLower(msg), "tokenasuser") || strings.Contains(msg, "***") || c != nil {
				t.Errorf("err = %v, shows the value or a mask of it", msg)
			}
		})
	}
	// In a zone's records and an $INCLUDE's path: ShownSecret.
	c, err := config.Parse([]byte("zones:\n  - name: acme.test.\n    file: acme.test.zone\n"+provider("https://admin:"+pass+"@127.0.0.1:8081/")), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	texts := func(ts ...string) func(func(string) bool) { return slices.Values(ts) }
	if err := c.ShownSecret(texts("acme.test.", "v=spf1 -all", "zones/inc-provisioning-bot.inc")); err != nil {
		t.Errorf("clean texts: %v", err)
	}
	for _, shown := range [][]string{
		{"acme.test.", `"sync=zq7vk2mp"`},
		{"acme.test.", "v=spf1 -all", "zones/inc-" + pass + ".inc"},
	} {
		err := c.ShownSecret(texts(shown...))
		if err == nil || !strings.Contains(err.Error(), "providers.old.url: the url: of provider old holds a secret") {
			t.Errorf("%q: %v, want an error naming the url: of provider old", shown, err)
		}
	}
}
