package parity

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// TestOversizeInterrupted: an interrupted run keeps only the questions
// every server answered (keepAnswered renumbers them); the udp-size
// warning names the question the oversized answer was to, under its new
// index, and a server whose oversized answers were all left out gives
// none. On the code before, the examples kept the indexes from before
// the renumbering: the warning named another question, or indexed past
// the questions kept and panicked.
func TestOversizeInterrupted(t *testing.T) {
	a := func(name string) *query.Answer {
		return ans(t, true, dns.RcodeSuccess, name+" 300 IN A 192.0.2.1")
	}
	r := &runner{
		v:       unit(t),
		servers: []*query.Server{{Label: "old", Addr: "192.0.2.53:53"}, {Label: "new", Addr: "198.51.100.53:53"}},
		nOld:    1,
		nodes:   make([]nodes, 2),
		qs: []Question{
			{Name: "ns1.u.test.", Type: dns.TypeA},
			{Name: "x.w.u.test.", Type: dns.TypeA},
			{Name: "y.w.u.test.", Type: dns.TypeA},
		},
	}
	// The new server did not answer the first question before ctx
	// ended; the old one answered the first and the last oversized, the
	// new one the first.
	r.res = [][]*query.Answer{
		{a("ns1.u.test."), a("x.w.u.test."), a("y.w.u.test.")},
		{nil, a("x.w.u.test."), a("y.w.u.test.")},
	}
	r.over.note(0, 0, 1500)
	r.over.note(0, 2, 2000)
	r.over.note(1, 0, 1800)
	if n := r.keepAnswered(); n != 2 {
		t.Fatalf("keepAnswered = %d, want 2", n)
	}
	fs := r.oversizeFindings()
	if len(fs) != 1 {
		t.Fatalf("%d udp-size findings, want one (the old server's): %+v", len(fs), fs)
	}
	f := fs[0]
	if f.Name != "y.w.u.test." || !strings.Contains(f.Detail, "y.w.u.test. A (2000 octets)") || strings.Contains(f.Detail, "ns1.u.test.") || !strings.Contains(f.Detail, "192.0.2.53:53") {
		t.Errorf("udp-size finding at %s: %s", f.Name, f.Detail)
	}
}
