package plural

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestN(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 errors"}, {1, "1 error"}, {2, "2 errors"}, {1000, "1000 errors"}} {
		if got := N(tc.n, "error", "errors"); got != tc.want {
			t.Errorf("N(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := N(1, "zone file", "zone files"); got != "1 zone file" {
		t.Errorf("N(1, zone file) = %q", got)
	}
	for n, want := range map[int]string{1: "the 1 resolver answers", 3: "all 3 resolvers answer"} {
		if got := All(n, "resolver", "resolvers", "answers", "answer"); got != want {
			t.Errorf("All(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestNoCountsWithoutPlural reads every string literal of the module's Go
// code (tests aside) and fails on "error(s)"-style words and on a count
// always followed by a plural ("%d errors" reads "1 errors"): use N.
func TestNoCountsWithoutPlural(t *testing.T) {
	bad := regexp.MustCompile(`[a-z]\(s\)|(of |/)?%d (errors|warnings|findings|problems|resolvers|change requests|zones|shards)\b[^/]`) // "zones/": a folder
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			for _, m := range bad.FindAllString(lit.Value, -1) {
				// "3 of %d findings", "%d/%d findings": a total, plural.
				// A benchmark's zones and shards are many (its own
				// output, not a user's).
				bench := strings.HasPrefix(filepath.ToSlash(p), "../../bench/")
				many := bench && (strings.Contains(m, " zones") || strings.Contains(m, " shards"))
				if m != "p(s)" && !strings.HasPrefix(m, "of ") && !strings.HasPrefix(m, "/") && !many {
					t.Errorf("%s: %q in %s: write the count with plural.N", fset.Position(lit.Pos()), m, lit.Value)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
