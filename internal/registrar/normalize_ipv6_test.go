package registrar

import "testing"

// TestNormalizeGlueMergeIPv6: two spellings of one glue name merge their
// addresses, and an IPv6 address written two ways (as a config and a
// registrar's API may) is one address: the merged glue compares equal to
// the same glue spelled once. Before, the addresses were compared as
// written: "merged glue ns.example.test. 2001:db8::1 2001:db8::1, want
// ns.example.test. 2001:db8::1". An address that does not parse is kept
// as written.
func TestNormalizeGlueMergeIPv6(t *testing.T) {
	d := Delegation{NS: []string{"ns.example.test."}, Glue: map[string][]string{
		"ns.example.test.": {"2001:db8::1"},
		"NS.Example.Test.": {"2001:DB8:0::1"},
	}}
	d.Normalize()
	want := map[string][]string{"ns.example.test.": {"2001:db8::1"}}
	if !SameGlue(d.Glue, want) {
		t.Errorf("merged glue %s, want %s", GlueText(d.Glue), GlueText(want))
	}

	d = Delegation{NS: []string{"ns.example.test."}, Glue: map[string][]string{
		"ns.example.test.": {"2001:DB8:0:0::53", "not-an-address", "192.0.2.1"},
	}}
	d.Normalize()
	got := d.Glue["ns.example.test."]
	if len(got) != 3 || got[0] != "2001:db8::53" || got[1] != "not-an-address" || got[2] != "192.0.2.1" {
		t.Errorf("glue addresses written %q, want [2001:db8::53 not-an-address 192.0.2.1]", got)
	}
}
