package delegation

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestStaleSiblingGlueLab: the new side's nameserver name
// ns1.dnshost.test. lies outside the zone but inside the parent zone
// test., which holds an address for it (glue of dnshost.test.'s own
// delegation: at a registry, the host object's address, which every
// referral naming the host carries). That address is stale: the old
// provider's server, which still serves dnshost.test. (so a resolver
// looking the name up gets its real address, the new server) and the
// old copy of example.test. The referral the step installs for
// example.test. carries that sibling glue too, and resolvers that take
// it (Unbound keeps glue inside the referring zone) go on asking the old
// server: the flip sends them nowhere it proved. The glue check compares
// the addresses the parent's servers hold for such a name (the referral
// of the parent zone's delegation holding it) with the ones it resolves
// to (Zonemaster CONSISTENCY05, OUT_OF_BAILIWICK_ADDR_MISMATCH), and
// fails, naming the old side; before, it judged only the resolved
// address and passed.
func TestStaleSiblingGlueLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns.test.\nns A %s\nexample NS ns1.old.example\nns1.old.example A %s\ndnshost NS ns1.dnshost\nns1.dnshost A %s\nprobe NS ns1.dnshost.test.\n", ip["parent"], ip["old"], ip["old"])
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	dnshost := lab.Zone{Origin: "dnshost.test.", Text: fmt.Sprintf("$ORIGIN dnshost.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A %s\n", ip["new"])}
	example := func(apex string) lab.Zone {
		return lab.Zone{Origin: "example.test.", Text: fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA %s h.example.test. 1 60 60 60 60\n@ NS %s\nns1.old A %s\nwww A 192.0.2.80\n", apex, apex, ip["old"])}
	}
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{example("ns1.old.example.test."), dnshost}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{example("ns1.dnshost.test."), dnshost}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.Addr}}})

	res := Run(context.Background(), Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.dnshost.test."},
		Servers: []string{nw.Addr}, Others: []Other{{Name: "old", NS: []string{"ns1.old.example.test."}, Servers: []string{old.Addr}}},
		ParentZone: "test.", ParentServers: []string{parent.Addr}, Resolvers: []string{resolver.Addr},
		Policy: Policy{MinNS: 1}, Timeout: 2 * time.Second})
	var glue *Check
	for i, c := range res.Checks {
		if c.Name == CheckGlue && c.Server == "ns1.dnshost.test." {
			glue = &res.Checks[i]
		}
	}
	if glue == nil {
		t.Fatalf("no glue check for ns1.dnshost.test.: %+v", res.Checks)
	}
	t.Logf("glue: ok=%v %s", glue.OK, glue.Detail)
	if glue.OK || !strings.Contains(glue.Detail, ip["old"]) || !strings.Contains(glue.Detail, "old side") {
		t.Errorf("glue check for ns1.dnshost.test. (the parent holds %s, the old server, for it): ok=%v %q; want failed, naming that address and the old side", ip["old"], glue.OK, glue.Detail)
	}
	// What resolvers get: a referral naming the host carries the
	// parent's address for it (probe.test. names it as the step would
	// name it for example.test.).
	for _, v := range registrar.Lookup(context.Background(), []string{parent.Addr}, "probe.test.", 2*time.Second) {
		if got := strings.Join(v.Sibling["ns1.dnshost.test."], " "); got != ip["old"] {
			t.Errorf("%s: the referral of probe.test. carries %q for ns1.dnshost.test. (%s), want %s", v.Server, got, v.Err, ip["old"])
		}
	}

	// The same parent holding the name's real address: passes.
	fixed := strings.Replace(parentText, "ns1.dnshost A "+ip["old"], "ns1.dnshost A "+ip["new"], 1)
	parent2 := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: fixed}}})
	resolver2 := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent2.Addr}}})
	res = Run(context.Background(), Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.dnshost.test."},
		Servers: []string{nw.Addr}, Others: []Other{{Name: "old", NS: []string{"ns1.old.example.test."}, Servers: []string{old.Addr}}},
		ParentZone: "test.", ParentServers: []string{parent2.Addr}, Resolvers: []string{resolver2.Addr},
		Policy: Policy{MinNS: 1}, Timeout: 2 * time.Second})
	for _, c := range res.Checks {
		if c.Name == CheckGlue && !c.OK {
			t.Errorf("glue check with the parent holding the real address: %s", c.Detail)
		}
	}
}
