package cutover

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestFlipNSNameSyntaxLab: the new side's delegation names a nameserver
// by a name that is no host name (Zonemaster SYNTAX04, RFC 1123 §2.1,
// RFC 952: letters, digits and hyphens, no hyphen at a label's ends, a
// top label not all digits, so an IP address is never a name): an
// underscore, a label ending in a hyphen, an address written as a name.
// Every server (real Knot) serves that NS set at its apex and the name's
// address, so every other check passes. Registries refuse such names
// (their host objects take LDH names), and resolvers may refuse them.
// On the code before, the flip passed its gates and reached the
// registrar: the parent (real BIND) refused the UPDATE on check-names
// (exit 2, after the gates said go), where a parent without such checks
// (Knot, a registry with other rules) takes it; the address written as a
// name was refused only because it does not resolve (ns-resolves), never
// for what it is. Now the delegation gate's ns-syntax check refuses the
// flip (exit 1), the registrar untouched.
func TestFlipNSNameSyntaxLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	cases := []struct {
		what string
		name func(newIP string) string
		// inZone: the name is in the zone (glue, an A record on both
		// sides); else outside it.
		inZone bool
		why    string
	}{
		{what: "underscore", name: func(string) string { return "ns_1.new.example.test." }, inZone: true, why: `"ns_1"`},
		{what: "hyphen at a label's end", name: func(string) string { return "ns1-.new.example.test." }, inZone: true, why: `"ns1-"`},
		{what: "an IP address as a name", name: func(ip string) string { return ip + "." }, why: "IP address"},
		// Escaped labels, judged as octets by the one rule `check`
		// shares (zone.HostnameProblem, zonetest.Hostnames).
		{what: "an escaped space", name: func(string) string { return `ns\032x.new.example.test.` }, inZone: true, why: "escaped character"},
		{what: "an escaped dot", name: func(string) string { return `ns\.1.new.example.test.` }, inZone: true, why: "escaped character"},
		{what: "an escaped hyphen at a label's end", name: func(string) string { return `ns\045.new.example.test.` }, inZone: true, why: "starts or ends with a hyphen"},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			ctx := context.Background()
			key := &lab.TSIGKey{Name: "k.", Secret: "cmV2aWV3Ny1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
			oldIP, newIP := lab.Addr(t), lab.Addr(t)
			ns := tc.name(newIP)
			ip := map[string]string{"old": oldIP, "new": newIP}
			extra := ""
			if tc.inZone {
				extra = strings.TrimSuffix(ns, ".example.test.") + " A " + newIP + "\n"
			}
			oldText := ownNSZone("old", ip) + extra
			newText := replaced(t, ownNSZone("new", ip), "@ NS ns1.new\n", "@ NS "+ns+"\n") + extra
			parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\n", oldIP)
			p := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
			old := lab.Knot(t, lab.Options{IP: oldIP, AllowUpdate: true, Zones: []lab.Zone{{Origin: "example.test.", Text: oldText}}})
			nw := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: newText}}})
			c := signedConfig(t, gitZone(t, newText), ip, old, nw, p, prestagedTrail(t, 60), 60)
			c.ParentZone, c.Registrar = "test.", &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}
			c.Watch, c.Confirm, c.Log = time.Second, 2*time.Second, io.Discard
			c.New.Delegation, c.New.Glue = []string{ns}, map[string][]string{}
			if tc.inZone {
				c.New.Glue[ns] = []string{newIP}
			}
			rep := Flip(ctx, c, false, false)
			g := findGate(rep.Gates, GateDelegation)
			var syntax *delegation.Check
			if g != nil {
				for i := range g.Checks {
					if g.Checks[i].Name == delegation.CheckNSSyntax && g.Checks[i].Server == zone.CanonicalName(ns) {
						syntax = &g.Checks[i]
					}
				}
			}
			if rep.Result != ResultRefused || g == nil || g.OK || syntax == nil || syntax.OK || !strings.Contains(syntax.Detail, tc.why) {
				t.Fatalf("flip to NS %s: %s %q, ns-syntax %+v: want refused by ns-syntax naming %s", ns, rep.Result, rep.Errors, syntax, tc.why)
			}
			if got := nsAtParent(t, p.Addr); got != "ns1.old.example.test." {
				t.Errorf("the parent delegates to %s after the refusal", got)
			}
		})
	}
}
