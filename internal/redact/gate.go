package redact

// gate tells, in one pass over a text and with no copy of it, that no
// reading of the text can hold a needle: one filter over every form of
// every secret (a matcher's texts and the needles of the decoded layers),
// so that the values of a report that hold nothing to decode (most of a
// plan's: names, addresses, plain TXT strings) are not read layer by
// layer, view by view, across cells (bench/plain).
//
// A text passes when it is printable ASCII holding nothing any reading
// decodes (a backslash, %, &, quoted-printable's =XX or soft line break)
// or takes letters or digits out of (an HTML tag or comment, a Markdown
// link's target, a terminal's controls): every reading of it (across
// cells, quotes, labels and lines, rendered, its blanks taken out, + as
// a blank) is then the text with bytes other than letters and digits
// taken out, so a needle found in one has its letters and digits, in
// order and in a row, among the text's. The gate holds every run of 4
// of a needle's letters and digits (folded), in a filter of two hashes
// (runSet: it may answer "may" for a run none holds, never "no" for one
// it holds); a text none of whose runs of 4 it holds is clear.
type gate struct {
	runs runSet
	// off: a needle has fewer than 4 letters and digits (a short
	// secret's form): nothing is clear.
	off bool
}

// newGate is the gate of texts (folded).
func newGate(texts []string) *gate {
	g := &gate{runs: make(runSet, runBits/64)}
	for _, t := range texts {
		var run []byte
		for i := 0; i < len(t); i++ {
			if c := t[i]; isGateAlnum(c) {
				run = append(run, c)
			}
		}
		if len(run) < 4 {
			g.off = true
			return g
		}
		for i := 0; i+4 <= len(run); i++ {
			g.runs.put(run[i : i+4])
		}
	}
	return g
}

// gateTexts are the texts newGate needs for m and n: every text either
// looks for, and every piece of MinCut bytes of each of the secrets
// (markFolded masks one wherever it stands: a piece of a secret mostly
// of other bytes than letters and digits, with fewer than 4 of them,
// turns the gate off). The pieces of the other forms (a secret's
// letters one to a JSON string, ...) are left out: theirs hold a few of
// the secret's letters among marks.
func gateTexts(m *matcher, n *needles, secrets []string) []string {
	out := append([]string{}, m.short...)
	for _, l := range m.long {
		out = append(out, l...)
	}
	out = append(append(out, n.forms...), n.whole...)
	seen := map[string]bool{}
	for _, ps := range n.pieces {
		for _, p := range ps {
			if !seen[p.secret] {
				seen[p.secret] = true
				out = append(out, p.secret)
			}
		}
	}
	for _, s := range secrets {
		s = fold(s)
		for i := 0; i+MinCut <= len(s); i++ {
			out = append(out, s[i:i+MinCut])
		}
	}
	return out
}

// clear reports whether no reading of text can hold a needle (gate).
func (g *gate) clear(text string) bool { return gateClear(g, text) }

// gateClear is g.clear of text, a string or bytes.
func gateClear[T string | []byte](g *gate, text T) bool {
	if g == nil || g.off {
		return false
	}
	none := true
	gateHits(g, text, func(int, bool) bool {
		none = false
		return false
	})
	return none
}

// clearJoined reports whether g clears vs read one after another (as
// acrossStrings joins a group's values): buf holds the joined text,
// reused from one call to the next.
func (g *gate) clearJoined(vs []string, buf *[]byte) bool {
	if g == nil || g.off {
		return false
	}
	*buf = (*buf)[:0]
	for _, v := range vs {
		*buf = append(*buf, v...)
	}
	return gateClear(g, *buf)
}

// gateHits calls hit, in order, with each place in text that makes clear
// false (when it returns false, no more): a byte some reading decodes or
// takes letters or digits out of (open: an escape, a tag, a link's
// target, a control follows), or the last byte of a run of 4 letters and
// digits the gate may hold.
func gateHits[T string | []byte](g *gate, text T, hit func(i int, open bool) bool) {
	var run [4]byte
	n := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case isGateAlnum(c):
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == '\\' || c == '%' || c == '&' || c == '<' || c >= 0x7f || c < ' ' && c != '\t' && c != '\n' && c != '\r',
			c == '=' && (qpAt(text, i) || i+1 < len(text) && isBlank[text[i+1]]),
			c == ']' && i+1 < len(text) && text[i+1] == '(':
			if !hit(i, true) {
				return
			}
			continue
		default:
			continue // a byte some reading takes out
		}
		run[0], run[1], run[2], run[3] = run[1], run[2], run[3], c
		if n++; n >= 4 && g.runs.may(run[:]) && !hit(i, false) {
			return
		}
	}
}

