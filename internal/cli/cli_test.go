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
