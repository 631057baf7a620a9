package cli

import (
	"bytes"
	"flag"
	"io"
	"strings"
	"testing"
)

// TestDashes: every message the flag package prints about a flag, and
// its list of flags, names a flag as the docs do (--zone; -o, one
// letter, keeps one dash); it printed -zone.
func TestDashes(t *testing.T) {
	fs := flag.NewFlagSet("flip", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("zone", "", "the zone")
	fs.Bool("dry-run", false, "change nothing")
	fs.Int("wave", 0, "zones at once")
	fs.String("o", "", "output")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-zone"}, "flag needs an argument: --zone"},
		{[]string{"--zoen", "x"}, "flag provided but not defined: --zoen"},
		{[]string{"--wave", "x"}, `invalid value "x" for flag --wave: parse error`},
		{[]string{"--dry-run=flase"}, `invalid boolean value "flase" for --dry-run: parse error`},
		{[]string{"-o"}, "flag needs an argument: -o"},
		{[]string{"-x"}, "flag provided but not defined: -x"},
	} {
		err := fs.Parse(tc.args)
		if got := Dashes(err.Error()); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.args, got, tc.want)
		}
	}
	var b bytes.Buffer
	fs.SetOutput(&b)
	PrintDefaults(fs)
	for _, want := range []string{"\n  --dry-run\n", "  --wave int\n", "  --zone string\n", "  -o string\n"} {
		if !strings.Contains("\n"+b.String(), want) {
			t.Errorf("defaults lack %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "---") {
		t.Errorf("defaults with three dashes:\n%s", b.String())
	}
}
