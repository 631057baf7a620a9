package cutover

import (
	"strings"
	"testing"
)

// TestFlipOldCopyTransferRefusedLab: TestFlipOldCopySameSerialLab with
// the other copy's server refusing the transfer (the parity TSIG key
// unknown to it). extra.example.test. TXT, served only there, at the
// listing's serial, vanishes at the flip; no question can find a name
// nobody lists (parity asks git's names, which the copy answers alike),
// so what a server that refuses the transfer serves beyond the listing
// cannot be known: old-complete must refuse, naming the server and the
// transfer it refused, rather than pass on the serial (the choice is a
// false refusal where the copy is in fact the same: allow the transfer).
// On the code before, the flip passed with "compared by SOA serial only".
func TestFlipOldCopyTransferRefusedLab(t *testing.T) {
	for _, tc := range otherCopyCases {
		t.Run(tc.name, func(t *testing.T) {
			l, rep, g := flipOverOtherCopy(t, tc.set, unknownKey)
			if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, l.old.Addr) || !strings.Contains(g.Detail, "transfer") {
				t.Fatalf("flip with the old side's resolvers' server refusing the transfer, at the listing's serial (extra.example.test. TXT there only): %s, old-complete %+v", rep.Result, g)
			}
		})
	}
}
