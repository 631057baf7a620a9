package shell

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestHintsQuoteNames: every command a hint tells the user to run
// ("run `dnsparity flip --zone %s --dry-run`") takes each name it is
// built from (a zone, a provider, a path) through Quote or Line, so that
// it pastes as printed: a zone name in presentation form may hold a
// backslash escape (a\$b.test.), a provider's name or a path a space or
// a $. Read from the source of cmd and internal: a format verb (but %d;
// %[2]s takes the argument it names) or a string joined with + (or +=
// onto a string that ends inside a span) inside a "`dnsparity ...`" span
// of a string literal must take Quote(...) or Line(...) as its value,
// or a variable every assignment of which is one. The cutover and
// report hints printed zone and provider names as they were.
func TestHintsQuoteNames(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	for _, dir := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			n, err := scanHints(t, path, nil)
			checked += n
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 20 {
		t.Errorf("only %d names in hints' commands found: the scan reads no hint", checked)
	}
}

// TestHintsCutoverCommandsNameZone: a hint's cutover command (status,
// flip, rollback, finish), each of which requires --zone, names the zone:
// "run `dnsparity status`" failed when pasted ("--zone NAME is
// required"), and the cutover's gates and actions said so in some twenty
// places. Read from the string literals of cmd and internal: the span of
// such a command, up to its closing backquote in the same literal, holds
// "--zone".
func TestHintsCutoverCommandsNameZone(t *testing.T) {
	root := filepath.Join("..", "..")
	withoutZone(t, "`dnsparity (status|flip|rollback|finish)\\b[^`]*(`|$)", "a cutover command without --zone fails when pasted", 5,
		filepath.Join(root, "cmd"), filepath.Join(root, "internal"))
}

// TestCutoverHintsScopeToZone: a cutover step is about one zone, and a
// push, plan, parity or import without --zone acts on every zone of the
// config: a hint in internal/cutover that says "`dnsparity push
// --provider old`" pushes zones the step never looked at (walk19 found
// seven such hints).
func TestCutoverHintsScopeToZone(t *testing.T) {
	withoutZone(t, "`dnsparity (push|plan|parity|import)\\b[^`]*(`|$)", "a cutover hint without --zone acts on every zone of the config", 5,
		filepath.Join("..", "cutover"))
}

// withoutZone fails t for each span of a string literal of the Go files
// (tests aside) below dirs that matches the command pattern cmd without
// holding "--zone", saying why; fewer than minSpans spans matched fails too.
func withoutZone(t *testing.T, cmd, why string, minSpans int, dirs ...string) {
	t.Helper()
	re, seen, spans := regexp.MustCompile(cmd), 0, 0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			seen++
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				s, ok := literal(n)
				if !ok {
					return true
				}
				for _, m := range re.FindAllString(s, -1) {
					spans++
					if !strings.Contains(m, "--zone") {
						t.Errorf("%s: %q: %s", fset.Position(n.Pos()), m, why)
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
	if seen == 0 || spans < minSpans {
		// a pattern that drifted from how hints are written checks nothing
		t.Fatalf("%d Go files below %v, %d command spans matched: want some files and at least %d spans", seen, dirs, spans, minSpans)
	}
}

// TestHintsScanSees: the scan of TestHintsQuoteNames finds a name left
// unquoted in each way a hint is built, and passes each quoted one: it
// did not see a += onto an open span, nor read %[1]s, and refused a
// variable assigned from shell.Quote.
func TestHintsScanSees(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		bad        int
	}{
		{"verb", "_ = fmt.Sprintf(\"run `dnsparity flip --zone %s`\", z)", 1},
		{"verb quoted", "_ = fmt.Sprintf(\"run `dnsparity flip --zone %s`\", shell.Quote(z))", 0},
		{"indexed verb", "_ = fmt.Sprintf(\"%[2]s: run `dnsparity flip --zone %[1]s`\", z, shell.Quote(z))", 1},
		{"indexed verb quoted", "_ = fmt.Sprintf(\"%[2]s: run `dnsparity flip --zone %[1]s`, `dnsparity status --zone %[1]s`\", shell.Quote(z), z)", 0},
		{"+= onto an open span", "s := \"run `dnsparity flip --zone \"\n\ts += z\n\t_ = s", 1},
		{"+= joined", "s := \"\"\n\ts += \"run `dnsparity flip --zone \" + z + \"`\"\n\t_ = s", 1},
		{"+= quoted", "s := \"run `dnsparity flip --zone \"\n\ts += shell.Quote(z) + \"`\"\n\t_ = s", 0},
		{"a variable from Quote", "q := shell.Quote(z)\n\t_ = fmt.Sprintf(\"run `dnsparity flip --zone %s`\", q)", 0},
		{"a parameter given Quote's value", "z = shell.Quote(z)\n\t_ = fmt.Sprintf(\"run `dnsparity flip --zone %s`\", z)", 1},
		{"a range variable", "for _, q := range []string{z} {\n\t\t_ = fmt.Sprintf(\"run `dnsparity flip --zone %s`\", q)\n\t}", 1},
		{"a variable from Quote, then not", "q := shell.Quote(z)\n\tq = z\n\t_ = fmt.Sprintf(\"run `dnsparity flip --zone %s`\", q)", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.go")
			src := "package x\n\nfunc f(z string) {\n\t" + tc.body + "\n}\n"
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			var bad []string
			if _, err := scanHints(t, path, func(msg string) { bad = append(bad, msg) }); err != nil {
				t.Fatal(err)
			}
			if len(bad) != tc.bad {
				t.Errorf("%s: %d unquoted (%q), want %d", src, len(bad), bad, tc.bad)
			}
		})
	}
}

