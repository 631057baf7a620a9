package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
)

// TestCutoverWaveOptions: how several zones run. A step that changes
// something (flip, rollback, finish) goes in waves of --wave, else
// policy.wave, else 1; one that only reads (status, and flip and rollback
// --dry-run) keeps that many zones at once (default 8, as status), the
// next starting as one ends (Window), but a dry run with
// --stop-on-refusal keeps the waves it is the dry run of: they say which
// zones a refusal leaves out.
func TestCutoverWaveOptions(t *testing.T) {
	noPolicy, policy4 := &config.Config{}, &config.Config{}
	policy4.Policy.Wave = 4
	for _, tc := range []struct {
		args string
		cfg  *config.Config
		want cutover.WaveOptions
	}{
		{"status", noPolicy, cutover.WaveOptions{Size: 8, Window: true}},
		{"status --wave 3", noPolicy, cutover.WaveOptions{Size: 3, Window: true}},
		{"status", policy4, cutover.WaveOptions{Size: 4, Window: true}},
		{"flip --dry-run", noPolicy, cutover.WaveOptions{Size: 8, Window: true}},
		{"flip --dry-run", policy4, cutover.WaveOptions{Size: 4, Window: true}},
		{"flip --dry-run --wave 2", noPolicy, cutover.WaveOptions{Size: 2, Window: true}},
		{"flip --dry-run --stop-on-refusal", noPolicy, cutover.WaveOptions{Size: 1, StopOnRefusal: true}},
		{"flip --dry-run --stop-on-refusal", policy4, cutover.WaveOptions{Size: 4, StopOnRefusal: true}},
		{"rollback --dry-run", noPolicy, cutover.WaveOptions{Size: 8, Window: true}},
		{"flip", noPolicy, cutover.WaveOptions{Size: 1}},
		{"flip", policy4, cutover.WaveOptions{Size: 4}},
		{"flip --wave 2 --stop-on-refusal", noPolicy, cutover.WaveOptions{Size: 2, StopOnRefusal: true}},
		{"rollback", noPolicy, cutover.WaveOptions{Size: 1}},
		{"finish", noPolicy, cutover.WaveOptions{Size: 1}},
	} {
		var errs bytes.Buffer
		a := &app{stdout: &bytes.Buffer{}, stderr: &errs, getenv: func(string) string { return "" }}
		fields := strings.Fields(tc.args)
		f, code, ok := a.parseCutover(fields[0], append(fields[1:], "--zone", "a.test", "--zone", "b.test"))
		if !ok {
			t.Fatalf("%s: exit %d: %s", tc.args, code, errs.String())
		}
		if got := f.waveOptions(fields[0], tc.cfg); got != tc.want {
			t.Errorf("%s (policy.wave %d): %+v, want %+v", tc.args, tc.cfg.Policy.Wave, got, tc.want)
		}
	}
}
