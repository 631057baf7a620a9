package github

import (
	"strings"
	"testing"
)

// TestCappedWrite: a report written to a Capped in pieces of any size is
// kept line by line up to its limit; every line past it, and a line
// longer than the limit, is counted, not kept.
func TestCappedWrite(t *testing.T) {
	text := "one\ntwo\nthree\n" + strings.Repeat("x", 40) + "\nfive\n"
	for _, tc := range []struct {
		name  string
		limit int
		want  string
		left  int
	}{
		{"all fits", 1000, text, 0},
		{"cut after two lines", 9, "one\ntwo\n", 3},
		{"a line longer than the limit", 30, "one\ntwo\nthree\n", 2},
		{"nothing fits", 2, "", 5},
	} {
		for _, piece := range []int{1, 3, 7, len(text)} {
			c := &Capped{Limit: tc.limit}
			for p := text; p != ""; {
				n := min(piece, len(p))
				c.Write([]byte(p[:n]))
				p = p[n:]
			}
			c.Flush()
			if c.String() != tc.want || c.Left != tc.left || c.Len() > tc.limit {
				t.Errorf("%s, pieces of %d: kept %q (%d bytes), left %d; want %q, %d", tc.name, piece, c.String(), c.Len(), c.Left, tc.want, tc.left)
			}
		}
	}
	c := &Capped{Limit: 100}
	c.Write([]byte("no line end"))
	c.Flush()
	if c.String() != "no line end" {
		t.Errorf("a last line without its end: %q", c.String())
	}
}
