package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// geoLine is git's geo record: the answer for clients outside the regions.
const geoLine = "geo      60 IN A 192.0.2.70\n"

// geoKnotConf is the new side's mod-geoip policy; us is the US answer.
func geoKnotConf(us string) string {
	return fmt.Sprintf("geo.example.test:\n  - net: 198.51.100.0/24\n    A: 192.0.2.71\n  - net: 203.0.113.0/24\n    A: %s\n", us)
}

// writeGeo writes git's zone with its geo record and two configs:
// plain.yaml, and l.cfgPath with parity.client_subnets (subnets: the
// map's YAML lines); it returns plain.yaml's path.
func (l *coLab) writeGeo(t *testing.T, subnets string) string {
	t.Helper()
	l.zonePath = filepath.Join(l.dir, "example.test.zone")
	if err := os.WriteFile(l.zonePath, []byte(childZone("old", l.ttl, l.serial, l.oldIP, l.newIP, "192.0.2.10")+geoLine), 0o644); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(l.dir, "plain.yaml")
	l.writeConfig(t, plain, nil)
	l.cfgPath = filepath.Join(l.dir, "dnsparity.yaml")
	b, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	geo := strings.Replace(string(b), "parity:\n", "parity:\n  client_subnets:\n"+subnets, 1)
	if geo == string(b) {
		t.Fatal("the config has no parity section to extend")
	}
	if err := os.WriteFile(l.cfgPath, []byte(geo), 0o644); err != nil {
		t.Fatal(err)
	}
	return plain
}

// TestCutoverGeoParityGate: the old side is PowerDNS with a LUA record
// answering geo.example.test by the client subnet, the new side Knot with
// mod-geoip. With the same policy the flip's parity gate passes; with a
// policy that differs for the us region it refuses the flip (the
// registrar untouched), naming the region; without parity.client_subnets
// in the config the same difference is invisible to the gate.
func TestCutoverGeoParityGate(t *testing.T) {
	l := baseCoLab(t)
	lua := `geo      60 IN LUA A "view({{{'198.51.100.0/24'}, {'192.0.2.71'}}, {{'203.0.113.0/24'}, {'192.0.2.72'}}, {{'0.0.0.0/0', '::/0'}, {'192.0.2.70'}}})"` + "\n"
	// As startOld: transfers only with the key the config names (providers.old.tsig).
	l.old = lab.PDNS(t, lab.Options{IP: l.oldIP, TSIG: coKey, LUA: true, Zones: []lab.Zone{{Origin: coOrigin, Text: l.side("old", "192.0.2.10").Text + lua}}})
	l.env = map[string]string{"OLD_TSIG": coKey.Secret, "NEW_TSIG": coKey.Secret, "PARENT_TSIG": coKey.Secret, "USER": "tester", "OLD_PDNS_KEY": l.old.APIKey}
	startNew := func(us string) {
		if l.new != nil {
			l.new.Stop()
		}
		l.new = lab.Knot(t, lab.Options{IP: l.newIP, TSIG: coKey, AllowUpdate: true, GeoIP: geoKnotConf(us),
			Zones: []lab.Zone{{Origin: coOrigin, Text: l.side("new", "192.0.2.10").Text + geoLine}}})
	}
	startNew("192.0.2.72")
	for i := 0; i < 2; i++ {
		l.resolvers = append(l.resolvers, lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {l.parentIP}}}))
	}
	plainCfg := l.writeGeo(t, "    eu: 198.51.100.0/24\n    us: 203.0.113.0/24\n")
	before := l.parentText(t)

	// The same policy: the parity gate passes (the flip is refused for
	// the TTLs only).
	code, rep, stderr := l.run(t, l.cfgPath, "flip")
	l.wantRefused(t, "flip with the TTLs above the cap", code, rep, stderr, before, cutover.GateTTLPrestaged)
	if g := gateOf(rep, cutover.GateParity); g == nil || !g.OK {
		t.Fatalf("the same geo policy: parity gate %+v, want it to pass\n%s", g, stderr)
	}

	// us answers otherwise on the new side.
	startNew("192.0.2.73")
	code, rep, stderr = l.run(t, l.cfgPath, "flip")
	l.wantRefused(t, "flip with a geo policy that differs for us", code, rep, stderr, before, cutover.GateParity)
	g := gateOf(rep, cutover.GateParity)
	if !strings.Contains(g.Detail, "geo.example.test. A rdata: for clients in us (203.0.113.0/24)") || !strings.Contains(g.Detail, "192.0.2.73") || strings.Contains(g.Detail, "eu (") {
		t.Errorf("parity gate detail %q; want the us difference named (and not eu)", g.Detail)
	}

	// Without client subnets the gate asks from one place and passes.
	code, rep, stderr = l.run(t, plainCfg, "flip")
	if g := gateOf(rep, cutover.GateParity); code != exitProblem || g == nil || !g.OK {
		t.Errorf("without parity.client_subnets: exit %d parity gate %+v, want it to pass (the difference is per subnet)\n%s", code, g, stderr)
	}
}

