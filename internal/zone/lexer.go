// The lexer: a zone file cut into logical lines (parentheses joined,
// comments removed, newlines inside parentheses kept) and tokens.

package zone

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
)

type source struct {
	r      *bufio.Reader
	c      io.Closer
	file   string
	line   int    // line of the next byte
	origin string // origin to restore when this source ends
	rel    string // and the relative $ORIGIN then in effect (feeder.rel)
	eof    bool
	// include is the $INCLUDE line that opened the source; untested: its
	// first record line has not been seen yet (see feeder.notZone).
	include  Pos
	untested bool
	// info is the file read as it was opened (nil: not known), to tell
	// an $INCLUDE of it again (feeder.reading).
	info os.FileInfo
}

func countNL(b []byte) int {
	n := 0
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	return n
}

func isTypeLike(t string) bool {
	if t == "" || !(t[0] >= 'A' && t[0] <= 'Z' || t[0] >= 'a' && t[0] <= 'z') {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i] | 0x20
		if !(c >= 'a' && c <= 'z' || isDigit(t[i]) || t[i] == '-') {
			return false
		}
	}
	return true
}

// nextTok finds the token at or after i in a logical line: blanks and
// parentheses separate, a quoted string is one token. s == e at the end.
func nextTok(l []byte, i int) (s, e int) {
	for i < len(l) {
		c := l[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '(' || c == ')' || c == '\r' {
			i++
			continue
		}
		break
	}
	if i >= len(l) {
		return i, i
	}
	s = i
	if l[i] == '"' {
		j := i + 1
		for j < len(l) && l[j] != '"' {
			if l[j] == '\\' {
				j++
			}
			j++
		}
		return s, min(j+1, len(l))
	}
	j := i
	for j < len(l) {
		d := l[j]
		if d == '\\' {
			j += 2
			continue
		}
		if d == ' ' || d == '\t' || d == '\n' || d == '(' || d == ')' || d == '\r' || d == '"' {
			break
		}
		j++
	}
	return s, min(j, len(l))
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

func isClassTok(t []byte) bool {
	switch {
	case asciiEqualFold(t, "IN"), asciiEqualFold(t, "CH"), asciiEqualFold(t, "CS"), asciiEqualFold(t, "HS"),
		asciiEqualFold(t, "NONE"), asciiEqualFold(t, "ANY"):
		return true
	case len(t) > 5 && asciiEqualFold(t[:5], "CLASS") && isDigit(t[5]):
		return true
	}
	return false
}

// skipBOM reports (as an error) and skips a UTF-8 byte order mark at the
// start of a file: an editor's addition that BIND rejects too (it takes it
// for part of the first name). The rest of the file is still checked.
func (f *feeder) skipBOM(src *source) {
	if b, _ := src.r.Peek(3); string(b) == "\xef\xbb\xbf" {
		src.r.Discard(3)
		f.early = append(f.early, Problem{Pos{src.file, 1}, Error, "the file starts with a UTF-8 byte order mark (BIND rejects it too): save it without one"})
	}
}

// bareCRMessage is the problem of a CR that no LF follows.
const bareCRMessage = "a carriage return (CR) without a line feed (LF) after it: BIND takes it for a line end (inside quotes, for an octet of the string), Knot refuses the file; save the file with LF or CRLF line ends (write \\013 for a CR inside a string)"

// readLogical reads one logical line (parentheses joined, comments removed;
// newlines inside parentheses kept) ending in '\n', and the line it starts
// on. ok=false at EOF with nothing read. A broken line (a newline inside a
// quoted string, a ')' without its '(') is reported and skipped, and
// reading goes on with the next line, as named-checkzone does.
func (f *feeder) readLogical(src *source) (_ []byte, start int, ok bool) {
	if src.eof {
		return nil, src.line, false
	}
	out := f.line[:0]
	var (
		inQuote, esc, comment bool
		depth                 int
		any                   bool
		skip                  bool // the rest of a broken physical line
		drop                  bool // a broken logical line, read to its end and dropped
		cr                    bool // the last chunk ended in CRs: an LF must come next
	)
	start = src.line
	restart := func() {
		out = out[:0]
		inQuote, esc, comment, skip, drop, depth = false, false, false, false, false, 0
		start = src.line
	}
	for {
		chunk, err := src.r.ReadSlice('\n')
		if len(chunk) > 0 {
			any = true
		}
		if cr {
			// The CRs that ended the last chunk: a line end if an LF
			// follows the CRs this chunk begins with.
			var bare bool
			cr, bare = f.crs(src, chunk, 0, err, skip || comment)
			skip = skip || bare
		}
		// Fast path: a plainLine outside any parentheses.
		if !inQuote && !comment && !esc && !skip && !drop && depth == 0 && plainLine(chunk) {
			src.line++
			out = append(out, chunk...)
			f.line = out
			return out, start, true
		}
		for k, c := range chunk {
			if c == '\n' {
				src.line++
				comment = false
				escaped := esc
				esc = false
				if inQuote && escaped {
					// An escaped newline is an octet of the string (BIND:
					// "a\010b"; miekg/dns reads it so too).
					out = append(out, '\n')
					continue
				}
				if inQuote {
					// BIND does not allow a newline in a quoted string.
					f.fail(Pos{src.file, src.line - 1}, "unterminated quoted string (a quoted string cannot hold a newline)")
					restart()
					continue
				}
				if skip {
					restart()
					continue
				}
				if depth > 0 {
					out, drop = f.parenLineEnd(src, out, escaped, drop)
					continue
				}
				if drop {
					restart()
					continue
				}
				out = append(out, '\n')
				f.line = out
				return out, start, true // '\n' ends the chunk
			}
			if comment || skip {
				continue
			}
			if esc {
				esc = false
				out = append(out, c)
				continue
			}
			switch c {
			case '\\':
				esc = true
			case '"':
				inQuote = !inQuote
			case ';':
				if !inQuote {
					comment = true
					continue
				}
			case '(':
				if !inQuote {
					depth++
				}
			case ')':
				if !inQuote {
					depth--
					if depth < 0 {
						f.fail(Pos{src.file, src.line}, "unbalanced parentheses: ')' without '('")
						skip = true
						continue
					}
				}
			case '\r':
				var bare bool
				cr, bare = f.crs(src, chunk, k+1, err, false)
				skip = skip || bare
				continue // a CRLF line end
			}
			out = append(out, c)
		}
		if err != nil && err != bufio.ErrBufferFull {
			return f.endOfInput(src, err, out, start, !any || skip || drop, inQuote, depth)
		}
	}
}

// parenLineEnd is readLogical's line end inside parentheses (outside
// quotes), the line before it in out: a blank then the newline, because
// miekg/dns joins a line's last token to the next line's first when that
// starts the line (TXT ( a NEWLINE b ) read as "ab"; BIND: "a" "b"); put
// before the newline, the blank moves no column. A backslash that
// escaped the line end (escaped) is refused, as BIND refuses it (syntax
// error; miekg/dns would join the two lines' tokens): the logical line
// is dropped (drop) once read to its end.
func (f *feeder) parenLineEnd(src *source, out []byte, escaped, drop bool) ([]byte, bool) {
	if escaped && !drop {
		f.fail(Pos{src.file, src.line - 1}, "a backslash ends the line inside parentheses, outside quotes: it escapes the line end, which BIND refuses (syntax error); remove it, or write the text in quotes")
		drop = true
	}
	return append(out, ' ', '\n'), drop
}

// crs judges the CRs at chunk[i:] (crEnd) for readLogical: bare, a CR
// without an LF after it (unless quiet: a line already skipped, or in a
// comment), is reported, and the caller skips the rest of its line: BIND
// ends the line there (and keeps it as an octet inside quotes), Knot
// refuses the file, and dropping it would join two records into one.
// pending: the CRs run to the end of a chunk the read buffer cut.
func (f *feeder) crs(src *source, chunk []byte, i int, err error, quiet bool) (pending, bare bool) {
	bare, pending = crEnd(chunk, i, err)
	if !bare || quiet {
		return pending, false
	}
	f.fail(Pos{src.file, src.line}, bareCRMessage)
	return pending, true
}

// endOfInput ends readLogical at the end of src's input (err io.EOF) or
// at a read error (reported, the rest of the file unknown); nothing is
// the logical line being empty or dropped.
func (f *feeder) endOfInput(src *source, err error, out []byte, start int, nothing, inQuote bool, depth int) ([]byte, int, bool) {
	src.eof = true
	if err != io.EOF {
		f.stop(Pos{src.file, src.line}, fmt.Sprintf("read: %v", err))
		return nil, start, false
	}
	if nothing {
		return nil, start, false
	}
	return f.lastLogical(src, out, start, inQuote, depth)
}

// plainLine reports whether chunk is a whole line (its '\n' included)
// with no quote, parenthesis, comment, escape or CR: readLogical's fast
// path takes it as it is.
func plainLine(chunk []byte) bool {
	return len(chunk) > 0 && chunk[len(chunk)-1] == '\n' && !bytes.ContainsAny(chunk, "\"();\\\r")
}

// lastLogical ends the logical line out (begun on line start) that the
// end of src's input cut without a '\n': reported and dropped when a
// quoted string or a parenthesis is still open, else ended as a line.
func (f *feeder) lastLogical(src *source, out []byte, start int, inQuote bool, depth int) ([]byte, int, bool) {
	if inQuote {
		f.fail(Pos{src.file, start}, "unterminated quoted string")
		return nil, start, false
	}
	if depth > 0 {
		f.fail(Pos{src.file, start}, "unbalanced parentheses: '(' not closed by the end of the file")
		return nil, start, false
	}
	out = append(out, '\n')
	f.line = out
	return out, start, true
}

// crEnd judges the CRs before chunk[i:] (a CR, then any more CRs from i):
// a CRLF (or CRCRLF) line end when an LF follows them, bare when another
// octet does, and pending when they run to the end of a chunk the read
// buffer cut (err bufio.ErrBufferFull: the next chunk says). At the end of
// the input they end the line.
func crEnd(chunk []byte, i int, err error) (bare, pending bool) {
	for i < len(chunk) && chunk[i] == '\r' {
		i++
	}
	if i == len(chunk) {
		return false, err == bufio.ErrBufferFull
	}
	return chunk[i] != '\n', false
}

// fields splits a logical line into tokens: blanks and parentheses separate,
// quoted strings are one token (quotes kept), escapes kept.
func fields(l []byte) []string {
	var out []string
	for i := 0; ; {
		s, e := nextTok(l, i)
		if s == e {
			return out
		}
		out = append(out, string(l[s:e]))
		i = e
	}
}

// octets is the length in octets of a presentation-format string.
func octets(s []byte) int {
	s = unquote(s)
	n := 0
	for i := 0; i < len(s); n++ {
		if s[i] != '\\' { // the common byte, read here (OctetAt is not inlined)
			i++
			continue
		}
		_, w := OctetAt(s, i)
		i += w
	}
	return n
}

func unquote[T ~string | ~[]byte](s T) T {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
