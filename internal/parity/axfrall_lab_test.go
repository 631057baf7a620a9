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

// TestAXFRNonApexZONEMDLab: with --axfr, a new server holds a ZONEMD
// below the apex that git lacks: data like any record (RFC 8976 §2: only
// the apex ZONEMD is the zone's digest, the one a signer or a provider
// makes, zone.SignerMade), which resolvers asking that name get from it
// alone. The transfer left out every ZONEMD, CDS, CDNSKEY and TYPE65534
// at any name (zone.SignerApexType without the apex), so no question
// found it.
func TestAXFRNonApexZONEMDLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	text := fixture(t)
	z := loadText(t, text)
	old := serve(t, "bind", text)
	nw := serve(t, "knot", text+"\nlegacy IN ZONEMD 1 1 1 "+strings.Repeat("ab", 48)+"\n")
	rep := runWith(t, z, []string{old}, []string{nw}, func(o *parity.Options) { o.AXFR = true })
	dump(t, rep)
	for _, f := range rep.Findings {
		if f.Severity == parity.SevError && f.Name == "legacy."+origin && f.Type == "ZONEMD" {
			return
		}
	}
	t.Fatalf("no error naming legacy.%s ZONEMD on %s", origin, nw)
}
