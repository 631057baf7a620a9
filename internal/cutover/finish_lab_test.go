package cutover

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestReviewFinishOldServersFromConfigOnlyLab: the old side's NS name is
// outside the zone (ns1.oldhost.test., the usual provider name), so the
// delegation recorded before the flip has no glue. At finish the old
// side's servers are providers.old.nameservers alone: nothing resolves the
// recorded NS names. A config whose old nameservers name the new side's
// address (a typo, a renumbered provider, a pull request: the flip's
// askFromServers was made for exactly that) makes finish compare the new
// side with itself (parity), observe the "old" apex NS at the new server
// (overlap) and ask it for old-unreferenced's apex-ns checks: finish is
// done while the old server still serves the zone with an apex NS naming
// itself, which resolvers that reach it keep following (the very rule the
// overlap gate enforces).
func TestReviewFinishOldServersFromConfigOnlyLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 1\n@ SOA ns.test. h.test. 1 60 60 60 1\n@ NS ns.test.\nns A %s\nexample NS ns1.newhost.test.\nns1.oldhost A %s\nns1.newhost A %s\n", ip["parent"], ip["old"], ip["new"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	example := func(apex string) string {
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 1\n@ SOA %s h.example.test. 1 60 60 60 1\n@ NS %s\nwww A 192.0.2.80\n", apex, apex)
	}
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: example("ns1.oldhost.test.")}}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: example("ns1.newhost.test.")}}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	z, err := zone.Parse(strings.NewReader(example("ns1.newhost.test.")), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	setup := func() *Config {
		path := TrailPath(t.TempDir(), "example.test.")
		tr, _ := ReadTrail(path, "example.test.")
		flipped := time.Now().UTC().Add(-time.Hour)
		before := registrar.Delegation{NS: []string{"ns1.oldhost.test."}, NSTTL: 1}
		after := registrar.Delegation{NS: []string{"ns1.newhost.test."}, NSTTL: 1}
		if err := tr.Append(path, Entry{Time: flipped, Command: "flip", Result: ResultDone, Before: &before, After: &after, ChangedAt: &flipped, DelegatedTo: []string{"new"}}); err != nil {
			t.Fatal(err)
		}
		c := signedConfig(t, z, ip, old, nw, parentSrv, path, 60)
		c.Old.Delegation, c.Old.Glue = []string{"ns1.oldhost.test."}, nil
		c.New.Delegation, c.New.Glue = []string{"ns1.newhost.test."}, nil
		c.ParentZone, c.Resolvers, c.Overlap = "test.", []string{resolver.Addr}, time.Minute
		return c
	}
	summary := func(rep *Report) string {
		var b strings.Builder
		for _, g := range rep.Gates {
			fmt.Fprintf(&b, "\n  %s ok=%v: %.220s", g.Name, g.OK, g.Detail)
		}
		return b.String()
	}

	// Control: the configured old server is the old one: finish refused.
	c := setup()
	rep := Finish(context.Background(), c)
	t.Logf("config names the old server: %s%s", rep.Result, summary(rep))
	if rep.Result != ResultRefused {
		t.Fatalf("control: finish while the old server's apex NS names itself: %s", rep.Result)
	}

	// The config's old nameservers now name the new server's address.
	c = setup()
	c.Old.Servers = []string{nw.Addr}
	rep = Finish(context.Background(), c)
	t.Logf("finish with providers.old.nameservers naming the new server: %s%s", rep.Result, summary(rep))
	a := askNS(context.Background(), c, old.Addr, false)
	t.Logf("the old server %s still serves example.test. NS %v (TTL %d)", old.Addr, a.ns, a.ttl)
	if rep.Result == ResultDone {
		t.Errorf("finish done (\"the old provider is safe to decommission\") without asking the server the recorded delegation names (ns1.oldhost.test. -> %s), which still serves the zone with an apex NS naming itself", ip["old"])
	}

	// The configured old server is the new one too: the parity gate
	// says so whatever else refuses.
	if g := gateNamed(rep, GateParity); g == nil || g.OK || !strings.Contains(g.Detail, "are the new side's servers") {
		t.Errorf("parity with providers.old.nameservers the new side's servers: %+v", g)
	}

	// A recorded name that does not exist: resolvers cannot reach it
	// either; said, refusing nothing.
	apexCheck := func(rep *Report, name string) *delegation.Check {
		for _, g := range rep.Gates {
			for i, ch := range g.Checks {
				if g.Name == GateOldUnreferenced && ch.Server == name {
					return &g.Checks[i]
				}
			}
		}
		return nil
	}
	c = setup()
	c.Old.Servers = []string{old.Addr}
	path := c.TrailPath
	tr, _ := ReadTrail(path, "example.test.")
	at := time.Now().UTC().Add(-time.Hour)
	before := registrar.Delegation{NS: []string{"ns1.gone.test.", "ns1.oldhost.test."}, NSTTL: 1}
	after := registrar.Delegation{NS: []string{"ns1.newhost.test."}, NSTTL: 1}
	if err := tr.Append(path, Entry{Time: at, Command: "flip", Result: ResultDone, Before: &before, After: &after, ChangedAt: &at, DelegatedTo: []string{"new"}}); err != nil {
		t.Fatal(err)
	}
	rep = Finish(context.Background(), c)
	if ch := apexCheck(rep, "ns1.gone.test."); ch == nil || !ch.OK || !strings.Contains(ch.Detail, "resolves to no address") {
		t.Errorf("a recorded name that does not exist: %+v%s", ch, summary(rep))
	}

	// A recorded name whose lookup fails (the resolver does not answer):
	// its servers were not asked, and finish says so.
	c = setup()
	c.Resolvers = []string{lab.Addr(t) + ":53"} // nothing listens there
	c.Timeout = 300 * time.Millisecond
	rep = Finish(context.Background(), c)
	if ch := apexCheck(rep, "ns1.oldhost.test."); ch == nil || ch.OK || !strings.Contains(ch.Detail, "could not be resolved") || !strings.Contains(ch.Fix, "cutover.resolvers") {
		t.Errorf("a recorded name whose lookup failed: %+v%s", ch, summary(rep))
	}
}

