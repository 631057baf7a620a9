package zone

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/suggest"
)

// Options for Load.
type Options struct {
	// Origin is used when the file has no $ORIGIN before its first record.
	// When empty the origin comes from the file name (example.com.zone).
	Origin string
	// Root is the repository root (default: the git work tree holding
	// the file, else the file's directory): the file itself and what its
	// $INCLUDEs read must lie inside it (internal/confine: no symlink out,
	// nothing under .git; an $INCLUDE name also relative and without ..
	// out). A path outside it is an error.
	Root string
	// Tree, when set, checks the file instead of Root (which is then its
	// root): a run over many files resolves the repository and each folder
	// once (confine.Trees).
	Tree *confine.Tree
	// MaxProblems bounds the problems kept (0: all): beyond it, Check keeps
	// errors before warnings, then the earliest lines, and ends with a
	// line that counts the rest. It bounds memory on zones with very many
	// warnings.
	MaxProblems int
	// Named is where a config names the file, as config.Config.ZoneLoad
	// gives it (nil: by the command line): a file that does not exist is
	// reported with it.
	Named *NamedIn

	// scratch, when set, is reused by the load (LoadEach: one per
	// goroutine); nil: the load allocates its own.
	scratch *scratch
}

// ErrNoOrigin is returned when no origin can be found.
var ErrNoOrigin = errors.New("no origin: the file has no $ORIGIN, --origin was not given and the file name names no zone (a name with a dot, as example.com.zone; one label, as plain.zone, is not taken for a zone's name): put \"$ORIGIN example.com.\" (the zone's name) on its first line, or give --origin with the zone's name")

// NamedIn is where a config names a zone file: At, the config's
// FILE:LINE; File, the path as the config writes it, relative to Dir, the
// config's folder; Config, the config's path; Root, the repository root
// the config's paths must stay inside (config.Config.Root; "": the git
// work tree holding Dir, else Dir, as config.Load takes it).
type NamedIn struct{ At, Config, Dir, File, Root string }

// hint is what to say of the file when it is not in the config's folder
// but is from the current one: its path relative to the config's folder
// when that path stays inside the root (else the config would refuse it:
// move the file or the config); "" otherwise.
func (n *NamedIn) hint() string {
	if n == nil || filepath.IsAbs(n.File) || n.Dir == "" || filepath.Clean(n.Dir) == "." {
		return ""
	}
	if st, err := os.Stat(n.File); err != nil || st.IsDir() {
		return ""
	}
	dir, err1 := filepath.Abs(n.Dir)
	file, err2 := filepath.Abs(n.File)
	if err1 != nil || err2 != nil {
		return ""
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil {
		return ""
	}
	here := fmt.Sprintf(": a file's path in %s is relative to its folder, %s; %s is there from the current folder",
		redact.Name(n.Config), redact.Name(filepath.Clean(n.Dir)), redact.Name(n.File))
	root := n.Root
	if root == "" {
		root = confine.Root(n.Dir)
	}
	if _, err := confine.Resolve(root, n.Dir, rel); err != nil {
		// The path to write would lead out of the repository
		// (internal/config confinePaths refuses it).
		return fmt.Sprintf("%s, but outside the repository the config's paths must stay in, %s (the folder holding .git, else the config's own): move the file into it, or the config to a folder the file is under",
			here, redact.Name(root))
	}
	return fmt.Sprintf("%s: write %s", here, redact.Name(filepath.ToSlash(rel)))
}

// Load reads and parses a zone file. Problems in the file (syntax, TTLs,
// duplicates, ...) are in Zone.Problems; the error is for files that cannot
// be read at all.
func Load(path string, opt Options) (*Zone, error) {
	tree := opt.Tree
	if tree == nil {
		root := opt.Root
		if root == "" {
			root = confine.Root(filepath.Dir(path))
		}
		tree = confine.NewTree(root)
	}
	root := tree.Root()
	cf, err := tree.Check(path)
	var f *os.File
	if err == nil {
		f, err = cf.Open()
	}
	if errors.Is(err, fs.ErrNotExist) {
		origin := opt.Origin
		if origin == "" {
			origin = "ZONE"
		}
		names := "the path that names it"
		if opt.Named != nil && opt.Named.At != "" {
			names = "the path at " + opt.Named.At + " that names it"
		}
		near := Near(path, false)
		return nil, fmt.Errorf("open zone: %w%s: write the zone there (`dnsparity import --provider NAME --zone %s -o %s` takes it from a provider) or correct %s%s", err, near, shell.Quote(origin), shell.Quote(redact.Name(path)), names, opt.Named.hint())
	}
	if err != nil {
		return nil, fmt.Errorf("open zone: %w", err)
	}
	defer f.Close()
	z, err := parse(f, path, root, opt.Origin, opt.MaxProblems, opt.scratch)
	return z, err
}

// Near says which path was likely meant by path, which does not exist, as
// " (did you mean P?)": the file beside it that nearFile finds (or, with
// dirs, the folder), else, for a relative path, the same path from the
// repository root (confine.Root of the current folder), where every
// report and annotation names paths from, written from the current
// folder: zones/a.zone copied from a report and given in a subfolder is
// ../zones/a.zone. "" when neither is there.
func Near(path string, dirs bool) string {
	if n := nearFile(path, dirs); n != "" {
		return fmt.Sprintf(" (did you mean %s?)", redact.Name(n))
	}
	cwd, err := os.Getwd()
	if err != nil || filepath.IsAbs(path) {
		return ""
	}
	root := confine.Root(cwd)
	if root == cwd {
		return ""
	}
	at := filepath.Join(root, path)
	st, err := os.Stat(at)
	if err != nil || (st.IsDir() && !dirs) {
		return ""
	}
	rel, err := filepath.Rel(cwd, at)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s? a path is read from the current folder, and %s is there from the repository root, %s)", redact.Name(rel), redact.Name(path), redact.Name(root))
}

