package report

import "sort"

// Counts are the findings of one row of a table by severity.
type Counts struct{ Errors, Warnings, Info int }

// Add counts one finding of severity sev ("error", "warning", else info).
func (c *Counts) Add(sev string) {
	switch sev {
	case "error":
		c.Errors++
	case "warning":
		c.Warnings++
	default:
		c.Info++
	}
}

// WorstFirst is the keys of m in the order every table by severity lists
// its rows, errors first: most errors, then most warnings, then by key.
func WorstFirst(m map[string]*Counts) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		a, b := m[ks[i]], m[ks[j]]
		if a.Errors != b.Errors {
			return a.Errors > b.Errors
		}
		if a.Warnings != b.Warnings {
			return a.Warnings > b.Warnings
		}
		return ks[i] < ks[j]
	})
	return ks
}

// The ranks of a report's lines (ErrorsFirstBy): errors, then warnings,
// then the rest.
const (
	RankError = iota
	RankWarning
	RankRest
)

// ErrorsFirstBy orders xs as every report lists its lines: by rank
// (RankError, RankWarning, RankRest; a rank past those after them), each
// rank in the order given. A report cut at a size limit (the Action's
// github.Capped keeps lines from the first) then never drops an error
// while it keeps a warning, nor a warning while it keeps a lesser line.
// rank is asked once per element (it may build the element's lines).
func ErrorsFirstBy[T any](xs []T, rank func(T) int) {
	ranked := make([]struct {
		r int
		x T
	}, len(xs))
	for i, x := range xs {
		ranked[i].r, ranked[i].x = rank(x), x
	}
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].r < ranked[j].r })
	for i := range ranked {
		xs[i] = ranked[i].x
	}
}

// SeverityRank is the rank of a line of severity sev (ErrorsFirstBy):
// "error", "warning", else the rest (info, notice).
func SeverityRank(sev string) int {
	switch sev {
	case "error":
		return RankError
	case "warning":
		return RankWarning
	}
	return RankRest
}
