package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// A record of the old provider's own kind (PowerDNS's LUA here; an
// ALIAS, a web redirect, a Route 53 alias, a flattened apex CNAME, a
// located answer elsewhere) at a name git does not have: the provider's
// servers answer it, its listing leaves it out (a zone file cannot hold
// it: a feature, "omitted"), parity asks only git's names (a feature's
// name only from client subnets), and old-complete counted only the
// records dnsparity cannot read and the zones below: every gate passed
// and the name vanished at the flip. Now a served feature counts where
// git holds nothing it answers with at its name (its type, or an
// address for an alias-like type); one git answers for (git's A at the
// name) is a choice made in git, and a record the provider does not
// serve (disabled) is none.
func TestCompleteServedFeatureLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := pdnsGitText
	srv := lab.PDNS(t, lab.Options{LUA: true, Zones: []lab.Zone{{Origin: origin, Text: text + "app LUA A \"'192.0.2.99'\"\n"}}})
	r, err := query.Msg(context.Background(), srv.Addr, "app.example.test.", dns.TypeA, query.MsgOptions{Timeout: 2 * time.Second})
	if err != nil || r.Rcode != dns.RcodeSuccess || len(r.Answer) == 0 {
		t.Fatalf("the old server does not answer app.example.test. A: %v %v", r, err)
	}
	p := pdnsProvider(t, srv)
	gate := func(text string) Gate {
		git := gitZone(t, text)
		return (&Config{Zone: git, Old: Side{Name: "old", Provider: p}}).oldComplete(t)
	}
	g := gate(text)
	t.Logf("%s: ok=%v %s; plan %q", g.Name, g.OK, g.Detail, g.Plan)
	if g.OK || g.Err || !strings.Contains(g.Detail, "app.example.test. LUA") {
		t.Errorf("old-complete with a LUA record the old servers answer at a name git lacks: ok=%v %s", g.OK, g.Detail)
	}
	if !strings.Contains(strings.Join(g.Plan, " "), "no zone-file form") {
		t.Errorf("the plan does not say what to do with a record of the provider's own kind: %q", g.Plan)
	}
	// git answers at the name: the choice is git's.
	if g := gate(text + "app A 192.0.2.99\n"); !g.OK {
		t.Errorf("old-complete with git's A at the LUA record's name: %s", g.Detail)
	}
}

// A zone of the old provider below a delegation git makes (git delegates
// deleg.example.test.; the provider holds a.deleg.example.test.):
// resolvers follow git's delegation and never ask the old side for its
// names, so nothing vanishes at the flip; old-complete counted it as a
// zone below that git does not delegate (it checked git's NS at the
// zone's own name only) and refused the flip. One below no delegation of
// git still counts.
func TestCompleteNestedBelowCutLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 1209600 60\n@ NS ns1\nns1 A 192.0.2.53\ndeleg NS ns1.elsewhere.example.\n"
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{
		{Origin: origin, Text: text},
		{Origin: "a.deleg.example.test.", Text: "$ORIGIN a.deleg.example.test.\n$TTL 60\n@ SOA ns1.example.test. h 1 60 60 1209600 60\n@ NS ns1.example.test.\nwww A 192.0.2.81\n"},
		{Origin: "b.free.example.test.", Text: "$ORIGIN b.free.example.test.\n$TTL 60\n@ SOA ns1.example.test. h 1 60 60 1209600 60\n@ NS ns1.example.test.\nwww A 192.0.2.82\n"},
	}})
	cfg := pdnsOldConfig(t, srv, origin, text)
	g := cfg.oldComplete(t)
	t.Logf("%s: ok=%v %s", g.Name, g.OK, g.Detail)
	if g.OK || !strings.Contains(g.Detail, "b.free.example.test. zone") || strings.Contains(g.Detail, "a.deleg.example.test.") {
		t.Errorf("old-complete: ok=%v %s; want b.free.example.test. (below no delegation of git) and not a.deleg.example.test. (below git's delegation deleg)", g.OK, g.Detail)
	}
}

// pdnsGitText is git's example.test. in the old-complete tests against
// PowerDNS: apex, ns1 and www.
const pdnsGitText = "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 1209600 60\n@ NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.80\n"

