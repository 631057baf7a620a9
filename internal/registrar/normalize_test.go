package registrar

import (
	"reflect"
	"testing"
)

// TestNormalize: NS names are made absolute, folded for ASCII only (RFC
// 4343) and sorted, so that two delegations compare.
func TestNormalize(t *testing.T) {
	d := Delegation{NS: []string{"NS2.Example.NET", "ns1.ÄRGER.test."}, DS: []string{"2 8 2 AB", "1 8 2 CD"}}
	d.Normalize()
	if want := []string{"ns1.Ärger.test.", "ns2.example.net."}; !reflect.DeepEqual(d.NS, want) {
		t.Errorf("NS %q, want %q", d.NS, want)
	}
	if want := []string{"1 8 2 CD", "2 8 2 AB"}; !reflect.DeepEqual(d.DS, want) {
		t.Errorf("DS %q, want %q", d.DS, want)
	}
}
