package zone

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// Options for Load.
type Options struct {
	// Origin is used when the file has no $ORIGIN before its first record.
	// When empty the origin comes from the file name (example.com.zone).
	Origin string
	// Root is the directory $INCLUDE may read from (default: the git work
	// tree holding the file, else the file's directory). A path that leaves
	// it, directly or through a symlink, is an error.
	Root string
}

// ErrNoOrigin is returned when no origin can be found.
var ErrNoOrigin = errors.New("no origin: the file has no $ORIGIN, --origin was not given and the file name is not a domain")

// Load reads and parses a zone file. Problems in the file (syntax, TTLs,
// duplicates, ...) are in Zone.Problems; the error is for files that cannot
// be read at all.
func Load(path string, opt Options) (*Zone, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open zone: %w", err)
	}
	defer f.Close()
	root := opt.Root
	if root == "" {
		root = RepoRoot(filepath.Dir(path))
	}
	z, err := parse(f, path, root, opt.Origin)
	return z, err
}

// Parse reads a zone from r; file names it in problems. $INCLUDE is allowed
// below root only ("" disables $INCLUDE).
func Parse(r io.Reader, file, origin, root string) (*Zone, error) {
	return parse(r, file, root, origin)
}

// RepoRoot walks up from dir to the directory holding .git; dir itself when
// there is none.
func RepoRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		p := filepath.Dir(d)
		if p == d {
			return abs
		}
		d = p
	}
}

// OriginFromFileName guesses the origin from a file name: example.com.zone,
// example.com.db, db.example.com, example.com → example.com.
func OriginFromFileName(path string) string {
	b := filepath.Base(path)
	for _, suf := range []string{".zone", ".db", ".dns", ".txt", ".hosts"} {
		if strings.HasSuffix(strings.ToLower(b), suf) && len(b) > len(suf) {
			b = b[:len(b)-len(suf)]
			break
		}
	}
	b = strings.TrimPrefix(b, "db.")
	b = strings.TrimSuffix(b, ".")
	if b == "" || !strings.Contains(b, ".") { // a name with one label is a guess too far
		return ""
	}
	if _, ok := dns.IsDomainName(b); !ok {
		return ""
	}
	return CanonicalName(b)
}

var parseErrRE = regexp.MustCompile(`^dns: (.*?): ("(?:[^"\\]|\\.)*") at line: (\d+):(\d+)$`)

func parse(r io.Reader, file, root, origin string) (*Zone, error) {
	fd := newFeeder(r, file, root)
	// Find the origin: $ORIGIN before the first record wins.
	first, err := fd.peekOrigin()
	if err != nil {
		return nil, err
	}
	switch {
	case first != "":
		origin = first
	case origin != "":
	default:
		origin = OriginFromFileName(file)
	}
	if origin == "" {
		return nil, fmt.Errorf("%s: %w", file, ErrNoOrigin)
	}
	if _, ok := dns.IsDomainName(origin); !ok {
		return nil, fmt.Errorf("%s: bad origin %q", file, origin)
	}
	origin = CanonicalName(origin)
	fd.origin = origin

	z := New(origin)
	z.File = file
	if f, ok := r.(*os.File); ok {
		// Size the index for the file (about 40 octets a record) rather
		// than growing it step by step.
		if st, err := f.Stat(); err == nil && st.Size() > 1<<20 {
			hint := int(min(st.Size()/40, 1<<26))
			z.idx.reserve(hint)
			z.Sets = make([]*RRSet, 0, hint)
		}
	}
	loadPipelined(z, fd)
	z.Problems = append(z.Problems, fd.early...)
	fd.close()
	z.Sort()
	return z, nil
}

// isEmptyRdata catches records miekg/dns accepts with no RDATA (a last line
// "www A" at the end of a file).
func isEmptyRdata(rr dns.RR) bool {
	switch r := rr.(type) {
	case *dns.RFC3597:
		return false
	case *dns.A:
		return r.A == nil
	case *dns.AAAA:
		return r.AAAA == nil
	case *dns.TXT:
		return len(r.Txt) == 0
	case *dns.SPF:
		return len(r.Txt) == 0
	case *dns.MX:
		return r.Mx == ""
	case *dns.CNAME:
		return r.Target == ""
	case *dns.NS:
		return r.Ns == ""
	case *dns.PTR:
		return r.Ptr == ""
	case *dns.SRV:
		return r.Target == ""
	}
	h := rr.Header()
	full := rr.String()
	return strings.TrimSpace(full) == strings.TrimSpace(h.String())
}

