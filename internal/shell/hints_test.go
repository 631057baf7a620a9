package shell

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestHintsQuoteNames: every command a hint tells the user to run
// ("run `dnsparity flip --zone %s --dry-run`") takes each name it is
// built from (a zone, a provider, a path) through Quote or Line, so that
// it pastes as printed: a zone name in presentation form may hold a
// backslash escape (a\$b.test.), a provider's name or a path a space or
// a $. Read from the source of cmd and internal: a format verb (but %d)
// or a string joined with + inside a "`dnsparity ...`" span of a string
// literal must take Quote(...) or Line(...) as its value. The cutover
// and report hints printed zone and provider names as they were.
func TestHintsQuoteNames(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	for _, dir := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					checked += checkFormat(t, fset, n)
				case *ast.BinaryExpr:
					if n.Op == token.ADD {
						checked += checkJoin(t, fset, n)
						return false
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
	if checked < 20 {
		t.Errorf("only %d names in hints' commands found: the scan reads no hint", checked)
	}
}

// quoted reports whether e is a call of Quote or Line (shell.Quote,
// shell.Line).
func quoted(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	if s, ok := c.Fun.(*ast.SelectorExpr); ok && (s.Sel.Name == "Quote" || s.Sel.Name == "Line") {
		x, ok := s.X.(*ast.Ident)
		return ok && x.Name == "shell"
	}
	return false
}

// literal is the value of e when it is a string literal.
func literal(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}

// spans returns, for each byte of s, whether it is inside a
// "`dnsparity ...`" span, given whether s starts inside one; and
// whether it ends inside one.
func spans(s string, in bool) ([]bool, bool) {
	inside := make([]bool, len(s))
	for i := 0; i < len(s); i++ {
		switch {
		case !in && strings.HasPrefix(s[i:], "`dnsparity "):
			in = true
		case in && s[i] == '`':
			in = false
		}
		inside[i] = in
	}
	return inside, in
}

// checkFormat checks a call whose arguments start with a format literal
// (fmt.Sprintf(format, args...), fmt.Errorf, w.Printf...): each verb of
// a span takes a quoted argument. It returns how many it checked.
func checkFormat(t *testing.T, fset *token.FileSet, c *ast.CallExpr) int {
	for i, a := range c.Args {
		format, ok := literal(a)
		if !ok || !strings.Contains(format, "`dnsparity ") || !strings.Contains(format, "%") {
			continue
		}
		inside, _ := spans(format, false)
		checked, arg := 0, i+1
		for j := 0; j < len(format); j++ {
			if format[j] != '%' {
				continue
			}
			k := j + 1
			for k < len(format) && strings.IndexByte("+-# 0123456789.", format[k]) >= 0 {
				k++
			}
			if k == len(format) || format[k] == '%' {
				j = k
				continue
			}
			if inside[j] && format[k] != 'd' {
				checked++
				if arg >= len(c.Args) || !quoted(c.Args[arg]) {
					t.Errorf("%s: %q: the value of %%%c in a command to paste is not shell.Quote'd", fset.Position(c.Pos()), format, format[k])
				}
			}
			arg++
			j = k
		}
		return checked
	}
	return 0
}

// checkJoin checks a chain of strings joined with +: each operand
// that is not a literal, inside a span, is quoted.
func checkJoin(t *testing.T, fset *token.FileSet, b *ast.BinaryExpr) int {
	var ops []ast.Expr
	var flatten func(e ast.Expr)
	flatten = func(e ast.Expr) {
		if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
			flatten(b.X)
			flatten(b.Y)
			return
		}
		ops = append(ops, e)
	}
	flatten(b)
	in, checked := false, 0
	for _, op := range ops {
		if s, ok := literal(op); ok {
			_, in = spans(s, in)
			continue
		}
		if in {
			checked++
			if !quoted(op) {
				t.Errorf("%s: a value joined into a command to paste is not shell.Quote'd", fset.Position(op.Pos()))
			}
		}
		// A call's own arguments (fmt.Sprintf inside a join) are
		// checked as calls.
		ast.Inspect(op, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				checked += checkFormat(t, fset, c)
			}
			return true
		})
	}
	return checked
}
