package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportIntoNewFolder: adopting dnsparity starts with a config that
// names zone files not written yet (zones/example.com.zone) and `import
// -o` writing each; a folder of -o that does not exist yet is created, as
// confine.WriteFile does for every file dnsparity writes. On the code
// before, import exited 2 with "repository root zones/new: lstat ...: no
// such file or directory", which names neither the option nor what to do.
func TestImportIntoNewFolder(t *testing.T) {
	e := cloudflareEnv(t)
	out := filepath.Join(e.dir, "zones", "new", "example.com.zone")
	code, stdout, errs := e.run(t, "import", "--provider", "old", "--zone", "example.com.", "-o", out)
	if code == exitError || stdout != "" {
		t.Fatalf("exit %d, stdout %q, want the file written:\n%s", code, stdout, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("%v; stderr:\n%s", err, errs)
	}
	if !strings.Contains(string(b), "$ORIGIN example.com.") {
		t.Errorf("the file written is not the zone:\n%s", b)
	}
}
