package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cutover"
)

// TestCutoverWavesLab: the cutover commands over several zones, on the
// cutover lab (example.test. on PowerDNS and Knot under a BIND parent):
// each zone gets its own gates and report, one summary names the zones
// done, refused, failed and not started, and --stop-on-refusal starts no
// wave after a refusal (TestStreamWaves); a zone not in the config
// starts none: the parent is not touched.
func TestCutoverWavesLab(t *testing.T) {
	l := newCoLab(t)
	run := func(args ...string) (int, cutover.WaveReport, string, string) {
		t.Helper()
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(k string) string { return l.env[k] }}
		code := a.main(context.Background(), append(args, "--config", l.cfgPath))
		var w cutover.WaveReport
		if strings.Contains(strings.Join(args, " "), "json") {
			if err := json.Unmarshal(out.Bytes(), &w); err != nil {
				t.Fatalf("%v: exit %d, no JSON: %v\n%s\n%s", args, code, err, out.String(), errs.String())
			}
		}
		return code, w, out.String(), errs.String()
	}
	before := l.parentText(t)

	code, w, _, stderr := run("status", "--zone", "example.test", "--zone", "nosuch.test", "--format", "json")
	if code != exitError || len(w.Reports) != 2 || w.Reports[0].Zone != "example.test." || w.Reports[1].Result != cutover.ResultError ||
		!reflect.DeepEqual(w.Summary.Done, []string{"example.test."}) || !reflect.DeepEqual(w.Summary.Failed, []string{"nosuch.test."}) {
		t.Errorf("status of two zones: exit %d, summary %+v, reports %d\n%s", code, w.Summary, len(w.Reports), stderr)
	}
	if len(w.Reports) > 0 && len(w.Reports[0].Gates) == 0 {
		t.Errorf("example.test.'s status has no gates of its own")
	}

	// A flip of a list that names a zone not in the config (nosuch.test)
	// starts no zone, with or without --stop-on-refusal: example.test's
	// report says the typo stopped it (its flip would be refused anyway:
	// the TTLs are not pre-staged; nothing reaches the parent either way).
	// Before, example.test's step ran (refused, or done at a real config)
	// beside the typo: TestWavesNamedZonesFirst.
	list := filepath.Join(l.dir, "zones.txt")
	os.WriteFile(list, []byte("# the wave\nnosuch.test\n\nexample.test  # after it\n"), 0o644)
	code, w, _, _ = run("flip", "--zones-from", list, "--stop-on-refusal", "--format", "json")
	if code != exitError || len(w.Reports) != 2 || !reflect.DeepEqual(w.Summary.Failed, []string{"nosuch.test.", "example.test."}) || w.Summary.Wave != 1 ||
		!strings.Contains(strings.Join(w.Reports[1].Errors, " "), "not started: zone nosuch.test., named in the same flip") {
		t.Errorf("flip --stop-on-refusal: exit %d, summary %+v", code, w.Summary)
	}
	code, _, out, _ := run("flip", "--zone", "example.test", "--zone", "nosuch.test", "--wave", "2")
	if code != exitError || !strings.Contains(out, "flip: 2 zones in waves of 2: 0 done, 0 refused, 2 could not run") ||
		!strings.Contains(out, "could not run: example.test. nosuch.test.") {
		t.Errorf("flip of two zones: exit %d\n%s", code, out)
	}
	if after := l.parentText(t); after != before {
		t.Errorf("the parent changed:\n%s", after)
	}
	os.WriteFile(list, []byte("bad name!\n"), 0o644)
	if code, _, _, stderr := run("status", "--zones-from", list); code != exitError || !strings.Contains(stderr, "zones.txt:1:") {
		t.Errorf("a bad --zones-from line: exit %d, %q", code, stderr)
	}
}
