package redact

// This file holds ReplaceAfter, for the texts of a stream read one after
// another, and the pieces of a secret masked at a line's or a cell's edges.

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// MinSplit is the shortest piece of a secret that ReplaceAfter masks at
// the start or the end of a text by itself: a text of a stream (a log
// line, an annotation) may hold a secret's head at its end and the next
// one the rest (or the previous one its head and this one the rest).
// Shorter pieces are left: ordinary text ends and starts with them.
const MinSplit = 6

// ReplaceAfter is Replace for text shown right after prev in the same
// stream (the next line of a log, the next annotation): a secret that
// starts in prev and goes on in text, MinCut characters in all, has its
// part in text masked, whatever its length (prev was shown already; it
// is read for this, not changed). And, as the next text may hold the
// rest of a secret, a piece of one of MinSplit characters or more that
// a line of text starts or ends with (blanks aside) is masked too: no
// more than MinSplit-1 characters of a secret are left on either side of
// a line break or a break between texts. The pieces at the edges are looked for as the text has
// them (in any letter case), not in its decoded layers.
func (s *Secrets) ReplaceAfter(prev, text string) string {
	if s == nil || text == "" {
		return text
	}
	masked := s.markAfter(prev, text)
	if masked == nil {
		return text
	}
	return applyMask(text, masked)
}

// ReplaceJoined is texts with the secrets taken out, read as the one
// text a reader reads them as: joined by sep, after prev as ReplaceAfter
// reads a text after another (shown apart, prev not changed). Each text
// is read with the others on both sides, as shown together: the lines of
// one Markdown paragraph (sep "\n"), where a code span or an emphasis
// opened in one text closes in the next, are read as the renderer pairs
// them, and a secret split across texts is masked in each
// (ReplaceAfter read each text after the one before it only, apart, and
// left a head shorter than MinSplit in the first). The edges of each line
// are read as ReplaceAfter reads them.
func (s *Secrets) ReplaceJoined(prev string, texts []string, sep string) []string {
	out := slices.Clone(texts)
	if s == nil || len(texts) == 0 {
		return out
	}
	joined := strings.Join(texts, sep)
	masked := s.markAfter(prev, joined)
	if masked == nil {
		return out
	}
	at := 0
	for i, t := range texts {
		out[i] = applyMask(t, masked[at:at+len(t)])
		at += len(t) + len(sep)
	}
	return out
}

// markAfter is what ReplaceAfter masks of text read after prev, nil when
// there is nothing to read or no secret.
func (s *Secrets) markAfter(prev, text string) []bool {
	if text == "" {
		return nil
	}
	m, decoded := s.finders()
	if m == nil {
		return nil
	}
	if prev == "" {
		masked := mark(text, m, decoded, true)
		s.markEdges(text, masked, decoded, false)
		return masked
	}
	// A blank line between them: prev and text are shown apart (two
	// annotations, a headline and its report), so no code span pairs a
	// run of backticks in one with a run in the other (a paragraph's
	// end, fenceRuns), and the views still read one into the other.
	both := prev + "\n\n" + text
	masked := mark(both, m, decoded, true)[len(prev)+2:]
	s.markEdges(text, masked, decoded, false)
	return masked
}

// markEdges marks the longest piece of a secret (decoded's forms, folded:
// the run's needles, whose pieces s keeps) of MinSplit to MinCut-1 bytes
// that each line of text starts and ends with, and each cell of a
// Markdown table's row (markLineEdges; longer pieces mark finds); with
// rows, of the lines that are a table's rows only (Replace: a whole
// text, whose other lines a reader does not read one into the next, is
// read across its line breaks by mark's joined view).
func (s *Secrets) markEdges(text string, masked []bool, decoded *needles, rows bool) {
	if rows && !strings.HasPrefix(strings.TrimLeft(text, " \t"), "|") && !strings.Contains(text, "\n|") {
		return
	}
	s.mu.RLock()
	edges := s.edges
	s.mu.RUnlock()
	if edges == nil {
		s.mu.Lock()
		if s.edges == nil {
			s.edges = newEdgePieces(decoded.forms)
		}
		edges = s.edges
		s.mu.Unlock()
	}
	eachPart(text, "\r\n", func(from, to int) {
		if line := text[from:to]; !rows || strings.HasPrefix(strings.TrimLeft(line, " \t"), "|") {
			markLineEdges(line, masked[from:to], edges)
		}
	})
}

