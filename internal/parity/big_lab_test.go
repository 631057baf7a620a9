package parity_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityLargeAnswersLab: RRsets past 512, 1232 and 4096 octets (an
// answer only TCP carries whole: each server sets TC=1 over UDP, at its
// own limit) are the same on BIND, Knot and PowerDNS, and a difference in
// the last record of one (past the UDP size) is found.
func TestParityLargeAnswersLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "pdns_server")
	var b strings.Builder
	b.WriteString(fixture(t))
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&b, "big IN TXT \"record %02d %s\"\n", i, strings.Repeat("x", 90))
	}
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "many IN A 192.0.2.%d\n", i+1)
		fmt.Fprintf(&b, "many IN AAAA 2001:db8::%x\n", i+1)
	}
	text := b.String()
	z := loadText(t, text)
	bind, knot, pdns := serve(t, "bind", text), serve(t, "knot", text), serve(t, "pdns", text)
	rep := run(t, z, []string{bind, pdns}, []string{knot})
	dump(t, rep)
	if !rep.OK() {
		t.Errorf("answers over the UDP size differ on equal zones")
	}
	changed := strings.Replace(text, "record 59 ", "record 59!", 1)
	rep = run(t, z, []string{bind}, []string{serve(t, "pdns", changed)})
	found := false
	for _, f := range rep.Findings {
		if f.Name == "big."+origin && f.Type == "TXT" && f.Severity == parity.SevError {
			found = true
		}
	}
	if !found {
		dump(t, rep)
		t.Errorf("a difference in the 60th TXT record of a 6 KB RRset not found")
	}
}
