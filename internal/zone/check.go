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
	// HiddenBy counts the problems left out of the list, by severity
	// (errors, warnings, infos: severityRank); Hidden is their sum.
	HiddenBy [3]int
	// hiddenBound counts those of them a wrong origin causes
	// (OriginBound): WithoutOriginBound takes them out.
	hiddenBound [3]int
}

// Hidden is how many problems were left out of the list.
func (t Tally) Hidden() int { return t.HiddenBy[0] + t.HiddenBy[1] + t.HiddenBy[2] }

// Add counts o's problems in t too: the tally of several zones, whose
// problems no one zone's WithoutOriginBound takes out.
func (t *Tally) Add(o Tally) {
	t.Errors += o.Errors
	t.Warnings += o.Warnings
	t.Infos += o.Infos
	for r := range t.HiddenBy {
		t.HiddenBy[r] += o.HiddenBy[r]
	}
}

// CheckCount is Check, with the count of every problem found.
func CheckCount(z *Zone) ([]Problem, Tally) {
	h := problemHeap{limit: z.limit(), bound: z.OriginBound}
	for _, p := range z.Problems {
		h.push(p)
	}
	if z.ph != nil {
		h.add(z.ph)
	}
	if !z.truncated {
		v := validated(z)
		for _, p := range v.ps {
			h.push(p)
		}
		h.add(v)
	}
	out := h.ps
	sortProblems(out)
	t := Tally{Errors: h.dropped[0], Warnings: h.dropped[1], Infos: h.dropped[2],
		HiddenBy: h.dropped, hiddenBound: h.boundDropped}
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

// WithoutOriginBound is ps and t, z's problems and their tally (CheckCount,
// and what the caller added), without the problems a wrong origin causes
// (OriginBound): those listed and those counted as not shown, so that the
// line counting what is not shown counts what is left (and goes when
// nothing is), and the tally matches what is shown and that line.
func (z *Zone) WithoutOriginBound(ps []Problem, t Tally) ([]Problem, Tally) {
	old := (&problemHeap{limit: z.limit(), dropped: t.HiddenBy}).summary(z.File)
	var out []Problem
	for _, p := range ps {
		switch {
		case old != nil && p == *old: // said again below
		case z.OriginBound(p):
			t.add(severityRank(p.Severity), -1)
		default:
			out = append(out, p)
		}
	}
	for r, n := range t.hiddenBound {
		t.add(r, -n)
		t.HiddenBy[r] -= n
	}
	t.hiddenBound = [3]int{}
	if s := (&problemHeap{limit: z.limit(), dropped: t.HiddenBy}).summary(z.File); s != nil {
		out = append(out, *s)
	}
	return out, t
}

// Hide is ps and t, z's problems and their tally (CheckCount), with
// hidden, problems a bound of the caller's own (limit: check's on the
// mail records, --max-problems as z's) left out, counted in t and in the
// line that says what is not shown: one line, and its counts the tally's.
func (z *Zone) Hide(ps []Problem, t Tally, hidden []Problem, limit int) ([]Problem, Tally) {
	if len(hidden) == 0 {
		return ps, t
	}
	old := (&problemHeap{limit: z.limit(), dropped: t.HiddenBy}).summary(z.File)
	out := make([]Problem, 0, len(ps)+1)
	for _, p := range ps {
		if old == nil || p != *old {
			out = append(out, p)
		}
	}
	for _, p := range hidden {
		r := severityRank(p.Severity)
		t.add(r, 1)
		t.HiddenBy[r]++
	}
	h := problemHeap{limit: limit, dropped: t.HiddenBy}
	if s := h.summary(z.File); s != nil {
		out = append(out, *s)
	}
	return out, t
}

// add counts n more problems of severityRank r.
func (t *Tally) add(r, n int) {
	switch r {
	case 0:
		t.Errors += n
	case 1:
		t.Warnings += n
	default:
		t.Infos += n
	}
}
