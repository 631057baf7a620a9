package shell

import (
	"os/exec"
	"testing"
)

// TestQuote: each word, quoted, is given back as it was by a real POSIX
// shell (/bin/sh) running the printed line, and a word with nothing
// special stays as it is.
func TestQuote(t *testing.T) {
	// Each word and its quoted form.
	words := [][2]string{
		{"zones/a.test.zone", "zones/a.test.zone"},
		{"-zone=a.test.", "-zone=a.test."}, {"=x.zone", "'=x.zone'"},
		{"", "''"},
		{"my zones/a.zone", "'my zones/a.zone'"},
		{"$HOME.yaml", "'$HOME.yaml'"},
		{"${PDNS_API_KEY}", "'${PDNS_API_KEY}'"},
		{"a'b", `'a'\''b'`},
		{"'", `''\'''`},
		{`say "hi"`, `'say "hi"'`},
		{"a`id`", "'a`id`'"},
		{`a\b`, `'a\b'`},
		{"zones/*.zone", "'zones/*.zone'"},
		{"~/dnsparity.yaml", "'~/dnsparity.yaml'"},
		{"a;b|c&d", "'a;b|c&d'"},
		{"a\nb", "'a\nb'"},
		{"a!b", "'a!b'"},
		{"zönes", "'zönes'"},
	}
	for _, w := range words {
		if got := Quote(w[0]); got != w[1] {
			t.Errorf("Quote(%q) = %s, want %s", w[0], got, w[1])
		}
		// The shell gives the word back: printed between markers, so
		// that an empty word, a blank or a newline is seen.
		line := Line(w[0], "next")
		out, err := exec.Command(shPath(t), "-c", "printf '<%s>' "+line).Output()
		if err != nil {
			t.Fatalf("sh -c %s: %v", line, err)
		}
		if want := "<" + w[0] + "><next>"; string(out) != want {
			t.Errorf("sh read %s as %q, want %q", line, out, want)
		}
	}
}

// shPath is the POSIX shell that runs the quoted lines.
func shPath(t *testing.T) string {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("no sh to run the quoted lines: %v", err)
	}
	return sh
}

func TestLine(t *testing.T) {
	got := Line("dnsparity", "plan", "--config", "my dir/x $HOME.yaml", "--zone", "a'b", "")
	want := `dnsparity plan --config 'my dir/x $HOME.yaml' --zone 'a'\''b' ''`
	if got != want {
		t.Errorf("Line = %s\nwant   %s", got, want)
	}
	if Line() != "" || Line("a", "b") != "a b" {
		t.Errorf("Line() = %q, Line(a, b) = %q", Line(), Line("a", "b"))
	}
}
