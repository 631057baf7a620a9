package config

import (
	"errors"
	"fmt"
	"testing"
)

// TestOnlyUnsetWrapped: an unset variable and a value refused, joined
// (a TSIG key's name_env and secret_env, TSIG.Resolve) and then wrapped
// with context (parity's "parity.axfr: %w"), are not only unset: the
// refused value must stop the run before any record is printed. On the
// code before, errors.Is found the unset one through the wrap and said
// only unset.
func TestOnlyUnsetWrapped(t *testing.T) {
	unset := UnsetError("providers.new.tsig.name_env", "NEW_TSIG_NAME")
	short := ShortSecretError("providers.new.tsig.secret_env", "NEW_TSIG_SECRET")
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"unset", unset, true},
		{"unset wrapped", fmt.Errorf("parity.axfr: %w", unset), true},
		{"two unset joined and wrapped", fmt.Errorf("x: %w", errors.Join(unset, fmt.Errorf("y: %w", unset))), true},
		{"refused", short, false},
		{"unset and refused joined", errors.Join(unset, short), false},
		{"unset and refused joined, wrapped", fmt.Errorf("parity.axfr: %w", errors.Join(unset, short)), false},
		{"nil", nil, false},
	} {
		if got := OnlyUnset(tc.err); got != tc.want {
			t.Errorf("%s: OnlyUnset = %v, want %v", tc.name, got, tc.want)
		}
	}
}
