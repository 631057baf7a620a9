package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestMatrixSummaryOneZone: the summary on stderr counts in words ("1 zone
// in 1 shard", not "1 zones in 1 shards").
func TestMatrixSummaryOneZone(t *testing.T) {
	dir := t.TempDir()
	zone := "$ORIGIN one.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
	if err := os.WriteFile(filepath.Join(dir, "one.test.zone"), []byte(zone), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfg, []byte("zones:\n  - {name: one.test., file: one.test.zone}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
	if code := a.main(context.Background(), []string{"matrix", "--config", cfg, "--shards", "4"}); code != exitOK {
		t.Fatalf("matrix: exit %d\n%s", code, errs.String())
	}
	if want := "dnsparity matrix: 1 zone in 1 shard of 3 RRsets\n"; errs.String() != want {
		t.Errorf("stderr %q, want %q", errs.String(), want)
	}
}
