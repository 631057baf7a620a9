package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
	flagLine := regexp.MustCompile(`(?m)^  -([a-z-]+)`)
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
		for _, m := range flagLine.FindAllStringSubmatch(errs.String(), -1) {
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
