package redact

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"testing"
)

// leftPiece is the longest piece of secret (in any ASCII letter case)
// that out holds, or "".
func leftPiece(out, secret string) string {
	low, s := strings.ToLower(out), strings.ToLower(secret)
	for n := len(s); n > 0; n-- {
		for i := 0; i+n <= len(s); i++ {
			if strings.Contains(low, s[i:i+n]) {
				return secret[i : i+n]
			}
		}
	}
	return ""
}

// TestWriterSecretSplitAcrossLines: a command prints a secret's head at
// the end of one line and the rest at the start of the next, each line
// its own write (two log lines, as a runner shows them) or both in one.
// Each line alone
// holds a piece of it under MinCut; read one after the other they hold
// it. Redacted as a stream, no piece of MinSplit characters or more is
// left on either side of the break, at any split point, plain or
// indented, and the text around it is kept.
func TestWriterSecretSplitAcrossLines(t *testing.T) {
	const secret = "pk-Split7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js"
	set := &Secrets{}
	set.Add(secret)
	for cut := 1; cut < len(secret); cut++ {
		for _, indent := range []string{"", "    "} {
			for _, apart := range []bool{true, false} {
				var out bytes.Buffer
				w := NewWriter(set, &out)
				first, second := fmt.Sprintf("key: %s\n", secret[:cut]), fmt.Sprintf("%s%s (end)\n", indent, secret[cut:])
				if apart {
					fmt.Fprint(w, first)
					fmt.Fprint(w, second)
				} else {
					fmt.Fprint(w, first+second)
				}
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				if p := leftPiece(out.String(), secret); len(p) >= MinSplit {
					t.Errorf("cut at %d, indent %q, written apart %v: %q left:\n%s", cut, indent, apart, p, out.String())
				}
				if !strings.HasPrefix(out.String(), "key: ") || !strings.HasSuffix(out.String(), " (end)\n") {
					t.Errorf("cut at %d: the text around the secret is not kept:\n%s", cut, out.String())
				}
			}
		}
	}
}

// TestReplaceAfterKeepsText: text shown after other text in a stream
// that holds no secret's piece at its edges is kept as it is, and a
// line ending with a piece shorter than MinSplit keeps it.
func TestReplaceAfterKeepsText(t *testing.T) {
	const secret = "pk-Split7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js"
	set := &Secrets{}
	set.Add(secret)
	for _, tc := range []struct{ prev, text string }{
		{"", "zone acme.test. has 3 records"},
		{"zone acme.test. has 3 records", "digest 9f86d081884c7d659a2feaa0c55ad015 differs"},
		{"a line", "ends with pk-Sp"},
	} {
		if got := set.ReplaceAfter(tc.prev, tc.text); got != tc.text {
			t.Errorf("ReplaceAfter(%q, %q) = %q", tc.prev, tc.text, got)
		}
	}
}

