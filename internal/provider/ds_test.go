package provider

import (
	"strings"
	"testing"
)

func TestStaleDS(t *testing.T) {
	cur := "12345 13 2 abcdef0123"
	old := "999 8 2 ffff"
	for _, tc := range []struct {
		name   string
		parent []string
		state  DSState
		want   string
	}{
		{"matching", []string{cur}, DSState{Active: true, DS: []string{"12345 13 2 ABCDEF0123"}}, ""},
		{"old left behind", []string{cur, old}, DSState{Active: true, DS: []string{cur}}, old},
		{"signing off", []string{cur}, DSState{Active: false}, cur},
		{"no DS at parent", nil, DSState{Active: true, DS: []string{cur}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(StaleDS(tc.parent, tc.state), ","); got != tc.want {
				t.Errorf("StaleDS = %q, want %q", got, tc.want)
			}
		})
	}
}
