package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityAXFROneZoneLab: parity --axfr over several zones, one of
// which the new side does not serve yet (Knot answers its transfer
// NOTAUTH: a zone not created at the new provider, as in any migration of
// many zones). That zone's report is its error (exit 2); every other zone
// is still compared and reported. Before, the first zone whose transfer
// failed stopped the run: the zones after it were left out of the report
// (and canceled mid-run), as if one zone's transfer were every zone's.
func TestParityAXFROneZoneLab(t *testing.T) {
	const n, missing = 6, 1
	lab.Require(t, "named", "knotd")
	dir := t.TempDir()
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	zs := writeManyZones(t, dir, n, oldIP+":53", newIP+":53")
	lab.BIND(t, lab.Options{IP: oldIP, Zones: zs})
	newZones := append(append([]lab.Zone(nil), zs[:missing]...), zs[missing+1:]...)
	lab.Knot(t, lab.Options{IP: newIP, Zones: newZones})

	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := a.main(context.Background(), []string{"parity", "--axfr", "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", "json"})
	var reps []parity.Report
	if err := json.Unmarshal(out.Bytes(), &reps); err != nil {
		t.Fatalf("exit %d, JSON: %v\n%s\n%s", code, err, out.String(), tailString(errb.String(), 2000))
	}
	if code != exitError {
		t.Errorf("exit %d, want %d (one zone could not be transferred)", code, exitError)
	}
	got := map[string]string{}
	for _, r := range reps {
		got[r.Zone] = r.Error
		if r.Zone != zs[missing].Origin && (r.Error != "" || !r.OK()) {
			t.Errorf("zone %s: error %q, %d findings; want parity holding", r.Zone, r.Error, len(r.Findings))
		}
	}
	if e := got[zs[missing].Origin]; !strings.Contains(e, "new") || !strings.Contains(e, "NOTAUTH") {
		t.Errorf("zone %s: error %q, want the new side's transfer (NOTAUTH)", zs[missing].Origin, e)
	}
	if len(reps) != n {
		t.Errorf("%d reports (%v), want one per zone: %d", len(reps), got, n)
	}
}
