package zone

import "testing"

func TestIsHostname(t *testing.T) {
	cases := []struct {
		name     string
		wildcard bool
		want     bool
	}{
		{".", false, true},
		{"www.example.com.", false, true},
		{"a-b.example.com.", false, true},
		{"0.example.com.", false, true},
		{"my_host.example.com.", false, false},
		{"-lead.example.com.", false, false},
		{"trail-.example.com.", false, false},
		{`esc\.dot.example.com.`, false, false},
		{"*.example.com.", true, true},
		{"*.example.com.", false, false},
		{"deep.*.wc.example.com.", true, false},
		{"*", true, true},
		{"example.com", false, true},
	}
	for _, tc := range cases {
		if got := isHostname(tc.name, tc.wildcard); got != tc.want {
			t.Errorf("isHostname(%q, %v) = %v, want %v", tc.name, tc.wildcard, got, tc.want)
		}
	}
	var sink bool
	if n := testing.AllocsPerRun(100, func() { sink = isHostname("www.example.com.", true) }); n != 0 || !sink {
		t.Errorf("isHostname allocates %v times per call", n)
	}
}
