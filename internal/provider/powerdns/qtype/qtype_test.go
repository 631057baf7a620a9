package qtype

import "testing"

// TestTable: the UPDATE prescan's types are the names less the meta
// types (pdnsQTypes, as rfc2136 held it), and the text forms are
// reportAllTypes's (pdnsNames, as the powerdns provider held it).
func TestTable(t *testing.T) {
	update := []uint16{1, 2, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 18, 24, 25, 28, 29, 33, 35, 36, 37, 38, 39, 42, 43, 44, 45, 46,
		47, 48, 49, 50, 51, 52, 53, 57, 59, 60, 61, 62, 63, 64, 65, 99, 104, 105, 106, 107, 108, 109, 256, 257, 32769, 65400, 65401, 65402}
	want := map[uint16]bool{}
	for _, u := range update {
		want[u] = true
	}
	for c := 0; c <= 65535; c++ {
		if got := ZoneType(uint16(c)); got != want[uint16(c)] {
			t.Errorf("ZoneType(%d) = %v, want %v", c, got, want[uint16(c)])
		}
	}
	for _, c := range []struct {
		t    uint16
		name string
		text bool
	}{{0, "ENT", true}, {21, "", false}, {24, "", false}, {38, "", false}, {261, "", false}, {65400, "", false}, {65401, "ALIAS", true}, {62, "CSYNC", true}} {
		if n, ok := TextName(c.t); n != c.name || ok != c.text {
			t.Errorf("TextName(%d) = %q %v, want %q %v", c.t, n, ok, c.name, c.text)
		}
		if c.text {
			if back, ok := TextType(c.name); !ok || back != c.t {
				t.Errorf("TextType(%q) = %d %v, want %d", c.name, back, ok, c.t)
			}
		}
	}
	if _, ok := TextType("A6"); ok {
		t.Error("A6 has no text form at PowerDNS 4.7")
	}
}
