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

// This file holds the run's set of secrets (Secrets), Replace, and the
// marking of a text by the matcher of the forms and the decoded layers.

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"sync"
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
// marks, and the bytes of an HTML comment or tag, a CDATA section or a
// processing instruction.
const viewOnly = joinBytes + renderMarks + "!-[]?>/"

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
