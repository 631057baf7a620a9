package cutover

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestFinishOldProviderStillServesOtherZonesLab: a config of two zones
// with one old provider (one account). example.test. is flipped and its
// finish passes; other.test. is not finished (its git apex NS already
// names the new server, as a wave's preparation has it). On the code
// before, finish said "the old provider is safe to decommission" after
// checking example.test. alone: closing the account took other.test.
// down. Now finish is done for its zone, says the zone no longer needs
// the old provider, and warns, listing each other zone not finished
// (its trail's stage) and the zones the old account holds outside the
// config where the provider lists them (old_provider_in_use).
func TestFinishOldProviderStillServesOtherZonesLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: dnshostParent(ip["parent"], ip["new"])}}})
	example := "$ORIGIN example.test.\n$TTL 1\n@ SOA ns1.dnshost.test. h.example.test. 1 60 60 1209600 1\n@ NS ns1.dnshost.test.\nwww A 192.0.2.80\n"
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}, dnshostZone(ip["new"], ip["new"])}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	setup := flippedOutOfZone(t, gitZone(t, example), ip, old, nw, parentSrv, resolver.Addr, "ns1.dnshost.test.")
	other := filepath.Join(t.TempDir(), "other.test.zone")
	if err := os.WriteFile(other, []byte("$ORIGIN other.test.\n$TTL 1\n@ SOA ns1.dnshost.test. h.other.test. 1 60 60 1209600 1\n@ NS ns1.dnshost.test.\nwww A 192.0.2.81\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hour := time.Now().UTC().Add(-time.Hour)
	flipped := flipEntry(hour, registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 1}, registrar.Delegation{NS: []string{"ns1.dnshost.test."}, NSTTL: 1})
	finished := Entry{Time: hour.Add(time.Minute), Command: "finish", Result: ResultDone}
	for _, tc := range []struct {
		name      string
		trail     []Entry  // other.test.'s
		held      []string // the old account's zones (nil: it cannot list them)
		wantZones []ZoneStage
		wantHeld  []string
	}{
		{name: "other zone not started", wantZones: []ZoneStage{{Zone: "other.test.", Stage: StageNotStarted}}},
		{name: "other zone flipped", trail: []Entry{flipped}, wantZones: []ZoneStage{{Zone: "other.test.", Stage: StageFlipped}}},
		{name: "other zone finished", trail: []Entry{flipped, finished}},
		{name: "other zone finished, account holds more", trail: []Entry{flipped, finished}, held: []string{"other.test.", "stray.test", "example.test."}, wantHeld: []string{"stray.test."}},
		{name: "all finished, account holds the config's zones only", trail: []Entry{flipped, finished}, held: []string{"other.test.", "example.test."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := setup()
			c.ConfigZones = []GitZone{{Origin: "example.test.", File: "not-read.zone"}, {Origin: "other.test.", File: other}}
			path := TrailPath(filepath.Dir(c.TrailPath), "other.test.")
			tr, err := ReadTrail(path, "other.test.")
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range tc.trail {
				if err := tr.Append(path, e); err != nil {
					t.Fatal(err)
				}
			}
			if tc.held != nil {
				c.Old.Provider = listingProvider{c.Old.Provider, tc.held}
			}
			rep := Finish(context.Background(), c)
			acts, warns := strings.Join(rep.Actions, "\n"), strings.Join(rep.Warnings, "\n")
			if rep.Result != ResultDone || rep.OldProviderInUse == nil {
				t.Fatalf("finish %s (want done), old_provider_in_use %v; gates %+v", rep.Result, rep.OldProviderInUse, rep.Gates)
			}
			u := rep.OldProviderInUse
			if !slices.Equal(u.Zones, tc.wantZones) || !slices.Equal(u.Held, append([]string{}, tc.wantHeld...)) || u.Listed != (tc.held != nil) {
				t.Errorf("old_provider_in_use %+v, want zones %v, held %v", u, tc.wantZones, tc.wantHeld)
			}
			if !strings.Contains(acts, "example.test. is finished: the zone no longer needs the old provider") {
				t.Errorf("finish's actions do not say the zone no longer needs the old provider:\n%s", acts)
			}
			inUse := len(tc.wantZones)+len(tc.wantHeld) > 0
			if says := strings.Contains(acts, "the old provider is safe to decommission"); says == inUse {
				t.Errorf("something else needs the old provider: %v; finish calls it safe to decommission: %v:\n%s", inUse, says, acts)
			}
			if warned := strings.Contains(warns, "do not decommission the old provider yet"); warned != inUse {
				t.Errorf("something else needs the old provider: %v; warned: %v: %q", inUse, warned, warns)
			}
			for _, z := range tc.wantZones {
				if !strings.Contains(warns, z.Zone+" ("+z.Stage+")") {
					t.Errorf("the warning does not name %s (%s): %q", z.Zone, z.Stage, warns)
				}
			}
			for _, h := range tc.wantHeld {
				if !strings.Contains(warns, h) {
					t.Errorf("the warning does not name %s, held by the old account outside the config: %q", h, warns)
				}
			}
		})
	}
}