// scanner reads one file's hints; report is told each unquoted name.
// Variables are known by name within one top-level declaration (the
// scan has no type information; go/ast's objects are deprecated): a
// name is quoted when every assignment to it there is, and it is no
// parameter.
type scanner struct {
	fset   *token.FileSet
	report func(string)
	// quotedVar: a variable every assignment of which is quoted.
	quotedVar map[string]bool
	// openSpan: a string variable whose value so far ends inside a span
	// (a += onto it continues the span).
	openSpan map[string]bool
	skip     map[ast.Node]bool // already checked as an assignment's value
}

// scanHints checks the hints of the Go file at path; report (nil:
// t.Errorf) is told each name left unquoted. It returns how many names
// it checked.
func scanHints(t *testing.T, path string, report func(string)) (int, error) {
	if report == nil {
		report = func(msg string) { t.Error(msg) }
	}
	sc := &scanner{fset: token.NewFileSet(), report: report, skip: map[ast.Node]bool{}}
	f, err := parser.ParseFile(sc.fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return 0, err
	}
	checked := 0
	for _, d := range f.Decls {
		sc.learn(d)
		ast.Inspect(d, func(n ast.Node) bool {
			if sc.skip[n] {
				return false
			}
			switch n := n.(type) {
			case *ast.AssignStmt:
				checked += sc.checkAssign(n)
			case *ast.CallExpr:
				checked += sc.checkFormat(n)
			case *ast.BinaryExpr:
				if n.Op == token.ADD {
					c, _ := sc.checkJoin(n, false)
					checked += c
					return false
				}
			}
			return true
		})
	}
	return checked, nil
}

// learn reads which variables of the declaration d are quoted
// (quotedVar), before its hints are checked.
func (sc *scanner) learn(d ast.Decl) {
	sc.quotedVar, sc.openSpan = map[string]bool{}, map[string]bool{}
	params := map[string]bool{}
	set := func(name string, quoted bool) {
		all, seen := sc.quotedVar[name]
		sc.quotedVar[name] = (all || !seen) && quoted
	}
	ast.Inspect(d, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			for _, id := range n.Names {
				params[id.Name] = true
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					set(id.Name, n.Tok != token.ADD_ASSIGN && len(n.Rhs) == len(n.Lhs) && sc.quoted(n.Rhs[i]))
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				set(id.Name, len(n.Values) == len(n.Names) && sc.quoted(n.Values[i]))
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					set(id.Name, false)
				}
			}
		}
		return true
	})
	for p := range params {
		sc.quotedVar[p] = false
	}
}

// quoted reports whether e is a call of Quote or Line (shell.Quote,
// shell.Line), or a variable every assignment of which is one.
func (sc *scanner) quoted(e ast.Expr) bool {
	if id, ok := e.(*ast.Ident); ok {
		return sc.quotedVar[id.Name]
	}
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
func literal(e ast.Node) (string, bool) {
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

// checkAssign checks a string value assigned to a variable (s :=
// "...", s += ...): a += continues the span the variable's value ends
// in, and the span the value ends in is kept for the next +=.
func (sc *scanner) checkAssign(n *ast.AssignStmt) int {
	if len(n.Lhs) != len(n.Rhs) {
		return 0
	}
	checked := 0
	for i, l := range n.Lhs {
		id, ok := l.(*ast.Ident)
		r := n.Rhs[i]
		_, lit := literal(r)
		b, join := r.(*ast.BinaryExpr)
		join = join && b.Op == token.ADD
		if !ok || !lit && !join && n.Tok != token.ADD_ASSIGN {
			continue
		}
		c, open := sc.checkJoin(r, n.Tok == token.ADD_ASSIGN && sc.openSpan[id.Name])
		checked += c
		sc.openSpan[id.Name] = open
		sc.skip[r] = true
	}
	return checked
}

// checkFormat checks a call whose arguments start with a format literal
// (fmt.Sprintf(format, args...), fmt.Errorf, w.Printf...): each verb of
// a span takes a quoted argument ("%[2]s" the second). It returns how
// many it checked.
func (sc *scanner) checkFormat(c *ast.CallExpr) int {
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
			for k < len(format) && strings.IndexByte("+-# 0123456789.[]", format[k]) >= 0 {
				if format[k] == '[' {
					end := strings.IndexByte(format[k:], ']')
					if n, err := strconv.Atoi(format[k+1 : k+max(end, 1)]); end > 0 && err == nil {
						arg = i + n
					}
				}
				k++
			}
			if k == len(format) || format[k] == '%' {
				j = k
				continue
			}
			if inside[j] && format[k] != 'd' {
				checked++
				if arg >= len(c.Args) || !sc.quoted(c.Args[arg]) {
					sc.report(fmt.Sprintf("%s: %q: the value of %%%c in a command to paste is not shell.Quote'd", sc.fset.Position(c.Pos()), format, format[k]))
				}
			}
			arg++
			j = k
		}
		return checked
	}
	return 0
}

// checkJoin checks a chain of strings joined with + (or one value),
// given whether it starts inside a span: each operand that is not a
// literal, inside a span, is quoted. It returns how many it checked and
// whether the chain ends inside a span.
func (sc *scanner) checkJoin(e ast.Expr, in bool) (int, bool) {
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
	flatten(e)
	checked := 0
	for _, op := range ops {
		if s, ok := literal(op); ok {
			_, in = spans(s, in)
			continue
		}
		if in {
			checked++
			if !sc.quoted(op) {
				sc.report(fmt.Sprintf("%s: a value joined into a command to paste is not shell.Quote'd", sc.fset.Position(op.Pos())))
			}
		}
		// A call's own arguments (fmt.Sprintf inside a join) are
		// checked as calls.
		ast.Inspect(op, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				checked += sc.checkFormat(c)
			}
			return true
		})
	}
	return checked, in
}