// nearFile is the file beside path (which does not exist) that was likely
// meant: the same name in other capitals, with the other zone file
// extension (.zone, .db) or none, or one typo away (suggest.OneEdit); ""
// when there is none. With dirs, a folder beside it too (zone/ for
// zones/). A folder of path that does not exist is itself looked for the
// same way (zone/a.zone: zones/a.zone), so that a typo anywhere in the
// path is found, not only in its last name. The folder's entries are
// read once.
func nearFile(path string, dirs bool) string {
	path = filepath.Clean(path)
	dir, base := filepath.Split(path)
	entries, err := os.ReadDir(filepath.Clean(dir))
	if errors.Is(err, fs.ErrNotExist) && dir != "" {
		if d := nearFile(dir, true); d != "" {
			at := filepath.Join(d, base)
			if st, err := os.Stat(at); err == nil && (dirs || st.Mode().IsRegular()) {
				return at
			}
			return nearFile(at, dirs)
		}
	}
	if err != nil {
		return ""
	}
	stem := func(n string) string {
		l := strings.ToLower(n)
		for _, ext := range []string{".zone", ".db"} {
			if strings.HasSuffix(l, ext) {
				return l[:len(l)-len(ext)]
			}
		}
		return l
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() && !(dirs && e.IsDir()) {
			continue
		}
		if stem(n) == stem(base) {
			return filepath.Join(dir, n)
		}
		names = append(names, n)
	}
	if n := suggest.Closest(base, nil, names); n != "" {
		return filepath.Join(dir, n)
	}
	return ""
}

