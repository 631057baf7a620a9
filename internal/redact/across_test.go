package redact

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestAcrossReadsOnlyAroundHits: acrossStrings, which reads only the
// stretches of the joined values around the gate's hits (gate.spans,
// valueSpans), marks the same bytes as reading the whole joined text
// does (acrossIn over all of it), on random runs of values: secrets'
// pieces in several forms and escapes, split across values, between
// long plain values (names), long blanks and punctuation, tags, links'
// targets and terminal controls that readings take out. And on a large
// report of names with one secret split across two values, it reads a
// small part of the text and still masks the secret's pieces.
func TestAcrossReadsOnlyAroundHits(t *testing.T) {
	var set Secrets
	for _, v := range []string{"tok-9f2KqLm3Vx7pRt8sZw4", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "AKIAIOSFODNN7EXAMPLE"} {
		set.Add(v)
	}
	m, decoded := set.finders()
	pieces := append(chunkPieces(set.Values()),
		"<span class=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">", "</span>",
		"](https://example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)",
		"\x1b]8;;https://example.com/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\x1b\\", "\x1b[31m",
		"<!-- cccccccccccccccccccccccccccccccccccccccccccccccccccccccccc -->",
		strings.Repeat(" ", 300), strings.Repeat(".-", 200), "&amp;amp;#x74;",
		// A tag's, a link's and a control's parts as values of their own.
		"<span title=\"", strings.Repeat("d", 100), "\">", "](", "https://example.com/", ")", "\x1b]8;;", "\x1b\\", `\u0026#x74;`, "=3D74")
	for i := range 30 {
		pieces = append(pieces, fmt.Sprintf("h%d.bench.test.", i*97), fmt.Sprintf("mx%d.mail.example.", i), "192.0.2.1")
	}
	full := func(strs []jsonStr) map[int][]bool {
		var joined strings.Builder
		var idx, starts []int
		for n, s := range strs {
			idx = append(idx, n)
			starts = append(starts, joined.Len())
			joined.WriteString(s.v)
		}
		out := map[int][]bool{}
		if len(idx) >= 2 {
			acrossIn(joined.String(), [2]int{0, joined.Len()}, strs, idx, starts, m, decoded, out)
		}
		return out
	}
	// A secret's pieces around what a reading takes out, long and
	// spread over values: a tag, a link's target, a terminal's link.
	d := strings.Repeat("d", 50)
	cases := [][]string{
		{"h1.bench.test.", "tok-9f2", "<span title=\"", d, d, "\">", "KqLm3Vx7pRt8sZw4", "h2.bench.test."},
		{"h1.bench.test.", "[tok-9f2", "](https://example.com/", d, d, ")", "KqLm3Vx7pRt8sZw4", "h2.bench.test."},
		{"h1.bench.test.", "tok-9f2", "\x1b]8;;https://example.com/", d, d, "\x1b\\", "KqLm3Vx7pRt8sZw4"},
		{"tok-9f2", strings.Repeat(" ", 500), "KqLm3Vx7pRt8sZw4"},
	}
	r := rand.New(rand.NewPCG(5, 6))
	found := 0
	for k := 0; k < 3000+len(cases); k++ {
		var strs []jsonStr
		if k < len(cases) {
			for _, v := range cases[k] {
				strs = append(strs, jsonStr{v: v})
			}
		} else {
			strs = make([]jsonStr, 2+r.IntN(40))
			for i := range strs {
				for n := r.IntN(3); n >= 0; n-- {
					strs[i].v += pieces[r.IntN(len(pieces))]
				}
			}
		}
		want, got := full(strs), acrossStrings(strs, m, decoded)
		if got == nil {
			got = map[int][]bool{}
		}
		if len(want) > 0 {
			found++
		} else if k < len(cases) {
			t.Errorf("values %q: no secret read across them", cases[k])
		}
		if !maps.EqualFunc(want, got, slices.Equal[[]bool]) {
			vs := make([]string, len(strs))
			for i, s := range strs {
				vs[i] = s.v
			}
			t.Fatalf("values %q: read around hits %v, read whole %v", vs, got, want)
		}
	}
	if found < 50 {
		t.Errorf("a secret across values in %d of 3000 runs", found)
	}

	// A large report: names, one secret split across two of them.
	var strs []jsonStr
	for i := range 5000 {
		strs = append(strs, jsonStr{v: fmt.Sprintf("h%d.bench.test.", i)})
	}
	strs[2500].v, strs[2501].v = "tok-9f2KqL", "m3Vx7pRt8sZw4"
	var joined strings.Builder
	var starts []int
	for _, s := range strs {
		starts = append(starts, joined.Len())
		joined.WriteString(s.v)
	}
	read := 0
	for _, w := range valueSpans(m.gate.spans(joined.String()), starts, joined.Len()) {
		read += w[1] - w[0]
	}
	if read*10 > joined.Len() {
		t.Errorf("acrossStrings reads %d of the %d bytes of a report holding one secret", read, joined.Len())
	}
	got := acrossStrings(strs, m, decoded)
	if !slices.Contains(got[2500], true) || !slices.Contains(got[2501], true) {
		t.Errorf("the secret split across two values is not masked: %v %v", got[2500], got[2501])
	}
}

// TestAcrossStringsSizedOnce: acrossStrings of a group of many values
// the gate clears (read one after another) allocates its buffers once,
// sized for the group, and makes no string of the joined text (only of
// the stretches it reads):
// grown value by value, and copied whole into a string, a report's own
// strings (one group of all of them) cost Plain their size several
// times over (bench/plain).
func TestAcrossStringsSizedOnce(t *testing.T) {
	var set Secrets
	set.Add("tok-9f2KqLm3Vx7pRt8sZw4")
	m, decoded := set.finders()
	// No letter or digit: runs across values of a report's names meet
	// the runs of the secret's many forms, and are read.
	strs := make([]jsonStr, 5000)
	for i := range strs {
		strs[i].v = strings.Repeat("-", 1+i%7) + ". "
	}
	if n := testing.AllocsPerRun(3, func() {
		var s acrossScratch
		if got := s.acrossStrings(strs, nil, m, decoded); got != nil {
			t.Fatalf("masked %v", got)
		}
	}); n > 3 {
		t.Errorf("acrossStrings of %d values allocated %v times, want at most 3 (its buffers, once each)", len(strs), n)
	}
}
