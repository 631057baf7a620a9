package cutover

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// labDS is a DS record for a key neither side serves: the parent holds it
// (the old provider's KSK, say), so a flip to an unsigned new side breaks
// validation for the whole zone, and the dnssec gate refuses it when it
// reads the DS from the parent zone's real servers.
const labDS = "12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"

// cutover.parent_servers is where every parent-side gate reads the
// delegation (points-to-old, the DS the dnssec gate checks against, the
// confirmation). A config that names servers that are not the parent
// zone's (a typo, a stale secondary, the old provider's server, or one an
// attacker runs, put there by a pull request) makes those gates read a
// lie: here the real parent holds a DS that no key of the new side
// matches, and the servers named serve none, so the dnssec gate passes as
// "unsigned" and the flip would leave the zone bogus. Gate parent-servers
// refuses: each server must serve the parent zone (its SOA, AA), answer
// the child with a referral (not as its own zone), and serve what the
// registrar itself holds (NS and DS).
func TestFlipParentServersLab(t *testing.T) {
	for _, tc := range []struct {
		name   string
		server func(l *reviewLab) string // cutover.parent_servers
		ds     bool                      // the real parent holds labDS
		ok     bool                      // gate parent-servers passes
		detail string                    // in the gate's detail when refused
	}{
		{"the parent zone's own server", func(l *reviewLab) string { return l.parent.Addr }, false, true, ""},
		// The same DS read from the real parent: the dnssec gate refuses.
		{"the parent zone's own server, with a DS", func(l *reviewLab) string { return l.parent.Addr }, true, true, ""},
		{"the old provider's server (it serves the child zone)", func(l *reviewLab) string { return l.old.Addr }, true, false, "example.test. itself"},
		{"a copy of the parent zone without the DS", func(l *reviewLab) string {
			return parentCopy(t, "ns1.old", l.oldIP)
		}, true, false, "DS"},
		{"a server that does not serve the parent zone", func(l *reviewLab) string {
			return lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: fmt.Sprintf("$TTL 5\n@ SOA ns1.old h.example.test. 1 60 60 1209600 5\n@ NS ns1.old\nns1.old A %s\n", l.oldIP)}}}).Addr
		}, true, false, "test."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			if tc.ds {
				// The parent really holds a DS (set through the
				// registrar, as the registry would).
				d := l.mk().Old.Want("example.test.", 5)
				d.DS = []string{labDS}
				if err := l.reg.SetDelegation(ctx, "example.test.", d); err != nil {
					t.Fatal(err)
				}
			}
			c := l.mk()
			c.ParentServers = []string{tc.server(l)}
			rep := Flip(ctx, c, true, false)
			var g *Gate
			for i := range rep.Gates {
				if rep.Gates[i].Name == GateParentServers {
					g = &rep.Gates[i]
				}
			}
			if tc.ok {
				if g == nil || !g.OK {
					t.Fatalf("flip --dry-run with the parent's own servers: %s, gate %+v, gates %+v, errors %v", rep.Result, g, rep.Gates, rep.Errors)
				}
				if !tc.ds && rep.Result != ResultDryRun {
					t.Fatalf("flip --dry-run with the parent's own servers: %s, gates %+v, errors %v", rep.Result, rep.Gates, rep.Errors)
				}
				if tc.ds && (rep.Result != ResultRefused || gateOK(rep, GateDNSSEC)) {
					t.Fatalf("flip --dry-run, the parent's DS matches no key of the new side: %s, gates %+v", rep.Result, rep.Gates)
				}
				return
			}
			t.Logf("%s: %s", GateParentServers, g.Detail)
			if rep.ExitCode() == 0 {
				t.Fatalf("flip --dry-run with cutover.parent_servers %s (not the parent zone's servers; the real parent holds DS %s): %s, every gate passed: %+v", c.ParentServers[0], labDS, rep.Result, rep.Gates)
			}
			if g == nil || g.OK {
				t.Fatalf("gate %s: %+v; result %s, errors %v, gates %+v", GateParentServers, g, rep.Result, rep.Errors, rep.Gates)
			}
			if !strings.Contains(g.Detail, tc.detail) || len(g.Plan) == 0 || !strings.Contains(strings.Join(g.Plan, " "), "cutover.parent_servers") {
				t.Errorf("gate detail %q (want it to name %q), plan %q", g.Detail, tc.detail, g.Plan)
			}
			if held, _ := l.reg.Delegation(ctx, "example.test."); !registrar.SameNS(held.NS, []string{"ns1.old.example.test."}) {
				t.Errorf("the registrar was changed: %+v", held)
			}
		})
	}
}

func gateOK(rep *Report, name string) bool {
	for _, g := range rep.Gates {
		if g.Name == name {
			return g.OK
		}
	}
	return false
}

