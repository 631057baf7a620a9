package action

import (
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/report"
)

// nextSteps is the advice for each kind of finding (part/kind), shown once
// per kind found.
var nextSteps = map[string]string{
	"check/check-error":               "fix the zone file at the line shown; nothing is planned, pushed or compared for a zone with errors",
	"check/check-warning":             "review the line shown; warnings do not block (unless fail-on: warning)",
	"check/check-info":                "nothing to do",
	"plan/unsupported":                "a provider cannot hold this record, and a push of its zone there is refused until it is changed or dropped (--force does not make the provider take it); or keep the zone on a provider that can",
	"plan/blocked":                    "the plan is refused by the safety policy: review it, then push with --force (or raise policy.max_change_percent) if it is intended",
	"plan/unsafe":                     "a forced or unsafe change: review it before merging",
	"plan/provider-error":             "the provider failed: see the message; the next run converges",
	"push/unsupported":                "a provider cannot hold this record: the push was refused and nothing was pushed; change or drop the record",
	"push/blocked":                    "the push is refused by the safety policy: nothing was pushed; review, then push with --force",
	"push/unsafe":                     "a forced or unsafe change was pushed",
	"push/provider-error":             "the provider failed: the sync stopped there; the next run (or `dnsparity push`) converges",
	"push/not-synced":                 "the old provider is still down after the emergency flip: the new side was synced; the next scheduled sync tries the old one again (or `dnsparity push --provider old` once it is up; a rollback waits for it)",
	"plan/not-synced":                 "the old provider is still down after the emergency flip: its plan is unknown until it answers",
	"push/not-synced-new":             "the new provider is still down after the emergency rollback: the old side was synced; the next scheduled sync tries the new one again (or `dnsparity push --provider new` once it is up; resolvers that cached its delegation still ask it, and a flip waits for it)",
	"plan/not-synced-new":             "the new provider is still down after the emergency rollback: its plan is unknown until it answers",
	"parity/missing":                  "one side lacks records the other has: push to the side that differs from git (the plan shows which)",
	"parity/rdata":                    "the providers answer with different data: push to the side that differs from git (the plan shows which)",
	"parity/rcode":                    "the providers answer with different response codes: push to both, check the zone exists at each provider",
	"parity/ttl":                      "TTLs differ: push to both; answers agree, caches expire at different times",
	"parity/txt-split":                "TXT split at other points: cosmetic, verifiers concatenate the strings; nothing to do",
	"parity/lame":                     "a nameserver does not answer for the zone: check the provider's nameserver list and that the zone exists there",
	"parity/cname-hop":                "a CNAME chain differs: push to both; the chain's end is what resolvers see",
	"parity/flattened":                "one side answers through a CNAME chain, the other with the data at the name (a flattened CNAME, ALIAS or ANAME): where the chain leads to other data, make both serve what git says; where it leads to the same data, the flat side stops following the target's changes (a rotated DKIM key, a CDN's new addresses): prefer the CNAME",
	"parity/wildcard":                 "wildcard synthesis differs: push to both; check the provider supports the wildcard as written",
	"parity/referral":                 "a delegation inside the zone differs: push to both",
	"parity/glue":                     "glue differs: push to both",
	"parity/soa":                      "the SOA differs: usually harmless (each provider owns its SOA)",
	"parity/ns":                       "the apex NS differs: expected before the flip; the cutover sets the delegation",
	"parity/spf-lookups":              "the SPF chain costs more than 10 DNS lookups (RFC 7208 §4.6.4): receivers answer permerror; flatten or drop includes",
	"parity/spf-void":                 "SPF names that do not exist (void lookups): remove them from the SPF record",
	"parity/spf-permerror":            "the SPF record is broken: fix its syntax",
	"parity/spf-unknown":              "an SPF include could not be read here: set parity.resolver to check one outside the zone; one named by a macro of the sender (%{i}, %{s}, %{l}, %{o}, %{h}, %{p}, %{v}) is read per message: count its lookups by hand",
	"parity/spf":                      "the SPF record does not do what it seems to (receivers evaluate it as published), or is no SPF record at all (written unquoted: its words joined without blanks): fix it in the zone file as the finding says",
	"parity/dkim":                     "a DKIM key differs or is broken: mail signed with it fails on one side; push the key to both (a key at a name verifiers never ask: move it under SELECTOR._domainkey, as the finding says)",
	"parity/dmarc":                    "the DMARC record differs or is broken: push it to both (one at a name receivers never ask: move it to _dmarc, as the finding says)",
	"parity/dmarc-report":             "the DMARC record sends reports to another domain that does not publish that it accepts them (RFC 7489 §7.1: TXT v=DMARC1 at ZONE._report._dmarc.DOMAIN): receivers send it none; publish that record in that domain's zone, or report to an address in the zone (info: not asked without parity.resolver)",
	"parity/mta-sts":                  "the MTA-STS record (_mta-sts TXT: v=STSv1; id=...) differs, is missing or is broken on a side: senders enforcing the policy keep the one they cached until max_age, others find none; fix it in the zone file and push it to both (one at a name senders never ask: move it to _mta-sts)",
	"parity/tlsrpt":                   "the SMTP TLS reporting record (_smtp._tls TXT: v=TLSRPTv1; rua=...) differs, is missing or is broken on a side: senders send no TLS reports while it is; fix it in the zone file and push it to both (one at a name reporters never ask: move it to _smtp._tls)",
	"parity/bimi":                     "the BIMI record (SELECTOR._bimi TXT: v=BIMI1; l=...) is written otherwise on the two sides but receivers read it the same: nothing to do (one that reads otherwise is an rdata error: push it to both)",
	"parity/dane":                     "the TLSA records of a mail host (_25._tcp) differ between the sides: DANE-validating senders authenticate the host with what the side they ask serves (with no TLSA in a signed zone, they deliver without authenticating it); push the TLSA records to both before the flip",
	"parity/git-drift":                "both providers agree but differ from git: merging lets sync push it to both",
	"parity/disagree-within-provider": "a provider's own nameservers disagree (propagation in progress?): re-run in a few minutes; if it persists, one server flattens a CNAME the others serve, or serves a stale copy: see the detail",
	"parity/failure":                  "a server did not answer: re-run; if it persists the provider is down",
	"parity/axfr":                     "records at a provider that are not in git: add them to the zone file, or let a push delete them",
	"parity/dnssec":                   "DNSSEC signing differs between the providers: see the dnssec gate before any flip",
	"parity/denial":                   "a side serves denial records (NSEC/NSEC3) that deny a name git holds: a push does not change them; have that provider sign the zone again",
	"parity/compact-denial":           "a signer answers with compact denial of existence (NOERROR for a name that does not exist): no push changes how a provider denies; check that nothing reading NXDOMAIN (DMARC, mail) depends on it",
	"parity/dname":                    "git has a DNAME a side does not process: enable DNAME processing at that provider (PowerDNS: dname-processing=yes), or drop the DNAME",
	"parity/ecs":                      "information on EDNS Client Subnet: what the zone answers by client was compared per subnet; nothing to do",
	"parity/extra":                    "a server put records the question did not ask for in its answer: resolvers use what they asked for; a warning means that data differs from git: push to that side",
	"parity/udp-size":                 "a server answered over UDP with more than the payload size the query allowed instead of truncating (TC): set its maximum UDP response size to 1232 (see the message), or ask the provider to honour the size asked",
	"parity/provider-feature":         "a provider's own feature (geo, weighting, ALIAS...) is not in git, or the provider's API could not be read: see the message; give the job that provider's read credentials, or decide whether the feature moves with the zone",
	"trail/rewrite":                   "the audit trail drives the cutover's gates and what a rollback restores: a pull request may only append entries, in time order (as the cutover and sync workflows write them); restore the file from the base branch (git checkout origin/main -- FILE) and let the workflows record what happens",
	"trail/appended":                  "check that the run named is the cutover or sync workflow's on the base branch, whose commit-trail step left this branch, and that its artifact holds these entries: an entry written by hand drives the gates like a real one",
	"trail/run":                       "the side branch's name (dnsparity-trail/BASE-RUN) is any branch's to take: pr asks the API (actions: read) that RUN is a run of this repository on the base branch, started by workflow_dispatch, schedule or a push (the cutover and sync workflows), and that every appended entry is dated within it. Let that workflow record the step again, or check each entry against the run's report and commit it to the branch directly (a bypass of its protection)",
	"trail/by-hand":                   "only the commit-trail step's side branch (dnsparity-trail/BASE-RUN, in this repository) may append to the audit trail by pull request: any other entry is one nobody can tell from a forged one, and it drives the gates (a flip's before is what the next rollback restores; an observation ends the TTL, DNSKEY and DS waits). Let the cutover or sync workflow record the step, or commit a CLI run's trail to the branch directly (a bypass of its protection), after checking each entry against that run's report",
	"trail/reordered":                 "the base branch's trail went back in time (edited by hand, or merged by an older commit-trail step), so every cutover command refused it; check in git history that no entry was forged before merging",
	"drift/drift":                     "a provider differs from git: `command: sync` (or `dnsparity push`) brings it back",
}

