package action

// Many zones: the scope of a composed run (every zone, the zones a pull
// request changed, one shard of a matrix), the matrix command that splits
// the zones for strategy.matrix, and the merge command that reports the
// shards' runs as one.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
)

// zoneArgs are the arguments that limit check, plan, push and parity to
// the run's zones (none: every zone of the config).
func (ac *invocation) zoneArgs() []string {
	var out []string
	for _, z := range ac.zones {
		out = append(out, "--zone", z)
	}
	return out
}

// withZones is args with the run's zones (zoneArgs), unless args name
// zones of their own (a subset of the run's).
func (ac *invocation) withZones(args []string) []string {
	for _, a := range args {
		if a == "--zone" {
			return args
		}
	}
	return append(args, ac.zoneArgs()...)
}

// scope is the config's zones the run takes (ac.zones; all when nil).
func (ac *invocation) scope(cfg *config.Config) []config.Zone {
	if ac.zones == nil {
		return cfg.Zones
	}
	in := map[string]bool{}
	for _, z := range ac.zones {
		in[z] = true
	}
	var out []config.Zone
	for _, z := range cfg.Zones {
		if in[z.Name] {
			out = append(out, z)
		}
	}
	return out
}

// noZones reports a run whose scope holds no zone (an empty shard, a pull
// request that changed none): nothing to do, said so.
func (ac *invocation) noZones(why string) (outcome, bool) {
	if ac.zones == nil || len(ac.zones) > 0 {
		return outcome{}, false
	}
	c := composed{parts: []part{{"check", "skipped", why}}}
	res := c.result()
	res.verdict = "✅ nothing to do: " + why
	js, _ := json.MarshalIndent(map[string]any{"parts": c.parts, "exit": res.exit}, "", "  ")
	res.json = js
	return res, true
}

// shardArg is the shard a composed run is limited to: the shard input,
// else the first --shard I/N in the args input ("" for none).
func (ac *invocation) shardArg() string {
	if s := strings.TrimSpace(ac.r.Input("shard")); s != "" {
		return s
	}
	if v := argValues(ac.r.Input("args"), "shard"); len(v) > 0 {
		return v[0]
	}
	return ""
}

// pullRequestScope is, in a pull request, cfg limited to the zones the
// pull request changes (prScope, as pr.yml takes them: every zone when
// the list cannot be had) and the part that says so; cfg itself outside
// one (ok false). It is the one scope of pr-many.yml's three jobs: the
// matrix splits it, each shard job takes its shard of the same split, and
// the merge checks the shards' reports against that split (jobs that
// listed the files differently disagree on the split, which the merge
// refuses as a mismatch). The run's zones (ac.zones) are the scope's.
func (ac *invocation) pullRequestScope(ctx context.Context, cfgPath string, cfg *config.Config) (*config.Config, part, bool) {
	if _, ok := ac.r.PullRequest(); !ok {
		return cfg, part{}, false
	}
	p := ac.prScope(ctx, cfgPath, cfg)
	scoped := *cfg
	scoped.SetZones(ac.scope(cfg))
	return &scoped, p, true
}

// limitToShard sets the run's zones to its shard's of the split of cfg's
// zones, when it has one.
func (ac *invocation) limitToShard(cfg *config.Config) {
	if ac.shard == nil {
		return
	}
	zs, _ := shard.Select(cfg, ac.shard, nil) // no names: no error
	ac.zones = []string{}
	for _, z := range zs {
		ac.zones = append(ac.zones, z.Name)
	}
}

// withShard adds "command" and "shard" to a shard run's JSON report (the
// merge job reads them).
func (ac *invocation) withShard(js []byte) []byte {
	if ac.shard == nil || len(js) == 0 {
		return js
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(js, &m) != nil {
		return js
	}
	m["command"], _ = json.Marshal(ac.command)
	m["shard"], _ = json.Marshal(shard.Info{Name: ac.shard.String(), Zones: append([]string{}, ac.zones...)})
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return js
	}
	return out
}

