package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// TestCutoverWaveOptions: how several zones run. A step that changes
// something (flip, rollback, finish) goes in waves of --wave, else
// policy.wave, else 1; one that only reads (status, and flip and rollback
// --dry-run) keeps that many zones at once (default 8, as status), the
// next starting as one ends (Window), but a dry run with
// --stop-on-refusal keeps the waves it is the dry run of: they say which
// zones a refusal leaves out. Every step but status checks each name
// against the config before any zone starts (CheckNames).
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
		{"flip --dry-run", noPolicy, cutover.WaveOptions{Size: 8, Window: true, CheckNames: true}},
		{"flip --dry-run", policy4, cutover.WaveOptions{Size: 4, Window: true, CheckNames: true}},
		{"flip --dry-run --wave 2", noPolicy, cutover.WaveOptions{Size: 2, Window: true, CheckNames: true}},
		{"flip --dry-run --stop-on-refusal", noPolicy, cutover.WaveOptions{Size: 1, StopOnRefusal: true, CheckNames: true}},
		{"flip --dry-run --stop-on-refusal", policy4, cutover.WaveOptions{Size: 4, StopOnRefusal: true, CheckNames: true}},
		{"rollback --dry-run", noPolicy, cutover.WaveOptions{Size: 8, Window: true, CheckNames: true}},
		{"flip", noPolicy, cutover.WaveOptions{Size: 1, CheckNames: true}},
		{"flip", policy4, cutover.WaveOptions{Size: 4, CheckNames: true}},
		{"flip --wave 2 --stop-on-refusal", noPolicy, cutover.WaveOptions{Size: 2, StopOnRefusal: true, CheckNames: true}},
		{"rollback", noPolicy, cutover.WaveOptions{Size: 1, CheckNames: true}},
		{"finish", noPolicy, cutover.WaveOptions{Size: 1, CheckNames: true}},
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

