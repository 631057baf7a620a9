package action

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// TestCappedReportsErrorsFirst: every report the Action cuts to GitHub's
// limits (check, plan, push: the command's Markdown kept line by line,
// github.Capped; parity: its own MaxParityMarkdown; a merged or composed
// run: its step summary within mdBudget and its comment, fitComment),
// over thousands of zones whose only error (or only warning among lesser
// lines) comes last in the input order, keeps it: a cut never drops an
// error while it keeps a lesser line (report.ErrorsFirstBy). The same for
// a cutover step over thousands of zones (waveMarkdown): a zone that
// could not run, one whose gates are not all met (status observes and
// exits 0 all the same), one with warnings, each last.
func TestCappedReportsErrorsFirst(t *testing.T) {
	const n = 3000
	zoneN := func(i int) string { return fmt.Sprintf("z%05d.test.", i) }
	planOf := func(prov string, i int) *plan.Plan { return &plan.Plan{Provider: prov, Zone: zoneN(i)} }
	// capped is what github.Capped keeps of a report at a twentieth of its
	// size: the report must be cut.
	capped := func(t *testing.T, write func(b *strings.Builder)) []string {
		var b strings.Builder
		write(&b)
		md := &github.Capped{Limit: b.Len() / 20}
		md.Write([]byte(b.String()))
		md.Flush()
		if md.Left == 0 {
			t.Fatalf("the report (%d bytes) was not cut", b.Len())
		}
		return []string{md.String()}
	}
	// parityMD is the parity report, cut by its writer.
	parityMD := func(t *testing.T, reps []*parity.Report) []string {
		var b strings.Builder
		report.WriteParityMarkdown(&b, reps)
		if got := len([]rune(b.String())); got > report.MaxParityMarkdown {
			t.Fatalf("%d characters, over MaxParityMarkdown", got)
		}
		if !strings.Contains(b.String(), "Not listed") && !strings.Contains(b.String(), "left out") {
			t.Fatalf("the report (%d bytes) was not cut", b.Len())
		}
		return []string{b.String()}
	}
	// merged is a merged run's step summary and comment.
	merged := func(t *testing.T, docs []parity.Report, plans []report.PlanZoneJSON) []string {
		c := composed{planTitle: planTitle("pr"), parts: []part{{"shards", "ok", "all 4 shards reported"}}}
		c.addPlans(func(s string) string { return s }, "plan", plans)
		c.addParity(docs)
		res := c.result()
		comment := fitComment("## dnsparity pr\n\n", res, "the JSON report")
		if !strings.Contains(res.body, "Not shown, to keep within GitHub's size limit") || !strings.Contains(comment, "collapsed to fit") {
			t.Fatalf("the step summary (%d bytes) or the comment (%d) was not cut", len(res.body), len(comment))
		}
		return []string{res.body, comment}
	}
	// wave is a step over several zones as the Action reports it
	// (readWave's waveMarkdown): its step summary and its comment's short
	// form, each within its budget.
	wave := func(t *testing.T, name string, reps []*cutover.Report) (body, short string) {
		w := newWaveMarkdown()
		w.sum = cutover.Summary{Command: name, Zones: len(reps), Wave: 8}
		for _, d := range reps {
			w.add(&invocation{}, name, d)
		}
		res := w.outcome(name, cli.ExitOK)
		if !strings.Contains(res.body, "Not shown, to keep within GitHub's size limit") || !strings.Contains(res.short, "Not shown") {
			t.Fatalf("the step summary (%d bytes) or the comment (%d) was not cut", len(res.body), len(res.short))
		}
		return res.body, res.short
	}
	// statusOf is a zone's status report: its gates all met but for
	// unmet, each with a long detail (a section of about a kilobyte),
	// warnings its warnings.
	statusOf := func(z string, unmet string, warnings ...string) *cutover.Report {
		d := &cutover.Report{Zone: z, Command: "status", Result: cutover.ResultObserved, Stage: "not-started", Delegation: cutover.DelegationView{PointsTo: "old"}, Warnings: warnings}
		for _, g := range []string{"parity", "ttl-prestaged", "ttl-expired", "new-authoritative", "drift", "dnssec", "delegation", "old-complete"} {
			gate := cutover.Gate{Name: g, OK: true, Detail: g + " holds: " + strings.Repeat("d", 80)}
			if g == "drift" && unmet != "" {
				gate.OK, gate.Detail = false, unmet
			}
			d.Gates = append(d.Gates, gate)
		}
		return d
	}
	statusWave := func(last *cutover.Report) []*cutover.Report {
		var reps []*cutover.Report
		for i := range n {
			reps = append(reps, statusOf(zoneN(i), ""))
		}
		return append(reps, last)
	}
	warning := parity.Finding{Name: "w.test.", Type: "A", Severity: parity.SevWarning, Kind: "ttl", Detail: "a warning"}
	// manyZones are n zones, each with finding f and a plan of 5 changes.
	manyZones := func(f parity.Finding) (docs []parity.Report, plans []report.PlanZoneJSON) {
		for i := range n {
			docs = append(docs, parity.Report{Zone: zoneN(i), Findings: []parity.Finding{f}})
			p := report.PlanZoneJSON{Provider: "new", Zone: zoneN(i), Summary: map[string]int{"create": 5}}
			for k := range 5 {
				p.Changes = append(p.Changes, report.ChangeJSON{Action: "create", Name: fmt.Sprintf("h%d.%s", k, zoneN(i)), Type: "TXT", New: &report.SetJSON{TTL: 300, Values: []string{strings.Repeat("v", 60)}}})
			}
			plans = append(plans, p)
		}
		return docs, plans
	}
	cases := []struct {
		name, want string
		reach      func(t *testing.T) []string // what reaches GitHub
	}{
		{"check, error last", "the only error", func(t *testing.T) []string {
			return capped(t, func(b *strings.Builder) {
				var ps []zone.Problem
				for i := range n {
					ps = append(ps, zone.Problem{Pos: zone.Pos{File: "zones/a.zone", Line: i + 1}, Severity: zone.Warning, Message: "a warning"})
				}
				ps = append(ps, zone.Problem{Pos: zone.Pos{File: "zones/z.zone", Line: 1}, Severity: zone.Error, Message: "the only error"})
				report.ErrorsFirst(ps)
				report.WriteCheckMarkdown(b, ps, report.CheckSummary{Files: 2, Tally: zone.Tally{Errors: 1, Warnings: n}})
			})
		}},
		{"plan, error last at another provider", "the only error", func(t *testing.T) []string {
			return capped(t, func(b *strings.Builder) {
				var es []report.PlanEntry
				for i := range n {
					es = append(es, report.PlanEntry{Plan: planOf("a", i), Applied: -1, Warnings: []string{"a warning"}})
				}
				es = append(es, report.PlanEntry{Plan: planOf("b", n), Applied: -1, Error: "the only error"})
				report.WritePlanMarkdown(b, "plan", es)
			})
		}},
		{"plan, blocked last", "the only refusal", func(t *testing.T) []string {
			return capped(t, func(b *strings.Builder) {
				var es []report.PlanEntry
				for i := range n {
					es = append(es, report.PlanEntry{Plan: planOf("a", i), Applied: -1, Warnings: []string{"a warning"}})
				}
				es = append(es, report.PlanEntry{Plan: planOf("a", n), Applied: -1, Blocked: []string{"the only refusal"}})
				report.WritePlanMarkdown(b, "plan", es)
			})
		}},
		{"push, error last among pushed zones", "the only error", func(t *testing.T) []string {
			return capped(t, func(b *strings.Builder) {
				var es []report.PlanEntry
				for i := range n {
					es = append(es, report.PlanEntry{Plan: planOf("a", i), Applied: 3, Requests: 1, Warnings: []string{"forced: a warning"}})
				}
				es = append(es, report.PlanEntry{Plan: planOf("b", n), Applied: 0, Error: "the only error"})
				report.WritePlanMarkdown(b, "push", es)
			})
		}},
		{"push, warning last among zones in sync", "the only warning", func(t *testing.T) []string {
			return capped(t, func(b *strings.Builder) {
				var es []report.PlanEntry
				for i := range n {
					es = append(es, report.PlanEntry{Plan: planOf("a", i), Applied: 0})
				}
				es = append(es, report.PlanEntry{Plan: planOf("a", n), Applied: 0, Warnings: []string{"the only warning"}})
				report.WritePlanMarkdown(b, "push", es)
			})
		}},
		{"plan, a zone's second refusal behind another zone's changes", "the second refusal", func(t *testing.T) []string {
			return capped(t, func(b *strings.Builder) {
				a := report.PlanEntry{Plan: planOf("new", 0), Applied: -1, Blocked: []string{"a refusal"}}
				for i := range n {
					name := fmt.Sprintf("h%d.%s", i, a.Plan.Zone)
					a.Plan.Changes = append(a.Plan.Changes, plan.Change{Action: provider.Create, Name: name, Type: dns.TypeA, New: &zone.RRSet{Name: name, Type: dns.TypeA, TTL: 300}})
				}
				last := report.PlanEntry{Plan: planOf("new", n), Applied: -1, Blocked: []string{"the first refusal", "the second refusal"}}
				report.WritePlanMarkdown(b, "plan", []report.PlanEntry{a, last})
			})
		}},
		{"push, a zone's second error behind another zone's warnings", "the second refusal", func(t *testing.T) []string {
			return capped(t, func(b *strings.Builder) {
				a := report.PlanEntry{Plan: planOf("new", 0), Applied: 0, Error: "a failure"}
				for i := range n {
					a.Warnings = append(a.Warnings, fmt.Sprintf("forced: warning %d", i))
				}
				last := report.PlanEntry{Plan: planOf("new", n), Applied: 0, Error: "the first error", Blocked: []string{"the second refusal"}}
				report.WritePlanMarkdown(b, "push", []report.PlanEntry{a, last})
			})
		}},
		{"parity, error last", "**Error:** the only error", func(t *testing.T) []string {
			var reps []*parity.Report
			for i := range n {
				reps = append(reps, &parity.Report{Zone: zoneN(i), Queries: 10, Findings: []parity.Finding{warning}})
			}
			return parityMD(t, append(reps, &parity.Report{Zone: "last.test.", Error: "the only error"}))
		}},
		{"parity, warning last among zones that hold", "| warning | w.last.test. | A | ttl |  | the only warning |", func(t *testing.T) []string {
			var reps []*parity.Report
			for i := range n {
				reps = append(reps, &parity.Report{Zone: zoneN(i), Queries: 10})
			}
			return parityMD(t, append(reps, &parity.Report{Zone: "last.test.", Queries: 10,
				Findings: []parity.Finding{{Name: "w.last.test.", Type: "A", Severity: parity.SevWarning, Kind: "ttl", Detail: "the only warning"}}}))
		}},
		{"merged, parity error last", "the only error", func(t *testing.T) []string {
			docs, plans := manyZones(warning)
			docs = append(docs, parity.Report{Zone: zoneN(n), Findings: []parity.Finding{{Name: "e.test.", Type: "A", Severity: parity.SevError, Kind: "rdata", Detail: "the only error"}}})
			return merged(t, docs, plans)
		}},
		{"merged, a provider's error last among plans with changes", "#### `new` · `z03000.test.`", func(t *testing.T) []string {
			docs, plans := manyZones(warning)
			plans = append(plans, report.PlanZoneJSON{Provider: "new", Zone: zoneN(n), Summary: map[string]int{}, Error: "the only error"})
			return merged(t, docs, plans)
		}},
		{"merged, a provider not synced last among plans with changes", "#### `old` · `z03000.test.`", func(t *testing.T) []string {
			docs, plans := manyZones(parity.Finding{Name: "i.test.", Type: "TXT", Severity: parity.SevInfo, Kind: "txt-split", Detail: "split"})
			plans = append(plans, report.PlanZoneJSON{Provider: "old", Zone: zoneN(n), Summary: map[string]int{}, NotSynced: "the only warning: still down"})
			return merged(t, docs, plans)
		}},
	}
	// The Action's cutover step over several zones (status, flip,
	// rollback, finish with the zone input naming many): its summary
	// keeps the rows and sections of the worst zones, its comment their
	// rows.
	for _, w := range []struct {
		name string
		last *cutover.Report
		// want: in the summary (the zone's section); row: in the comment.
		want, row string
	}{
		{"could not run last", &cutover.Report{Zone: "last.test.", Command: "status", Result: cutover.ResultError, Errors: []string{"the only error"}},
			"the only error", "| `last.test.` | error |"},
		{"an unmet gate last among zones whose gates hold", statusOf("last.test.", "the only unmet gate"), "the only unmet gate", "| `last.test.` | observed |"},
		{"warning last among zones without", statusOf("last.test.", "", "the only warning"), "the only warning", "| `last.test.` | observed |"},
		// 40,000 zones: their rows alone are over the summary's size.
		{"could not run last among rows over the summary's size", &cutover.Report{Zone: "many.test.", Command: "status", Result: cutover.ResultError, Errors: []string{"the only error"}},
			"the only error", "| `many.test.` | error |"},
	} {
		reps := statusWave
		if strings.HasPrefix(w.last.Zone, "many.") {
			reps = func(last *cutover.Report) []*cutover.Report {
				var reps []*cutover.Report
				for i := range 40000 {
					reps = append(reps, &cutover.Report{Zone: zoneN(i), Command: "status", Result: cutover.ResultObserved})
				}
				return append(reps, last)
			}
		}
		body := func(t *testing.T) []string { b, _ := wave(t, "status", reps(w.last)); return []string{b} }
		comment := func(t *testing.T) []string { _, s := wave(t, "status", reps(w.last)); return []string{s} }
		cases = append(cases, struct {
			name, want string
			reach      func(t *testing.T) []string
		}{"cutover wave summary, " + w.name, w.want, body}, struct {
			name, want string
			reach      func(t *testing.T) []string
		}{"cutover wave comment, " + w.name, w.row, comment})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i, kept := range c.reach(t) {
				if !strings.Contains(kept, c.want) {
					t.Errorf("report %d, cut to %d bytes, lost %q and kept lesser lines:\n%s", i, len(kept), c.want, kept[:min(len(kept), 1500)])
				}
			}
		})
	}
}

