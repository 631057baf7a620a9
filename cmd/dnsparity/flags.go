package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/suggest"
)

// newFlags makes a FlagSet whose usage names the command and explains it.
func (a *app) newFlags(name, synopsis, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dnsparity %s %s\n\n%s\n\nFlags:\n", name, synopsis, strings.TrimSpace(help))
		cli.PrintDefaults(fs)
	}
	return fs
}

// parseFlags parses args; it returns the exit code to use when parsing
// stopped (help: 0, bad flags: 2) and ok=false. -h prints the whole help,
// on stdout (help asked for is the output, to page or grep: `plan -h |
// grep force`); a bad flag, on stderr, only its error, the usage line
// and where the help is (the flag package prints the whole help after
// the error, which pushed the error off the screen).
func (a *app) parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	out := fs.Output()
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if err == nil {
		return 0, true
	}
	if errors.Is(err, flag.ErrHelp) {
		_, _ = buf.WriteTo(a.stdout)
		return exitOK, false
	}
	text := buf.String()
	const undefined = "flag provided but not defined: -"
	if rest, ok := strings.CutPrefix(text, undefined); ok {
		// The flag a typo was likely meant to be (--json: --format's
		// value), on the error's line.
		name, after, _ := strings.Cut(rest, "\n")
		var names []string
		values := map[string][]string{}
		fs.VisitAll(func(f *flag.Flag) {
			names = append(names, f.Name)
			if v, ok := f.Value.(interface{ Values() []string }); ok {
				values[f.Name] = v.Values()
			}
		})
		if s := suggest.Flag(name, names, values); s != "" {
			text = undefined + name + " (did you mean " + s + "?)\n" + after
		}
	}
	text = wantedValue(fs, text)
	if i := strings.Index(text, "\nUsage: "); i >= 0 {
		line, _, _ := strings.Cut(text[i+1:], "\n")
		text = text[:i+1] + line + "\n"
	}
	fmt.Fprintf(out, "%sRun 'dnsparity %s -h' for its flags and help.\n", cli.Dashes(text), fs.Name())
	return exitError, false
}

// badValue is the flag package's error for a value it could not read:
// `invalid value "5" for flag -watch: parse error`, `invalid boolean
// value "x" for -dry-run: parse error`.
var badValue = regexp.MustCompile(`^invalid (?:boolean )?value ".*" for (?:flag )?-([a-z-]+): parse error$`)

// wantedValue adds to the flag package's "parse error" of a value what
// the flag wants (a duration such as 5m, true or false, a whole number),
// by its kind.
func wantedValue(fs *flag.FlagSet, text string) string {
	first, rest, _ := strings.Cut(text, "\n")
	m := badValue.FindStringSubmatch(first)
	if m == nil {
		return text
	}
	f := fs.Lookup(m[1])
	if f == nil {
		return text
	}
	want := ""
	switch v := f.Value.(type) {
	case interface{ IsBoolFlag() bool }:
		want = "true or false"
	case flag.Getter:
		switch v.Get().(type) {
		case time.Duration:
			want = "a duration such as 90s, 5m or 1h30m"
		case int, int64, uint, uint64:
			want = "a whole number"
		case float64:
			want = "a number"
		}
	}
	if want == "" {
		return text
	}
	return first + ": want " + want + "\n" + rest
}

// given is v when the flag name was on the command line, else nil (the
// setting is left to dnsparity.yaml).
func given[T any](fs *flag.FlagSet, name string, v *T) *T {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	if !set {
		return nil
	}
	return v
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*m = append(*m, s)
		}
	}
	return nil
}

// formatFlag validates --format.
type formatFlag string

func (f *formatFlag) String() string   { return string(*f) }
func (f *formatFlag) Values() []string { return []string{"text", "json", "markdown"} }
func (f *formatFlag) Set(v string) error {
	return f.setOneOf(v, f.Values()...)
}

// setOneOf sets f to v, one of formats, else says which it takes and the
// one v was likely meant as (a case or one edit away; "md": markdown).
func (f *formatFlag) setOneOf(v string, formats ...string) error {
	if slices.Contains(formats, v) {
		*f = formatFlag(v)
		return nil
	}
	msg := "must be " + strings.Join(formats[:len(formats)-1], ", ") + " or " + formats[len(formats)-1]
	meant, _ := suggest.Meant(v, formats)
	if strings.EqualFold(v, "md") && slices.Contains(formats, "markdown") {
		meant = "markdown"
	}
	if meant != "" {
		msg += " (did you mean " + meant + "?)"
	}
	return errors.New(msg)
}

// textJSONFlag is --format of a command that writes text or JSON only
// (ttl, merge, demo): markdown is a bad flag, not text.
type textJSONFlag struct{ formatFlag }

func (f *textJSONFlag) Values() []string { return []string{"text", "json"} }
func (f *textJSONFlag) Set(v string) error {
	return f.setOneOf(v, f.Values()...)
}

// formatIn is the --format that args ask for (the last valid one before
// "--"), read without parsing them: a command line that does not parse
// still gets its error report in that format (JSON with "error").
func formatIn(args []string) formatFlag {
	f := formatFlag("text")
	for _, val := range cli.FlagValues(args, "format") {
		var g formatFlag
		if g.Set(val) == nil {
			f = g
		}
	}
	return f
}

// strayArgs is the error for an argument left after fs's flags where the
// command takes none ("": none): the first, what it was likely meant as (a
// zone name: --zone; a file: --file, else the config's zones), and that
// the flags after it were not read (the flag package stops at it).
func strayArgs(fs *flag.FlagSet) string {
	if fs.NArg() == 0 {
		return ""
	}
	arg := fs.Arg(0)
	var hints []string
	_, statErr := os.Stat(arg)
	_, isName := dns.IsDomainName(arg)
	switch exists, zone := statErr == nil, fs.Lookup("zone") != nil; {
	case exists && fs.Lookup("file") != nil:
		hints = append(hints, "a zone file is given as --file "+shell.Quote(arg))
	case exists && zone:
		hints = append(hints, fs.Name()+" takes no PATH: its zones are "+config.FileName+"'s, picked with --zone NAME")
	case !exists && zone && isName && strings.Contains(strings.TrimSuffix(arg, "."), "."):
		hints = append(hints, "a zone is given as --zone "+shell.Quote(arg))
	}
	for _, a := range fs.Args()[1:] {
		if strings.HasPrefix(a, "-") && a != "-" {
			hints = append(hints, "the flags after it were not read: write them before it")
			break
		}
	}
	msg := fmt.Sprintf("unexpected argument %q", arg)
	if len(hints) > 0 {
		msg += " (" + strings.Join(hints, "; ") + ")"
	}
	return msg
}
