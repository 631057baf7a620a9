package redact

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestReferenceJoined: Markdown text a report writes (report.MarkdownText)
// escapes & as &amp; and takes a zero-width joiner after each # (GitHub
// links no #123 then), so a secret quoted as HTML numeric references,
// &#112;&#107;…, reaches a cell as &amp;#\u200d112;&amp;#\u200d107;…,
// which a reader reads as the references it shows. The joiner ended the
// reference for the decoder, and Replace (the second net, over the
// Action's comment and summary) kept every such form whole.
func TestReferenceJoined(t *testing.T) {
	refs := func(s, format string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, format, r)
		}
		return b.String()
	}
	// As report.MarkdownText writes them (redact cannot import report).
	md := strings.NewReplacer("&", "&amp;", "#", "#\u200d", "_", "&#95;", "|", "&#124;").Replace
	for _, key := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6", "hunter2hunter2", "1234", "ab+c"} {
		var set Secrets
		set.Add(key)
		for name, form := range map[string]string{
			"decimal":            refs(key, "&#%d;"),
			"hex":                refs(key, "&#x%X;"),
			"decimal, no ;":      refs(key, "&#%d"),
			"hex, lower x and ;": refs(key, "&#x%x;"),
		} {
			for _, text := range []string{
				"| a | key " + md(form) + " refused |",
				"**Could not run:** key " + md(form) + " refused",
			} {
				got := set.Replace(text)
				if !strings.Contains(got, Mask) || strings.Contains(got, md(form)[:len(md(form))*3/4]) {
					t.Errorf("%q %s: Replace(%q) = %q", key, name, text, got)
				}
				if got := ServerText(context.Background(), text, key); !strings.Contains(got, Mask) {
					t.Errorf("%q %s: ServerText(%q) = %q", key, name, text, got)
				}
			}
		}
	}
}