// pdnsOldConfig is a Config whose git zone is text and whose old side is
// the PowerDNS srv, through its API.
func pdnsOldConfig(t *testing.T, srv *lab.PowerDNS, origin, text string) *Config {
	t.Helper()
	p := pdnsProvider(t, srv)
	git, err := zone.Parse(strings.NewReader(text), "example.test.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	return &Config{Zone: git, Old: Side{Name: "old", Provider: p}}
}

// oldComplete lists c's old side and judges it as gate old-complete.
func (c *Config) oldComplete(t *testing.T) Gate {
	t.Helper()
	held, unread, _, _, err := list(context.Background(), c, &c.Old)
	return gateComplete(c, GateOldComplete, &c.Old, held, unread, err, "vanish at the flip", nil)
}

// A zone the old provider holds below the zone (dev.example.test., made at
// the provider's UI), with no delegation in example.test.: the old
// provider's servers answer for its names (authoritatively, from that
// zone), and no listing of example.test. shows them, so old-complete
// passed and parity never asked them: they vanished at the flip. The
// gate now asks a provider that can list its zones (PowerDNS) for those
// below the zone, and counts each that git does not delegate; one git
// delegates is left to the delegation.
func TestCompleteNestedZoneLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := pdnsGitText
	git := gitZone(t, text)
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{
		{Origin: origin, Text: text},
		{Origin: "dev.example.test.", Text: "$ORIGIN dev.example.test.\n$TTL 60\n@ SOA ns1.example.test. h 1 60 60 1209600 60\n@ NS ns1.example.test.\nwww A 192.0.2.81\n"},
		{Origin: "other.test.", Text: "$ORIGIN other.test.\n$TTL 60\n@ SOA ns1.example.test. h 1 60 60 1209600 60\n@ NS ns1.example.test.\n"},
	}})
	// What resolvers asking the old provider's server get.
	r, err := query.Msg(context.Background(), srv.Addr, "www.dev.example.test.", dns.TypeA, query.MsgOptions{Timeout: 2 * time.Second})
	if err != nil || r.Rcode != dns.RcodeSuccess || len(r.Answer) == 0 {
		t.Fatalf("the old server does not answer for www.dev.example.test.: %v %v", r, err)
	}
	p := pdnsProvider(t, srv)
	gate := func(git *zone.Zone) Gate {
		return (&Config{Zone: git, Old: Side{Name: "old", Provider: p}}).oldComplete(t)
	}
	g := gate(git)
	t.Logf("%s: ok=%v %s; plan %q", g.Name, g.OK, g.Detail, g.Plan)
	if g.OK || g.Err || !strings.Contains(g.Detail, "dev.example.test. zone") || strings.Contains(g.Detail, "other.test") {
		t.Errorf("old-complete with a zone of the old provider below the zone, not delegated in git: ok=%v %s", g.OK, g.Detail)
	}
	// Delegated in git: the delegation's business, not a vanishing name.
	delegated := gitZone(t, text+"dev NS ns1.elsewhere.example.\n")
	if g := gate(delegated); !g.OK {
		t.Errorf("old-complete with the zone below delegated in git: %s", g.Detail)
	}
}

// old-complete's plan said "`dnsparity push --provider old` makes it hold
// exactly git" whatever the old side held beyond git. A push deletes the
// RRsets it lists and can change; it never touches a record of the
// provider's own kind (a LUA record here; an ALIAS, a redirect
// elsewhere), one it cannot read, or a zone of its own. Now the plan
// names what a push deletes and what must be deleted at the provider by
// hand, and a push of git (as plan and push compute it) does exactly
// that.
func TestCompletePlanPushTruthLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := pdnsGitText
	srv := lab.PDNS(t, lab.Options{LUA: true, Zones: []lab.Zone{{Origin: origin, Text: text + "app LUA A \"'192.0.2.99'\"\nextra A 192.0.2.7\n"}}})
	cfg := pdnsOldConfig(t, srv, origin, text)
	gate := func() Gate { return cfg.oldComplete(t) }
	g := gate()
	plans := strings.Join(g.Plan, "\n")
	t.Logf("%s: ok=%v %s\nplan:\n%s", g.Name, g.OK, g.Detail, plans)
	if g.OK || strings.Contains(plans, "exactly git") {
		t.Errorf("old-complete's plan claims a push makes the old side hold exactly git while it holds a LUA record no push deletes: %q", g.Plan)
	}
	var pushLine, handLine string
	for _, l := range g.Plan {
		switch {
		case strings.Contains(l, "push --provider old"):
			pushLine = l
		case strings.Contains(l, "app.example.test. LUA") && strings.Contains(l, "by hand"):
			handLine = l
		}
	}
	if !strings.Contains(pushLine, "extra.example.test. A") || strings.Contains(pushLine, "app.example.test.") {
		t.Errorf("the plan's push step should name extra.example.test. A (which a push deletes) and not the LUA record: %q", pushLine)
	}
	if handLine == "" {
		t.Errorf("the plan does not say the LUA record app.example.test. must be deleted at the provider by hand: %q", g.Plan)
	}
	// A push of git, as push computes it, does what the plan says.
	p, git := cfg.Old.Provider, cfg.Zone
	cur, err := p.Records(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(git, cur, plan.Options{Caps: p.Capabilities()})
	if _, err := p.Apply(context.Background(), origin, pl.Changes, nil); err != nil {
		t.Fatal(err)
	}
	g = gate()
	t.Logf("after the push: ok=%v %s", g.OK, g.Detail)
	if g.OK || !strings.Contains(g.Detail, "app.example.test. LUA") || strings.Contains(g.Detail, "extra.example.test.") {
		t.Errorf("after a push of git: %s; want the LUA record left, extra.example.test. gone", g.Detail)
	}
	if strings.Contains(strings.Join(g.Plan, " "), "push --provider old") {
		t.Errorf("with only a LUA record left, the plan still offers a push: %q", g.Plan)
	}
}

