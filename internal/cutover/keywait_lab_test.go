package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/registrar/manual"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestFlipDNSKEYWaitLab: RFC 8901 with both DS at a signed parent, the
// new side (BIND) publishing both key sets, the old side (Knot) adding the
// new side's keys only during the cutover. The trail records each side's
// DNSKEY set whenever a step's dnssec gate asks it, and the flip's gate
// counts the DNSKEY TTL (300 s) from the first record of the old set
// holding the new keys: refused before, with the time; passes after. The
// clock is the step's (Config.Now), the servers real.
func TestFlipDNSKEYWaitLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p, a, b := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	text := fmt.Sprintf("$ORIGIN test.\n$TTL 60\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns\nns A %s\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\n", ip["parent"], ip["old"])
	for _, d := range []string{a.ds(t), b.ds(t)} {
		text += "example 5 DS " + d + "\n"
	}
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: p.sign(t, text, nil)}}})
	zoneText := func(side string, serial int) string {
		return strings.Replace(strings.Replace(msZone(side, ip), "$TTL 2", "$TTL 300", 1), " 1 60 60 60 2", fmt.Sprintf(" %d 60 60 60 2", serial), 1)
	}
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, zoneText("old", 1), nil)}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, zoneText("new", 1), a.keys(t))}}})

	z, err := zone.Parse(strings.NewReader(zoneText("old", 1)), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	path := TrailPath(t.TempDir(), "example.test.")
	clock := time.Now().UTC().Truncate(time.Second)
	c := signedConfig(t, z, ip, old, nw, parent, path, 300)
	c.Now = func() time.Time { return clock }
	dnssecGate := func(rep *Report) *Gate {
		t.Helper()
		g := findGate(rep.Gates, GateDNSSEC)
		if g == nil {
			t.Fatalf("%s: no dnssec gate: %+v %v", rep.Command, rep.Gates, rep.Errors)
		}
		t.Logf("%s at %s: dnssec ok=%v %s; plan %q", rep.Command, clock.Format(time.RFC3339), g.OK, g.Detail, g.Plan)
		return g
	}

	// 1. Before route (b)'s step 2 at the old side: refused (the old
	// DNSKEY set lacks the new ZSK); the trail records both sets.
	if g := dnssecGate(Status(context.Background(), c)); g.OK || !strings.Contains(g.Detail, "lacks key tag "+b.ZSKTag()) {
		t.Errorf("status before the old side publishes the new keys: the dnssec gate %v", g.OK)
	}
	if k := readKeys(t, path, "old"); len(k) != 1 || !slices.Equal(k[0].Tags, keyTags(a)) || k[0].TTL != 300 {
		t.Errorf("recorded old DNSKEY set: %+v, want tags %v TTL 300", k, keyTags(a))
	}
	if k := readKeys(t, path, "new"); len(k) != 1 || !slices.Equal(k[0].Tags, keyTags(a, b)) {
		t.Errorf("recorded new DNSKEY set: %+v, want tags %v", k, keyTags(a, b))
	}

	// 2. The old side publishes the new keys; a status a minute later
	// records it, and the flip two minutes later is refused until that
	// record (the end of its second) + 300 s.
	old.Reload(t, lab.Zone{Origin: "example.test.", Text: a.sign(t, zoneText("old", 2), b.keys(t))})
	clock = clock.Add(time.Minute)
	seen := clock.Add(time.Second) // the end of the second the trail records
	if g := dnssecGate(Status(context.Background(), c)); g.OK {
		t.Errorf("status right after the old side published the new keys: the dnssec gate passed")
	}
	clock = clock.Add(time.Minute)
	rep := Flip(context.Background(), c, true, false)
	g := dnssecGate(rep)
	until := seen.Add(300 * time.Second)
	if g.OK || rep.Result != ResultRefused {
		t.Errorf("flip two minutes after the old DNSKEY set first held the new keys: %s, dnssec ok=%v", rep.Result, g.OK)
	} else if !strings.Contains(g.Detail, "only since "+seen.Format(time.RFC3339)+" (when a step first saw them)") ||
		!slices.ContainsFunc(rep.Next, func(n Next) bool { return n.Earliest.Equal(until) && strings.HasPrefix(n.Step, "dnssec (b) 4") }) {
		t.Errorf("the refusal does not say to wait until %s: %s; next %+v", until.Format(time.RFC3339), g.Detail, rep.Next)
	}
	if k := readKeys(t, path, "old"); len(k) < 2 || !slices.Equal(k[len(k)-1].Tags, keyTags(a, b)) {
		t.Errorf("recorded old DNSKEY sets: %+v", k)
	}

	// 3. Once the DNSKEY TTL has passed since that record: the gate passes.
	clock = until.Add(time.Second)
	if g := dnssecGate(Flip(context.Background(), c, true, false)); !g.OK || !strings.Contains(g.Detail, "since "+seen.Format(time.RFC3339)+" at least, longer than the DNSKEY TTL (300 s)") {
		t.Errorf("flip after the DNSKEY TTL: dnssec ok=%v", g.OK)
	}
}

// signedConfig is the step configuration of the signed-zone lab tests: one
// server a side (rfc2136 providers reading them), ns1.old/ns1.new with
// glue, the manual registrar polling parent, prestage ttl, git's zone z.
func signedConfig(t *testing.T, z *zone.Zone, ip map[string]string, old, nw, parent *lab.Server, path string, ttl uint32) *Config {
	t.Helper()
	prov := func(addr string) provider.Provider {
		pr, err := provider.New(&config.Provider{Name: "x", Type: "rfc2136", Settings: &rfc2136.Settings{Server: addr}})
		if err != nil {
			t.Fatal(err)
		}
		return pr
	}
	return &Config{
		Zone:          z,
		Old:           Side{Name: "old", Servers: []string{old.Addr}, Delegation: []string{"ns1.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}, Provider: prov(old.Addr)},
		New:           Side{Name: "new", Servers: []string{nw.Addr}, Delegation: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {ip["new"]}}, Provider: prov(nw.Addr)},
		Registrar:     &manual.Manual{Servers: []string{parent.Addr}, Out: &syncBuffer{}, Wait: time.Second, Poll: 100 * time.Millisecond},
		ParentServers: []string{parent.Addr},
		PrestageTTL:   ttl,
		TrailPath:     path,
		Actor:         "tester",
		Parity:        parity.Options{Timeout: 2 * time.Second, Retries: 2},
		Progress:      &syncBuffer{},
		// One server a side, in one /24, transfers open: what these
		// tests are not about.
		Delegation: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}},
	}
}