// matrix splits the config's zones into balanced shards (args: --shards N,
// default 16) and sets the output matrix for strategy.matrix.
func (ac *invocation) matrix(ctx context.Context) outcome {
	p := ac.configPath()
	if p == "" {
		return ac.errorResult("no " + config.FileName + " (config input) in the workspace")
	}
	args := append([]string{"--config", p}, strings.Fields(ac.r.Input("args"))...)
	// In a pull request (pr-many.yml), the zones it changes.
	var scope *part
	if _, ok := ac.r.PullRequest(); ok {
		cfg, err := ac.loadConfigAt(p)
		if err == nil {
			err = cfg.Mask(ac.masked)
		}
		if err != nil {
			return ac.errorResult(err.Error())
		}
		_, sp, _ := ac.pullRequestScope(ctx, p, cfg)
		scope = &sp
		if ac.zones != nil && len(ac.zones) == 0 {
			// No zone to split: one shard of none, whose job says
			// there is nothing to do (a matrix of no entry is a
			// workflow error).
			empty := *cfg
			empty.SetZones(nil)
			b, _ := json.Marshal(shard.NewMatrix(&empty, 1))
			return outcome{exit: cli.ExitOK, verdict: "✅ nothing to split: " + sp.Detail, body: sp.Detail + "\n", json: b, noComment: true, outputs: map[string]string{"matrix": string(b)}}
		}
		args = ac.withZones(args)
	}
	s := ac.sub(ctx, "matrix", args...)
	if s.code != cli.ExitOK {
		return ac.errorResult("matrix: " + s.why())
	}
	var m shard.Matrix
	if err := json.Unmarshal(s.out, &m); err != nil {
		return ac.errorResult("matrix: " + err.Error())
	}
	var b strings.Builder
	zones := 0
	if scope != nil {
		b.WriteString(mdText(scope.Detail) + "\n\n")
	}
	b.WriteString("| shard | zones | RRsets |\n|---|---:|---:|\n")
	for _, e := range m.Include {
		zones += len(e.Zones)
		fmt.Fprintf(&b, "| %s | %d | %d |\n", mdText(e.Shard), len(e.Zones), e.RRsets)
	}
	js := strings.TrimSpace(string(s.out))
	out, notes := matrixOutput(js, m)
	// A zone file the matrix could not read (the command names each on
	// stderr): a warning of the summary too, not only of the log, as
	// its shard's job will fail on it.
	before := len(notes)
	for _, l := range strings.Split(s.errs, "\n") {
		if w, ok := strings.CutPrefix(l, "dnsparity matrix: warning: "); ok {
			notes = append(notes, ac.errNote("⚠️ ", errors.New(w), ""))
		}
	}
	warned := len(notes) - before
	return outcome{exit: cli.ExitOK, verdict: fmt.Sprintf("✅ %s in %s", plural.N(zones, "zone", "zones"), plural.N(len(m.Include), "shard", "shards")), body: b.String(),
		json: []byte(js), noComment: true, outputs: map[string]string{"matrix": out}, notes: notes, warnings: warned}
}

// matrixOutputMax bounds the output matrix: GitHub's limit on a job's
// outputs, less room for the others a workflow maps.
const matrixOutputMax = github.MaxJobOutputs - 64<<10

// matrixOutput is the output matrix: the matrix as printed (js), or, when
// that would pass GitHub's limit on a job's outputs (the job would fail
// and no shard run), its entries without their zones. A shard job does
// not need them: it computes its zones from the config again (--shard);
// the JSON report keeps them.
func matrixOutput(js string, m shard.Matrix) (string, []runNote) {
	if github.OutputSize(js) <= matrixOutputMax {
		return js, nil
	}
	type entry struct {
		Shard    string `json:"shard"`
		RRsets   int64  `json:"rrsets"`
		Artifact string `json:"artifact"`
	}
	slim := struct {
		Include []entry `json:"include"`
	}{Include: []entry{}}
	for _, e := range m.Include {
		slim.Include = append(slim.Include, entry{Shard: e.Shard, RRsets: e.RRsets, Artifact: e.Artifact})
	}
	b, _ := json.Marshal(slim)
	return string(b), []runNote{mdNote(fmt.Sprintf("The output matrix leaves out each shard's zones: with them it is %d bytes as GitHub counts them, over its %d for a job's outputs. Each shard job computes its zones from the config; the JSON report lists them.", github.OutputSize(js), github.MaxJobOutputs))}
}

