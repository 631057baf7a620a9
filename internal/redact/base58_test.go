package redact

import (
	"encoding/hex"
	"testing"
)

// base58Vectors are the Bitcoin base58 test vectors (bitcoin/bitcoin,
// src/test/data/base58_encode_decode.json) and "Hello World!": the
// encoder is pinned to them, not only to the test kit's own encoder
// (redacttest.Base58), which is written apart on purpose (a kit that
// called this one would share its misreadings).
var base58Vectors = []struct{ hex, want string }{
	{"", ""},
	{"61", "2g"},
	{"626262", "a3gV"},
	{"636363", "aPEr"},
	{"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
	{"00000000000000000000", "1111111111"},
	{hex.EncodeToString([]byte("Hello World!")), "2NEpo7TZRRrLZSi2U"},
}

func TestBase58Vectors(t *testing.T) {
	for _, v := range base58Vectors {
		b, err := hex.DecodeString(v.hex)
		if err != nil {
			t.Fatal(err)
		}
		if got := base58(string(b)); got != v.want {
			t.Errorf("base58(%s) = %q, want %q", v.hex, got, v.want)
		}
	}
}
