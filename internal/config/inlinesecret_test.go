package config

import (
	"strings"
	"testing"
)

// TestInlineSecretSaysWhereItGoes: a secret written into the file under
// the key it would have without "_env" (tsig.secret, an api_key) is an
// unknown key whose message says that secrets go in an environment
// variable the _env key names, and never shows the value. "did you mean
// secret_env?" alone led users to write the secret there instead.
func TestInlineSecretSaysWhereItGoes(t *testing.T) {
	const value = "c2VjcmV0LXZhbHVlLW5ldmVyLXNob3du"
	for _, tc := range []struct{ name, yaml, key string }{
		{"tsig secret", "providers:\n  old:\n    type: rfc2136\n    tsig: {name: k., algorithm: hmac-sha256, secret: " + value + "}\n", "secret_env"},
		{"tsig secret, block", "providers:\n  old:\n    type: rfc2136\n    tsig:\n      name: k.\n      secret: " + value + "\n", "secret_env"},
		{"tsig name", "providers:\n  old:\n    type: rfc2136\n    tsig:\n      nam: k.\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "dnsparity.yaml")
			if err == nil {
				t.Fatal("parsed")
			}
			msg := err.Error()
			if strings.Contains(msg, value) {
				t.Errorf("the secret is shown: %v", msg)
			}
			says := strings.Contains(msg, "environment variable")
			switch {
			case tc.key != "" && (!says || !strings.Contains(msg, tc.key+": VARIABLE")):
				t.Errorf("err = %v, want it to say the value goes in an environment variable named by %s", msg, tc.key)
			case tc.key == "" && says:
				t.Errorf("a key that is no secret's: %v", msg)
			}
		})
	}
}