// Parse reads a zone from r; file names it in problems. $INCLUDE is allowed
// below root only ("" disables $INCLUDE).
func Parse(r io.Reader, file, origin, root string) (*Zone, error) {
	return parse(r, file, root, origin, 0, nil)
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

// PeekOrigin reads a zone file only up to its first record and returns the
// zone's name as the file gives it: the $ORIGIN before the first record, or
// an absolute owner of a first record that is the SOA; "" when the file
// names neither (the caller then takes the file name). line is where it was
// found. It reads a few lines, not the zone: a config's glob of 10,000 zone
// files is named in well under a second.
//
// root is the repository root, as for Load (Options.Root; "": the git
// work tree holding the file): a file that leads out of it, through a
// symlink or otherwise, is an error before anything of it is read.
func PeekOrigin(path, root string) (origin string, line int, err error) {
	if root == "" {
		root = confine.Root(filepath.Dir(path))
	}
	return PeekOriginIn(path, confine.NewTree(root))
}

// peekBuffer is PeekOrigin's read buffer: the head of a zone file
// ($ORIGIN, $TTL, the SOA) fits in one read; a longer one takes more
// reads, not another answer. A config's glob of 10,000 files peeks each
// one: 4 KiB each was 40 MB to allocate and collect per load.
const peekBuffer = 1024

// PeekOriginIn is PeekOrigin with the file checked by tree (its root the
// repository root): a run over many files resolves the repository and
// each folder once (confine.Trees), as Options.Tree does for Load.
func PeekOriginIn(path string, tree *confine.Tree) (origin string, line int, err error) {
	cf, err := tree.Check(path)
	if err != nil {
		return "", 0, fmt.Errorf("open zone: %w", err)
	}
	f, err := cf.Open()
	if err != nil {
		return "", 0, fmt.Errorf("open zone: %w", err)
	}
	defer f.Close()
	fd := newFeederSize(f, path, "", peekBuffer)
	first, soa, soaLine := fd.peekOrigin()
	if fd.err != nil {
		return "", 0, fmt.Errorf("%s: %w", path, fd.err)
	}
	switch {
	case first != "":
		origin, line = first, fd.peekLines[len(fd.peekLines)-1]
	case soa != "":
		origin, line = soa, soaLine
	default:
		return "", 0, nil
	}
	if _, ok := dns.IsDomainName(origin); !ok {
		return "", line, fmt.Errorf("%s:%d: bad origin %s", path, line, redact.Quote(origin))
	}
	return CanonicalName(origin), line, nil
}

var parseErrRE = regexp.MustCompile(`^dns: (.*?): ("(?:[^"\\]|\\.)*") at line: (\d+):(\d+)$`)

func parse(r io.Reader, file, root, origin string, limit int, sc *scratch) (*Zone, error) {
	var size int64 = -1
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
	}
	buf := 64 * 1024
	if size >= 0 && size < 60*1024 {
		buf = int(size) + 512 // a small file: a buffer its size, not 64 KiB per zone
	}
	fd := newFeederSize(r, file, root, buf)
	// Find the origin: $ORIGIN before the first record wins, then the
	// caller's, then an absolute SOA owner on the first record, then the
	// file name.
	first, soa, soaLine := fd.peekOrigin()
	var note *Problem
	switch {
	case first != "":
		origin = first
	case origin != "":
	case soa != "":
		origin = soa
		note = &Problem{Pos{file, soaLine}, Info, fmt.Sprintf("origin %s taken from the SOA owner (the file has no $ORIGIN)", CanonicalName(soa))}
	default:
		origin = OriginFromFileName(file)
	}
	if origin == "" {
		return nil, fmt.Errorf("%s: %w", file, ErrNoOrigin)
	}
	if _, ok := dns.IsDomainName(origin); !ok {
		return nil, fmt.Errorf("%s: bad origin %s", file, redact.Quote(origin))
	}
	origin = CanonicalName(origin)
	fd.origin = origin
	if origin != "." {
		fd.twice = strings.TrimSuffix(origin, ".") + "." + origin
	}

	z := New(origin)
	z.File = file
	if limit > 0 {
		z.ph = &problemHeap{limit: limit, bound: z.OriginBound}
	}
	inline := false
	switch {
	case size > 1<<20:
		// Size the index for the file (about 40 octets a record) rather
		// than growing it step by step.
		hint := int(min(size/40, 1<<26))
		z.idx.reserve(hint)
		z.Sets = make([]*RRSet, 0, hint)
	case size >= 0 && size <= inlineSize:
		inline = true
	}
	if note != nil {
		z.problem(*note)
	}
	if inline {
		loadInline(z, fd, sc)
	} else {
		loadPipelined(z, fd)
	}
	for _, p := range fd.early {
		z.problem(p)
	}
	z.Includes = fd.includes
	z.relSpans, z.saidElse = fd.relSpans, fd.saidElse
	if z.ph != nil {
		z.Problems = z.ph.ps
	}
	fd.close()
	z.Sort()
	return z, nil
}

// MaxTTL is the largest TTL (RFC 2181 §8): a larger one is read as 0, as
// BIND does ("> MAXTTL, setting TTL to 0").
const MaxTTL = 1<<31 - 1

// maxTTLMessage is the warning for a TTL above MaxTTL.
func maxTTLMessage(what string, ttl uint32) string {
	return fmt.Sprintf("%s %d > MAXTTL %d (RFC 2181 §8): read as 0, as BIND does (resolvers would not cache the records)", what, ttl, MaxTTL)
}

// ParseTTL parses a TTL: seconds, or BIND units (1w2d3h4m5s, each number
// with its unit once one has one).
func ParseTTL(s string) (uint32, bool) {
	if s == "" {
		return 0, false
	}
	var total, cur uint64
	digits, unit := false, false
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
		cur, digits, unit = 0, false, true
	}
	if digits && unit {
		// A number after a unit needs one too ("1h30" is not a TTL
		// to BIND or Knot; "1h30m" is).
		return 0, false
	}
	total += cur
	if total > 1<<32-1 {
		return 0, false
	}
	return uint32(total), true
}
