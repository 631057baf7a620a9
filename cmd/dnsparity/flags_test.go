package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
)

// TestBadCommandLineJSON: a command line that does not parse (an unknown
// flag before or after --format json, a stray argument) is exit 2 with
// the command's JSON report carrying "error", on stdout alone.
func TestBadCommandLineJSON(t *testing.T) {
	for _, cmd := range []string{"check", "plan", "push", "parity"} {
		for _, args := range [][]string{
			{"--no-such-flag", "--format", "json"},
			{"--format=json", "--no-such-flag"},
			{"-format", "json", "--retries", "x"},
		} {
			t.Run(cmd+" "+strings.Join(args, " "), func(t *testing.T) {
				var out, errs bytes.Buffer
				a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
				if code := a.main(context.Background(), append([]string{cmd}, args...)); code != exitError {
					t.Errorf("exit %d, want %d", code, exitError)
				}
				var doc struct {
					Error *string `json:"error"`
				}
				if err := json.Unmarshal(out.Bytes(), &doc); err != nil || doc.Error == nil || !strings.Contains(*doc.Error, "bad command line") {
					t.Errorf("stdout is not a JSON report with the error (%v):\n%s", err, out.String())
				}
			})
		}
	}
	// plan and push take no arguments.
	for _, cmd := range []string{"plan", "push"} {
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		if code := a.main(context.Background(), []string{cmd, "--format", "json", "stray"}); code != exitError {
			t.Errorf("%s stray: exit %d", cmd, code)
		}
		if !strings.Contains(out.String(), `"error": "unexpected argument \"stray\""`) {
			t.Errorf("%s stray: stdout %s", cmd, out.String())
		}
	}
}

func TestFormatIn(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want formatFlag
	}{
		{nil, "text"},
		{[]string{"--format", "json"}, "json"},
		{[]string{"-format=markdown", "--x"}, "markdown"},
		{[]string{"--format", "json", "--format", "yaml"}, "json"}, // the last valid one
		{[]string{"--format"}, "text"},
		{[]string{"--", "--format", "json"}, "text"},
		{[]string{"zones/--format", "json"}, "text"},
	} {
		if got := formatIn(tc.args); got != tc.want {
			t.Errorf("formatIn(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestGiven: a flag's value counts only when the flag was on the command
// line, its default value included (--retries 2 is given, no --retries is
// not).
func TestGiven(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"--retries", "2"}, true},
		{[]string{"--retries=5"}, true},
		{[]string{"--rate", "3"}, false},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		retries := fs.Int("retries", 2, "")
		fs.Float64("rate", 0, "")
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if got := given(fs, "retries", retries); (got != nil) != tc.want || got != nil && got != retries {
			t.Errorf("%v: given = %v, want set %v", tc.args, got, tc.want)
		}
	}
}

// TestUnknownFlagDidYouMean: a misspelt flag names the flag it was likely
// meant to be, on the error's line; one far from every flag does not.
func TestUnknownFlagDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "--provder", "old"}, "flag provided but not defined: --provder (did you mean --provider?)\n"},
		{[]string{"flip", "--dryrun", "--zone", "example.test."}, "flag provided but not defined: --dryrun (did you mean --dry-run?)\n"},
		{[]string{"parity", "-zoen", "example.test."}, "flag provided but not defined: --zoen (did you mean --zone?)\n"},
		{[]string{"check", "--no-such-flag"}, "flag provided but not defined: --no-such-flag\n"},
	} {
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		if code := a.main(context.Background(), tc.args); code != exitError {
			t.Errorf("%v: exit %d, want %d", tc.args, code, exitError)
		}
		if !strings.HasPrefix(errs.String(), tc.want) {
			t.Errorf("%v: stderr\n%s\nwant it to begin %q", tc.args, errs.String(), tc.want)
		}
	}
}

