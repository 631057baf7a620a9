package report

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
)

// RepoRoot is the repository root reports name paths from, as annotations
// do: the folder of dnsparity.yaml when there is one (cfgPath), else the
// nearest folder above file (or the working directory) holding .git or
// dnsparity.yaml, else the working directory.
func RepoRoot(cfgPath, file string) string {
	if cfgPath != "" {
		if abs, err := filepath.Abs(filepath.Dir(cfgPath)); err == nil {
			return abs
		}
	}
	wd, _ := os.Getwd()
	start := wd
	if file != "" {
		if abs, err := filepath.Abs(file); err == nil {
			start = abs
			if st, err := os.Stat(abs); err != nil || !st.IsDir() {
				start = filepath.Dir(abs)
			}
		}
	}
	for d := start; ; d = filepath.Dir(d) {
		for _, marker := range []string{".git", config.FileName} {
			if _, err := os.Stat(filepath.Join(d, marker)); err == nil {
				return d
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return wd
}

// RelPath is path relative to root when it lies below it (slash-separated),
// else path as given.
func RelPath(root, path string) string {
	if path == "" || root == "" {
		return path
	}
	absRoot, err1 := filepath.Abs(root)
	abs, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return path
	}
	rel, err := filepath.Rel(absRoot, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return filepath.ToSlash(rel)
}