// ---------------------------------------------------------------------------
// The feeder cuts the file into logical lines (parentheses joined, comments
// removed) and handles the directives itself, so that every record gets its
// file and line, and so that $INCLUDE, $GENERATE and default TTLs work the
// way BIND does. produce (pipeline.go) hands the record lines to miekg/dns.

type meta struct {
	file       string
	line       int
	hasTTL     bool
	ttl        uint32
	hasDefault bool
	defTTL     uint32
	problems   []Problem
	skip       bool // a problem was found in the text: do not add the record
	genericLen int  // RFC 3597 form: declared RDATA length + 1 (0: not that form)
	// noRdata: nothing follows the type (miekg/dns then gives a record of
	// zero values, as for an RFC 2136 delete, which packs to garbage).
	noRdata bool
}

type source struct {
	r      *bufio.Reader
	c      io.Closer
	file   string
	line   int    // line of the next byte
	origin string // origin to restore when this source ends
	eof    bool
}

type feeder struct {
	stack  []*source
	root   string
	origin string

	cur []byte // the current logical line (or "$ORIGIN ..." line)

	gen *generator

	queue []meta
	qhead int

	defSet bool
	defTTL uint32

	// afterOrigin: an $ORIGIN directive came after the last record
	// (produce warns when the next record inherits its owner).
	afterOrigin bool
	// early holds problems found outside the record stream (a byte order
	// mark).
	early []Problem

	lastPos   Pos
	err       error
	errPos    Pos
	peeked    [][]byte
	peekLines []int
	line      []byte // scratch
}

func newFeeder(r io.Reader, file, root string) *feeder {
	// The top-level reader belongs to the caller: c stays nil.
	return &feeder{
		stack: []*source{{r: bufio.NewReaderSize(r, 64*1024), file: file, line: 1}},
		root:  root,
	}
}

func (f *feeder) close() {
	for _, s := range f.stack {
		if s.c != nil {
			s.c.Close()
		}
	}
	f.stack = nil
}

// peekOrigin reads logical lines up to the first record and returns the
// $ORIGIN found before it, if any (the lines are fed later as usual).
func (f *feeder) peekOrigin() (string, error) {
	src := f.stack[0]
	f.skipBOM(src)
	for {
		start := src.line
		l, ok := f.readLogical(src)
		if !ok {
			return "", nil
		}
		f.peeked = append(f.peeked, append([]byte(nil), l...))
		f.peekLines = append(f.peekLines, start)
		toks := fields(l)
		if len(toks) == 0 {
			continue
		}
		if strings.EqualFold(toks[0], "$ORIGIN") && len(toks) > 1 {
			o := toks[1]
			if strings.HasSuffix(o, ".") && !strings.HasSuffix(o, "\\.") {
				return o, nil
			}
			return "", nil
		}
		if strings.HasPrefix(toks[0], "$") && !strings.EqualFold(toks[0], "$GENERATE") && !strings.EqualFold(toks[0], "$INCLUDE") {
			continue
		}
		return "", nil
	}
}

func (f *feeder) pop() meta {
	if f.qhead >= len(f.queue) {
		return meta{file: f.lastPos.File, line: f.lastPos.Line}
	}
	m := f.queue[f.qhead]
	f.queue[f.qhead] = meta{}
	f.qhead++
	if f.qhead == len(f.queue) {
		f.queue, f.qhead = f.queue[:0], 0
	}
	return m
}