// mergeDoc is what the merge keeps of a shard's JSON report: its
// command, shard, parts and exit, and what its results call for
// (readShardReport),
// never the results themselves: each is read from the file as it is
// merged (shard.WalkReport, shard.Walk), so that a run over thousands of
// zones holds no shard's report whole (up to maxShardReport each).
type mergeDoc struct {
	Command string
	Shard   *shard.Info
	Parts   []part
	Exit    int

	path string // where it was read
	// errs says whether its check or its plan gave an "error".
	errs bool
	// judged is the least exit its results call for (shard.Judge).
	judged int
	// results are the zones each part that ran ("parity", "drift")
	// has a result for (unreported).
	results map[string]map[string]bool
	// foreign are the zones it has results for and does not claim.
	foreign []string
	seen    map[string]map[string]bool // as it is read: the zones with a result, by key
}

// merge reads the shard reports the reports input names (a glob relative
// to the workspace; --expect N in args says how many shards there were)
// and reports them as one run: one comment, one check run, one summary,
// one drift issue. A shard that is missing (its job died: no report) or
// failed is named, with its zones, and fails the merge.
func (ac *invocation) merge(ctx context.Context) outcome {
	pattern := strings.TrimSpace(ac.r.Input("reports"))
	if pattern == "" {
		return ac.errorResult("command merge needs the reports input: a glob of the shards' JSON reports (e.g. shards/*/*.json)")
	}
	expect := 0
	for _, v := range argValues(ac.r.Input("args"), "expect") {
		n, err := shard.ParseExpect(v)
		if err != nil {
			return ac.errorResult("args: " + err.Error())
		}
		expect = n
	}
	docs, unreadable, err := ac.readShardReports(pattern)
	if err != nil {
		return ac.errorResult("reports " + pattern + ": " + err.Error())
	}
	// The shard jobs' result (needs.JOB.result): a job whose dnsparity
	// step wrote its report and whose later step failed (the audit
	// trail's commit, the artifact's upload) is not fine, whatever its
	// report says.
	if jr := strings.TrimSpace(ac.r.Input("shards-result")); jr != "" && jr != "success" {
		unreadable = append(unreadable, fmt.Sprintf("the shard jobs' result is %s, not success (input shards-result): a shard job failed after its report (the audit trail's commit, the upload), was cancelled or did not run, which its report does not say", redact.Quote(jr)))
	}
	parts := make([]shard.Part, len(docs))
	for i, d := range docs {
		parts[i] = shard.Part{Name: d.Shard.Name, Zones: d.Shard.Zones, Exit: d.Exit, From: ac.r.RelPath(d.path)}
	}
	var missingZones func(shard.Spec) []string
	if p := ac.configPath(); p != "" {
		cfg, err := ac.loadConfigAt(p)
		if err != nil {
			// Not passed over: without the split, a report that leaves
			// some of its shard's zones out would merge as whole.
			unreadable = append(unreadable, fmt.Sprintf("%s could not be read, so the shards' zones are not checked against its split: %s", ac.r.RelPath(p), ac.r.Redact(err.Error())))
		} else {
			// In a pull request, the split of the zones it changes, as
			// the matrix made it (pullRequestScope).
			scoped, sp, ok := ac.pullRequestScope(ctx, p, cfg)
			if ok {
				ac.mergeScope = &sp
			}
			ac.zones = nil
			missingZones = shard.ZonesOf(scoped)
		}
	}
	if expect == 0 && len(docs) == 0 {
		return ac.errorResult(fmt.Sprintf("no shard report matches %s (and no --expect N in args): every shard job failed before writing its report, or the artifacts were not downloaded", pattern))
	}
	sh, owner, keptIdx, err := shard.Tally(parts, expect, missingZones)
	if err != nil {
		return ac.errorResult(err.Error())
	}
	var kept []*mergeDoc
	var strays shard.Strays
	command := ""
	for _, i := range keptIdx {
		d := docs[i]
		kept = append(kept, d)
		if msg := foreignFindings(d, &strays); msg != "" {
			unreadable = append(unreadable, msg)
		}
		// Only a shard whose zones no other report checked (Uncovered,
		// in Tally): zones that moved between shards after a push are
		// checked all the same.
		if missingZones != nil && slices.Contains(sh.Mismatched, d.Shard.Name) {
			unreadable = append(unreadable, shard.Claims(d.Shard.Name, d.Shard.Zones, missingZones)...)
		}
		if contradicts(d) {
			sh.Contradicted = append(sh.Contradicted, d.Shard.Name)
			why := "an error finding, a check error or a plan that failed"
			if zs := unreported(d); len(zs) > 0 {
				why = fmt.Sprintf("no result for %s it claims: %s", plural.N(len(zs), "zone", "zones"), strings.Join(plural.FirstN(zs, 20), ", "))
			}
			unreadable = append(unreadable, fmt.Sprintf("shard %s's report gives exit %d, better than its results (%s): refused", d.Shard.Name, d.Exit, why))
		}
		if command == "" {
			command = d.Command
		} else if d.Command != command {
			return ac.errorResult(fmt.Sprintf("shard %s ran %s, another shard %s", d.Shard.Name, d.Command, command))
		}
	}
	sh.Foreign = strays.List()
	return ac.mergedOutcome(command, sh, owner, kept, unreadable)
}

