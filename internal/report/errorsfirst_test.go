package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityMarkdownErrorRowsFirst: the finding rows that fit the
// comment's budget are every zone's errors before any zone's warnings,
// not zone by zone: a zone of thousands of warnings given before another
// zone's error no longer crowds that error's row out.
func TestParityMarkdownErrorRowsFirst(t *testing.T) {
	many := &parity.Report{Zone: "many.test.", Queries: 10, Findings: []parity.Finding{{Name: "e.many.test.", Type: "A", Severity: parity.SevError, Kind: "rdata", Detail: "first error"}}}
	for i := range 5000 {
		many.Findings = append(many.Findings, parity.Finding{Name: fmt.Sprintf("w%05d.many.test.", i), Type: "A", Severity: parity.SevWarning, Kind: "ttl", Detail: "w"})
	}
	one := &parity.Report{Zone: "one.test.", Queries: 10, Findings: []parity.Finding{{Name: "e.one.test.", Type: "A", Severity: parity.SevError, Kind: "rdata", Detail: "second error " + strings.Repeat("x", 150)}}}
	var b strings.Builder
	WriteParityMarkdown(&b, []*parity.Report{many, one})
	md := b.String()
	for _, want := range []string{"first error", "second error", "| warning |"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