// TestNotShownNotes: the notes of what a step's report (leftOut: zones'
// lines and reports) and a command's (leftRows: findings, plans,
// changes) left out name each kind left out, in the singular or the
// plural, and nothing when none was.
func TestNotShownNotes(t *testing.T) {
	const head, tail = "_Not shown, to keep within GitHub's size limit (errors first): ", ". The JSON report (the step's `report` output) has every "
	for _, tc := range []struct{ got, want string }{
		{leftOut(0, 0), ""},
		{leftOut(1, 0), "\n" + head + "1 zone's line" + tail + "zone._\n"},
		{leftOut(0, 1), "\n" + head + "1 zone's report" + tail + "zone._\n"},
		{leftOut(2, 3), "\n" + head + "2 zones' lines and 3 zones' reports" + tail + "zone._\n"},
		{leftRows(&budget{}), ""},
		{leftRows(&budget{findings: 1}), head + "1 finding" + tail + "one._\n\n"},
		{leftRows(&budget{findings: 2, plans: 1, changes: 3}), head + "2 findings and 1 provider × zone plan and 3 changes" + tail + "one._\n\n"},
		{leftRows(&budget{plans: 2}), head + "2 provider × zone plans" + tail + "one._\n\n"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q\nwant %q", tc.got, tc.want)
		}
	}
}