// result is what reading one of d's results (at: "check.problems",
// "plans", "plan.plans" or "parity") notes: the exit it calls for, judged
// as dnsparity merge judges it (shard.Judge), and the zone it is for. Each
// is decoded as the merge takes it: a report whose results are not is no
// shard report.
func (d *mergeDoc) result(at string) func(raw json.RawMessage) error {
	judge := map[string]string{"check.problems": "problems", "plans": "plans", "plan.plans": "plans", "parity": "reports"}[at]
	return func(raw json.RawMessage) error {
		d.judged = max(d.judged, shard.Judge(judge, raw))
		var zone string
		switch at {
		case "check.problems":
			var p report.ProblemJSON
			return json.Unmarshal(raw, &p)
		case "parity":
			var r parity.Report
			if err := json.Unmarshal(raw, &r); err != nil {
				return err
			}
			zone = r.Zone
		default:
			var p report.PlanZoneJSON
			if err := json.Unmarshal(raw, &p); err != nil {
				return err
			}
			zone = p.Zone
		}
		if d.seen[at] == nil {
			d.seen[at] = map[string]bool{}
		}
		d.seen[at][zone] = true
		return nil
	}
}

// readShardReport reads a shard report's keys and judges its results in
// one pass (shard.WalkReport: its exit as the command line's merge reads
// it), holding none of them.
func readShardReport(p string) (*mergeDoc, error) {
	d := &mergeDoc{path: p, seen: map[string]map[string]bool{}}
	exit, err := shard.WalkReport(p, func(key string, dec *json.Decoder) error {
		switch key {
		case "exit":
			return nil
		case "command":
			return dec.Decode(&d.Command)
		case "shard":
			return dec.Decode(&d.Shard)
		case "parts":
			return dec.Decode(&d.Parts)
		case "plans", "parity":
			return shard.Elements(dec, d.result(key))
		case "check", "plan":
			return shard.Fields(dec, func(k string, dec *json.Decoder) error {
				switch {
				case k == "error":
					var e string
					if err := dec.Decode(&e); err != nil {
						return err
					}
					d.errs = d.errs || e != ""
					return nil
				case key == "check" && k == "problems", key == "plan" && k == "plans":
					return shard.Elements(dec, d.result(key+"."+k))
				}
				return shard.Skip(dec)
			})
		}
		return shard.Skip(dec)
	})
	if err != nil {
		return nil, err
	}
	if d.Shard == nil {
		return nil, errors.New("no shard")
	}
	// The exit code as the command line's merge reads it: none (or
	// "exit" twice) is ExitUnknown, a failed shard, never a pass.
	d.Exit = exit
	if d.errs {
		d.judged = max(d.judged, 1)
	}
	// The zones each part that ran has a result for: parity's reports,
	// drift's plans.
	d.results = map[string]map[string]bool{}
	for _, pt := range d.Parts {
		if pt.Status == "ok" || pt.Status == "problems" {
			d.results[pt.Name] = map[string]bool{}
		}
	}
	for part, at := range map[string]string{"parity": "parity", "drift": "plans"} {
		if r := d.results[part]; r != nil {
			maps.Copy(r, d.seen[at])
		}
	}
	// The zones it has results for and does not claim (as shard.Strays
	// finds them).
	var strays shard.Strays
	strays.Claim(d.Shard.Name, d.Shard.Zones)
	for _, at := range []string{"plans", "plan.plans", "parity"} {
		for z := range d.seen[at] {
			strays.Foreign(d.Shard.Name, z)
		}
	}
	d.foreign, d.seen = strays.Of(d.Shard.Name), nil
	return d, nil
}

