package action

// The composed report of pr, sync and drift: parts (check, plan, push,
// parity), findings as rows, plans; built from the commands' JSON reports.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/report"
)

// part is one stage of a composed run (check, plan, parity, push ...).
type part struct {
	Name   string `json:"name"`
	Status string `json:"status"` // ok, problems, error, skipped
	Detail string `json:"detail"` // one line, plain text
}

// row is one finding in the report, as plain text (escaped when rendered).
type row struct {
	sev   string // error, warning, info
	part  string // check, plan, parity, ...
	kind  string // what the next-step advice is keyed by
	where string // file:line, or name/type
	what  string
	zone  string // the zone (or zone file) it is about, when known: the worst zones first
}

// class is how a row's part and kind are shown: "parity mx", or the part
// alone where the kind repeats it ("drift", not "drift drift").
func (r row) class() string { return partKind(r.part, r.kind) }

func partKind(part, kind string) string {
	if kind == "" || kind == part {
		return part
	}
	return part + " " + kind
}

// composedJSON is the JSON report of pr ("plan": the plan command's
// report), sync and drift ("plans": what was pushed, or would be); merge
// reads it back from each shard.
type composedJSON struct {
	Parts  []part                `json:"parts"`
	Check  *report.CheckJSON     `json:"check,omitempty"`
	Plan   *report.PlanJSON      `json:"plan,omitempty"`
	Plans  []report.PlanZoneJSON `json:"plans,omitempty"`
	Parity []parity.Report       `json:"parity,omitempty"`
	Exit   int                   `json:"exit"`
}

// planTitle heads the plans in the report of a composed command (pr,
// sync, drift; any other: pr's).
func planTitle(command string) string {
	switch command {
	case "sync":
		return "Pushed"
	case "drift":
		return "Drift: what a push would change to bring each provider back to git"
	}
	return "Plan (what a push after merge would change; nothing was pushed)"
}

// composed is what pr, sync and drift report: parts, findings and plans.
type composed struct {
	parts  []part
	rows   []row
	plans  []report.PlanZoneJSON
	annots []github.Annotation
	// planTitle heads the plan section ("Plan", "Pushed", "Drift").
	planTitle string
	// notes are lines about the run itself.
	notes []runNote
}

// checkZones checks the zone files of the config (those in the run's
// scope), in one run of check.
func (ac *invocation) checkZones(ctx context.Context, cfgPath string, cfg *config.Config, c *composed) report.CheckJSON {
	var all report.CheckJSON
	s := ac.sub(ctx, "check", append([]string{"--config", cfgPath, "--format", "json"}, ac.zoneArgs()...)...)
	docs, err := decode[report.CheckJSON](s.out)
	if s.code == cli.ExitError || err != nil || len(docs) == 0 {
		c.parts = append(c.parts, part{"check", "error", "could not run: " + s.why()})
		return all
	}
	all.Problems = docs[0].Problems
	for i := range all.Problems {
		all.Problems[i].File = ac.repoPath(all.Problems[i].File)
	}
	errs, warns := c.addCheck(all.Problems)
	files := len(cfg.Zones)
	if ac.zones != nil {
		files = len(ac.zones)
	}
	detail := fmt.Sprintf("%s: %s, %s", plural.N(files, "zone file", "zone files"), plural.N(errs, "error", "errors"), plural.N(warns, "warning", "warnings"))
	if s.code == cli.ExitProblem {
		c.parts = append(c.parts, part{"check", "problems", detail})
	} else {
		c.parts = append(c.parts, part{"check", "ok", detail})
	}
	return all
}

// addCheck adds check problems (paths already relative) as rows and
// annotations, errors first; it returns the errors and warnings.
func (c *composed) addCheck(ps []report.ProblemJSON) (errs, warns int) {
	sortProblems(ps)
	c.annots = append(c.annots, checkAnnotations(ps)...)
	for _, p := range ps {
		sev := p.Severity
		if sev != "error" && sev != "warning" {
			sev = "info"
		}
		if sev == "error" {
			errs++
		} else if sev == "warning" {
			warns++
		}
		c.rows = append(c.rows, row{sev: sev, part: "check", kind: "check-" + sev, where: fmt.Sprintf("%s:%d", p.File, p.Line), what: p.Message, zone: p.File})
	}
	return errs, warns
}

// planPart runs plan or push (name) with args and adds its part (called
// label), rows and plans.
func (ac *invocation) planPart(ctx context.Context, c *composed, label, name string, args ...string) *report.PlanJSON {
	return ac.planPartOf(c, label, name, ac.sub(ctx, name, ac.withZones(args)...))
}

