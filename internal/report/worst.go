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
