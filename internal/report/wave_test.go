package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// TestWaveTextSaysWhyAndWhen: the summary of a step over several zones
// names, for each zone, its result, what refused it and its next step
// with its time: over a wave of many zones, "refused: a. b. c." alone
// sent the user back through every zone's report to learn why and when.
// On the code before, only the zone names were listed.
func TestWaveTextSaysWhyAndWhen(t *testing.T) {
	at := time.Date(2026, 12, 7, 2, 49, 30, 0, time.UTC)
	refused := func(zone string) *cutover.Report {
		return &cutover.Report{Zone: zone, Command: "flip", Result: cutover.ResultRefused, DryRun: true,
			Gates: []cutover.Gate{{Name: "parity", OK: true}, {Name: "ttl-expired", OK: false}},
			Next:  []cutover.Next{{Step: "flip", Earliest: at}}}
	}
	r := &cutover.WaveReport{
		Reports: []*cutover.Report{refused("a.test."), refused("b.test."),
			{Zone: "c.test.", Command: "flip", Result: cutover.ResultDone, DryRun: true}},
		Summary: cutover.Summary{Command: "flip", Zones: 3, Wave: 2, Done: []string{"c.test."}, Refused: []string{"a.test.", "b.test."}},
	}
	var b bytes.Buffer
	WriteWaveText(&b, r)
	out := b.String()
	summary := out[strings.Index(out, "flip: 3 zones in waves of 2"):]
	for _, want := range []string{
		"  a.test.: refused: unmet gates ttl-expired; next: flip not before 2026-12-07T02:49:30Z\n",
		"  b.test.: refused: unmet gates ttl-expired; next: flip not before 2026-12-07T02:49:30Z\n",
		"  c.test.: " + cutover.ResultDone + "\n",
		"  refused: a.test. b.test.\n",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
}

// TestWaveJSONAsOneDocument: the wave's JSON written zone by zone
// (WaveWriter) is, byte for byte, the document the whole report encodes
// to ({"reports", "summary", "exit"}, as it was written before it was
// streamed), with no zone, one, and several.
func TestWaveJSONAsOneDocument(t *testing.T) {
	rep := func(zone, result string) *cutover.Report {
		return &cutover.Report{Zone: zone, Command: "status", Result: result, Warnings: []string{"<a & b>"},
			Gates: []cutover.Gate{{Name: "parity", OK: result == cutover.ResultObserved}}}
	}
	for _, reps := range [][]*cutover.Report{
		{},
		{rep("a.test.", cutover.ResultObserved)},
		{rep("a.test.", cutover.ResultObserved), rep("b.test.", cutover.ResultError), rep("c.test.", cutover.ResultRefused)},
	} {
		r := &cutover.WaveReport{Reports: reps, Summary: cutover.Summary{Command: "status", Zones: len(reps), Wave: 8, Done: []string{}, Refused: []string{}, Failed: []string{"b.test."}, Skipped: []string{}}}
		var want, got bytes.Buffer
		if err := writeIndented(&want, struct {
			*cutover.WaveReport
			Exit int `json:"exit"`
		}{r, r.ExitCode()}); err != nil {
			t.Fatal(err)
		}
		if err := WriteWaveJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d reports: streamed\n%s\nwant\n%s", len(reps), got.String(), want.String())
		}
	}
}

// TestWaveJSONRedactedValueByValue: a wave's JSON written as it comes is
// redacted value by value (WaveWriter.Redact: each zone's report and the
// summary, a JSON text each, only its strings changed), the binary's way
// now that it no longer holds the whole report to redact it at the end:
// a secret in a report's text is masked and the document stays valid.
func TestWaveJSONRedactedValueByValue(t *testing.T) {
	const secret = "s3cr3t-api-key-for-the-wave"
	var sec redact.Secrets
	sec.Add(secret)
	reps := []*cutover.Report{
		{Zone: "a.test.", Command: "status", Result: cutover.ResultError, Errors: []string{"GET https://api.example/" + secret + ": refused"}},
		{Zone: "b.test.", Command: "status", Result: cutover.ResultObserved, Warnings: []string{"key " + secret}},
	}
	r := &cutover.WaveReport{Summary: cutover.Summary{Command: "status", Zones: 2, Wave: 8, Done: []string{"b.test."}, Refused: []string{}, Failed: []string{"a.test."}, Skipped: []string{}}}
	var b bytes.Buffer
	ww := NewWaveWriter(&b, "json")
	ww.Redact = sec.ReplaceBytes
	for _, rep := range reps {
		ww.Add(rep)
	}
	if err := ww.End(r); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Reports []cutover.Report `json:"reports"`
		Exit    int              `json:"exit"`
	}
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back.Reports) != 2 || back.Exit != 2 {
		t.Fatalf("not the document: %v (%d reports, exit %d):\n%s", err, len(back.Reports), back.Exit, b.String())
	}
	if strings.Contains(b.String(), secret) || len(back.Reports[0].Errors) != 1 || !strings.Contains(back.Reports[0].Errors[0], "https://api.example/") {
		t.Errorf("the secret is not masked, or more than it:\n%s", b.String())
	}
}
