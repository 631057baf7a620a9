package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestJSONErrorFirst: a JSON report that says why a run did not complete
// says it before its list (check's problems, parity's findings), as
// plan's does: a report of thousands of entries does not hide its error
// at the end. Each stays valid JSON with the same keys. On the code
// before, check's and parity's "error" came after the list.
func TestJSONErrorFirst(t *testing.T) {
	many := func(n int) []parity.Finding {
		fs := make([]parity.Finding, n)
		for i := range fs {
			fs[i] = parity.Finding{Name: "a.test.", Type: "A", Severity: parity.SevError, Kind: "answer"}
		}
		return fs
	}
	problems := []zone.Problem{{Pos: zone.Pos{File: "zones/a.test.zone", Line: 3}, Severity: zone.Error, Message: "bad"}}
	for _, tc := range []struct {
		name      string
		write     func(*bytes.Buffer) error
		list, err string // the list's key and the error's text
	}{
		{"check", func(b *bytes.Buffer) error {
			return WriteCheckJSON(b, problems, []string{"zones/b.test.zone: no such file or directory"})
		}, `"problems"`, "zones/b.test.zone: no such file or directory"},
		{"check with shard keys", func(b *bytes.Buffer) error {
			return WriteCheckJSONExtra(b, problems, []string{"x: gone"}, &struct {
				Exit int `json:"exit"`
			}{2})
		}, `"problems"`, "x: gone"},
		{"parity, one zone", func(b *bytes.Buffer) error {
			return WriteParityJSON(b, []*parity.Report{{Zone: "a.test.", Findings: many(3), Error: "a.test.: old server 192.0.2.1 does not answer"}})
		}, `"findings"`, "does not answer"},
		{"parity, several zones", func(b *bytes.Buffer) error {
			return WriteParityJSON(b, []*parity.Report{{Zone: "a.test.", Findings: many(2)}, {Zone: "b.test.", Findings: many(2), Error: "interrupted", Partial: true}})
		}, `"findings"`, "interrupted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if !json.Valid(b.Bytes()) {
				t.Fatalf("not JSON:\n%s", out)
			}
			// The error's report: the last object holding it.
			at := strings.LastIndex(out, `"error": "`)
			if at < 0 || !strings.Contains(out[at:], tc.err) {
				t.Fatalf("no error %q:\n%s", tc.err, out)
			}
			start := strings.LastIndex(out[:at], "{\n")
			if list := strings.Index(out[start:], tc.list); list < 0 || start+list < at {
				t.Errorf("%s before \"error\" in its object:\n%s", tc.list, out)
			}
		})
	}
}

// TestParityUnreadFileNamed: the report of a parity --file that could
// not be read (no origin known) names the file in text and Markdown, not
// an empty zone ("zone \nERROR: ..." and an empty table cell before).
func TestParityUnreadFileNamed(t *testing.T) {
	r := &parity.Report{Findings: []parity.Finding{}, File: "zones/a b.zone", Error: "open zone: zones/a b.zone: no such file or directory"}
	var text, md bytes.Buffer
	WriteParityText(&text, []*parity.Report{r})
	if first, _, _ := strings.Cut(text.String(), "\n"); first != "zone file zones/a b.zone" {
		t.Errorf("text's first line %q, want the file named:\n%s", first, text.String())
	}
	WriteParityMarkdown(&md, []*parity.Report{r})
	if !strings.Contains(md.String(), "| zones/a b.zone | ") {
		t.Errorf("Markdown names no file:\n%s", md.String())
	}
}
