package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar/manual"
)

// TestFlipParentServersNotTheParentsLab: cutover.parent_servers names a
// server serving a copy of the parent zone test. whose NS set names
// itself (a stale copy, a hidden primary no longer in the tree, or an
// address a pull request points the config at), delegating example.test.
// to the old side, while the parent the resolvers reach (another BIND,
// under the same NS name ns.test.) delegates it elsewhere. Every gate
// read the parent from that copy alone, its own word for which servers
// the parent zone has included: flip --dry-run passed (points-to-old,
// parent-servers) while resolvers were sent to a third party. The parent
// zone's NS set and its names' addresses as the configured resolvers see
// them count too, so the real parent's server is one parent-unlisted
// judges, and it refuses.
func TestFlipParentServersNotTheParentsLab(t *testing.T) {
	l := newReviewLab(t, 5)
	realIP := lab.Addr(t)
	rep := flipUnderResolvedParent(t, l, realIP, "ns1.elsewhere.example", lab.Addr(t))
	g := gateNamed(rep, GateParentServers)
	if g == nil {
		t.Fatalf("no gate %s: %s %+v %v", GateParentServers, rep.Result, rep.Gates, rep.Errors)
	}
	t.Logf("%s: %s", g.Name, g.Detail)
	if rep.ExitCode() == 0 || g.OK || !strings.Contains(g.Detail, realIP) {
		t.Fatalf("flip --dry-run while the parent the resolvers reach (%s) delegates elsewhere: %s (exit %d); gate %s ok=%v: %s", realIP, rep.Result, rep.ExitCode(), g.Name, g.OK, g.Detail)
	}
}

// TestFlipParentServersHiddenPrimaryLab: the counterpart, as at many
// registries: cutover.parent_servers lists the parent's hidden primary,
// whose own NS set names a host the public never reaches, while the
// parent the resolvers reach (an anycast copy, another BIND) names
// another server and serves the same delegation. The resolvers' view of
// the parent's NS set is no refusal then: parent-servers passes (the
// copy named, not judged a failure) and so does the dry run.
func TestFlipParentServersHiddenPrimaryLab(t *testing.T) {
	l := newReviewLab(t, 5)
	publicIP := lab.Addr(t)
	rep := flipUnderResolvedParent(t, l, publicIP, "ns1.old.example", l.oldIP)
	g := gateNamed(rep, GateParentServers)
	if g == nil {
		t.Fatalf("no gate %s: %s %+v %v", GateParentServers, rep.Result, rep.Gates, rep.Errors)
	}
	if !g.OK || !strings.Contains(g.Detail, publicIP) {
		t.Errorf("gate %s ok=%v, want passed naming the public copy %s: %s", g.Name, g.OK, publicIP, g.Detail)
	}
	if rep.ExitCode() != 0 {
		for _, x := range rep.Gates {
			if !x.OK {
				t.Logf("gate %s failed: %s", x.Name, x.Detail)
			}
		}
		t.Errorf("flip --dry-run: %s (exit %d): %v", rep.Result, rep.ExitCode(), rep.Errors)
	}
}

// flipUnderResolvedParent is a dry-run flip of l's zone whose configured
// resolver (Unbound) reaches the parent zone test. at a BIND on ip, of
// its own, delegating example.test. to ns (address addr), while
// cutover.parent_servers stays l's parent.
func flipUnderResolvedParent(t *testing.T, l *reviewLab, ip, ns, addr string) *Report {
	t.Helper()
	lab.BIND(t, lab.Options{IP: ip, Zones: []lab.Zone{{Origin: "test.", Text: fmt.Sprintf(
		"$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A %s\nexample 5 NS %s\n%s 5 A %s\n", ip, ns, ns, addr)}}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip}}})
	c := l.mk()
	c.Resolvers = []string{resolver.Addr}
	c.Registrar = &manual.Manual{Servers: c.ParentServers, Out: &syncBuffer{}, Wait: time.Second, Poll: 100 * time.Millisecond}
	return Flip(context.Background(), c, true, false)
}
