package redact_test

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// scanCodeSpan is codeSpan as it read a span before fenceRuns: from the
// run at b[i], on to the next run of as many backticks, stopping at a
// blank line (CommonMark 0.31 §6.1: a span lies in one paragraph); a run
// after an odd number of backslashes opens with its second backtick. The
// reference TestCodeSpanOnePass compares the one-pass reading with.
func scanCodeSpan(b []byte, i int) (open, from, to, end int) {
	s, e := i, i
	for s > 0 && b[s-1] == '`' {
		s--
	}
	for e < len(b) && b[e] == '`' {
		e++
	}
	slashes := 0
	for s-slashes > 0 && b[s-slashes-1] == '\\' {
		slashes++
	}
	if slashes%2 == 1 {
		if i == s {
			return 1, 0, 0, 0
		}
		s++
	}
	if i != s {
		return e - i, 0, 0, 0
	}
	open = e - s
	for j := e; j < len(b); {
		if b[j] != '`' {
			if b[j] == '\n' || b[j] == '\r' {
				k := j + 1
				if b[j] == '\r' && k < len(b) && b[k] == '\n' {
					k++
				}
				for k < len(b) && (b[k] == ' ' || b[k] == '\t') {
					k++
				}
				if k < len(b) && (b[k] == '\n' || b[k] == '\r') {
					break // a blank line
				}
			}
			j++
			continue
		}
		k := j
		for k < len(b) && b[k] == '`' {
			k++
		}
		if k-j == open {
			from, to = e, j
			text := strings.ReplaceAll(strings.ReplaceAll(string(b[from:to]), "\r\n", " "), "\r", " ")
			text = strings.ReplaceAll(text, "\n", " ")
			if strings.HasPrefix(text, " ") && strings.HasSuffix(text, " ") && strings.Trim(text, " ") != "" {
				n, m := 1, 1 // a space, CR or LF; CRLF is two bytes
				if bytes.HasPrefix(b[from:to], []byte("\r\n")) {
					n = 2
				}
				if bytes.HasSuffix(b[from:to], []byte("\r\n")) {
					m = 2
				}
				from, to = from+n, to-m
			}
			return open, from, to, k
		}
		j = k
	}
	return open, 0, 0, 0
}

// TestCodeSpanOnePass: the code spans read in one pass (fenceRuns, each
// run's closing run remembered per length) are the ones scanning on from
// each run finds, at every backtick of: every form of redacttest.Echoes
// (and its JSON message) of the secrets TestEachOutputEachForm plants,
// all of a secret's forms one after another (runs of one form closed by
// another's), runs no run closes of lengths 1 to 40 (bench/codespan's
// text), and random texts of backticks, blanks, line endings,
// backslashes and letters.
func TestCodeSpanOnePass(t *testing.T) {
	var texts []string
	for _, secret := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "Kx9m%Ab:Qz,7Lp%0A8Vn3:Bc6,Yd1", "a``b```c`d````e"} {
		var all strings.Builder
		for _, e := range redacttest.Echoes(secret) {
			texts = append(texts, e.Form, e.JSON, e.Record)
			all.WriteString(e.Form + " " + e.JSON + "\n")
		}
		texts = append(texts, all.String())
	}
	var unclosed strings.Builder
	for n := 1; n <= 40; n++ {
		unclosed.WriteString("Lm3V" + strings.Repeat("`", n))
	}
	texts = append(texts, unclosed.String(), unclosed.String()+"`")
	rnd := rand.New(rand.NewSource(19))
	for range 2000 {
		b := make([]byte, rnd.Intn(40))
		for i := range b {
			b[i] = "```` a\n\r\t\\"[rnd.Intn(10)]
		}
		texts = append(texts, string(b))
	}
	compared := 0
	for _, text := range texts {
		b := []byte(text)
		for i := range b {
			if b[i] != '`' {
				continue
			}
			compared++
			o, f, to, e := redact.CodeSpanAt(b, i)
			wo, wf, wto, we := scanCodeSpan(b, i)
			if o != wo || e != we || e != 0 && (f != wf || to != wto) {
				t.Fatalf("%q at %d: one pass (open %d, text %d:%d, end %d), scanning (open %d, text %d:%d, end %d)", text, i, o, f, to, e, wo, wf, wto, we)
			}
		}
	}
	if compared < 10000 {
		t.Fatalf("only %d backticks compared: the corpus lost its code spans", compared)
	}
}
