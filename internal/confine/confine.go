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
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
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
	return NewTree(root).Resolve(base, name)
}

// Check is Resolve for a path named by the user (on the command line),
// relative to the working directory.
func Check(root, path string) (*File, error) {
	return NewTree(root).Check(path)
}

// Tree checks paths against one repository root as Check and Resolve do,
// resolving the root and each folder once: N files in a few folders cost
// one lstat each, not a walk from / each (a run over thousands of zone
// files). A Tree remembers what it resolved: it is for one run over a
// checkout that does not change meanwhile. Safe for concurrent use.
type Tree struct {
	root string

	once              sync.Once
	rootAbs, rootReal string
	rootErr           error

	mu   sync.Mutex
	dirs map[string]string // folder (absolute) → its real path
}

// NewTree is the Tree of the repository at root.
func NewTree(root string) *Tree { return &Tree{root: root} }

// Root is the repository root the Tree checks against.
func (t *Tree) Root() string { return t.root }

// Resolve is Resolve against the Tree's root.
func (t *Tree) Resolve(base, name string) (*File, error) {
	path := name
	if !filepath.IsAbs(name) {
		path = filepath.Join(base, name)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact.Name(name), err)
	}
	return t.check(path, abs, name)
}

// Check is Check against the Tree's root.
func (t *Tree) Check(path string) (*File, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact.Name(path), err)
	}
	return t.check(path, abs, path)
}

func (t *Tree) check(path, abs, name string) (*File, error) {
	t.once.Do(func() {
		if t.rootAbs, t.rootErr = filepath.Abs(t.root); t.rootErr == nil {
			t.rootReal, t.rootErr = filepath.EvalSymlinks(t.rootAbs)
		}
	})
	if t.rootErr != nil {
		// Outside git the root is the file's folder: when that folder does
		// not exist, neither does the file (said as Open says it, so that
		// the caller's hint for a missing file applies).
		if errors.Is(t.rootErr, fs.ErrNotExist) && t.rootAbs != "" && Within(t.rootAbs, abs) {
			return nil, fmt.Errorf("%s: %w", redact.Name(name), syscall.ENOENT)
		}
		return nil, fmt.Errorf("repository root %s: %w", t.root, t.rootErr)
	}
	rootAbs, rootReal := t.rootAbs, t.rootReal
	// The root's real path is checked too when it differs (a root
	// reached through a symlink).
	other := rootReal != rootAbs
	if !Within(rootAbs, abs) && !(other && Within(rootReal, abs)) {
		why := "a .. path that leaves it"
		if filepath.IsAbs(name) {
			why = "an absolute path that leaves it"
		}
		return nil, &Error{name, rootAbs, why}
	}
	if underGit(rootAbs, abs) || other && underGit(rootReal, abs) {
		return nil, &Error{name, rootAbs, "under .git (repository data, never read as a zone file or config)"}
	}
	real, exists, info, err := t.real(abs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact.Name(name), unwrapPathErr(err))
	}
	if !Within(rootReal, real) {
		return nil, &Error{name, rootAbs, "a symlink that leads out of it"}
	}
	if underGit(rootReal, real) {
		return nil, &Error{name, rootAbs, "a symlink to a file under .git (repository data, never read as a zone file or config)"}
	}
	f := &File{Path: path, Real: real, Exists: exists, name: name, info: info}
	if exists && info == nil {
		if f.info, err = os.Stat(real); err != nil {
			return nil, fmt.Errorf("%s: %w", redact.Name(name), unwrapPathErr(err))
		}
	}
	return f, nil
}

