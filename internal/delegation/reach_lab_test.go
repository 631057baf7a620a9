package delegation_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// silent listens on [::1] over UDP and TCP and never answers: a routable
// server that times out.
func silent(t *testing.T) string {
	t.Helper()
	u, err := net.ListenPacket("udp6", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { u.Close() })
	port := u.LocalAddr().(*net.UDPAddr).Port
	l, err := net.Listen("tcp6", fmt.Sprintf("[::1]:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() }) // connections wait in the backlog, unanswered
	return fmt.Sprintf("[::1]:%d", port)
}

// TestNotCheckedFromHereLab: the per-server checks of an address this
// machine cannot send to (no route, as on a runner without IPv6) are
// not-checked: they refuse nothing, and the summary names the server and
// why; so are those of an IPv6 address policy.delegation.ipv6 leaves out.
// A routable server that times out or refuses still fails, and a side none
// of whose servers could be asked is NoneChecked.
func TestNotCheckedFromHereLab(t *testing.T) {
	lab.Require(t, "knotd", "ip")
	ctx := context.Background()
	v6 := lab.Unroutable(t)
	unroutable := net.JoinHostPort(v6, "53")
	key := &lab.TSIGKey{Name: "reach-key.", Secret: "cmVhY2gta2V5LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNDU="}
	ip := lab.Addr(t)
	k := lab.Knot(t, lab.Options{IP: ip, TSIG: key, Zones: []lab.Zone{{Origin: "example.test.", Text: fmt.Sprintf(`$ORIGIN example.test.
$TTL 60
@   SOA ns1 hostmaster 1 3600 600 604800 60
@   NS  ns1
ns1 A    %s
ns1 AAAA %s
`, ip, v6)}}})
	refused := net.JoinHostPort(lab.Addr(t), "53") // nothing listens: port unreachable
	quiet := silent(t)
	// The unroutable address stands for a public IPv6 address (it is a
	// documentation one, RFC 3849): a parent named there too makes
	// ns-address count its block as the delegation's network.
	parent := quietParent(t, v6)
	target := func(servers []string, noIPv6 bool) delegation.Target {
		return delegation.Target{Zone: "example.test.", Side: "old", NS: []string{"ns1.example.test."},
			Glue: map[string][]string{"ns1.example.test.": {ip, v6}}, Servers: servers, Timeout: 300 * time.Millisecond, ParentServers: parent,
			Policy: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity}, NoIPv6: noIPv6}}
	}
	perServer := []string{delegation.CheckAA, delegation.CheckChildNS, delegation.CheckTCP, delegation.CheckEDNS, delegation.CheckEDNSUnknown, delegation.CheckEDNSTruncated, delegation.CheckQNameCase, delegation.CheckAAAA,
		delegation.CheckRecursion, delegation.CheckAXFROpen, delegation.CheckUpwardReferral, delegation.CheckSerial, delegation.CheckSOAFields}

	// ns1's addresses are the Knot server's and the unroutable one, so
	// the unroutable server is in every case (the glue names it).
	tests := []struct {
		name       string
		servers    []string
		noIPv6     bool
		notChecked []string // the servers left out
		why        string   // and why
		fails      string   // a server whose aa and tcp fail
	}{
		{name: "no route to an IPv6 server", servers: []string{k.Addr, unroutable}, notChecked: []string{unroutable}, why: "no route from this machine (network is unreachable)"},
		{name: "a routable IPv6 server that does not answer", servers: []string{k.Addr, unroutable, quiet}, notChecked: []string{unroutable}, fails: quiet},
		{name: "IPv6 left out by policy, routable or not", servers: []string{k.Addr, unroutable, quiet}, noIPv6: true, notChecked: []string{unroutable, quiet}, why: "policy.delegation.ipv6 is false"},
		{name: "a routable IPv4 server that refuses", servers: []string{k.Addr, unroutable, refused}, notChecked: []string{unroutable}, fails: refused},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := delegation.Run(ctx, target(tc.servers, tc.noIPv6))
			t.Logf("%s", r.Summary())
			var left []string
			for _, s := range r.NotChecked() {
				left = append(left, s.Addr)
				if !strings.Contains(s.NotChecked, tc.why) {
					t.Errorf("%s not checked because %q, want %q", s.Addr, s.NotChecked, tc.why)
				}
			}
			if strings.Join(left, " ") != strings.Join(tc.notChecked, " ") {
				t.Errorf("not checked: %v, want %v", left, tc.notChecked)
			}
			for _, nc := range tc.notChecked {
				for _, name := range perServer {
					if c := find(r, name, nc); c == nil || c.OK || c.Severity != delegation.SevNotChecked || !strings.Contains(c.Detail, "not checked from here") {
						t.Errorf("%s at %s: %+v, want not-checked", name, nc, c)
					}
				}
				if s := r.Summary(); !strings.Contains(s, "not checked from here") || !strings.Contains(s, nc) {
					t.Errorf("the summary should name %s: %s", nc, s)
				}
			}
			for _, name := range perServer {
				if c := find(r, name, k.Addr); c == nil || !c.OK {
					t.Errorf("%s at %s should pass: %+v", name, k.Addr, c)
				}
			}
			if c := find(r, delegation.CheckGlue, "ns1.example.test."); c == nil || !c.OK {
				t.Errorf("glue (A and AAAA, as the server serves them): %+v", c)
			}
			if r.NoneChecked() {
				t.Errorf("NoneChecked with %s answering", k.Addr)
			}
			if tc.fails == "" {
				if !r.OK() {
					t.Errorf("failed: %+v", r.Failed())
				}
				return
			}
			// A routable server that times out or refuses is a failure
			// (and the only one), never left out.
			for _, name := range []string{delegation.CheckAA, delegation.CheckTCP} {
				if c := find(r, name, tc.fails); c == nil || c.OK || c.Severity != delegation.SevError {
					t.Errorf("%s at %s should fail as an error: %+v", name, tc.fails, c)
				}
			}
			for _, c := range r.Failed() {
				if c.Server != tc.fails {
					t.Errorf("%s fails at %s: %s", c.Name, c.Server, c.Detail)
				}
			}
			if r.OK() {
				t.Errorf("a routable server that does not answer must refuse the step")
			}
		})
	}

	t.Run("no server can be asked", func(t *testing.T) {
		r := delegation.Run(ctx, target([]string{unroutable}, false))
		if !r.NoneChecked() {
			t.Errorf("NoneChecked false: %s", r.Summary())
		}
	})
}

