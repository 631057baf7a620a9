package github

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode"
)

// The runner's command parsing, ported from actions/runner
// (src/Runner.Common/ActionCommand.cs, TryParseV2 and TryParse;
// src/Runner.Worker/ActionCommandManager.cs, TryProcessCommand; the output
// of a step is read with StreamReader.ReadLine, which ends a line at \n,
// \r or \r\n). A line is a command when either parser accepts it.

// runnerCommands are the commands the runner registers (command
// extensions and stop-commands); names match without regard to case.
var runnerCommands = []string{"add-mask", "add-matcher", "add-path", "debug", "echo", "endgroup", "error", "group",
	"notice", "remove-matcher", "save-state", "set-env", "set-output", "stop-commands", "warning", "internal-set-repo-path"}

func registered(name string) bool {
	for _, c := range runnerCommands {
		if strings.EqualFold(c, name) {
			return true
		}
	}
	return false
}

// runnerLines splits output as StreamReader.ReadLine does.
func runnerLines(out string) []string {
	out = strings.ReplaceAll(out, "\r\n", "\n")
	return strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' })
}

// dotnetTrimStart is string.TrimStart(): Char.IsWhiteSpace (Zs, Zl, Zp,
// \t \n \v \f \r, U+0085, U+00A0).
func dotnetTrimStart(s string) string {
	return strings.TrimLeftFunc(s, func(r rune) bool {
		return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp) || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xa0
	})
}

// tryParseV2: "::name props::data" after TrimStart.
func tryParseV2(line string) (string, bool) {
	m := dotnetTrimStart(line)
	if !strings.HasPrefix(m, "::") {
		return "", false
	}
	end := strings.Index(m[2:], "::")
	if end < 0 {
		return "", false
	}
	info := m[2 : 2+end]
	name := info
	if i := strings.IndexByte(info, ' '); i >= 0 {
		name = info[:i]
	}
	return name, registered(name)
}

// tryParse: "##[name props]data" anywhere in the line.
func tryParse(line string) (string, bool) {
	i := strings.Index(line, "##[")
	if i < 0 {
		return "", false
	}
	rb := strings.IndexByte(line[i:], ']')
	if rb < 0 {
		return "", false
	}
	info := line[i+3 : i+rb]
	name := info
	if j := strings.IndexByte(info, ' '); j >= 0 {
		name = info[:j]
	}
	return name, registered(name)
}

// ignorable drops what a culture-aware (ICU) comparison may skip: control
// and format characters and combining marks. The runner compares with the
// current culture (string.StartsWith / IndexOf without StringComparison),
// so a command may hide behind them.
func ignorable(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\t' && (unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.M)) {
			return -1
		}
		return r
	}, s)
}

// runnerCommand reports whether the runner would take some line of out
// for a command (ordinal or culture-aware matching).
func runnerCommand(out string) (string, bool) {
	for _, l := range runnerLines(out) {
		for _, v := range []string{l, ignorable(l)} {
			if _, ok := tryParseV2(v); ok {
				return l, true
			}
			if _, ok := tryParse(v); ok {
				return l, true
			}
		}
	}
	return "", false
}

// TestRunnerParserPort: the port accepts what the runner's own tests
// accept (LoggingCommandL0 / ActionCommandL0).
func TestRunnerParserPort(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"::add-mask::x", true},
		{"   ::add-mask::x", true},
		{"\t::set-output name=a::b", true},
		{"\u00a0\u3000::error::x", true},
		{"::Add-Mask::x", true},
		{"::unknown::x", false},
		{"text ::add-mask::x", false},
		{"##[add-mask]x", true},
		{"prefix ##[set-output name=a;]b", true},
		{"##[do-something]x", false},
		{"#\u200b#[add-mask]x", true}, // culture-aware: the zero-width space is skipped
		{"\u200b::add-mask::x", true}, // likewise
		{"a\rb\n::add-mask::x", true}, // \r ends a line
		{"a\r::add-mask::x", true},    //
		{"::add-mask:x", false},       // no data separator
	} {
		if _, got := runnerCommand(c.in); got != c.ok {
			t.Errorf("runnerCommand(%q) = %v, want %v", c.in, got, c.ok)
		}
	}
}

