package cutover

import (
	"slices"
	"testing"
)

// TestSignedQuestionsWildcards: the dnssec gate asks, for each wildcard
// of data, dnsparity-wildcard below its parent for each of its types
// (the expansion and its proof); not for a wildcard delegation (NS, a
// referral), nor where that name exists in the zone, nor below a cut.
func TestSignedQuestionsWildcards(t *testing.T) {
	z := gitZone(t, "$ORIGIN example.test.\n$TTL 60\n@ SOA ns h 1 60 60 60 60\n@ NS ns\nns A 192.0.2.1\n*.sub A 192.0.2.7\n*.sub TXT \"w\"\n*.del NS ns.other.test.\n*.taken A 192.0.2.8\ndnsparity-wildcard.taken TXT \"x\"\ncut NS ns.other.test.\n*.in.cut A 192.0.2.9\n")
	qs := signedQuestions(z)
	has := func(name, qtype string) bool { return slices.Contains(qs, [2]string{name, qtype}) }
	for _, q := range [][2]string{{"dnsparity-wildcard.sub.example.test.", "A"}, {"dnsparity-wildcard.sub.example.test.", "TXT"}} {
		if !has(q[0], q[1]) {
			t.Errorf("no question %s %s: %q", q[0], q[1], qs)
		}
	}
	for _, name := range []string{"dnsparity-wildcard.del.example.test.", "dnsparity-wildcard.in.cut.example.test."} {
		for _, q := range qs {
			if q[0] == name {
				t.Errorf("asked %s %s", q[0], q[1])
			}
		}
	}
	if has("dnsparity-wildcard.taken.example.test.", "A") {
		t.Errorf("asked the wildcard's expansion at a name the zone holds: %q", qs)
	}
}
