package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/query"
)

// TestCompleteBelowGitCutLab: the old provider (real PowerDNS, through
// its API) still holds records below a delegation that git and the old
// zone both make (deleg, moved to its own servers, the old names left
// behind), and at the delegation point itself. Its servers answer every
// such name with the referral: the records are occluded (RFC 1034
// §4.3.2 step 3b), never served, so nothing vanishes at the flip.
// old-complete judged every listed RRset git lacks, and refused the flip
// ("would vanish"), with a plan to import them into git, where they
// would be occluded just the same. Now an RRset below a cut of git is
// judged as git's servers would serve it (zone.View.Occluded): occluded
// data passes, while what a referral carries still counts: glue (an
// address of a name the cut's NS set names) and the DS at the cut,
// which the new side would not serve (the child's other address family
// gone, its chain of trust cut).
func TestCompleteBelowGitCutLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	git := pdnsGitText + "deleg NS ns.deleg\nns.deleg A 192.0.2.54\n"
	cases := []struct {
		what   string
		extra  string // what the old provider holds beyond git
		name   string // the name a refusal names, "" for a pass
		served bool   // the old server serves it (glue or DS), with the referral
	}{
		{what: "a name below the cut", extra: "www.deleg A 192.0.2.9\n"},
		{what: "a deeper name below the cut", extra: "a.b.deleg TXT \"left behind\"\n"},
		{what: "another type at the glue's name", extra: "ns.deleg TXT \"occluded\"\n"},
		{what: "data at the delegation point", extra: "deleg TXT \"occluded\"\n"},
		{what: "glue of another family", extra: "ns.deleg AAAA 2001:db8::54\n", name: "ns.deleg.example.test. AAAA", served: true},
		{what: "the DS at the cut", extra: "deleg DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n", name: "deleg.example.test. DS", served: true},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: git + tc.extra}}})
			rr, err := dns.NewRR("$ORIGIN " + origin + "\n" + tc.extra)
			if err != nil {
				t.Fatal(err)
			}
			// What resolvers asking the old server get: the referral,
			// with the glue and the DS, never the occluded data.
			r, err := query.Msg(context.Background(), srv.Addr, rr.Header().Name, rr.Header().Rrtype, query.MsgOptions{Timeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			inAnswer := false
			for _, a := range append(append(r.Answer, r.Extra...), r.Ns...) {
				if a.Header().Rrtype == rr.Header().Rrtype && strings.EqualFold(a.Header().Name, rr.Header().Name) {
					inAnswer = true
				}
			}
			if inAnswer != tc.served {
				t.Fatalf("the old server serves %s: %v, want %v (%v)", strings.TrimSpace(tc.extra), inAnswer, tc.served, r)
			}
			g := pdnsOldConfig(t, srv, origin, git).oldComplete(t)
			t.Logf("%s: ok=%v %s", g.Name, g.OK, g.Detail)
			switch {
			case tc.name == "" && (!g.OK || g.Err):
				t.Errorf("old-complete with %s held at the old provider, never served: ok=%v %s; want passed", strings.TrimSpace(tc.extra), g.OK, g.Detail)
			case tc.name != "" && (g.OK || !strings.Contains(g.Detail, tc.name)):
				t.Errorf("old-complete with %s held at the old provider, served with the referral: ok=%v %s; want refused naming %s", strings.TrimSpace(tc.extra), g.OK, g.Detail, tc.name)
			}
		})
	}
}
