package parity_test

import (
	"context"
	"strings"
	"testing"
	"time"

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
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := parity.Run(ctx, z, []parity.Target{{Addr: old}}, []parity.Target{{Addr: new1}, {Addr: new2}},
		parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8, AXFR: true})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
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