func advice(part, kind string) string {
	if s, ok := nextSteps[part+"/"+kind]; ok {
		return s
	}
	if part == "parity" {
		return "the providers differ: push to both, then re-run parity"
	}
	return "see the finding"
}

// markdown renders a composed report: parts, errors, warnings, info
// (collapsed), next steps, plans. short drops the info rows and the plan
// tables (for a comment that would be too long).
//
// Either stays within GitHub's limits whatever the number of zones: the
// tables stop at mdBudget (the findings' at findingsBudget, so the next
// steps and the plans' counts follow), errors first, and say how many
// rows they left out, pointing at the JSON report.
func (c *composed) markdown(short bool) string {
	var b strings.Builder
	left := &budget{limit: findingsBudget}
	b.WriteString("| part | result |\n|---|---|\n")
	for _, p := range c.parts {
		icon := map[string]string{"ok": "✅", "problems": "❌", "error": "⚠️", "skipped": "⏭️"}[p.Status]
		fmt.Fprintf(&b, "| %s | %s %s |\n", mdText(p.Name), icon, mdText(p.Detail))
	}
	b.WriteString("\n")
	c.writeFindings(&b, short, left)
	c.writeNextSteps(&b)
	left.limit = mdBudget
	if len(c.plans) > 0 {
		c.writePlans(&b, short, left)
	}
	b.WriteString(leftRows(left))
	return b.String()
}

