// Package confine keeps the files that repository content names inside
// the repository: the config itself, the zone files it lists, the audit
// trail's folder, and the files a zone's $INCLUDE reads. One rule for all
// of them: a path is refused when it leaves the repository root (an
// absolute path elsewhere, or ".." out), leads out of it through a symlink
// (at any step), or lies under .git (git's own data: credentials, hooks),
// whether named so or reached through a symlink. A refusal is an *Error, which says "outside the
// repository" and names the path as it was written.
package confine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// ErrOutside matches (errors.Is) every refusal.
var ErrOutside = errors.New("outside the repository")

// Error is a path refused.
type Error struct {
	Name   string // the path as it was written
	Root   string // the repository root
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: outside the repository (%s): %s", redact.Name(e.Name), e.Root, e.Reason)
}

// Is makes errors.Is(err, ErrOutside) true.
func (e *Error) Is(target error) bool { return target == ErrOutside }

// Root is the repository root of dir: the nearest folder at or above it
// holding .git, else dir itself (absolute).
func Root(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		p := filepath.Dir(d)
		if p == d {
			return abs
		}
		d = p
	}
}

// File is a path checked to lie inside a repository.
type File struct {
	// Path is the path to use (base joined with the name): for messages,
	// positions and reading.
	Path string
	// Real is Path with every symlink resolved. For a path that does not
	// exist yet, its existing part resolved and the rest appended.
	Real string
	// Exists reports whether the path exists.
	Exists bool
	name   string
	info   os.FileInfo
}

// Resolve checks a name written in a file of the repository at root (a
// config, a zone file) whose folder is base: relative to base (or
// absolute), it must stay inside root, must not lead out of it through a
// symlink, and must not be under .git. A name that does not exist is not
// an error here (File.Exists is false; Open says so).
func Resolve(root, base, name string) (*File, error) {
	path := name
	if !filepath.IsAbs(name) {
		path = filepath.Join(base, name)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact.Name(name), err)
	}
	return check(root, path, abs, name)
}

// Check is Resolve for a path named by the user (on the command line),
// relative to the working directory.
func Check(root, path string) (*File, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact.Name(path), err)
	}
	return check(root, path, abs, path)
}

func check(root, path, abs, name string) (*File, error) {
	rootAbs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("repository root %s: %w", root, err)
	}
	rootReal, err := filepath.EvalSymlinks(rootAbs)
	if err != nil {
		return nil, fmt.Errorf("repository root %s: %w", root, err)
	}
	if !Within(rootAbs, abs) && !Within(rootReal, abs) {
		why := "a .. path that leaves it"
		if filepath.IsAbs(name) {
			why = "an absolute path that leaves it"
		}
		return nil, &Error{name, rootAbs, why}
	}
	if underGit(rootAbs, abs) || underGit(rootReal, abs) {
		return nil, &Error{name, rootAbs, "under .git (repository data, never read as a zone file or config)"}
	}
	real, exists, err := evalExisting(abs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact.Name(name), unwrapPathErr(err))
	}
	if !Within(rootReal, real) {
		return nil, &Error{name, rootAbs, "a symlink that leads out of it"}
	}
	if underGit(rootReal, real) {
		return nil, &Error{name, rootAbs, "a symlink to a file under .git (repository data, never read as a zone file or config)"}
	}
	f := &File{Path: path, Real: real, Exists: exists, name: name}
	if exists {
		if f.info, err = os.Stat(real); err != nil {
			return nil, fmt.Errorf("%s: %w", redact.Name(name), unwrapPathErr(err))
		}
	}
	return f, nil
}

// evalExisting resolves the symlinks of p; when p does not exist, those of
// its longest existing ancestor, with the rest appended (nothing that does
// not exist can be a symlink).
func evalExisting(p string) (string, bool, error) {
	real, err := filepath.EvalSymlinks(p)
	if err == nil {
		return real, true, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", false, err
	}
	var rest []string
	d := p
	for {
		parent := filepath.Dir(d)
		rest = append([]string{filepath.Base(d)}, rest...)
		if parent == d {
			return p, false, nil
		}
		d = parent
		if _, err := os.Lstat(d); err == nil {
			r, err := filepath.EvalSymlinks(d)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					// A dangling symlink: where it points is what
					// would be created.
					return "", false, fmt.Errorf("a dangling symlink on the way (%s)", filepath.Base(d))
				}
				return "", false, err
			}
			return filepath.Join(append([]string{r}, rest...)...), false, nil
		}
	}
}

// Open opens a checked file for reading: a regular file, the very file
// that was checked (its real path, no symlink followed at the last step,
// the same file as the one examined), so that a swap between the check and
// the open is refused.
func (f *File) Open() (*os.File, error) {
	if !f.Exists {
		return nil, fmt.Errorf("%s: %w", redact.Name(f.name), syscall.ENOENT)
	}
	if !f.info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a file", redact.Name(f.name))
	}
	fh, err := os.OpenFile(f.Real, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s: the file changed while it was being checked (it is now a symlink)", redact.Name(f.name))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact.Name(f.name), unwrapPathErr(err))
	}
	opened, err := fh.Stat()
	if err != nil || !os.SameFile(f.info, opened) {
		fh.Close()
		return nil, fmt.Errorf("%s: the file changed while it was being checked", redact.Name(f.name))
	}
	return fh, nil
}

// WriteFile writes b to path, a file of the repository at root (a report,
// the audit trail, a zone file rewritten): its folder must resolve inside
// root (no symlink out, nothing under .git; it is created when missing),
// and the file is replaced, never written through: b goes to a temporary
// file beside it, renamed over path, so a symlink at path is replaced
// rather than followed and a failed write leaves the old file whole.
func WriteFile(root, path string, b []byte, perm os.FileMode) error {
	dir, err := Check(root, filepath.Dir(path))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir.Real, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", redact.Name(path), unwrapPathErr(err))
	}
	tmp, err := os.CreateTemp(dir.Real, "."+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", redact.Name(path), unwrapPathErr(err))
	}
	_, werr := tmp.Write(b)
	merr := tmp.Chmod(perm)
	cerr := tmp.Close()
	if err := errors.Join(werr, merr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", redact.Name(path), err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir.Real, filepath.Base(path))); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", redact.Name(path), unwrapPathErr(err))
	}
	return nil
}

// Within reports whether p lies at or below root (both absolute, lexically).
func Within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// underGit reports whether p (inside root) has a .git component below root.
func underGit(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil || !Within(root, p) {
		return false
	}
	for _, c := range strings.Split(rel, string(filepath.Separator)) {
		if strings.EqualFold(c, ".git") {
			return true
		}
	}
	return false
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
