package parity_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityLeftoverWildcardLab: git has shop.parity.test. with an
// address and names below it (api.shop, www.shop), no wildcard; old
// still holds *.shop from a setup made by hand before git, new holds
// exactly git. Resolvers get an address for any other name under shop
// from old and NXDOMAIN from new: after the flip those names stop
// resolving. A random label is asked under every name with names below
// it, not only under the apex, wildcards' parents, DNAMEs and empty
// non-terminals, so the wildcard on one side is found without --axfr.
func TestParityLeftoverWildcardLab(t *testing.T) {
	text := fixture(t) + "\nshop IN A 192.0.2.70\napi.shop IN A 192.0.2.71\nwww.shop IN A 192.0.2.72\n"
	z := loadText(t, text)
	old := serve(t, "bind", text+"*.shop IN A 192.0.2.70\n")
	new := serve(t, "knot", text)
	rep := run(t, z, []string{old}, []string{new})
	dump(t, rep)
	found := false
	for _, f := range rep.Findings {
		if strings.HasSuffix(f.Name, ".shop."+origin) && f.Kind == "wildcard" && f.Severity == parity.SevError {
			found = true
		}
	}
	if !found || rep.OK() {
		t.Errorf("a wildcard under shop.%s on old only: want a wildcard error", origin)
	}
}
