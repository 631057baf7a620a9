package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

func TestHelpAndUnknownCommand(t *testing.T) {
	tests := []struct {
		args      []string
		code      int
		out, errs string // substrings of stdout and stderr
	}{
		{[]string{"help"}, exitOK, "Commands:", ""},
		{[]string{"--help"}, exitOK, "parity", ""},
		{nil, exitError, "", "Usage: dnsparity COMMAND"},
		{[]string{"help", "parity"}, exitOK, "Usage: dnsparity parity", ""},
		{[]string{"push", "-h"}, exitOK, "--dry-run", ""},
		// the providers push takes without --provider: old and new, not
		// every provider (the registrar's parent is never pushed unless named)
		{[]string{"plan", "-h"}, exitOK, "(repeatable; default: old and new;", ""},
		{[]string{"frobnicate"}, exitError, "", `unknown command "frobnicate"` + "\n"},
		{[]string{"chek"}, exitError, "", `unknown command "chek" (did you mean check?)`},
		{[]string{"rollbak", "--zone", "example.com."}, exitError, "", `unknown command "rollbak" (did you mean rollback?)`},
		{[]string{"flip"}, exitError, "", "--zone NAME is required"},
		{[]string{"check", "--no-such-flag"}, exitError, "", "flag provided but not defined"},
		// A bad flag: its error, the usage line, where the help is; not
		// the whole help, which scrolled the error away.
		{[]string{"check", "--bogus"}, exitError, "", "flag provided but not defined: --bogus\nUsage: dnsparity check [--origin NAME]"},
		// A format spelt as a flag of its own, as other tools take it:
		// the --format value meant; ttl writes no markdown.
		{[]string{"check", "--json"}, exitError, "", "flag provided but not defined: --json (did you mean --format json?)\nUsage: dnsparity check "},
		{[]string{"status", "-markdown"}, exitError, "", "flag provided but not defined: --markdown (did you mean --format markdown?)\n"},
		{[]string{"ttl", "--jsn"}, exitError, "", "flag provided but not defined: --jsn (did you mean --format json?)\n"},
		{[]string{"ttl", "--markdown"}, exitError, "", "flag provided but not defined: --markdown\nUsage: dnsparity ttl "},
		{[]string{"import", "--output", "z.zone"}, exitError, "", "flag provided but not defined: --output (did you mean -o?)\n"},
		{[]string{"parity", "--format", "yaml"}, exitError, "", "invalid value \"yaml\" for flag --format: must be text, json or markdown\nUsage: dnsparity parity [--zone NAME | --file FILE] --old ADDR[:PORT] --new ADDR[:PORT] [flags]\nRun 'dnsparity parity -h' for its flags and help.\n"},
		{[]string{"version"}, exitOK, "dnsparity ", ""},
		// A flag before the command (as some tools take global flags):
		// said so, with the command line to run, not "unknown command
		// "--config"" and the whole help.
		{[]string{"--config", "x.yaml", "plan", "--zone", "a.test."}, exitError, "", "dnsparity: flags come after the command: dnsparity plan --config x.yaml --zone a.test.\n"},
		{[]string{"-zone=a.test.", "status"}, exitError, "", "dnsparity: flags come after the command: dnsparity status -zone=a.test.\n"},
		// ... quoted as a POSIX shell reads it, to paste as printed.
		{[]string{"--config", "my zones/x $HOME.yaml", "check", "it's.zone", ""}, exitError, "", `dnsparity: flags come after the command: dnsparity check --config 'my zones/x $HOME.yaml' 'it'\''s.zone' ''` + "\n"},
		// A value the flag package cannot read says what the flag wants,
		// not "parse error" alone.
		{[]string{"flip", "--zone", "a.test.", "--watch", "5"}, exitError, "", "invalid value \"5\" for flag --watch: parse error: want a duration such as 90s, 5m or 1h30m\nUsage: dnsparity flip "},
		{[]string{"push", "--dry-run=flase"}, exitError, "", "invalid boolean value \"flase\" for --dry-run: parse error: want true or false\n"},
		{[]string{"matrix", "--shards=abc"}, exitError, "", "invalid value \"abc\" for flag --shards: parse error: want a whole number\n"},
		{[]string{"--zone", "a.test."}, exitError, "", "dnsparity: --zone is a flag, and no command is given: dnsparity COMMAND [flags] (dnsparity --help lists the commands)\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errs bytes.Buffer
			a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
			if code := a.main(context.Background(), tt.args); code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out.String(), errs.String())
			}
			if !strings.Contains(out.String(), tt.out) || !strings.Contains(errs.String(), tt.errs) {
				t.Errorf("stdout %q / stderr %q lack %q / %q", out.String(), errs.String(), tt.out, tt.errs)
			}
		})
	}
	// Every command in the table explains itself.
	for _, c := range commands() {
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		if code := a.main(context.Background(), []string{c.name, "-h"}); code != exitOK {
			t.Errorf("%s -h: exit %d", c.name, code)
		}
		if c.name != "version" && !strings.Contains(out.String(), "Usage: dnsparity "+c.name) {
			t.Errorf("%s -h prints no usage: %q", c.name, out.String())
		}
	}
}

