package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestTrailStagesReadOnce: each finish of a wave over N zones reads the
// N-1 other zones' trails (oldProviderUse). Shared by the wave's steps
// (Shared.Stages), a trail is read once and again only when it changed:
// a step's allocations are a small part of those of a step that reads
// every trail, and a trail written meanwhile (another zone finished) is
// read again, its new stage seen.
func TestTrailStagesReadOnce(t *testing.T) {
	dir := t.TempDir()
	const n = 300
	var zones []GitZone
	for i := range n {
		name := fmt.Sprintf("z%04d.test.", i)
		zones = append(zones, GitZone{Origin: name})
		path := TrailPath(dir, name)
		tr, err := ReadTrail(path, name)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().UTC().Add(-time.Hour)
		for j := range 6 {
			if err := tr.Append(path, Entry{Time: at.Add(time.Duration(j) * time.Minute), Command: "status", Result: ResultObserved, Actions: []string{strings.Repeat("observed ", 40)}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	own, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1.provider.example. h 1 2 3 4 5\n@ NS ns1.provider.example.\n"), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	step := func(stages *TrailStages) *Config {
		return &Config{Zone: own, ConfigZones: zones, TrailPath: TrailPath(dir, "example.test."), Stages: stages}
	}
	ctx := context.Background()
	shared := &TrailStages{}
	if u := step(shared).oldProviderUse(ctx); len(u.Zones) != n {
		t.Fatalf("%d zones not finished, want %d", len(u.Zones), n)
	}
	each := testing.AllocsPerRun(5, func() { step(nil).oldProviderUse(ctx) })
	once := testing.AllocsPerRun(5, func() { step(shared).oldProviderUse(ctx) })
	t.Logf("allocations of a step over %d other trails: each read %.0f, shared %.0f (ratio %.1f)", n, each, once, each/once)
	if once*4 > each {
		t.Errorf("a step sharing the stages allocates %.0f, one reading every trail %.0f: want under a quarter", once, each)
	}

	// z0007.test. is finished meanwhile: the shared stages see it.
	path := TrailPath(dir, "z0007.test.")
	tr, err := ReadTrail(path, "z0007.test.")
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Append(path, Entry{Time: time.Now().UTC(), Command: "finish", Result: ResultDone}); err != nil {
		t.Fatal(err)
	}
	u := step(shared).oldProviderUse(ctx)
	for _, z := range u.Zones {
		if z.Zone == "z0007.test." {
			t.Errorf("z0007.test., finished since the last read, is still %s", z.Stage)
		}
	}
	if len(u.Zones) != n-1 {
		t.Errorf("%d zones not finished, want %d", len(u.Zones), n-1)
	}
}
