package cutover

import (
	"context"
	"reflect"
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
	var reps []*Report
	w := StreamWaves(ctx, command, zones, o, step, func(r *Report) { reps = append(reps, r) })
	w.Reports = reps
	return w
}
