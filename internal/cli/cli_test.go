package cli

import "testing"

// TestHoldsSecret: every variable a command reads may hold a secret (a
// config's *_env names one, under any name), but the actor's, GOGC and
// GODEBUG.
func TestHoldsSecret(t *testing.T) {
	for name, want := range map[string]bool{
		"PDNS_API_KEY": true, "PDNS_API": true, "OLD_TSIG_NAME": true, "CLOUDNS_SUB_ID": true, "X": true,
		"GITHUB_ACTOR": false, "USER": false, "GOGC": false, "GODEBUG": false,
	} {
		if got := HoldsSecret(name); got != want {
			t.Errorf("HoldsSecret(%s) = %v, want %v", name, got, want)
		}
	}
}

// TestHTTP2Debug: every http2debug= setting but a plain 0 turns Go's
// HTTP/2 debug log on (net/http looks for "http2debug=1" and "=2"
// anywhere in GODEBUG), in the environment given or the process's own.
func TestHTTP2Debug(t *testing.T) {
	none := func(string) string { return "" }
	for _, tc := range []struct {
		godebug string
		refused bool
	}{
		{"", false},
		{"http2debug=0", false},
		{"x509sha1=1,http2debug=0", false},
		{"http2debug=1", true},
		{"http2debug=2", true},
		{"http2client=0,http2debug=1", true},
		{"http2debug=0,http2debug=2", true},
	} {
		env := func(k string) string {
			if k == "GODEBUG" {
				return tc.godebug
			}
			return ""
		}
		for name, err := range map[string]error{"given": HTTP2Debug(env, none), "own": HTTP2Debug(none, env)} {
			if (err != nil) != tc.refused {
				t.Errorf("GODEBUG=%q (%s): %v, want refused %v", tc.godebug, name, err, tc.refused)
			}
		}
	}
}