// TestFlipOldPrimaryNotServedLab: the old side is an RFC 2136 provider
// whose server (providers.old.server, the hidden primary old-complete
// lists by AXFR) is not among its nameservers, and its public server
// serves another copy of the zone: another serial, and a record the
// primary does not hold (secondaries fed from another primary, a
// server.primary that is not theirs). Parity asks git's names, which both
// copies answer alike; old-complete saw the primary's listing, not what
// resolvers get: on the code before, the flip passed and extra.example.test.
// TXT vanished with it. Status's hidden-master check says so; the flip
// must not move on a listing its public servers do not serve.
func TestFlipOldPrimaryNotServedLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ctx := context.Background()
	ip := map[string]string{"old": l.oldIP, "new": l.newIP}
	primary := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("old", ip)}}})
	l.old.Reload(t, lab.Zone{Origin: "example.test.", Text: replaced(t, ownNSZone("old", ip), " 1 60 60 1209600 60", " 2 60 60 1209600 60") + "extra TXT \"only on the public server\"\n"})
	c := l.mk()
	c.Old.Provider, c.Old.Primary = rfc2136Provider(t, primary.Addr, nil), primary.Addr
	rep := Flip(ctx, c, true, false)
	g := findGate(rep.Gates, GateOldComplete)
	t.Logf("flip (dry run): %s; old-complete %+v", rep.Result, g)
	if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "serial 2") {
		t.Fatalf("flip with the old side's public server serving another copy than the primary it lists (extra.example.test. TXT there only): %s, old-complete %+v", rep.Result, g)
	}
	for _, o := range rep.Gates {
		if o.Name != GateOldComplete && !o.OK {
			t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
		}
	}
}

// TestFlipOldDelegationServersNotListedLab: the parent's delegation sends
// resolvers to a server providers.old.nameservers does not list (a
// renumbered provider, a secondary, a third party's copy flip
// --from-current takes): the flip asks it as an old server
// (askFromServers), so parity compares what resolvers get for git's
// names; but old-complete lists the provider, whose copy that server does
// not serve (another serial, a record the provider does not hold). On the
// code before, the flip passed and extra.example.test. TXT vanished with
// it.
func TestFlipOldDelegationServersNotListedLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ctx := context.Background()
	ip := map[string]string{"old": l.oldIP, "new": l.newIP}
	listed := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("old", ip)}}})
	l.old.Reload(t, lab.Zone{Origin: "example.test.", Text: replaced(t, ownNSZone("old", ip), " 1 60 60 1209600 60", " 2 60 60 1209600 60") + "extra TXT \"only on the delegation's server\"\n"})
	c := l.mk()
	c.Old.Provider, c.Old.Servers = rfc2136Provider(t, listed.Addr, nil), []string{listed.Addr}
	rep := Flip(ctx, c, true, false)
	g := findGate(rep.Gates, GateOldComplete)
	t.Logf("flip (dry run): %s; old-complete %+v; warnings %q", rep.Result, g, rep.Warnings)
	if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "serial 2") {
		t.Fatalf("flip with the delegation's server serving another copy than the provider lists (extra.example.test. TXT there only): %s, old-complete %+v", rep.Result, g)
	}
}

