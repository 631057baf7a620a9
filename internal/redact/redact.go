// Package redact keeps what must not be shown out of what dnsparity prints.
//
// Redact before you escape or render: text a server sends (an API's error
// message or body) is redacted where it enters the program, by ServerText,
// before anything quotes, cuts or escapes it. ServerText decodes the text
// (JSON and Go escapes in any mix, percent-encoding in either case, HTML
// character references, one inside another) and masks every secret found
// in a decoded layer where it stands in the server's text, so no list of
// forms has to foresee how a server writes a key; in any letter case, and
// as the hex of its bytes. Its secrets are those the
// context carries (WithSecrets: the run's set, which what the run learns
// as it runs is added to) and the caller's own (a provider's key from its
// config).
//
// The second line of defence is the run's set (Secrets): every secret in
// every form it can take on the way out (Forms: base64, URL-, JSON-,
// HTML-escaped, hex, and each as the run's own outputs escape it), replaced
// in everything the run prints, in any letter case. It catches a secret that comes from elsewhere
// than a server (a zone file, a config) and whatever a server text slipped
// past the first line.
//
// The bulk of untrusted text is quoted as a short, printable excerpt
// (Excerpt).
package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"iter"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Mask replaces a secret in text.
const Mask = "***"

// MinLen is the shortest secret (or form of one) that is replaced: a
// shorter one would replace ordinary words and say what the secret is.
const MinLen = 4

// TooShort reports whether v is a secret too short to be masked (under
// MinLen characters, blanks aside; Add ignores it): a run refuses such a
// value rather than send it where an answer may quote it.
func TooShort(v string) bool { return v != "" && len(strings.TrimSpace(v)) < MinLen }

// MinCut is the shortest head of a secret's form that is replaced when
// the rest is cut off: an excerpt quotes a long token by its first
// TokenHead characters, and a message bounded in length (a server's error
// text) may end inside a secret it echoes. What is left is no form of the
// secret, but it is the secret's first characters. Shorter heads are left:
// they would replace ordinary text.
const MinCut = TokenHead

// Secrets is the set of secrets a run knows. Add registers one with every
// form it may take on the way out; Replace takes them all out of a text.
// It is safe for concurrent use. The zero value is ready.
type Secrets struct {
	// OnAdd, when set, is given the forms each Add registered that were
	// not known before (the Action masks them in the log: ::add-mask::),
	// whoever adds the secret: the run itself, or a call that learned it
	// (FromContext).
	OnAdd func(forms []string)

	// Escapes are more forms: the escaping functions of the run's own
	// outputs (Markdown), applied to every form of each secret as it is
	// added. A command escapes the text it prints, and that text may
	// already hold a form other than the secret itself (a server's JSON
	// error echoing the key with its solidus escaped, a Go-quoted one).
	Escapes []func(string) string

	mu sync.RWMutex
	// forms are the texts to replace: true for a form, false for only
	// the head of one (put).
	forms map[string]bool
	// values are the secrets added (each line of a multi-line one
	// too), as they are, for ServerText.
	values []string
	// order is forms, in the order added.
	order []string
	// m finds the forms, case folded, in a folded text (nil: build
	// it again).
	m *matcher
	// decoded are serverSecrets of values, which Replace looks for in
	// the text's decoded layers as ServerText does (nil: compute them
	// again).
	decoded *needles
	// cells are decoded read across cells (withCells), made with it:
	// ReplaceStrings is called for every RRset of a report, and a copy
	// of the needles each time cost a large plan more than a tenth of
	// its bytes (bench/plain).
	cells *needles
	// edges are the pieces of the decoded needles' forms of MinSplit
	// to MinCut-1 bytes (ReplaceAfter; nil: make them again).
	edges *edgePieces
}

// matcher finds texts (case folded, fold) in a folded text, wherever
// each stands (overlapping ones too): those shorter than MinCut by
// themselves, the others by their first MinCut bytes (long), longest
// first, so that a text that contains another is found whole.
type matcher struct {
	short []string
	long  map[string][]string
	heads headSet
	// gate, when set, clears a text no reading of which can hold
	// these texts nor the needles mark is given with them (finders).
	gate *gate
}

func newMatcher(texts []string) *matcher {
	m := &matcher{long: map[string][]string{}, heads: newHeadSet()}
	seen := map[string]bool{}
	for _, t := range texts {
		f := fold(t)
		if seen[f] {
			continue
		}
		seen[f] = true
		if len(f) < MinCut {
			m.short = append(m.short, f)
			continue
		}
		m.long[f[:MinCut]] = append(m.long[f[:MinCut]], f)
		m.heads.put([]byte(f))
	}
	for _, l := range m.long {
		sort.SliceStable(l, func(i, j int) bool { return len(l[i]) > len(l[j]) })
	}
	return m
}

