// Package runemap is a writer that maps text rune by rune on its way:
// the writers that keep what a terminal or a GitHub runner would act on
// out of the text they pass (progress.Printable, github.Guard) share it,
// so that a character split between two writes is mapped whole, once.
package runemap

import (
	"io"
	"sync"
	"unicode/utf8"
)

// Func appends to out what one character becomes: r is the character
// (utf8.RuneError for a byte that starts none) and raw its bytes as
// written.
type Func func(out []byte, r rune, raw []byte) []byte

// Writer writes to W what F makes of each character written. The start
// of a character split between two writes is held until its rest comes.
// It is safe for use by several goroutines.
type Writer struct {
	W io.Writer
	F Func

	mu      sync.Mutex
	pending []byte // the start of a character split between writes
}

// Write maps p and writes the result; it returns len(p) once that is
// written (held bytes count as written).
func (m *Writer) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data := p
	if len(m.pending) > 0 {
		data = append(m.pending, p...)
		m.pending = nil
	}
	out := make([]byte, 0, len(data))
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 && !utf8.FullRune(data) {
			m.pending = append([]byte(nil), data...) // wait for the rest
			break
		}
		out = m.F(out, r, data[:size])
		data = data[size:]
	}
	if _, err := m.W.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
