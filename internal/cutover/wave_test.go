package cutover

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestStreamWaves: zones run in waves of Size at once, in order; a refusal
// with StopOnRefusal lets its wave finish and starts no later wave.
func TestStreamWaves(t *testing.T) {
	zones := []string{"a.", "b.", "c.", "d.", "e.", "f.", "g."}
	results := map[string]string{"c.": ResultRefused, "f.": ResultError}
	for _, tc := range []struct {
		name                   string
		o                      WaveOptions
		done, refused, skipped []string
		failed                 []string
		maxAtOnce, wantStarted int
		exit                   int
	}{
		{"waves of 2, go on", WaveOptions{Size: 2}, []string{"a.", "b.", "d.", "e.", "g."}, []string{"c."}, []string{}, []string{"f."}, 2, 7, 2},
		{"waves of 2, stop", WaveOptions{Size: 2, StopOnRefusal: true}, []string{"a.", "b.", "d."}, []string{"c."}, []string{"e.", "f.", "g."}, []string{}, 2, 4, 1},
		{"one at a time, stop", WaveOptions{StopOnRefusal: true}, []string{"a.", "b."}, []string{"c."}, []string{"d.", "e.", "f.", "g."}, []string{}, 1, 3, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var running, peak int
			var started atomic.Int32
			var order []string
			w := streamAll(context.Background(), "flip", zones, tc.o, func(ctx context.Context, z string) *Report {
				started.Add(1)
				mu.Lock()
				running++
				peak = max(peak, running)
				order = append(order, z)
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				mu.Lock()
				running--
				mu.Unlock()
				res := results[z]
				if res == "" {
					res = ResultDone
				}
				return &Report{Zone: z, Result: res}
			})
			s := w.Summary
			if !reflect.DeepEqual(s.Done, tc.done) || !reflect.DeepEqual(s.Refused, tc.refused) || !reflect.DeepEqual(s.Skipped, tc.skipped) || !reflect.DeepEqual(s.Failed, tc.failed) {
				t.Errorf("summary %+v", s)
			}
			if peak != tc.maxAtOnce || int(started.Load()) != tc.wantStarted {
				t.Errorf("%d at once (want %d), %d started (want %d)", peak, tc.maxAtOnce, started.Load(), tc.wantStarted)
			}
			if len(w.Reports) != tc.wantStarted {
				t.Errorf("%d reports handed on, want one per zone started (%d)", len(w.Reports), tc.wantStarted)
			}
			for i, r := range w.Reports {
				if r.Zone != zones[i] {
					t.Errorf("report %d is %s: not in the order given", i, r.Zone)
				}
			}
			if w.ExitCode() != tc.exit {
				t.Errorf("exit %d, want %d", w.ExitCode(), tc.exit)
			}
		})
	}
}

// TestStreamWavesWindow: a step that only reads (Window) keeps Size zones
// running at once: the zones after a slow one's wave start while it runs.
// Zone a. runs until the last zone has started; in waves (the next wave
// starting when one is done) that zone waits for a., and a. ends only when
// the test's context does: the reports then say which.
func TestStreamWavesWindow(t *testing.T) {
	zones := []string{"a.", "b.", "c.", "d.", "e.", "f.", "g.", "h.", "i."}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a bound on the test, not a measurement
	defer cancel()
	lastStarted := make(chan struct{})
	var mu sync.Mutex
	var running, peak int
	w := streamAll(ctx, "status", zones, WaveOptions{Size: 3, Window: true}, func(ctx context.Context, z string) *Report {
		mu.Lock()
		running++
		peak = max(peak, running)
		mu.Unlock()
		defer func() {
			mu.Lock()
			running--
			mu.Unlock()
		}()
		switch z {
		case "a.":
			select {
			case <-lastStarted:
			case <-ctx.Done():
				return &Report{Zone: z, Result: ResultError, Errors: []string{"the last zone did not start while a. ran"}}
			}
		case zones[len(zones)-1]:
			close(lastStarted)
		}
		return &Report{Zone: z, Result: ResultDone}
	})
	if len(w.Summary.Done) != len(zones) || len(w.Summary.Failed) != 0 || len(w.Summary.Skipped) != 0 {
		t.Errorf("summary %+v; reports: %+v", w.Summary, w.Reports)
	}
	if peak > 3 {
		t.Errorf("%d zones at once, over the bound of 3", peak)
	}
	if len(w.Reports) != len(zones) {
		t.Errorf("%d reports handed on, want %d", len(w.Reports), len(zones))
	}
	for i, r := range w.Reports {
		if r.Zone != zones[i] {
			t.Errorf("report %d is %s: not in the order given", i, r.Zone)
		}
	}
}

// TestStreamWavesWindowInterrupted: an interrupted run (ctx) in a Window
// starts no more zones: those running are reported, the rest Skipped.
func TestStreamWavesWindowInterrupted(t *testing.T) {
	zones := []string{"a.", "b.", "c.", "d."}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := streamAll(ctx, "status", zones, WaveOptions{Size: 2, Window: true}, func(ctx context.Context, z string) *Report {
		switch z {
		case "a.":
			<-ctx.Done() // until b. interrupts the run
		case "b.":
			cancel()
		}
		return &Report{Zone: z, Result: ResultDone}
	})
	if !reflect.DeepEqual(w.Summary.Done, []string{"a.", "b."}) || !reflect.DeepEqual(w.Summary.Skipped, []string{"c.", "d."}) || len(w.Reports) != 2 || w.ExitCode() != 1 {
		t.Errorf("summary %+v, %d reports, exit %d", w.Summary, len(w.Reports), w.ExitCode())
	}
}

