package zone

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadEach: each file is loaded with its own options and handed to fn
// at its own index; a file that cannot be read is its error there.
func TestLoadEach(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "a.zone")
	if err := os.WriteFile(good, []byte("$TTL 300\n@ IN SOA ns1 host 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files := []string{good, filepath.Join(dir, "missing.zone"), good}
	origins := []string{"a.test.", "m.test.", "b.test."}
	got := make([]string, len(files))
	LoadEach(len(files), func(i int) (string, Options) {
		return files[i], Options{Origin: origins[i]}
	}, func(i int, z *Zone, err error) {
		if err != nil {
			got[i] = "error"
			return
		}
		got[i] = z.Origin
	})
	if want := []string{"a.test.", "error", "b.test."}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("LoadEach gave %v, want %v", got, want)
	}
}
