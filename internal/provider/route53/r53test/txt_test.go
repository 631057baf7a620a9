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

// TestDeleteMatchesAll: a DELETE must repeat the set as it is (the SDK's
// ChangeResourceRecordSets: "To delete a resource record set, you must
// specify all the same values that you specified when you created it"):
// an alias with another target, another EvaluateTargetHealth or no
// AliasTarget at all is not deleted, and the batch applies nothing.
func TestDeleteMatchesAll(t *testing.T) {
	ttl := int64(300)
	alias := RRSet{Name: "www.example.com.", Type: "A", AliasTarget: &AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d111111abcdef8.cloudfront.net."}}
	plain := RRSet{Name: "www.example.com.", Type: "A", TTL: &ttl, ResourceRecords: NewRecords("192.0.2.80")}
	other := alias
	other.AliasTarget = &AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d222222abcdef8.cloudfront.net."}
	health := alias
	health.AliasTarget = &AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d111111abcdef8.cloudfront.net.", EvaluateTargetHealth: true}
	bare := RRSet{Name: "www.example.com.", Type: "A"}
	for _, tc := range []struct {
		name string
		del  RRSet
		ok   bool
	}{
		{"the alias as listed", alias, true},
		{"another target", other, false},
		{"another EvaluateTargetHealth", health, false},
		{"no AliasTarget", bare, false},
		{"plain values", plain, false},
	} {
		work, msgs, bad := applyBatch("example.com.", []RRSet{alias}, []Change{{Action: "DELETE", Set: tc.del}, {Action: "CREATE", Set: plain}})
		if bad != "" {
			t.Fatalf("%s: %s", tc.name, bad)
		}
		if ok := len(msgs) == 0; ok != tc.ok {
			t.Errorf("%s: DELETE accepted %v, want %v (%v)", tc.name, ok, tc.ok, msgs)
		}
		if tc.ok && (len(work) != 1 || work[0].AliasTarget != nil || work[0].Values()[0] != "192.0.2.80") {
			t.Errorf("%s: after the batch %+v", tc.name, work)
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

// TestListingOrder: ListResourceRecordSets "sorts results first by DNS
// name with the labels reversed, for example: com.example.www. Note the
// trailing dot, which can change the sort order when the record name
// contains characters that appear before . (decimal 46)", then by type
// (API Reference, ListResourceRecordSets, "Sort order"): a-b.example.com.
// (com.example.a-b.) comes before a.example.com. (com.example.a.), as
// '-' (45) is before '.'; without the trailing dot it came after.
func TestListingOrder(t *testing.T) {
	listed := []string{"b.example.com. A", "a.example.com. TXT", "a.example.com. A", "a-b.example.com. A", "example.com. NS", "x.a.example.com. A"}
	sets := make([]RRSet, len(listed))
	for i, k := range listed {
		sets[i].Name, sets[i].Type, _ = strings.Cut(k, " ")
	}
	sortSets(sets)
	var got []string
	for _, s := range sets {
		got = append(got, s.Name+" "+s.Type)
	}
	want := []string{"example.com. NS", "a-b.example.com. A", "a.example.com. A", "a.example.com. TXT", "x.a.example.com. A", "b.example.com. A"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("listed in the order\n%s\nwant\n%s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
}