// The same for a rollback: its points-to-new and dnssec gates read the
// parent's servers too. After a flip, cutover.parent_servers pointed at
// the new provider's server (which serves the child, and no DS) is
// refused; the parent's own server passes.
func TestRollbackParentServersLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	for _, tc := range []struct {
		name   string
		server string
		ok     bool
	}{{"the parent zone's own server", l.parent.Addr, true}, {"the new provider's server", l.nw.Addr, false}} {
		t.Run(tc.name, func(t *testing.T) {
			c := l.mk()
			c.ParentServers = []string{tc.server}
			rep := Rollback(ctx, c, true, false)
			if tc.ok != gateOK(rep, GateParentServers) || tc.ok != (rep.Result == ResultDryRun) {
				t.Fatalf("rollback --dry-run with cutover.parent_servers %s: %s, gates %+v, errors %v", tc.server, rep.Result, rep.Gates, rep.Errors)
			}
		})
	}
}

// Finish says the old provider is safe to decommission when the parent's
// servers delegate to the new side and nothing names the old one: read
// from a stale copy of the parent zone (it still delegates to the new
// side, while the registry was rolled back to the old one by hand), it
// would send the operator to shut down the provider the parent delegates
// to. The registrar holds another NS set than the servers named serve:
// gate parent-servers refuses. Read from the parent's own server, the
// finish is refused too (the parent delegates to the old side), and
// parent-servers passes.
func TestFinishParentServersLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	c, _, flipped := l.flip(t, ctx)
	setRRs(t, &c.Old, "example.test. 60 IN NS ns1.new.example.test.")
	stale := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: delegatingParent(2, "ns1.new", l.newIP)}}})
	// The registry is rolled back by hand.
	if err := l.reg.SetDelegation(ctx, "example.test.", c.Old.Want("example.test.", 5)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		server string
		ok     bool // gate parent-servers
	}{{"the parent zone's own server", l.parent.Addr, true}, {"a stale copy of the parent zone", stale.Addr, false}} {
		t.Run(tc.name, func(t *testing.T) {
			c := l.at(flipped, time.Hour)
			c.ParentServers = []string{tc.server}
			rep := Finish(ctx, c)
			if rep.Result == ResultDone {
				t.Fatalf("finish with cutover.parent_servers %s while the parent delegates to the old side: done (%v), gates %+v", tc.server, rep.Actions, rep.Gates)
			}
			if gateOK(rep, GateParentServers) != tc.ok {
				t.Errorf("gate %s ok %v, want %v: %+v", GateParentServers, !tc.ok, tc.ok, rep.Gates)
			}
		})
	}
}

// cutover.parent_servers may list only some of the parent zone's servers
// (one of two, say): the gates and the confirmation then read those, while
// resolvers ask every server the parent zone's NS set names. A server left
// out that serves another delegation (a stale secondary still holding a
// DS, or another NS set) sends the resolvers that ask it elsewhere: a DS
// there that no key of the new side matches makes the zone bogus for
// them. Gate parent-servers asks the addresses of the parent zone's own
// NS set (as the listed servers serve them) and refuses when one not
// listed serves another delegation; one serving the same is named.
func TestFlipParentServersUnlistedLab(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra string // the unlisted server's delegation of example.test., beyond the NS
		ok    bool
		// child: the address serves the child zone only (another NS
		// set, as its own zone), not the parent zone: a lame address of
		// the parent, which gives resolvers no delegation; not judged.
		child bool
	}{
		{"the unlisted server serves the same delegation", "", true, false},
		{"the unlisted server serves a DS", "example 5 DS " + labDS + "\n", false, false},
		{"the unlisted server serves another NS set", "example 5 NS ns1.new.example\nns1.new.example 5 A 192.0.2.53\n", false, false},
		{"the unlisted address serves the child zone, not the parent", "", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			tp := newTwoParents(t, l)
			ip2 := tp.ip2
			if tc.child {
				lab.BIND(t, lab.Options{IP: ip2, Zones: []lab.Zone{{Origin: "example.test.", Text: "$TTL 5\n@ SOA ns1.elsewhere.example. h.example.test. 1 60 60 1209600 5\n@ NS ns1.elsewhere.example.\n"}}})
			} else {
				lab.BIND(t, lab.Options{IP: ip2, Zones: []lab.Zone{{Origin: "test.", Text: tp.oldText + tc.extra}}})
			}
			rep := Flip(context.Background(), tp.mk(), true, false)
			var g *Gate
			for i := range rep.Gates {
				if rep.Gates[i].Name == GateParentServers {
					g = &rep.Gates[i]
				}
			}
			if g == nil {
				t.Fatalf("no gate %s: %s %+v %v", GateParentServers, rep.Result, rep.Gates, rep.Errors)
			}
			t.Logf("%s: %s", g.Name, g.Detail)
			if tc.ok {
				if rep.Result != ResultDryRun || !g.OK || !strings.Contains(g.Detail, ip2) {
					t.Fatalf("flip --dry-run: %s; gate %+v (want it passed, naming the unlisted %s); errors %v", rep.Result, g, ip2, rep.Errors)
				}
				return
			}
			if rep.ExitCode() == 0 || g.OK || !strings.Contains(g.Detail, ip2) {
				t.Fatalf("flip --dry-run while the parent's unlisted server %s serves another delegation: %s; gate %+v", ip2, rep.Result, g)
			}
		})
	}
}

