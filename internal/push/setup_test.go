package push

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/progress/progresstest"
	_ "github.com/dnsparity/dnsparity/internal/provider/rfc2136"
)

// TestPlanProgressFailedZone: a zone whose provider cannot be read is not
// counted as planned: plan's progress said "planned: 1/1 zones" before the
// error; it says 0/1, 1 failed. The tally counts zones (StartUnits),
// whatever Progress it is shown on (only a Printer was told, before).
func TestPlanProgressFailedZone(t *testing.T) {
	dir := t.TempDir()
	zoneText := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\n"
	cfg := `zones:
  - name: example.test.
    file: example.test.zone
providers:
  old:
    type: rfc2136
    server: 127.0.0.1:1
    nameservers: [127.0.0.1:1]
  new:
    type: rfc2136
    server: 127.0.0.1:1
    nameservers: [127.0.0.1:1]
`
	for name, text := range map[string]string{"example.test.zone": zoneText, "dnsparity.yaml": cfg} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rec := &progresstest.Recorder{}
	targets, _, f := Setup(context.Background(), Options{Command: "plan", Config: filepath.Join(dir, "dnsparity.yaml"), Getenv: os.Getenv, Stderr: io.Discard, Progress: rec})
	if f == nil || targets != nil {
		t.Fatalf("plan against a provider that does not answer: targets %v, failure %v", targets, f)
	}
	i := slices.IndexFunc(rec.Tasks(), func(t progresstest.Task) bool { return t.Label == "planned" })
	if i < 0 {
		t.Fatalf("no task planned: %+v", rec.Tasks())
	}
	if p := rec.Tasks()[i]; p.Total != 1 || p.Last() != 0 || p.FailedUnits != 1 || p.Stops != 1 || p.Unit != "zones" {
		t.Errorf("progress: %d/%d planned (%q), %d failed, stopped %d times; want 0/1 zones, 1 failed, stopped once", p.Last(), p.Total, p.Unit, p.FailedUnits, p.Stops)
	}
}

// TestPlanProviderDownStops: over many zones, a provider that is down
// (provider.Down: here nothing listens) stops the plan at the first zone
// that finds it so (the run's error, exit 2), as before zones were
// planned apart: every zone would wait out its retries for it. A zone
// the provider cannot plan otherwise is that zone's error alone
// (TestOneZoneUnplannedLab).
func TestPlanProviderDownStops(t *testing.T) {
	dir := t.TempDir()
	cfg := "zones:\n  - files: zones/*.zone\nproviders:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: [127.0.0.1:1]\n"
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		text := fmt.Sprintf("$ORIGIN z%d.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\n", i)
		if err := os.WriteFile(filepath.Join(dir, "zones", fmt.Sprintf("z%d.zone", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	targets, _, f := Setup(context.Background(), Options{Command: "plan", Config: filepath.Join(dir, "dnsparity.yaml"), Getenv: os.Getenv, Stderr: io.Discard})
	if f == nil || targets != nil || !strings.Contains(f.Msg, "unreachable") {
		t.Fatalf("plan of 20 zones against a provider that does not answer: %d targets, failure %+v; want the run's failure", len(targets), f)
	}
}