// TestGuardAgainstRunnerParsing: whatever untrusted text goes through
// Guard, in whatever pieces it is written, the runner finds no command in
// it; text that is no command passes unchanged.
func TestGuardAgainstRunnerParsing(t *testing.T) {
	attacks := []string{
		"::add-mask::x",
		" ::add-mask::x",
		"\t\t::error file=x,line=1::forged",
		"\u00a0::warning::nbsp",
		"\u2003\u3000::notice::wide spaces",
		"\u2028::debug::line separator",
		"\v::add-mask::vertical tab",
		"\f::add-mask::form feed",
		"\u0085::add-mask::next line",
		"\u200b::add-mask::zero width space",
		"\ufeff::add-mask::bom",
		"\u0301::add-mask::combining mark",
		"\u200d\u200c::set-output name=result::ok",
		"::stop-commands::abc",
		"::STOP-COMMANDS::abc",
		"##[add-mask]x",
		"conflict: server holds ##[set-output name=result;]ok",
		"quoted \"##[error]forged\" in a TXT",
		"###[warning]three",
		"#\u200b#[add-mask]zero width between",
		"#\u0301#[add-mask]mark between",
		"##\u2060[add-mask]word joiner",
		"line one\r::add-mask::after a carriage return",
		"line one\r\n  ::add-mask::after crlf",
		"\x00::add-mask::nul",
		"\x1b::add-mask::escape",
	}
	for _, a := range attacks {
		if _, ok := runnerCommand(a); !ok {
			t.Errorf("the port does not take %q for a command: the attack tests nothing", a)
		}
		text := "dnsparity push: conflict at the server:\n" + a + "\nend\n"
		// Written whole, byte by byte, and in pieces of 3 (a character
		// split between writes).
		for _, size := range []int{len(text), 1, 3} {
			for name, guard := range map[string]func(io.Writer) io.Writer{"Guard": Guard, "GuardMarkdown": GuardMarkdown} {
				var b bytes.Buffer
				g := guard(&b)
				for i := 0; i < len(text); i += size {
					g.Write([]byte(text[i:min(i+size, len(text))]))
				}
				if l, ok := runnerCommand(b.String()); ok {
					t.Errorf("%s: %q (writes of %d): the runner takes %q for a command", name, a, size, l)
				}
			}
		}
	}
	for _, ok := range []string{
		"plan: ok\n",
		"example.com. 300 IN TXT \"v=spf1 include:_spf.example.com ~all\"\n",
		"fine ::notice:: inside a line\n",
		"dnsparity: 3 errors, 1 warning — ✓ 例え\n",
		"progress 10%\rprogress 20%\r",
		"# a comment ## two [not a command]\n",
		"\tindented text\n",
	} {
		var b bytes.Buffer
		Guard(&b).Write([]byte(ok))
		if b.String() != ok {
			t.Errorf("Guard changed %q into %q", ok, b.String())
		}
	}
}

// TestGuardMarkdownKeepsJoiners: GuardMarkdown leaves Markdown that
// dnsparity wrote as it is, the zero-width joiners that keep mentions,
// references and autolinks off included.
func TestGuardMarkdownKeepsJoiners(t *testing.T) {
	for _, ok := range []string{
		"| error | x.example. | TXT | rdata | ping @\u200doctocat #\u200d123 https:\u200d//evil.example |\n",
		"#### `new` · `example.com.`: 1 to create, 0 to replace, 0 to delete\n",
		"```diff\n-x. 300 IN TXT \"a\"\n+x. 300 IN TXT \"b\"\n```\n",
	} {
		var b bytes.Buffer
		GuardMarkdown(&b).Write([]byte(ok))
		if b.String() != ok {
			t.Errorf("GuardMarkdown changed %q into %q", ok, b.String())
		}
	}
}

// TestMaskEveryForm: a masked secret is masked in the log and redacted in
// text in each form it may take there (a token base64-encoded in an HTTP
// Basic header a server echoes, URL-encoded in a query, JSON-escaped in a
// report, HTML-escaped), not only as it is.
func TestMaskEveryForm(t *testing.T) {
	r, out := newRunner(t, nil)
	secret := "ghs_16C7e42F292c6912E7710c8/347Ae178B4a+x"
	r.Mask(secret)
	forms := map[string]string{
		"plain":  secret,
		"base64": "eC1hY2Nlc3MtdG9rZW46Z2hzXzE2QzdlNDJGMjkyYzY5MTJFNzcxMGM4LzM0N0FlMTc4QjRhK3g=", // x-access-token:SECRET
		"url":    "ghs_16C7e42F292c6912E7710c8%2F347Ae178B4a%2Bx",
		"json":   `ghs_16C7e42F292c6912E7710c8\/347Ae178B4a+x`,
	}
	for name, f := range forms {
		if got := r.Redact("said: " + f + "."); strings.Contains(got, f) || strings.Contains(got, "16C7e42F292c") {
			t.Errorf("%s form not redacted: %q", name, got)
		}
	}
	log := out.String()
	if !strings.Contains(log, "::add-mask::"+secret+"\n") || !strings.Contains(log, "::add-mask::ghs_16C7e42F292c6912E7710c8%252F347Ae178B4a%252Bx\n") {
		t.Errorf("log masks:\n%s", log)
	}
}
