package shard

import (
	"strings"
	"testing"
)

func TestParseExpect(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		err  string
	}{
		{"3", 3, ""}, {" 16 ", 16, ""}, {"0", 0, ""}, {"256", 256, ""},
		{"abc", 0, `--expect "abc": not a whole number`},
		{"3x", 0, `--expect "3x": not a whole number`},
		{"", 0, `--expect "": not a whole number`},
		{"2.5", 0, `--expect "2.5": not a whole number`},
		{"-1", -1, "--expect -1: want 1 to 256"},
		{"257", 257, "--expect 257: want 1 to 256"},
	} {
		got, err := ParseExpect(tt.in)
		if tt.err == "" && (err != nil || got != tt.want) {
			t.Errorf("ParseExpect(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
		if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ParseExpect(%q) = %d, %v; want an error %q", tt.in, got, err, tt.err)
		}
	}
}
