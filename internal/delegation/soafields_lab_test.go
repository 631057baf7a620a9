package delegation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

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
