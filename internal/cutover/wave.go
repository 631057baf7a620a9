package cutover

import (
	"context"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// WaveOptions say how a step runs over several zones.
type WaveOptions struct {
	// Size is how many zones a wave holds: they run at once, and the next
	// wave starts when all of them are done (default 1: one zone at a
	// time). policy.wave in the config.
	Size int
	// StopOnRefusal: when a zone of a wave is refused or fails, no later
	// wave starts (the zones of its own wave finish: a flip under way is
	// never cut short); the zones not started are Skipped.
	StopOnRefusal bool
	// Window (a step that only reads: status, a dry run without
	// StopOnRefusal) keeps Size zones running at once, the next zone
	// starting as soon as one ends: no zone waits for the slowest of a
	// wave, and the reports are the same (each zone's own, in the order
	// given). Ignored with StopOnRefusal, whose waves say which zones are
	// not started.
	Window bool
	// CheckNames: every zone is looked up before any zone starts, and a
	// zone that is not one of the config's starts none (StreamWaves'
	// known), each zone's report saying why. Waves sets it for the
	// steps that change something.
	CheckNames bool
}

// Waves is how step cmd runs over several zones, wave (--wave, else
// policy.wave; 0 when neither says) at once: a step that only reads
// (status, a dry run without stop, --stop-on-refusal) keeps that many
// zones at once, default 8, the next starting as one ends (Window): no
// wave waits for its slowest zone, and each zone's report is the same.
// A step that changes something goes in waves, default 1, and so does a
// dry run with stop: its waves say which zones a refusal leaves out.
// A step that changes something (flip, rollback, finish, and their dry
// runs, which rehearse them) checks every name first (CheckNames): a typo
// in a list of zones stops the step before the first zone is flipped,
// not after it. status only reads and reports each zone on its own.
func Waves(cmd string, wave int, dryRun, stop bool) WaveOptions {
	readOnly := (cmd == "status" || dryRun) && !stop
	if wave == 0 && readOnly {
		wave = 8
	}
	return WaveOptions{Size: max(wave, 1), StopOnRefusal: stop, Window: readOnly, CheckNames: cmd != "status"}
}

// WaveReport is a step over several zones: each zone's report (its gates,
// its trail entry), in the order given, and the zones a stop left out.
type WaveReport struct {
	// Reports are the zones' reports as the JSON document holds them
	// (report.WaveWriter writes them as StreamWaves hands them on; it
	// keeps none, leaving Reports nil).
	Reports []*Report `json:"reports"`
	Summary Summary   `json:"summary"`
	// emit is handed each zone's report as it is added (StreamWaves).
	emit func(*Report)
}

// Summary is the zones of a wave run by outcome.
type Summary struct {
	Command string   `json:"command"`
	Zones   int      `json:"zones"`
	Wave    int      `json:"wave"`
	Done    []string `json:"done"`    // done, nothing to do, dry run passed, status reported
	Refused []string `json:"refused"` // a gate not met (exit 1)
	Failed  []string `json:"failed"`  // could not run (exit 2)
	Skipped []string `json:"skipped"` // not started: an earlier wave was refused (StopOnRefusal)
}

// ExitCode is the worst zone's: 2 when one could not run, 1 when one was
// refused or skipped, else 0.
func (w *WaveReport) ExitCode() int {
	switch {
	case len(w.Summary.Failed) > 0:
		return 2
	case len(w.Summary.Refused) > 0 || len(w.Summary.Skipped) > 0:
		return 1
	}
	return 0
}

// StreamWaves runs step for each zone, in waves of o.Size zones at once
// (o.Window: o.Size at once, without waves); step makes one zone's
// report (its own setup, gates, registrar change and trail entry) and
// command names the step. Each zone's report is handed to emit, in the
// order given, as soon as the zones before it are done, and none is
// kept: the report it returns has the Summary alone (Reports nil). A run
// over thousands of zones holds the reports of the zones in flight, not
// of every zone until the last is done (report.WaveWriter writes each
// one as it comes). With o.CheckNames, known (nil: nothing to look up,
// as when the config could not be read) is asked of every zone first.
func StreamWaves(ctx context.Context, command string, zones []string, o WaveOptions, known func(zone string) error, step func(ctx context.Context, zone string) *Report, emit func(*Report)) *WaveReport {
	size := max(o.Size, 1)
	w := &WaveReport{emit: emit,
		Summary: Summary{Command: command, Zones: len(zones), Wave: size, Done: []string{}, Refused: []string{}, Failed: []string{}, Skipped: []string{}}}
	if o.CheckNames && known != nil && w.unknown(command, zones, known) {
		return w
	}
	if o.Window && !o.StopOnRefusal {
		// Size zones at once, the next starting as one ends; the
		// reports handed on in the order given. An interrupted run
		// (ctx) starts no more: those are Skipped.
		n := fanout.Ordered(ctx, len(zones), fanout.Options{Limit: size}, func(ctx context.Context, i int) *Report {
			return stepDone(step(ctx, zones[i]))
		}, func(i int, r *Report) bool {
			w.add(zones[i], r)
			return true
		})
		w.Summary.Skipped = append(w.Summary.Skipped, zones[n:]...)
		return w
	}
	for start := 0; start < len(zones); start += size {
		wave := zones[start:min(start+size, len(zones))]
		if ctx.Err() != nil {
			w.Summary.Skipped = append(w.Summary.Skipped, zones[start:]...)
			break
		}
		reps := fanout.All(len(wave), func(i int) *Report { return stepDone(step(ctx, wave[i])) })
		stop := false
		for i, r := range reps {
			stop = !w.add(wave[i], r) && o.StopOnRefusal || stop
		}
		if stop {
			w.Summary.Skipped = append(w.Summary.Skipped, zones[min(start+size, len(zones)):]...)
			break
		}
	}
	return w
}

// unknown looks every zone up (known) and, when one is not known, hands
// on a report for each zone, started or changed nothing: that zone's
// error, and for the others that a zone named with them is not known;
// every zone could not run (exit 2). false when every zone is known.
func (w *WaveReport) unknown(command string, zones []string, known func(zone string) error) bool {
	errs := make([]error, len(zones))
	var first string
	for i, z := range zones {
		if errs[i] = known(z); errs[i] != nil && first == "" {
			first = z
		}
	}
	if first == "" {
		return false
	}
	for i, z := range zones {
		err := errs[i]
		if err == nil {
			err = fmt.Errorf("not started: zone %s, named in the same %s, is not one of the config's (its report says why); no zone of the list is started until every name is one", zone.CanonicalName(first), command)
		}
		w.add(z, SetupReport(z, command, err))
	}
	return true
}

// stepDone lets go of what a zone's step held for itself (the
// providers' listings of the zone, which a flip reads again right before
// the registrar change) once the step is done: the report keeps what its
// JSON and text say, and a run over thousands of zones does not hold
// every zone's records at both sides until the last one is done.
func stepDone(r *Report) *Report {
	if r != nil {
		r.listed = nil
	}
	return r
}

// add hands on zone z's report (emit) and counts it by its outcome;
// false when it was refused or could not run.
func (w *WaveReport) add(z string, r *Report) bool {
	w.emit(r)
	switch r.ExitCode() {
	case 0:
		w.Summary.Done = append(w.Summary.Done, z)
		return true
	case 1:
		w.Summary.Refused = append(w.Summary.Refused, z)
	default:
		w.Summary.Failed = append(w.Summary.Failed, z)
	}
	return false
}
