// Check: the problems of loading and of validation, in line order,
// bounded and counted.

package zone

import "sort"

// Check is Zone.Problems followed by Validate(z), in file and line order.
//
// Broken lines are reported and skipped, and the semantic checks still run
// on the rest (unlike named-checkzone, which stops after the syntax
// errors); they leave out what depends on a record that could not be read
// (a broken SOA line is not also "no SOA"). Only a read error, after which
// nothing is known, skips them.
//
// With Options.MaxProblems the list is bounded, and its last line counts
// what was left out (an error when an error was).
func Check(z *Zone) []Problem {
	ps, _ := CheckCount(z)
	return ps
}

// Tally counts the problems of a check, those left out by
// Options.MaxProblems included.
type Tally struct {
	Errors, Warnings, Infos int
	Hidden                  int // left out of the list
}

// CheckCount is Check, with the count of every problem found.
func CheckCount(z *Zone) ([]Problem, Tally) {
	h := problemHeap{limit: z.limit()}
	for _, p := range z.Problems {
		h.push(p)
	}
	if z.ph != nil {
		h.add(z.ph.dropped)
	}
	if !z.truncated {
		ps, dropped := validate(z)
		for _, p := range ps {
			h.push(p)
		}
		h.add(dropped)
	}
	out := h.ps
	sortProblems(out)
	t := Tally{Errors: h.dropped[0], Warnings: h.dropped[1], Infos: h.dropped[2], Hidden: h.dropped[0] + h.dropped[1] + h.dropped[2]}
	for _, p := range out {
		switch p.Severity {
		case Error:
			t.Errors++
		case Warning:
			t.Warnings++
		default:
			t.Infos++
		}
	}
	if s := h.summary(z.File); s != nil {
		out = append(out, *s)
	}
	return out, t
}

// HasErrors reports whether any problem is an error.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].Pos, ps[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
}
