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
	// in is findings written "name type cause severity[ group][ subnet]"
	// (group "pair", subnet "eu"), ";"-separated; a cause "-" is a ttl
	// finding of no cause.
	in := func(spec string) []Finding {
		var fs []Finding
		for _, one := range strings.Split(spec, ";") {
			w := strings.Fields(one)
			f := Finding{Name: w[0], Type: w[1], Kind: "flattened", Severity: w[3], Detail: w[2] + " " + w[1], core: w[2] + " " + w[1], cause: w[2]}
			switch {
			case w[2] == "-":
				f.Kind, f.Detail, f.core, f.cause = "ttl", "TTL old 300, new 600", "", ""
			case w[2] == causeAlias:
				f.Kind = "cname-hop"
			}
			for _, x := range w[4:] {
				if x == "pair" {
					f.group = "pair a b"
				} else {
					f.Subnet = "198.51.100.0/24"
				}
			}
			fs = append(fs, f)
		}
		return fs
	}
	const likewise = "; likewise for AAAA at the name (one finding per name)"
	tests := []struct{ name, in, want string }{ // want: "Name Type Kind Severity: Detail" of each finding left, "|"-separated
		{"the qtype=CNAME warning and the NODATA probe's info beside the data's warning", "www.x. CNAME qcname warning; www.x. A same warning; www.x. TXT nodata info", "www.x. A flattened warning: same A"},
		{"A and AAAA reaching the same data: one finding naming both", "www.x. A same warning; www.x. AAAA same warning; www.x. TXT nodata info", "www.x. A flattened warning: same A" + likewise},
		{"other data: one finding per type, the same data's warning kept beside", "www.x. A differs error; www.x. AAAA differs error; www.x. TXT same warning; www.x. CNAME qcname warning", "www.x. A flattened error: differs A|www.x. AAAA flattened error: differs AAAA|www.x. TXT flattened warning: same TXT"},
		{"no resolver to follow the chain: one error per name", "www.x. A unverified error; www.x. AAAA unverified error", "www.x. A flattened error: unverified A" + likewise},
		{"an MX target that is an alias: one cname-hop, the probe's info dropped", "mx.x. A alias error; mx.x. AAAA alias error; mx.x. TXT nodata info", "mx.x. A cname-hop error: alias A" + likewise},
		{"alone, the worst of the weak findings stays", "www.x. TXT nodata info; www.x. CNAME qcname warning; www.x. MX nodata info", "www.x. CNAME flattened warning: qcname CNAME"},
		{"each name, pair of servers and subnet on its own; other findings untouched", "www.x. A same warning; www.x. A same warning pair; www.x. A same warning eu; web.x. A same warning; www.x. A - warning; www.x. AAAA same warning; www.x. A - warning",
			"www.x. A flattened warning: same A" + likewise + "|www.x. A flattened warning: same A|www.x. A flattened warning: same A|web.x. A flattened warning: same A|www.x. A ttl warning: TTL old 300, new 600|www.x. A ttl warning: TTL old 300, new 600"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, g := range oneFindingPerCause(in(tc.in)) {
				got = append(got, fmt.Sprintf("%s %s %s %s: %s", g.Name, g.Type, g.Kind, g.Severity, g.Detail))
			}
			if strings.Join(got, "|") != tc.want {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.ReplaceAll(tc.want, "|", "\n"))
			}
		})
	}
}
