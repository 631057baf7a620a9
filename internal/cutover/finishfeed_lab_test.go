package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestFinishNewSecondaryOfOldPrimaryLab: the new side's server is a
// secondary (BIND) transferring the zone from the old provider's
// primary, the one its SOA names (MNAME ns1.oldhost.test.). Both serve
// the final apex NS (the new server), the parent delegates to the new
// side since an hour. On the code before, finish was done: nothing names
// the old server but the SOA's primary field, and decommissioning the
// old provider then cut the new side's copy off its primary: at the SOA
// expire after its last refresh it answers SERVFAIL for every name. Now
// old-unreferenced's new-feed check refuses it, naming the server, its
// primary and when its copy expires. The same when the SOA names the new
// server but providers.new's primary (its server) is the old one.
func TestFinishNewSecondaryOfOldPrimaryLab(t *testing.T) {
	t.Run("SOA primary", func(t *testing.T) { finishNewFeed(t, "ns1.oldhost.test.", false) })
	t.Run("configured primary", func(t *testing.T) { finishNewFeed(t, "ns1.newhost.test.", true) })
}

func finishNewFeed(t *testing.T, mname string, configured bool) {
	lab.Require(t, "named")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 1\n@ SOA ns.test. h.test. 1 60 60 1209600 1\n@ NS ns.test.\nns A %s\nexample NS ns1.newhost.test.\nns1.oldhost A %s\nns1.newhost A %s\n", ip["parent"], ip["old"], ip["new"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	text := "$ORIGIN example.test.\n$TTL 1\n@ SOA " + mname + " h.example.test. 1 60 60 604800 1\n@ NS ns1.newhost.test.\nwww A 192.0.2.80\n"
	old := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Primary: old.Addr}}})
	path := TrailPath(t.TempDir(), "example.test.")
	flipped := time.Now().UTC().Add(-time.Hour)
	appendTrail(t, path, flipEntry(flipped, registrar.Delegation{NS: []string{"ns1.oldhost.test."}, NSTTL: 1}, registrar.Delegation{NS: []string{"ns1.newhost.test."}, NSTTL: 1}))
	c := signedConfig(t, gitZone(t, text), ip, old, nw, parentSrv, path, 60)
	c.Old.Delegation, c.Old.Glue = []string{"ns1.oldhost.test."}, nil
	c.New.Delegation, c.New.Glue = []string{"ns1.newhost.test."}, nil
	c.ParentZone, c.Overlap = "test.", time.Minute
	if configured {
		c.New.Primary = old.Addr
	}
	// The secondary's copy counts down from its transfer.
	waitCounting(t, nw.Addr, 604800)
	rep := Finish(context.Background(), c)
	g := gateNamed(rep, GateOldUnreferenced)
	for _, o := range rep.Gates {
		if o.Name != GateOldUnreferenced && !o.OK {
			t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
		}
	}
	if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, map[bool]string{false: "expires", true: "primary " + old.Addr}[configured]) {
		t.Fatalf("finish while the new side's server transfers from the old primary: %s (exit %d), old-unreferenced %+v", rep.Result, rep.ExitCode(), g)
	}
	t.Logf("old-unreferenced: %s", g.Detail)
}

// TestFinishNewFeedUnlookedPrimary: the new side's server is a secondary
// of a primary of its own (a hidden BIND), whose SOA names it by a name
// outside the zone and the parent zone (master.provider.example.), which
// no resolver is configured to look up. Finish is held (new-feed: what it
// cannot tell may be an old server), and the check says why: on the code
// before it said the name was "a server of the old side only", which it
// is not, and told to make the server transfer from a new primary, which
// it does.
func TestFinishNewFeedUnlookedPrimary(t *testing.T) {
	lab.Require(t, "named")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 1\n@ SOA ns.test. h.test. 1 60 60 1209600 1\n@ NS ns.test.\nns A %s\nexample NS ns1.newhost.test.\nns1.oldhost A %s\nns1.newhost A %s\n", ip["parent"], ip["old"], ip["new"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	text := "$ORIGIN example.test.\n$TTL 1\n@ SOA master.provider.example. h.example.test. 1 60 60 604800 1\n@ NS ns1.newhost.test.\nwww A 192.0.2.80\n"
	old := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
	hidden := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Primary: hidden.Addr}}})
	path := TrailPath(t.TempDir(), "example.test.")
	appendTrail(t, path, flipEntry(time.Now().UTC().Add(-time.Hour), registrar.Delegation{NS: []string{"ns1.oldhost.test."}, NSTTL: 1}, registrar.Delegation{NS: []string{"ns1.newhost.test."}, NSTTL: 1}))
	c := signedConfig(t, gitZone(t, text), ip, old, nw, parentSrv, path, 60)
	c.Old.Delegation, c.Old.Glue = []string{"ns1.oldhost.test."}, nil
	c.New.Delegation, c.New.Glue = []string{"ns1.newhost.test."}, nil
	c.ParentZone, c.Overlap = "test.", time.Minute
	c.Resolvers, c.Parity.Resolver = nil, ""
	waitCounting(t, nw.Addr, 604800)
	rep := Finish(context.Background(), c)
	g := gateNamed(rep, GateOldUnreferenced)
	if g == nil {
		t.Fatalf("no old-unreferenced gate: %+v", rep.Gates)
	}
	var feed []string
	for _, ch := range g.Checks {
		if ch.Name == CheckNewFeed && ch.Server == nw.Addr {
			feed = append(feed, fmt.Sprintf("ok=%v %s", ch.OK, ch.Detail))
			if !ch.OK && !strings.Contains(ch.Detail, "could not be looked up") {
				t.Errorf("new-feed refuses without saying the SOA's primary could not be looked up: %s", ch.Detail)
			}
		}
	}
	if len(feed) != 1 {
		t.Fatalf("new-feed checks of %s: %q (gate %+v)", nw.Addr, feed, g)
	}
	t.Logf("new-feed: %s", feed[0])
}

