// Package suggest finds the name a typo was meant to be ("did you mean
// AAAA?"), for zone files and dnsparity.yaml alike.
package suggest

import (
	"slices"
	"strings"
)

// Closest returns the first name in first, else the alphabetically first in
// rest, one edit (insert, delete, change, or swap of neighbours) from s.
func Closest(s string, first, rest []string) string {
	for _, n := range first {
		if OneEdit(s, n) {
			return n
		}
	}
	best := ""
	for _, n := range rest {
		if OneEdit(s, n) && (best == "" || n < best) {
			best = n
		}
	}
	return best
}

// Meant is the word of words (each lower case) that s was likely meant
// as, when s is none of them: s in lower case when that is one (caseOnly:
// only the case differs, "Check", "RFC2136"), else the one edit from s in
// lower case that Closest picks ("Chek": check); "" when none is.
func Meant(s string, words []string) (word string, caseOnly bool) {
	lower := strings.ToLower(s)
	if slices.Contains(words, lower) {
		if lower == s {
			return "", false // one of them: nothing to suggest
		}
		return lower, true
	}
	return Closest(lower, nil, words), false
}

// OneEdit reports whether a and b differ by exactly one edit.
func OneEdit(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := len(a), len(b)
	switch {
	case la == lb:
		diff := -1
		for i := 0; i < la; i++ {
			if a[i] != b[i] {
				if diff >= 0 {
					// a swap of two neighbours
					return i == diff+1 && a[diff] == b[i] && a[i] == b[diff] && a[i+1:] == b[i+1:]
				}
				diff = i
			}
		}
		return true
	case la == lb+1:
		a, b = b, a
		fallthrough
	case la+1 == lb:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// longForms are the long names other tools give a one-letter flag.
var longForms = map[string][]string{"o": {"out", "output", "output-file"}}

// Flag is what a flag name the command does not define (name, without
// its dashes) was likely meant as, written as it goes on the command
// line: "--format" for "formt" or "Format" (Meant among flags), else, for
// a name that is a value of one of the flags values lists (by flag name:
// --format's text, json, markdown), or one edit from one, that flag with
// the value: "--format json" for "json" or "jsn", as other tools spell a
// format as a flag of its own; a one-letter flag for its long form
// elsewhere (longForms: "-o" for "output"). "" when none is.
func Flag(name string, flags []string, values map[string][]string) string {
	if f, _ := Meant(name, flags); f != "" {
		return "--" + f
	}
	// A one-letter flag by the long name other tools give it (import's
	// -o: --output, --out).
	for short, long := range longForms {
		if slices.Contains(flags, short) && slices.Contains(long, strings.ToLower(name)) {
			return "-" + short
		}
	}
	owners := make([]string, 0, len(values))
	for f := range values {
		owners = append(owners, f)
	}
	slices.Sort(owners) // one answer whatever the map's order
	for _, f := range owners {
		if slices.Contains(values[f], strings.ToLower(name)) {
			return "--" + f + " " + strings.ToLower(name)
		}
	}
	for _, f := range owners {
		if v, _ := Meant(name, values[f]); v != "" {
			return "--" + f + " " + v
		}
	}
	return ""
}