// TestReviewFinishSiblingStillDelegatedToOldLab: the old side's server
// ns1.old.example.test. also serves other.test., which the parent
// delegates to it (the parent registrar keeps that name's glue at the
// flip on purpose: usedElsewhere), and git's zone keeps the name's address
// (the old server's) for it. Finish must not say the old provider is safe
// to decommission: other.test. goes dark with it. With the parent
// registrar the parent zone's other NS RRsets are read (other-ns); with
// another registrar, other.test. in the config's zones (git-target); with
// neither, finish cannot know, and its passed detail says so.
func TestReviewFinishSiblingStillDelegatedToOldLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	key := &lab.TSIGKey{Name: "k.", Secret: "c2libGluZy1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0"}
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 1\n@ SOA ns.test. h.test. 1 60 60 60 1\n@ NS ns.test.\nns A %s\nexample NS ns1.newhost.test.\nns1.newhost A %s\nother NS ns1.old.example.test.\nns1.old.example A %s\n", ip["parent"], ip["new"], ip["old"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	example := "$ORIGIN example.test.\n$TTL 1\n@ SOA ns1.newhost.test. h.example.test. 1 60 60 60 1\n@ NS ns1.newhost.test.\nns1.old A " + ip["old"] + "\nwww A 192.0.2.80\n"
	otherText := "$ORIGIN other.test.\n$TTL 1\n@ SOA ns1.old.example.test. h 1 60 60 60 1\n@ NS ns1.old.example.test.\nwww A 192.0.2.81\n"
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}, {Origin: "other.test.", Text: otherText}}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	z, err := zone.Parse(strings.NewReader(example), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	setup := func() *Config {
		path := TrailPath(t.TempDir(), "example.test.")
		tr, _ := ReadTrail(path, "example.test.")
		flipped := time.Now().UTC().Add(-time.Hour)
		before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 1, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
		after := registrar.Delegation{NS: []string{"ns1.newhost.test."}, NSTTL: 1}
		if err := tr.Append(path, Entry{Time: flipped, Command: "flip", Result: ResultDone, Before: &before, After: &after, ChangedAt: &flipped, DelegatedTo: []string{"new"}}); err != nil {
			t.Fatal(err)
		}
		c := signedConfig(t, z, ip, old, nw, parentSrv, path, 60)
		c.New.Delegation, c.New.Glue = []string{"ns1.newhost.test."}, nil
		c.ParentZone, c.Resolvers, c.Overlap = "test.", []string{resolver.Addr}, time.Minute
		return c
	}
	gate := func(rep *Report) (g Gate) {
		for _, g := range rep.Gates {
			t.Logf("%s ok=%v: %.300s", g.Name, g.OK, g.Detail)
		}
		for _, g := range rep.Gates {
			if g.Name == GateOldUnreferenced {
				return g
			}
		}
		t.Fatal("no gate old-unreferenced")
		return g
	}
	failing := func(g Gate, check, server string) bool {
		for _, ch := range g.Checks {
			if ch.Name == check && strings.HasSuffix(ch.Server, server) && !ch.OK {
				return true
			}
		}
		return false
	}

	// The parent registrar reads the parent zone: other.test.'s NS there
	// names the old server.
	c := setup()
	c.Registrar = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, parentSrv.Addr, key)}
	rep := Finish(context.Background(), c)
	if g := gate(rep); rep.Result == ResultDone || !failing(g, CheckOtherNS, "other.test.") {
		t.Errorf("parent registrar: finish %s while the parent zone delegates other.test. to ns1.old.example.test. (%s, the old server)", rep.Result, ip["old"])
	}

	// The manual registrar cannot; other.test. is one of the config's
	// zones, its NS in git naming the old server.
	c = setup()
	file := filepath.Join(t.TempDir(), "other.test.zone")
	if err := os.WriteFile(file, []byte(otherText), 0o644); err != nil {
		t.Fatal(err)
	}
	c.OtherZones = []GitZone{{Origin: "other.test.", File: file}}
	rep = Finish(context.Background(), c)
	if g := gate(rep); rep.Result == ResultDone || !failing(g, CheckGitTarget, "other.test.zone:4") {
		t.Errorf("other.test. in git naming the old server: finish %s", rep.Result)
		for _, ch := range g.Checks {
			t.Logf("  %s %s ok=%v %s", ch.Name, ch.Server, ch.OK, ch.Detail)
		}
	}

	// Neither: finish cannot know; it says what it did not check.
	c = setup()
	rep = Finish(context.Background(), c)
	if g := gate(rep); !g.OK || !strings.Contains(g.Detail, "delegations of other zones to these servers were not checked") {
		t.Errorf("manual registrar, other.test. not in the config: old-unreferenced ok=%v %s", g.OK, g.Detail)
	}
	if acts := strings.Join(rep.Actions, "\n"); !strings.Contains(acts, "make sure no other zone is delegated to ns1.old.example.test.") {
		t.Errorf("manual registrar: finish's actions do not say other delegations were not checked:\n%s", acts)
	}
}