// foreignFindings notes in strays the zones a kept shard report has
// results for that it does not claim (scan) and names them in a message
// ("" for none).
func foreignFindings(d *mergeDoc, strays *shard.Strays) string {
	name := d.Shard.Name
	strays.Claim(name, d.Shard.Zones)
	for _, z := range d.foreign {
		strays.Foreign(name, z)
	}
	if len(d.foreign) == 0 {
		return ""
	}
	return fmt.Sprintf("shard %s's report has findings for %s that are not its own (left out): %s", name, plural.N(len(d.foreign), "zone", "zones"), strings.Join(plural.FirstN(d.foreign, 20), ", "))
}

// contradicts says whether a shard report's exit is better than its
// results call for, judged as dnsparity merge judges them (shard.Judge,
// scan): such a report is not taken at its word.
func contradicts(d *mergeDoc) bool {
	if shard.Failed(d.Exit) {
		return false
	}
	return d.judged > d.Exit || len(unreported(d)) > 0
}

// unreported are the zones a shard report claims that a part of it which
// ran (ok or problems: every zone of the run has a result) gives no
// result for: a parity report ("parity"), a plan ("drift"). Such a zone
// was not checked, whatever the report's exit (shard.Unreported, as
// dnsparity merge judges it).
func unreported(d *mergeDoc) []string {
	var out []string
	for _, k := range []string{"parity", "drift"} {
		out = append(out, shard.Unreported(d.Shard.Zones, d.results[k])...)
	}
	return out
}

// maxShardReport bounds a shard report the merge reads (a report of ten
// thousand zones is some tens of megabytes).
const maxShardReport = 256 << 20

