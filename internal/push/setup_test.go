package push

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dnsparity/dnsparity/internal/progress"
	_ "github.com/dnsparity/dnsparity/internal/provider/rfc2136"
)

// tally records what a task is told.
type tally struct {
	mu             sync.Mutex
	done, failed   int
	label, unit    string
	total, stopped int
}

func (p *tally) StartUnits(label string, total int, unit string) progress.Task {
	if label == "planned" {
		p.unit = unit
	}
	return p.Start(label, total)
}

func (p *tally) Start(label string, total int) progress.Task {
	if label != "planned" {
		return progress.None.Start(label, total)
	}
	p.label, p.total = label, total
	return p
}
func (p *tally) Update(n int)      { p.mu.Lock(); p.done = n; p.mu.Unlock() }
func (p *tally) FailedUnits(n int) { p.mu.Lock(); p.failed = n; p.mu.Unlock() }
func (p *tally) Stop()             { p.stopped++ }

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
	p := &tally{}
	targets, _, f := Setup(context.Background(), Options{Command: "plan", Config: filepath.Join(dir, "dnsparity.yaml"), Getenv: os.Getenv, Stderr: io.Discard, Progress: p})
	if f == nil || targets != nil {
		t.Fatalf("plan against a provider that does not answer: targets %v, failure %v", targets, f)
	}
	if p.total != 1 || p.done != 0 || p.failed != 1 || p.stopped != 1 || p.unit != "zones" {
		t.Errorf("progress: %d/%d planned (%q), %d failed, stopped %d times; want 0/1 zones, 1 failed, stopped once", p.done, p.total, p.unit, p.failed, p.stopped)
	}
}