// mdBudget is the most a composed report renders (bytes): GitHub's
// step-summary limit, less room for the headline and the notes;
// findingsBudget leaves room after the findings for the next steps and
// the plans' counts.
const (
	mdBudget       = github.MaxSummary - 32<<10
	findingsBudget = mdBudget - 128<<10
)

// budget is what a composed report's tables may still take: from the
// first row that would pass limit, every row is left out, and counted.
type budget struct {
	limit                    int
	findings, plans, changes int // rows left out
}

// fits says whether line fits in b; when it does not, *n counts it.
func (bu *budget) fits(b *strings.Builder, line string, n *int) bool {
	if bu.findings+bu.plans+bu.changes > 0 || b.Len()+len(line) > bu.limit {
		*n++
		return false
	}
	return true
}

// leftRows says how many findings, plans and changes a report left out
// to keep within GitHub's size limit ("" when none).
func leftRows(bu *budget) string {
	if n := notShown("one", left{bu.findings, "finding", "findings"}, left{bu.plans, "provider × zone plan", "provider × zone plans"},
		left{bu.changes, "change", "changes"}); n != "" {
		return n + "\n\n"
	}
	return ""
}

// left is how many of a kind a report left out (n), named in the
// singular and the plural.
type left struct {
	n         int
	one, many string
}