// TestStatusStreamsReports: status over several zones writes each zone's
// report as soon as the zones before it are done, not every report once
// the last zone is: a run over 1,000 zones held them all (peak RSS 249.4
// MiB). One zone at a time (--wave 1), stdout and stderr in one log: each
// zone's report is on stdout before the next zone's step says anything
// on stderr (here: a zone the config lacks, which needs no server). The
// JSON stays {"reports", "summary", "exit"}. On the code before, every
// zone's stderr line came first, then the whole report.
func TestStatusStreamsReports(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfg, []byte("zones:\n  - name: example.com.\n    file: example.com.zone\nproviders:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const zones = 5
	args := []string{"status", "--config", cfg, "--wave", "1"}
	for i := range zones {
		args = append(args, "--zone", fmt.Sprintf("z%d.test.", i))
	}
	for _, tc := range []struct {
		format   string
		terminal bool // the binary's own stdout: a JSON report was held whole, to redact it
	}{{"json", false}, {"text", false}, {"json", true}, {"text", true}} {
		format := tc.format
		var log bytes.Buffer
		a := &app{stdout: &log, stderr: &log, getenv: func(string) string { return "" }}
		if tc.terminal {
			a = terminalApp(&log, &log, func(string) string { return "" }, nil)
			format += " (terminal)"
		}
		code := a.main(context.Background(), append(args, "--format", tc.format))
		out := log.String()
		if code != exitError {
			t.Errorf("%s: exit %d, want 2 (no zone could run):\n%s", format, code, out)
		}
		for i := 1; i < zones; i++ {
			report := strings.Index(out, fmt.Sprintf(`"zone": "z%d.test."`, i-1))
			if tc.format == "text" {
				report = strings.Index(out, fmt.Sprintf("status z%d.test.: error", i-1))
			}
			next := strings.Index(out, fmt.Sprintf("dnsparity status: z%d.test.:", i))
			if report < 0 || next < 0 || report > next {
				t.Errorf("%s: zone z%d's report (at %d) is not written before zone z%d's step (at %d):\n%s", format, i-1, report, i, next, out)
				break
			}
		}
	}
	var stdout bytes.Buffer
	a := &app{stdout: &stdout, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	a.main(context.Background(), append(args, "--format", "json"))
	var w struct {
		cutover.WaveReport
		Exit int `json:"exit"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &w); err != nil || len(w.Reports) != zones || len(w.Summary.Failed) != zones || w.Exit != 2 {
		t.Errorf("JSON: %v, %d reports, summary %+v, exit %d:\n%s", err, len(w.Reports), w.Summary, w.Exit, stdout.String())
	}
}

// TestStreamedReportsRedactLaterSecrets: a step over several zones
// writes each zone's report as it comes (StreamWaves), but the run's
// secrets are learned as the steps read them: a zone whose setup fails
// before its providers' secrets are read (its file does not parse) comes
// first, its report quoting the line that holds a secret (a TSIG secret
// pasted into a TXT record), and the next zone's setup reads that secret.
// Held whole until the end, the report was redacted with every secret
// the run read; streamed (text, JSON: d7621701, c6fb6151), the first
// zone's report was written before the secret was known, and so was its
// line on stderr: the secret's head was printed. The secrets the
// config's variables hold are read before any zone's step.
func TestStreamedReportsRedactLaterSecrets(t *testing.T) {
	const secret = "c2VjcmV0LXRzaWcta2V5LWZvci1yZXZpZXcxMC0wMTIzNDU2Nzg5"
	dir := t.TempDir()
	for name, text := range map[string]string{
		"dnsparity.yaml": "zones:\n  - name: a.test.\n    file: a.zone\n  - name: b.test.\n    file: b.zone\nproviders:\n" +
			"  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: ['127.0.0.1:1']\n    tsig: {name: k., algorithm: hmac-sha256, secret_env: REVIEW10_TSIG}\n" +
			"  new:\n    type: rfc2136\n    server: 127.0.0.1:2\n    nameservers: ['127.0.0.1:2']\n    tsig: {name: k., algorithm: hmac-sha256, secret_env: REVIEW10_TSIG}\n",
		"a.zone": "$ORIGIN a.test.\n$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\nkey TXT \"" + secret + "\"\nbad A " + secret + "\n",
		"b.zone": "$ORIGIN b.test.\n$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	getenv := func(k string) string {
		if k == "REVIEW10_TSIG" {
			return secret
		}
		return ""
	}
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			a := terminalApp(&stdout, &stderr, getenv, nil)
			code := a.main(context.Background(), []string{"status", "--config", filepath.Join(dir, "dnsparity.yaml"), "--zone", "a.test.", "--zone", "b.test.", "--wave", "1", "--format", format})
			out := stdout.String() + stderr.String()
			if !strings.Contains(out, "a.test.") {
				t.Fatalf("exit %d, no report of a.test.:\n%s", code, out)
			}
			// Its head too: a zone file's token is quoted by its first
			// redact.TokenHead characters, which the run masks once it
			// knows the secret (redact.MinCut).
			if strings.Contains(out, secret[:redact.TokenHead]) {
				t.Errorf("exit %d: the secret is in the output:\n%s", code, out)
			}
		})
	}
}

// TestCutoverWaveTypoStartsNothing: a flip, rollback or finish over
// several zones, one of them a typo (not under zones:), starts no zone:
// a.test.'s report says the typo stopped it (on the code before, its
// step ran, here reading its zone file, and at a real config flipped it
// before the typo was reported). status reports a.test. on its own.
func TestCutoverWaveTypoStartsNothing(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfg, []byte("zones:\n  - name: a.test.\n    file: a.zone\nproviders:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"flip"}, {"flip", "--dry-run"}, {"rollback"}, {"finish"}, {"status"}} {
		var stdout, stderr bytes.Buffer
		a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
		code := a.main(context.Background(), append(args, "--config", cfg, "--zone", "a.test.", "--zone", "Typo.test", "--format", "json"))
		var w cutover.WaveReport
		if err := json.Unmarshal(stdout.Bytes(), &w); err != nil || code != exitError || len(w.Reports) != 2 {
			t.Fatalf("%v: exit %d, %v:\n%s\n%s", args, code, err, stdout.String(), stderr.String())
		}
		stopped := strings.Contains(strings.Join(w.Reports[0].Errors, "\n"), "not started: zone typo.test., named in the same "+args[0])
		if stopped != (args[0] != "status") || !strings.Contains(strings.Join(w.Reports[1].Errors, "\n"), "zone typo.test. is not under zones:") {
			t.Errorf("%v: reports %+v, %+v", args, w.Reports[0].Errors, w.Reports[1].Errors)
		}
	}
}