// feed sets the next bytes to hand out; text ends in a newline.
func (f *feeder) feed(text []byte, file string, line int) {
	f.cur = text
	f.lastPos = Pos{file, line}
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

// next loads the next logical line; false at the end or on error.
func (f *feeder) next() bool {
	if f.err != nil {
		return false
	}
	if f.gen != nil {
		if text, ok := f.gen.next(); ok {
			text = f.pushMeta(text, f.gen.pos.File, f.gen.pos.Line)
			f.feed(text, f.gen.pos.File, f.gen.pos.Line)
			return true
		}
		if f.gen.err != "" {
			f.fail(f.gen.pos, f.gen.err)
			return false
		}
		f.gen = nil
	}
	for len(f.stack) > 0 {
		src := f.stack[len(f.stack)-1]
		var (
			l     []byte
			start int
			ok    bool
		)
		if len(f.stack) == 1 && len(f.peeked) > 0 {
			l, start, ok = f.peeked[0], f.peekLines[0], true
			f.peeked, f.peekLines = f.peeked[1:], f.peekLines[1:]
		} else {
			start = src.line
			l, ok = f.readLogical(src)
		}
		if !ok {
			if f.err != nil {
				return false
			}
			// End of an included file: restore the origin.
			f.stack = f.stack[:len(f.stack)-1]
			if src.c != nil {
				src.c.Close()
			}
			if len(f.stack) > 0 {
				f.origin = src.origin
				f.feed([]byte("$ORIGIN "+src.origin+"\n"), src.file, src.line)
				return true
			}
			return false
		}
		if len(strings.TrimSpace(string(l))) == 0 {
			continue
		}
		if l[0] == '$' {
			if done, ok := f.directive(l, src, start); done {
				return ok
			}
			continue
		}
		l = f.pushMeta(l, src.file, start)
		f.feed(l, src.file, start)
		return true
	}
	return false
}

// directive handles a $ line. done=true means the caller returns ok.
func (f *feeder) directive(l []byte, src *source, start int) (done, ok bool) {
	toks := fields(l)
	pos := Pos{src.file, start}
	switch strings.ToUpper(toks[0]) {
	case "$TTL":
		if len(toks) < 2 {
			f.fail(pos, "$TTL with no value")
			return true, false
		}
		ttl, ok := ParseTTL(toks[1])
		if !ok {
			f.fail(pos, fmt.Sprintf("bad $TTL value %q", toks[1]))
			return true, false
		}
		f.defSet, f.defTTL = true, ttl
		return false, false // not fed; miekg need not know
	case "$ORIGIN":
		if len(toks) < 2 {
			f.fail(pos, "$ORIGIN with no name")
			return true, false
		}
		name, okn := absName(toks[1], f.origin)
		if !okn {
			f.fail(pos, fmt.Sprintf("bad $ORIGIN name %q", toks[1]))
			return true, false
		}
		f.origin = name
		f.afterOrigin = true
		f.feed([]byte("$ORIGIN "+name+"\n"), src.file, start)
		return true, true
	case "$INCLUDE":
		if len(toks) < 2 {
			f.fail(pos, "$INCLUDE with no file name")
			return true, false
		}
		neworigin := f.origin
		if len(toks) > 2 {
			name, okn := absName(toks[2], f.origin)
			if !okn {
				f.fail(pos, fmt.Sprintf("bad $INCLUDE origin %q", toks[2]))
				return true, false
			}
			neworigin = name
		}
		if len(f.stack) >= 8 {
			f.fail(pos, "$INCLUDE nested too deeply")
			return true, false
		}
		path, err := f.resolveInclude(src.file, unquote(toks[1]))
		if err != nil {
			f.fail(pos, err.Error())
			return true, false
		}
		fh, err := os.Open(path)
		if err != nil {
			f.fail(pos, fmt.Sprintf("$INCLUDE %s: %v", toks[1], err))
			return true, false
		}
		inc := &source{r: bufio.NewReaderSize(fh, 64*1024), c: fh, file: path, line: 1, origin: f.origin}
		f.stack = append(f.stack, inc)
		f.skipBOM(inc)
		f.origin = neworigin
		f.feed([]byte("$ORIGIN "+neworigin+"\n"), src.file, start)
		return true, true
	case "$GENERATE":
		g, err := newGenerator(toks[1:], pos)
		if err != nil {
			f.fail(pos, err.Error())
			return true, false
		}
		f.gen = g
		return true, f.next()
	default:
		f.fail(pos, fmt.Sprintf("unknown directive %s", toks[0]))
		return true, false
	}
}

func (f *feeder) resolveInclude(from, name string) (string, error) {
	if f.root == "" {
		return "", fmt.Errorf("$INCLUDE %s: not allowed here", name)
	}
	root, err := filepath.EvalSymlinks(f.root)
	if err != nil {
		return "", fmt.Errorf("$INCLUDE %s: repository root: %w", name, err)
	}
	root, _ = filepath.Abs(root)
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(from), name)
		if _, err := os.Stat(p); err != nil {
			if alt := filepath.Join(f.root, name); fileExists(alt) {
				p = alt
			}
		}
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("$INCLUDE %s: %w", name, err)
	}
	if !within(root, abs) && !within(f.root, abs) {
		return "", fmt.Errorf("$INCLUDE %s: path leaves the repository (%s)", name, root)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("$INCLUDE %s: %v", name, unwrapPathErr(err))
	}
	if !within(root, real) {
		return "", fmt.Errorf("$INCLUDE %s: resolves (through a symlink) outside the repository", name)
	}
	if st, err := os.Stat(real); err != nil {
		return "", fmt.Errorf("$INCLUDE %s: %v", name, unwrapPathErr(err))
	} else if !st.Mode().IsRegular() {
		return "", fmt.Errorf("$INCLUDE %s: not a file", name)
	}
	return p, nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func (f *feeder) fail(pos Pos, msg string) {
	if f.err == nil {
		f.err = errors.New(msg)
		f.errPos = pos
	}
}