// TestBadFlagShort: a bad flag prints its error, the command's usage line
// and where the help is, not the whole help after the error (a user's
// screen showed the help's last 50 lines and no error); -h still prints
// all of it.
func TestBadFlagShort(t *testing.T) {
	for _, c := range commands() {
		if c.name == "action" || c.name == "version" {
			continue
		}
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		if code := a.main(context.Background(), []string{c.name, "--no-such-flag"}); code != exitError {
			t.Errorf("%s --no-such-flag: exit %d, want %d", c.name, code, exitError)
		}
		want := "flag provided but not defined: --no-such-flag\nUsage: dnsparity " + c.name + " "
		if got := errs.String(); !strings.HasPrefix(got, want) || strings.Contains(got, "Flags:") || !strings.Contains(got, "\nRun 'dnsparity "+c.name+" -h' for its flags and help.\n") {
			t.Errorf("%s --no-such-flag printed:\n%s", c.name, got)
		}
	}
}

// TestNoConfigSaysWhere: a command that needs dnsparity.yaml, run where
// there is none, says where it looked and what to do, the same way for
// every command (it said "no dnsparity.yaml found (use --config)", or
// "... from the current directory up ...", depending on the command).
func TestNoConfigSaysWhere(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, args := range [][]string{{"plan"}, {"push"}, {"import", "--provider", "old", "--zone", "x."}, {"status", "--zone", "x."}, {"flip", "--zone", "x."}, {"matrix"}} {
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		if code := a.main(context.Background(), args); code != exitError {
			t.Errorf("%v: exit %d, want %d", args, code, exitError)
		}
		want := "no dnsparity.yaml in " + dir + " or a folder above it (up to the repository's root): run dnsparity in the repository that holds it, or give its path with --config FILE"
		if !strings.Contains(errs.String(), want) {
			t.Errorf("%v: stderr %q\nlacks %q", args, errs.String(), want)
		}
	}
}

// TestCutoverHelpFlagsExist: the help the cutover commands share names
// --stop-on-refusal for the commands that have it, not for status, which
// has no such flag (a user who tried it got "flag provided but not
// defined").
func TestCutoverHelpFlagsExist(t *testing.T) {
	var out, errs bytes.Buffer
	a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
	a.main(context.Background(), []string{"status", "-h"})
	help := strings.Join(strings.Fields(out.String()), " ")
	if !strings.Contains(help, "--stop-on-refusal (flip, rollback, finish)") {
		t.Errorf("status -h names --stop-on-refusal as if status had it:\n%s", out.String())
	}
	errs.Reset()
	if code := a.main(context.Background(), []string{"status", "--zone", "x.", "--stop-on-refusal"}); code != exitError {
		t.Errorf("status --stop-on-refusal: exit %d (the help says status has no such flag)", code)
	}
}