// readShardReports reads the shard reports the glob pattern (relative to
// the workspace) matches, in name order; unreadable says which could not
// be read or are not shard reports.
func (ac *invocation) readShardReports(pattern string) (docs []*mergeDoc, unreadable []string, err error) {
	base := ac.ws
	if base == "" {
		base = "."
	}
	paths, err := filepath.Glob(filepath.Join(base, pattern))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(paths)
	for _, p := range paths {
		if fi, err := os.Lstat(p); err == nil && (!fi.Mode().IsRegular() || fi.Size() > maxShardReport) {
			unreadable = append(unreadable, fmt.Sprintf("%s: not a regular file of at most %d MiB", ac.r.RelPath(p), maxShardReport>>20))
			continue
		}
		d, err := readShardReport(p)
		if err != nil {
			unreadable = append(unreadable, fmt.Sprintf("%s: not a shard report (run the shard jobs with the shard input)", ac.r.RelPath(p)))
			continue
		}
		if _, err := shard.Parse(d.Shard.Name); err != nil {
			unreadable = append(unreadable, fmt.Sprintf("%s: %v", ac.r.RelPath(p), err))
			continue
		}
		if !isComposedCommand(d.Command) {
			// Text from the report like any other: it names the merged
			// run (the comment's heading, the check run, the report's
			// file), so only a command a shard job runs is taken.
			unreadable = append(unreadable, fmt.Sprintf("%s: not a shard report of pr, sync or drift (command %s)", ac.r.RelPath(p), redact.Quote(d.Command)))
			continue
		}
		docs = append(docs, d)
	}
	return docs, unreadable, nil
}

// mergedOutcome composes the kept shard reports of command into one run's
// report (a zone reported by two shards counts once, from its owner), its
// JSON with the shards and, for drift, the tracking issue. Each report's
// results are read from its file as they are merged (shard.Walk),
// and the merged JSON is written to a temporary file (res.jsonFile) as it
// is made: the run holds what the Markdown and the annotations need, not
// the shards' reports nor the merged one (mergeReportJSON's keys, in its
// order, each element redacted).
func (ac *invocation) mergedOutcome(command string, sh shard.Shards, owner shard.Owners, kept []*mergeDoc, unreadable []string) outcome {
	c := composed{planTitle: planTitle(command)}
	c.parts = append(c.parts, shardsPart(sh, unreadable))
	if ac.mergeScope != nil && command == "pr" {
		c.parts = append(c.parts, *ac.mergeScope)
	}
	var check report.CheckJSON
	rel := ac.r.RelPath
	// A zone's findings come from the shard that owns it (owner.Gives): the
	// first to claim it (a zone two shards claim is named in the shards
	// part), never from a shard that does not claim it.
	// One pass over each report: its problems and plans added as they
	// come (its "plan"'s after its "plans", as the shard job's report
	// lists them), its parity reports added and written to a temporary
	// file as they come, copied into the merged report after the plans.
	pf, err := os.CreateTemp("", "dnsparity-merge-parity-*.json")
	if err != nil {
		return ac.errorResult("merge: the JSON report: " + err.Error())
	}
	defer os.Remove(pf.Name())
	defer pf.Close()
	pw := bufio.NewWriter(pf)
	marshal := func(v any, prefix string) []byte {
		b, _ := json.MarshalIndent(v, prefix, "  ")
		return ac.r.Secrets().ReplaceBytes(b)
	}
	m := &mergeReader{c: &c, check: &check, owner: owner, pw: pw, marshal: marshal}
	for _, d := range kept {
		plans, err := m.read(d)
		if err != nil {
			return ac.errorResult(fmt.Sprintf("%s: %s", rel(d.path), ac.r.Redact(err.Error())))
		}
		c.addPlans(rel, planPartName(command), plans)
	}
	c.addCheck(check.Problems)
	if command == "drift" {
		c.addDrift()
	}
	c.parts = append(c.parts, mergeParts(kept)...)

	f, err := os.CreateTemp("", "dnsparity-merge-*.json")
	if err != nil {
		return ac.errorResult("merge: the JSON report: " + err.Error())
	}
	w := bufio.NewWriter(f)
	var comma shard.Comma
	key := func(k string) {
		comma.Next(w, "\n  ")
		fmt.Fprintf(w, "%q: ", k)
	}
	value := func(v any) { w.Write(marshal(v, "  ")) }
	w.WriteString("{")
	key("command")
	value(command)
	key("parts")
	value(c.parts)
	if len(check.Problems) > 0 {
		key("check")
		value(check)
	}
	if len(c.plans) > 0 {
		key("plans")
		w.WriteString("[")
		var elem shard.Comma
		for _, p := range c.plans {
			elem.Next(w, "\n    ")
			w.Write(marshal(p, "    "))
		}
		w.WriteString("\n  ]")
	}
	perr := pw.Flush()
	if m.parity.N() > 0 && perr == nil {
		key("parity")
		w.WriteString("[")
		if _, perr = pf.Seek(0, io.SeekStart); perr == nil {
			_, perr = io.Copy(w, pf)
		}
		w.WriteString("\n  ]")
	}
	res := c.result()
	key("shards")
	value(sh)
	key("exit")
	value(res.exit)
	var names []string
	for _, d := range kept {
		names = append(names, d.Shard.Name)
	}
	key("reports")
	value(names)
	w.WriteString("\n}")
	if err := errors.Join(perr, w.Flush(), f.Close()); err != nil {
		os.Remove(f.Name())
		return ac.errorResult("merge: the JSON report: " + ac.r.Redact(err.Error()))
	}
	res.jsonFile = f.Name()
	res.title = fmt.Sprintf("dnsparity %s (%s)", command, plural.N(sh.Expected, "shard", "shards"))
	res.reportName = command
	res.checkRun = command != "drift"
	if command == "drift" && sh.OK() && len(unreadable) == 0 {
		drifted := 0
		for _, r := range c.rows {
			if r.kind == "drift" {
				drifted++
			}
		}
		res.track = &tracking{label: "dnsparity-drift", title: "DNS drift: a provider differs from git", open: drifted > 0}
	}
	return res
}

