package suggest

import "testing"

func TestOneEdit(t *testing.T) {
	if OneEdit("ZZZZ", "A") || !OneEdit("AAAA", "AAA") || !OneEdit("MX", "XM") || OneEdit("A", "A") {
		t.Error("OneEdit")
	}
	if !OneEdit("max_change_precent", "max_change_percent") || OneEdit("max_change", "max_change_percent") {
		t.Error("OneEdit on config keys")
	}
}

func TestClosest(t *testing.T) {
	if got := Closest("AAA", []string{"A", "AAAA"}, []string{"A6"}); got != "AAAA" {
		t.Errorf("Closest(AAA) = %q", got)
	}
	if got := Closest("B6", nil, []string{"A6", "B7"}); got != "A6" {
		t.Errorf("Closest(B6) = %q, want the alphabetically first", got)
	}
	if got := Closest("QQQQ", []string{"A"}, nil); got != "" {
		t.Errorf("Closest(QQQQ) = %q, want none", got)
	}
}

// TestMeant: a word meant as one of a lower-case list (a command input,
// a config type, a --format): its case folded, else one edit from the
// folded word; none for a word that is one already or too far.
func TestMeant(t *testing.T) {
	words := []string{"check", "parity", "rfc2136", "ms", "ns"}
	// The word meant, and whether only its case differs.
	for in, want := range map[string]string{
		"Check":   "check, case only",
		"RFC2136": "rfc2136, case only",
		"chek":    "check",
		"Chek":    "check",
		"PARTIY":  "parity",
		"check":   "", // one of them: nothing to suggest
		"status":  "",
		"ns":      "", // one of them, one edit from another (ms)
	} {
		got, caseOnly := Meant(in, words)
		if caseOnly {
			got += ", case only"
		}
		if got != want {
			t.Errorf("Meant(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFlag: a flag the command lacks, said as the flag meant (one edit,
// or only its case), else as the flag whose value it is (--json: the
// format is a value of --format); none when neither is near.
func TestFlag(t *testing.T) {
	flags := []string{"config", "format", "zone", "dry-run"}
	values := map[string][]string{"format": {"text", "json", "markdown"}}
	for in, want := range map[string]string{
		"formt":    "--format",
		"Format":   "--format",
		"zones":    "--zone",
		"dryrun":   "--dry-run",
		"json":     "--format json",
		"JSON":     "--format json",
		"jsn":      "--format json",
		"markdown": "--format markdown",
		"text":     "--format text",
		"yaml":     "",
		"verbose":  "",
		"":         "",
	} {
		if got := Flag(in, flags, values); got != want {
			t.Errorf("Flag(%q) = %q, want %q", in, got, want)
		}
	}
	// A command whose --format takes text and json only: --markdown is
	// no value of it.
	if got := Flag("markdown", flags, map[string][]string{"format": {"text", "json"}}); got != "" {
		t.Errorf("Flag(markdown) with text and json only = %q, want none", got)
	}
	// A one-letter flag by its long name elsewhere, only where the
	// command has it.
	withO := append([]string{"o"}, flags...)
	for in, want := range map[string]string{"output": "-o", "out": "-o", "Output": "-o", "overwrite": ""} {
		if got := Flag(in, withO, nil); got != want {
			t.Errorf("Flag(%q) with -o = %q, want %q", in, got, want)
		}
	}
	if got := Flag("output", flags, nil); got != "" {
		t.Errorf("Flag(output) without -o = %q, want none", got)
	}
	if got := Flag("json", flags, nil); got != "" {
		t.Errorf("Flag(json) without values = %q, want none", got)
	}
}