// listingProvider is a provider that lists its zones
// (provider.ZoneLister), as an API provider does.
type listingProvider struct {
	provider.Provider
	zones []string
}

func (p listingProvider) ZoneNames(context.Context) ([]string, error) { return p.zones, nil }

// TestFinishNSZoneHeldByOldLab: the new side's nameserver name
// ns1.dnshost.test. lives in dnshost.test., whose nameserver
// (ns.dnshost.test., the new server's address here) is no server of the
// old side by name or address: an API provider serves each zone under
// other nameserver names. Where the old provider lists its zones and
// holds dnshost.test., finish refuses (decommissioning it would take
// dnshost.test., and example.test.'s delegation, with it); where it holds
// other zones only, finish is done; where it cannot list, finish is done
// and ns-zone's detail says only names and addresses were compared.
func TestFinishNSZoneHeldByOldLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 1\n@ SOA ns.test. h.test. 1 60 60 60 1\n@ NS ns.test.\nns A %s\nexample NS ns1.dnshost.test.\ndnshost NS ns.dnshost\nns.dnshost A %s\n", ip["parent"], ip["new"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	example := "$ORIGIN example.test.\n$TTL 1\n@ SOA ns1.dnshost.test. h.example.test. 1 60 60 60 1\n@ NS ns1.dnshost.test.\nwww A 192.0.2.80\n"
	dnshost := lab.Zone{Origin: "dnshost.test.", Text: fmt.Sprintf("$ORIGIN dnshost.test.\n$TTL 1\n@ SOA ns h 1 60 60 60 1\n@ NS ns\nns A %s\nns1 A %s\n", ip["new"], ip["new"])}
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}, dnshost}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	z, err := zone.Parse(strings.NewReader(example), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	setup := func() *Config {
		path := TrailPath(t.TempDir(), "example.test.")
		tr, _ := ReadTrail(path, "example.test.")
		flipped := time.Now().UTC().Add(-time.Hour)
		before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 1, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
		after := registrar.Delegation{NS: []string{"ns1.dnshost.test."}, NSTTL: 1}
		if err := tr.Append(path, Entry{Time: flipped, Command: "flip", Result: ResultDone, Before: &before, After: &after, ChangedAt: &flipped, DelegatedTo: []string{"new"}}); err != nil {
			t.Fatal(err)
		}
		c := signedConfig(t, z, ip, old, nw, parentSrv, path, 60)
		c.New.Delegation, c.New.Glue = []string{"ns1.dnshost.test."}, nil
		c.ParentZone, c.Resolvers, c.Overlap = "test.", []string{resolver.Addr}, time.Minute
		return c
	}
	nsZone := func(rep *Report) *delegation.Check {
		for _, g := range rep.Gates {
			t.Logf("%s ok=%v: %.300s", g.Name, g.OK, g.Detail)
			for i, ch := range g.Checks {
				if g.Name == GateOldUnreferenced && ch.Name == CheckNSZone {
					t.Logf("  ns-zone ok=%v: %s", ch.OK, ch.Detail)
					return &g.Checks[i]
				}
			}
		}
		return nil
	}

	c := setup()
	c.Old.Provider = listingProvider{c.Old.Provider, []string{"example.test.", "dnshost.test."}}
	rep := Finish(context.Background(), c)
	if ch := nsZone(rep); rep.Result == ResultDone || ch == nil || ch.OK || !strings.Contains(ch.Detail, "which the old provider holds") {
		t.Errorf("the old provider holds dnshost.test., the zone of the new side's nameserver name: finish %s", rep.Result)
	}

	c = setup()
	c.Old.Provider = listingProvider{c.Old.Provider, []string{"example.test.", "elsewhere.test."}}
	rep = Finish(context.Background(), c)
	if ch := nsZone(rep); rep.Result != ResultDone || ch == nil || !ch.OK || !strings.Contains(ch.Detail, "does not hold") {
		t.Errorf("the old provider does not hold dnshost.test.: finish %s", rep.Result)
	}

	c = setup()
	rep = Finish(context.Background(), c)
	if ch := nsZone(rep); rep.Result != ResultDone || ch == nil || !ch.OK || !strings.Contains(ch.Detail, "only server names and addresses were compared") {
		t.Errorf("an old provider that cannot list its zones: finish %s", rep.Result)
	}
}
