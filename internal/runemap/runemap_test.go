package runemap

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"unicode/utf8"
)

// show maps each character to its code point in brackets, an invalid
// byte to its hex: what reached F, and in which pieces, is then visible.
func show(out []byte, r rune, raw []byte) []byte {
	if r == utf8.RuneError && len(raw) == 1 {
		return fmt.Appendf(out, "[bad %02x]", raw[0])
	}
	return fmt.Appendf(out, "[%U]", r)
}

// TestSplitWrites: text written in two pieces, cut at every byte, maps
// as it does written whole: a character split between writes reaches F
// whole, once; an invalid byte reaches F alone as utf8.RuneError with
// its byte; a character cut off at the end of the last write is held.
func TestSplitWrites(t *testing.T) {
	for _, text := range []string{
		"a\x1b[2Jé€𝄞\n",
		"\xff\xe2\x82x",       // an invalid byte, then a character cut short by 'x'
		"::add-mask::ü\u200b", // multi-byte at the end
	} {
		var whole bytes.Buffer
		if _, err := (&Writer{W: &whole, F: show}).Write([]byte(text)); err != nil {
			t.Fatal(err)
		}
		for cut := 0; cut <= len(text); cut++ {
			var got bytes.Buffer
			w := &Writer{W: &got, F: show}
			for _, piece := range []string{text[:cut], text[cut:]} {
				if n, err := w.Write([]byte(piece)); n != len(piece) || err != nil {
					t.Fatalf("%q cut at %d: Write(%q) = %d, %v", text, cut, piece, n, err)
				}
			}
			if got.String() != whole.String() {
				t.Errorf("%q cut at %d: %s, written whole %s", text, cut, got.String(), whole.String())
			}
		}
	}
	var held bytes.Buffer
	w := &Writer{W: &held, F: show}
	if n, err := w.Write([]byte("a\xe2\x82")); n != 3 || err != nil || held.String() != "[U+0061]" {
		t.Errorf("a character cut off at the end: %d, %v, %q; want it held", n, err, held.String())
	}
	if _, err := w.Write([]byte("\xac")); err != nil || held.String() != "[U+0061][U+20AC]" {
		t.Errorf("its rest: %q, %v", held.String(), err)
	}
}

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errors.New("closed") }

// TestWriteError: a failed write of the mapped text is Write's error,
// with nothing counted as written.
func TestWriteError(t *testing.T) {
	if n, err := (&Writer{W: failing{}, F: show}).Write([]byte("x")); n != 0 || err == nil {
		t.Errorf("Write = %d, %v; want 0 and the error", n, err)
	}
}
