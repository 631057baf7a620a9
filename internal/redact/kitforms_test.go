package redact_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// TestKitForms: the test kit's ROT13, Every and Reverse, which plant the
// forms the redaction must find, are written apart from the redaction's
// own (cipherForms, grouped, reverse) and pinned here to what they must
// give: a kit that copied the redaction's code could only agree with it.
func TestKitForms(t *testing.T) {
	for _, c := range []struct{ name, got, want string }{
		{"ROT13", redacttest.ROT13("Hello, World! az AZ 09"), "Uryyb, Jbeyq! nm NM 09"},
		{"ROT13 twice", redacttest.ROT13(redacttest.ROT13("Secret-Token_42")), "Secret-Token_42"},
		{"Every 3", redacttest.Every("abcdefg", "-", 3), "abc-def-g"},
		{"Every 3, whole pieces", redacttest.Every("abcdef", "-", 3), "abc-def"},
		{"Every 1", redacttest.Every("abc", " ", 1), "a b c"},
		{"Every, characters not bytes", redacttest.Every("é漢字x", "|", 2), "é漢|字x"},
		{"Every, shorter than n", redacttest.Every("ab", "-", 5), "ab"},
		{"Every, empty", redacttest.Every("", "-", 5), ""},
		{"Reverse", redacttest.Reverse("ab€c"), "c€ba"},
		{"Reverse, empty", redacttest.Reverse(""), ""},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
}
