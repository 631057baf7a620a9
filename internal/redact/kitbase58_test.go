package redact_test

import (
	"encoding/hex"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// TestKitBase58Vectors: the test kit's base58, which plants the forms
// the redaction must find, gives the published vectors too (the same as
// TestBase58Vectors', the encoder's): two encoders written apart, each
// pinned to the reference, so neither can pass by agreeing with the
// other's mistake.
func TestKitBase58Vectors(t *testing.T) {
	for _, v := range []struct{ in, want string }{
		{"a", "2g"},
		{"bbb", "a3gV"},
		{"simply a long string", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
		{string(make([]byte, 10)), "1111111111"},
		{"Hello World!", "2NEpo7TZRRrLZSi2U"},
	} {
		if got := redacttest.Base58(v.in); got != v.want {
			t.Errorf("redacttest.Base58(%s) = %q, want %q", hex.EncodeToString([]byte(v.in)), got, v.want)
		}
	}
}
