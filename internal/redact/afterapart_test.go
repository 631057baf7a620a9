package redact_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// TestReplaceAfterTextsApart: a text read after another one (ReplaceAfter:
// the next annotation, the report after its headline) that both quote a
// secret in the same form of redacttest.Echoes shows none of it. Each is
// shown apart, so a run of backticks in the one pairs with none in the
// other: joined by one line break, the code spans of a form split
// across spans widened around the backticks it holds paired across the
// two, and the second text's view kept pieces of it.
func TestReplaceAfterTextsApart(t *testing.T) {
	for _, secret := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "a``b```c`d````e_7Hq2mZ9wXr4"} {
		var s redact.Secrets
		s.Add(secret)
		for _, e := range redacttest.Echoes(secret) {
			text := "key " + e.Form + " refused"
			if l := redacttest.Leak(s.ReplaceAfter("drift: "+text, "the provider said: "+text), secret, e.Form); l != "" {
				t.Errorf("%q %s: %s", secret, e.Name, l)
			}
		}
	}
}
