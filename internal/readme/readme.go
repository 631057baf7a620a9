// Package readme reads the shell examples of a Markdown document (the
// project's README) as steps that a test can run and hold to what the text
// says: each step's command, its expected exit code and output.
//
// The conventions, which README.md follows and readme_lab_test.go enforces:
//
//   - Every ```sh block is run, unless the line just before its fence is
//     <!-- not run by the README test: REASON -->.
//   - The blocks under one "## " heading run in order in one bash session
//     (variables, the working folder and background processes carry over
//     from block to block); each section starts in the repository root.
//   - A step is one top-level command: a line, with its continuation lines
//     (a trailing backslash), its here-documents, and the lines of a
//     for/while/until/if/case/{ } it opens.
//   - A step exits 0 unless the comment on its first line says "# exit N"
//     (N is 0, 1 or 2; text may follow: "# exit 1: refused").
//   - After the word "prints" in that comment, each "double-quoted" text
//     must appear in the step's output (stdout and stderr): "# exit 1,
//     prints "ttl-prestaged"". Quotes elsewhere in a comment are prose.
package readme

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// SkipMarker opens the HTML comment that, on the line before a fence, keeps
// a block from being run (the reason follows it).
const SkipMarker = "<!-- not run by the README test:"

// Section is the runnable shell blocks under one "## " heading.
type Section struct {
	Heading string // "" before the first heading
	Line    int    // of the heading
	Blocks  []Block
}

// Block is one ```sh block.
type Block struct {
	Line  int // of its first content line
	Text  string
	Skip  string // why it is not run ("" when it is)
	Steps []Step
}

// Step is one top-level command of a block.
type Step struct {
	Line int    // in the document, of its first line
	Text string // the command with its continuation lines and here-documents
	// Command is the first line without its comment.
	Command string
	// Comment is the comment on the first line, without the "#".
	Comment string
	// Exit is the exit code the comment names (0 when it names none).
	Exit int
	// Output are the double-quoted texts after "prints" in the comment.
	Output []string
}

var (
	exitRE   = regexp.MustCompile(`(?:^|\s)exit ([0-9]+)\b`)
	printsRE = regexp.MustCompile(`(?:^|\s)prints\s`)
	quotedRE = regexp.MustCompile(`"([^"]+)"`)
	heredoc  = regexp.MustCompile(`(?:^|[^<])<<(-?)\s*(?:'([A-Za-z_][A-Za-z0-9_]*)'|"([A-Za-z_][A-Za-z0-9_]*)"|([A-Za-z_][A-Za-z0-9_]*))`)
)

// Parse reads the document's sections and their sh blocks, split into
// steps. A block whose commands cannot be split (an unclosed here-document,
// loop or quote) is an error naming its line.
func Parse(doc string) ([]Section, error) {
	var (
		out     []Section
		cur     = Section{}
		inFence bool
		fenceSh bool
		block   Block
		body    []string
		prev    string
	)
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		n := i + 1
		trim := strings.TrimSpace(l)
		if inFence {
			if strings.HasPrefix(trim, "```") {
				inFence = false
				if fenceSh {
					block.Text = strings.Join(body, "\n")
					steps, err := Split(body, block.Line)
					if err != nil {
						return nil, err
					}
					block.Steps = steps
					cur.Blocks = append(cur.Blocks, block)
				}
				continue
			}
			body = append(body, l)
			continue
		}
		if strings.HasPrefix(trim, "```") {
			inFence = true
			info := strings.TrimSpace(strings.TrimPrefix(trim, "```"))
			fenceSh = info == "sh"
			block, body = Block{Line: n + 1}, nil
			if p := strings.TrimSpace(prev); strings.HasPrefix(p, SkipMarker) {
				block.Skip = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(p, SkipMarker), "-->"))
				if block.Skip == "" {
					return nil, fmt.Errorf("line %d: %s needs a reason", n-1, SkipMarker)
				}
			}
			prev = l
			continue
		}
		if strings.HasPrefix(l, "## ") {
			if len(cur.Blocks) > 0 {
				out = append(out, cur)
			}
			cur = Section{Heading: strings.TrimSpace(strings.TrimPrefix(l, "## ")), Line: n}
		}
		if trim != "" {
			prev = l
		}
	}
	if inFence {
		return nil, fmt.Errorf("line %d: code block not closed", block.Line-1)
	}
	if len(cur.Blocks) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// Split cuts a block's lines (the first at document line first) into
