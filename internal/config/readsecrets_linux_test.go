package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dnsparity/dnsparity/internal/openwatch"
)

// TestReadSecretsOfReadsNoZone: the secrets a redacting run learns before
// its command starts (ReadSecretsOf) come from the config's settings
// alone: no zones glob is expanded, no zone file opened (the command's
// own load reads each once). On the code before, ReadSecretsOf loaded
// the whole config: every file a files: glob matches was opened to
// name its zone, then again by the command, on every run of every
// command in a terminal or a step log. The secret's variable is read
// all the same, and so is a config whose glob matches nothing.
func TestReadSecretsOfReadsNoZone(t *testing.T) {
	const settings = "\nproviders:\n  old: {type: powerdns, url: 'http://127.0.0.1:1', api_key_env: OLD_KEY, nameservers: [127.0.0.1]}\n"
	for _, glob := range []string{"zones/*.zone", "zones/*.db"} {
		cfg, zones := zonesByGlob(t, "zones:\n  - files: "+glob+settings)
		opened := openwatch.Watch(t, zones)
		var read []string
		ReadSecretsOf(&Loads{}, cfg, filepath.Dir(cfg), func(k string) string { read = append(read, k); return "" })
		// The glob matching nothing opens nothing whatever the code
		// does: that row checks the variable read.
		if files := opened(); glob == "zones/*.zone" && len(files) > 0 {
			t.Errorf("%s: ReadSecretsOf opened %v, want no zone file", glob, files)
		}
		if len(read) != 1 || read[0] != "OLD_KEY" {
			t.Errorf("%s: variables read %v, want OLD_KEY", glob, read)
		}
		// The control: a load opens them, so the watch sees it.
		if _, err := Load(cfg); glob == "zones/*.zone" && (err != nil || len(opened()) == 0) {
			t.Errorf("the config's load: %v, and no zone file seen opened", err)
		}
	}
}

// zonesByGlob writes three zone files into a folder zones/ and the
// config text beside it; it returns the config's path and the folder.
func zonesByGlob(t *testing.T, text string) (cfg, zones string) {
	t.Helper()
	dir := t.TempDir()
	zones = filepath.Join(dir, "zones")
	cfg = filepath.Join(dir, FileName)
	err := os.MkdirAll(zones, 0o755)
	for _, n := range []string{"a.test.zone", "b.test.zone", "c.test.zone"} {
		if err == nil {
			err = os.WriteFile(filepath.Join(zones, n), []byte("$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"), 0o644)
		}
	}
	if err == nil {
		err = os.WriteFile(cfg, []byte(text), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	return cfg, zones
}
