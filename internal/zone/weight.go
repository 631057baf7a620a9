package zone

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dnsparity/dnsparity/internal/confine"
)

// maxIncludeDepth is how deep the loader follows $INCLUDE (feeder.directive:
// an $INCLUDE in the eighth file open is refused).
const maxIncludeDepth = 8

// Weight is what loading the zone file at path reads, in bytes: the file
// and every file its $INCLUDEs read, as the loader finds them
// (ResolveInclude, confined to tree's root; nested as deep as it follows
// them; a file included twice counts twice, as it is read twice),
// and the records its $GENERATEs make (each as long as the first it
// makes), carriage returns left out, so that a line ends in one byte
// whether the checkout wrote LF or CRLF (core.autocrlf, a Windows
// runner): every job of a matrix weighs one commit's zones alike. No
// record is parsed: a file is scanned for a line starting with $INCLUDE
// or $GENERATE, and only one that has one is read as the loader reads
// lines (readLogical) to find its files and ranges. An include that
// cannot be read adds nothing (its zone's load says why); err is for
// path itself. A Weigher's zero value is ready; it reuses its read
// buffer from one file to the next (not safe for concurrent use).
func (w *Weigher) Weight(path string, tree *confine.Tree) (int64, error) {
	cf, err := tree.Check(path)
	if err != nil {
		return 0, fmt.Errorf("open zone: %w", err)
	}
	return w.weigh(tree.Root(), cf, path, 1)
}

// Weigher weighs zone files (Weight).
type Weigher struct{ r *bufio.Reader }

// weigh is Weight of the file cf (named path), depth files deep.
func (w *Weigher) weigh(root string, cf *confine.File, path string, depth int) (int64, error) {
	f, err := cf.Open()
	if err != nil {
		return 0, fmt.Errorf("open zone: %w", err)
	}
	defer f.Close()
	if w.r == nil {
		w.r = bufio.NewReaderSize(f, 16<<10)
	} else {
		w.r.Reset(f)
	}
	n, directives, err := scanWeight(w.r)
	if err != nil || !directives {
		return n, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return n, fmt.Errorf("%s: %w", path, err)
	}
	fd := newFeeder(f, path, root)
	src := fd.stack[0]
	fd.skipBOM(src)
	for {
		l, _, ok := fd.readLogical(src)
		if !ok {
			break
		}
		if len(l) == 0 || l[0] != '$' {
			continue
		}
		toks := fields(l)
		if len(toks) > 1 && strings.EqualFold(toks[0], "$GENERATE") {
			n += generated(toks[1:])
			continue
		}
		if len(toks) < 2 || !strings.EqualFold(toks[0], "$INCLUDE") || depth >= maxIncludeDepth || root == "" {
			continue
		}
		inc, err := ResolveInclude(root, path, unquote(toks[1]))
		if err != nil {
			continue
		}
		m, _ := w.weigh(root, inc, inc.Path, depth+1)
		n += m
	}
	if fd.err != nil {
		return n, fmt.Errorf("%s: %w", path, fd.err)
	}
	return n, nil
}

// generated is what the records of a $GENERATE (its arguments) weigh:
// as many as it makes, each as long as the first; 0 for one the loader
// refuses (newGenerator).
func generated(args []string) int64 {
	g, err := newGenerator(args, Pos{})
	if err != nil {
		return 0
	}
	count := (g.stop-g.cur)/g.step + 1
	first, ok := g.next()
	if !ok {
		return 0
	}
	return count * int64(len(first))
}

// scanWeight counts r's bytes other than carriage returns and says
// whether a line starts with $INCLUDE or $GENERATE (in any case): a
// directive starts a line, so a file without one loads nothing more.
func scanWeight(r *bufio.Reader) (n int64, directives bool, err error) {
	start, first := true, true
	for {
		chunk, err := r.ReadSlice('\n')
		line := chunk
		if first {
			line, first = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")), false // a byte order mark (skipBOM)
		}
		if start && !directives && len(line) >= len("$INCLUDE") {
			directives = bytes.EqualFold(line[:len("$INCLUDE")], []byte("$INCLUDE")) ||
				len(line) >= len("$GENERATE") && bytes.EqualFold(line[:len("$GENERATE")], []byte("$GENERATE"))
		}
		n += int64(len(chunk) - bytes.Count(chunk, []byte{'\r'}))
		start = err == nil // a line ended (not a full buffer)
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			return n, directives, nil
		default:
			return n, directives, err
		}
	}
}
