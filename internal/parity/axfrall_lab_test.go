package parity_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestAXFREveryServerLab: with --axfr, the new side's second server holds
// a name git and the other servers lack (a node left with a record
// deleted elsewhere, the same serial): resolvers that pick it get an
// address where old and new's first server say NXDOMAIN. The first new
// server transfers cleanly; the name is found only by transferring the
// zone from every server of the side.
func TestAXFREveryServerLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	text := fixture(t)
	z := loadText(t, text)
	old := serve(t, "bind", text)
	new1 := serve(t, "knot", text)
	new2 := serve(t, "knot", text+"\nlegacy IN A 192.0.2.99\n")
	rep := runWith(t, z, []string{old}, []string{new1, new2}, func(o *parity.Options) { o.AXFR = true })
	dump(t, rep)
	found := false
	for _, f := range rep.Findings {
		if f.Severity == parity.SevError && f.Name == "legacy."+origin && strings.Contains(f.Detail, new2) {
			found = true
		}
	}
	if !found || rep.OK() {
		t.Fatalf("no error naming legacy.%s on %s", origin, new2)
	}
}
