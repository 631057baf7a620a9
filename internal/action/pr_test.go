package action

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// TestDiffConfig: a pull request's change to dnsparity.yaml takes every
// zone when a setting besides zones changed, else the zones whose entries
// changed (resolved against the checkout, as the pull request's are),
// none when every entry is as it was.
func TestDiffConfig(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"zones/a.test.zone", "zones/b.test.zone", "zones/c.test.zone", "zones/eu/d.test.zone", "special/b.db"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f), ".zone"), ".db")
		if name == "b" {
			name = "b.test"
		}
		text := "$ORIGIN " + name + ".\n@ 3600 SOA ns.x. h.x. 1 7200 900 1209600 300\n@ 3600 NS ns.x.\n"
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const providers = "providers:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:53\n  new:\n    type: rfc2136\n    server: 127.0.0.2:53\n"
	const policy = "policy:\n  max_change_percent: 50\n"
	base := "zones:\n  - files: zones/*.zone\n" + providers + policy
	tests := []struct {
		name     string
		head     string
		settings bool
		zones    string // the changed zones, sorted
	}{
		{"the same", base, false, ""},
		{"a comment and another order of keys", "# zones by glob\n" + policy + "zones:\n  - files: zones/*.zone # all\n" + providers, false, ""},
		{"an entry added", "zones:\n  - files: zones/*.zone\n  - name: d.test.\n    file: zones/eu/d.test.zone\n" + providers + policy, false, "d.test."},
		{"a glob widened", "zones:\n  - files: zones/**/*.zone\n" + providers + policy, false, "d.test."},
		{"an override", "zones:\n  - files: zones/*.zone\n  - name: b.test.\n    file: special/b.db\n" + providers + policy, false, "b.test."},
		{"an override of the same file", "zones:\n  - files: zones/*.zone\n  - name: b.test\n    file: ./zones/b.test.zone\n" + providers + policy, false, ""},
		{"a zone dropped", "zones:\n  - name: a.test.\n    file: zones/a.test.zone\n  - name: c.test.\n    file: zones/c.test.zone\n" + providers + policy, false, ""},
		{"the policy", "zones:\n  - files: zones/*.zone\n" + providers + "policy:\n  max_change_percent: 90\n", true, ""},
		{"a provider", "zones:\n  - files: zones/**/*.zone\n" + strings.Replace(providers, "127.0.0.2", "127.0.0.3", 1) + policy, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "dnsparity.yaml")
			head, err := config.Parse([]byte(tt.head), path)
			if err != nil {
				t.Fatal(err)
			}
			d, err := diffConfig([]byte(base), []byte(tt.head), head)
			if err != nil {
				t.Fatal(err)
			}
			if d.settings != tt.settings {
				t.Errorf("settings changed %v, want %v", d.settings, tt.settings)
			}
			if tt.settings {
				if d.zones != nil {
					t.Errorf("zones %v with the settings changed: every zone is taken", d.zones)
				}
				return
			}
			if d.zones == nil {
				t.Fatal("no zone comparison")
			}
			var got []string
			for z := range d.zones {
				got = append(got, z)
			}
			sort.Strings(got)
			if strings.Join(got, " ") != tt.zones {
				t.Errorf("changed zones %q, want %q", strings.Join(got, " "), tt.zones)
			}
			// The merge: the base's settings with the pull request's zones.
			m, err := config.Parse(d.merged, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Zones) != len(head.Zones) || m.Policy.MaxChange() != 50 {
				t.Errorf("merged: %d zones (want %d), max_change %v", len(m.Zones), len(head.Zones), m.Policy.MaxChange())
			}
		})
	}
}
