package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// newFlags makes a FlagSet whose usage names the command and explains it.
func (a *app) newFlags(name, synopsis, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dnsparity %s %s\n\n%s\n\nFlags:\n", name, synopsis, strings.TrimSpace(help))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; it returns the exit code to use when parsing
// stopped (help: 0, bad flags: 2) and ok=false.
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitError, false
	}
	return 0, true
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

func (f *formatFlag) String() string { return string(*f) }
func (f *formatFlag) Set(v string) error {
	switch v {
	case "text", "json", "markdown":
		*f = formatFlag(v)
		return nil
	}
	return fmt.Errorf("must be text, json or markdown")
}

// formatIn is the --format that args ask for (the last valid one before
// "--"), read without parsing them: a command line that does not parse
// still gets its error report in that format (JSON with "error").
func formatIn(args []string) formatFlag {
	f := formatFlag("text")
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			break
		}
		if !strings.HasPrefix(arg, "-") {
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if name != "format" {
			continue
		}
		if !hasVal {
			if i+1 == len(args) {
				break
			}
			i++
			val = args[i]
		}
		var g formatFlag
		if g.Set(val) == nil {
			f = g
		}
	}
	return f
}
