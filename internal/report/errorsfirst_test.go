package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestCappedReportsErrorsFirst: a report of thousands of zones (or
// problems) cut line by line at a size limit (github.Capped, as the
// Action keeps a command's Markdown) whose only error, or only warning
// among lesser lines, comes last in the command's order keeps it: every
// report writes errors, then warnings, then the rest (ErrorsFirstBy).
func TestCappedReportsErrorsFirst(t *testing.T) {
	const n = 3000
	planOf := func(prov string, i int) *plan.Plan {
		return &plan.Plan{Provider: prov, Zone: fmt.Sprintf("z%05d.test.", i)}
	}
	cases := []struct {
		name, want string
		write      func(b *strings.Builder)
	}{
		{"check, error last", "the only error", func(b *strings.Builder) {
			var ps []zone.Problem
			for i := range n {
				ps = append(ps, zone.Problem{Pos: zone.Pos{File: "zones/a.zone", Line: i + 1}, Severity: zone.Warning, Message: "a warning"})
			}
			ps = append(ps, zone.Problem{Pos: zone.Pos{File: "zones/z.zone", Line: 1}, Severity: zone.Error, Message: "the only error"})
			ErrorsFirst(ps)
			WriteCheckMarkdown(b, ps, CheckSummary{Files: 2, Tally: zone.Tally{Errors: 1, Warnings: n}})
		}},
		{"plan, error last at another provider", "the only error", func(b *strings.Builder) {
			var es []PlanEntry
			for i := range n {
				es = append(es, PlanEntry{Plan: planOf("a", i), Applied: -1, Warnings: []string{"a warning"}})
			}
			es = append(es, PlanEntry{Plan: planOf("b", n), Applied: -1, Error: "the only error"})
			WritePlanMarkdown(b, "plan", es)
		}},
		{"plan, blocked last", "the only refusal", func(b *strings.Builder) {
			var es []PlanEntry
			for i := range n {
				es = append(es, PlanEntry{Plan: planOf("a", i), Applied: -1, Warnings: []string{"a warning"}})
			}
			es = append(es, PlanEntry{Plan: planOf("a", n), Applied: -1, Blocked: []string{"the only refusal"}})
			WritePlanMarkdown(b, "plan", es)
		}},
		{"plan, warning last among zones in sync", "the only warning", func(b *strings.Builder) {
			var es []PlanEntry
			for i := range n {
				es = append(es, PlanEntry{Plan: planOf("a", i), Applied: -1})
			}
			es = append(es, PlanEntry{Plan: planOf("a", n), Applied: -1, Warnings: []string{"the only warning"}})
			WritePlanMarkdown(b, "push", es)
		}},
		{"parity, error last", "| last.test. | ⚠️ could not run |", func(b *strings.Builder) {
			var reps []*parity.Report
			for i := range n {
				reps = append(reps, &parity.Report{Zone: fmt.Sprintf("z%05d.test.", i), Queries: 10,
					Findings: []parity.Finding{{Name: "w.test.", Type: "A", Severity: parity.SevWarning, Kind: "ttl", Detail: "a warning"}}})
			}
			reps = append(reps, &parity.Report{Zone: "last.test.", Error: "the only error"})
			WriteParityMarkdown(b, reps)
		}},
		{"parity, warning last among zones that hold", "| last.test. | ✅ parity holds | 0 | 1 |", func(b *strings.Builder) {
			var reps []*parity.Report
			for i := range n {
				reps = append(reps, &parity.Report{Zone: fmt.Sprintf("z%05d.test.", i), Queries: 10})
			}
			reps = append(reps, &parity.Report{Zone: "last.test.", Queries: 10,
				Findings: []parity.Finding{{Name: "w.last.test.", Type: "A", Severity: parity.SevWarning, Kind: "ttl", Detail: "the only warning"}}})
			WriteParityMarkdown(b, reps)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			c.write(&b)
			if !strings.Contains(b.String(), c.want) {
				t.Fatalf("the whole report lacks %q", c.want)
			}
			md := &github.Capped{Limit: b.Len() / 20}
			md.Write([]byte(b.String()))
			md.Flush()
			if md.Left == 0 {
				t.Fatalf("the report (%d bytes) was not cut", b.Len())
			}
			if !strings.Contains(md.String(), c.want) {
				t.Errorf("cut to %d of %d bytes (%d lines left out), the report lost %q and kept lesser lines:\n%s", md.Len(), b.Len(), md.Left, c.want, md.String()[:min(md.Len(), 1500)])
			}
		})
	}
}

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
