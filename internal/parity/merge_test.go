package parity

import (
	"strings"
	"testing"
)

func TestMergeChained(t *testing.T) {
	lb := func(name string) Finding {
		return Finding{Name: name, Type: "A", Kind: "rdata", Severity: SevError, Detail: "lb.x. A differs; note " + name,
			about: "lb.x. A", core: "lb.x. A differs"}
	}
	other := Finding{Name: "mx.x.", Type: "A", Kind: "ttl", Severity: SevWarning, Detail: "TTL old 300, new 600",
		about: "mx.x. A", core: "TTL old 300, new 600"}
	sameTTLElsewhere := Finding{Name: "ns.x.", Type: "A", Kind: "ttl", Severity: SevWarning, Detail: "TTL old 300, new 600",
		about: "ns.x. A", core: "TTL old 300, new 600"}
	plain := Finding{Name: "x.", Type: "ANY", Kind: "lame", Severity: SevError, Detail: "lame"}

	tests := []struct {
		name  string
		in    []Finding
		names []string // Name of each finding left, in order
		also  map[string]string
	}{
		{"chain folded into the set's own question",
			[]Finding{lb("www.x."), lb("lb.x."), lb("web.x."), other, plain},
			[]string{"lb.x.", "mx.x.", "x."},
			map[string]string{"lb.x.": "also reached through the CNAME chain of www.x. A, web.x. A"}},
		{"no question of its own: the first chained one stands",
			[]Finding{lb("www.x."), lb("web.x.")},
			[]string{"www.x."},
			map[string]string{"www.x.": "also reached through the CNAME chain of web.x. A"}},
		{"same detail in different RRsets is not merged",
			[]Finding{other, sameTTLElsewhere},
			[]string{"mx.x.", "ns.x."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mergeChained(append([]Finding(nil), tt.in...))
			var names []string
			for _, f := range out {
				names = append(names, f.Name)
				if want, ok := tt.also[f.Name]; ok && !strings.Contains(f.Detail, want) {
					t.Errorf("%s detail %q lacks %q", f.Name, f.Detail, want)
				}
			}
			if strings.Join(names, ",") != strings.Join(tt.names, ",") {
				t.Errorf("left %v, want %v", names, tt.names)
			}
		})
	}
}
