package r53test

import (
	"strings"
	"testing"
)

func TestCharacterStrings(t *testing.T) {
	long := strings.Repeat("k", 255)
	for _, tc := range []struct {
		value, want string
	}{
		{`"v=spf1 -all"`, ""},
		{`"` + long + `" "tail"`, ""},
		{`"` + strings.Repeat(`\"`, 255) + `"`, ""},
		{`"` + strings.Repeat(`\255`, 255) + `"`, ""},
		{`""`, ""},
		{`v=spf1 -all`, "InvalidCharacterString"},
		{`"open`, "InvalidCharacterString"},
		{`"a" b`, "InvalidCharacterString"},
		{``, "InvalidCharacterString"},
		{`"` + long + `k"`, "CharacterStringTooLong"},
		{`"` + strings.Repeat(`\255`, 256) + `"`, "CharacterStringTooLong"},
	} {
		got := characterStrings(tc.value)
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("characterStrings(%.40q) = %q, want %q", tc.value, got, tc.want)
		}
	}
}
