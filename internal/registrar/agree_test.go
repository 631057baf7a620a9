package registrar

import (
	"strings"
	"testing"
)

// TestAgree: the one judgement of the parent servers' answers. A server
// that does not answer is left out of Answered (and All is false); the
// answers agree on the NS set and on the DS set apart; the first answer
// is the view. Agreed is every server answering with one delegation.
func TestAgree(t *testing.T) {
	a := Delegation{NS: []string{"ns1.a.test."}, DS: []string{"1 13 2 AA"}}
	b := Delegation{NS: []string{"ns1.b.test."}, DS: []string{"1 13 2 AA"}}
	aDS := Delegation{NS: []string{"ns1.a.test."}, DS: []string{"2 13 2 BB"}}
	at := func(d Delegation) AtServer { return AtServer{Server: "s", Delegation: d} }
	down := AtServer{Server: "down", Err: "timeout"}
	for _, tc := range []struct {
		name        string
		views       []AtServer
		answered    int
		all, ns, ds bool
		one, agreed bool
		first       string
	}{
		{"one delegation", []AtServer{at(a), at(a)}, 2, true, true, true, true, true, "ns1.a.test."},
		{"one down", []AtServer{down, at(a)}, 1, false, true, true, true, false, "ns1.a.test."},
		{"NS differ", []AtServer{at(a), at(b)}, 2, true, false, true, false, false, "ns1.a.test."},
		{"DS differ", []AtServer{at(a), down, at(aDS)}, 2, false, true, false, false, false, "ns1.a.test."},
		{"none answers", []AtServer{down, down}, 0, false, true, true, false, false, ""},
	} {
		g := Agree(tc.views)
		if len(g.Answered) != tc.answered || g.All != tc.all || g.NS != tc.ns || g.DS != tc.ds || g.One() != tc.one || g.Agreed() != tc.agreed || strings.Join(g.First.NS, " ") != tc.first {
			t.Errorf("%s: %+v (one %v, agreed %v)", tc.name, g, g.One(), g.Agreed())
		}
		if d, ok := Agreed(tc.views); ok != tc.agreed || (ok && strings.Join(d.NS, " ") != tc.first) {
			t.Errorf("%s: Agreed %v %v", tc.name, d, ok)
		}
	}
}

// TestAgreeSilent: the servers that did not answer at all are named
// (Silent), in the order asked; AgreedButSilent leaves them out, not a
// server that answered without the delegation (REFUSED): resolvers get
// that answer.
func TestAgreeSilent(t *testing.T) {
	a := Delegation{NS: []string{"ns1.a.test."}}
	b := Delegation{NS: []string{"ns1.b.test."}}
	at := func(s string, d Delegation) AtServer { return AtServer{Server: s, Delegation: d} }
	down := func(s string) AtServer { return AtServer{Server: s, Err: "timeout", Silent: true} }
	refused := AtServer{Server: "r", Err: "REFUSED"}
	for _, tc := range []struct {
		name    string
		views   []AtServer
		silent  string
		agreed  bool // AgreedButSilent
		allSaid bool // Agreed
	}{
		{"all answer", []AtServer{at("1", a), at("2", a)}, "", true, true},
		{"one down", []AtServer{down("d1"), at("1", a)}, "d1", true, false},
		{"two down, in order", []AtServer{down("d2"), at("1", a), down("d1")}, "d2 d1", true, false},
		{"one refuses", []AtServer{at("1", a), refused}, "", false, false},
		{"one down, one refuses", []AtServer{down("d1"), at("1", a), refused}, "d1", false, false},
		{"one down, the others differ", []AtServer{down("d1"), at("1", a), at("2", b)}, "d1", false, false},
		{"all down", []AtServer{down("d1"), down("d2")}, "d1 d2", false, false},
	} {
		g := Agree(tc.views)
		if got := strings.Join(g.Silent, " "); got != tc.silent || g.AgreedButSilent() != tc.agreed || g.Agreed() != tc.allSaid {
			t.Errorf("%s: silent %q, agreed but silent %v, agreed %v; want %q %v %v", tc.name, got, g.AgreedButSilent(), g.Agreed(), tc.silent, tc.agreed, tc.allSaid)
		}
	}
}