// TestCutoverGeoFeatureGate: the flip's parity gate asks the providers'
// own features from every client subnet, as `dnsparity parity` does (one
// builder of the options, parity.FromConfig). The old provider's API
// (PowerDNS) reports a LUA record at geo.example.test; the servers of
// both sides (Knot with mod-geoip) answer it by client subnet for ap
// only, and differently: the first probe's two subnets (eu, us) get the
// default with scope 0 on both, so only the feature's name leads parity
// to ask from ap. Both `dnsparity parity` and the flip's parity gate must
// find ap's difference.
func TestCutoverGeoFeatureGate(t *testing.T) {
	l := baseCoLab(t)
	geo := func(ap string) string {
		return fmt.Sprintf("geo.example.test:\n  - net: 192.0.2.128/25\n    A: %s\n", ap)
	}
	// The old provider: its API (PowerDNS, with the LUA record) and its
	// public server (Knot on the address the parent's glue names).
	lua := `geo      60 IN LUA A "view({{{'192.0.2.128/25'}, {'192.0.2.74'}}, {{'0.0.0.0/0', '::/0'}, {'192.0.2.70'}}})"` + "\n"
	l.old = lab.PDNS(t, lab.Options{TSIG: coKey, LUA: true, Zones: []lab.Zone{{Origin: coOrigin, Text: l.side("old", "192.0.2.10").Text + lua}}})
	lab.Knot(t, lab.Options{IP: l.oldIP, TSIG: coKey, GeoIP: geo("192.0.2.74"), Zones: []lab.Zone{{Origin: coOrigin, Text: l.side("old", "192.0.2.10").Text + geoLine}}})
	l.new = lab.Knot(t, lab.Options{IP: l.newIP, TSIG: coKey, AllowUpdate: true, GeoIP: geo("192.0.2.75"),
		Zones: []lab.Zone{{Origin: coOrigin, Text: l.side("new", "192.0.2.10").Text + geoLine}}})
	l.env = map[string]string{"OLD_TSIG": coKey.Secret, "NEW_TSIG": coKey.Secret, "PARENT_TSIG": coKey.Secret, "USER": "tester", "OLD_PDNS_KEY": l.old.APIKey}
	l.resolvers = append(l.resolvers, lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {l.parentIP}}}))
	l.writeGeo(t, "    eu: 198.51.100.0/24\n    us: 203.0.113.0/24\n    ap: 192.0.2.128/25\n")
	before := l.parentText(t)

	code, out := l.runCmd(t, "parity", "--config", l.cfgPath)
	if code != exitProblem || !strings.Contains(out, "for clients in ap (192.0.2.128/25)") || !strings.Contains(out, "provider-feature") {
		t.Errorf("dnsparity parity: exit %d, want 1 naming ap's difference and the provider feature:\n%s", code, out)
	}
	code, rep, stderr := l.run(t, l.cfgPath, "flip", "--dry-run")
	l.wantRefused(t, "flip with a geo difference for ap", code, rep, stderr, before, cutover.GateParity)
	if g := gateOf(rep, cutover.GateParity); g == nil || !strings.Contains(g.Detail, "geo.example.test. A rdata: for clients in ap (192.0.2.128/25)") {
		t.Errorf("parity gate %+v; want ap's difference at geo.example.test. named", g)
	}
}
