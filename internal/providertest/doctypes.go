package providertest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// DocumentedTypes fails t unless the record types caps holds are the
// ones the docs list for the provider typ: its row of README.md's
// provider table ("| `typ` | A AAAA …; …") and the "| types |" row of
// its own README.md (the test's directory: "A, AAAA (…), …; …"). Each
// list is read up to its first ";" outside parentheses, whose notes it
// skips.
func DocumentedTypes(t *testing.T, typ string, caps provider.Capabilities) {
	t.Helper()
	var want []string
	for k := range caps.Types {
		want = append(want, dns.Type(k).String())
	}
	slices.Sort(want)
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []struct{ path, row string }{
		{filepath.Join(root, "README.md"), "| `" + typ + "` |"},
		{"README.md", "| types |"},
	} {
		b, err := os.ReadFile(doc.path)
		if err != nil {
			t.Fatal(err)
		}
		var cell string
		var line int
		for i, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, doc.row) {
				cell, line = strings.Split(l, "|")[2], i+1
				break
			}
		}
		if line == 0 {
			t.Errorf("%s: no row %q", doc.path, doc.row)
			continue
		}
		got := typeList(cell)
		if !slices.Equal(got, want) {
			t.Errorf("%s:%d lists the types %s; the provider holds %s", doc.path, line, strings.Join(got, " "), strings.Join(want, " "))
		}
	}
}

// typeList is the sorted type names of a docs cell, up to its first ";"
// outside parentheses, parenthesized notes left out.
func typeList(cell string) []string {
	var b strings.Builder
	depth := 0
	for _, r := range cell {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0 && r == ';':
			return sortedFields(b.String())
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return sortedFields(b.String())
}

func sortedFields(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	slices.Sort(f)
	return f
}

// moduleRoot is the directory of go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("the module's root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no go.mod in %s or above: %w", dir, os.ErrNotExist)
		}
		dir = up
	}
}
