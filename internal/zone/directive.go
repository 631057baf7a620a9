// The feeder: it cuts the file into logical lines (lexer.go) and handles the
// directives itself ($ORIGIN, $TTL, $INCLUDE, $GENERATE), so that every record
// gets its file and line, and so that $INCLUDE, $GENERATE and default TTLs work
// the way BIND does. produce (pipeline.go) hands the record lines to miekg/dns.

package zone

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/redact"
)

type feeder struct {
	stack  []*source
	root   string
	origin string
	// relSpans are the lines read under an $ORIGIN written without its
	// final dot that relativeOriginHint warned of (Zone.relSpans); rel is
	// that origin while it is in effect (""), openSpan the index+1 in
	// relSpans of its span being read (0: none).
	relSpans []originSpan
	rel      string
	openSpan int
	// twice is the zone's name twice, lower case ("test.test."; "" for
	// the root); saidElse are the records whose owner is not written on
	// their line without its final dot (noteOwner, Zone.saidElse);
	// ownerAbs, ownerRel what noteOwner found of the last owner written.
	twice              string
	saidElse           map[Pos]bool
	ownerAbs, ownerRel bool

	cur []byte // the current logical line (or "$ORIGIN ..." line)

	gen *generator

	queue []meta
	qhead int

	defSet bool
	defTTL uint32
	// defBad: the last $TTL could not be read (meta.defBad).
	defBad bool

	// afterOrigin: an $ORIGIN directive came after the last record
	// (produce warns when the next record inherits its owner).
	afterOrigin bool
	// early holds problems found outside the record stream: a byte order
	// mark, broken lines and directives (each skipped, reading goes on).
	early []Problem

	// beforeOpen, when set (tests), runs between the checks of an
	// $INCLUDE file and its open.
	beforeOpen func(path string)

	// includes are the files the $INCLUDEs read, or would read when they
	// cannot be opened (IncludeCandidates), in the order met (Zone.Includes).
	includes []string

	lastPos   Pos
	err       error // reading stopped (a read error)
	peeked    [][]byte
	peekLines []int
	line      []byte // scratch
}

func newFeeder(r io.Reader, file, root string) *feeder {
	return newFeederSize(r, file, root, 64*1024)
}

// newFeederSize is newFeeder with a read buffer of size octets.
func newFeederSize(r io.Reader, file, root string, size int) *feeder {
	// The top-level reader belongs to the caller: c stays nil. Its file
	// is known only where an $INCLUDE may name it (root).
	var info os.FileInfo
	if root != "" {
		info = statOf(r, file)
	}
	return &feeder{
		stack: []*source{{r: bufio.NewReaderSize(r, size), file: file, line: 1, info: info}},
		root:  root,
	}
}

