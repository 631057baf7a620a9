package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestEmergencyServedBeyondGitRefusedLab: the old provider is partly
// down (one server silent) and the server still answering serves git and
// extra.example.test. A, which git lacks (added at its UI). flip
// --emergency would make that record vanish for every resolver: the
// completeness gate (old-complete) must refuse, naming it, both when the
// provider lists it and when its API is down (a 503): then the surviving
// server, which allows the transfer, shows it by AXFR. On the code
// before, the first was a warning ("not refused in an emergency") and the
// second was not checked at all (the names asked came from the listing
// only): both flips went ahead and the record vanished.
func TestEmergencyServedBeyondGitRefusedLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	setRRs(t, &l.mk().Old, "extra.example.test. 60 IN A 192.0.2.55")
	for _, tc := range []struct {
		name      string
		unlisted  bool
		wantInDet string
	}{
		{"listed", false, "extra.example.test. A"},
		{"API down, survivor transfers", true, "extra.example.test. A"},
	} {
		c := l.mk()
		c.Old.Servers = append(c.Old.Servers, dead)
		if tc.unlisted {
			c.Old.Provider = unlistable{c.Old.Provider}
		}
		rep := Flip(ctx, c, true, true)
		g := gateNamed(rep, GateOldComplete)
		t.Logf("%s: %s; old-complete %+v; warnings %q", tc.name, rep.Result, g, rep.Warnings)
		if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, tc.wantInDet) || !strings.Contains(g.Detail, l.old.Addr) {
			t.Errorf("%s: flip --emergency while the surviving old server %s serves extra.example.test. A (git lacks it): %s, old-complete %+v", tc.name, l.old.Addr, rep.Result, g)
		}
		if d := gateNamed(rep, GateOldDown); d == nil || !d.OK || !strings.Contains(d.Detail, "partly down") {
			t.Errorf("%s: old-down %+v, want partly down", tc.name, d)
		}
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Fatalf("a dry run moved the delegation: %s", ns)
	}
}

// TestEmergencyUpSideCopySameSerialLab: flip --emergency (the old side
// wholly down) to a new side whose provider lists its hidden primary
// (providers.new.server, not among its nameservers), while its public
// server serves another copy at the same serial with a record git lacks
// (extra.example.test. TXT). new-matches-git asks git's names only, and
// new-complete judged the primary's listing: the record appears for every
// resolver at the flip, unseen. The emergency's new-complete must judge
// what the public servers serve, as the planned flip's completeness gates
// do (listingServed): refused, naming it. On the code before, the
// emergency flip went ahead. With the public server refusing the
// transfer (the parity TSIG key unknown to it), what it serves beyond the
// listing cannot be seen; as in a planned step
// (TestFlipOldCopyTransferRefusedLab) it is judged by its serial, and the
// server, its failed transfer and "serial only" are named in a warning:
// an emergency refused there would hold an outage until the secondary's
// operator allowed the transfer.
func TestEmergencyUpSideCopySameSerialLab(t *testing.T) {
	for _, refused := range []bool{false, true} {
		t.Run(fmt.Sprintf("transfer refused=%v", refused), func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			ip := map[string]string{"old": l.oldIP, "new": l.newIP}
			primary := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("new", ip)}}})
			l.nw.Reload(t, lab.Zone{Origin: "example.test.", Text: ownNSZone("new", ip) + "extra TXT \"only on the public server\"\n"})
			c := l.mk()
			c.Old.Servers = []string{silent(t)}
			c.New.Provider, c.New.Primary = rfc2136Provider(t, primary.Addr, nil), primary.Addr
			if refused {
				c.Parity.NewTSIG = unknownKey
			}
			rep := Flip(ctx, c, true, true)
			g := gateNamed(rep, GateNewComplete)
			t.Logf("flip --emergency: %s; new-complete %+v; warnings %q", rep.Result, g, rep.Warnings)
			if d := gateNamed(rep, GateOldDown); d == nil || !d.OK {
				t.Errorf("old-down %+v, want met (the old side wholly down)", d)
			}
			if !refused {
				if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "extra.example.test.") {
					t.Errorf("flip --emergency to a new side whose public server serves extra.example.test. TXT beyond its primary's listing, at the same serial: %s, new-complete %+v", rep.Result, g)
				}
				return
			}
			if rep.Result != ResultDryRun || g == nil || !g.OK {
				t.Fatalf("flip --emergency to a new side whose public server refuses the transfer at its primary's serial: %s, new-complete %+v, want a dry run passing it with a warning", rep.Result, g)
			}
			if !warned(rep, l.nw.Addr, "serial only") {
				t.Errorf("no warning names %s, its failed transfer and the serial-only comparison: %q", l.nw.Addr, rep.Warnings)
			}
		})
	}
}

// warned reports whether one of rep's warnings holds every one of parts.
func warned(rep *Report, parts ...string) bool {
	for _, w := range rep.Warnings {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(w, p)
		}
		if all {
			return true
		}
	}
	return false
}

// TestEmergencyOwnKindByAXFRLab: the old side, PowerDNS, is partly down,
// and the server still answering holds a LUA record (PowerDNS's own
// kind, type 65402, which a zone file cannot hold) answering app A
// 192.0.2.99, which git gives as app A 192.0.2.99. The listing names it
// as a feature, asked of the survivor for the type it answers (A): git
// gives it, nothing vanishes. Its transfer holds it too, as TYPE65402:
// that is the record already asked, and no resolver asks that type. On
// the code before, the transfer's TYPE65402 was taken for an RRset served
// beyond git, and flip --emergency was refused with a plan no one can
// follow (git cannot hold the type; the API is what the incident took).
// extra A, which git lacks, is still refused. Nor does the listing look
// incomplete for lacking app A: it gives the LUA record answering it.
func TestEmergencyOwnKindByAXFRLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := pdnsGitText + "app A 192.0.2.99\n"
	srv := lab.PDNS(t, lab.Options{LUA: true, Zones: []lab.Zone{{Origin: origin, Text: pdnsGitText + "app LUA A \"'192.0.2.99'\"\n"}}})
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		extra string
		ok    bool
	}{
		{"LUA answering what git gives", "", true},
		{"and an A git lacks", "extra.example.test. 60 IN A 192.0.2.7", false},
	} {
		c := pdnsOldConfig(t, srv, origin, text)
		if tc.extra != "" {
			setAt(t, &c.Old, "", tc.extra)
		}
		c.defaults()
		c.Old.Servers = []string{srv.Addr, silent(t)}
		c.New = Side{Name: "new"}
		g := downComplete(ctx, c, &c.Old, &c.New, []string{srv.Addr})
		t.Logf("%s: old-complete %+v", tc.name, g)
		if g.OK != tc.ok {
			t.Errorf("%s: old-complete ok=%v, want %v: %s", tc.name, g.OK, tc.ok, g.Detail)
		}
		if !tc.ok && !strings.Contains(g.Detail, "extra.example.test. A") {
			t.Errorf("%s: the refusal does not name extra.example.test. A: %s", tc.name, g.Detail)
		}
		if strings.Contains(g.Detail, "TYPE65402") {
			t.Errorf("%s: the LUA record git gives the answer of is named as served beyond git: %s", tc.name, g.Detail)
		}
		for _, w := range g.warnings {
			if strings.Contains(w, "looked incomplete") {
				t.Errorf("%s: the listing, which gives app.example.test. as the LUA record answering A, is said to lack git's app A: %s", tc.name, w)
			}
		}
	}
}