func find(r *delegation.Result, name, server string) *delegation.Check {
	for i, c := range r.Checks {
		if c.Name == name && c.Server == server {
			return &r.Checks[i]
		}
	}
	return nil
}

// TestInBailiwickAliasLab: an NS name inside the zone that the side serves
// as a CNAME (RFC 2181 §10.3: an NS name must not be an alias) refuses,
// although the step installs glue for it and the alias ends at the glue's
// address: resolvers that replace the glue with the child's answer find an
// alias (BIND skips such a server), and registries that run Zonemaster
// (DELEGATION05) reject the change. The same name as an A record passes.
func TestInBailiwickAliasLab(t *testing.T) {
	lab.Require(t, "knotd")
	key := &lab.TSIGKey{Name: "alias-key.", Secret: "YWxpYXMta2V5LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNDU="}
	ip := lab.Addr(t)
	// The serial goes up with each text: the lab's Reload waits until the
	// server serves it.
	zoneText := func(serial int, ns1 string) string {
		return fmt.Sprintf(`$ORIGIN example.test.
$TTL 60
@    SOA host hostmaster %d 3600 600 604800 60
@    NS  ns1
ns1  %s
host A %s
`, serial, ns1, ip)
	}
	k := lab.Knot(t, lab.Options{IP: ip, TSIG: key, Zones: []lab.Zone{{Origin: "example.test.", Text: zoneText(1, "CNAME host")}}})
	target := delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test."},
		Glue: map[string][]string{"ns1.example.test.": {ip}}, Servers: []string{k.Addr}, Timeout: time.Second, ParentServers: quietParent(t),
		Policy: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity}}}

	r := delegation.Run(context.Background(), target)
	c := find(r, delegation.CheckGlue, "ns1.example.test.")
	if r.OK() || c == nil || c.OK || !strings.Contains(c.Detail, "CNAME") || !strings.Contains(c.Detail, "RFC 2181") || c.Fix == "" {
		t.Fatalf("an in-bailiwick NS name served as a CNAME passes: OK %v, glue check %+v; %s", r.OK(), c, r.Summary())
	}
	t.Logf("%s", c.Detail)

	k.Reload(t, lab.Zone{Origin: "example.test.", Text: zoneText(2, "A "+ip)})
	r = delegation.Run(context.Background(), target)
	if c := find(r, delegation.CheckGlue, "ns1.example.test."); !r.OK() || c == nil || !c.OK {
		t.Fatalf("the name as an A record should pass: %+v; %s", c, r.Summary())
	}
}

