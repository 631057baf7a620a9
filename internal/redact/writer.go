package redact

import (
	"bytes"
	"io"
	"sync"
	"unicode/utf8"
)

// Writer replaces the secrets of a set in a stream, a line at a time (a
// line ends at \n or \r), so that a secret split between two writes is
// still found whole. Each batch of lines is read after the last line
// written before it (Secrets.ReplaceAfter): a secret split across two
// lines written apart has no piece of MinSplit characters left on either
// side. Flush writes what is left of the last line.
type Writer struct {
	s   *Secrets
	w   io.Writer
	mu  sync.Mutex
	buf []byte
	// prev is the end of the last line written (as it was given, at
	// most maxPrev bytes).
	prev string
}

// maxPrev bounds the end of the last line a Writer keeps to read the
// next one after: longer than any secret's form, escaped.
const maxPrev = 4096

// NewWriter makes a Writer of the secrets in s to w.
func NewWriter(s *Secrets, w io.Writer) *Writer { return &Writer{s: s, w: w} }

// Write buffers p and writes every complete line, secrets replaced.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	end := bytes.LastIndexAny(w.buf, "\n\r")
	if end < 0 {
		return len(p), nil
	}
	out := w.replace(w.buf[:end+1])
	w.buf = append(w.buf[:0], w.buf[end+1:]...)
	if _, err := w.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes the rest of the last line.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) == 0 {
		return nil
	}
	out := w.replace(w.buf)
	w.buf = w.buf[:0]
	_, err := w.w.Write(out)
	return err
}

// replace is the lines b with the secrets replaced, read after the last
// line written (ReplaceAfter); a JSON text's strings only (ReplaceBytes).
func (w *Writer) replace(b []byte) []byte {
	if isJSON(b) {
		w.prev = ""
		return w.s.ReplaceBytes(b)
	}
	out := w.s.ReplaceAfter(w.prev, string(b))
	last := bytes.TrimRight(b, "\r\n")
	if i := bytes.LastIndexAny(last, "\r\n"); i >= 0 {
		last = last[i+1:]
	}
	if len(last) > maxPrev {
		last = last[len(last)-maxPrev:]
		for len(last) > 0 && !utf8.RuneStart(last[0]) {
			last = last[1:]
		}
	}
	w.prev = string(last)
	return []byte(out)
}