// mark sets masked for each byte of a text a match covers: low is the
// text folded (foldBytes).
func (m *matcher) mark(low []byte, masked []bool) {
	for _, f := range m.short {
		eachIndex(low, f, func(i int) {
			for j := i; j < i+len(f); j++ {
				masked[j] = true
			}
		})
	}
	if len(m.long) == 0 {
		return
	}
	for i := 0; i+MinCut <= len(low); i++ {
		if !m.heads.may(low[i:]) {
			continue
		}
		for _, f := range m.long[string(low[i:i+MinCut])] {
			if bytes.HasPrefix(low[i:], []byte(f)) {
				for j := i; j < i+len(f); j++ {
					masked[j] = true
				}
				break // the longest: the others it holds
			}
		}
	}
}

// Add registers secret and returns the forms not known before (secret
// itself first), which it also gives OnAdd. A secret with blanks around
// it is also registered without them, and a multi-line one line by line,
// as the runner masks line by line. Values
// shorter than MinLen are ignored. On a nil set it does nothing.
func (s *Secrets) Add(secret string) []string {
	if s == nil {
		return nil
	}
	var added []string
	for _, v := range candidates(secret) {
		if len(v) < MinLen || strings.TrimSpace(v) == "" {
			continue
		}
		s.mu.Lock()
		if !slices.Contains(s.values, v) {
			s.values = append(s.values, v)
			s.decoded, s.cells, s.edges = nil, nil, nil
		}
		s.mu.Unlock()
		forms := Forms(v)
		for _, f := range forms { // the range reads Forms(v) once
			for _, esc := range s.Escapes {
				forms = append(forms, esc(f))
			}
		}
		for _, f := range forms {
			if len(f) < MinLen {
				continue
			}
			s.mu.Lock()
			if s.put(f, false) {
				added = append(added, f)
			}
			// Its heads, for a text cut inside it (replaced, not
			// masked in the log: the runner prints whole lines).
			for k := MinCut; k < len(f); k++ {
				s.put(f[:k], true)
			}
			s.mu.Unlock()
		}
	}
	if len(added) > 0 && s.OnAdd != nil {
		s.OnAdd(added)
	}
	return added
}

// put registers one text to replace, a form or (head) only the head of
// a longer one; true when it is a form not known as one before, which
// Add reports (OnAdd: the runner's masks). A form known so far only as
// another's head is reported: the unpadded base64 is the padded one's
// head, and the runner, which masks whole forms, did not mask it (it
// masked "S3g5...Vm4=": a line holding "S3g5...Vm4" alone, which a step
// other than dnsparity's may print, was shown). The caller holds s.mu.
func (s *Secrets) put(f string, head bool) bool {
	if s.forms == nil {
		s.forms = map[string]bool{}
	}
	form, known := s.forms[f]
	if known && (form || head) {
		return false
	}
	s.forms[f] = !head
	if !known {
		s.order = append(s.order, f)
		s.m = nil
	}
	return !head
}

// candidates are the secret, the secret without the blanks around it
// (as it is sent: net/http trims a header's value, and a server quotes
// what it got) and, when it spans lines, each of its lines.
func candidates(secret string) []string {
	out := []string{secret}
	if t := strings.TrimSpace(secret); t != secret {
		out = append(out, t)
	}
	if strings.ContainsAny(secret, "\r\n") {
		for _, l := range strings.FieldsFunc(secret, func(c rune) bool { return c == '\n' || c == '\r' }) {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// Values are the secrets added, as they were added (not their forms).
func (s *Secrets) Values() []string {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.values)
}

// Len is the number of forms registered.
func (s *Secrets) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.order)
}

// Replace returns text with every registered form of every secret
// replaced by Mask, and every head of one (MinCut characters or more) that
// the text holds (the rest cut off, or its remainder differing), in any
// letter case (fold: a server may echo a token upper-cased); forms side
// by side are one Mask. Then every secret found in a decoded layer of the
// text, as ServerText finds it in a server's (maskDecoded): a secret
// that comes from elsewhere (a zone file's token a report quotes, a TXT
// value) may be written in any form too.
func (s *Secrets) Replace(text string) string {
	if s == nil || text == "" {
		return text
	}
	m, decoded := s.finders()
	if m == nil {
		return text
	}
	masked := mark(text, m, decoded, true)
	// A table's rows, which a reader reads a column down: the pieces
	// at its cells' edges, as a stream's lines (ReplaceAfter).
	s.markEdges(text, masked, decoded, true)
	return applyMask(text, masked)
}