func (f *feeder) errProblem() Problem {
	return Problem{f.errPos, Error, f.err.Error()}
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

// pushMeta records the metadata of an RR line: its explicit TTL (the parser
// needs it for BIND's TTL rules) and checks on the raw text.
func (f *feeder) pushMeta(l []byte, file string, line int) []byte {
	m := meta{file: file, line: line, hasDefault: f.defSet, defTTL: f.defTTL}
	i := 0
	if !(l[0] == ' ' || l[0] == '\t') {
		_, i = nextTok(l, 0) // owner
	}
	var typ []byte
	typeAt := 0 // index of the type among the tokens (for nsapLine)
	if l[0] != ' ' && l[0] != '\t' {
		typeAt = 1
	}
	for n := 0; n < 3; n++ {
		s, e := nextTok(l, i)
		if s == e {
			break
		}
		t := l[s:e]
		i = e
		if isDigit(t[0]) {
			if ttl, ok := ParseTTL(string(t)); ok {
				m.hasTTL, m.ttl = true, ttl
				typeAt++
				continue
			}
		}
		if isClassTok(t) {
			typeAt++
			continue
		}
		typ = t
		break
	}
	if typ == nil {
		// An owner alone ("svCB" on the last line): BIND reads an owner
		// name without a type; miekg/dns may take the name for the type.
		m.problems = append(m.problems, Problem{Severity: Error, Message: "record without a type"})
		m.skip = true
	}
	if s, e := nextTok(l, i); typ != nil && s == e {
		m.noRdata = true
	} else if want := minRdataFields(typ); want > 0 && !(e-s == 2 && l[s] == '\\' && l[s+1] == '#') {
		// miekg/dns takes the missing fields of these types as zero or
		// empty; BIND says "unexpected end of input".
		n := 0
		for j := i; ; n++ {
			s, e := nextTok(l, j)
			if s == e {
				break
			}
			j = e
		}
		if n < want {
			m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf(
				"incomplete %s record: %d fields, %d needed", strings.ToUpper(string(typ)), n, want)})
			m.skip = true
		}
	} else if e-s == 2 && l[s] == '\\' && l[s+1] == '#' {
		// RFC 3597 form: remember the declared length (miekg/dns turns
		// "TYPE1 \# 5 c000020101" into an A record and drops the extra
		// octet; BIND rejects it).
		if s2, e2 := nextTok(l, e); s2 < e2 {
			if n, err := strconv.Atoi(string(l[s2:e2])); err == nil && n >= 0 {
				m.genericLen = n + 1
			}
		}
	}
	switch {
	case asciiEqualFold(typ, "TXT") || asciiEqualFold(typ, "SPF"):
		for {
			s, e := nextTok(l, i)
			if s == e {
				break
			}
			i = e
			if n := octets(string(l[s:e])); n > 255 {
				m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf(
					"TXT string of %d octets (over 255): BIND rejects it; Knot and PowerDNS split it and serve 255+%d; write it as several quoted strings", n, n-255)})
			}
		}
	case asciiEqualFold(typ, "NSAP"):
		// miekg/dns does not know NSAP (RFC 1706): hand it over in RFC 3597 form.
		l = f.nsapLine(l, fields(l), typeAt, &m)
	}
	f.queue = append(f.queue, m)
	return l
}

// minRdataFields is the number of RDATA fields of the types miekg/dns
// accepts with fields missing (0: not one of them).
func minRdataFields(typ []byte) int {
	for _, t := range []struct {
		name string
		n    int
	}{{"SOA", 7}, {"DS", 4}, {"CDS", 4}, {"DLV", 4}, {"TA", 4}, {"SSHFP", 3}, {"TLSA", 4}, {"SMIMEA", 4}, {"CERT", 4}, {"HINFO", 2}} {
		if asciiEqualFold(typ, t.name) {
			return t.n
		}
	}
	return 0
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

// nsapLine rewrites "owner [ttl] [class] NSAP 0x47.0005..." as
// "... TYPE22 \# n hex"; a bad value is recorded in m and the record skipped.
func (f *feeder) nsapLine(l []byte, toks []string, typeAt int, m *meta) []byte {
	val := strings.Join(toks[typeAt+1:], "")
	hex, ok := nsapHex(val)
	if !ok {
		m.problems = append(m.problems, Problem{Severity: Error, Message: fmt.Sprintf("bad NSAP address %q: 0x then an even number of hex digits (dots allowed)", val)})
		m.skip = true
		hex = "00"
	}
	var b strings.Builder
	if l[0] == ' ' || l[0] == '\t' {
		b.WriteByte(' ')
	}
	for _, t := range toks[:typeAt] {
		b.WriteString(t)
		b.WriteByte(' ')
	}
	fmt.Fprintf(&b, "TYPE22 \\# %d %s\n", len(hex)/2, hex)
	return []byte(b.String())
}

func nsapHex(v string) (string, bool) {
	if len(v) < 2 || v[0] != '0' || v[1]|0x20 != 'x' {
		return "", false
	}
	var b strings.Builder
	for i := 2; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '.':
			continue
		case isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f'):
			b.WriteByte(c)
		default:
			return "", false
		}
	}
	h := b.String()
	if len(h) == 0 || len(h)%2 != 0 {
		return "", false
	}
	return h, true
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

