package redact

import (
	"bytes"
	"io"
	"sync"
)

// Writer replaces the secrets of a set in a stream, a line at a time (a
// line ends at \n or \r), so that a secret split between two writes is
// still found whole. Flush writes what is left of the last line.
type Writer struct {
	s   *Secrets
	w   io.Writer
	mu  sync.Mutex
	buf []byte
}

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
	out := w.s.ReplaceBytes(w.buf[:end+1])
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
	out := w.s.ReplaceBytes(w.buf)
	w.buf = w.buf[:0]
	_, err := w.w.Write(out)
	return err
}
