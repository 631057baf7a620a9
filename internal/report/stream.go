package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// ParityStream writes parity reports as the runs finish, without holding
// them: one report as an object, several as an array written element by
// element (the bytes an indenting encoder writes for them all at once;
// WriteParityJSON writes through it).
type ParityStream struct {
	w    io.Writer
	many bool
	n    int
	err  error
}

// NewParityStream starts a stream; many says whether it holds an array
// (more than one zone asked) or one object.
func NewParityStream(w io.Writer, many bool) *ParityStream {
	return &ParityStream{w: w, many: many}
}

// Add writes one report.
func (s *ParityStream) Add(r *parity.Report) error {
	if s.err != nil {
		return s.err
	}
	if !s.many {
		s.n++
		s.err = writeParityReport(s.w, r)
		return s.err
	}
	sep := ",\n  "
	if s.n == 0 {
		sep = "[\n  "
	}
	s.n++
	if _, s.err = io.WriteString(s.w, sep); s.err != nil {
		return s.err
	}
	// The element, indented by two: every newline but its last is
	// followed by the indent.
	iw := &indentWriter{w: s.w}
	if s.err = writeParityReport(iw, r); s.err == nil {
		s.err = iw.err
	}
	return s.err
}

// Close ends the stream ("[]" when nothing was added to an array).
func (s *ParityStream) Close() error {
	if s.err != nil {
		return s.err
	}
	switch {
	case s.n == 0:
		_, s.err = io.WriteString(s.w, "[]\n")
	case s.many:
		_, s.err = io.WriteString(s.w, "\n]\n")
	}
	return s.err
}

// indentWriter writes what it is given with "  " after every newline but
// a final one, which it drops (the caller goes on with ",\n  " or "\n]").
type indentWriter struct {
	w       io.Writer
	pending bool // a newline held back
	err     error
}

func (iw *indentWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && iw.err == nil {
		if iw.pending {
			_, iw.err = io.WriteString(iw.w, "\n  ")
			iw.pending = false
			continue
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			_, iw.err = iw.w.Write(p)
			break
		}
		if i > 0 {
			if _, iw.err = iw.w.Write(p[:i]); iw.err != nil {
				break
			}
		}
		iw.pending = true
		p = p[i+1:]
	}
	return n, iw.err
}

// errNoArrayKey: the shell's JSON does not hold the array key at the top
// level (nothing was written).
var errNoArrayKey = errors.New("no array key")

// writeArrayStreamed writes the indented JSON of shell, whose top-level
// key holds an empty array, with the n elements elem(i) in that array,
// each encoded on its own, then extra (more top-level keys: the inner
// lines of an indented object; nil: none) before the closing brace: the
// bytes an indenting encoder writes for the whole, which is never held
// (a report of a hundred thousand findings or ten thousand plans would
// double the peak memory as one buffer).
func writeArrayStreamed(w io.Writer, shell any, key string, n int, elem func(i int) any, escapeHTML bool, extra []byte) error {
	var hb bytes.Buffer
	enc := json.NewEncoder(&hb)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(shell); err != nil {
		return err
	}
	h := hb.Bytes()
	mark := []byte(fmt.Sprintf("\n  %q: []", key))
	i := bytes.Index(h, mark)
	if i < 0 {
		return errNoArrayKey
	}
	bw := bufio.NewWriter(w)
	bw.Write(h[:i+len(mark)-1]) // up to the array's '['
	var eb bytes.Buffer
	eenc := json.NewEncoder(&eb)
	eenc.SetIndent("    ", "  ")
	eenc.SetEscapeHTML(escapeHTML)
	for k := 0; k < n; k++ {
		eb.Reset()
		if err := eenc.Encode(elem(k)); err != nil {
			return err
		}
		if k > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimSuffix(eb.Bytes(), []byte("\n")))
	}
	if n > 0 {
		bw.WriteString("\n  ]")
	} else {
		bw.WriteString("]")
	}
	if len(extra) > 0 {
		bw.WriteString(",\n  ")
		bw.Write(extra)
	}
	bw.Write(h[i+len(mark):]) // "\n}\n"
	return bw.Flush()
}

// BlockSize is how much of a report Blocks gathers before it writes.
const BlockSize = 64 << 10

// Blocks is w written in blocks of BlockSize bytes (Flush writes the
// rest): a report renderer writes a line at a time, and a step's
// redacting writer (redact.Writer) reads each write after the line
// before it, every line of a large plan twice (bench/plain: the second
// net took 2.8 times Plain's time). A block is whole lines and more: the
// writer reads it in one pass, after the line before it, as it reads a
// write of several lines.
func Blocks(w io.Writer) *bufio.Writer { return bufio.NewWriterSize(w, BlockSize) }