// top-level commands.
func Split(lines []string, first int) ([]Step, error) {
	var (
		out     []Step
		step    *Step
		text    []string
		pending []string // here-document terminators still open
		strip   []bool   // <<-: leading tabs allowed before the terminator
		depth   int      // open for/while/until/if/case/{
		cont    bool     // the last line ended with a backslash
	)
	flush := func() {
		step.Text = strings.Join(text, "\n")
		out = append(out, *step)
		step, text = nil, nil
	}
	for i, l := range lines {
		n := first + i
		if len(pending) > 0 {
			text = append(text, l)
			t := l
			if strip[0] {
				t = strings.TrimLeft(t, "\t")
			}
			if t == pending[0] {
				pending, strip = pending[1:], strip[1:]
			}
		} else {
			code, comment := cutComment(l)
			if step == nil {
				if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
					continue // blank lines and comment lines between commands
				}
				step = &Step{Line: n, Command: strings.TrimSpace(code), Comment: strings.TrimSpace(comment)}
				if m := exitRE.FindStringSubmatch(step.Comment); m != nil {
					step.Exit, _ = strconv.Atoi(m[1])
				}
				if loc := printsRE.FindStringIndex(step.Comment); loc != nil {
					for _, m := range quotedRE.FindAllStringSubmatch(step.Comment[loc[1]:], -1) {
						step.Output = append(step.Output, m[1])
					}
				}
			}
			text = append(text, l)
			if unclosedQuote(code) {
				return nil, fmt.Errorf("line %d: a quote opened on this line is not closed on it", n)
			}
			for _, m := range heredoc.FindAllStringSubmatch(quotedOut(code), -1) {
				pending = append(pending, m[2]+m[3]+m[4])
				strip = append(strip, m[1] == "-")
			}
			depth += nesting(code)
			cont = strings.HasSuffix(strings.TrimRight(code, " \t"), "\\")
		}
		if step != nil && len(pending) == 0 && depth <= 0 && !cont {
			if depth < 0 {
				return nil, fmt.Errorf("line %d: a done, fi, esac or } closes nothing", n)
			}
			flush()
		}
	}
	switch {
	case len(pending) > 0:
		return nil, fmt.Errorf("line %d: here-document %s not closed", step.Line, pending[0])
	case step != nil:
		return nil, fmt.Errorf("line %d: a command is not closed at the end of its block (a loop, or a trailing backslash)", step.Line)
	}
	return out, nil
}

// quoted marks the bytes of a shell line that are inside quotes (or escaped
// by a backslash outside single quotes), and says whether a quote is still
// open at its end.
func quoted(l string) (in []bool, open bool) {
	in = make([]bool, len(l))
	var sq, dq bool
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case c == '\\' && !sq && i+1 < len(l):
			in[i], in[i+1] = true, true
			i++
		case c == '\'' && !dq:
			sq = !sq
			in[i] = true
		case c == '"' && !sq:
			dq = !dq
			in[i] = true
		default:
			in[i] = sq || dq
		}
	}
	return in, sq || dq
}

// cutComment splits a shell line into its code and its comment: a # at the
// start of a word, outside quotes.
func cutComment(l string) (string, string) {
	in, _ := quoted(l)
	for i := 0; i < len(l); i++ {
		if l[i] == '#' && !in[i] && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t') {
			return l[:i], l[i+1:]
		}
	}
	return l, ""
}

// unclosedQuote reports a quote left open at the end of the code of a line
// (the README keeps each quoted string on one line).
func unclosedQuote(code string) bool {
	_, open := quoted(code)
	return open
}

// quotedOut blanks what is inside quotes, so that "<<" or a keyword in a
// string is not read as syntax.
func quotedOut(code string) string {
	in, _ := quoted(code)
	b := []byte(code)
	for i := range b {
		if in[i] && b[i] != '"' && b[i] != '\'' {
			b[i] = ' '
		}
	}
	return string(b)
}

// nesting is how many compound commands a line opens (for, while, until,
// if, case, {) minus how many it closes (done, fi, esac, }), counting only
// words in command position.
func nesting(code string) int {
	s := quotedOut(code)
	for _, sep := range []string{";;", "&&", "||", ";", "&", "|", "(", ")"} {
		s = strings.ReplaceAll(s, sep, " ; ")
	}
	d := 0
	cmdPos := true
	for _, w := range strings.Fields(s) {
		if w == ";" {
			cmdPos = true
			continue
		}
		if cmdPos {
			switch w {
			case "for", "while", "until", "if", "case", "{":
				d++
			case "done", "fi", "esac", "}":
				d--
			}
		}
		switch w {
		case "do", "then", "else", "{", "!", "time":
			cmdPos = true
		default:
			cmdPos = false
		}
	}
	return d
}

// Script is the bash program that runs steps in one session, each in a
// { } group whose output goes to DIR/N (N its index in steps) and whose exit
// code is appended to DIR/status as "N CODE"; steps run reports false for
// are left out. DIR is the value of the variable README_TEST_OUT.
func Script(steps []Step, run func(Step) bool) string {
	var b strings.Builder
	b.WriteString("# generated by internal/readme from README.md\n")
	for i, st := range steps {
		if !run(st) {
			continue
		}
		fmt.Fprintf(&b, "# README.md:%d\n{\n%s\n} >\"$README_TEST_OUT/%d\" 2>&1 </dev/null\n", st.Line, st.Text, i)
		fmt.Fprintf(&b, "echo %d $? >>\"$README_TEST_OUT/status\"\n", i)
	}
	return b.String()
}