// TestUsageNamesEveryFlag: the usage line a command prints after a bad
// flag (parseFlags keeps only that line) names every flag the command
// has, or ends in "[flags]" and leaves them to -h. A user who mistyped a
// flag of plan or push read a line without --config, --shard or
// --if-up, the flags a matrix's shard job and an emergency sync need. A
// flag whose help begins "deprecated" is left out (push --old-if-up).
func TestUsageNamesEveryFlag(t *testing.T) {
	flagLine := regexp.MustCompile(`(?m)^  --?([a-z-]+)[^\n]*\n\s*(\S*)`)
	for _, c := range commands() {
		if c.name == "version" || c.name == "action" { // no flags
			continue
		}
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		a.main(context.Background(), []string{c.name, "--no-such-flag"})
		usage := ""
		for _, l := range strings.Split(errs.String(), "\n") {
			if strings.HasPrefix(l, "Usage: dnsparity "+c.name) {
				usage = l
			}
		}
		if usage == "" {
			t.Errorf("%s --no-such-flag: no usage line in %q", c.name, errs.String())
			continue
		}
		if strings.HasSuffix(usage, " [flags]") {
			continue
		}
		a.main(context.Background(), []string{c.name, "-h"})
		for _, m := range flagLine.FindAllStringSubmatch(out.String(), -1) {
			if strings.HasPrefix(m[2], "deprecated") {
				continue
			}
			name := "--" + m[1]
			if len(m[1]) == 1 {
				name = "-" + m[1]
			}
			if !regexp.MustCompile(regexp.QuoteMeta(name) + `\b([^-]|$)`).MatchString(usage) {
				t.Errorf("%s: the usage line does not name %s: %s", c.name, name, usage)
			}
		}
	}
}

// TestHelpOnStdout: help asked for (-h, --help, -help, help COMMAND) is
// the command's output: on stdout, exit 0, nothing on stderr, so that
// `dnsparity plan -h | grep force` finds the flag (the subcommands'
// help went to stderr while dnsparity --help went to stdout). A usage
// error stays on stderr with exit 2, stdout empty. Every command, on
// an in-process app and on the terminal's (terminalApp: redacted).
func TestHelpOnStdout(t *testing.T) {
	t.Chdir(t.TempDir()) // no dnsparity.yaml above: nothing to read
	apps := map[string]func(out, errs *bytes.Buffer) *app{
		"in-process": func(out, errs *bytes.Buffer) *app {
			return &app{stdout: out, stderr: errs, getenv: func(string) string { return "" }}
		},
		"terminal": func(out, errs *bytes.Buffer) *app {
			return terminalApp(out, errs, func(string) string { return "" }, func() []string { return nil })
		},
	}
	for kind, newApp := range apps {
		for _, c := range commands() {
			for _, args := range [][]string{{c.name, "-h"}, {c.name, "--help"}, {c.name, "-help"}, {"help", c.name}} {
				t.Run(kind+" "+strings.Join(args, " "), func(t *testing.T) {
					var out, errs bytes.Buffer
					if code := newApp(&out, &errs).main(context.Background(), args); code != exitOK {
						t.Errorf("exit %d, want %d", code, exitOK)
					}
					if !strings.HasPrefix(out.String(), "Usage: dnsparity "+c.name) || errs.Len() > 0 {
						t.Errorf("stdout %q\nstderr %q\nwant the help on stdout, stderr empty", out.String(), errs.String())
					}
				})
			}
			t.Run(kind+" "+c.name+" usage error", func(t *testing.T) {
				var out, errs bytes.Buffer
				if code := newApp(&out, &errs).main(context.Background(), []string{c.name, "--no-such-flag"}); code != exitError {
					t.Errorf("exit %d, want %d", code, exitError)
				}
				if out.Len() > 0 || !strings.Contains(errs.String(), "-no-such-flag") {
					t.Errorf("stdout %q\nstderr %q\nwant the error on stderr, stdout empty", out.String(), errs.String())
				}
			})
		}
		t.Run(kind+" no command", func(t *testing.T) {
			var out, errs bytes.Buffer
			if code := newApp(&out, &errs).main(context.Background(), nil); code != exitError {
				t.Errorf("exit %d, want %d", code, exitError)
			}
			if out.Len() > 0 || !strings.Contains(errs.String(), "Usage: dnsparity COMMAND") {
				t.Errorf("stdout %q\nstderr %q\nwant the usage on stderr (not asked for: exit 2)", out.String(), errs.String())
			}
		})
	}
}