// readLogical reads one logical line (parentheses joined, comments removed;
// newlines inside parentheses kept) ending in '\n'. ok=false at EOF with
// nothing read.
func (f *feeder) readLogical(src *source) ([]byte, bool) {
	if src.eof {
		return nil, false
	}
	out := f.line[:0]
	var (
		inQuote, esc, comment bool
		depth                 int
		any                   bool
	)
	start := src.line
	for {
		chunk, err := src.r.ReadSlice('\n')
		if len(chunk) > 0 {
			any = true
		}
		// Fast path: a whole plain line (no quote, parenthesis, comment,
		// escape or CR) outside any parentheses.
		if !inQuote && !comment && !esc && depth == 0 && len(chunk) > 0 && chunk[len(chunk)-1] == '\n' &&
			bytes.IndexAny(chunk, "\"();\\\r") < 0 {
			src.line++
			out = append(out, chunk...)
			f.line = out
			return out, true
		}
		for _, c := range chunk {
			if c == '\n' {
				src.line++
				comment = false
				esc = false
				if inQuote {
					// BIND does not allow a newline in a quoted string.
					f.fail(Pos{src.file, src.line - 1}, "unterminated quoted string")
					return nil, false
				}
				out = append(out, '\n')
				if depth == 0 {
					f.line = out
					return out, true // '\n' ends the chunk
				}
				continue
			}
			if comment {
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
						f.fail(Pos{src.file, src.line}, "unbalanced parentheses")
						return nil, false
					}
				}
			case '\r':
				continue
			}
			out = append(out, c)
		}
		switch {
		case err == nil, err == bufio.ErrBufferFull:
			continue
		case err != io.EOF:
			src.eof = true
			f.fail(Pos{src.file, src.line}, fmt.Sprintf("read: %v", err))
			return nil, false
		}
		src.eof = true
		if !any {
			return nil, false
		}
		if inQuote {
			f.fail(Pos{src.file, start}, "unterminated quoted string")
			return nil, false
		}
		if depth > 0 {
			f.fail(Pos{src.file, start}, "unbalanced parentheses")
			return nil, false
		}
		out = append(out, '\n')
		f.line = out
		return out, true
	}
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

// txtTokens returns the RDATA strings of a TXT line (after the type).
func txtTokens(l []byte) []string {
	toks := fields(l)
	for i, t := range toks {
		u := strings.ToUpper(t)
		if (u == "TXT" || u == "SPF") && i+1 < len(toks) {
			return toks[i+1:]
		}
	}
	return nil
}

// octets is the length in octets of a presentation-format string.
func octets(s string) int {
	s = unquote(s)
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
				i += 3
			} else {
				i++
			}
		}
		n++
	}
	return n
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

func absName(name, origin string) (string, bool) {
	if name == "@" {
		return origin, true
	}
	if _, ok := dns.IsDomainName(name); !ok {
		return "", false
	}
	if dns.IsFqdn(name) {
		return name, true
	}
	if origin == "." {
		return name + ".", true
	}
	return name + "." + origin, true
}

// ParseTTL parses a TTL: seconds, or BIND units (1w2d3h4m5s).
func ParseTTL(s string) (uint32, bool) {
	if s == "" {
		return 0, false
	}
	var total, cur uint64
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			cur = cur*10 + uint64(c-'0')
			digits = true
			if cur > 1<<32 {
				return 0, false
			}
			continue
		}
		if !digits {
			return 0, false
		}
		var mul uint64
		switch c | 0x20 {
		case 's':
			mul = 1
		case 'm':
			mul = 60
		case 'h':
			mul = 3600
		case 'd':
			mul = 86400
		case 'w':
			mul = 604800
		default:
			return 0, false
		}
		total += cur * mul
		cur, digits = 0, false
	}
	total += cur
	if total > 1<<32-1 {
		return 0, false
	}
	return uint32(total), true
}
