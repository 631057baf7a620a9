package redact

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// markDecodedWhole is markDecoded as it was before it read the text by
// chunks: every layer of the whole text. The oracle of
// TestMarkDecodedChunks.
func markDecodedWhole(text string, secrets *needles, masked []bool) {
	var modes []mode
	for _, plus := range []bool{false, true} {
		for _, qp := range []bool{false, true} {
			modes = append(modes, mode{plus: plus, qp: qp}, mode{plus: plus, qp: qp, octal: true}, mode{plus: plus, qp: qp, css: true})
		}
	}
	for _, m := range modes {
		markLayersWhole(newLayer(text), m, 0, secrets, masked)
	}
}

// markLayersWhole marks l and every layer decoded from it in mode m, and
// the layers of the text's joined view when a line break cuts an escape
// in it (wrappedEscape), up to maxLayers; from a layer with a backslash
// before a letter, a blank or a byte beyond ASCII, also in m with a
// record's \X read (mode.dns).
func markLayersWhole(l *layer, m mode, i int, secrets *needles, masked []bool) {
	for ; ; i++ {
		l.mark(secrets, masked)
		l.markViews(secrets, masked)
		if i == 0 && wrappedEscape(l.b) {
			if j := l.joined(false); j != nil {
				markLayersWhole(j, m, i, secrets, masked)
			}
		}
		if !m.dns && backslashOther(l.b) && i < maxLayers {
			// From the first layer a record's \X may be read in,
			// also so (markChain).
			o := m
			o.dns = true
			if next, changed := l.decode(o); changed {
				markLayersWhole(next, o, i+1, secrets, masked)
			}
		}
		next, changed := l.decode(m)
		if !changed || i == maxLayers {
			return
		}
		l = next
	}
}

// chunkPieces are what TestMarkDecodedChunks builds texts of: pieces of
// the secrets in several forms, escapes and references of every kind
// (some cut short, some nested), barriers (bytes no secret holds) right
// after a backslash or an escape, blanks, line breaks, format
// characters.
func chunkPieces(secrets []string) []string {
	out := []string{
		".", ",", "\"", "\\", "\\\"", "\\.", "%", "%5C", "%5c\"", "%255C", "%25", "&", "&amp;", "&amp", "&#", "&#x", "&#92;", "&bsol;",
		"&quot;", "\\u", "\\u00", "\\u005c", "\\x", "\\x5c", "\\\\", "\\n", "\\r\\n", "\\t", "\\046", "\\092", "+", " ", "\t", "\n", "\r\n", "\n  ",
		"\u200b", "\u00ad", "é", "\\u00e9", "&eacute;", ";", "#", "<", ">", "=", "(", "&lt;", "&gt;", "\\_", "\\*", "_", "*", "'", "=5F", "=3d", "%3D5F", "=B",
	}
	for _, s := range secrets {
		for _, f := range []string{s, strings.ToUpper(s), url.QueryEscape(s), strings.ReplaceAll(s, "/", `\/`)} {
			for i := 0; i < len(f); i += 3 {
				out = append(out, f[i:min(i+5, len(f))])
			}
		}
		for i, c := range s {
			out = append(out, fmt.Sprintf("\\u%04x", c), fmt.Sprintf("%%%02X", c), fmt.Sprintf("&#%d;", c), fmt.Sprintf("&#x%x", c), s[:i], s[i:])
		}
	}
	return out
}

// TestMarkDecodedChunks: markDecoded, which decodes only the chunks of a
// text that hold something to decode, marks the same bytes as decoding
// every layer of the whole text does, on texts mixing secrets' pieces,
// escapes, barriers and line breaks.
func TestMarkDecodedChunks(t *testing.T) {
	secrets := []string{"tok-9f2KqLm3Vx7pRt8sZw4", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "p4ss_w.rd\"x", "AKIAIOSFODNN7EXAMPLE"}
	n := serverSecrets(secrets)
	pieces := chunkPieces(secrets)
	r := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 20000; k++ {
		var b strings.Builder
		for m := r.IntN(40); m >= 0; m-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		got := make([]bool, len(text))
		want := make([]bool, len(text))
		markDecoded(text, foldBytes([]byte(text)), n, got)
		markDecodedWhole(text, n, want)
		if g, w := applyMask(text, got), applyMask(text, want); g != w {
			t.Fatalf("text %q: by chunks %q, whole %q", text, g, w)
		}
	}
}

// TestMatcherMarksEveryMatch: the matcher marks at least every byte the
// replacers it replaced did (each registered text, longest first, the
// text scanned from the left), on texts mixing the forms' pieces.
func TestMatcherMarksEveryMatch(t *testing.T) {
	var s Secrets
	secrets := []string{"tok-9f2KqLm3Vx7pRt8sZw4", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "abcd", "p4ss_w.rd\"x"}
	for _, v := range secrets {
		s.Add(v)
	}
	var pieces []string
	for _, f := range s.order {
		if len(f) > 20 {
			pieces = append(pieces, f[:len(f)/2], f[len(f)/2:])
		}
		pieces = append(pieces, f)
	}
	pieces = append(pieces, " ", ".", "\n", "%", "\\")
	m := newMatcher(s.order)
	replace := replacerMarks(s.order)
	r := rand.New(rand.NewPCG(3, 4))
	for k := 0; k < 5000; k++ {
		var b strings.Builder
		for j := r.IntN(12); j >= 0; j-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		got := make([]bool, len(text))
		m.mark(foldBytes([]byte(text)), got)
		old := replace(fold(text))
		for i := range text {
			if old[i] && !got[i] {
				t.Fatalf("text %q: byte %d (%q) a replacer masked is not marked", text, i, text[i])
			}
		}
	}
}

// replacerMarks returns the bytes of a folded text the replacers of
// texts (folded, longest first) change: the matcher as it was.
func replacerMarks(texts []string) func(low string) []bool {
	seen := map[string]bool{}
	var folded []string
	for _, t := range texts {
		if f := fold(t); !seen[f] {
			seen[f] = true
			folded = append(folded, f)
		}
	}
	sortLongestFirst(folded)
	var nul, one []string
	for _, f := range folded {
		nul = append(nul, f, strings.Repeat("\x00", len(f)))
		one = append(one, f, strings.Repeat("\x01", len(f)))
	}
	rn, ro := strings.NewReplacer(nul...), strings.NewReplacer(one...)
	return func(low string) []bool {
		a, b := rn.Replace(low), ro.Replace(low)
		out := make([]bool, len(low))
		for i := range low {
			out[i] = a[i] != low[i] || b[i] != low[i]
		}
		return out
	}
}

func sortLongestFirst(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && len(s[j]) > len(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
