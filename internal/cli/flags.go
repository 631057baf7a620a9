package cli

import (
	"bytes"
	"flag"
	"regexp"
)

// flagName is a flag as Go's flag package prints it in its errors
// ("flag provided but not defined: -zone", "flag needs an argument:
// -zone", `invalid value "x" for flag -format`, `invalid boolean value
// "x" for -dry-run`) and in PrintDefaults ("  -zone value").
var flagName = regexp.MustCompile(`(?m)(^  |: |for flag |for )-([A-Za-z0-9][A-Za-z0-9_-]+)\b`)

// Dashes rewrites the flag package's text (an error, the defaults) to
// name each flag of more than one letter as the commands' help, README
// and docs/ARCHITECTURE.md do: --zone, not -zone. A one-letter flag
// keeps its one dash (-o, -h).
func Dashes(text string) string {
	return flagName.ReplaceAllString(text, "$1--$2")
}

// PrintDefaults writes fs's flags and their help to fs's output as
// flag.FlagSet.PrintDefaults does, each named as the docs name it
// (Dashes).
func PrintDefaults(fs *flag.FlagSet) {
	out := fs.Output()
	var b bytes.Buffer
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(out)
	_, _ = out.Write([]byte(Dashes(b.String())))
}
