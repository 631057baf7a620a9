package action

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/report"
)

// parityKinds is every finding kind internal/parity's source names: a
// string literal given to a field or variable called Kind or kind (a
// composite literal's key, or the left side of an assignment).
func parityKinds(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../parity/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("parity sources: %v (%d files)", err, len(files))
	}
	kindName := func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name == "Kind" || x.Name == "kind"
		case *ast.SelectorExpr:
			return x.Sel.Name == "Kind" || x.Sel.Name == "kind"
		}
		return false
	}
	seen := map[string]bool{}
	add := func(e ast.Expr) {
		if l, ok := e.(*ast.BasicLit); ok && l.Kind == token.STRING {
			if s, err := strconv.Unquote(l.Value); err == nil && s != "" {
				seen[s] = true
			}
		}
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.KeyValueExpr:
				if kindName(x.Key) {
					add(x.Value)
				}
			case *ast.AssignStmt:
				for i, l := range x.Lhs {
					if kindName(l) && i < len(x.Rhs) {
						add(x.Rhs[i])
					}
				}
			}
			return true
		})
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestParityKindsHaveAdvice: the Next steps line of every kind of parity
// finding is its own. A kind without one got "the providers differ: push
// to both, then re-run parity", which is wrong for most of them: a
// provider-feature warning (the provider's API could not be read, e.g. its
// key unset in a fork's run), a denial chain the side must sign again, a
// signer's compact denial no push can change.
func TestParityKindsHaveAdvice(t *testing.T) {
	kinds := parityKinds(t)
	if len(kinds) < 10 {
		t.Fatalf("only %d kinds found in internal/parity: %v", len(kinds), kinds)
	}
	for _, k := range kinds {
		if k == "not-asked" {
			continue // a question not asked, never a finding's kind
		}
		if _, ok := nextSteps["parity/"+k]; !ok {
			t.Errorf("parity finding kind %q has no next step: the comment advises %q", k, advice("parity", k))
		}
	}
}

// TestUnsupportedRefusalOnce: a record the provider cannot hold makes
// push refuse the zone there, and the plan's JSON says so twice: under
// unsupported, and again in blocked (plan.Plan.Blocked lists each
// unsupported record first). The report showed both rows, counted two
// errors for one record, and the blocked row's next step told to push with
// --force, which does not make the provider take the record. The record
// is one error, whose advice says the zone's push there is refused; an
// unsafe change's refusal is still a blocked row.
func TestUnsupportedRefusalOnce(t *testing.T) {
	const reason = "PowerDNS's API refuses owner names with characters other than letters, digits, '-', '_' and '/' (label \"bad-|pipe\")"
	p := report.PlanZoneJSON{Provider: "new", Zone: "walk.test.", Summary: map[string]int{"create": 1},
		Unsupported: []report.UnsupportedJSON{{Name: "bad-|pipe.walk.test.", Type: "TXT", File: "zones/walk.test.zone", Line: 8, Reason: reason}},
		Blocked: []string{"zones/walk.test.zone:8: bad-|pipe.walk.test. TXT: " + reason,
			"deletes 60% of the zone's RRsets, over policy.max_change_percent 50 (use --force)"}}
	var c composed
	c.addPlans(func(s string) string { return s }, "plan", []report.PlanZoneJSON{p})
	kinds := map[string]int{}
	for _, r := range c.rows {
		kinds[r.kind]++
	}
	if kinds["unsupported"] != 1 || kinds["blocked"] != 1 || len(c.rows) != 2 {
		t.Errorf("rows by kind %v (%d rows), want one unsupported and one blocked (the unsafe delete)", kinds, len(c.rows))
	}
	if a := advice("plan", "unsupported"); !strings.Contains(a, "refused") {
		t.Errorf("the unsupported advice does not say the zone's push is refused: %q", a)
	}
}
