package redact_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// TestReplaceJoinedParagraph: texts shown as the lines of one Markdown
// paragraph (the Action's notes, one block quote) are read as the
// renderer reads that paragraph: a secret split across two texts, in a
// code span opened in the first and closed in the second (which GitHub
// shows as one text, the line break as a space) or as plain text, shows
// no piece in either text nor in the paragraph as rendered. Read one
// after another, apart (ReplaceAfter), the first text was read without
// the second and kept the head of the secret.
func TestReplaceJoinedParagraph(t *testing.T) {
	const spanned, plain = "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg"
	for _, c := range []struct {
		name, secret string
		texts        []string
		hidden       []string // pieces of the secret none may show
	}{
		{"a code span across the two, fence widened", spanned, []string{"key `` Zq9*Lm3~Vx7'Rt8`sW4", "yB6n`Hq2 `` refused"}, []string{"sW4", "yB6n", "Hq2"}},
		{"a code span across the two, the head alone in the first", spanned, []string{"key `` `sW4", "yB6n`Hq2 `` refused"}, []string{"sW4", "yB6n", "Hq2"}},
		{"a code span across three", spanned, []string{"key `` `sW4", "yB6n", "`Hq2 `` refused"}, []string{"sW4", "yB6n", "Hq2"}},
		{"plain text, a head under MinSplit", plain, []string{"the key pk_7H", "q2mZ9wXr4 was refused"}, []string{"pk_7H", "q2mZ9"}},
		{"a code span, a head under MinSplit", plain, []string{"the key `pk_7H", "q2mZ9wXr4` was refused"}, []string{"pk_7H", "q2mZ9"}},
	} {
		var s redact.Secrets
		s.Add(c.secret)
		got := s.ReplaceJoined("## dnsparity check: ⚠️ could not run", c.texts, "\n")
		para := strings.Join(got, "\n")
		for _, piece := range c.hidden {
			if v := redact.CodeView(para); strings.Contains(para, piece) || strings.Contains(v, piece) {
				t.Errorf("%s: %q shows %q: %q (rendered %q)", c.name, c.texts, piece, got, v)
			}
		}
		if len(got) != len(c.texts) || !strings.HasPrefix(got[0], "key ") && !strings.HasPrefix(got[0], "the key ") || !strings.HasSuffix(got[len(got)-1], " refused") {
			t.Errorf("%s: %q: want each text masked where the secret stands, the rest kept: %q", c.name, c.texts, got)
		}
	}
}
