package delegation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/labsign"
)

// TestEDNSUnknownLab (Zonemaster NAMESERVER10-12; RFC 6891 §6.1.2-§6.1.4):
// real BIND, Knot and PowerDNS servers answer EDNS version 1 with
// BADVERS and ignore an option and a flag they do not know, so the
// edns-unknown check passes at each (a false refusal of a flip to any of
// them would show here); the faults it refuses are TestServerFaults'.
func TestEDNSUnknownLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "pdns_server")
	ctx := context.Background()
	bIP, kIP, pIP := lab.Addr(t), lab.Addr(t), lab.Addr(t)
	text := `$ORIGIN example.test.
$TTL 60
@   SOA ns1 hostmaster 1 3600 600 604800 60
@   NS  ns1
@   NS  ns2
@   NS  ns3
ns1 A   ` + bIP + `
ns2 A   ` + kIP + `
ns3 A   ` + pIP + `
`
	zones := []lab.Zone{{Origin: "example.test.", Text: text}}
	b := lab.BIND(t, lab.Options{IP: bIP, Zones: zones})
	k := lab.Knot(t, lab.Options{IP: kIP, Zones: zones})
	p := lab.PDNS(t, lab.Options{IP: pIP, Zones: zones})
	r := delegation.Run(ctx, delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test.", "ns2.example.test.", "ns3.example.test."},
		Glue:    map[string][]string{"ns1.example.test.": {bIP}, "ns2.example.test.": {kIP}, "ns3.example.test.": {pIP}},
		Servers: []string{b.Addr, k.Addr, p.Addr}, ParentServers: quietParent(t), Timeout: time.Second,
		Policy: delegation.Policy{Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}}})
	for name, addr := range map[string]string{"BIND": b.Addr, "Knot": k.Addr, "PowerDNS": p.Addr} {
		c := find(r, delegation.CheckEDNSUnknown, addr)
		t.Logf("%s: %s", name, c.Detail)
		if c == nil || !c.OK || c.Got != "BADVERS to EDNS version 1; an unknown option and flag ignored" || c.Detail != addr+" "+c.Got {
			t.Errorf("%s at %s: %+v", name, addr, c)
		}
		// edns passed too, its detail the server and what it gave.
		if e := find(r, delegation.CheckEDNS, addr); e == nil || !e.OK || e.Got != "answers without EDNS and with EDNS 0 (OPT returned)" || e.Detail != addr+" "+e.Got {
			t.Errorf("%s at %s: edns %+v", name, addr, e)
		}
	}
	if !r.OK() {
		t.Errorf("%s", r.Summary())
	}
}

// TestEDNSTruncatedLab (Zonemaster NAMESERVER13; RFC 6891 §7): a zone
// signed with RSA keys, whose DNSKEY set with its signature does not fit
// in 512 octets, served by real BIND and Knot, and by Knot behind a real
// dnsdist that truncates every DNSKEY question over UDP (TCAction, as
// load balancers do against amplification). BIND, Knot and dnsdist's
// default truncated answer keep the query's OPT record and pass; dnsdist
// with setAddEDNSToSelfGeneratedResponses(false) answers TC without OPT,
// so edns-truncated fails as a warning and the step is refused (it
// passed the gate before the check).
func TestEDNSTruncatedLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnsdist")
	tcDNSKEY := `addAction(QTypeRule(DNSQType.DNSKEY), TCAction())`
	cases := []struct {
		name    string
		front   []string // dnsdist in front of Knot with these lines; nil: the server itself
		bind    bool
		failing bool
	}{
		{"BIND", nil, true, false},
		{"Knot", nil, false, false},
		{"dnsdist TCAction", []string{tcDNSKEY}, false, false},
		{"dnsdist TCAction without OPT", []string{`setAddEDNSToSelfGeneratedResponses(false)`, tcDNSKEY}, false, true},
	}
	signer := labsign.NewAlg(t, "example.test.", "RSASHA256")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ip := lab.Addr(t)
			text := signer.Sign(t, "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 hostmaster 1 3600 600 604800 60\n@ NS ns1\nns1 A "+ip+"\n", labsign.Opts{})
			zones := []lab.Zone{{Origin: "example.test.", Text: text}}
			var addr string
			switch {
			case tc.bind:
				addr = lab.BIND(t, lab.Options{IP: ip, Zones: zones}).Addr
			case tc.front != nil:
				k := lab.Knot(t, lab.Options{Zones: zones})
				addr = lab.Dnsdist(t, lab.DnsdistOptions{IP: ip, Backend: k.Addr, Zones: []string{"example.test."}, Lua: tc.front}).Addr
			default:
				addr = lab.Knot(t, lab.Options{IP: ip, Zones: zones}).Addr
			}
			r := delegation.Run(context.Background(), delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test."},
				Glue: map[string][]string{"ns1.example.test.": {ip}}, Servers: []string{addr}, ParentServers: quietParent(t), Timeout: time.Second,
				Policy: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}}})
			c := find(r, delegation.CheckEDNSTruncated, addr)
			if c == nil {
				t.Fatalf("no %s check: %s", delegation.CheckEDNSTruncated, r.Summary())
			}
			t.Logf("%s: ok=%v got %q: %s", addr, c.OK, c.Got, c.Detail)
			if !strings.Contains(c.Got, "truncated") || strings.Contains(c.Got, "not truncated") {
				t.Errorf("the DNSKEY answer was not truncated (%q): the case proves nothing", c.Got)
			}
			if c.OK == tc.failing {
				t.Errorf("%s ok=%v, want %v", c.Name, c.OK, !tc.failing)
			}
			if tc.failing && c.Severity != delegation.SevWarning {
				t.Errorf("severity %q, want warning", c.Severity)
			}
			if r.OK() == tc.failing {
				t.Errorf("gate ok=%v: %s", r.OK(), r.Summary())
			}
		})
	}
}
