package report

import (
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// Diff is a unified diff of two texts (lines), labelled from and to; ""
// when they are equal.
func Diff(from, to, a, b string) string {
	if a == b {
		return ""
	}
	d := difflib.UnifiedDiff{
		A:        splitLines(a),
		B:        splitLines(b),
		FromFile: from,
		ToFile:   to,
		Context:  3,
	}
	s, err := difflib.GetUnifiedDiffString(d)
	if err != nil {
		return ""
	}
	return s
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] += "\n"
	}
	return lines
}
