package main

import (
	"bytes"
	"context"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestArchitectureNamesEveryFlag: docs/ARCHITECTURE.md's table of
// commands (the contract others rely on) has a row for every command and
// names every flag its -h lists; --config is named in the sentence above
// the table. A user looking up matrix, merge, flip --from-current or the
// waves' flags found nothing there.
func TestArchitectureNamesEveryFlag(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i := strings.Index(doc, "### Commands and flags")
	j := strings.Index(doc[i:], "### JSON shapes")
	if i < 0 || j < 0 {
		t.Fatal("docs/ARCHITECTURE.md: no section Commands and flags")
	}
	section := doc[i : i+j]
	configs, _, _ := strings.Cut(section[strings.Index(section, "`--config FILE` ("):], ")")
	flagLine := regexp.MustCompile(`(?m)^  --?([a-z-]+)`)
	for _, c := range commands() {
		var row string
		for _, l := range strings.Split(section, "\n") {
			if strings.HasPrefix(l, "| `"+c.name+"`") || strings.HasPrefix(l, "| `"+c.name+" ") {
				row = l
			}
		}
		if row == "" {
			t.Errorf("docs/ARCHITECTURE.md: no row for %s", c.name)
			continue
		}
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		a.main(context.Background(), []string{c.name, "-h"})
		for _, m := range flagLine.FindAllStringSubmatch(out.String(), -1) {
			f := m[1]
			switch {
			case f == "config":
				if !regexp.MustCompile(`\b` + c.name + `\b`).MatchString(configs) {
					t.Errorf("docs/ARCHITECTURE.md: the --config sentence does not name %s", c.name)
				}
			case len(f) == 1:
				if !strings.Contains(row, "`-"+f+" ") && !strings.Contains(row, "`-"+f+"`") {
					t.Errorf("docs/ARCHITECTURE.md: the row of %s does not name -%s", c.name, f)
				}
			case !regexp.MustCompile("`--" + f + "[` ]").MatchString(row):
				t.Errorf("docs/ARCHITECTURE.md: the row of %s does not name --%s", c.name, f)
			}
		}
	}
}

// TestArchitectureNamesEveryPackage: the package table of
// docs/ARCHITECTURE.md places every package directly under internal/ in
// its layer, so that the map of the code stays whole as packages come.
func TestArchitectureNamesEveryPackage(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i := strings.Index(doc, "## Packages, top to bottom")
	j := strings.Index(doc[max(i, 0):], "\nRules the code keeps")
	if i < 0 || j < 0 {
		t.Fatal("docs/ARCHITECTURE.md: no package table")
	}
	table := doc[i : i+j]
	dirs, err := os.ReadDir(filepath.Join("..", "..", "internal"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		if gos, _ := filepath.Glob(filepath.Join("..", "..", "internal", d.Name(), "*.go")); len(gos) == 0 {
			continue
		}
		n++
		if !strings.Contains(table, "`internal/"+d.Name()+"`") {
			t.Errorf("docs/ARCHITECTURE.md: the package table does not place internal/%s", d.Name())
		}
	}
	if n < 30 {
		t.Errorf("found only %d packages under internal/: wrong folder?", n)
	}
}

// repoFiles walks the repository (from cmd/dnsparity) and calls f with
// each file's path relative to the root; the .git folder is left out.
func repoFiles(t *testing.T, f func(rel string)) {
	t.Helper()
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			f(filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDocsNameExistingTests: every test a Markdown document names
// (`TestX`, or `TestX*` for the tests whose names start so) is a test
// function of the repository. The READMEs point readers at the test that
// shows a behaviour; a test renamed or folded into another left them
// pointing at nothing (TestChangesKeepsSiblingGlue, TestOldNSTTLBound,
// TestMatrixAndLimit, TestGenerateAgainstNamedCheckzone).
func TestDocsNameExistingTests(t *testing.T) {
	funcs := map[string]bool{}
	var docs []string
	decl := regexp.MustCompile(`(?m)^func (Test[A-Za-z0-9_]+)\(`)
	repoFiles(t, func(rel string) {
		switch {
		case strings.HasSuffix(rel, "_test.go"):
			b, err := os.ReadFile(filepath.Join("..", "..", rel))
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
				funcs[m[1]] = true
			}
		case strings.HasSuffix(rel, ".md"):
			docs = append(docs, rel)
		}
	})
	if len(funcs) < 500 || len(docs) < 10 {
		t.Fatalf("found %d tests and %d documents: wrong folder?", len(funcs), len(docs))
	}
	named := regexp.MustCompile(`\b(Test[A-Z][A-Za-z0-9_]*)(\*?)`)
	n := 0
	for _, doc := range docs {
		b, err := os.ReadFile(filepath.Join("..", "..", doc))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range named.FindAllStringSubmatch(line, -1) {
				n++
				ok := funcs[m[1]]
				for f := range funcs {
					ok = ok || m[2] == "*" && strings.HasPrefix(f, m[1])
				}
				if !ok {
					t.Errorf("%s:%d names %s%s: no such test function", doc, i+1, m[1], m[2])
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d test names found in the documents: wrong pattern?", n)
	}
}

// TestCodeNamesExistingDocs: a document the Go code (tests aside, whose
// strings name the files they write) names, in a string (a check's Ref,
// shown in every report) or a comment, is a file of the repository, and a
// #fragment after it one of its headings. The delegation gate's checks
// cited the gate table of a design note kept outside the repository,
// which no reader of a report could open.
func TestCodeNamesExistingDocs(t *testing.T) {
	byBase := map[string][]string{}
	var gos []string
	repoFiles(t, func(rel string) {
		byBase[path.Base(rel)] = append(byBase[path.Base(rel)], rel)
		if strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go") {
			gos = append(gos, rel)
		}
	})
	// Documents go by capital names (README.md, docs/ARCHITECTURE.md);
	// a lower-case one (summary.md) is a file the code writes.
	ref := regexp.MustCompile(`(?:^|[^A-Za-z0-9_./-])((?:[A-Za-z0-9_.-]+/)*[A-Z][A-Z0-9_-]*\.md)(#[A-Za-z0-9_-]+)?`)
	n := 0
	for _, g := range gos {
		src, err := os.ReadFile(filepath.Join("..", "..", g))
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		file := fset.AddFile(g, -1, len(src))
		var s scanner.Scanner
		s.Init(file, src, nil, scanner.ScanComments)
		for {
			pos, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok != token.STRING && tok != token.COMMENT {
				continue
			}
			for _, m := range ref.FindAllStringSubmatch(lit, -1) {
				n++
				where := fset.Position(pos).String()
				var found string
				if strings.Contains(m[1], "/") {
					if _, err := os.Stat(filepath.Join("..", "..", m[1])); err == nil {
						found = m[1]
					}
				} else if hits := byBase[m[1]]; len(hits) > 0 {
					found = hits[0]
				}
				if found == "" {
					t.Errorf("%s: names %s, which is not a file of the repository", where, m[1])
					continue
				}
				if m[2] != "" && !slices.Contains(docAnchors(t, found), m[2][1:]) {
					t.Errorf("%s: names %s%s, which is not a heading of %s", where, m[1], m[2], found)
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d documents named in the code: wrong pattern?", n)
	}
}

// docAnchors are the fragments GitHub gives the headings of Markdown
// file rel: lower case, punctuation but - and _ dropped, blanks as -.
func docAnchors(t *testing.T, rel string) []string {
	b, err := os.ReadFile(filepath.Join("..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		h := strings.TrimLeft(l, "#")
		if h == l || !strings.HasPrefix(h, " ") {
			continue
		}
		var a strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(h)) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				a.WriteRune(r)
			case r == ' ':
				a.WriteRune('-')
			}
		}
		out = append(out, a.String())
	}
	return out
}