// mergeReader reads the shard reports of a merge, one pass over each: a
// zone's findings come from the shard that owns it (owner.Gives: the
// first to claim it; a zone two shards claim is named in the shards
// part), never from a shard that does not claim it. Problems go to check,
// parity reports to c and, as they come, to pw (marshal redacts them).
type mergeReader struct {
	c       *composed
	check   *report.CheckJSON
	owner   shard.Owners
	pw      *bufio.Writer
	parity  shard.Comma // the parity reports written to pw
	marshal func(v any, prefix string) []byte
}

// read walks d's report, adding its problems and parity reports, and
// returns its plans (its "plan"'s after its "plans", as the shard job's
// report lists them).
func (m *mergeReader) read(d *mergeDoc) ([]report.PlanZoneJSON, error) {
	var planPlans []report.PlanZoneJSON
	plan := func(to *[]report.PlanZoneJSON) func(raw json.RawMessage) error {
		return func(raw json.RawMessage) error {
			var p report.PlanZoneJSON
			if err := json.Unmarshal(raw, &p); err != nil {
				return err
			}
			if m.owner.Gives(d.Shard.Name, p.Zone) {
				*to = append(*to, p)
			}
			return nil
		}
	}
	var plans []report.PlanZoneJSON
	err := shard.Walk(d.path, func(key string, dec *json.Decoder) error {
		switch key {
		case "check":
			return shard.Fields(dec, func(k string, dec *json.Decoder) error {
				if k != "problems" {
					return shard.Skip(dec)
				}
				return shard.Elements(dec, func(raw json.RawMessage) error {
					var p report.ProblemJSON
					err := json.Unmarshal(raw, &p)
					m.check.Problems = append(m.check.Problems, p)
					return err
				})
			})
		case "plan":
			return shard.Fields(dec, func(k string, dec *json.Decoder) error {
				if k != "plans" {
					return shard.Skip(dec)
				}
				return shard.Elements(dec, plan(&planPlans))
			})
		case "plans":
			return shard.Elements(dec, plan(&plans))
		case "parity":
			return shard.Elements(dec, func(raw json.RawMessage) error {
				var r parity.Report
				if err := json.Unmarshal(raw, &r); err != nil {
					return err
				}
				if !m.owner.Gives(d.Shard.Name, r.Zone) {
					return nil
				}
				m.c.addParity([]parity.Report{r})
				m.parity.Next(m.pw, "\n    ")
				m.pw.Write(m.marshal(r, "    "))
				return nil
			})
		}
		return shard.Skip(dec)
	})
	return append(plans, planPlans...), err
}

