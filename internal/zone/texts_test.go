package zone

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestTextsIncludes: Texts ends with every file the zone's $INCLUDEs
// read or would read, as the loader listed them (Zone.Includes), once
// each in the order met: one read, one that holds comments only, no
// record and no problem (a path a report names as the zone's), and one
// nested in another. Texts gathered them again from the records and
// problems, a map lookup for each record, and left out a file none of
// them stood in.
func TestTextsIncludes(t *testing.T) {
	const apex = "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.53\n"
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.zone":         apex + "$INCLUDE inc/a.zone\n$INCLUDE inc/comments.zone\n",
		"inc/a.zone":        "a IN A 192.0.2.1\n$INCLUDE b.zone\n",
		"inc/b.zone":        "b IN A 192.0.2.2\n",
		"inc/comments.zone": "; kept for the next release\n",
	})
	z, err := Load(filepath.Join(dir, "main.zone"), Options{Origin: "a.test.", Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(z.Includes) < 3 {
		t.Fatalf("the test plants nothing: Includes = %q", z.Includes)
	}
	texts := slices.Collect(z.Texts())
	if got := texts[len(texts)-len(z.Includes):]; !slices.Equal(got, z.Includes) {
		t.Errorf("Texts ends with %q, want Includes %q", got, z.Includes)
	}
	for _, f := range []string{"inc/a.zone", "inc/b.zone", "inc/comments.zone"} {
		if !slices.Contains(texts, filepath.Join(dir, f)) {
			t.Errorf("Texts lacks %s: %q", f, texts)
		}
	}
}

// writeFiles writes each file (by its path under dir) with its text,
// making the folders it needs.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