// notShown is the note (one line of Markdown, without its line break)
// that names what a report left out to keep within GitHub's size limit,
// each kind with more than none left out, and that the JSON report has
// every one of what it counts (every); "" when nothing was left out.
func notShown(every string, kinds ...left) string {
	var parts []string
	for _, k := range kinds {
		if k.n > 0 {
			parts = append(parts, plural.N(k.n, k.one, k.many))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "_Not shown, to keep within GitHub's size limit (errors first): " + strings.Join(parts, " and ") + ". The JSON report (the step's `report` output) has every " + every + "._"
}

// writeFindings writes the findings by severity: errors and warnings as
// tables (short, with many of them: a digest), info collapsed (short: a
// count).
func (c *composed) writeFindings(b *strings.Builder, short bool, left *budget) {
	bySev := map[string][]row{}
	for _, r := range c.rows {
		bySev[r.sev] = append(bySev[r.sev], r)
	}
	table := func(rs []row) {
		b.WriteString("| where | part | what |\n|---|---|---|\n")
		for _, r := range rs {
			if line := fmt.Sprintf("| %s | %s | %s |\n", mdText(r.where), mdText(r.class()), mdText(r.what)); left.fits(b, line, &left.findings) {
				b.WriteString(line)
			}
		}
		b.WriteString("\n")
	}
	if short && len(bySev["error"])+len(bySev["warning"]) > digestRows {
		// Many findings (many zones): counts per class, the worst zones,
		// the first errors; everything is in the summary and the JSON.
		c.digest(b, bySev)
	} else {
		if rs := bySev["error"]; len(rs) > 0 {
			fmt.Fprintf(b, "### ❌ Errors (%d)\n\n", len(rs))
			table(rs)
		}
		if rs := bySev["warning"]; len(rs) > 0 {
			fmt.Fprintf(b, "### ⚠️ Warnings (%d)\n\n", len(rs))
			table(rs)
		}
	}
	if rs := bySev["info"]; len(rs) > 0 {
		if short {
			fmt.Fprintf(b, "_%d info findings: see the job summary._\n\n", len(rs))
		} else {
			fmt.Fprintf(b, "<details><summary>ℹ️ Info (%d)</summary>\n\n", len(rs))
			table(rs)
			b.WriteString("</details>\n\n")
		}
	}
}

// writeNextSteps writes the next steps: a part that could not run, then
// one line per kind of finding, errors first.
func (c *composed) writeNextSteps(b *strings.Builder) {
	type step struct {
		sev, key string
		n        int
	}
	seen := map[string]*step{}
	var steps []*step
	for _, r := range c.rows {
		k := r.part + "/" + r.kind
		if s := seen[k]; s != nil {
			s.n++
			continue
		}
		s := &step{r.sev, k, 1}
		seen[k] = s
		steps = append(steps, s)
	}
	report.ErrorsFirstBy(steps, func(s *step) int { return report.SeverityRank(s.sev) })
	for _, p := range c.parts {
		if p.Status == "error" {
			fmt.Fprintf(b, "%s- **%s could not run**: %s\n", stepsHeader(b), mdText(p.Name), mdText(strings.TrimPrefix(strings.TrimPrefix(p.Detail, "could not run: "), "failed: ")))
		}
	}
	for _, s := range steps {
		part, kind, _ := strings.Cut(s.key, "/")
		fmt.Fprintf(b, "%s- **%s** (%d): %s\n", stepsHeader(b), mdText(partKind(part, kind)), s.n, advice(part, kind))
	}
	if len(steps) > 0 || strings.Contains(b.String(), "### Next steps") {
		b.WriteString("\n")
	}
}

// writePlans writes the plans under their title, errors first (planRank):
// with many, only the provider × zone with changes or findings (short: at
// most digestPlans of them).
func (c *composed) writePlans(b *strings.Builder, short bool, left *budget) {
	title, sync := c.planTitle, false
	if title == planTitle("sync") {
		// A sync's plans are pushed ones only when push applied them
		// (PlanZoneJSON.Applied): a refused dry run's, or a provider's
		// left out, are what a push would change.
		title, sync = notPushedTitle, true
		for _, p := range c.plans {
			if p.Applied != nil {
				title = c.planTitle
				break
			}
		}
	}
	fmt.Fprintf(b, "### %s\n\n", title)
	// Errors first (a cut at the budget, or a comment's first
	// digestPlans, never drops a plan with an error and keeps a lesser).
	plans, quiet := append([]report.PlanZoneJSON(nil), c.plans...), 0
	report.ErrorsFirstBy(plans, planRank)
	if len(plans) > manyPlans {
		// Many zones: the provider × zone with changes or findings only
		// (at most digestPlans of them in a comment).
		all := plans
		plans = nil
		for _, p := range all {
			if p.Count() > 0 || planRank(p) < report.RankRest {
				plans = append(plans, p)
			}
		}
		quiet = len(c.plans) - len(plans)
		if short && len(plans) > digestPlans {
			fmt.Fprintf(b, "_%d more provider × zone with changes are listed in the job summary and the JSON report._\n\n", len(plans)-digestPlans)
			plans = plans[:digestPlans]
		}
		fmt.Fprintf(b, "_%d provider × zone have nothing to change._\n\n", quiet)
	}
	for _, p := range plans {
		writePlan(b, p, short, sync, left)
	}
}

// notPushedTitle heads a sync's plans when push applied none of them.
const notPushedTitle = "Not pushed (dry run: what the push would change)"

// writePlan writes one provider × zone: its counts, then its changes in
// <details> (short: a pointer to the job summary). sync: the plans are a
// sync's, where one push did not apply is said to be not pushed.
func writePlan(b *strings.Builder, p report.PlanZoneJSON, short, sync bool, left *budget) {
	var h strings.Builder
	fmt.Fprintf(&h, "#### `%s` · `%s`: %d to create, %d to replace, %d to delete", codeText(p.Provider), codeText(p.Zone),
		p.Summary["create"], p.Summary["replace"], p.Summary["delete"])
	if p.NewZone {
		h.WriteString(" (the zone is created)")
	}
	if p.Applied != nil {
		fmt.Fprintf(&h, "; %d applied", *p.Applied)
	} else if sync {
		h.WriteString("; not pushed")
	}
	h.WriteString("\n\n")
	if !left.fits(b, h.String(), &left.plans) {
		return
	}
	b.WriteString(h.String())
	if len(p.Changes) == 0 {
		return
	}
	if short {
		b.WriteString("_The changes are listed in the job summary._\n\n")
		return
	}
	fmt.Fprintf(b, "<details><summary>%s</summary>\n\n| | name | type | now | after push | line |\n|---|---|---|---|---|---|\n", plural.N(len(p.Changes), "change", "changes"))
	for _, ch := range p.Changes {
		sign := map[string]string{"create": "+", "replace": "~", "delete": "-"}[ch.Action]
		line := ""
		if ch.File != "" {
			line = mdText(fmt.Sprintf("%s:%d", ch.File, ch.Line))
		}
		if row := fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", sign, mdText(ch.Name), mdText(ch.Type), setText(ch.Old), setText(ch.New), line); left.fits(b, row, &left.changes) {
			b.WriteString(row)
		}
	}
	b.WriteString("\n</details>\n\n")
}

// stepsHeader returns the Next steps heading the first time.
func stepsHeader(b *strings.Builder) string {
	if strings.Contains(b.String(), "### Next steps\n") {
		return ""
	}
	return "### Next steps\n\n"
}

func setText(s *report.SetJSON) string {
	if s == nil {
		return "—"
	}
	return mdText(fmt.Sprintf("%d %s", s.TTL, strings.Join(s.Values, " · ")))
}

// codeText is text for inside a `code span` (report.MarkdownCode): it
// cannot end the span, the line or a table cell.
func codeText(s string) string { return report.MarkdownCode(s) }

// fitComment is the comment body: the report, collapsed when it is over
// GitHub's limit, then cut with a pointer to the summary and the JSON.
func fitComment(head string, res outcome, pointer string) string {
	notes := notesMarkdown(res.notes)
	full := head + notes + res.body
	limit := github.MaxBody - 200 // the marker and margin
	if len([]rune(full)) <= limit {
		return full
	}
	if res.short != "" {
		short := head + notes + "> The report is collapsed to fit GitHub's comment limit: " + pointer + ".\n\n" + res.short
		if len([]rune(short)) <= limit {
			return short
		}
		full = short
	}
	return truncated(full, pointer)
}

const (
	// digestRows: with more errors and warnings than this, a comment
	// shows counts per class and the worst zones instead of every row.
	digestRows = 40
	// digestZones and digestErrors: the worst zones and the first error
	// rows a digest shows.
	digestZones, digestErrors = 25, 30
	// manyPlans: with more plans than this, only those with changes are
	// listed; digestPlans of them in a comment.
	manyPlans, digestPlans = 20, 30
	// cellMax caps a table cell of a digest (characters).
	cellMax = 300
)

// digest writes the findings of a run over many zones so that a comment
// stays within GitHub's limit whatever their number: the counts per class
// (part, kind), the worst zones first (errors, then warnings), and the
// first errors.
func (c *composed) digest(b *strings.Builder, bySev map[string][]row) {
	add := func(m map[string]*report.Counts, k string, sev string) {
		x := m[k]
		if x == nil {
			x = &report.Counts{}
			m[k] = x
		}
		x.Add(sev)
	}
	classes, zones := map[string]*report.Counts{}, map[string]*report.Counts{}
	firstErr := map[string]string{}
	for _, r := range c.rows {
		add(classes, r.class(), r.sev)
		z := r.zone
		if z == "" {
			z = r.where
		}
		add(zones, z, r.sev)
		if r.sev == "error" && firstErr[z] == "" {
			firstErr[z] = r.class() + ": " + r.what
		}
	}
	fmt.Fprintf(b, "### Findings by class (%s, %s, %d info)\n\n| class | errors | warnings | info |\n|---|---:|---:|---:|\n",
		plural.N(len(bySev["error"]), "error", "errors"), plural.N(len(bySev["warning"]), "warning", "warnings"), len(bySev["info"]))
	for _, k := range report.WorstFirst(classes) {
		x := classes[k]
		fmt.Fprintf(b, "| %s | %d | %d | %d |\n", mdText(k), x.Errors, x.Warnings, x.Info)
	}
	ks := report.WorstFirst(zones)
	fmt.Fprintf(b, "\n### Worst zones first (%d of %d with findings)\n\n| zone | errors | warnings | info | first error |\n|---|---:|---:|---:|---|\n", min(len(ks), digestZones), len(ks))
	for _, k := range ks[:min(len(ks), digestZones)] {
		x := zones[k]
		fmt.Fprintf(b, "| %s | %d | %d | %d | %s |\n", mdText(capCell(k)), x.Errors, x.Warnings, x.Info, mdText(capCell(firstErr[k])))
	}
	if rs := bySev["error"]; len(rs) > 0 {
		fmt.Fprintf(b, "\n### ❌ Errors (%d; the first %d)\n\n| where | part | what |\n|---|---|---|\n", len(rs), min(len(rs), digestErrors))
		for _, r := range rs[:min(len(rs), digestErrors)] {
			fmt.Fprintf(b, "| %s | %s | %s |\n", mdText(capCell(r.where)), mdText(r.class()), mdText(capCell(r.what)))
		}
	}
	b.WriteString("\n_Every finding is in the job summary and the JSON report._\n\n")
}

// capCell cuts a cell's text to cellMax characters.
func capCell(s string) string {
	if rs := []rune(s); len(rs) > cellMax {
		return string(rs[:cellMax-1]) + "…"
	}
	return s
}
