package progress

import (
	"fmt"
	"io"
	"unicode"

	"github.com/dnsparity/dnsparity/internal/runemap"
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
func Printable(w io.Writer) io.Writer {
	return &runemap.Writer{W: w, F: func(out []byte, r rune, raw []byte) []byte {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return fmt.Appendf(out, `\u%04x`, r)
		}
		return append(out, raw...)
	}}
}