// planPartName is the part the plans of a command belong to: sync's are
// its push, every other command's its plan.
func planPartName(command string) string {
	if command == "sync" {
		return "push"
	}
	return "plan"
}

// shardsPart says whether every shard reported.
func shardsPart(sh shard.Shards, unreadable []string) part {
	if sh.OK() && len(unreadable) == 0 {
		return part{"shards", "ok", plural.All(sh.Expected, "shard", "shards", "reported", "reported")}
	}
	var why []string
	if len(sh.Missing) > 0 {
		s := fmt.Sprintf("missing (no report: the job died or its artifact is gone): %s", strings.Join(sh.Missing, ", "))
		if len(sh.MissingZones) > 0 {
			s += fmt.Sprintf("; their %s not checked: %s", plural.N(len(sh.MissingZones), "zone was", "zones were"), strings.Join(plural.FirstN(sh.MissingZones, 20), ", "))
		}
		why = append(why, s)
	}
	if len(sh.Failed) > 0 {
		why = append(why, "failed (could not run): "+strings.Join(sh.Failed, ", "))
	}
	why = append(why, sh.Misplaced...)
	for _, d := range sh.Duplicates {
		why = append(why, fmt.Sprintf("zone %s reported by shards %s (the jobs split different commits?)", d.Zone, strings.Join(d.Shards, " and ")))
	}
	why = append(why, unreadable...)
	return part{"shards", "error", fmt.Sprintf("%d of %d shards reported; %s", sh.Reported, sh.Expected, strings.Join(why, "; "))}
}

// mergeParts combines the shards' parts by name: the worst status, and
// the shards that were not ok, named.
func mergeParts(docs []*mergeDoc) []part {
	rank := map[string]int{"ok": 0, "skipped": 1, "problems": 2, "error": 3}
	type acc struct {
		status string
		notOK  []string
		ok     int
	}
	var order []string
	by := map[string]*acc{}
	for _, d := range docs {
		for _, p := range d.Parts {
			if _, known := rank[p.Status]; !known {
				p.Status = "error" // not a status dnsparity writes
			}
			a := by[p.Name]
			if a == nil {
				a = &acc{status: p.Status}
				by[p.Name] = a
				order = append(order, p.Name)
			}
			if rank[p.Status] > rank[a.status] {
				a.status = p.Status
			}
			if p.Status == "ok" {
				a.ok++
			} else {
				a.notOK = append(a.notOK, fmt.Sprintf("shard %s: %s", d.Shard.Name, p.Detail))
			}
		}
	}
	var out []part
	for _, name := range order {
		a := by[name]
		detail := plural.N(a.ok, "shard", "shards") + " ok"
		if len(a.notOK) > 0 {
			detail += "; " + strings.Join(plural.FirstN(a.notOK, 5), "; ")
		}
		out = append(out, part{name, a.status, detail})
	}
	return out
}

// annotationsCap bounds the annotations of one check run, errors first:
// 50 requests of 50 (the Checks API's most per request), within GitHub's
// secondary rate limit of 80 content-creating requests a minute; the
// rest are in the report. A merged run of thousands of zones can have
// far more findings than that.
const annotationsCap = 2500

// capAnnotations keeps the first annotationsCap, errors first, and says
// how many were left out.
func capAnnotations(as []github.Annotation) ([]github.Annotation, int) {
	if len(as) <= annotationsCap {
		return as, 0
	}
	out := append([]github.Annotation{}, as...)
	report.ErrorsFirstBy(out, func(a github.Annotation) int { return report.SeverityRank(a.Level) })
	return out[:annotationsCap], len(as) - annotationsCap
}