// finders are what Replace finds the secrets with: the registered forms'
// matcher and the needles of the decoded layers, made again when a
// secret was added; nil when there is none.
func (s *Secrets) finders() (*matcher, *needles) {
	s.mu.RLock()
	m, decoded := s.m, s.decoded
	n := len(s.order)
	s.mu.RUnlock()
	if n == 0 {
		return nil, nil
	}
	if m == nil || decoded == nil {
		s.mu.Lock()
		if s.m == nil || s.decoded == nil {
			d := s.decoded
			if d == nil {
				d = serverSecrets(s.values)
			}
			// One gate over both (mark, markChunk): made with them,
			// on copies (the old ones may be being read).
			nm := newMatcher(s.order)
			g := newGate(gateTexts(nm, d, s.values))
			nm.gate = g
			nd := *d
			nd.gate = g
			if d.layered != nil {
				l := *d.layered
				l.gate = g
				nd.layered = &l
			}
			s.m, s.decoded, s.cells = nm, &nd, withCells(&nd)
		}
		m, decoded = s.m, s.decoded
		s.mu.Unlock()
	}
	return m, decoded
}

// cellNeedles is withCells(decoded), decoded being what finders gave:
// the one s keeps while no secret is added.
func (s *Secrets) cellNeedles(decoded *needles) *needles {
	s.mu.RLock()
	c := s.cells
	ok := s.decoded == decoded
	s.mu.RUnlock()
	if c == nil || !ok {
		return withCells(decoded)
	}
	return c
}

// mark is which bytes of text Replace masks: the registered forms (m),
// then what no registered form holds, the secrets in the text's decoded
// layers (any mix of escapes, broken by a line break or a zero-width
// character, its end alone), as ServerText finds them.
//
// With needles that read across cells (withCells: ServerText's,
// InPublic's, a JSON report's strings, each short), every layer is read
// across them. A whole text Replace is given (a report, a log line) is
// not read so (chunked across cells, BenchmarkReplaceMarkdownLargeReport
// took 2.3 to 2.9 times as long): with across, it is also read across
// them as it stands (markCells), so that a secret split across the
// character-strings of a TXT record or the labels of a name a DNS server
// answered with, which a report quotes and escapes as the run's outputs
// escape (a registered form), is masked.
func mark(text string, m *matcher, decoded *needles, across bool) []bool {
	masked := make([]bool, len(text))
	if m.gate.clear(text) {
		return masked
	}
	low := foldBytes(text)
	m.mark(low, masked)
	markDecoded(text, low, decoded, masked)
	if across && !decoded.cells {
		markCells(text, low, m, decoded, masked)
	}
	return masked
}

// markCells marks the registered forms (m) and the secrets and their
// pieces (decoded) found in text (low, folded) read across the | of
// table cells, the quotes between strings, the dots between labels and
// Markdown links (markUncelled): as it so stands, and, in each chunk of
// it that a join made (a cell's end and the next one's start in one
// chunk: markDecoded reads the others already), in its decoded layers
// as markDecoded reads a chunk, not their views (a TXT record a server serves,
// "pk%5F7H" "q2mZ9", its pieces escaped otherwise than the run's outputs
// escape). Each run of MinCut bytes or more (a shorter run made only by
// a join, "36" "00", is none, as acrossStrings keeps it; one within a
// piece mark found).
func markCells(text string, low []byte, m *matcher, decoded *needles, masked []bool) {
	if decoded.empty() || !bytes.ContainsAny(low, uncellBytes) {
		return
	}
	markUncelled(low, nil, MinCut, &decoded.held, masked, func(u []byte, at []int32, found []bool) {
		m.mark(u, found)
		markFolded(u, nil, decoded, found)
		var ut []byte // u as text has it, not folded
		us := string(u)
		layers := decoded.layered
		if layers == nil {
			layers = layeredOf(decoded)
		}
		eachChunk(us, layers, func(start, end int) {
			if !joins(at[start:end]) || quiet(us[start:end]) {
				return
			}
			if ut == nil {
				ut = make([]byte, len(u))
				for k, i := range at {
					ut[k] = text[i]
				}
			}
			markChunk(string(ut[start:end]), layers, found[start:end])
		})
	})
	// With the plain separators the secrets hold taken out too, as it
	// stands (unheld).
	if h := unheld(&decoded.held, low); h != nil {
		markUncelled(low, nil, MinCut, h, masked, func(u []byte, _ []int32, found []bool) {
			m.mark(u, found)
			markFolded(u, nil, decoded, found)
		})
	}
}

// layeredOf is n read in its decoded layers only (needles.layers), as
// markCells reads the chunks a join made: what only a view reads across
// (line breaks, render marks, an HTML comment's and tag's bytes, a
// terminal's controls) ends a chunk there. serverSecrets makes it once
// (needles.layered): a copy for each text read cost Plain an eighth of
// its bytes on a large plan (bench/plain).
func layeredOf(n *needles) *needles {
	l := *n
	l.layered = nil
	l.layers = true
	for _, c := range []byte(viewOnly) {
		if !n.used[c] {
			l.barrier[c] = true
		}
	}
	return &l
}

