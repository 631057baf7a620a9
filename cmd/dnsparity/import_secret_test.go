package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// TestImportSecretInRecord: a provider's record that holds one of the
// config's secrets (a TXT holding the API token, pasted there by
// mistake) would be written into git, where the token is then public,
// and shown by where its mask falls on stderr. Import refuses it as
// plan, push and parity refuse a zone file's record holding one
// (config.ShownSecret): exit 2, naming the variable, nothing written,
// the value never printed. On the code before: exit 0, the token in
// the zone file.
func TestImportSecretInRecord(t *testing.T) {
	const token = "cf-token-for-import-tests"
	s := cftest.New(token)
	t.Cleanup(s.Close)
	id := s.AddZone("example.com")
	for _, r := range []cftest.Record{
		{Name: "example.com", Type: "TXT", Content: `"v=spf1 -all"`, TTL: 300},
		{Name: "ci.example.com", Type: "TXT", Content: `"token=` + token + `"`, TTL: 300},
	} {
		s.Seed(id, r)
	}
	e := newCloudEnv(t, "    type: cloudflare\n    url: "+s.APIURL()+"\n    api_key_env: CF_TOKEN\n", map[string]string{"CF_TOKEN": token})
	file := filepath.Join(e.dir, "zones", "example.com.zone")
	code, out, errs := e.run(t, "import", "--provider", "old", "--zone", "example.com", "-o", file)
	if code != exitError || !strings.Contains(errs, "CF_TOKEN") || !strings.Contains(errs, "stands in what a run shows anyway") {
		t.Errorf("exit %d, want 2 naming CF_TOKEN:\n%s%s", code, out, errs)
	}
	if strings.Contains(out+errs, token) {
		t.Errorf("the token was printed:\n%s%s", out, errs)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		b, _ := os.ReadFile(file)
		t.Errorf("the zone file was written (%v):\n%s", err, b)
	}
}
