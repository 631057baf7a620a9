package ttlcap

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestCapAll: several files all or nothing: one invalid file and none is
// written (no change listed); a dry run writes none; else every one is.
func TestCapAll(t *testing.T) {
	const good = "$ORIGIN %s.test.\n$TTL 600\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n"
	const bad = "$ORIGIN bad.test.\n$TTL 600\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\nns1 CNAME elsewhere.test.\n"
	setup := func(t *testing.T, withBad bool) ([]Target, map[string]string) {
		dir := t.TempDir()
		files := map[string]string{"a.zone": fmt.Sprintf(good, "a"), "b.zone": fmt.Sprintf(good, "b")}
		if withBad {
			files["bad.zone"] = bad
		}
		var ts []Target
		for _, n := range []string{"a.zone", "bad.zone", "b.zone"} {
			s, ok := files[n]
			if !ok {
				continue
			}
			p := filepath.Join(dir, n)
			if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
			ts = append(ts, Target{Path: p})
		}
		return ts, files
	}
	unchanged := func(t *testing.T, ts []Target, files map[string]string) bool {
		t.Helper()
		same := true
		for _, tg := range ts {
			b, err := os.ReadFile(tg.Path)
			if err != nil {
				t.Fatal(err)
			}
			same = same && string(b) == files[filepath.Base(tg.Path)]
		}
		return same
	}

	ts, files := setup(t, true)
	res := CapAll(ts, 300, false)
	var inv *InvalidError
	if res.Invalid != 1 || res.Failed != 0 || len(res.Problems) != 1 || !errors.As(res.Problems[0], &inv) || len(res.Changes) != 0 {
		t.Errorf("with an invalid file: %+v, want one invalid, no change", res)
	}
	if !unchanged(t, ts, files) {
		t.Error("with an invalid file: a file was written")
	}

	ts, files = setup(t, false)
	if res := CapAll(ts, 300, true); len(res.Changes) != 2 || len(res.Problems) != 0 || !unchanged(t, ts, files) {
		t.Errorf("dry run: %+v (files unchanged: %v), want 2 changes listed, none written", res, unchanged(t, ts, files))
	}
	if res := CapAll(ts, 300, false); len(res.Changes) != 2 || len(res.Problems) != 0 || unchanged(t, ts, files) {
		t.Errorf("run: %+v, want 2 changes written", res)
	}
}