// viewOnly are the bytes no escape reads but that a view (markViews)
// reads across: line breaks, a terminal's ESC and backspace, render
// marks, and the bytes of an HTML comment or tag.
const viewOnly = joinBytes + renderMarks + "!-[>/"

// uncellBytes are the bytes a mark uncelledAt takes out starts with.
const uncellBytes = cellMarks + "'`*~<&\\"

// joins reports whether the bytes at (where each byte of a chunk of an
// uncelled text stands in the text) are not side by side there: the
// chunk joins what a cell mark stood between.
func joins(at []int32) bool {
	for k := 1; k < len(at); k++ {
		if at[k] != at[k-1]+1 {
			return true
		}
	}
	return false
}

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
	m, decoded := s.finders()
	if m == nil {
		return text
	}
	if prev == "" {
		masked := mark(text, m, decoded, true)
		s.markEdges(text, masked, decoded, false)
		return applyMask(text, masked)
	}
	// A blank line between them: prev and text are shown apart (two
	// annotations, a headline and its report), so no code span pairs a
	// run of backticks in one with a run in the other (a paragraph's
	// end, fenceRuns), and the views still read one into the other.
	both := prev + "\n\n" + text
	masked := mark(both, m, decoded, true)[len(prev)+2:]
	s.markEdges(text, masked, decoded, false)
	return applyMask(text, masked)
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

// ReplaceBytes is Replace for a byte slice (a JSON report, a file). In a
// JSON text (an object or an array) only its strings are replaced, each
// decoded and encoded again: a secret that is also a number there (a
// four-digit account id equal to a TTL) leaves the numbers and the text
// valid JSON, and no replacement can end a string early.
func (s *Secrets) ReplaceBytes(b []byte) []byte {
	if s == nil || s.Len() == 0 {
		return b
	}
	if isJSON(b) {
		return s.replaceJSONStrings(b)
	}
	return []byte(s.Replace(string(b)))
}

