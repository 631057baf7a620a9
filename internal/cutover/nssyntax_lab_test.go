package cutover

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
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

// TestFlipNSSetFromGitLab: with providers.new.manage_apex true and no
// providers.new.delegation, the NS set a flip installs at the parent is
// the apex NS the new side serves, which push writes from git's zone
// file. A zone-file change (a merged pull request by someone who may
// edit zones/, not dnsparity.yaml) then decides the registry's
// nameservers: here it adds ns.evil.test., a name the config never
// named, whose zone its author holds and points at the new server's
// address for the flip (so every check of the name passes), to move it
// anywhere afterwards, and which stays at the registry after the zone
// file is reverted. Every server (real Knot) serves that NS set, so
// child-ns, glue and the rest pass. On the code before, the flip changed
// the parent (real BIND) to that set, exit 0. Now the delegation gate's
// ns-source check refuses it (exit 1, the parent untouched), naming the
// zone file's line and the setting to name the set in; with the set
// named in providers.new.delegation (and git's apex NS that set), or a
// set from git naming only names in the zone, whose addresses are the
// configured servers', the same lab flips.
func TestFlipNSSetFromGitLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	cases := []struct {
		what       string
		delegation string // providers.new.delegation, "" for none
		extraNS    string // an NS name git's apex adds
		refused    bool
	}{
		{what: "apex NS from git names another server", extraNS: "ns.evil.test.", refused: true},
		// With manage_apex false, push writes no apex NS: an rfc2136
		// server's set is its operator's, not git's (nsFromGit; a
		// provider that creates the zone with git's set:
		// TestNSFromGit).
		// A name in the zone is glued to the configured addresses (the
		// glue check holds its served addresses to them): git's choice
		// of such a name moves nothing outside the zone's own data.
		{what: "apex NS from git, a name in the zone only"},
		{what: "delegation configured", delegation: "[ns1.new.example.test.]"},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			ctx := context.Background()
			key := &lab.TSIGKey{Name: "k.", Secret: "cmV2aWV3Ny1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
			oldIP, newIP := lab.Addr(t), lab.Addr(t)
			ip := map[string]string{"old": oldIP, "new": newIP}
			// ns.evil.test. is a name of the parent zone (a sibling
			// domain its holder controls) at the new server's address.
			parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nns.evil A %s\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\n", newIP, oldIP)
			p := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
			newText := ownNSZone("new", ip)
			if tc.extraNS != "" {
				newText += "@ NS " + tc.extraNS + "\n"
			}
			lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("old", ip)}}})
			lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: newText}}})
			dir := t.TempDir()
			file := filepath.Join(dir, "example.test.zone")
			if err := os.WriteFile(file, []byte(newText), 0o644); err != nil {
				t.Fatal(err)
			}
			newDelegation := ""
			if tc.delegation != "" {
				newDelegation = ", delegation: " + tc.delegation
			}
			cfgText := fmt.Sprintf(`zones:
  - {name: example.test., file: "%s"}
providers:
  old: {type: rfc2136, server: %s:53, nameservers: [%s], delegation: [ns1.old.example.test.]}
  new: {type: rfc2136, server: %s:53, nameservers: [%s], manage_apex: true%s}
registrar: {type: manual}
policy: {prestage_ttl: 60, delegation: {min_ns: 1, accept: [ns-diversity, axfr-open]}}
cutover: {parent_servers: [%s]}
`, file, oldIP, oldIP, newIP, newIP, newDelegation, p.Addr)
			path := filepath.Join(dir, "dnsparity.yaml")
			if err := os.WriteFile(path, []byte(cfgText), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			c, err := FromConfig(ctx, cfg, "example.test.", func(string) string { return "" }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			c.TrailPath = prestagedTrail(t, 60)
			c.Registrar = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}
			c.Watch, c.Confirm, c.Log = time.Second, 2*time.Second, io.Discard
			rep := Flip(ctx, c, false, false)
			got := nsAtParent(t, p.Addr)
			if !tc.refused {
				if rep.Result != ResultDone || got != "ns1.new.example.test." {
					t.Fatalf("flip: %s %q (gates %+v), the parent delegates to %s", rep.Result, rep.Errors, rep.Gates, got)
				}
				return
			}
			g := findGate(rep.Gates, GateDelegation)
			var src *delegation.Check
			if g != nil {
				for i := range g.Checks {
					if g.Checks[i].Name == delegation.CheckNSSource && g.Checks[i].Server == tc.extraNS {
						src = &g.Checks[i]
					}
				}
			}
			if rep.Result != ResultRefused || src == nil || src.OK || !strings.Contains(src.Detail, "example.test.zone:") || !strings.Contains(src.Fix, "providers.new.delegation") {
				t.Fatalf("flip to the NS set git's apex gives: %s %q, the parent delegates to %s, ns-source %+v: want refused by ns-source naming the zone file's line and providers.new.delegation", rep.Result, rep.Errors, got, src)
			}
			if got != "ns1.old.example.test." {
				t.Errorf("the parent delegates to %s after the refusal", got)
			}
			for _, o := range g.Checks {
				if !o.OK && !o.Accepted && o.Name != delegation.CheckNSSource {
					t.Errorf("another check of the delegation fails too (the lab is sound but for the set's source): %+v", o)
				}
			}
		})
	}
}