// TestSOAFieldsLab (Zonemaster CONSISTENCY02 RNAME, CONSISTENCY03 timers,
// CONSISTENCY06 MNAME): two real servers of the new side (BIND, and
// Knot or PowerDNS) serve the zone at one serial but with another SOA
// field: two copies of the zone that no transfer will reconcile (a
// secondary compares serials only), so soa-fields fails at both as a
// warning naming the field, and the step is refused; the same SOA passes;
// a server at an older serial with other timers is serial's error, not
// soa-fields'. Before soa-fields, every "differs" case passed the gate.
func TestSOAFieldsLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "pdns_server")
	const base = "ns1 hostmaster 7 3600 600 604800 60"
	cases := []struct {
		name, other, server string // the second server's SOA (after "@ SOA") and kind
		field               string // the field soa-fields names; "" = passes
		serialFails         bool
	}{
		{"same SOA", base, "knot", "", false},
		{"RNAME", "ns1 dns-admin 7 3600 600 604800 60", "knot", "rname=dns-admin.example.test.", false},
		{"MNAME", "ns2 hostmaster 7 3600 600 604800 60", "knot", "mname=ns2.example.test.", false},
		{"minimum", "ns1 hostmaster 7 3600 600 604800 3600", "pdns", "minimum=3600", false},
		{"expire", "ns1 hostmaster 7 3600 600 1209600 60", "knot", "expire=1209600", false},
		{"older serial", "ns1 hostmaster 6 7200 600 604800 60", "knot", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			aIP, bIP := lab.Addr(t), lab.Addr(t)
			text := func(soa string) string {
				return "$ORIGIN example.test.\n$TTL 60\n@ SOA " + soa + "\n@ NS ns1\n@ NS ns2\nns1 A " + aIP + "\nns2 A " + bIP + "\n"
			}
			a := lab.BIND(t, lab.Options{IP: aIP, Zones: []lab.Zone{{Origin: "example.test.", Text: text(base)}}})
			other := lab.Options{IP: bIP, Zones: []lab.Zone{{Origin: "example.test.", Text: text(tc.other)}}}
			var bAddr string
			if tc.server == "pdns" {
				bAddr = lab.PDNS(t, other).Addr
			} else {
				bAddr = lab.Knot(t, other).Addr
			}
			r := delegation.Run(context.Background(), delegation.Target{Zone: "example.test.", Side: "new",
				NS:      []string{"ns1.example.test.", "ns2.example.test."},
				Glue:    map[string][]string{"ns1.example.test.": {aIP}, "ns2.example.test.": {bIP}},
				Servers: []string{a.Addr, bAddr}, ParentServers: quietParent(t), Timeout: time.Second,
				Policy: delegation.Policy{Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}}})
			for _, s := range []string{a.Addr, bAddr} {
				c := find(r, delegation.CheckSOAFields, s)
				if c == nil {
					t.Fatalf("no %s check of %s: %s", delegation.CheckSOAFields, s, r.Summary())
				}
				t.Logf("%s: ok=%v %s", s, c.OK, c.Detail)
				switch {
				case tc.field == "" && !c.OK:
					t.Errorf("%s fails %s: %s", s, c.Name, c.Detail)
				case tc.field != "" && (c.OK || c.Severity != delegation.SevWarning):
					t.Errorf("%s: %s ok=%v severity %q, want a failed warning", s, c.Name, c.OK, c.Severity)
				case tc.field != "" && s == a.Addr && !strings.Contains(c.Detail, tc.field):
					t.Errorf("%s: the detail does not name %s: %s", s, tc.field, c.Detail)
				}
			}
			serial := find(r, delegation.CheckSerial, bAddr)
			if serial == nil || serial.OK != !tc.serialFails {
				t.Errorf("serial at %s: %+v, want ok=%v", bAddr, serial, !tc.serialFails)
			}
			if want := tc.field == "" && !tc.serialFails; r.OK() != want {
				t.Errorf("gate ok=%v, want %v: %s", r.OK(), want, r.Summary())
			}
		})
	}
}

// TestOtherSourceLab (Zonemaster NAMESERVER04; RFC 2181 §4): a real
// Unbound serving the zone (auth-zone) on a wildcard socket
// (0.0.0.0@PORT, no interface-automatic) answers a query to its lab
// address from 127.0.0.1, the address the kernel picks for the way back.
// Resolvers drop such answers, and so does the gate's connected socket:
// aa fails, and says why (the address the answer came from, and the
// setting to change) instead of "i/o timeout" and "bring it up". The same
// Unbound on its own address passes aa.
func TestOtherSourceLab(t *testing.T) {
	lab.Require(t, "unbound")
	for name, wildcard := range map[string]bool{"own address": false, "wildcard socket": true} {
		t.Run(name, func(t *testing.T) {
			ip := lab.AddrWhere(t, lab.NotOnLo)
			text := "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 hostmaster 1 3600 600 604800 60\n@ NS ns1\nns1 A " + ip + "\n"
			port := lab.PortV6(t)
			if wildcard {
				port = lab.PortWildcard(t)
			}
			u := lab.Unbound(t, lab.UnboundOptions{IP: ip, Port: port, Wildcard: wildcard,
				Auth: []lab.Zone{{Origin: "example.test.", Text: text}}})
			r := delegation.Run(context.Background(), delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test."},
				Glue: map[string][]string{"ns1.example.test.": {ip}}, Servers: []string{u.Addr}, ParentServers: quietParent(t), Timeout: 500 * time.Millisecond,
				Policy: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity}}})
			c := find(r, delegation.CheckAA, u.Addr)
			if c == nil {
				t.Fatalf("no aa check: %s", r.Summary())
			}
			t.Logf("aa ok=%v got %q; fix %q", c.OK, c.Got, c.Fix)
			if c.OK == wildcard {
				t.Errorf("aa ok=%v, want %v", c.OK, !wildcard)
			}
			if wildcard && (c.Severity != delegation.SevError || !strings.Contains(c.Got, "the response came from 127.0.0.1:") ||
				!strings.Contains(c.Got, "NAMESERVER04") || !strings.Contains(c.Fix, "interface-automatic")) {
				t.Errorf("aa %s got %q fix %q: want the other source named, and the setting", c.Severity, c.Got, c.Fix)
			}
		})
	}
}