// planPartOf is planPart of a run already made (s, of command name).
func (ac *invocation) planPartOf(c *composed, label, name string, s subRun) *report.PlanJSON {
	docs, err := decode[report.PlanJSON](s.js)
	// A refusal before any plan ("zone files have errors; nothing was
	// planned") reports no plans.
	if err != nil || len(docs) == 0 || len(docs[0].Plans) == 0 && s.code == cli.ExitProblem {
		switch {
		case s.code == cli.ExitProblem && strings.Contains(s.errs, "zone files have errors"):
			c.parts = append(c.parts, part{label, "skipped", "not run: the zone files have errors (see check)"})
		case s.code == cli.ExitOK:
			c.parts = append(c.parts, part{label, "ok", "nothing to do"})
		default:
			c.parts = append(c.parts, part{label, "error", "could not run: " + s.why()})
		}
		return nil
	}
	d := docs[0]
	changes := c.addPlans(ac.repoPath, name, d.Plans)
	detail := fmt.Sprintf("%s over %d provider×zone", plural.N(changes, "change", "changes"), len(d.Plans))
	switch {
	case s.code == cli.ExitError:
		c.parts = append(c.parts, part{label, "error", "failed: " + s.why()})
	case s.code == cli.ExitProblem:
		c.parts = append(c.parts, part{label, "problems", detail + "; refused (see errors)"})
	default:
		c.parts = append(c.parts, part{label, "ok", detail})
	}
	return &d
}

// refusals are the reasons push refuses p besides its unsupported
// records, which p.Blocked lists too (plan.Plan.Blocked: each one as
// unsupportedText writes it) and which are reported once, as unsupported.
func refusals(p report.PlanZoneJSON) []string {
	dup := map[string]bool{}
	for _, u := range p.Unsupported {
		dup[unsupportedText(u)] = true
	}
	var out []string
	for _, b := range p.Blocked {
		if !dup[b] {
			out = append(out, b)
		}
	}
	return out
}

// unsupportedText is an unsupported record as push's refusal names it
// (plan.Unsupported.String): "FILE:LINE: NAME TYPE: REASON", without the
// position for a record no zone-file line holds.
func unsupportedText(u report.UnsupportedJSON) string {
	t := fmt.Sprintf("%s %s: %s", u.Name, u.Type, u.Reason)
	if u.File != "" || u.Line != 0 {
		t = fmt.Sprintf("%s:%d: %s", u.File, u.Line, t)
	}
	return t
}

// addPlans adds plans (of plan or push: name) and their findings
// (planRows). It returns the number of changes.
func (c *composed) addPlans(rel func(string) string, name string, plans []report.PlanZoneJSON) int {
	changes := 0
	for i := range plans {
		p := &plans[i]
		for j := range p.Changes {
			p.Changes[j].File = rel(p.Changes[j].File)
		}
		changes += p.Count()
		c.rows = append(c.rows, planRows(rel, name, *p)...)
	}
	c.plans = append(c.plans, plans...)
	c.annots = append(c.annots, planAnnotations(plans)...)
	return changes
}

// planRows are the findings of a plan (of plan or push: name): records a
// provider cannot hold, refusals and provider errors are errors, forced
// changes and a provider not synced warnings.
func planRows(rel func(string) string, name string, p report.PlanZoneJSON) []row {
	var rows []row
	for _, u := range p.Unsupported {
		rows = append(rows, row{sev: "error", part: name, kind: "unsupported", where: fmt.Sprintf("%s:%d", rel(u.File), u.Line),
			what: fmt.Sprintf("%s %s cannot be held by provider %s: %s", u.Name, u.Type, p.Provider, u.Reason), zone: p.Zone})
	}
	for _, b := range refusals(p) {
		rows = append(rows, row{sev: "error", part: name, kind: "blocked", where: p.Provider + " " + p.Zone, what: b, zone: p.Zone})
	}
	for _, w := range p.Warnings {
		if strings.HasPrefix(w, "push needs --force") { // plan's refusal
			rows = append(rows, row{sev: "error", part: name, kind: "blocked", where: p.Provider + " " + p.Zone, what: w, zone: p.Zone})
			continue
		}
		rows = append(rows, row{sev: "warning", part: name, kind: "unsafe", where: p.Provider + " " + p.Zone, what: w, zone: p.Zone})
	}
	if p.Error != "" {
		rows = append(rows, row{sev: "error", part: name, kind: "provider-error", where: p.Provider + " " + p.Zone, what: p.Error, zone: p.Zone})
	}
	if p.NotSynced != "" {
		// The advice names the side left behind: the old one after an
		// emergency flip, the new one after an emergency rollback.
		kind := "not-synced"
		if p.Provider == "new" {
			kind = "not-synced-new"
		}
		rows = append(rows, row{sev: "warning", part: name, kind: kind, where: p.Provider + " " + p.Zone, what: p.NotSynced, zone: p.Zone})
	}
	return rows
}

