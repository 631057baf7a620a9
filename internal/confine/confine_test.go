package confine

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestResolveAndCheck(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{".git", "zones/sub"} {
		must(os.MkdirAll(filepath.Join(root, d), 0o755))
	}
	must(os.WriteFile(filepath.Join(base, "outside.zone"), []byte("secret"), 0o644))
	must(os.WriteFile(filepath.Join(root, "zones", "a.zone"), []byte("a"), 0o644))
	must(os.WriteFile(filepath.Join(root, ".git", "config"), []byte("url"), 0o644))
	must(os.Symlink(filepath.Join(base, "outside.zone"), filepath.Join(root, "zones", "out.zone")))
	must(os.Symlink(base, filepath.Join(root, "zones", "outdir")))
	must(os.Symlink("a.zone", filepath.Join(root, "zones", "in.zone")))
	must(os.Symlink("../.git", filepath.Join(root, "zones", "gitdir")))
	must(os.Symlink(filepath.Join(base, "nowhere"), filepath.Join(root, "zones", "dangling")))
	must(os.WriteFile(filepath.Join(root, "zones", "sub", "b.zone"), []byte("b"), 0o644))
	must(os.Symlink("sub", filepath.Join(root, "zones", "linked")))
	must(os.Symlink(root, filepath.Join(base, "repolink")))

	zones := filepath.Join(root, "zones")
	// The same answers from Resolve (a fresh Tree each time), from one Tree
	// over every name, and from that Tree again (its folders remembered).
	shared := NewTree(root)
	for _, way := range []struct {
		name    string
		resolve func(base, name string) (*File, error)
	}{
		{"Resolve", func(base, name string) (*File, error) { return Resolve(root, base, name) }},
		{"one Tree", shared.Resolve},
		{"the Tree again", shared.Resolve},
	} {
		t.Run(way.name, func(t *testing.T) { resolveCases(t, zones, way.resolve) })
	}
	// A root named through a symlink: its real path is the repository's.
	linked := NewTree(filepath.Join(base, "repolink"))
	for range 2 {
		if f, err := linked.Resolve(filepath.Join(base, "repolink", "zones"), "linked/b.zone"); err != nil || !f.Exists || f.Real != filepath.Join(root, "zones", "sub", "b.zone") {
			t.Errorf("through the linked root: %+v %v", f, err)
		}
		if _, err := linked.Resolve(filepath.Join(base, "repolink", "zones"), "out.zone"); !errors.Is(err, ErrOutside) {
			t.Errorf("out.zone through the linked root: %v", err)
		}
	}
	// Typed paths may be absolute; the other rules hold.
	if _, err := Check(root, filepath.Join(zones, "a.zone")); err != nil {
		t.Error(err)
	}
	for _, p := range []string{filepath.Join(zones, "out.zone"), filepath.Join(root, ".git", "config")} {
		if _, err := Check(root, p); !errors.Is(err, ErrOutside) {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func resolveCases(t *testing.T, zones string, resolve func(base, name string) (*File, error)) {
	for _, c := range []struct {
		name, why string // why "": accepted
		exists    bool
	}{
		{"a.zone", "", true},
		{"in.zone", "", true},
		{"sub/../a.zone", "", true},
		{"new/trail.json", "", false},
		{"../zones/a.zone", "", true},
		{filepath.Join(zones, "a.zone"), "", true},
		{"/etc/passwd", "an absolute path that leaves it", false},
		{"../../outside.zone", "a .. path that leaves it", false},
		{"out.zone", "a symlink that leads out of it", false},
		{"outdir/outside.zone", "a symlink that leads out of it", false},
		{"outdir/new/file", "a symlink that leads out of it", false},
		{"../.git/config", "under .git", false},
		{"../.GIT/config", "under .git", false},
		{"gitdir/config", "a symlink to a file under .git", false},
		{"dangling/x", "dangling symlink", false},
		{"linked/b.zone", "", true},
		{"sub/b.zone", "", true},
		{"linked/../a.zone", "", true},
		{"sub/new.zone", "", false},
		{"a.zone/x", "not a directory", false},
	} {
		f, err := resolve(zones, c.name)
		if c.why == "" {
			if err != nil || f.Exists != c.exists {
				t.Errorf("%s: %v (exists %v)", c.name, err, f != nil && f.Exists)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.why) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.why)
			continue
		}
		if c.why != "dangling symlink" && c.why != "not a directory" && (!errors.Is(err, ErrOutside) || !strings.Contains(err.Error(), "outside the repository") || !strings.HasPrefix(err.Error(), c.name+": ")) {
			t.Errorf("%s: %v does not name the path and say it is outside the repository", c.name, err)
		}
	}
}

// TestOpenRefusesSwap: a file replaced between the check and the open
// (by a symlink out, by another file, or by a FIFO, whose open would
// wait for a writer for ever) is not opened.
func TestOpenRefusesSwap(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(base, "secret")
	if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(root, "z.zone")
	for _, swap := range []func() error{
		func() error { os.Remove(p); return os.Symlink(outside, p) },
		func() error {
			if err := os.WriteFile(p+".new", []byte("secret"), 0o644); err != nil {
				return err
			}
			return os.Rename(p+".new", p)
		},
		func() error { os.Remove(p); return syscall.Mkfifo(p, 0o644) },
	} {
		os.Remove(p)
		if err := os.WriteFile(p, []byte("ok"), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := Resolve(root, root, "z.zone")
		if err != nil {
			t.Fatal(err)
		}
		if err := swap(); err != nil {
			t.Fatal(err)
		}
		fh, err := f.Open()
		if err == nil {
			b, _ := io.ReadAll(fh)
			fh.Close()
			t.Fatalf("opened a swapped file: %q", b)
		}
		if !strings.Contains(err.Error(), "changed while it was being checked") {
			t.Errorf("error %v", err)
		}
	}
	if err := os.Mkdir(filepath.Join(root, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if f, err := Resolve(root, root, "d"); err != nil {
		t.Fatal(err)
	} else if _, err := f.Open(); err == nil || !strings.Contains(err.Error(), "not a file") {
		t.Errorf("a folder: %v", err)
	}
	if f, err := Resolve(root, root, "missing"); err != nil {
		t.Fatal(err)
	} else if _, err := f.Open(); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing: %v", err)
	}
}

func TestRoot(t *testing.T) {
	base := t.TempDir()
	deep := filepath.Join(base, "r", "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := Root(deep); got != deep {
		t.Errorf("no .git: Root = %s", got)
	}
	// A worktree's .git is a file.
	if err := os.WriteFile(filepath.Join(base, "r", ".git"), []byte("gitdir: x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Root(deep); got != filepath.Join(base, "r") {
		t.Errorf("Root = %s", got)
	}
}

// TestWriteFile: a file of the repository is replaced, never written
// through a symlink at its name; a folder that leads out of the
// repository (or under .git) is refused, nothing written.
func TestWriteFile(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(root, ".git"), filepath.Join(root, "reports"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	victim := filepath.Join(outside, "victim")
	if err := os.WriteFile(victim, []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(root, "reports", "r.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(root, filepath.Join(root, "reports", "r.json"), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "kept" {
		t.Errorf("written through the symlink: %q", b)
	}
	if fi, err := os.Lstat(filepath.Join(root, "reports", "r.json")); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o644 {
		t.Errorf("the symlink was not replaced by the file: %v %v", fi, err)
	}
	for _, p := range []string{filepath.Join(root, "out", "r.json"), filepath.Join(root, ".git", "hooks", "x"), filepath.Join(base, "r.json")} {
		err := WriteFile(root, p, []byte("new"), 0o644)
		if !errors.Is(err, ErrOutside) {
			t.Errorf("%s: %v, want outside the repository", p, err)
		}
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 1 {
		t.Errorf("files written outside: %v", ents)
	}
	if _, err := os.Stat(filepath.Join(root, ".git", "hooks")); err == nil {
		t.Errorf("a folder was made under .git")
	}
}

// TestTrees: the folders of one repository share its Tree (found once per
// folder); a folder of a repository inside it (its own .git) has its own.
func TestTrees(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{".git", "zones/a", "zones/b", "vendor/dns/.git", "vendor/dns/zones"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var ts Trees
	a, b := ts.Of(filepath.Join(root, "zones/a/x.zone")), ts.Of(filepath.Join(root, "zones/b/y.zone"))
	inner := ts.Of(filepath.Join(root, "vendor/dns/zones/z.zone"))
	if a != b || a.Root() != root {
		t.Errorf("one repository, two Trees or root %s", a.Root())
	}
	if inner == a || inner.Root() != filepath.Join(root, "vendor/dns") {
		t.Errorf("the inner repository's Tree: root %s", inner.Root())
	}
	if ts.Of(filepath.Join(root, "zones/a/other.zone")) != a {
		t.Error("a folder's Tree found again")
	}
}

// TestWithinAndUnderGit: what lies at or below a root (lexically), and
// what has a .git component below it, in any case.
func TestWithinAndUnderGit(t *testing.T) {
	for _, c := range []struct {
		root, p     string
		within, git bool
	}{
		{"/r", "/r", true, false},
		{"/r", "/r/a/b", true, false},
		{"/r", "/rx", false, false},
		{"/r", "/", false, false},
		{"/r", "/r/../x", false, false},
		{"/r", "/r/..a", true, false},
		{"/", "/a", true, false},
		{"/r", "/r/.git/config", true, true},
		{"/r", "/r/a/.GIT", true, true},
		{"/r", "/r/.gitignore", true, false},
		{"/r", "/r/a.git/x", true, false},
		{"/r", "/.git", false, false},
		{"/r/.git", "/r/.git/x", true, false}, // only components below the root count
		{"/r", "/r/a/./.git/../b", true, false},
	} {
		if got := Within(c.root, c.p); got != c.within {
			t.Errorf("Within(%s, %s) = %v, want %v", c.root, c.p, got, c.within)
		}
		if got := underGit(c.root, c.p); got != c.git {
			t.Errorf("underGit(%s, %s) = %v, want %v", c.root, c.p, got, c.git)
		}
	}
}
