package parity

import (
	"fmt"
	"testing"

	"github.com/miekg/dns"
)

func TestQindex(t *testing.T) {
	var qs []Question
	for i := 0; i < 1000; i++ {
		qs = append(qs, Question{Name: fmt.Sprintf("h%d.x.test.", i), Type: dns.TypeA}, Question{Name: fmt.Sprintf("h%d.x.test.", i), Type: dns.TypeTXT})
	}
	qs = append(qs, Question{Name: "h7.x.test.", Type: dns.TypeA, Probe: probeRandom}) // asked twice: the first stands
	x := newQindex(qs)
	for i, q := range qs[:len(qs)-1] {
		if got, ok := x.get(q.Name, q.Type); !ok || got != i {
			t.Fatalf("get(%s %d) = %d, %v; want %d", q.Name, q.Type, got, ok, i)
		}
	}
	cases := []struct {
		name string
		t    uint16
	}{
		{"h7.x.test.", dns.TypeMX},
		{"h1000.x.test.", dns.TypeA},
		{"H7.x.test.", dns.TypeA},
		{"", dns.TypeA},
	}
	for _, c := range cases {
		if qi, ok := x.get(c.name, c.t); ok {
			t.Errorf("get(%q %d) = %d, want not asked", c.name, c.t, qi)
		}
	}
	if qi, ok := newQindex(nil).get("a.", dns.TypeA); ok {
		t.Errorf("empty index: get = %d", qi)
	}
}