// TestWriterSecretSplitAcrossRows: a secret a server serves in pieces
// under MinCut, one a record, as a command's report prints the records:
// a Markdown table's rows (the pieces at a row's end and the next row's
// start, or in one column of rows one after another), a diff's lines
// (each record quoted), or one cell holding the RRset's records as a
// Markdown report escapes them (the bar between records written &#124;,
// the underscore &#95;). Written through a Writer, no piece of
// MinSplit characters or more is left as a reader reads it (its
// references decoded), and a report without the secret is kept.
func TestWriterSecretSplitAcrossRows(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5J"
	md := strings.NewReplacer("_", "&#95;", "|", "&#124;").Replace
	set := &Secrets{Escapes: []func(string) string{md}}
	set.Add(secret)
	write := func(in string) string {
		var out bytes.Buffer
		w := NewWriter(set, &out)
		fmt.Fprint(w, in)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	for _, in := range []string{
		"| a | pk_7Hq2mZ9 |\n| wXr4Lt8Vn3Bc6 | b |\n| Yd1Fg5J |\n",
		"| a | pk_7Hq2mZ9w | 1 |\n| b | Xr4Lt8Vn3B | 2 |\n| c | c6Yd1Fg5J | 3 |\n",
		"| a | `pk_7Hq2mZ9w` | 1 |\n| b | `Xr4Lt8Vn3B` | 2 |\n| c | `c6Yd1Fg5J` | 3 |\n",
		"+acme.test. 300 IN TXT \"pk_7Hq2mZ\"\n+acme.test. 300 IN TXT \"9wXr4Lt8Vn\"\n+acme.test. 300 IN TXT \"3Bc6Yd1Fg5J\"\n",
		"| ~ | acme.test. | TXT | " + md(`300 "pk_7Hq2" | "mZ9wXr4L" | "t8Vn3Bc6" | "Yd1Fg5J"`) + " |\n",
		"| ~ | acme.test. | TXT | `300 \"pk_7Hq2\" \\| \"mZ9wXr4L\" \\| \"t8Vn3Bc6\" \\| \"Yd1Fg5J\"` |\n",
		// Each piece in a code span, emphasised or between tags, as
		// it stands or as Markdown text escapes the marks (&#96;).
		"| ~ | acme.test. | TXT | `pk_7H` | `q2mZ9` | `wXr4L` | `t8Vn3` | `Bc6Yd` | `1Fg5J` |\n",
		"| ~ | acme.test. | TXT | *pk_7H* | *q2mZ9* | *wXr4L* | *t8Vn3* | *Bc6Yd* | *1Fg5J* |\n",
		"| ~ | acme.test. | TXT | 300 &#96;pk&#95;7H&#96; &#124; &#96;q2mZ9&#96; &#124; &#96;wXr4L&#96; &#124; &#96;t8Vn3&#96; &#124; &#96;Bc6Yd&#96; &#124; &#96;1Fg5J&#96; |\n",
		"| ~ | acme.test. | TXT | <code>pk_7H</code> &#124; <code>q2mZ9</code> &#124; <code>wXr4L</code> &#124; <code>t8Vn3</code> &#124; <code>Bc6Yd</code> &#124; <code>1Fg5J</code> |\n",
		"| `pk_7H` |\n| `q2mZ9` |\n| `wXr4L` |\n| `t8Vn3` |\n| `Bc6Yd` |\n| `1Fg5J` |\n",
	} {
		out := write(in)
		read := strings.NewReplacer("`", "", "*", "", "<code>", "", "</code>", "", `"`, "", " ", "", "|", "", "\n", "").Replace(html.UnescapeString(out))
		if p := leftPiece(read, secret); len(p) >= MinSplit {
			t.Errorf("%q left of\n%s as\n%s", p, in, out)
		}
	}
	for _, in := range []string{
		"| zone | create | replace | delete | status |\n|---|---:|---:|---:|---|\n| acme.test. | 1 | 0 | 0 | changes pending |\n",
		"| ~ | acme.test. | TXT | " + md(`300 "v=spf1 mx -all" | "google-site-verification=abc"`) + " |\n",
		"+acme.test. 300 IN TXT \"v=spf1 mx -all\"\n-acme.test. 300 IN MX 10 mail.acme.test.\n",
	} {
		if out := write(in); out != in {
			t.Errorf("a report without the secret changed:\n%s\nto\n%s", in, out)
		}
	}
}

// TestReplaceSecretSplitAcrossRows: Replace, which redacts a whole
// Markdown text (the Action's step summary, comment and check run,
// rendered from reports whose every string was redacted, so a secret
// split across RRsets of different names, each piece under MinCut, is in
// pieces there), masks the pieces of MinSplit characters or more that a
// table row's cell starts or ends with, as a stream's lines have them
// masked: a reader reads a column down. A table without the secret, and
// text that is no table, are kept.
func TestReplaceSecretSplitAcrossRows(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5J"
	set := &Secrets{}
	set.Add(secret)
	for _, in := range []string{
		"| + | `a.acme.test.` | TXT | — | 300 pk_7Hq2mZ9w | 12 |\n| + | `b.acme.test.` | TXT | — | 300 Xr4Lt8Vn3B | 13 |\n| + | `c.acme.test.` | TXT | — | 300 c6Yd1Fg5J | 14 |\n",
		"| a | \"pk_7Hq2mZ9w\" |\n| b | \"Xr4Lt8Vn3B\" |\n| c | \"c6Yd1Fg5J\" |\n",
	} {
		out := set.Replace(in)
		read := strings.NewReplacer("`", "", `"`, "", " ", "", "|", "", "\n", "").Replace(out)
		if p := leftPiece(read, secret); len(p) >= MinSplit {
			t.Errorf("%q left of\n%s as\n%s", p, in, out)
		}
	}
	for _, in := range []string{
		"| zone | create | replace | delete | status |\n|---|---:|---:|---:|---|\n| acme.test. | 1 | 0 | 0 | changes pending |\n",
		"key pk_7Hq\nis cut\n",
	} {
		if out := set.Replace(in); out != in {
			t.Errorf("changed:\n%s\nto\n%s", in, out)
		}
	}
}
