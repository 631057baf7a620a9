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

// TestReadOctal: values as the Developer Guide's "Supported DNS record
// types" page spells them (octal escapes) read and listed as it says.
func TestReadOctal(t *testing.T) {
	for _, tc := range []struct{ in, listed, zone string }{
		{`"ex\344mple.com"`, `"ex\344mple.com"`, `"ex\228mple.com"`},
		{`"accented e: \351"`, `"accented e: \351"`, `"accented e: \233"`},
		{"\"raw \xe9\"", `"raw \351"`, `"raw \233"`},
		{`"say \"hi\" \\ \a"`, `"say \"hi\" \\ a"`, `"say \"hi\" \\ a"`},
		{`"tab\011" "\177"`, `"tab\011" "\177"`, `"tab\009" "\127"`},
		{`"\040lead"`, `" lead"`, `" lead"`},
		{`"\195\169"`, `"195169"`, `"195169"`}, // decimal is not Route 53's: \1 is '1'
		{`100 10 "u" "E2U+sip" "!^.*$!caf\303\251!" .`, `100 10 "u" "E2U+sip" "!^.*$!caf\303\251!" .`, `100 10 "u" "E2U+sip" "!^.*$!caf\195\169!" .`},
	} {
		if got := readOctal(tc.in, `\%03o`); got != tc.listed {
			t.Errorf("readOctal(%s, octal) = %s, want %s", tc.in, got, tc.listed)
		}
		if got := readOctal(tc.in, `\%03d`); got != tc.zone {
			t.Errorf("readOctal(%s, decimal) = %s, want %s", tc.in, got, tc.zone)
		}
	}
}

func TestMixedPolicy(t *testing.T) {
	w := func(id string) RRSet {
		n := int64(1)
		return RRSet{Name: "w.example.com.", Type: "A", SetIdentifier: id, Weight: &n}
	}
	plain := RRSet{Name: "w.example.com.", Type: "A"}
	geo := RRSet{Name: "w.example.com.", Type: "A", SetIdentifier: "eu", GeoLocation: &GeoLocation{ContinentCode: "EU"}}
	for _, tc := range []struct {
		name string
		have []RRSet
		set  RRSet
		want string
	}{
		{"plain beside weighted", []RRSet{w("blue")}, plain, "cannot be created as other RRSets exist"},
		{"weighted beside plain", []RRSet{plain}, w("blue"), "cannot be created as a non-weighted set exists"},
		{"geo beside weighted", []RRSet{w("blue")}, geo, "cannot be created as weighted sets exist"},
		{"weighted beside weighted", []RRSet{w("blue")}, w("green"), ""},
		{"other type", []RRSet{w("blue")}, RRSet{Name: "w.example.com.", Type: "AAAA"}, ""},
	} {
		if got := mixedPolicy(tc.have, tc.set); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