// dir is the real path of the folder dir (absolute, clean), resolved
// once: below the root, from the root's real path one folder at a time
// (an lstat each, each folder on the way remembered too), else from /.
// A symlink on the way is resolved the long way.
func (t *Tree) dir(dir string) (string, error) {
	t.mu.Lock()
	real, ok := t.dirs[dir]
	t.mu.Unlock()
	if ok {
		return real, nil
	}
	rel, below := "", false
	for _, r := range []string{t.rootAbs, t.rootReal} {
		if Within(r, dir) {
			rel, _ = filepath.Rel(r, dir)
			below = true
			break
		}
	}
	if !below {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			t.remember(dir, real)
		}
		return real, err
	}
	real = t.rootReal
	at := dir[:len(dir)-len(rel)]
	if rel == "." {
		at = dir
	}
	for _, c := range strings.Split(rel, string(filepath.Separator)) {
		if c == "." {
			break
		}
		at = filepath.Join(at, c)
		t.mu.Lock()
		known, ok := t.dirs[at]
		t.mu.Unlock()
		if ok {
			real = known
			continue
		}
		p := filepath.Join(real, c)
		fi, err := os.Lstat(p)
		switch {
		case err != nil:
			return "", err
		case fi.Mode()&fs.ModeSymlink != 0:
			if real, err = filepath.EvalSymlinks(dir); err == nil {
				t.remember(dir, real)
			}
			return real, err
		case !fi.IsDir():
			return "", fmt.Errorf("%s: %w", c, syscall.ENOTDIR)
		}
		real = p
		t.remember(at, real)
	}
	t.remember(dir, real)
	return real, nil
}

func (t *Tree) remember(dir, real string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dirs == nil {
		t.dirs = map[string]string{}
	}
	t.dirs[dir] = real
}

// Trees are the Trees of the repositories that hold many files: each
// folder's repository (Root) found once, one Tree per repository. The
// zero value is ready; safe for concurrent use.
type Trees struct {
	mu    sync.Mutex
	byDir map[string]*Tree // folder → its repository's Tree
	trees map[string]*Tree // root → Tree
}

// Of is the Tree of the repository holding path (Root of its folder).
func (ts *Trees) Of(path string) *Tree {
	dir := filepath.Dir(path)
	ts.mu.Lock()
	t := ts.byDir[dir]
	ts.mu.Unlock()
	if t != nil {
		return t
	}
	root := Root(dir)
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.byDir == nil {
		ts.byDir, ts.trees = map[string]*Tree{}, map[string]*Tree{}
	}
	if t = ts.trees[root]; t == nil {
		t = NewTree(root)
		ts.trees[root] = t
	}
	ts.byDir[dir] = t
	return t
}

// real resolves the symlinks of abs as evalExisting does: its folder's
// once per Tree, then the name itself with one lstat (info is that
// lstat's when the name is no symlink, else nil). A symlink, or a folder
// that does not exist, is resolved the long way.
func (t *Tree) real(abs string) (real string, exists bool, info os.FileInfo, err error) {
	dir, base := filepath.Split(abs)
	dir = filepath.Clean(dir)
	dirReal, err := t.dir(dir)
	if err != nil {
		real, exists, err = evalExisting(abs)
		return real, exists, nil, err
	}
	if base == "" { // abs is the file system's root
		return dirReal, true, nil, nil
	}
	p := filepath.Join(dirReal, base)
	fi, err := os.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return p, false, nil, nil
	case err != nil:
		return "", false, nil, err
	case fi.Mode()&fs.ModeSymlink != 0:
		real, exists, err = evalExisting(abs)
		return real, exists, nil, err
	}
	return p, true, fi, nil
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
	fh, st, err := openRead(f.Real)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s: the file changed while it was being checked (it is now a symlink)", redact.Name(f.name))
	}
	if errors.Is(err, errNotRegular) {
		return nil, fmt.Errorf("%s: the file changed while it was being checked (it is no longer a regular file)", redact.Name(f.name))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact.Name(f.name), unwrapPathErr(err))
	}
	// The same file as the one examined (os.SameFile: device and inode).
	if was, ok := f.info.Sys().(*syscall.Stat_t); !ok || was.Dev != st.Dev || was.Ino != st.Ino {
		fh.Close()
		return nil, fmt.Errorf("%s: the file changed while it was being checked", redact.Name(f.name))
	}
	return fh, nil
}