// isJSON reports whether b is a JSON object or array.
func isJSON(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

// replaceJSONStrings replaces the secrets in every string (keys too) of
// b, a valid JSON text, but a time (RFC 3339, as encoding/json writes a
// time.Time: what the run wrote, never a secret, and digits a numeric
// secret would break); everything else is kept byte for byte. The
// values (every string but keys and times) are also read one after
// another, joined (acrossStrings): a secret split across strings (a TXT
// record's character-strings, an array's items), each piece under
// MinCut, is masked in each.
func (s *Secrets) replaceJSONStrings(b []byte) []byte {
	m, decoded := s.finders()
	if m == nil {
		return b
	}
	var strs []jsonStr
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		j := i + 1
		for b[j] != '"' {
			if b[j] == '\\' {
				j++
			}
			j++
		}
		var v string
		if json.Unmarshal(b[i:j+1], &v) == nil && !isTime(v) {
			k := j + 1
			for k < len(b) && isBlank[b[k]] {
				k++
			}
			strs = append(strs, jsonStr{at: i, end: j + 1, v: v, key: k < len(b) && b[k] == ':'})
		}
		i = j
	}
	rs := maskStrings(strs, m, decoded, s.cellNeedles(decoded))
	var out []byte
	last := 0
	for n, str := range strs {
		lit := b[str.at:str.end]
		// The decoded string (maskStrings), and the literal as written
		// (a form escaped otherwise than the encoder would).
		r := rs[n]
		if r == str.v && slices.Contains(mark(string(lit), m, decoded, false), true) {
			r = Mask
		}
		if r == str.v {
			continue
		}
		var enc bytes.Buffer
		e := json.NewEncoder(&enc)
		e.SetEscapeHTML(false)
		if e.Encode(r) == nil {
			out = append(append(out, b[last:str.at]...), bytes.TrimSuffix(enc.Bytes(), []byte("\n"))...)
			last = str.end
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// maskStrings is each of strs with the secrets in it replaced: each
// string read in every layer across cells (a TXT record's strings, a
// name's labels in one value: each is short), and the values (strs but
// keys) read one after another (acrossStrings).
func maskStrings(strs []jsonStr, m *matcher, decoded, cells *needles) []string {
	out := make([]string, len(strs))
	for n, masked := range maskGroups(strs, [][]int{nil}, m, decoded, cells) {
		out[n] = strs[n].v
		if masked != nil {
			out[n] = applyMask(strs[n].v, masked)
		}
	}
	return out
}

// maskGroups is which bytes of each of strs maskStrings masks, with the
// values read one after another in groups (the indexes of strs each
// holds; nil: all of strs), each on its own: a report's strings, and
// each RRset's. A value that stands in strs more than once (a type, a
// zone's name) is read in its layers once: the masks of values no group
// reads across are shared, not to be changed; a value the gate clears
// (matcher.gate) has none (nil).
func maskGroups(strs []jsonStr, groups [][]int, m *matcher, decoded, cells *needles) [][]bool {
	across := map[int][]bool{}
	var scratch acrossScratch
	for _, g := range groups {
		for k, x := range scratch.acrossStrings(strs, g, m, decoded) {
			if y := across[k]; y != nil {
				for j := range x {
					x[j] = x[j] || y[j]
				}
			}
			across[k] = x
		}
	}
	// mark is a function of the value alone: each distinct one once,
	// and none the gate clears (nil: nothing masked).
	alone := map[string][]bool{}
	out := make([][]bool, len(strs))
	for n, str := range strs {
		x := across[n]
		if x == nil && m.gate.clear(str.v) {
			continue
		}
		if masked, ok := alone[str.v]; ok && x == nil {
			out[n] = masked
			continue
		}
		masked := mark(str.v, m, cells, false)
		if x == nil {
			out[n] = masked
			alone[str.v] = masked
			continue
		}
		for k, b := range x {
			masked[k] = masked[k] || b
		}
		out[n] = masked
	}
	return out
}

// ReplaceStrings is vs, values a run is about to escape or render (a
// report's fields, a record's character-strings), each with the secrets
// in it replaced as ReplaceBytes replaces a JSON report's strings: each
// in every decoded layer, and all read one after another (a secret split
// across a TXT record's strings or an RRset's records, each piece under
// MinCut). A time as encoding/json writes one is kept (isTime). vs is
// not changed.
func (s *Secrets) ReplaceStrings(vs []string) []string {
	return s.replaceGroups(vs, [][]int{nil})
}

// replaceGroups is ReplaceStrings with vs read one after another in
// groups, each on its own (the indexes of vs each holds; nil: all of
// vs): Plain's one call for a report's strings (one group) and the
// RRsets' in it (a group each), which read as that many calls of
// ReplaceStrings, each group's, read them.
func (s *Secrets) replaceGroups(vs []string, groups [][]int) []string {
	out := slices.Clone(vs)
	for i, masked := range s.maskedGroups(vs, groups) {
		if masked != nil {
			out[i] = applyMask(vs[i], masked)
		}
	}
	return out
}

// maskedGroups is which bytes of each of vs replaceGroups masks (nil for
// a value it does not read: empty, a time).
func (s *Secrets) maskedGroups(vs []string, groups [][]int) [][]bool {
	out := make([][]bool, len(vs))
	if s == nil || len(vs) == 0 {
		return out
	}
	m, decoded := s.finders()
	if m == nil {
		return out
	}
	strs := make([]jsonStr, 0, len(vs))
	idx := make([]int, len(vs)) // the index in strs of each of vs, or -1
	at := make([]int, 0, len(vs))
	for i, v := range vs {
		idx[i] = -1
		if v != "" && !isTime(v) {
			idx[i] = len(strs)
			strs = append(strs, jsonStr{v: v})
			at = append(at, i)
		}
	}
	in := make([][]int, len(groups))
	for k, g := range groups {
		if g == nil {
			continue
		}
		in[k] = make([]int, 0, len(g))
		for _, i := range g {
			if idx[i] >= 0 {
				in[k] = append(in[k], idx[i])
			}
		}
	}
	for n, masked := range maskGroups(strs, in, m, decoded, s.cellNeedles(decoded)) {
		out[at[n]] = masked
	}
	return out
}

// jsonStr is a string of a JSON text: where its literal starts and
// ends, its value, and whether it is an object's key.
type jsonStr struct {
	at, end int
	v       string
	key     bool
}

// acrossStrings are the bytes of each of strs (by index; nil: none) that
// a secret running across values one after another covers: the values
// of strs at g (nil: all of strs), but keys, are joined and marked as
// Replace marks a text (across the quotes of values "\"pk_7H\"",
// "\"q2mZ9\"" too: markCells), and a run of marked bytes is kept when it
// crosses from one value into the next and is MinCut bytes or more (a
// run within one value Replace finds there; a short secret made only by
// a join, "36" "00", is none). Only the stretches of the joined text the
// gate may find a needle around are read (gate.spans, widened to whole
// values): the rest of a large report's values holds none (bench/plain).
// s holds what one call leaves for the next to reuse (a plan's RRsets
// are a group each).
func (s *acrossScratch) acrossStrings(strs []jsonStr, g []int, m *matcher, decoded *needles) map[int][]bool {
	s.idx, s.starts, s.joined = s.idx[:0], s.starts[:0], s.joined[:0]
	add := func(n int) {
		if !strs[n].key {
			s.idx = append(s.idx, n)
			s.starts = append(s.starts, len(s.joined))
			s.joined = append(s.joined, strs[n].v...)
		}
	}
	if g == nil {
		for n := range strs {
			add(n)
		}
	} else {
		for _, n := range g {
			add(n)
		}
	}
	if len(s.idx) < 2 {
		return nil
	}
	text := string(s.joined)
	var out map[int][]bool
	for _, w := range valueSpans(m.gate.spans(text), s.starts, len(text)) {
		if out == nil {
			out = map[int][]bool{}
		}
		acrossIn(text, w, strs, s.idx, s.starts, m, decoded, out)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// acrossScratch are the buffers acrossStrings reuses from one group to
// the next: the values' indexes in strs, where each starts in the
// joined text, and that text.
type acrossScratch struct {
	idx, starts []int
	joined      []byte
}

// acrossStrings is acrossStrings of all of strs, with buffers of its own.
func acrossStrings(strs []jsonStr, m *matcher, decoded *needles) map[int][]bool {
	var s acrossScratch
	return s.acrossStrings(strs, nil, m, decoded)
}

// valueSpans are spans (in order, as gate.spans gives them) widened to
// the values they touch (starts: where each value starts in a text of
// n bytes) and merged where they meet: a span read is made of whole
// values, so that every value is read with its own context, as the
// whole text reads it.
func valueSpans(spans [][2]int, starts []int, n int) [][2]int {
	var out [][2]int
	for _, sp := range spans {
		lo := starts[sort.SearchInts(starts, sp[0]+1)-1]
		hi := n
		if k := sort.SearchInts(starts, sp[1]); k < len(starts) {
			hi = starts[k]
		}
		if len(out) > 0 && lo <= out[len(out)-1][1] {
			out[len(out)-1][1] = max(out[len(out)-1][1], hi)
			continue
		}
		out = append(out, [2]int{lo, hi})
	}
	return out
}

// acrossIn is acrossStrings' reading of text[w[0]:w[1]] (whole values:
// valueSpans), adding to out the bytes of each value a run crossing
// values covers.
func acrossIn(text string, w [2]int, strs []jsonStr, idx, starts []int, m *matcher, decoded *needles, out map[int][]bool) {
	part := text[w[0]:w[1]]
	if m.gate.clear(part) {
		return // no reading of the values joined holds a secret
	}
	// Across cells too, as they stand (markCells): the records of one
	// RRset, each quoted as a TXT record's presentation quotes it.
	masked := mark(part, m, decoded, true)
	// crosses: a value's start lies inside the run [a, b).
	crosses := func(a, b int) bool {
		k := sort.SearchInts(starts, a+1)
		return k < len(starts) && starts[k] < b
	}
	for a := 0; a < len(masked); {
		if !masked[a] {
			a++
			continue
		}
		b := a
		for b < len(masked) && masked[b] {
			b++
		}
		if ta, tb := w[0]+a, w[0]+b; b-a >= MinCut && crosses(ta, tb) {
			for k := sort.SearchInts(starts, ta+1) - 1; k < len(idx) && starts[k] < tb; k++ {
				v := strs[idx[k]].v
				if out[idx[k]] == nil {
					out[idx[k]] = make([]bool, len(v))
				}
				for x := max(ta, starts[k]); x < min(tb, starts[k]+len(v)); x++ {
					out[idx[k]][x-starts[k]] = true
				}
			}
		}
		a = b
	}
}

// Forms are the ways secret may appear in what a run writes: as it is;
// base64-encoded (standard and URL alphabets, padded or not, and inside a
// longer base64 text at each of the three byte offsets, as in an HTTP
// Basic credential "user:secret"); URL-encoded (query and path, hex in
// upper and lower case: %2F, %2f); escaped in a JSON string (with and
// without HTML escaping, the solidus as / and \/, and every character
// beyond ASCII as it is or \u00e4 or \u00E4, as Go, Python's json.dumps,
// PHP's json_encode and Jackson write them), and with every character but
// letters and digits \u-escaped (\u002f, servers that escape any
// character) or one punctuation character (.NET's \u002B, Gson's
// \u003d); quoted by Go's %q; with HTML entities (named, as
// html.EscapeString writes them, and numeric, as Markdown escaping writes
// punctuation: &#95; for _); in upper and lower case; and as the hex of
// its bytes (and, when secret is itself base64, a TSIG secret, of the
// bytes it encodes), in lower and upper case.
func Forms(secret string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	add(secret)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		add(enc.EncodeToString([]byte(secret)))
	}
	for _, f := range base64Shifted(secret) {
		add(f)
	}
	for _, u := range []string{url.QueryEscape(secret), url.PathEscape(secret)} {
		add(u)
		add(lowerPercent(u)) // encoders that write %2f, not %2F
	}
	var plain string // the JSON form without HTML escapes
	for _, escHTML := range []bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escHTML)
		if enc.Encode(secret) == nil {
			js := strings.TrimSuffix(b.String(), "\n")
			js = js[1 : len(js)-1]
			plain = js
			// As Go writes it, and ASCII-only as Python's json.dumps and
			// PHP's json_encode write it (\u00e4), or Jackson (\u00E4).
			for _, f := range []string{js, jsonUnicode(js, nonASCII, lowerU), jsonUnicode(js, nonASCII, upperU)} {
				add(f)
				add(strings.ReplaceAll(f, "/", `\/`)) // encoders that escape the solidus (PHP)
			}
		}
	}
	for _, format := range []string{lowerU, upperU} {
		// Every character but letters and digits escaped (servers that
		// write \u002f for any character).
		add(jsonUnicode(secret, notAlnum, format))
		// One punctuation character escaped that JSON does not require,
		// with or without everything beyond ASCII (.NET writes + as
		// \u002B, Gson = as \u003d), the quote, the backslash and
		// control characters escaped as Go does (\") or as \u too.
		required := func(r rune) bool { return r < ' ' || r == '"' || r == '\\' }
		for _, js := range []string{plain, jsonUnicode(secret, required, format)} {
			for _, c := range punctuation(secret) {
				add(jsonUnicode(js, func(r rune) bool { return r == c }, format))
				add(jsonUnicode(js, func(r rune) bool { return r == c || nonASCII(r) }, format))
			}
		}
	}
	q := strconv.Quote(secret)
	add(q[1 : len(q)-1])
	add(html.EscapeString(secret))
	add(numericEntities(secret, false))
	add(numericEntities(secret, true))
	// Another letter case (a server that upper-cases a token it quotes)
	// and hex (of the secret's bytes, and of the bytes a base64 secret
	// encodes), each in lower and upper case. Replace finds every form
	// in any letter case anyway; these are for OnAdd (the runner masks
	// what it is given, as given).
	add(strings.ToUpper(secret))
	add(strings.ToLower(secret))
	for _, h := range hexForms(secret) {
		add(h)
		add(strings.ToUpper(h))
	}
	return out
}

// base64Shifted are the parts of base64(prefix + secret + suffix) that do
// not depend on the prefix or the suffix, for prefixes of 0, 1 and 2
// bytes: how a secret looks inside a longer base64 text.
func base64Shifted(secret string) []string {
	var out []string
	for shift := 0; shift < 3; shift++ {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, shift), secret...))
		// The first characters mix the prefix in: 4 characters cover 3
		// bytes, so skip ceil(shift*4/3) of them.
		start := (shift*4 + 2) / 3
		// The last full group of the secret ends at byte shift+len; the
		// characters after the last complete 3-byte group may mix the
		// suffix in.
		end := ((shift + len(secret)) / 3) * 4
		if end-start >= 2*MinLen {
			out = append(out, enc[start:end])
		}
	}
	return out
}

