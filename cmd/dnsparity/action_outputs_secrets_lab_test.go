package main

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// TestActionEachOutputHidesServedSecret: the old side serves, at names
// git holds with other text, the TSIG secret the config reads in each
// form a record may carry it: as given, base64, hex, percent-encoded,
// JSON-escaped (\u00XX every other character), split across a TXT
// record's strings after a tab or a no-break space, across the records
// of one RRset, and across a wrapped string's lines. Plan and parity
// quote what the old side holds (parity's findings with the zone file's
// line: annotations). Each output of the Action is read on its own as a
// reader reads it (entities, percent and \u escapes decoded, a record's
// \DDD separators, quotes, blanks and bars taken out): the PR comment,
// the check run's summary and each annotation, the step summary,
// $GITHUB_OUTPUT, the log and the JSON report show no piece of MinCut
// characters of the secret, of its base64 or of its hex. Real BIND and
// Knot, GitHub faked.
func TestActionEachOutputHidesServedSecret(t *testing.T) {
	tsig := strings.TrimRight(pushKey.Secret, "=")
	b64 := base64.StdEncoding.EncodeToString([]byte(tsig))
	var pct, jsonEsc strings.Builder
	for i := range len(tsig) {
		fmt.Fprintf(&pct, "%%%02X", tsig[i])
		if i%2 == 0 {
			fmt.Fprintf(&jsonEsc, `\\u%04x`, tsig[i]) // \\ in the zone file: one backslash in the string
		} else {
			jsonEsc.WriteByte(tsig[i])
		}
	}
	forms := map[string]string{
		"given":  `"` + tsig + `"`,
		"base64": `"` + b64 + `"`,
		"hex":    `"` + hex.EncodeToString([]byte(tsig)) + `"`,
		"pct":    `"` + pct.String() + `"`,
		"json":   `"key ` + jsonEsc.String() + ` refused"`,
		"tab":    `"` + strings.Join(chunks(tsig, 7), `\009" "`) + `"`,
		"nbsp":   `"` + strings.Join(chunks(tsig, 7), `\194\160" "`) + `"`,
		"lines":  `"` + strings.Join(chunks(tsig, 9), `\010\032\032`) + `"`,
	}
	git, old := acmeZone, acmeZone
	for name, rdata := range forms {
		git += name + " TXT \"none\"\n"
		old += name + " TXT " + rdata + "\n"
	}
	git += "split TXT \"none\"\n"
	for _, p := range chunks(tsig, 8) {
		old += "split TXT \"" + p + "\"\n"
	}
	e := newLabAction(t, old, git)
	e.writeZone(t, git)
	percent := regexp.MustCompile(`%[0-9A-Fa-f]{2}`)
	uesc := regexp.MustCompile(`\\+u00([0-9A-Fa-f]{2})`)
	ddd := regexp.MustCompile(`\\+(009|010|032|194\\+160)`)
	reader := func(s string) string {
		for range 2 { // Markdown's entities over a record's escapes
			s = html.UnescapeString(s)
		}
		s = percent.ReplaceAllStringFunc(s, func(m string) string {
			b, _ := hex.DecodeString(m[1:])
			return string(b)
		})
		s = uesc.ReplaceAllStringFunc(s, func(m string) string {
			n, _ := strconv.ParseUint(m[len(m)-2:], 16, 8)
			return string(rune(n))
		})
		s = ddd.ReplaceAllString(s, "")
		return strings.NewReplacer(`"`, "", " ", "", "\u00a0", "", "\n", "", "|", "", "`", "", `\`, "").Replace(s)
	}
	for _, command := range []string{"parity", "plan"} {
		e.env["INPUT_COMMAND"] = command
		o := e.run(t)
		outputs := map[string]string{
			"log":            unmasked(o.stdout + o.stderr),
			"step summary":   o.summary,
			"$GITHUB_OUTPUT": o.rawOut,
		}
		for i, c := range e.gh.Comments(42) {
			outputs[fmt.Sprintf("PR comment %d", i)] = c.Body
		}
		annotated := 0
		for i, cr := range e.gh.CheckRuns() {
			outputs[fmt.Sprintf("check run %d", i)] = cr.Title + "\n" + cr.Summary
			for j, a := range cr.Annotations {
				outputs[fmt.Sprintf("check run %d annotation %d", i, j)] = a.Title + "\n" + a.Message
				annotated++
			}
		}
		reports, _ := filepath.Glob(filepath.Join(e.ws, ".dnsparity", "*.json"))
		for _, p := range reports {
			b, _ := os.ReadFile(p)
			outputs["JSON report "+filepath.Base(p)] = string(b)
		}
		shown := strings.Join(mapValues(outputs), "\n")
		if command == "parity" && (annotated == 0 || !strings.Contains(shown, "split")) {
			t.Fatalf("parity: the test plants nothing: %d annotations:\n%s", annotated, shown)
		}
		for where, out := range outputs {
			if l := redacttest.Leak(reader(out), tsig, b64); l != "" {
				t.Errorf("%s: %s shows the TSIG secret: %s", command, where, l)
			}
		}
	}
}

// mapValues are m's values (in no order).
func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
