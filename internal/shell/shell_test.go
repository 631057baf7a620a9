package shell

import (
	"os/exec"
	"strings"
	"testing"
)

// TestQuote: each word, quoted, is given back as it was by a real POSIX
// shell (/bin/sh) running the printed line, and a word with nothing
// special stays as it is.
func TestQuote(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("no sh to run the quoted lines: %v", err)
	}
	for _, tt := range []struct {
		name string
		in   string
		want string // Quote(in)
	}{
		{"plain", "zones/a.test.zone", "zones/a.test.zone"},
		{"flag=value", "-zone=a.test.", "-zone=a.test."},
		{"empty", "", "''"},
		{"space", "my zones/a.zone", "'my zones/a.zone'"},
		{"dollar", "$HOME.yaml", "'$HOME.yaml'"},
		{"braces", "${PDNS_API_KEY}", "'${PDNS_API_KEY}'"},
		{"single quote", "a'b", `'a'\''b'`},
		{"only a quote", "'", `''\'''`},
		{"double quote", `say "hi"`, `'say "hi"'`},
		{"backquote", "a`id`", "'a`id`'"},
		{"backslash", `a\b`, `'a\b'`},
		{"glob", "zones/*.zone", "'zones/*.zone'"},
		{"tilde", "~/dnsparity.yaml", "'~/dnsparity.yaml'"},
		{"semicolon and pipe", "a;b|c&d", "'a;b|c&d'"},
		{"newline", "a\nb", "'a\nb'"},
		{"history bang", "a!b", "'a!b'"},
		{"utf-8", "zönes", "'zönes'"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Quote(tt.in); got != tt.want {
				t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
			}
			// The shell gives the word back: printed between markers, so
			// that an empty word, a blank or a newline is seen.
			out, err := exec.Command(sh, "-c", "printf '<%s>' "+Line(tt.in, "next")).Output()
			if err != nil {
				t.Fatalf("sh: %v", err)
			}
			if want := "<" + tt.in + "><next>"; string(out) != want {
				t.Errorf("sh read %s as %q, want %q", Line(tt.in, "next"), out, want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	got := Line("dnsparity", "plan", "--config", "my dir/x $HOME.yaml", "--zone", "a'b", "")
	want := `dnsparity plan --config 'my dir/x $HOME.yaml' --zone 'a'\''b' ''`
	if got != want {
		t.Errorf("Line = %s\nwant   %s", got, want)
	}
	if Line() != "" || !strings.HasPrefix(Line("a", "b"), "a b") {
		t.Errorf("Line() = %q, Line(a, b) = %q", Line(), Line("a", "b"))
	}
}