// lowerPercent is a percent-encoded text with its hex digits in lower case.
func lowerPercent(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lowerHex(b[i+1]), lowerHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerHex(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// jsonUnicode is s with every character that escape selects written as a
// JSON \u escape in format (its UTF-16 code units: a surrogate pair
// beyond U+FFFF); the rest is kept.
func jsonUnicode(s string, escape func(rune) bool, format string) string {
	var b strings.Builder
	for _, r := range s {
		if !escape(r) {
			b.WriteRune(r)
			continue
		}
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			fmt.Fprintf(&b, format+format, r1, r2)
		} else {
			fmt.Fprintf(&b, format, r)
		}
	}
	return b.String()
}

// The formats of a JSON \u escape: lower- and upper-case hex.
const (
	lowerU = "\\u%04x"
	upperU = "\\u%04X"
)

// punctuation are the ASCII punctuation and symbol characters s holds but
// '"' and '\\', each once.
func punctuation(s string) []rune {
	var out []rune
	for _, r := range s {
		if r < utf8.RuneSelf && (unicode.IsPunct(r) || unicode.IsSymbol(r)) && r != '"' && r != '\\' && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// nonASCII selects what an ASCII-only JSON encoder escapes in an encoded
// string: DEL and everything beyond ASCII.
func nonASCII(r rune) bool { return r > '~' }

// notAlnum selects every character but ASCII letters and digits.
func notAlnum(r rune) bool {
	return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
}

// isTime reports whether v is a time as encoding/json writes one.
func isTime(v string) bool {
	// The layout's year is four digits and a '-', and nothing shorter
	// than 2006-01-02T15:04:05Z parses: a report's other values fail
	// here, not in time.Parse (whose error cost Plain a tenth of its
	// bytes on a large plan, bench/plain).
	if len(v) < len("2006-01-02T15:04:05Z") || v[4] != '-' || !isDigits(v[:4]) {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, v)
	return err == nil
}

// isDigits reports whether s is ASCII digits only.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// numericEntities is s with every ASCII punctuation character written as
// a decimal (or hex) HTML entity.
func numericEntities(s string, hex bool) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && unicode.IsPunct(r) || r < utf8.RuneSelf && unicode.IsSymbol(r) {
			if hex {
				fmt.Fprintf(&b, "&#x%x;", r)
			} else {
				fmt.Fprintf(&b, "&#%d;", r)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Sizes of an excerpt.
const (
	// Token is for a token of a file (a zone file's field, a config
	// value): a token up to this many characters is quoted whole; a
	// longer one by its first TokenHead characters only, so that a
	// message never carries much of a secret or of a file that is not a
	// zone file.
	Token     = 32
	TokenHead = 12
	// Path is for a path (a config's zone file, an $INCLUDE name).
	Path = 200
)

// Excerpt quotes s for a message: whole when it has at most max
// characters, else its first head characters then "…" and its length.
// Every character that is not printable (NUL, control characters,
// terminal escapes, bidirectional controls) is escaped as Go does
// (\x00, \u202e), so the excerpt is a single printable line.
func Excerpt(s string, max, head int) string {
	n := utf8.RuneCountInString(s)
	if n <= max {
		return strconv.Quote(s)
	}
	cut := s
	i := 0
	for j := range s {
		if i == head {
			cut = s[:j]
			break
		}
		i++
	}
	return fmt.Sprintf("%s… (%d characters)", strconv.Quote(cut), n)
}

// Quote is Excerpt for a token of a file (Token, TokenHead).
func Quote(s string) string { return Excerpt(s, Token, TokenHead) }

// Name is s as it is when it is a short, printable name (a path, a
// variable name), else an excerpt (Path characters).
func Name(s string) string {
	if utf8.RuneCountInString(s) <= Path && s != "" && printable(s) {
		return s
	}
	return Excerpt(s, Path, Path)
}

func printable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// Word is s as it is when it is a short, printable token (a type name, a
// directive), else Quote(s).
func Word(s string) string {
	if utf8.RuneCountInString(s) <= Token && s != "" && printable(s) {
		return s
	}
	return Quote(s)
}

// InPublic is the index of the first of secrets whose masking would
// change one of texts, text a run shows anyway (a zone's name, a file's
// path, a record), or -1: a form of the secret, or a piece of one
// (MinCut characters), stands in it, in any letter case or decoded
// layer, as Replace finds it. Where the mask falls would then say what
// the secret is (with PDNS_API_KEY set to "acme", zones/acme.test.zone
// is shown as zones/***.test.zone, next to the zone acme.test. named in
// the config), so a run refuses such a secret before it sends or prints
// anything, as it refuses one TooShort. The texts are read once, with
// every secret at a time. For many sets of texts (every zone of a run),
// NewPublic once and Public.In for each.
func InPublic(secrets []string, texts iter.Seq[string]) int {
	return NewPublic(secrets).In(texts)
}

// Public finds secrets in text a run shows anyway (InPublic). Every form
// of the secrets (NewPublic) and what finds them (the first In) are made
// once: a run asks about every zone it loads, and making them (each secret in
// every form and case, their matcher) costs far more than reading a
// small zone's texts. In may be called from several goroutines at once.
type Public struct {
	secrets []string
	all     *Secrets
}

// NewPublic is the Public of secrets.
func NewPublic(secrets []string) *Public {
	all := &Secrets{}
	for _, v := range secrets {
		all.Add(v)
	}
	return &Public{secrets: secrets, all: all}
}

// In is InPublic's index of the first of p's secrets that stands in one
// of texts, or -1.
//
// The texts are read one after another, a quote between two (which
// inPublic reads across), in one pass: a secret that stands in one of
// them stands there, and one split across texts a run shows one after
// another (the TXT records of one name, a record and the next name),
// each piece under MinCut, stands in them as much as a whole one.
func (p *Public) In(texts iter.Seq[string]) int {
	if p == nil || p.all.Len() == 0 {
		return -1
	}
	var joined strings.Builder
	for t := range texts {
		if joined.Len() > 0 {
			joined.WriteByte('"')
		}
		joined.WriteString(t)
	}
	return p.which(joined.String())
}

// which is the index of the first of p's secrets that stands in t
// (inPublic), or -1.
func (p *Public) which(t string) int {
	if !p.all.inPublic(t) {
		return -1
	}
	for i, v := range p.secrets {
		one := &Secrets{}
		if len(one.Add(v)) > 0 && one.inPublic(t) {
			return i
		}
	}
	return -1
}

// inPublic reports whether Replace would change text, or would if it
// read text across the | of Markdown table cells as ServerText does
// (withCells): a public text is short, and a secret split across cells
// of a record ("| pk_7H | q2mZ9 |") stands in it as much as a whole one.
func (s *Secrets) inPublic(text string) bool {
	m, decoded := s.finders()
	if m == nil || text == "" {
		return false
	}
	for _, b := range mark(text, m, s.cellNeedles(decoded), false) {
		if b {
			return true
		}
	}
	return false
}