// planRank is where a plan stands in the composed report
// (report.ErrorsFirstBy): by its worst finding (planRows).
func planRank(p report.PlanZoneJSON) int {
	rank := report.RankRest
	for _, r := range planRows(func(s string) string { return s }, "", p) {
		rank = min(rank, report.SeverityRank(r.sev))
	}
	return rank
}

// parityPart runs parity for the config's zones (those in the run's
// scope); extra are more flags (a fork's run turns off the config's AXFR,
// which needs TSIG secrets).
func (ac *invocation) parityPart(ctx context.Context, c *composed, cfgPath string, extra ...string) []parity.Report {
	args := append([]string{"--config", cfgPath, "--format", "json"}, extra...)
	s := ac.sub(ctx, "parity", append(args, ac.zoneArgs()...)...)
	docs, err := decode[parity.Report](s.out)
	if s.code == cli.ExitError || err != nil {
		c.parts = append(c.parts, part{"parity", "error", "could not run: " + s.why()})
		return nil
	}
	for i := range docs {
		for j := range docs[i].Findings {
			f := &docs[i].Findings[j]
			f.File = ac.repoPath(f.File)
		}
	}
	errs, warns, infos, queries := c.addParity(docs)
	detail := fmt.Sprintf("%s, %s, %d info over %s (%s)", plural.N(errs, "error", "errors"), plural.N(warns, "warning", "warnings"), infos,
		plural.N(len(docs), "zone", "zones"), plural.N(queries, "query", "queries"))
	status := "ok"
	if s.code == cli.ExitProblem {
		status = "problems"
		if errs == 0 && strings.Contains(s.errs, "fix them first") {
			detail += "; zones with errors were not compared (see check)"
		}
	}
	c.parts = append(c.parts, part{"parity", status, detail})
	return docs
}

// addParity adds parity findings (paths already relative) as rows and
// annotations, and counts them.
func (c *composed) addParity(docs []parity.Report) (errs, warns, infos, queries int) {
	for i := range docs {
		queries += docs[i].Queries
		for j := range docs[i].Findings {
			f := &docs[i].Findings[j]
			sev := f.Severity
			switch sev {
			case "error":
				errs++
			case "warning":
				warns++
			default:
				sev = "info"
				infos++
			}
			where := f.Name + " " + f.Type
			if f.File != "" {
				where = fmt.Sprintf("%s:%d %s", f.File, f.Line, where)
			}
			what := f.Detail
			if f.Old != "" || f.New != "" {
				what += fmt.Sprintf(" (old: %s; new: %s)", dash(f.Old), dash(f.New))
			}
			c.rows = append(c.rows, row{sev: sev, part: "parity", kind: f.Kind, where: where, what: what, zone: docs[i].Zone})
		}
	}
	c.annots = append(c.annots, parityAnnotations(docs)...)
	return errs, warns, infos, queries
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// report is result with its JSON report: js with the parts and the exit
// filled in (pr, sync and drift: each its own other keys).
func (c *composed) report(js composedJSON) outcome {
	res := c.result()
	js.Parts, js.Exit = c.parts, res.exit
	res.json, _ = json.MarshalIndent(js, "", "  ")
	return res
}

// result is the exit code, counts, verdict and Markdown of a composed run.
func (c *composed) result() outcome {
	var res outcome
	res.notes = append(res.notes, c.notes...)
	var failed []string
	for _, p := range c.parts {
		switch p.Status {
		case "error":
			res.exit = cli.ExitError
			failed = append(failed, mdText(p.Name)) // the verdict is Markdown
		case "problems":
			res.exit = max(res.exit, cli.ExitProblem)
		}
	}
	var infos int
	for _, r := range c.rows {
		switch r.sev {
		case "error":
			res.errors++
		case "warning":
			res.warnings++
		default:
			infos++
		}
	}
	for _, p := range c.plans {
		res.changes += p.Count()
	}
	if res.exit == cli.ExitOK && res.errors > 0 {
		res.exit = cli.ExitProblem
	}
	counts := fmt.Sprintf("%s, %s, %d info", plural.N(res.errors, "error", "errors"), plural.N(res.warnings, "warning", "warnings"), infos)
	switch res.exit {
	case cli.ExitError:
		res.verdict = "⚠️ could not run " + strings.Join(failed, ", ") + " — not a pass (" + counts + ")"
	case cli.ExitProblem:
		res.verdict = "❌ problems found (" + counts + ")"
	default:
		res.verdict = "✅ passed (" + counts + ")"
	}
	res.body = c.markdown(false)
	res.short = c.markdown(true)
	res.annots = c.annots
	return res
}
