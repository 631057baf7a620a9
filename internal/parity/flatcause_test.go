package parity

import (
	"fmt"
	"strings"
	"testing"
)

// TestOneFindingPerCause: every question at a flattened name meets the
// same chain; each cause is one finding per name, pair of servers and
// client subnet (the qtype=CNAME question and a type neither side has
// dropped beside a data question's finding), and only data that differ
// stay one finding per type.
func TestOneFindingPerCause(t *testing.T) {
	f := func(name, typ, cause, sev string) Finding {
		kind := "flattened"
		if cause == causeAlias {
			kind = "cname-hop"
		}
		return Finding{Name: name, Type: typ, Kind: kind, Severity: sev, Detail: cause + " " + typ, core: cause + " " + typ, cause: cause}
	}
	in := func(fs ...Finding) []Finding { return fs }
	pair := func(g Finding) Finding { g.group = "pair a b"; return g }
	eu := func(g Finding) Finding { g.Subnet = "198.51.100.0/24"; return g }
	other := Finding{Name: "www.x.", Type: "A", Kind: "ttl", Severity: SevWarning, Detail: "TTL old 300, new 600"}
	tests := []struct {
		name string
		in   []Finding
		want []string // "Name Type Kind Severity: Detail" of each finding left, in order
	}{
		{"the qtype=CNAME warning and the NODATA probe's info beside the data's warning",
			in(f("www.x.", "CNAME", causeQCNAME, SevWarning), f("www.x.", "A", causeSame, SevWarning), f("www.x.", "TXT", causeNoData, SevInfo)),
			[]string{"www.x. A flattened warning: same A"}},
		{"A and AAAA reaching the same data: one finding naming both",
			in(f("www.x.", "A", causeSame, SevWarning), f("www.x.", "AAAA", causeSame, SevWarning), f("www.x.", "TXT", causeNoData, SevInfo)),
			[]string{"www.x. A flattened warning: same A; likewise for AAAA at the name (one finding per name)"}},
		{"other data: one finding per type, the same data's warning kept beside",
			in(f("www.x.", "A", causeDiffers, SevError), f("www.x.", "AAAA", causeDiffers, SevError), f("www.x.", "TXT", causeSame, SevWarning), f("www.x.", "CNAME", causeQCNAME, SevWarning)),
			[]string{"www.x. A flattened error: differs A", "www.x. AAAA flattened error: differs AAAA", "www.x. TXT flattened warning: same TXT"}},
		{"no resolver to follow the chain: one error per name",
			in(f("www.x.", "A", causeUnverified, SevError), f("www.x.", "AAAA", causeUnverified, SevError)),
			[]string{"www.x. A flattened error: unverified A; likewise for AAAA at the name (one finding per name)"}},
		{"an MX target that is an alias: one cname-hop, the probe's info dropped",
			in(f("mx.x.", "A", causeAlias, SevError), f("mx.x.", "AAAA", causeAlias, SevError), f("mx.x.", "TXT", causeNoData, SevInfo)),
			[]string{"mx.x. A cname-hop error: alias A; likewise for AAAA at the name (one finding per name)"}},
		{"alone, the worst of the weak findings stays",
			in(f("www.x.", "TXT", causeNoData, SevInfo), f("www.x.", "CNAME", causeQCNAME, SevWarning), f("www.x.", "MX", causeNoData, SevInfo)),
			[]string{"www.x. CNAME flattened warning: qcname CNAME"}},
		{"each name, pair of servers and subnet on its own; other findings untouched",
			in(f("www.x.", "A", causeSame, SevWarning), pair(f("www.x.", "A", causeSame, SevWarning)), eu(f("www.x.", "A", causeSame, SevWarning)),
				f("web.x.", "A", causeSame, SevWarning), other, f("www.x.", "AAAA", causeSame, SevWarning), other),
			[]string{"www.x. A flattened warning: same A; likewise for AAAA at the name (one finding per name)", "www.x. A flattened warning: same A",
				"www.x. A flattened warning: same A", "web.x. A flattened warning: same A", "www.x. A ttl warning: TTL old 300, new 600", "www.x. A ttl warning: TTL old 300, new 600"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, g := range oneFindingPerCause(tc.in) {
				got = append(got, fmt.Sprintf("%s %s %s %s: %s", g.Name, g.Type, g.Kind, g.Severity, g.Detail))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
