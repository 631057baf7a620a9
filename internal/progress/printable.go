package progress

import (
	"fmt"
	"io"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Printable is w for text a terminal shows (a command's stdout, the plain
// lines of its stderr: Console): every control character written but the
// line feed and the tab (ESC and so every sequence it starts, BEL, a
// carriage return, a backspace, DEL, the C1 controls, U+009B among them,
// a terminal's CSI) is written as its \u escape (\u001b). A server's text
// a command quotes (a provider's error message) then cannot move the
// cursor, write over a line, hide or colour text, set the window's title
// or the clipboard (OSC 52): the reader sees what was sent. In a JSON
// string \u001b is the same character, so a JSON report stays the same
// JSON (encoding/json escapes C0 controls, not DEL or C1). Only the
// progress line (Line) writes a terminal's controls, below Printable.
func Printable(w io.Writer) io.Writer { return &printable{w: w} }

type printable struct {
	mu sync.Mutex
	w  io.Writer
	// pending is the start of a character split between writes.
	pending []byte
}

func (p *printable) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	data := b
	if len(p.pending) > 0 {
		data = append(p.pending, b...)
		p.pending = nil
	}
	out := make([]byte, 0, len(data))
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 && !utf8.FullRune(data) {
			p.pending = append([]byte(nil), data...) // wait for the rest
			break
		}
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, data[:size]...)
		}
		data = data[size:]
	}
	if _, err := p.w.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}
