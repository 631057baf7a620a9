package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/delegation"
)

// writeDelegationText writes status's delegation table (rows: the parent's
// servers and each side's servers, names and delegation; columns: the
// checks) and the comparison after a flip or rollback.
func writeDelegationText(w io.Writer, r *cutover.Report) {
	if t := r.DelegationTable; t != nil && len(t.Rows) > 0 {
		fmt.Fprintln(w, "delegation table (✓ ok, ✗ error, ! warning, ~ accepted warning, ? not checked from here, · not applicable):")
		width := len("who")
		for _, row := range t.Rows {
			width = max(width, len(row.Who))
		}
		fmt.Fprintf(w, "  %-*s %-6s", width, "who", "side")
		for _, c := range t.Columns {
			fmt.Fprintf(w, " %s", cutover.ShortColumn(c))
		}
		fmt.Fprintln(w)
		for _, row := range t.Rows {
			fmt.Fprintf(w, "  %-*s %-6s", width, row.Who, row.Side)
			for _, c := range t.Columns {
				fmt.Fprintf(w, " %-*s", len([]rune(cutover.ShortColumn(c))), cutover.TableSymbol(row.Cells[c]))
			}
			fmt.Fprintln(w)
		}
	}
	if p := r.Propagation; p != nil {
		fmt.Fprintf(w, "after the %s to %s at %s: settled at %s (parent NS TTL %d s + child NS TTL %d s)%s%s\n", stepWord(p.Target), p.Target,
			p.Since.Format(time.RFC3339), deadline.Format(p.SettledAt), p.ParentNSTTL, p.ChildNSTTL, map[bool]string{true: ", passed"}[p.Settled], waitsFor(p))
		for _, row := range p.Parent {
			fmt.Fprintf(w, "  %s parent %s: NS %s (%s)\n", mark(row.OK), row.Server, strings.Join(row.NS, " "), row.Detail)
		}
		for _, row := range p.Child {
			fmt.Fprintf(w, "  %s %s child %s: NS %s\n", mark(row.OK), p.Target, row.Server, strings.Join(row.NS, " "))
		}
		for _, row := range p.Resolvers {
			fmt.Fprintf(w, "  %s resolver %s: answers from %s; NS %s (%s); SOA %s (%s)\n", textMark(resolverWord(row.OK, p.Settled)), row.Resolver, row.Side, strings.Join(row.NS, " "), row.NSSide, row.SOA, row.SOASide)
		}
	}
}

// waitsFor is ", waits for A, B" naming what settled and finish still
// wait for (Propagation.WaitsFor), "" when nothing.
func waitsFor(p *cutover.Propagation) string {
	if len(p.WaitsFor) == 0 {
		return ""
	}
	return ", waits for " + strings.Join(p.WaitsFor, ", ")
}

func stepWord(target string) string {
	if target == "old" {
		return "rollback"
	}
	return "flip"
}

// writeDelegationMarkdown is writeDelegationText for a PR comment or a
// step summary.
func writeDelegationMarkdown(w io.Writer, r *cutover.Report) {
	if t := r.DelegationTable; t != nil && len(t.Rows) > 0 {
		fmt.Fprintf(w, "**Delegation** (✅ ok, ❌ error, ⚠️ warning, ➖ accepted warning, ❔ not checked from here, blank: not applicable)\n\n| who | side |")
		for _, c := range t.Columns {
			fmt.Fprintf(w, " %s |", MarkdownText(c))
		}
		fmt.Fprintf(w, "\n|---|---|%s\n", strings.Repeat("---|", len(t.Columns)))
		for _, row := range t.Rows {
			fmt.Fprintf(w, "| %s | %s |", MarkdownText(row.Who), MarkdownText(row.Side))
			for _, c := range t.Columns {
				fmt.Fprintf(w, " %s |", mdCell(row.Cells[c]))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w)
	}
	if p := r.Propagation; p != nil {
		fmt.Fprintf(w, "After the %s to **%s** at %s (settled at %s: parent NS TTL %d s + child NS TTL %d s%s):\n\n", stepWord(p.Target), MarkdownText(p.Target),
			p.Since.Format(time.RFC3339), deadline.Format(p.SettledAt), p.ParentNSTTL, p.ChildNSTTL, MarkdownText(waitsFor(p)))
		for _, row := range p.Parent {
			fmt.Fprintf(w, "- %s parent %s: NS %s (%s)\n", mdCell(okWord(row.OK)), MarkdownText(row.Server), MarkdownText(strings.Join(row.NS, " ")), MarkdownText(row.Detail))
		}
		for _, row := range p.Child {
			fmt.Fprintf(w, "- %s %s server %s: NS %s\n", mdCell(okWord(row.OK)), MarkdownText(p.Target), MarkdownText(row.Server), MarkdownText(strings.Join(row.NS, " ")))
		}
		for _, row := range p.Resolvers {
			fmt.Fprintf(w, "- %s resolver %s: answers from **%s**; NS %s (%s); SOA %s (%s)\n", mdCell(resolverWord(row.OK, p.Settled)), MarkdownText(row.Resolver), MarkdownText(row.Side),
				MarkdownText(strings.Join(row.NS, " ")), MarkdownText(row.NSSide), MarkdownText(row.SOA), MarkdownText(row.SOASide))
		}
		fmt.Fprintln(w)
	}
}

// resolverWord is a resolver's row after a flip or a rollback: "ok"
// once it answers from the target side only; before the step has settled
// (the parent's and the child's NS TTLs since it), a resolver still
// holding the other side's NS set or data is "waiting", not an error:
// its cache has not expired yet (status reports it an error only after).
func resolverWord(ok, settled bool) string {
	switch {
	case ok:
		return "ok"
	case !settled:
		return "waiting"
	}
	return "error"
}

// textMark is a row's mark in the text report: ok, FAIL, or wait.
func textMark(word string) string {
	switch word {
	case "ok":
		return "ok  "
	case "waiting":
		return "wait"
	}
	return "FAIL"
}

func okWord(ok bool) string {
	if ok {
		return "ok"
	}
	return "error"
}

func mdCell(v string) string {
	switch v {
	case "ok":
		return "✅"
	case "error":
		return "❌"
	case "warning":
		return "⚠️"
	case "accepted":
		return "➖"
	case "waiting":
		return "⏳"
	case delegation.SevNotChecked:
		return "❔"
	case "":
		return ""
	}
	return MarkdownText(v)
}
