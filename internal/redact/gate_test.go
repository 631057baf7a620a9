package redact

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestGateClearsOnlyWhatMarkFindsNothingIn: a text the gate clears (mark
// then reads it no further, nor markChunk a chunk) is one in which mark,
// read without the gate, finds nothing: on random texts of secrets' pieces in several
// forms, escapes, separators, cell marks, tags and ordinary words, read
// alone and across cells. And the gate clears ordinary text (names,
// addresses, a TXT string), or it would save nothing.
func TestGateClearsOnlyWhatMarkFindsNothingIn(t *testing.T) {
	var set Secrets
	set.Add("tok-9f2KqLm3Vx7pRt8sZw4")
	set.Add("wJalrXUtnFEMI/K7MDENG/bPxRfiCY")
	set.Add("p4ss_w.rd\"x|y[z]")
	set.Add("AKIAIOSFODNN7EXAMPLE")
	m, decoded := set.finders()
	if m.gate == nil {
		t.Fatal("no gate")
	}
	// The matcher and needles without the gate.
	plain := *m
	plain.gate = nil
	ungated := func(n *needles) *needles {
		c := *n
		c.gate, c.layered = nil, nil
		return &c
	}
	pieces := append(chunkPieces(set.Values()), "h1.bench.test.", "192.0.2.7", "v=spf1 -all", " | ", "\" \"", "[x](#)", "<b>", "=\n", "= ", "ab", "-", "x.y")
	// Whole secrets in escapes no registered form holds, whose letters
	// and digits are none of the secret's: only the decoding finds them.
	for _, v := range set.Values() {
		for _, format := range []string{`\%03o`, "=%02X", `\x%02x`, "%%u%04X", "&#x%x", `\%c`} {
			var b strings.Builder
			for i := 0; i < len(v); i++ {
				fmt.Fprintf(&b, format, v[i])
			}
			pieces = append(pieces, b.String())
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	cleared := 0
	for k := 0; k < 20000; k++ {
		var b strings.Builder
		for n := r.IntN(6); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		if !m.gate.clear(text) {
			continue
		}
		cleared++
		for _, across := range []bool{false, true} {
			for _, n := range []*needles{ungated(decoded), ungated(set.cellNeedles(decoded))} {
				if got := applyMask(text, mark(text, &plain, n, across)); got != text {
					t.Fatalf("the gate cleared %q, in which mark finds %q (across %v, cells %v)", text, got, across, n.cells)
				}
			}
		}
	}
	if cleared < 200 {
		t.Errorf("the gate cleared %d of 20000 texts", cleared)
	}
	for _, text := range []string{"h1234.bench.test.", "mx7.mail.acme.test.", "v=spf1 ip4:192.0.2.0/24 -all", "ns1 hostmaster 1 3600"} {
		if !m.gate.clear(text) {
			t.Errorf("the gate does not clear %q", text)
		}
	}
}

// TestGateReadsNoEscapedText: the gate clears no text holding what a
// reading decodes or takes letters and digits out of, whatever its
// letters and digits (here none a needle holds): a backslash, %, &, a
// tag, quoted-printable's =XX or soft line break, a Markdown link's
// target, a byte beyond ASCII, a control; and clears plain text whose
// runs of 4 letters and digits no needle holds, blanks, dots and bars
// between.
func TestGateReadsNoEscapedText(t *testing.T) {
	g := newGate([]string{"qqqqwwwweeee"})
	for _, text := range []string{`a\x41b`, "a%41b", "a&#65;b", "a<b>c", "a=41b", "a=\nb", "a= \nb", "[a](bcde)", "a\u00e9b", "a\x1b[0mb", "a\bb"} {
		if g.clear(text) {
			t.Errorf("the gate clears %q", text)
		}
	}
	for _, text := range []string{"h1.bench.test.", "v=spf1 -all", "| ab | cd |", `"ab" "cd"`, "a+b"} {
		if !g.clear(text) {
			t.Errorf("the gate does not clear %q", text)
		}
	}
	if g.clear("x.qq-qq.ww") || !newGate([]string{"ab.c"}).off {
		t.Error("the gate clears a needle's letters and digits run together, or keeps a needle of fewer than 4")
	}
}

// TestGateSymbolHeavySecret: a secret most of whose bytes are neither
// letters nor digits has pieces of MinCut bytes with fewer than 4 of
// them; mark masks such a piece wherever it stands, so the gate must not
// clear a text holding one (it has no run of 4 to find it by).
func TestGateSymbolHeavySecret(t *testing.T) {
	const secret = "Kx9mAb!@#$^*()_+-~Qz7Lp"
	piece := secret[6 : 6+MinCut] // no letter or digit
	var set Secrets
	set.Add(secret)
	for _, text := range []string{"x " + piece + " y", piece} {
		for _, out := range []string{set.Replace(text), set.ReplaceStrings([]string{text})[0]} {
			if strings.Contains(out, piece) {
				t.Errorf("%q came out as %q: the secret's piece %q is in it", text, out, piece)
			}
		}
	}
}

// TestGateReadsInOnePass: the gate reads a text with no copy of it
// (clear), and the spans of a text it clears cost nothing: acrossStrings
// reads every RRset of a plan through them.
func TestGateReadsInOnePass(t *testing.T) {
	g := newGate([]string{"qqqqwwwweeee"})
	for _, text := range []string{strings.Repeat("v=spf1 -all ", 5000), strings.Repeat("a=3D", 5000), strings.Repeat("h1.bench.test.", 5000)} {
		if n := testing.AllocsPerRun(5, func() { g.clear(text) }); n != 0 {
			t.Errorf("clear of %d bytes (%.20q...) allocates %v times", len(text), text, n)
		}
		if n := testing.AllocsPerRun(5, func() { g.spans(text) }); n != 0 && g.clear(text) {
			t.Errorf("spans of %d clear bytes (%.20q...) allocate %v times", len(text), text, n)
		}
	}
}