// spans are the stretches of text, in order and apart, that every
// needle some reading of text holds stands in: each hit's (gateHits) with
// spanAlnums letters and digits either side of it, and the bytes an
// escape, a tag, a link's target or a control a hit opens may take
// (spanOpen) after it; none when text is clear, all of it when the gate
// is off. A needle's bytes hold a hit (clear) and, between two hits or
// beyond the last, at most what one hit opens and 3 letters or digits
// of its own (a 4th makes a run the gate holds), with bytes no reading
// keeps (blanks, punctuation) anywhere: so they lie in one span, which
// markers read as the whole text (acrossStrings).
func (g *gate) spans(text string) [][2]int { return gateSpans(g, text) }

// gateSpans is g.spans of text, a string or bytes.
func gateSpans[T string | []byte](g *gate, text T) [][2]int {
	if g == nil || g.off {
		return [][2]int{{0, len(text)}}
	}
	var out [][2]int
	var ms markupScan // where text's comments and their kin end
	gateHits(g, text, func(i int, open bool) bool {
		lo, hi := alnumsBack(text, i, spanAlnums), i+1
		if open {
			hi = min(len(text), hi+spanOpen)
		}
		if text[i] == '<' {
			// A comment and its kin, taken out whole whatever
			// their length (bogus).
			hi = max(hi, i+bogus(text[i:], &ms))
		}
		hi = alnumsOn(text, hi, spanAlnums)
		if len(out) > 0 && lo <= out[len(out)-1][1] {
			out[len(out)-1][1] = max(out[len(out)-1][1], hi)
		} else {
			out = append(out, [2]int{lo, hi})
		}
		return true
	})
	return out
}

const (
	// spanAlnums are the letters and digits a span holds either side
	// of a hit: the 3 of a run before its last, and 3 more of a
	// needle's own before the next hit, with room to spare.
	spanAlnums = 8
	// spanOpen are the bytes a span holds after a hit that opens
	// something (an escape, nested in as many layers as are decoded,
	// a tag, a link's target, a terminal's control: each at most
	// maxTag bytes; a comment and its kin to their end, gateSpans)
	// before its spanAlnums.
	spanOpen = 2 * maxTag
)

// alnumsBack is where the n-th letter or digit (ASCII) before text[i]
// stands (0 when there are fewer).
func alnumsBack[T string | []byte](text T, i, n int) int {
	for i > 0 && n > 0 {
		i--
		if isAlnum(text[i]) {
			n--
		}
	}
	return i
}

// alnumsOn is the end of the n-th letter or digit (ASCII) from text[i]
// on (len(text) when there are fewer).
func alnumsOn[T string | []byte](text T, i, n int) int {
	for i < len(text) && n > 0 {
		if isAlnum(text[i]) {
			n--
		}
		i++
	}
	return i
}

// isGateAlnum reports whether c is a lower-case ASCII letter or a digit.
func isGateAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// runSet is a filter of runs of 4 bytes, two bits each (a headSet's one
// hash left a plain name's runs "may" a fifth of the time with two
// secrets' forms in it).
type runSet []uint64

// runBits is the size of a runSet in bits (128 KiB).
const runBits = 1 << 20

// runHashes are the two bits of a runSet for the 4 bytes b starts with.
func runHashes(b []byte) (uint32, uint32) {
	v := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
	return (v * 2654435761) >> 12, (v * 0x85ebca77) >> 12
}

func (r runSet) put(b []byte) {
	h1, h2 := runHashes(b)
	r[h1/64] |= 1 << (h1 % 64)
	r[h2/64] |= 1 << (h2 % 64)
}

// may reports whether b's first 4 bytes may have been put.
func (r runSet) may(b []byte) bool {
	h1, h2 := runHashes(b)
	return r[h1/64]&(1<<(h1%64)) != 0 && r[h2/64]&(1<<(h2%64)) != 0
}