// TestFlipOldCopySameSerialLab: TestFlipOldPrimaryNotServedLab and
// TestFlipOldDelegationServersNotListedLab with the other copy at the
// SAME serial as the listing: a copy edited apart (two primaries started
// from one file, a secondary restored from a backup) keeps the serial and
// differs in content. The serial alone passes it, and
// extra.example.test. TXT, served only there, vanishes at the flip. Where
// the server allows the transfer, what it serves is compared with the
// listing: the flip must refuse, naming the RRset.
func TestFlipOldCopySameSerialLab(t *testing.T) {
	for _, tc := range otherCopyCases {
		t.Run(tc.name, func(t *testing.T) {
			_, rep, g := flipOverOtherCopy(t, tc.set, nil)
			if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "extra.example.test.") {
				t.Fatalf("flip with the old side's resolvers' server serving another copy at the listing's serial (extra.example.test. TXT there only): %s, old-complete %+v", rep.Result, g)
			}
			for _, o := range rep.Gates {
				if o.Name != GateOldComplete && !o.OK {
					t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
				}
			}
		})
	}
}

// otherCopyCases are where the other copy of TestFlipOldCopySameSerialLab
// and TestFlipOldCopyTransferRefusedLab stands: behind the old side's
// hidden primary, or at an address the delegation adds.
var otherCopyCases = []struct {
	name string
	set  func(c *Config, listed *lab.Server)
}{
	{"primary", func(c *Config, listed *lab.Server) { c.Old.Primary = listed.Addr }},
	{"delegation", func(c *Config, listed *lab.Server) { c.Old.Servers = []string{listed.Addr} }},
}

// flipOverOtherCopy runs a dry-run flip whose old side is listed from
// one server (Knot) while the servers resolvers ask (the lab's old BIND,
// placed by set) serve another copy at the same serial with
// extra.example.test. TXT only there; key (nil: none) signs the copy
// check's transfers. It returns the lab, the report and old-complete.
func flipOverOtherCopy(t *testing.T, set func(c *Config, listed *lab.Server), key *parity.TSIG) (*reviewLab, *Report, *Gate) {
	t.Helper()
	l := newReviewLab(t, 60)
	ip := map[string]string{"old": l.oldIP, "new": l.newIP}
	listed := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("old", ip)}}})
	l.old.Reload(t, lab.Zone{Origin: "example.test.", Text: ownNSZone("old", ip) + "extra TXT \"only on the other copy\"\n"})
	c := l.mk()
	c.Old.Provider = rfc2136Provider(t, listed.Addr, nil)
	c.Parity.OldTSIG = key
	set(c, listed)
	rep := Flip(context.Background(), c, true, false)
	g := findGate(rep.Gates, GateOldComplete)
	t.Logf("flip (dry run): %s; old-complete %+v", rep.Result, g)
	return l, rep, g
}

// TestCopyServedOwnKindLab: the old side is PowerDNS through its API, and
// the parent's delegation adds a second PowerDNS server (a secondary the
// config does not list) serving the same copy, at the same serial, with a
// LUA record (PowerDNS's own kind, type 65402) answering app A
// 192.0.2.99, as git does. The listing gives that record as a feature,
// which git answers at its name: old-complete is met. The second server's
// transfer holds it as TYPE65402, which the listing's records cannot
// hold: it is the record the listing gave, no RRset of another copy. On
// the code before, old-complete was unmet ("holds 1 RRset the listing
// lacks: app.example.test. TYPE65402"), and every flip refused. An RRset
// only the second server holds is still refused, and said once (the
// detail held it twice, the first glued to the listing's sentence).
func TestCopyServedOwnKindLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := pdnsGitText + "app A 192.0.2.99\n"
	served := pdnsGitText + "app LUA A \"'192.0.2.99'\"\n"
	listed := lab.PDNS(t, lab.Options{LUA: true, Zones: []lab.Zone{{Origin: origin, Text: served}}})
	ctx := context.Background()
	for _, tc := range []struct {
		name, extra string
		ok          bool
	}{
		{"the same copy", "", true},
		{"another copy", "extra A 192.0.2.7\n", false},
	} {
		second := lab.PDNS(t, lab.Options{LUA: true, Zones: []lab.Zone{{Origin: origin, Text: served + tc.extra}}})
		c := pdnsOldConfig(t, listed, origin, text)
		c.defaults()
		c.Old.Servers = []string{listed.Addr, second.Addr}
		c.Old.fromDelegation = []string{second.Addr}
		held, unread, _, answered, err := list(ctx, c, &c.Old)
		if err != nil {
			t.Fatal(err)
		}
		g := gateComplete(c, GateOldComplete, &c.Old, held, unread, nil, "vanish at the flip", nil)
		if !g.OK {
			t.Fatalf("%s: old-complete of the listing alone: %s", tc.name, g.Detail)
		}
		g = listingServed(ctx, c, g, &c.Old, held, answered)
		t.Logf("%s: old-complete %+v", tc.name, g)
		if g.OK != tc.ok {
			t.Errorf("%s: old-complete ok=%v, want %v: %s", tc.name, g.OK, tc.ok, g.Detail)
		}
		if strings.Contains(g.Detail, "TYPE65402") {
			t.Errorf("%s: the LUA record the listing gives is named as an RRset beyond it: %s", tc.name, g.Detail)
		}
		if !tc.ok && !strings.Contains(g.Detail, "extra.example.test. A") {
			t.Errorf("%s: the refusal does not name extra.example.test. A: %s", tc.name, g.Detail)
		}
		if n := strings.Count(g.Detail, "serves the listing's serial"); !tc.ok && n != 1 {
			t.Errorf("%s: the detail says what the second server serves %d times, want once: %s", tc.name, n, g.Detail)
		}
	}
}