// A rollback, a way out of an incident, accepts an unlisted parent server
// still serving the delegation the flip replaced (a secondary lagging, as
// readParent accepts a listed one in motion): the rollback restores it.
func TestRollbackParentServersUnlistedLab(t *testing.T) {
	l := newReviewLab(t, 5)
	tp := newTwoParents(t, l)
	lab.BIND(t, lab.Options{IP: tp.ip2, Zones: []lab.Zone{{Origin: "test.", Text: tp.oldText}}}) // never gets the flip
	mk := tp.mk
	ctx := context.Background()
	// The change is made, and not confirmed at the unlisted server
	// (TestFlipConfirmsUnlistedParentServerLab).
	if rep := Flip(ctx, mk(), false, false); rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	rep := Rollback(ctx, mk(), true, false)
	if rep.Result != ResultDryRun || !gateOK(rep, GateParentServers) {
		t.Fatalf("rollback --dry-run with an unlisted parent server still serving the old delegation: %s, gates %+v, errors %v", rep.Result, rep.Gates, rep.Errors)
	}
	// Finish is no way out of an incident: the unlisted server still
	// delegating to the old side refuses it (resolvers asking it still go
	// to the provider finish would let you decommission).
	c := mk()
	c.Overlap = time.Second
	c.Now = func() time.Time { return time.Now().Add(time.Hour) }
	if rep := Finish(ctx, c); rep.Result == ResultDone || gateOK(rep, GateParentServers) {
		t.Fatalf("finish while an unlisted parent server still delegates to the old side: %s, gates %+v", rep.Result, rep.Gates)
	}
}

// A rollback while a DS change is still spreading: an unlisted parent
// server serving the delegation the rollback moves away from with another
// DS set (a DS removed or added, not there yet) is named, not a refusal:
// the rollback is the way out of an incident. The same server refuses a
// planned flip (TestFlipParentServersUnlistedLab).
func TestRollbackParentServersUnlistedDSLab(t *testing.T) {
	l := newReviewLab(t, 5)
	tp := newTwoParents(t, l)
	mk := tp.mk
	ctx := context.Background()
	if rep := Flip(ctx, mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	// The unlisted server (silent during the flip) serves the flip's
	// delegation, with a DS the listed one does not serve.
	lab.BIND(t, lab.Options{IP: tp.ip2, Zones: []lab.Zone{{Origin: "test.", Text: tp.head + fmt.Sprintf("example 5 NS ns1.new.example\nns1.new.example 5 A %s\nexample 5 DS %s\n", l.newIP, labDS)}}})
	rep := Rollback(ctx, mk(), true, false)
	if !gateOK(rep, GateParentServers) {
		t.Fatalf("rollback --dry-run, an unlisted parent server with another DS set while the change spreads: %s, gates %+v, errors %v", rep.Result, rep.Gates, rep.Errors)
	}
}

// twoParents is a parent zone test. whose NS set names two servers: the
// first (started here, delegating to the old side) is the one
// cutover.parent_servers lists and the registrar changes; the second, at
// ip2, is left out of the config, and each test starts it with its own
// copy (head: the zone's apex; oldText: head and the delegation to the
// old side).
type twoParents struct {
	ip2, head, oldText string
	mk                 func() *Config
}

func newTwoParents(t *testing.T, l *reviewLab) *twoParents {
	t.Helper()
	key := &lab.TSIGKey{Name: "k.", Secret: "dW5saXN0ZWQta2V5LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNA=="}
	ip1, ip2 := lab.Addr(t), lab.Addr(t)
	tp := &twoParents{ip2: ip2, head: fmt.Sprintf("$TTL 5\n@ SOA ns1.test. h.test. 1 60 60 1209600 5\n@ NS ns1.test.\n@ NS ns2.test.\nns1 A %s\nns2 A %s\n", ip1, ip2)}
	tp.oldText = tp.head + fmt.Sprintf("example 5 NS ns1.old.example\nns1.old.example 5 A %s\n", l.oldIP)
	p1 := lab.BIND(t, lab.Options{IP: ip1, TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: tp.oldText}}})
	tp.mk = func() *Config {
		c := l.mk()
		c.ParentServers = []string{p1.Addr}
		c.Registrar = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p1.Addr, key)}
		return c
	}
	return tp
}