// eachPart calls f with the bounds of each part of s between the bytes
// of seps, in order: an empty part between two separators too, none after
// a separator that ends s.
func eachPart(s, seps string, f func(from, to int)) {
	for from := 0; from < len(s); {
		to := strings.IndexAny(s[from:], seps)
		if to < 0 {
			to = len(s)
		} else {
			to += from
		}
		f(from, to)
		from = to + 1
	}
}

// edgePieces are the pieces of MinSplit to MinCut-1 bytes of a set of
// forms (folded): every one (any), those a form starts with (heads) and
// those it ends with (tails).
type edgePieces struct {
	any, heads, tails map[string]bool
}

func newEdgePieces(forms []string) *edgePieces {
	e := &edgePieces{any: map[string]bool{}, heads: map[string]bool{}, tails: map[string]bool{}}
	for _, f := range forms {
		for k := MinSplit; k < MinCut && k <= len(f); k++ {
			e.heads[f[:k]] = true
			e.tails[f[len(f)-k:]] = true
			for i := 0; i+k <= len(f); i++ {
				e.any[f[i:i+k]] = true
			}
		}
	}
	return e
}

// markLineEdges is markEdges for one line: for each cell of it (a
// Markdown table row's, between its bars; a line without a bar is one
// cell), the longest piece it starts and ends with, blanks and the
// quotes and backticks around a value aside (a record a row or a diff's
// line quotes, "pk_7Hq2mZ9"): a report prints the records of one RRset
// a row or a line each, so a secret a server serves split across them
// runs from a cell's end into the next row's.
func markLineEdges(line string, masked []bool, edges *edgePieces) {
	eachPart(line, "|", func(from, to int) { markCellEdges(line[from:to], masked[from:to], edges) })
}

// markCellEdges is markLineEdges for one cell. A piece at the cell's end
// is masked only where the cell really holds a piece of a secret there:
// the piece is a word of its own, or ends a word (what stands before it
// is no letter or digit) and is a form's head (the secret goes on in
// the next row or line: key=pk_7Hq2m); at its start, likewise, a word of
// its own or a form's tail. A zone's name, a serial, a hash that merely
// starts or ends with characters a secret holds (acme-prod.example.
// beside the key acme-prod-Xk29fQ, 2026120701 beside 20261299) is
// kept.
func markCellEdges(cell string, masked []bool, edges *edgePieces) {
	start := len(cell) - len(strings.TrimLeft(cell, edgeAside))
	end := len(strings.TrimRight(cell, edgeAside))
	if end-start < MinSplit {
		return
	}
	low := fold(cell[start:end])
	// Every piece's pieces are pieces too: a cell whose first (last)
	// MinSplit bytes are none starts (ends) with none.
	for k := min(MinCut-1, len(low)); k >= MinSplit && edges.any[low[:MinSplit]]; k-- {
		if p := low[:k]; edges.any[p] && edgeWord(low, k, edges.tails[p]) {
			for j := start; j < start+k; j++ {
				masked[j] = true
			}
			break
		}
	}
	for k := min(MinCut-1, len(low)); k >= MinSplit && edges.any[low[len(low)-MinSplit:]]; k-- {
		if p := low[len(low)-k:]; edges.any[p] && edgeWord(low, len(low)-k-1, edges.heads[p]) {
			for j := end - k; j < end; j++ {
				masked[j] = true
			}
			break
		}
	}
}

// edgeAside are the bytes around a cell's value: blanks, quotes,
// backticks.
const edgeAside = " \t\"`"

// edgeWord reports whether the piece at a cell's edge whose neighbour in
// the cell (low, folded) is low[i] stands as a piece of a secret there:
// no neighbour (the piece is the whole cell), or one that is no letter
// or digit and either ends a word (a blank, a quote, a backtick) or
// the piece goes on past the cell's edge (cut: a form's head at the end,
// its tail at the start).
func edgeWord(low string, i int, cut bool) bool {
	if i < 0 || i >= len(low) {
		return true
	}
	c := low[i]
	return !isAlnum(c) && c < utf8.RuneSelf && (cut || strings.IndexByte(edgeAside+"'", c) >= 0)
}
