package dnssec_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/dnssec"
)

// TestRemainingShortLab (Zonemaster DNSSEC04 REMAINING_SHORT, a WARNING):
// real BIND and Knot servers serve the zone as dnssec-signzone signed it
// with signatures that expire in an hour (a presigned zone its signer no
// longer re-signs). Valid now, the gate passes; once they expire every
// answer is bogus to validating resolvers, so the gate warns, naming the
// server, the RRset and when. Signatures valid for 30 days raise nothing.
func TestRemainingShortLab(t *testing.T) {
	a := newSigner(t, origin)
	soon := a.sign(t, zoneText, signOpts{start: "now-3600", end: "now+3600"})
	servers := []string{serve(t, "knot", soon), serve(t, "bind", soon)}
	res := gate(t, servers, []string{a.ds(t, "2")})
	if !res.OK || res.Situation != dnssec.SignedMatch {
		t.Fatalf("ok=%v situation=%q: %s", res.OK, res.Situation, res.Detail)
	}
	w := strings.Join(res.Warnings, "\n")
	for _, s := range servers {
		if !strings.Contains(w, s+": ") {
			t.Errorf("no warning names %s: %q", s, res.Warnings)
		}
	}
	if !strings.Contains(w, "DNSSEC04 REMAINING_SHORT") || !strings.Contains(w, "expire") || !strings.Contains(res.Detail, "REMAINING_SHORT") {
		t.Fatalf("signatures expiring within the hour raise no warning: warnings %q; %s", res.Warnings, res.Detail)
	}
	t.Logf("%s", res.Warnings[0])

	long := a.sign(t, zoneText, signOpts{})
	if res := gate(t, []string{serve(t, "knot", long)}, []string{a.ds(t, "2")}); !res.OK || strings.Contains(strings.Join(res.Warnings, " "), "REMAINING_SHORT") {
		t.Errorf("30-day signatures: ok=%v warnings %q", res.OK, res.Warnings)
	}
}
