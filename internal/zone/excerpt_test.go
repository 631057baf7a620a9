package zone

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// TestProblemsQuoteShortPrintableExcerpts: a problem quotes at most a
// short, printable excerpt of the offending token: no NUL, no control
// character, no terminal escape, and not the bulk of a long token (a
// file that is not a zone file, such as an environment dump, shows
// nothing much of what it holds).
func TestProblemsQuoteShortPrintableExcerpts(t *testing.T) {
	secret := "ghs_" + strings.Repeat("S3cr3t", 8)
	long := "INPUT_GITHUB-TOKEN=" + secret
	lines := []string{
		"$ORIGIN example.test.",
		"$TTL 300",
		"@ SOA ns1 h 1 2 3 4 5",
		"@ NS ns1",
		"ns1 A 192.0.2.1",
		"a A " + long,
		"b A \x01\x02\x1b[31m" + secret,
		"c MX 10 " + long + "\x00",
		"$TTL " + long,
		"$ORIGIN \x07" + long,
		"d TXT \"ok\" " + long,
		"e " + long + " 192.0.2.1",
		"f CAA 0 " + long + " \"x\"",
		"$GENERATE 1-2 g$ A " + long,
		"$INCLUDE \x1b]0;" + long,
		"h NSAP 0x" + long,
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "example.test.zone")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	z, err := Load(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps := Check(z)
	if len(ps) < 8 {
		t.Fatalf("want a problem for most bad lines, got %v", ps)
	}
	for _, pr := range ps {
		m := pr.Message
		for _, r := range m {
			if !unicode.IsPrint(r) {
				t.Errorf("line %d: message holds %U: %q", pr.Pos.Line, r, m)
			}
		}
		// No more of the long token than a short excerpt: never 16
		// characters of the secret in a row.
		for i := 0; i+16 <= len(secret); i++ {
			if strings.Contains(m, secret[i:i+16]) {
				t.Errorf("line %d: message quotes the long token: %q", pr.Pos.Line, m)
				break
			}
		}
		if len(m) > 400 {
			t.Errorf("line %d: message of %d characters: %q", pr.Pos.Line, len(m), m)
		}
	}
}