// TestFinishNewFeedRefreshedThisSecondLab: TestFinishNewSecondaryOfOldPrimaryLab
// read in the second the secondary took its copy: a secondary refreshed
// that second answers EDNS EXPIRE equal to its SOA's expire field, as a
// primary does (RFC 7314), so new-feed took it for a primary and passed:
// finish called the old provider safe to decommission while the new
// side's only server transferred from it. Now a server answering its SOA
// expire is asked again once its clock has moved on (a second later): a
// copy counting down is one, a primary's is not. Each attempt starts a
// fresh secondary (it transfers as it starts) and goes on only when the
// test's own reading, in the first part of a second, finds the EXPIRE at
// the SOA expire, so that the check's reading falls in that second too.
func TestFinishNewFeedRefreshedThisSecondLab(t *testing.T) {
	lab.Require(t, "named")
	ctx := context.Background()
	ip := map[string]string{"old": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 1\n@ SOA ns.test. h.test. 1 60 60 1209600 1\n@ NS ns.test.\nns A %s\nexample NS ns1.newhost.test.\nns1.oldhost A %s\n", ip["parent"], ip["old"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	text := "$ORIGIN example.test.\n$TTL 1\n@ SOA ns1.oldhost.test. h.example.test. 1 60 60 604800 1\n@ NS ns1.newhost.test.\nwww A 192.0.2.80\n"
	old := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
	path := TrailPath(t.TempDir(), "example.test.")
	for attempt := 1; attempt <= 40; attempt++ {
		ip["new"] = lab.Addr(t)
		nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Primary: old.Addr}}})
		c := signedConfig(t, gitZone(t, text), ip, old, nw, parentSrv, path, 60)
		c.Old.Delegation, c.Old.Glue = []string{"ns1.oldhost.test."}, nil
		c.New.Delegation, c.New.Glue = []string{"ns1.newhost.test."}, nil
		c.ParentZone = "test."
		if !inExpireSecond(t, nw.Addr, 604800) {
			nw.Stop()
			continue
		}
		names := map[string]bool{"ns1.oldhost.test.": true}
		ips := map[string]bool{ip["old"]: true}
		var feed []string
		bad := false
		for _, ch := range newFeedChecks(ctx, c, names, ips) {
			feed = append(feed, fmt.Sprintf("ok=%v %s", ch.OK, ch.Detail))
			bad = bad || (!ch.OK && ch.Server == nw.Addr && strings.Contains(ch.Detail, "ns1.oldhost.test."))
		}
		if !bad {
			t.Fatalf("new-feed read in the second %s took its copy from the old primary (EDNS EXPIRE at the SOA expire): checks %q", nw.Addr, feed)
		}
		t.Logf("attempt %d: %q", attempt, feed)
		return
	}
	t.Fatal("no attempt read a secondary in the second it took its copy")
}

// inExpireSecond reports whether server, a secondary that has just
// taken its copy, answers the apex SOA with an EDNS EXPIRE equal to the
// SOA expire soaExpire (the second of its refresh), read in the first
// half of a second and still in that second after the answer: the
// caller's next question falls in the same second.
func inExpireSecond(t *testing.T, server string, soaExpire uint32) bool {
	t.Helper()
	for i := 0; i < 100; i++ {
		start := time.Now()
		m, err := query.Msg(context.Background(), server, "example.test.", dns.TypeSOA, query.MsgOptions{Expire: true})
		if err != nil || m.Rcode != dns.RcodeSuccess || !m.Authoritative {
			time.Sleep(20 * time.Millisecond) // not transferred yet
			continue
		}
		e, ok := query.Expire(m)
		if !ok {
			t.Fatalf("the BIND secondary answers no EDNS EXPIRE: %v", m)
		}
		now := time.Now()
		return e == soaExpire && now.Unix() == start.Unix() && now.Nanosecond() < 500_000_000
	}
	return false
}
