package parity_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityAXFRWildcardCoveredLab: under --axfr, parity asks the union
// of the names git and both sides hold. A name one side holds by hand
// where git's wildcard answers (an explicit node the old provider got
// from its UI, same address as the wildcard) changes more than the type
// found there: that side answers NODATA for every other type the
// wildcard has at the name (RFC 4592 §2.2.1: the wildcard does not apply
// at a name that exists). On the code before, parity asked only the
// (name, type) pairs the transfer listed, found them equal, and held
// while the name's TXT answer, and every name below it, differed
// between the sides; now each such name, and a random label below it,
// is also asked every type git's wildcard answers there. Real BIND
// (old) against real Knot (new), the extra node on either.
func TestParityAXFRWildcardCoveredLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	git := "$ORIGIN " + origin + "\n$TTL 300\n@ SOA ns1 h 1 60 60 1209600 60\n@ NS ns1\nns1 A 192.0.2.1\n* A 192.0.2.80\n* TXT \"v=DMARC1; p=none\"\n"
	z := loadText(t, git)
	// The node by hand on either side: on the new one, the names below
	// it that the wildcard answers at the old side are lost at the flip.
	for _, hand := range []string{"old", "new"} {
		t.Run(hand, func(t *testing.T) {
			texts := map[string]string{"old": git, "new": git}
			texts[hand] += "byhand A 192.0.2.80\n"
			old := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: texts["old"]}}}).Addr
			nw := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: texts["new"]}}}).Addr
			rep := runWith(t, z, []string{old}, []string{nw}, func(o *parity.Options) { o.AXFR = true })
			at, below := false, false
			for _, f := range rep.Findings {
				if f.Severity != "error" || f.Type != "TXT" || !strings.Contains(f.Detail, hand+" holds byhand") {
					continue
				}
				at = at || f.Name == "byhand."+origin
				below = below || strings.HasSuffix(f.Name, ".byhand."+origin)
			}
			for _, f := range rep.Findings {
				// The wildcard's TXT, a DMARC record at no _dmarc name, is
				// judged at the names asked as git's (byhand), never at a
				// random label below: a new owner each run.
				if f.Kind == "dmarc" && strings.HasSuffix(f.Name, ".byhand."+origin) {
					t.Errorf("a mail finding at the random name %s: %s", f.Name, f.Detail)
				}
			}
			if !at || !below {
				dump(t, rep)
				t.Errorf("error findings at byhand.%s TXT: %v, below it: %v; want both, naming the node %s holds (NODATA and NXDOMAIN there, the wildcard's TXT on the other side)", origin, at, below, hand)
			}
		})
	}
}
