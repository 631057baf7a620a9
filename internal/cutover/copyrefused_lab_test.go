package cutover

import (
	"strings"
	"testing"
)

// TestFlipOldCopyTransferRefusedLab: TestFlipOldCopySameSerialLab with
// the other copy's server refusing the transfer (the parity TSIG key
// unknown to it). What it serves beyond the listing cannot be seen (no
// question finds a name nobody lists), but a refusal would block every
// step of a zone whose secondary transfers to no one but its primary, the
// common case (TestCutoverFinishRecordedSecondaryLab): old-complete passes
// on the serial, and the server, its failed transfer and "serial only"
// are named in the gate's detail and in the report's warnings.
func TestFlipOldCopyTransferRefusedLab(t *testing.T) {
	for _, tc := range otherCopyCases {
		t.Run(tc.name, func(t *testing.T) {
			l, rep, g := flipOverOtherCopy(t, tc.set, unknownKey)
			if rep.Result != ResultDryRun || g == nil || !g.OK || !strings.Contains(g.Detail, l.old.Addr) || !strings.Contains(g.Detail, "serial only") {
				t.Fatalf("flip with the old side's resolvers' server refusing the transfer, at the listing's serial: %s, old-complete %+v, want a dry run passing it on the serial, naming the server", rep.Result, g)
			}
			if !warned(rep, l.old.Addr, "serial only") {
				t.Errorf("no warning names %s and the serial-only comparison: %q", l.old.Addr, rep.Warnings)
			}
		})
	}
}
