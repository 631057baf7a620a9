package parity_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityChainLeavesZoneLab: a CNAME whose target is in another zone
// the same servers serve. BIND and Knot answer the CNAME alone; PowerDNS
// follows the chain into the other zone and adds its records (and its
// CNAME hops). Resolvers take from an answer only the records in the
// bailiwick of the zone they asked (RFC 2181 §5.4.1) and ask the target's
// servers themselves: what a server adds from another zone is no
// difference of this zone's (an extra, info), never an error: not against
// the other side, not within old (BIND beside PowerDNS).
func TestParityChainLeavesZoneLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "pdns_server")
	text := fixture(t) + "\nout IN CNAME www.other.test.\nout2 IN CNAME alias.other.test.\n"
	z := loadText(t, text)
	other := "$ORIGIN other.test.\n$TTL 300\n@ IN SOA ns1 h 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\nwww IN A 192.0.2.80\nalias IN CNAME www\n"
	zones := []lab.Zone{{Origin: origin, Text: text}, {Origin: "other.test.", Text: other}}
	old := lab.BIND(t, lab.Options{Zones: zones}).Addr
	new := lab.Knot(t, lab.Options{Zones: zones}).Addr
	pdns := lab.PDNS(t, lab.Options{Zones: zones}).Addr
	for _, c := range []struct {
		name     string
		old, new []string
	}{
		{"within old", []string{old, pdns}, []string{new}},
		{"old vs new", []string{pdns}, []string{new}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := run(t, z, c.old, c.new)
			dump(t, rep)
			for _, f := range rep.Findings {
				if f.Severity != parity.SevInfo && (f.Name == "out."+origin || f.Name == "out2."+origin) {
					t.Errorf("%s %s %s: %s", f.Severity, f.Kind, f.Name, f.Detail)
				}
			}
		})
	}
}
