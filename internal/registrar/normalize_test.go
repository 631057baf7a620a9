package registrar

import (
	"reflect"
	"testing"
)

// TestNormalize: NS names are made canonical (zone.CanonicalNames:
// absolute, folded for ASCII only as RFC 4343 says, one spelling of each
// escape, as miekg/dns writes a name read from the wire) and sorted, so
// that two delegations compare: "a\098c" is "abc", a raw octet outside
// printable ASCII is its \DDD, as Lookup reads the parent's referral.
func TestNormalize(t *testing.T) {
	d := Delegation{NS: []string{"NS2.Example.NET", "ns1.ÄRGER.test.", `NS.A\098C.test`}, DS: []string{"2 8 2 AB", "1 8 2 CD"}}
	d.Normalize()
	if want := []string{"ns.abc.test.", `ns1.\195\132rger.test.`, "ns2.example.net."}; !reflect.DeepEqual(d.NS, want) {
		t.Errorf("NS %q, want %q", d.NS, want)
	}
	if want := []string{"1 8 2 CD", "2 8 2 AB"}; !reflect.DeepEqual(d.DS, want) {
		t.Errorf("DS %q, want %q", d.DS, want)
	}
	// The same delegation written by a config and read from the wire.
	cfg := Delegation{NS: []string{`ns.a\098c.test.`, "ns1.Ärger.test."}}
	wire := Delegation{NS: []string{"ns.abc.test.", `ns1.\195\132rger.test.`}}
	cfg.Normalize()
	wire.Normalize()
	if !SameNS(cfg.NS, wire.NS) {
		t.Errorf("one NS set, two spellings: %q and %q", cfg.NS, wire.NS)
	}
}

// TestNormalizeGlueKeys: Normalize writes the glue's names as it writes
// the NS names, so the glue of an in-bailiwick name is found under the
// name as the NS set spells it; two spellings of one name merge their
// addresses. On the code before: NS ["ns.abc.example.test."], glue keyed
// [ns.a\098c.example.test.].
func TestNormalizeGlueKeys(t *testing.T) {
	for _, n := range []string{`ns.a\098c.example.test.`, "ns.\xc3\x84.example.test.", "NS.Upper.example.test"} {
		d := Delegation{NS: []string{n}, Glue: map[string][]string{n: {"192.0.2.1"}}}
		d.Normalize()
		if got := d.Glue[d.NS[0]]; !reflect.DeepEqual(got, []string{"192.0.2.1"}) {
			t.Errorf("%q: NS %q, glue %v: the NS name's glue is not found", n, d.NS, d.Glue)
		}
	}
	d := Delegation{NS: []string{"ns.abc.example.test."}, Glue: map[string][]string{`ns.a\098c.example.test.`: {"192.0.2.1"}, "NS.ABC.example.test.": {"192.0.2.1", "192.0.2.2"}}}
	d.Normalize()
	if got := d.Glue["ns.abc.example.test."]; len(d.Glue) != 1 || len(got) != 2 {
		t.Errorf("two spellings of one name: glue %v, want one name with 192.0.2.1 and 192.0.2.2", d.Glue)
	}
}