// openRead opens path for reading, no symlink followed at its last step,
// a regular file only, as a plain file, and gives its status: os.NewFile,
// not os.OpenFile, whose file is offered to the network poller first (for
// a regular file that is four fcntl and an epoll_ctl that fails, on every
// open: a run over 10,000 zone files opens each one once or twice). It
// opens with O_NONBLOCK, so that a FIFO put in the file's place after
// the check is refused rather than waited on for ever (an open for
// reading waits for a writer), and takes the flag off a regular file
// (one fcntl) before NewFile, which would offer a non-blocking file to
// the poller.
func openRead(path string) (*os.File, *syscall.Stat_t, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
		var st syscall.Stat_t
		if err := syscall.Fstat(fd, &st); err != nil {
			syscall.Close(fd)
			return nil, nil, &os.PathError{Op: "fstat", Path: path, Err: err}
		}
		if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
			syscall.Close(fd)
			return nil, nil, &os.PathError{Op: "open", Path: path, Err: errNotRegular}
		}
		// F_SETFL 0: no status flag of this read-only file is wanted
		// (O_NONBLOCK off; the access mode and O_CLOEXEC stay).
		if _, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_SETFL, 0); e != 0 {
			syscall.Close(fd)
			return nil, nil, &os.PathError{Op: "fcntl", Path: path, Err: e}
		}
		return os.NewFile(uintptr(fd), path), &st, nil
	}
}

// errNotRegular: what openRead opened is not a regular file (a FIFO, a
// device, a folder put in the checked file's place).
var errNotRegular = errors.New("not a regular file")

// ReadFile reads path, a regular file inside root (Check, then Open):
// a symlink out of the repository, a path under .git or anything but a
// regular file (a FIFO would block the read, a device never end) is an
// error before it is opened.
func ReadFile(root, path string) ([]byte, error) {
	f, err := Check(root, path)
	if err != nil {
		return nil, err
	}
	fh, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return io.ReadAll(fh)
}

// WriteFile writes b to path, a file of the repository at root (a report,
// the audit trail, a zone file rewritten): its folder must resolve inside
// root (no symlink out, nothing under .git; it is created when missing),
// and the file is replaced, never written through: b goes to a temporary
// file beside it, renamed over path, so a symlink at path is replaced
// rather than followed and a failed write leaves the old file whole.
func WriteFile(root, path string, b []byte, perm os.FileMode) error {
	return WriteFrom(root, path, bytes.NewReader(b), perm)
}

// WriteFrom is WriteFile of what r reads, copied as it is read (a report
// too large to hold).
func WriteFrom(root, path string, r io.Reader, perm os.FileMode) error {
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
	_, werr := io.Copy(tmp, r)
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
	return err == nil && relWithin(rel)
}

// relWithin reports whether rel, a path filepath.Rel made relative to a
// folder, stays inside that folder.
func relWithin(rel string) bool {
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// underGit reports whether p (inside root) has a .git component below root.
func underGit(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil || !relWithin(rel) {
		return false
	}
	for rest := rel; rest != ""; {
		var c string
		c, rest, _ = strings.Cut(rest, string(filepath.Separator))
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

// WriteFileMaking is WriteFile for a path the caller chose (import -o),
// whose folders need not exist yet (adopting dnsparity imports each zone
// into a zones/ folder not there yet): the root is the nearest folder
// above path that exists, and the folders below it are made.
func WriteFileMaking(path string, b []byte, perm os.FileMode) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	root := filepath.Dir(abs)
	for {
		if _, err := os.Lstat(root); err == nil || filepath.Dir(root) == root {
			break
		}
		root = filepath.Dir(root)
	}
	return WriteFile(root, path, b, perm)
}