func TestSameDSText(t *testing.T) {
	for _, tc := range []struct {
		a, b []string
		same bool
	}{
		{[]string{"1 13 2 abcd ef01"}, []string{"1  13 2 ABCDEF01"}, true},
		{nil, []string{}, true},
		{[]string{"1 13 2 ABCD", "2 13 2 EF01"}, []string{"2 13 2 EF01", "1 13 2 ABCD"}, true},
		{[]string{"1 13 2 ABCD"}, []string{"1 13 2 ABCE"}, false},
		{[]string{"1 13 2 ABCD"}, nil, false},
	} {
		if got := sameDSText(tc.a, tc.b); got != tc.same {
			t.Errorf("sameDSText(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

// servesZone: which answers to "SOA parent, RD=0" show a server of the
// zone that holds the delegation.
func TestServesZone(t *testing.T) {
	soa := func(owner string) dns.RR {
		rr, err := dns.NewRR(owner + " 5 IN SOA ns.test. h.test. 1 60 60 1209600 5")
		if err != nil {
			t.Fatal(err)
		}
		return rr
	}
	msg := func(rcode int, aa bool, answer, ns []dns.RR) *dns.Msg {
		m := new(dns.Msg)
		m.Rcode, m.Authoritative, m.Answer, m.Ns = rcode, aa, answer, ns
		return m
	}
	for _, tc := range []struct {
		name   string
		parent string
		r      *dns.Msg
		ok     bool
	}{
		{"the parent's SOA, with authority", "test.", msg(dns.RcodeSuccess, true, []dns.RR{soa("test.")}, nil), true},
		{"the parent's SOA, in another case", "test.", msg(dns.RcodeSuccess, true, []dns.RR{soa("TEST.")}, nil), true},
		{"no AA (a resolver's or a cache's answer)", "test.", msg(dns.RcodeSuccess, false, []dns.RR{soa("test.")}, nil), false},
		{"another zone's SOA", "test.", msg(dns.RcodeSuccess, true, []dns.RR{soa("example.test.")}, nil), false},
		{"REFUSED (not a server of the zone)", "test.", msg(dns.RcodeRefused, false, nil, nil), false},
		{"an empty non-terminal of the enclosing zone", "b.test.", msg(dns.RcodeSuccess, true, nil, []dns.RR{soa("test.")}), true},
		{"NXDOMAIN in the enclosing zone", "b.test.", msg(dns.RcodeNameError, true, nil, []dns.RR{soa("test.")}), false},
		{"no data, the SOA of a zone below", "test.", msg(dns.RcodeSuccess, true, nil, []dns.RR{soa("b.test.")}), false},
		{"no data, the zone's own SOA in authority", "test.", msg(dns.RcodeSuccess, true, nil, []dns.RR{soa("test.")}), false},
		{"a referral (the name is delegated below it)", "b.test.", msg(dns.RcodeSuccess, false, nil, []dns.RR{}), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if ok, got := servesZone(tc.r, tc.parent); ok != tc.ok {
				t.Errorf("servesZone(%s) = %v (%s), want %v", tc.parent, ok, got, tc.ok)
			}
		})
	}
}

// registrarCheck refuses where what the registrar holds shows the listed
// servers are not the parent's (another NS set; a DS the registrar holds
// that they do not serve), and only names the differences a legitimate
// parent shows: a DS the registry published itself (CDS, more digest
// types), and anything at all during an emergency step, which must go on
// while the parent is in motion.
func TestRegistrarCheck(t *testing.T) {
	const ds1 = "12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	const ds2 = "54321 13 2 FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210"
	const ds1b = "12345 13 4 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
	old := []string{"ns1.old.example.test."}
	nw := []string{"ns1.new.example.test."}
	for _, tc := range []struct {
		name      string
		held      registrar.Delegation
		servedNS  []string
		servedDS  []string
		to, toDS  []string
		emergency bool
		ok        bool
		severity  string
	}{
		{"the same", registrar.Delegation{NS: old, DS: []string{ds1}}, old, []string{ds1}, nw, nil, false, true, "info"},
		{"the digest in lower case", registrar.Delegation{NS: old, DS: []string{strings.ToLower(ds1)}}, old, []string{ds1}, nw, nil, false, true, "info"},
		{"the step's own target, not published yet", registrar.Delegation{NS: nw}, old, nil, nw, nil, false, true, "info"},
		{"another NS set", registrar.Delegation{NS: []string{"ns9.elsewhere.example."}}, old, nil, nw, nil, false, false, "error"},
		{"a DS the servers do not serve (a stale copy)", registrar.Delegation{NS: old, DS: []string{ds1}}, old, nil, nw, nil, false, false, "error"},
		{"the servers serve more DS (CDS at the registry)", registrar.Delegation{NS: old, DS: []string{ds1}}, old, []string{ds1, ds2}, nw, nil, false, true, "warning"},
		{"the servers serve more digest types", registrar.Delegation{NS: old, DS: []string{ds1}}, old, []string{ds1, ds1b}, nw, nil, false, true, "warning"},
		{"the DS the step sets, not published yet", registrar.Delegation{NS: old, DS: []string{ds2}}, old, []string{ds1}, nw, []string{ds2}, false, true, "info"},
		{"emergency: a DS not published yet", registrar.Delegation{NS: old, DS: []string{ds1}}, old, nil, nw, nil, true, true, "warning"},
		{"emergency: another NS set", registrar.Delegation{NS: []string{"ns9.elsewhere.example."}}, old, nil, nw, nil, true, true, "warning"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z, err := zone.Parse(strings.NewReader("$TTL 60\n@ SOA ns1.old h 1 60 60 1209600 60\n@ NS ns1.old\nns1.old A 192.0.2.1\n"), "z", "example.test.", "")
			if err != nil {
				t.Fatal(err)
			}
			c := &Config{Zone: z, Registrar: heldRegistrar{tc.held}}
			rep := &Report{Command: "flip", Emergency: tc.emergency, Delegation: DelegationView{NS: tc.servedNS, DS: tc.servedDS}}
			var bad []string
			ch := registrarCheck(context.Background(), c, rep, tc.to, tc.toDS, &bad)
			if ch.OK != tc.ok || ch.Severity != tc.severity || (len(bad) == 0) != tc.ok {
				t.Errorf("ok %v, severity %s, refusals %q; want ok %v, severity %s (detail %s)", ch.OK, ch.Severity, bad, tc.ok, tc.severity, ch.Detail)
			}
		})
	}
}

// The parent found by the child's labels may be an empty non-terminal of
// the zone that holds the delegation (example.sub.test. in test.): the
// addresses parent-unlisted asks are those of that zone's own NS set,
// not none.
func TestUnlistedAddrsEmptyNonTerminalLab(t *testing.T) {
	lab.Require(t, "named")
	ip1, ip2 := lab.Addr(t), lab.Addr(t)
	text := fmt.Sprintf("$TTL 5\n@ SOA ns1.test. h.test. 1 60 60 1209600 5\n@ NS ns1.test.\n@ NS ns2.test.\nns1 A %s\nns2 A %s\nexample.sub 5 NS ns1.example.net.\n", ip1, ip2)
	p1 := lab.BIND(t, lab.Options{IP: ip1, Zones: []lab.Zone{{Origin: "test.", Text: text}}})
	c := &Config{ParentServers: []string{p1.Addr}, Timeout: time.Second}
	for _, tc := range []struct {
		parent string
		want   []string
	}{
		{"test.", []string{ip2}},
		{"sub.test.", []string{ip2}}, // the empty non-terminal
	} {
		if got := unlistedAddrs(context.Background(), c, tc.parent); !slices.Equal(got, tc.want) {
			t.Errorf("unlistedAddrs(%s) = %v, want %v", tc.parent, got, tc.want)
		}
	}
}

// A parent server cutover.parent_servers leaves out (parent-unlisted)
// that takes the flip late hands out the old delegation meanwhile:
// finish refuses while it does, and once it has caught up, resolvers
// that took the old delegation from it still ask the old side for the
// parent's NS TTL and the old side's own NS TTL. On the code before, the
// trail recorded only the listed servers' sides, and finish passed the
// moment the unlisted server caught up.
func TestFinishWaitsUnlistedParentServerLab(t *testing.T) {
	l := newReviewLab(t, 5)
	tp := newTwoParents(t, l)
	lag := lab.BIND(t, lab.Options{IP: tp.ip2, Zones: []lab.Zone{{Origin: "test.", Text: tp.oldText}}}) // takes the flip late
	ctx := context.Background()
	mk := func(shift time.Duration) *Config {
		c := tp.mk()
		c.Overlap = time.Second
		c.Now = func() time.Time { return time.Now().Add(shift) }
		return c
	}
	// Made, and not confirmed at the unlisted server.
	if rep := Flip(ctx, mk(0), false, false); rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	setAt(t, &l.mk().Old, "example.test. 60 IN NS ns1.old.example.test.", "example.test. 60 IN NS ns1.new.example.test.")
	if rep := Finish(ctx, mk(time.Hour)); rep.Result == ResultDone || gateOK(rep, GateParentServers) {
		t.Fatalf("finish while an unlisted parent server still delegates to the old side: %s, gates %+v", rep.Result, rep.Gates)
	}
	// It catches up.
	lag.Stop()
	lab.BIND(t, lab.Options{IP: tp.ip2, Zones: []lab.Zone{{Origin: "test.", Text: tp.head + fmt.Sprintf("example 5 NS ns1.new.example\nns1.new.example 5 A %s\n", l.newIP)}}})
	// 20 s after finish saw it on the old side: resolvers that asked it
	// then may hold the old delegation (5 s) and the old side's own NS
	// set (60 s).
	if rep := Finish(ctx, mk(time.Hour+20*time.Second)); rep.ExitCode() != 1 {
		t.Errorf("finish 20 s after an unlisted parent server was last seen delegating to the old side: %s (exit %d), gates %+v %v", rep.Result, rep.ExitCode(), rep.Gates, rep.Errors)
	}
	if rep := Finish(ctx, mk(time.Hour+10*time.Minute)); rep.Result != ResultDone {
		t.Errorf("finish once that has expired: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
}

// TestSharedParentServersLab: the zones of one run (a status wave) under
// one parent, cutover.parent_servers not set, find the parent's servers
// through the resolvers once for all of them (Shared), not once per zone:
// a wave of 1,000 zones asked the resolvers the parent's NS and their
// addresses 1,000 times. Each zone's step still gets the servers, and a
// step of its own (FromConfig, no Shared) asks as before.
func TestSharedParentServersLab(t *testing.T) {
	lab.Require(t, "named", "unbound")
	parentIP := lab.Addr(t)
	const zones = 5
	var parentText, cfgText strings.Builder
	fmt.Fprintf(&parentText, "$ORIGIN test.\n$TTL 60\n@ SOA ns.test. h.test. 1 60 60 1209600 60\n@ NS ns.test.\nns A %s\nns1.old.dns A 192.0.2.1\nns1.new.dns A 192.0.2.2\n", parentIP)
	dir := t.TempDir()
	cfgText.WriteString("zones:\n")
	for i := range zones {
		origin := fmt.Sprintf("z%d.test.", i)
		fmt.Fprintf(&parentText, "z%d NS ns1.old.dns.test.\n", i)
		file := filepath.Join(dir, origin+"zone")
		if err := os.WriteFile(file, []byte("$ORIGIN "+origin+"\n$TTL 60\n@ SOA ns1.old.dns.test. h.test. 1 60 60 1209600 60\n@ NS ns1.old.dns.test.\nwww A 192.0.2.80\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&cfgText, "  - {name: %s, file: %s}\n", origin, file)
	}
	lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: parentText.String()}}})
	res := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parentIP}}})
	fmt.Fprintf(&cfgText, `providers:
  old: {type: rfc2136, server: 192.0.2.1:53, nameservers: [192.0.2.1], delegation: [ns1.old.dns.test.]}
  new: {type: rfc2136, server: 192.0.2.2:53, nameservers: [192.0.2.2], delegation: [ns1.new.dns.test.]}
cutover: {resolvers: [%s]}
`, res.Addr)
	p := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(p, []byte(cfgText.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{parentIP + ":53"}
	if c, err := StatusFromConfig(context.Background(), cfg, "z0.test.", func(string) string { return "" }, io.Discard); err != nil || !slices.Equal(c.ParentServers, want) {
		t.Errorf("a step of its own: %v, %v", c, err)
	}
	// The resolver stops after the first zone: a zone that asked it
	// again could not find the parent's servers.
	sh := &Shared{}
	for i := range zones {
		c, err := sh.StatusFromConfig(context.Background(), cfg, fmt.Sprintf("z%d.test.", i), func(string) string { return "" }, io.Discard)
		if err != nil {
			t.Fatalf("zone %d: %v", i, err)
		}
		if !slices.Equal(c.ParentServers, want) {
			t.Errorf("zone %d of %d sharing a run: parent servers %v, want %v (asked once)", i, zones, c.ParentServers, want)
		}
		if i == 0 {
			res.Stop()
		}
	}
}

// TestSharedWaveSetupLab: the steps of one run over several zones share
// the walk from root hints (cutover.parent_servers: the root's address)
// and the list of the config's zones finish reads. Each zone walked from
// the root again (5 zones under test.: the root asked 5 times; once now,
// the referral to test. kept for the run), and each zone's setup built
// the list of every other zone (a wave of N zones: N lists of N-1, about
// 800 MB allocated at 5,000 zones). A step's setup allocates about as
// much in a config of 2,000 zones as in one of 200, and each step still
// finds the parent's servers.
func TestSharedWaveSetupLab(t *testing.T) {
	lab.Require(t, "named")
	parentIP := lab.Addr(t)
	const delegated = 5
	var parentText strings.Builder
	fmt.Fprintf(&parentText, "$ORIGIN test.\n$TTL 60\n@ SOA ns.test. h.test. 1 60 60 1209600 60\n@ NS ns.test.\nns A %s\nns1.old.dns A 192.0.2.1\nns1.new.dns A 192.0.2.2\n", parentIP)
	for i := range delegated {
		fmt.Fprintf(&parentText, "z%d NS ns1.old.dns.test.\n", i)
	}
	lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: parentText.String()}}})
	rootZone := []lab.Zone{{Origin: ".", Text: "$TTL 60\n@ SOA a.root. h.root. 1 60 60 60 60\n@ NS a.root.\na.root. A 127.0.0.1\ntest. NS ns.test.\nns.test. A " + parentIP + "\n"}}
	root := lab.BIND(t, lab.Options{QueryLog: true, Zones: rootZone})
	dir := t.TempDir()
	configOf := func(n int, root *lab.Server) *config.Config {
		t.Helper()
		var cfgText strings.Builder
		cfgText.WriteString("zones:\n")
		for i := range n {
			origin := fmt.Sprintf("z%d.test.", i)
			file := filepath.Join(dir, origin+"zone")
			if i < delegated {
				if err := os.WriteFile(file, []byte("$ORIGIN "+origin+"\n$TTL 60\n@ SOA ns1.old.dns.test. h.test. 1 60 60 1209600 60\n@ NS ns1.old.dns.test.\nwww A 192.0.2.80\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			fmt.Fprintf(&cfgText, "  - {name: %s, file: %s}\n", origin, file)
		}
		fmt.Fprintf(&cfgText, `providers:
  old: {type: rfc2136, server: 192.0.2.1:53, nameservers: [192.0.2.1], delegation: [ns1.old.dns.test.]}
  new: {type: rfc2136, server: 192.0.2.2:53, nameservers: [192.0.2.2], delegation: [ns1.new.dns.test.]}
cutover: {parent_servers: [%s]}
`, root.Addr)
		p := filepath.Join(dir, fmt.Sprintf("dnsparity-%d-%s.yaml", n, strings.ReplaceAll(root.Addr, ":", "-")))
		if err := os.WriteFile(p, []byte(cfgText.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	want := []string{parentIP + ":53"}
	ctx := context.Background()
	// One run over the delegated zones: the root is asked once.
	cfg := configOf(delegated, root)
	sh := &Shared{}
	for i := range delegated {
		c, err := sh.StatusFromConfig(ctx, cfg, fmt.Sprintf("z%d.test.", i), func(string) string { return "" }, io.Discard)
		if err != nil {
			t.Fatalf("zone %d: %v", i, err)
		}
		if !slices.Equal(c.ParentServers, want) {
			t.Errorf("zone %d: parent servers %v, want %v", i, c.ParentServers, want)
		}
	}
	root.Stop() // the query log is complete once the server stopped
	logged, err := os.ReadFile(root.Log)
	if err != nil {
		t.Fatal(err)
	}
	// Not the lab's own question as the server started: those of the
	// zones' walks only.
	if asked := len(regexp.MustCompile(`query: z[0-9]+\.test`).FindAll(logged, -1)); asked != 1 {
		t.Errorf("%d zones sharing a run asked the root %d times, want once (the referral to test. kept)", delegated, asked)
	}
	// A step's setup in a config of 200 zones and of 2,000, after the
	// run's first step: the walk is kept, the zone list shared.
	root2 := lab.BIND(t, lab.Options{Zones: rootZone})
	allocs := func(n int) (count, bytes float64) {
		cfg := configOf(n, root2)
		sh := &Shared{}
		step := func() {
			if _, err := sh.StatusFromConfig(ctx, cfg, "z1.test.", func(string) string { return "" }, io.Discard); err != nil {
				t.Fatal(err)
			}
		}
		step()
		const runs = 5
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range runs {
			step()
		}
		runtime.ReadMemStats(&after)
		return float64(after.Mallocs-before.Mallocs) / runs, float64(after.TotalAlloc-before.TotalAlloc) / runs
	}
	smallN, smallB := allocs(200)
	largeN, largeB := allocs(2000)
	t.Logf("a step's setup: %.0f allocations, %.0f bytes in a config of 200 zones; %.0f, %.0f of 2,000 (bytes %.2fx)", smallN, smallB, largeN, largeB, largeB/smallB)
	if largeB > smallB+16<<10 {
		t.Errorf("a step's setup allocates %.0f bytes in a config of 2,000 zones, %.0f of 200: it builds the list of every other zone", largeB, smallB)
	}
}

// TestFlipConfirmsGrandparentListedServerLab: the parent zone p.test. is
// served by ns1.p.test. (real BIND, the registrar's, listed in
// cutover.parent_servers) and, as the grandparent test. still delegates
// it, by ns2.p.test. too: a server of the parent zone's previous
// provider, another real BIND with a copy that no longer changes, which
// the parent zone's own apex NS no longer names (the registrar left it
// in test.'s delegation). Resolvers start from the grandparent's
// referral (RFC 1034 §5.3.3), so some ask ns2 and get the delegation of
// example.p.test. the flip replaced. The confirmation and parent-unlisted
// read only the parent zone's own NS set (from the listed server, and
// through the resolvers, which answer that same set), so the flip said
// "confirmed at every parent server" (exit 0) while ns2 served the old
// delegation. Now they read the grandparent's referral too (its NS names
// and glue, asked of the grandparent's servers found through the
// resolvers): the change stays unconfirmed, ns2 named, both sides
// recorded as delegated to, as for any parent server that has not taken
// it.
func TestFlipConfirmsGrandparentListedServerLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	ctx := context.Background()
	const origin = "example.p.test."
	key := &lab.TSIGKey{Name: "k.", Secret: "cmV2aWV3Ny1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
	p1IP, p2IP, gpIP, oldIP, newIP := lab.Addr(t), lab.Addr(t), lab.Addr(t), lab.Addr(t), lab.Addr(t)
	gp := lab.BIND(t, lab.Options{IP: gpIP, QueryLog: true, Zones: []lab.Zone{{Origin: "test.", Text: fmt.Sprintf(
		"$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A %s\np NS ns1.p\np NS ns2.p\nns1.p A %s\nns2.p A %s\n", gpIP, p1IP, p2IP)}}})
	parentText := fmt.Sprintf("$ORIGIN p.test.\n$TTL 5\n@ SOA ns1.p.test. h.test. 1 60 60 1209600 5\n@ NS ns1.p.test.\nns1 A %s\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\n", p1IP, oldIP)
	p1 := lab.BIND(t, lab.Options{IP: p1IP, TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "p.test.", Text: parentText}}})
	lab.BIND(t, lab.Options{IP: p2IP, Zones: []lab.Zone{{Origin: "p.test.", Text: parentText}}})
	side := func(name string) string {
		return fmt.Sprintf("$ORIGIN %s\n$TTL 60\n@ SOA ns1.%s h 1 60 60 1209600 60\n@ NS ns1.%s\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\n", origin, name, name, oldIP, newIP)
	}
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: origin, Text: side("old")}}})
	nw := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: origin, Text: side("new")}}})
	res := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {gp.Addr}}})

	z := gitZone(t, side("new"))
	if z.Origin != origin {
		t.Fatalf("git's zone is %s", z.Origin)
	}
	path := TrailPath(t.TempDir(), origin)
	tr, err := ReadTrail(path, origin)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, e := range []Entry{
		{Time: now.Add(-2 * time.Hour), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 3600, NewMax: 3600}},
		{Time: now.Add(-time.Hour), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 60, NewMax: 60}},
	} {
		if err := tr.Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
	c := &Config{
		Zone:          z,
		Old:           Side{Name: "old", Servers: []string{old.Addr}, Delegation: []string{"ns1.old." + origin}, Glue: map[string][]string{"ns1.old." + origin: {oldIP}}, Provider: rfc2136Provider(t, old.Addr, nil)},
		New:           Side{Name: "new", Servers: []string{nw.Addr}, Delegation: []string{"ns1.new." + origin}, Glue: map[string][]string{"ns1.new." + origin: {newIP}}, Provider: rfc2136Provider(t, nw.Addr, nil)},
		Registrar:     &parent.Parent{Zone: "p.test.", Provider: rfc2136Provider(t, p1.Addr, key)},
		ParentZone:    "p.test.",
		ParentServers: []string{p1.Addr},
		Resolvers:     []string{res.Addr},
		PrestageTTL:   60,
		TrailPath:     path,
		Actor:         "tester",
		Parity:        parity.Options{Timeout: 2 * time.Second, Retries: 2},
		Delegation:    delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}},
		Watch:         time.Second,
		Confirm:       3 * time.Second,
		Log:           io.Discard,
		Referrals:     &Referrals{},
	}
	rep := Flip(ctx, c, false, false)
	unmetGates(t, "flip", rep)
	if rep.Change == nil || rep.Change.At.IsZero() {
		t.Fatalf("flip: %s %q: the registrar was not changed (gates %+v)", rep.Result, rep.Errors, rep.Gates)
	}
	// What ns2.p.test., a server the grandparent's referral names, serves.
	d, ok := registrar.Agreed(registrar.Lookup(ctx, []string{p2IP + ":53"}, origin, time.Second))
	if !ok || strings.Join(d.NS, " ") != "ns1.old."+origin {
		t.Fatalf("the grandparent-listed parent server serves %v (ok %v), want the delegation before the flip", d.NS, ok)
	}
	if rep.Change.Confirmed || rep.ExitCode() != 2 || !strings.Contains(strings.Join(append(rep.Errors, rep.Warnings...), " "), p2IP) {
		t.Errorf("flip while %s (a parent server the grandparent test. names) serves the old delegation: %s, exit %d, confirmed %v, errors %q, warnings %q; want unconfirmed, exit 2, the server named",
			p2IP, rep.Result, rep.ExitCode(), rep.Change.Confirmed, rep.Errors, rep.Warnings)
	}
	// The step read the referral in its gate and its confirmation: the
	// grandparent was asked once (Referrals), not once a read. Its own
	// questions come from its address on lo; the resolver's from
	// 127.0.0.1.
	gp.Stop() // the query log is complete once the server stopped
	logged, err := os.ReadFile(gp.Log)
	if err != nil {
		t.Fatal(err)
	}
	if asked := len(regexp.MustCompile(`client @\S+ `+regexp.QuoteMeta(gpIP)+`#\d+ \(p\.test\): query: p\.test IN NS -`).FindAll(logged, -1)); asked != 1 {
		t.Errorf("the flip asked the grandparent for the parent zone's referral %d times, want once", asked)
	}
}