// TestStreamWavesLetsListingsGo: a zone's report, once its step is done,
// holds what its JSON and text say, not what the step held for itself:
// the providers' listings of the zone (Report.listed, which a flip reads
// again right before the registrar change). Over thousands of zones they
// are every zone's records at both sides, until the last zone is done.
func TestStreamWavesLetsListingsGo(t *testing.T) {
	zones := []string{"a.", "b.", "c."}
	for _, o := range []WaveOptions{{Size: 2}, {Size: 2, Window: true}} {
		w := streamAll(context.Background(), "flip", zones, o, func(ctx context.Context, z string) *Report {
			return &Report{Zone: z, Result: ResultDone, listed: &listing{seconds: 1}}
		})
		for _, r := range w.Reports {
			if r.listed != nil {
				t.Errorf("%+v: %s's report still holds its listing", o, r.Zone)
			}
		}
	}
}

// streamAll is StreamWaves with the reports it hands on kept, in the
// order handed on, as w.Reports (what the JSON document's "reports"
// holds when report.WaveWriter writes them as they come).
func streamAll(ctx context.Context, command string, zones []string, o WaveOptions, step func(ctx context.Context, zone string) *Report) *WaveReport {
	return streamKnown(ctx, command, zones, o, nil, step)
}

// streamKnown is streamAll with known for StreamWaves.
func streamKnown(ctx context.Context, command string, zones []string, o WaveOptions, known func(string) error, step func(ctx context.Context, zone string) *Report) *WaveReport {
	var reps []*Report
	w := StreamWaves(ctx, command, zones, o, known, step, func(r *Report) { reps = append(reps, r) })
	w.Reports = reps
	return w
}

// TestWavesNamedZonesFirst: a step that changes something (flip, rollback,
// finish; a dry run rehearses it) over several zones, one of which is not
// under zones: in the config (a typo in cutover.yml's zone input), starts
// no zone: each zone's report says why, every zone could not run (exit 2),
// and nothing is flipped before the typo is found. status only reads: the
// zones it knows are reported, the unknown one is an error of its own.
func TestWavesNamedZonesFirst(t *testing.T) {
	known := func(z string) error {
		if z == "typo." {
			return errors.New("dnsparity.yaml:1: zone typo. is not under zones: in dnsparity.yaml")
		}
		return nil
	}
	for _, tc := range []struct {
		command string
		dryRun  bool
		zones   []string
		started []string
		failed  []string
	}{
		{"flip", false, []string{"a.", "typo.", "b."}, nil, []string{"a.", "typo.", "b."}},
		{"flip", true, []string{"a.", "typo."}, nil, []string{"a.", "typo."}},
		{"rollback", false, []string{"typo.", "a."}, nil, []string{"typo.", "a."}},
		{"finish", false, []string{"a.", "typo."}, nil, []string{"a.", "typo."}},
		{"flip", false, []string{"a.", "b."}, []string{"a.", "b."}, []string{}},
		{"status", false, []string{"a.", "typo."}, []string{"a.", "typo."}, []string{"typo."}},
	} {
		var mu sync.Mutex
		var started []string
		w := streamKnown(context.Background(), tc.command, tc.zones, Waves(tc.command, 1, tc.dryRun, false), known, func(ctx context.Context, z string) *Report {
			mu.Lock()
			started = append(started, z)
			mu.Unlock()
			if err := known(z); err != nil {
				return SetupReport(z, tc.command, err)
			}
			return &Report{Zone: z, Result: ResultDone}
		})
		name := fmt.Sprintf("%s (dry run %v) of %v", tc.command, tc.dryRun, tc.zones)
		if !reflect.DeepEqual(started, tc.started) || !reflect.DeepEqual(w.Summary.Failed, tc.failed) {
			t.Errorf("%s: started %v (want %v), failed %v (want %v)", name, started, tc.started, w.Summary.Failed, tc.failed)
		}
		if len(w.Reports) != len(tc.zones) {
			t.Fatalf("%s: %d reports, want one per zone", name, len(w.Reports))
		}
		if tc.started != nil {
			continue
		}
		for i, r := range w.Reports {
			why := "typo. is not under zones:" // its own error, else that typo. stopped it
			if r.Zone != "typo." {
				why = "not started: zone typo., named in the same " + tc.command
			}
			if r.Zone != tc.zones[i] || r.Result != ResultError || len(r.Errors) == 0 || !strings.Contains(r.Errors[0], why) ||
				!slices.Equal(r.Actions, []string{"nothing was checked or changed"}) {
				t.Errorf("%s: report of %s: %+v", name, tc.zones[i], r)
			}
		}
		if w.ExitCode() != 2 {
			t.Errorf("%s: exit %d, want 2", name, w.ExitCode())
		}
	}
}
