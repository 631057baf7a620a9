package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestOldUnreferencedGlueOnlyLab: a server of the old side known only
// from the old delegation's glue (a secondary providers.old.nameservers
// does not list) that still serves an apex NS naming old-only servers
// keeps the resolvers that reach it on the old provider (RFC 2181
// §5.4.1): old-unreferenced fails its apex-ns check, as observeOldNS
// counts it. The gate asked the configured servers only, and passed. A
// configured server answering without the zone's apex NS passes as one
// that does not serve the zone; one that does not answer passes, saying
// that it did not answer (it was said not to serve the zone).
func TestOldUnreferencedGlueOnlyLab(t *testing.T) {
	lab.Require(t, "knotd")
	glueIP := lab.Addr(t)
	text := func(ns ...string) string {
		s := "$ORIGIN example.test.\n$TTL 60\n@ SOA " + ns[0] + " h.example.test. 1 60 60 1209600 60\n"
		for _, n := range ns {
			s += "@ NS " + n + "\n"
		}
		return s + fmt.Sprintf("ns1.new A 192.0.2.1\nns1.old A 192.0.2.2\nns2.old A %s\nwww A 192.0.2.80\n", glueIP)
	}
	gitText := text("ns1.new.example.test.")
	old := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: gitText}}})
	secondary := lab.Knot(t, lab.Options{IP: glueIP, Zones: []lab.Zone{{Origin: "example.test.", Text: text("ns1.old.example.test.", "ns2.old.example.test.")}}})
	refused := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetRcode(r, dns.RcodeRefused)
		_ = w.WriteMsg(m)
	})
	dead := deadUDP(t)
	z := gitZone(t, gitText)
	c := &Config{Zone: z, Timeout: 500 * time.Millisecond, apexSeen: newApexNSSeen()}
	c.Old = Side{Name: "old", Servers: []string{old.Addr, refused, dead}, Delegation: []string{"ns1.old.example.test."}}
	c.New = Side{Name: "new", Delegation: []string{"ns1.new.example.test."}}
	c.restore = &registrar.Delegation{NS: []string{"ns1.old.example.test.", "ns2.old.example.test."},
		Glue: map[string][]string{"ns2.old.example.test.": {glueIP}}}

	g := gateOldUnreferenced(context.Background(), c, nil, &Report{}, time.Time{})
	t.Logf("%v %s", g.OK, g.Detail)
	byServer := map[string]delegation.Check{}
	for _, ch := range g.Checks {
		if ch.Name == CheckApexNS {
			byServer[ch.Server] = ch
		}
	}
	if g.OK || g.Err {
		t.Errorf("old-unreferenced: ok=%v err=%v, want refused: the glue-only %s names old servers; %s", g.OK, g.Err, secondary.Addr, g.Detail)
	}
	for _, tc := range []struct {
		server string
		ok     bool
		detail string
	}{
		{secondary.Addr, false, "ns1.old.example.test. ns2.old.example.test., a server of the old side only"},
		{old.Addr, true, "names no old server"},
		{refused, true, "does not serve the zone"},
		{dead, true, "did not answer"},
	} {
		ch, ok := byServer[tc.server]
		if !ok || ch.OK != tc.ok || !strings.Contains(ch.Detail, tc.detail) {
			t.Errorf("apex-ns check at %s: asked %v, ok %v, %q; want ok %v, %q", tc.server, ok, ch.OK, ch.Detail, tc.ok, tc.detail)
		}
	}
	if o := observeOldNS(context.Background(), c); o == nil || strings.Join(o.OldNames, " ") != "ns1.old.example.test. ns2.old.example.test." {
		t.Errorf("observeOldNS: %+v, want the secondary's old names, as the gate judged", o)
	}
}

// TestGitTargetOtherNameOfOldServerLab: git delegates sub.example.test.
// to ns.oldhost.test., the old provider's own name for its server (in the
// parent zone, at the old server's address), which neither
// providers.old.delegation nor git's addresses spell. finish's git-target
// check judged names alone: the zone delegated to the old server went
// unnamed, and finish called the old provider safe to decommission. A
// target that does not resolve names no old server.
func TestGitTargetOtherNameOfOldServerLab(t *testing.T) {
	lab.Require(t, "named")
	oldIP := lab.Addr(t)
	parent := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: "$TTL 60\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nns.oldhost A " + oldIP + "\nns.elsewhere A 192.0.2.9\n"}}})
	z := gitZone(t, "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.new h 1 60 60 1209600 60\n@ NS ns1.new\nns1.new A 192.0.2.2\nsub NS ns.oldhost.test.\nother NS ns.elsewhere.test.\nnowhere NS ns.nowhere.test.\n")
	c := &Config{Zone: z, ParentZone: "test.", ParentServers: []string{parent.Addr}, Timeout: 2 * time.Second,
		Old: Side{Name: "old", Servers: []string{oldIP + ":53"}, Delegation: []string{"ns1.old.example.test."}},
		New: Side{Name: "new", Servers: []string{"192.0.2.2:53"}, Delegation: []string{"ns1.new.example.test."}}}
	ctx := context.Background()
	names, ips := c.oldOnly(ctx)
	var failedChecks []string
	for _, ch := range gitTargetChecks(ctx, c, names, ips) {
		if !ch.OK {
			failedChecks = append(failedChecks, ch.Detail)
		}
	}
	t.Logf("git-target: %q", failedChecks)
	if len(failedChecks) != 1 || !strings.Contains(failedChecks[0], "sub.example.test. NS points to ns.oldhost.test.") {
		t.Errorf("git-target checks failed: %q; want the one of sub.example.test. NS ns.oldhost.test. (the old server by another name)", failedChecks)
	}
}
