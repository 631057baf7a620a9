package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// TestEscapesHideSecrets: a secret that a report escapes before the run
// redacts it (a server's error quoting the key, in a table cell or a code
// span) is replaced whatever the escape, for every form of it: the run's
// redaction takes its escapes from Escapes. A secret holding | or a
// backtick, written in a code span (MarkdownCode: \| and '), was left
// whole when only MarkdownText's forms were registered.
func TestEscapesHideSecrets(t *testing.T) {
	for _, secret := range []string{
		"pk|7Hq2mZ9wXr4`Lt8Vn3Bc6Yd1Fg5Js0Ka",
		"pw|with|pipes/and`ticks`_0123456789",
	} {
		s := redact.Secrets{Escapes: Escapes()}
		s.Add(secret)
		js, _ := json.Marshal(secret)
		for _, form := range []string{secret, string(js[1 : len(js)-1]), strings.ReplaceAll(string(js[1:len(js)-1]), "/", `\/`)} {
			for name, out := range map[string]string{
				"code span": "| `" + MarkdownCode("key "+form+" refused") + "` |",
				"text":      "| " + MarkdownText("key "+form+" refused") + " |",
			} {
				got := s.Replace(out)
				for i := 0; i+redact.MinCut <= len(secret); i++ {
					if strings.Contains(got, secret[i:i+redact.MinCut]) || strings.Contains(got, MarkdownCode(secret)[i:i+redact.MinCut]) {
						t.Errorf("%q in a %s: %q", form, name, got)
						break
					}
				}
				if !strings.Contains(got, "***") {
					t.Errorf("%q in a %s: nothing replaced in %q", form, name, got)
				}
			}
		}
	}
}
