package redact_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// eachFormSecrets are the secrets TestEachOutputEachForm (internal/action)
// plants: a token, a password holding backticks and Markdown's marks, one
// holding percent escapes and a workflow command's separators, three
// holding what reads as an HTML tag.
var eachFormSecrets = []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "Kx9m%Ab:Qz,7Lp%0A8Vn3:Bc6,Yd1", "p<ss>w&rd_7Hq2mZ9wXr4Lt8Vn3", "Xab9def<ss>w&rd_7Hq2mZ9wXr4", "q7<code>Hq2mZ9</code>wXr4Lt8"}

// TestServerTextEachForm: a server's text quoting a secret in each form
// of redacttest.Echoes, as text and as its JSON message, comes out of
// ServerText (the secret its own) with no piece of the secret or of the
// form: the first line alone, before any output's Replace (a server
// that upper-cases its JSON writes \u005F as \U005F, which Replace's
// registered forms found and ServerText read as no escape).
func TestServerTextEachForm(t *testing.T) {
	for _, secret := range eachFormSecrets {
		for _, e := range redacttest.Echoes(secret) {
			for _, text := range []string{"key " + e.Form + " refused", `{"message":` + e.JSON + `}`} {
				if l := redacttest.Leak(redact.ServerText(context.Background(), text, secret), secret, e.Form); l != "" {
					t.Errorf("%q %s: %s", secret, e.Name, l)
				}
			}
		}
	}
}

// TestPublicEachForm: a zone's record that holds a secret of the run in
// any form of redacttest.Echoes is refused (InPublic finds it), never
// shown masked: the mask would say where the secret stands in text the
// repository holds. A user who puts a configured secret in a TXT record
// publishes it to every resolver; the run says so instead of pushing it.
func TestPublicEachForm(t *testing.T) {
	for _, secret := range eachFormSecrets {
		p := redact.NewPublic([]string{secret})
		for _, e := range redacttest.Echoes(secret) {
			if p.In(slices.Values([]string{"k1.acme.test.", e.Form})) < 0 {
				t.Errorf("%q %s: a record holding %q is not refused", secret, e.Name, e.Form)
			}
		}
	}
}