// TestFormatTextOrJSON: ttl and merge write text or JSON (their help and
// the README say --format text|json); --format markdown is a bad flag
// (exit 2, saying which formats there are), as for demo: both took it
// and printed text, exit 0.
func TestFormatTextOrJSON(t *testing.T) {
	for _, args := range [][]string{
		{"ttl", "--cap", "300", "--dry-run", "--format", "markdown", "nothing.zone"},
		{"merge", "--format", "markdown", "--expect", "1"},
		{"demo", "--format", "markdown"},
	} {
		var stdout, stderr bytes.Buffer
		a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
		code := a.main(context.Background(), args)
		if code != exitError || !strings.Contains(stderr.String(), "text or json") {
			t.Errorf("%v: exit %d, want 2 naming text or json\n%s%s", args, code, stdout.String(), stderr.String())
		}
	}
}

// TestStrayArgument: an argument where a command takes none is exit 2 for
// every such command (version printed and passed), and says what it was
// likely meant as: a zone name given as --zone, a zone file as --file
// (parity) or none at all (the config's zones), and that the flags
// written after it were not read (Go's flag package stops at the first
// argument).
func TestStrayArgument(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.MkdirAll("zones", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("zones/example.test.zone", []byte("$TTL 300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("zones/my example.zone", []byte("$TTL 300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const after = "; the flags after it were not read: write them before it"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"version", "stray"}, `dnsparity version: unexpected argument "stray"` + "\n"},
		{[]string{"status", "example.test."}, `dnsparity status: unexpected argument "example.test." (a zone is given as --zone example.test.)` + "\n"},
		{[]string{"flip", "--dry-run", "example.test", "--zone", "example.test"}, `dnsparity flip: unexpected argument "example.test" (a zone is given as --zone example.test` + after + ")\n"},
		{[]string{"plan", "example.test."}, `dnsparity plan: unexpected argument "example.test." (a zone is given as --zone example.test.)` + "\n"},
		{[]string{"push", "zones/example.test.zone", "--provider", "old"}, `dnsparity push: unexpected argument "zones/example.test.zone" (push takes no PATH: its zones are dnsparity.yaml's, picked with --zone NAME` + after + ")\n"},
		{[]string{"parity", "zones/example.test.zone"}, `dnsparity parity: unexpected argument "zones/example.test.zone" (a zone file is given as --file zones/example.test.zone)` + "\n"},
		{[]string{"import", "example.test.", "--provider", "old"}, `dnsparity import: unexpected argument "example.test." (a zone is given as --zone example.test.` + after + ")\n"},
		// Quoted to paste as printed (internal/shell).
		{[]string{"status", "it's.test."}, `dnsparity status: unexpected argument "it's.test." (a zone is given as --zone 'it'\''s.test.')` + "\n"},
		{[]string{"parity", "zones/my example.zone"}, `dnsparity parity: unexpected argument "zones/my example.zone" (a zone file is given as --file 'zones/my example.zone')` + "\n"},
		{[]string{"matrix", "stray", "--shards", "2"}, `dnsparity matrix: unexpected argument "stray" (the flags after it were not read: write them before it)` + "\n"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var out, errs bytes.Buffer
			a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
			if code := a.main(context.Background(), c.args); code != exitError {
				t.Errorf("exit %d, want %d", code, exitError)
			}
			if !strings.Contains(errs.String(), c.want) {
				t.Errorf("stderr %q\nwant %q", errs.String(), c.want)
			}
			if c.args[0] == "version" && out.Len() > 0 {
				t.Errorf("stdout %q: nothing is printed on a bad command line", out.String())
			}
		})
	}
}

// TestFormatValueSuggests: a --format value a case or a typo away ("JSON",
// "jsn", "md") says the format it was likely meant as, as a misspelt flag
// name does; the list of formats alone was said.
func TestFormatValueSuggests(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--format", "JSON"}, `invalid value "JSON" for flag --format: must be text, json or markdown (did you mean json?)`},
		{[]string{"parity", "--format=jsn"}, `must be text, json or markdown (did you mean json?)`},
		{[]string{"plan", "--format", "md"}, `must be text, json or markdown (did you mean markdown?)`},
		{[]string{"check", "--format", "yaml"}, "must be text, json or markdown\n"},
		{[]string{"ttl", "--format", "Text"}, `must be text or json (did you mean text?)`},
		{[]string{"ttl", "--format", "markdown"}, "must be text or json\n"},
	} {
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		if code := a.main(context.Background(), c.args); code != exitError || !strings.Contains(errs.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q\nwant 2 and %q", c.args, code, errs.String(), c.want)
		}
	}
}
