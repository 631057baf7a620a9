package zone

import (
	"container/heap"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/plural"
)

// problemHeap keeps the problems of a zone, at most limit of them (0: all),
// so that a zone with hundreds of thousands of warnings is checked in
// bounded memory: it keeps errors before warnings before info lines, then
// the earliest lines, and counts what it drops.
type problemHeap struct {
	limit   int
	ps      []Problem
	dropped [3]int // by severityRank
	// bound, when set, tells the problems a wrong origin causes
	// (Zone.OriginBound); those dropped are counted in boundDropped too,
	// so that leaving them out (Zone.WithoutOriginBound) leaves out
	// their count.
	bound        func(Problem) bool
	boundDropped [3]int
}

func severityRank(s Severity) int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	}
	return 2
}

// keptBefore reports whether a is kept in preference to b.
func keptBefore(a, b Problem) bool {
	if ra, rb := severityRank(a.Severity), severityRank(b.Severity); ra != rb {
		return ra < rb
	}
	if a.Pos.File != b.Pos.File {
		return a.Pos.File < b.Pos.File
	}
	return a.Pos.Line < b.Pos.Line
}

// heap.Interface: a max-heap under keptBefore, its root the first to drop.
func (h *problemHeap) Len() int           { return len(h.ps) }
func (h *problemHeap) Less(i, j int) bool { return keptBefore(h.ps[j], h.ps[i]) }
func (h *problemHeap) Swap(i, j int)      { h.ps[i], h.ps[j] = h.ps[j], h.ps[i] }
func (h *problemHeap) Push(x any)         { h.ps = append(h.ps, x.(Problem)) }
func (h *problemHeap) Pop() any {
	p := h.ps[len(h.ps)-1]
	h.ps = h.ps[:len(h.ps)-1]
	return p
}

func (h *problemHeap) push(p Problem) {
	switch {
	case h.limit <= 0:
		h.ps = append(h.ps, p)
	case len(h.ps) < h.limit:
		heap.Push(h, p)
	case keptBefore(p, h.ps[0]):
		h.drop(h.ps[0])
		h.ps[0] = p
		heap.Fix(h, 0)
	default:
		h.drop(p)
	}
}

// drop counts p, dropped.
func (h *problemHeap) drop(p Problem) {
	r := severityRank(p.Severity)
	h.dropped[r]++
	if h.bound != nil && h.bound(p) {
		h.boundDropped[r]++
	}
}

// drops reports whether a problem of this severity at pos would be dropped,
// and then counts it: the caller need not even format its message (one
// that may be bound, push).
func (h *problemHeap) drops(pos Pos, sev Severity) bool {
	if h.limit <= 0 || len(h.ps) < h.limit || keptBefore(Problem{Pos: pos, Severity: sev}, h.ps[0]) {
		return false
	}
	h.dropped[severityRank(sev)]++
	return true
}

// add counts what o dropped.
func (h *problemHeap) add(o *problemHeap) {
	for i := range o.dropped {
		h.dropped[i] += o.dropped[i]
		h.boundDropped[i] += o.boundDropped[i]
	}
}

// summary is the line that stands for the dropped problems (an error when
// any error was dropped, so that the verdict stays true), or nil.
func (h *problemHeap) summary(file string) *Problem {
	n := h.dropped[0] + h.dropped[1] + h.dropped[2]
	if n == 0 {
		return nil
	}
	var parts []string
	for i, what := range [][2]string{{"error", "errors"}, {"warning", "warnings"}, {"info line", "info lines"}} {
		if h.dropped[i] > 0 {
			parts = append(parts, plural.N(h.dropped[i], what[0], what[1]))
		}
	}
	sev := Warning
	if h.dropped[0] > 0 {
		sev = Error
	}
	return &Problem{Pos{File: file}, sev, fmt.Sprintf("%d more problems not shown (%s): only the first %d are kept; raise the limit to see them",
		n, strings.Join(parts, ", "), h.limit)}
}

// problem records a problem found while loading z.
func (z *Zone) problem(p Problem) {
	if z.ph == nil {
		z.Problems = append(z.Problems, p)
		return
	}
	z.ph.push(p)
}

// limit is the bound on z's problems (0: none).
func (z *Zone) limit() int {
	if z.ph == nil {
		return 0
	}
	return z.ph.limit
}
