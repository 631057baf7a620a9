package dnssec

import (
	"errors"
	"reflect"
	"testing"
)

// TestNotAskedGroups: the other side's servers that did not answer one
// question (a side that is down, each with its own socket error) are one
// warning naming them all, with the first one's error, in the place of
// the first; other warnings, a single server's and another side's or
// type's stay as they are, in their order.
func TestNotAskedGroups(t *testing.T) {
	refused := errors.New("read: connection refused")
	warnings := []string{"first warning"}
	var g notAskedGroups
	g.add(&warnings, "192.0.2.1:53", "old", "CDS", refused)
	g.add(&warnings, "192.0.2.9:53", "new", "CDS", errors.New("timeout"))
	warnings = append(warnings, "between")
	g.add(&warnings, "192.0.2.2:53", "old", "CDS", errors.New("another error"))
	g.add(&warnings, "192.0.2.1:53", "old", "CDNSKEY", refused)
	warnings = append(warnings, "last warning")
	g.collapse(warnings)
	want := []string{
		"first warning",
		"CDS not asked on 2 old-side servers that did not answer (192.0.2.1:53 192.0.2.2:53): e.g. read: connection refused",
		"192.0.2.9:53 (new side): CDS not asked: timeout",
		"between",
		"192.0.2.1:53 (old side): CDNSKEY not asked: read: connection refused",
		"last warning",
	}
	if !reflect.DeepEqual(warnings, want) {
		t.Errorf("warnings:\n%q\nwant\n%q", warnings, want)
	}
}