// belowGitCut is git's zone with the cut deleg (glued) and the cases of
// data an old provider holds beyond it at and below that cut: occluded
// (never served: every name there gets the referral) or carried by the
// referral (glue, the DS at the cut), which vanishes at a step.
func belowGitCut() (git string, cases []belowCutCase) {
	return pdnsGitText + "deleg NS ns.deleg\nns.deleg A 192.0.2.54\n", []belowCutCase{
		{what: "a name below the cut", extra: "www.deleg A 192.0.2.9\n"},
		{what: "a deeper name below the cut", extra: "a.b.deleg TXT \"left behind\"\n"},
		{what: "another type at the glue's name", extra: "ns.deleg TXT \"occluded\"\n"},
		{what: "data at the delegation point", extra: "deleg TXT \"occluded\"\n"},
		{what: "glue of another family", extra: "ns.deleg AAAA 2001:db8::54\n", name: "ns.deleg.example.test. AAAA", served: true},
		{what: "the DS at the cut", extra: "deleg DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n", name: "deleg.example.test. DS", served: true},
	}
}

// belowCutCase is one row of belowGitCut.
type belowCutCase struct {
	what   string
	extra  string // what the old provider holds beyond git
	name   string // the name a refusal names, "" for a pass
	served bool   // the old server serves it (glue or DS), with the referral
}

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
	git, cases := belowGitCut()
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

// TestEmergencyBelowGitCutLab: the cases of TestCompleteBelowGitCutLab
// (data the old provider, real PowerDNS, holds at and below a cut of
// git's) in flip --emergency with the old side partly down, its one
// server still answering: old-complete there (downComplete) must judge
// them by the planned gate's rule (lacksServed, zone.View.OccludedByCut),
// with the provider listed and with its API down (the survivor's
// transfer alone): occluded data passes, the glue and the DS at the cut
// git lacks, which the referral carries and the new side will not serve,
// refuse. On the code before, the emergency path (gitGives) took
// anything at or below a cut of git's as given: the glue and the DS
// passed, vanishing at the emergency flip the planned flip refuses; and
// a survivor's referral carrying the glue asked for was judged as an NS
// answer.
func TestEmergencyBelowGitCutLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	git, cases := belowGitCut()
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: git + tc.extra}}})
			planned := pdnsOldConfig(t, srv, origin, git).oldComplete(t)
			for _, unlisted := range []bool{false, true} {
				c := pdnsOldConfig(t, srv, origin, git)
				if unlisted {
					c.Old.Provider = unlistable{c.Old.Provider}
				}
				c.defaults()
				c.Old.Servers = []string{srv.Addr, silent(t)}
				c.New = Side{Name: "new"}
				g := downComplete(ctx, c, &c.Old, &c.New, []string{srv.Addr})
				t.Logf("API down %v: old-complete ok=%v %s; warnings %q", unlisted, g.OK, g.Detail, g.warnings)
				if g.OK != planned.OK {
					t.Errorf("API down %v: flip --emergency's old-complete ok=%v (%s), the planned flip's ok=%v (%s): one rule for what git gives", unlisted, g.OK, g.Detail, planned.OK, planned.Detail)
				}
				switch {
				case tc.name == "" && (!g.OK || g.Err):
					t.Errorf("API down %v: %s held at the old provider, never served: ok=%v %s; want passed", unlisted, strings.TrimSpace(tc.extra), g.OK, g.Detail)
				case tc.name != "" && (g.OK || !strings.Contains(g.Detail, tc.name) || !strings.Contains(g.Detail, srv.Addr)):
					t.Errorf("API down %v: %s served by the surviving old server with the referral: ok=%v %s; want refused naming %s at %s", unlisted, strings.TrimSpace(tc.extra), g.OK, g.Detail, tc.name, srv.Addr)
				}
			}
		})
	}
}