// statOf is the file r reads: r's own when r is an open file, else the
// one named file; nil when neither can be had.
func statOf(r io.Reader, file string) os.FileInfo {
	if fh, ok := r.(*os.File); ok {
		if fi, err := fh.Stat(); err == nil {
			return fi
		}
	}
	fi, err := os.Stat(file)
	if err != nil {
		return nil
	}
	return fi
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
// $ORIGIN found before it, if any (the lines are fed later as usual). When
// there is none and the first record is an SOA with an absolute owner, soa
// is that owner and soaLine its line.
//
// "$ORIGIN ." names no zone: BIND writes it first in the zone files it
// dumps (named-compilezone's default relative style, a secondary's text
// file: "$ORIGIN .", then "example.com IN SOA ..."), the owners then
// relative to the root. After it, a first record that is an SOA names the
// zone by its owner (origin: the owner made absolute); any other first
// record leaves the root as the origin, as before.
func (f *feeder) peekOrigin() (origin, soa string, soaLine int) {
	src := f.stack[0]
	f.skipBOM(src)
	root := false
	for {
		l, start, ok := f.readLogical(src)
		if !ok {
			return rootIf(root), "", 0
		}
		f.peeked = append(f.peeked, append([]byte(nil), l...))
		f.peekLines = append(f.peekLines, start)
		toks := fields(l)
		if len(toks) == 0 {
			continue
		}
		if strings.EqualFold(toks[0], "$ORIGIN") && len(toks) > 1 {
			o := toks[1]
			if o == "." && len(toks) == 2 {
				root = true
				continue
			}
			if strings.HasSuffix(o, ".") && !strings.HasSuffix(o, "\\.") {
				return o, "", 0
			}
			return "", "", 0
		}
		if strings.HasPrefix(toks[0], "$") && !strings.EqualFold(toks[0], "$GENERATE") && !strings.EqualFold(toks[0], "$INCLUDE") {
			continue
		}
		owner := toks[0]
		if root && owner == "@" {
			owner = "."
		} else if root && !dns.IsFqdn(owner) {
			owner += "."
		}
		if l[0] != ' ' && l[0] != '\t' && dns.IsFqdn(owner) {
			// owner [TTL] [class] SOA, in any order of TTL and class
			for _, t := range toks[1:min(len(toks), 4)] {
				if strings.EqualFold(t, "SOA") {
					if _, ok := dns.IsDomainName(owner); ok {
						if root {
							return owner, "", 0
						}
						return "", owner, start
					}
				}
				if !isDigit(t[0]) && !isClassTok([]byte(t)) {
					break
				}
			}
		}
		return rootIf(root), "", 0
	}
}

// rootIf is the root's name when root is set, else "".
func rootIf(root bool) string {
	if root {
		return "."
	}
	return ""
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

// next loads the next logical line; false at the end or on error.
func (f *feeder) next() bool {
	if f.err != nil {
		return false
	}
	if f.gen != nil {
		if text, ok := f.gen.next(); ok {
			f.noteOwner(text, f.gen.pos, false)
			text = f.pushMeta(text, f.gen.pos.File, f.gen.pos.Line)
			f.feed(text, f.gen.pos.File, f.gen.pos.Line)
			return true
		}
		if f.gen.err != "" {
			f.fail(f.gen.pos, f.gen.err)
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
			l, start, ok = f.readLogical(src)
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
				f.restoreRel(src)
				f.origin = src.origin
				f.feed([]byte("$ORIGIN "+src.origin+"\n"), src.file, src.line)
				return true
			}
			return false
		}
		if len(bytes.Trim(l, " \t\r\n()")) == 0 {
			// Blank, or parentheses alone: an empty line to BIND and Knot.
			continue
		}
		if l[0] == '$' {
			if done, ok := f.directive(l, src, start); done {
				return ok
			}
			continue
		}
		f.noteOwner(l, Pos{src.file, start}, true)
		l = f.pushMeta(l, src.file, start)
		if src.untested {
			src.untested = false
			if f.notZone(l) {
				// Not a zone file (or its first record is broken):
				// drop it without showing any of its text.
				f.queue = f.queue[:len(f.queue)-1]
				f.fail(src.include, fmt.Sprintf("$INCLUDE %s: not a zone file, or its first record (line %d) cannot be read; its text is not shown and nothing from it is used", redact.Name(src.file), start))
				f.stack = f.stack[:len(f.stack)-1]
				src.c.Close()
				f.restoreRel(src)
				f.origin = src.origin
				f.feed([]byte("$ORIGIN "+src.origin+"\n"), src.file, start)
				return true
			}
		}
		f.feed(l, src.file, start)
		return true
	}
	return false
}

// notZone reports whether the first record line of an included file cannot
// be read as a record: binary data, or text that is not a zone file.
func (f *feeder) notZone(l []byte) bool {
	if bytes.IndexByte(l, 0) >= 0 || len(f.queue) == 0 || f.queue[len(f.queue)-1].skip {
		return true
	}
	text := "$TTL 0\n"
	if l[0] == ' ' || l[0] == '\t' {
		text += "@"
	}
	zp := dns.NewZoneParser(strings.NewReader(text+string(l)), f.origin, "")
	zp.SetIncludeAllowed(false)
	_, ok := zp.Next()
	return !ok
}

// directiveArgs is the most arguments a directive takes ($INCLUDE: file
// and origin); $GENERATE's are checked by newGenerator.
func directiveArgs(name string) (int, bool) {
	switch name {
	case "$TTL", "$ORIGIN":
		return 1, true
	case "$INCLUDE":
		return 2, true
	}
	return 0, false
}

// directive handles a $ line. done=true means the caller returns ok; a
// broken directive is reported and skipped (done=false), and reading goes on.
func (f *feeder) directive(l []byte, src *source, start int) (done, ok bool) {
	toks := fields(l)
	pos := Pos{src.file, start}
	// BIND refuses a directive with more arguments than it takes ("extra
	// input text"): "$TTL 300 600" is not "$TTL 300".
	if most, ok := directiveArgs(strings.ToUpper(toks[0])); ok && len(toks)-1 > most {
		if msg := twoWordTTL(toks[1], toks[2]); msg != "" && len(toks) == 3 && strings.EqualFold(toks[0], "$TTL") {
			f.fail(pos, "$TTL: "+msg)
			return false, false
		}
		f.fail(pos, fmt.Sprintf("%s takes at most %s, and has %d: extra input text %s (BIND refuses it too)",
			strings.ToUpper(toks[0]), plural.N(most, "argument", "arguments"), len(toks)-1, redact.Quote(strings.Join(toks[most+1:], " "))))
		return false, false
	}
	switch strings.ToUpper(toks[0]) {
	case "$TTL":
		if len(toks) < 2 {
			f.fail(pos, "$TTL with no value")
			return false, false
		}
		ttl, ok := ParseTTL(toks[1])
		f.defBad = !ok
		if !ok {
			f.fail(pos, "bad $TTL value "+redact.Quote(toks[1])+": "+ttlForm)
			return false, false
		}
		if ttl > MaxTTL {
			f.early = append(f.early, Problem{pos, Warning, maxTTLMessage("$TTL", ttl)})
			ttl = 0
		}
		f.defSet, f.defTTL = true, ttl
		return false, false // not fed; miekg need not know
	case "$ORIGIN":
		if len(toks) < 2 {
			f.fail(pos, "$ORIGIN with no name")
			return false, false
		}
		name, bad := directiveName(toks[1], f.origin)
		if bad != "" {
			f.fail(pos, "bad $ORIGIN name "+redact.Quote(toks[1])+bad)
			return false, false
		}
		rel := f.relBelow(toks[1], name)
		if hint := relativeOriginHint(toks[1], f.origin, name); hint != "" {
			f.early = append(f.early, Problem{pos, Warning, hint})
			rel = CanonicalName(name) // owners are compared folded
		}
		f.setRel(rel, start, src.file, start)
		f.origin = name
		f.afterOrigin = true
		f.feed([]byte("$ORIGIN "+name+"\n"), src.file, start)
		return true, true
	case "$INCLUDE":
		if len(toks) < 2 {
			f.fail(pos, "$INCLUDE with no file name")
			return false, false
		}
		neworigin, rel := f.origin, f.rel
		if len(toks) > 2 {
			name, bad := directiveName(toks[2], f.origin)
			if bad != "" {
				f.fail(pos, "bad $INCLUDE origin "+redact.Quote(toks[2])+bad)
				return false, false
			}
			neworigin, rel = name, f.relBelow(toks[2], name)
		}
		if len(f.stack) >= maxIncludeDepth {
			f.fail(pos, "$INCLUDE nested too deeply")
			return false, false
		}
		if f.root != "" {
			f.includes = append(f.includes, IncludeCandidates(f.root, src.file, unquote(toks[1]))...)
		}
		fh, path, err := f.openInclude(src.file, unquote(toks[1]))
		if err != nil {
			f.fail(pos, err.Error())
			return false, false
		}
		fi, _ := fh.Stat()
		if reading := f.reading(fi); reading != "" {
			fh.Close()
			f.fail(pos, fmt.Sprintf("$INCLUDE %s: a loop: %s is already being read%s; remove this $INCLUDE", redact.Quote(unquote(toks[1])), redact.Name(path), reading))
			return false, false
		}
		inc := &source{r: bufio.NewReaderSize(fh, 64*1024), c: fh, file: path, line: 1, origin: f.origin,
			rel: f.rel, include: pos, untested: true, info: fi}
		f.stack = append(f.stack, inc)
		f.skipBOM(inc)
		f.setRel(rel, start, path, 1)
		f.origin = neworigin
		f.feed([]byte("$ORIGIN "+neworigin+"\n"), src.file, start)
		return true, true
	case "$GENERATE":
		g, err := newGenerator(toks[1:], pos)
		if err != nil {
			f.fail(pos, err.Error())
			return false, false
		}
		f.gen = g
		return true, f.next()
	default:
		f.fail(pos, unknownDirectiveMessage(toks[0]))
		return false, false
	}
}

// reading says whether fi is a file the feeder is reading already (the
// zone file or an $INCLUDE being read, each as it was opened: source.info):
// "" when it is not, else which (" (the zone file)" or " (included at
// FILE:LINE)"). A file that cannot be compared (no stat) is taken as
// another one.
func (f *feeder) reading(fi os.FileInfo) string {
	if fi == nil {
		return ""
	}
	for _, s := range f.stack {
		if s.info == nil || !os.SameFile(fi, s.info) {
			continue
		}
		if s.include.File == "" {
			return " (the zone file)"
		}
		return fmt.Sprintf(" (included at %s:%d)", redact.Name(s.include.File), s.include.Line)
	}
	return ""
}

// openInclude opens the file of an $INCLUDE (ResolveInclude), the very
// file that was checked. The name it returns is for positions.
func (f *feeder) openInclude(from, name string) (*os.File, string, error) {
	if f.root == "" {
		return nil, "", fmt.Errorf("$INCLUDE %s: not allowed here", redact.Name(name))
	}
	cf, err := ResolveInclude(f.root, from, name)
	if err != nil {
		return nil, "", err
	}
	if cf.Exists && f.beforeOpen != nil {
		f.beforeOpen(cf.Real)
	}
	fh, err := cf.Open()
	if errors.Is(err, fs.ErrNotExist) {
		where := IncludeCandidates(f.root, from, name)
		for i, p := range where {
			if abs, aerr := filepath.Abs(p); aerr == nil {
				if rel, rerr := filepath.Rel(f.root, abs); rerr == nil && !strings.HasPrefix(rel, "..") {
					where[i] = redact.Name(rel)
				}
			}
		}
		looked := "looked for " + where[0]
		if len(where) == 2 {
			looked += " beside the including file and " + where[1] + " from the repository root"
		}
		return nil, "", fmt.Errorf("$INCLUDE %w (%s): write it or correct the path", err, looked)
	}
	if err != nil {
		return nil, "", fmt.Errorf("$INCLUDE %w", err)
	}
	return fh, cf.Path, nil
}

// IncludeCandidates are the files an $INCLUDE in from of name may read:
// beside from, and from the repository root (ResolveInclude picks one),
// whether or not they exist. A change to either (its text, its deletion)
// is a change of the including zone.
func IncludeCandidates(root, from, name string) []string {
	if filepath.IsAbs(name) {
		return []string{filepath.Clean(name)}
	}
	beside, fromRoot := filepath.Join(filepath.Dir(from), name), filepath.Join(root, name)
	if beside == fromRoot {
		return []string{beside}
	}
	return []string{beside, fromRoot}
}

// ResolveInclude finds the file an $INCLUDE in file from names: beside
// from, else from the repository root, and only as confine allows
// (relative, inside the repository root, also through symlinks, never
// under .git). ttl --cap rewrites the same files the loader reads.
func ResolveInclude(root, from, name string) (*confine.File, error) {
	base := filepath.Dir(from)
	if !filepath.IsAbs(name) && !fileExists(filepath.Join(base, name)) && fileExists(filepath.Join(root, name)) {
		base = root
	}
	cf, err := confine.Resolve(root, base, name)
	if err != nil {
		return nil, fmt.Errorf("$INCLUDE %w", err)
	}
	return cf, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func (f *feeder) fail(pos Pos, msg string) {
	f.early = append(f.early, Problem{pos, Error, msg})
}

// ttlForm says how a TTL is written, after a bad one ($TTL, a record's,
// an SOA timer).
const ttlForm = "seconds, or numbers each with a unit (1w2d3h4m5s; 1h30 is 1h30m)"

// stop ends reading (a read error): nothing after it can be trusted.
func (f *feeder) stop(pos Pos, msg string) {
	f.fail(pos, msg)
	if f.err == nil {
		f.err = errors.New(msg)
	}
}

// relativeOriginHint warns about an $ORIGIN tok written as an absolute
// name without its final dot: relative, to origin, which it names again
// (tok + "." is origin or a name below it), it gives name
// (example.com.example.com.), which is hardly ever meant. "" for an
// absolute tok and one that reads as relative ("$ORIGIN sub").
func relativeOriginHint(tok, origin, name string) string {
	if origin == "." || strings.HasSuffix(tok, ".") || tok == "@" {
		return ""
	}
	abs, o := Fold(tok+"."), Fold(origin)
	if abs != o && !strings.HasSuffix(abs, "."+o) {
		return ""
	}
	return fmt.Sprintf("$ORIGIN %s has no final dot: it is relative to %s, and gives %s; write %s for the name itself",
		redact.Quote(tok), origin, redact.Quote(name), redact.Quote(tok+"."))
}

// originSpan is where records were read under an $ORIGIN written without
// its final dot (Origin, folded, as it gives it): lines From to To (not
// included; 0: to the end) of File. The $ORIGIN's own warning says it for
// the owners read there (doubledNames); an owner written the same way
// elsewhere is its own mistake.
type originSpan struct {
	File     string
	From, To int
	Origin   string
}

// holds says whether a record at p, owned by name (folded), was read in
// s: at or below its origin.
func (s originSpan) holds(p Pos, name string) bool {
	return p.File == s.File && p.Line >= s.From && (s.To == 0 || p.Line < s.To) &&
		(name == s.Origin || strings.HasSuffix(name, "."+s.Origin))
}

// relBelow is the relative $ORIGIN in effect (feeder.rel) that a new
// origin name, written tok, stays under: tok written relative to it
// ("$ORIGIN www" after "$ORIGIN sub.example.com"), so the names it gives
// are still doubled by that one mistake; "" otherwise.
func (f *feeder) relBelow(tok, name string) string {
	if f.rel == "" || strings.HasSuffix(tok, ".") && !strings.HasSuffix(tok, `\.`) {
		return ""
	}
	if n := CanonicalName(name); n == f.rel || strings.HasSuffix(n, "."+f.rel) {
		return f.rel
	}
	return ""
}

// setRel ends the span being read (feeder.openSpan) before line end of
// its file, and makes rel the relative $ORIGIN in effect: when it is one,
// its span starts at line from of file.
func (f *feeder) setRel(rel string, end int, file string, from int) {
	if f.openSpan > 0 {
		f.relSpans[f.openSpan-1].To = end
		f.openSpan = 0
	}
	f.rel = rel
	if rel != "" {
		f.relSpans = append(f.relSpans, originSpan{File: file, From: from, Origin: rel})
		f.openSpan = len(f.relSpans)
	}
}

// restoreRel is setRel when the included file src ends (its span ends
// after its last line) and the file that included it is read on, after
// the $INCLUDE line, with the relative $ORIGIN it had then.
func (f *feeder) restoreRel(src *source) {
	f.setRel(src.rel, src.line+1, src.include.File, src.include.Line+1)
}

// directiveName is the absolute name an $ORIGIN or $INCLUDE gives, or
// why it is none (": ..." to follow the name; "" when it is one): a
// \DDD escape of three digits at most 255, and at most 255 octets on the
// wire (RFC 1035 §2.3.4, §5.1), as BIND ("bad escape", "ran out of
// space"); miekg/dns took either, and the records after it.
func directiveName(tok, origin string) (string, string) {
	if msg, _ := escapeProblem([]byte(tok)); msg != "" {
		return "", ": " + msg
	}
	name, ok := absName(tok, origin)
	if !ok {
		if why := nameRule(tok); why != "" {
			return "", ": " + why
		}
		return "", ": not a domain name"
	}
	if n := WireLen(name); n == 0 || n > 255 {
		return "", fmt.Sprintf(": %s is over the 255 octets a name may be on the wire (RFC 1035 §2.3.4)", redact.Quote(name))
	}
	return name, ""
}

// absName is name made absolute as miekg/dns's parsers make it
// (toAbsoluteName): "@" is the origin, a relative name gets the origin
// appended; ok is false for a name dns.IsDomainName refuses. fastName is
// the same for the plain names of a line's bytes.
func absName(name, origin string) (string, bool) {
	if name == "@" {
		return origin, true
	}
	if _, ok := dns.IsDomainName(name); !ok {
		return "", false
	}
	return withOrigin(name, origin), true
}

// withOrigin is a valid name other than "@" made absolute: as it is when
// it is, else with the origin appended. Generic so that a name in a
// line's bytes is copied once, into the result.
func withOrigin[T string | []byte](name T, origin string) string {
	if n := len(name); n > 0 && name[n-1] == '.' {
		if s := string(name); dns.IsFqdn(s) { // not an escaped dot
			return s
		}
	}
	if origin == "." {
		return string(name) + "."
	}
	return string(name) + "." + origin
}
