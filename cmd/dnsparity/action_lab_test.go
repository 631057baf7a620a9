package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/report"
)

// The Action against real servers: BIND holds the old provider's zone, Knot
// the new one's, both changed over RFC 2136 with TSIG, both asked by parity.

const acmeZone = `$ORIGIN acme.test.
$TTL 300
@     SOA  ns1.acme.test. hostmaster.acme.test. 1 3600 600 86400 300
@     NS   ns1.acme.test.
ns1   A    192.0.2.53
@     A    192.0.2.10
@     MX   10 mx1.acme.test.
mx1   A    192.0.2.25
@     TXT  "v=spf1 mx -all"
www   CNAME @
`

const acmeMinimal = `$ORIGIN acme.test.
$TTL 300
@     SOA  ns1.acme.test. hostmaster.acme.test. 1 3600 600 86400 300
@     NS   ns1.acme.test.
ns1   A    192.0.2.53
`

// labAction is an action env whose config names lab servers.
type labAction struct {
	*actionEnv
	old, new  *lab.Server
	zone      string
	maxChange int // policy.max_change_percent (default 100)
}

func newLabAction(t *testing.T, oldZone, newZone string) *labAction {
	t.Helper()
	lab.Require(t, "named", "knotd")
	e := &labAction{actionEnv: newActionEnv(t)}
	e.old = lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "acme.test.", Text: oldZone}}, TSIG: pushKey, AllowUpdate: true})
	e.new = lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "acme.test.", Text: newZone}}, TSIG: pushKey, AllowUpdate: true})
	e.env["OLD_TSIG_SECRET"] = pushKey.Secret
	e.env["NEW_TSIG_SECRET"] = pushKey.Secret
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	e.zone = filepath.Join(e.ws, "zones", "acme.test.zone")
	e.writeZone(t, acmeZone)
	e.writeConfig(t, e.old.Addr, e.new.Addr)
	return e
}

func (e *labAction) writeZone(t *testing.T, text string) {
	t.Helper()
	if err := os.WriteFile(e.zone, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (e *labAction) writeConfig(t *testing.T, oldAddr, newAddr string) {
	t.Helper()
	cfg := fmt.Sprintf(`zones:
  - name: acme.test.
    file: zones/acme.test.zone
providers:
  old:
    type: rfc2136
    server: %[1]s
    nameservers: [%[1]s]
    tsig: {name: update-key., algorithm: hmac-sha256, secret_env: OLD_TSIG_SECRET}
  new:
    type: rfc2136
    server: %[2]s
    nameservers: [%[2]s]
    tsig: {name: update-key., algorithm: hmac-sha256, secret_env: NEW_TSIG_SECRET}
policy:
  max_change_percent: %[3]d
parity:
  retries: 0
  timeout: 500ms
  axfr: true # signed transfers: a fork's run has no secret and turns them off
`, oldAddr, newAddr, cmp.Or(e.maxChange, 100))
	if err := os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pushOutOfBand makes provider prov hold text, as a change made at the
// provider outside git would.
func (e *labAction) pushOutOfBand(t *testing.T, prov, text string) {
	t.Helper()
	keep, _ := os.ReadFile(e.zone)
	e.writeZone(t, text)
	defer e.writeZone(t, string(keep))
	// Out of band: made elsewhere, the push's audit-trail entries are not
	// in the pull request's checkout (which the trail check would take
	// for entries the pull request appends by hand).
	trail := filepath.Join(e.ws, ".dnsparity", "cutover")
	before, _ := os.ReadDir(trail)
	kept := map[string][]byte{}
	for _, f := range before {
		kept[f.Name()], _ = os.ReadFile(filepath.Join(trail, f.Name()))
	}
	defer func() {
		after, _ := os.ReadDir(trail)
		for _, f := range after {
			if b, ok := kept[f.Name()]; ok {
				os.WriteFile(filepath.Join(trail, f.Name()), b, 0o644)
			} else {
				os.Remove(filepath.Join(trail, f.Name()))
			}
		}
	}()
	pe := &pushEnv{dir: e.ws, env: e.env}
	if code, out, errs := pe.run(t, "push", "--provider", prov); code != exitOK {
		t.Fatalf("out-of-band push to %s: exit %d\n%s\n%s", prov, code, out, errs)
	}
}

// lastCheckRun is the newest check run.
func (e *labAction) lastCheckRun(t *testing.T) (name, conclusion string, annots int, paths []string) {
	t.Helper()
	runs := e.gh.CheckRuns()
	if len(runs) == 0 {
		t.Fatal("no check run")
	}
	r := runs[len(runs)-1]
	for _, a := range r.Annotations {
		paths = append(paths, a.Path)
	}
	return r.Name, r.Conclusion, len(r.Annotations), paths
}

func TestActionPullRequestLab(t *testing.T) {
	e := newLabAction(t, acmeZone, acmeZone)
	e.env["INPUT_COMMAND"] = "pr"
	// Someone plants a green "report" with the marker before the bot runs.
	planted := e.gh.AddComment(42, "mallory", github.Marker("dns/pr")+"\n## dnsparity pr: ✅ passed")

	comment := func(t *testing.T) string {
		t.Helper()
		cs := e.ownComments(github.ActionsBot)
		if len(cs) != 1 {
			t.Fatalf("%d comments by the bot, want exactly 1 (sticky)", len(cs))
		}
		return cs[0].Body
	}

	t.Run("clean", func(t *testing.T) {
		o := e.run(t)
		if o.code != exitOK {
			t.Fatalf("exit %d\n%s\n%s", o.code, o.stdout, o.stderr)
		}
		body := comment(t)
		for _, want := range []string{"dnsparity pr: ✅ passed", "| check | ✅", "| plan | ✅", "| parity | ✅", "`old` · `acme.test.`: 0 to create"} {
			if !strings.Contains(body, want) {
				t.Errorf("comment lacks %q:\n%s", want, body)
			}
		}
		if _, c, _, _ := e.lastCheckRun(t); c != "success" {
			t.Errorf("check run conclusion %q", c)
		}
		if o.outputs["result"] != "ok" || o.outputs["errors"] != "0" || o.outputs["changes"] != "0" || o.outputs["report"] != ".dnsparity/pr.json" {
			t.Errorf("outputs = %v", o.outputs)
		}
		if !strings.Contains(o.summary, "dnsparity pr: ✅ passed") {
			t.Errorf("summary:\n%s", o.summary)
		}
		var js struct { // the keys of the pr report (docs/ACTION.md)
			Parts []json.RawMessage `json:"parts"`
			Exit  int               `json:"exit"`
		}
		b, _ := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "pr.json"))
		if err := json.Unmarshal(b, &js); err != nil || len(js.Parts) != 4 || js.Exit != 0 { // zones, check, plan, parity
			t.Errorf("pr.json: %v %s", err, b)
		}
		for _, c := range e.gh.Comments(42) {
			if c.ID == planted && !strings.Contains(c.Body, "mallory") && !strings.Contains(c.Body, "✅ passed") {
				t.Errorf("the planted comment was edited: %q", c.Body)
			}
		}
		// Secrets: masked for the runner before anything else, never printed.
		all := o.stdout + o.stderr + o.summary + body
		if i := strings.Index(o.stdout, "::add-mask::"+pushKey.Secret); i < 0 {
			t.Errorf("the TSIG secret was not masked")
		} else if strings.Count(all, pushKey.Secret) != strings.Count(o.stdout, "::add-mask::"+pushKey.Secret) {
			t.Errorf("the TSIG secret reached the log or a report")
		}
	})

	t.Run("parity errors", func(t *testing.T) {
		// The new provider serves another address for the apex.
		e.pushOutOfBand(t, "new", strings.Replace(acmeZone, "@     A    192.0.2.10", "@     A    192.0.2.99", 1))
		o := e.run(t)
		if o.code != exitProblem {
			t.Fatalf("exit %d, want 1\n%s\n%s", o.code, o.stdout, o.stderr)
		}
		body := comment(t)
		ie, iw := strings.Index(body, "### ❌ Errors"), strings.Index(body, "### Next steps")
		if ie < 0 || iw < ie || !strings.Contains(body, "192.0.2.99") || !strings.Contains(body, "`new` · `acme.test.`: 0 to create, 1 to replace") {
			t.Errorf("comment does not put the parity error first, with the plan to fix it:\n%s", body)
		}
		name, c, n, paths := e.lastCheckRun(t)
		if name != "dnsparity pr" || c != "failure" || n == 0 {
			t.Errorf("check run %s %s with %d annotations", name, c, n)
		}
		for _, p := range paths {
			if p != "zones/acme.test.zone" {
				t.Errorf("annotation path %q, want zones/acme.test.zone", p)
			}
		}
		if o.outputs["result"] != "problems" || o.outputs["errors"] == "0" || o.outputs["changes"] != "1" {
			t.Errorf("outputs = %v", o.outputs)
		}
		e.pushOutOfBand(t, "new", acmeZone) // back to parity
	})

	t.Run("a secret in a record", func(t *testing.T) {
		// A TXT that quotes a secret (the TSIG key): a mask there would
		// show it, and the zone file is in git; the run is refused
		// before anything is sent or printed (config.PublicSecretError).
		e.writeZone(t, acmeZone+"leak  TXT \""+pushKey.Secret+"\"\n")
		defer e.writeZone(t, acmeZone)
		o := e.run(t)
		body := comment(t)
		if o.code != exitError || !strings.Contains(body, "stands in what a run shows anyway") {
			t.Errorf("exit %d, want 2 refusing the secret in a record:\n%s", o.code, body)
		}
		if strings.Contains(body+o.summary, pushKey.Secret) || strings.Contains(body, report.MarkdownText(pushKey.Secret)) || strings.Contains(body, "***") {
			t.Errorf("a secret quoted in the zone, or a mask of it, reached the comment or the summary")
		}
	})

	t.Run("injection", func(t *testing.T) {
		nasty := `<img src=x onerror=alert(1)> @team #123 [x](https://evil.example/) ![i](https://evil.example/i.png) a|b ` + "`code`" + ` &amp; _GitHubActionsFileCommandDelimeter_`
		txt := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(nasty)
		e.writeZone(t, acmeZone+"note  TXT \""+txt+"\"\nnl    TXT \"line1\\010::error::forged\\013_GitHubActionsFileCommandDelimeter_\"\n")
		defer e.writeZone(t, acmeZone)
		o := e.run(t)
		body := comment(t)
		for _, bad := range []string{"<img", "@team", "#123", "[x](", "![i](", "](https://evil", "a|b", "`code`", " &amp; "} {
			if strings.Contains(body, bad) {
				t.Errorf("comment holds %q unescaped", bad)
			}
		}
		if strings.Contains(body+o.summary, pushKey.Secret) || strings.Contains(body, report.MarkdownText(pushKey.Secret)) {
			t.Errorf("a secret quoted in the zone reached the comment or the summary")
		}
		if !strings.Contains(body, report.MarkdownText("@team")) || !strings.Contains(body, report.MarkdownText("<img src=x")) {
			t.Errorf("the TXT is not in the comment as escaped text:\n%s", body)
		}
		// Outputs are exactly the six plain values, one line each.
		for _, l := range strings.Split(strings.TrimSpace(o.rawOut), "\n") {
			k, _, _ := strings.Cut(l, "=")
			switch k {
			case "result", "exit-code", "errors", "warnings", "changes", "report":
			default:
				t.Errorf("GITHUB_OUTPUT line %q", l)
			}
		}
		if strings.Contains(o.rawOut, "Delimeter") || len(o.outputs) != 6 {
			t.Errorf("GITHUB_OUTPUT = %q", o.rawOut)
		}
		// Nothing from the zone becomes a workflow command in the log.
		for _, l := range strings.Split(o.stdout, "\n") {
			if strings.HasPrefix(l, "::error::forged") {
				t.Errorf("zone content became a workflow command: %q", l)
			}
		}
	})

	t.Run("fail-on warning", func(t *testing.T) {
		// A new record: both providers lack it (git-drift, a warning).
		e.writeZone(t, acmeZone+"new1  A 192.0.2.31\n")
		defer e.writeZone(t, acmeZone)
		e.env["INPUT_FAIL-ON"] = "warning"
		defer func() { e.env["INPUT_FAIL-ON"] = "error" }()
		o := e.run(t)
		if o.code != exitProblem || o.outputs["result"] != "problems" || o.outputs["warnings"] == "0" || o.outputs["errors"] != "0" {
			t.Errorf("exit %d, outputs %v; want 1 with warnings and no errors", o.code, o.outputs)
		}
		if !strings.Contains(o.summary, "fail-on: warning") {
			t.Errorf("summary does not say why:\n%s", o.summary)
		}
	})

	t.Run("fork", func(t *testing.T) {
		e.pullRequest(t, true)
		defer e.pullRequest(t, false)
		e.env["INPUT_GITHUB-TOKEN"] = forkToken
		defer func() { e.env["INPUT_GITHUB-TOKEN"] = botToken }()
		delete(e.env, "OLD_TSIG_SECRET")
		delete(e.env, "NEW_TSIG_SECRET")
		defer func() { e.env["OLD_TSIG_SECRET"], e.env["NEW_TSIG_SECRET"] = pushKey.Secret, pushKey.Secret }()
		before := len(e.gh.CheckRuns())
		o := e.run(t)
		if o.code != exitOK {
			t.Fatalf("exit %d (check and parity need no secrets)\n%s\n%s", o.code, o.stdout, o.stderr)
		}
		// What a fork's run could not compare is said where the green
		// parity is: the config's signed transfers and the providers'
		// own features (on the code before, "| parity | ✅" alone).
		for _, want := range []string{"| plan | ⏭️ skipped: a pull request from a fork", "| parity | ✅", "; not compared on a fork",
			"may not create check runs", "comment could not be posted"} {
			if !strings.Contains(o.summary, want) {
				t.Errorf("summary lacks %q:\n%s", want, o.summary)
			}
		}
		if len(e.gh.CheckRuns()) != before {
			t.Errorf("a check run was created with a read-only token")
		}
		b, _ := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "pr.json"))
		if !strings.Contains(string(b), "not compared on a fork (no secrets): the signed zone transfers (parity.axfr: names only a transfer lists), the providers' own features read through their APIs; the sync after merge compares them") {
			t.Errorf("pr.json does not say what the fork's parity could not compare:\n%s", b)
		}
	})

	t.Run("second run edits in place", func(t *testing.T) {
		before := len(e.gh.Comments(42))
		o := e.run(t)
		if o.code != exitOK || len(e.gh.Comments(42)) != before || !strings.Contains(comment(t), "✅ passed") {
			t.Errorf("exit %d, comments %d → %d", o.code, before, len(e.gh.Comments(42)))
		}
	})

	t.Run("provider down", func(t *testing.T) {
		e.new.Stop()
		o := e.run(t)
		if o.code != exitError || o.outputs["result"] != "error" {
			t.Fatalf("exit %d, outputs %v; want 2/error\n%s", o.code, o.outputs, o.stderr)
		}
		body := comment(t)
		if strings.Contains(body, "✅ passed") || !strings.Contains(body, "⚠️ could not run") || !strings.Contains(body, "plan could not run") {
			t.Errorf("the comment does not say the run failed and why:\n%s", body)
		}
		if _, c, _, _ := e.lastCheckRun(t); c != "failure" {
			t.Errorf("check run conclusion %q, want failure", c)
		}
		if !strings.Contains(o.summary, "could not run") {
			t.Errorf("summary:\n%s", o.summary)
		}
	})
	e.noRejected(t)
}

func TestActionHugeReport(t *testing.T) {
	// 1,500 CNAME-and-other-data errors: a report far over GitHub's limit.
	// Plan and parity do not run for a zone with errors, so no server is
	// asked (the config's addresses are never contacted).
	e := &labAction{actionEnv: newActionEnv(t)}
	e.env["INPUT_COMMAND"] = "pr"
	// Its secrets set: plan runs to say what else stops it (nothing),
	// and refuses the zone with errors before it asks any server.
	e.env["OLD_TSIG_SECRET"], e.env["NEW_TSIG_SECRET"] = pushKey.Secret, pushKey.Secret
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	e.zone = filepath.Join(e.ws, "zones", "acme.test.zone")
	var b strings.Builder
	b.WriteString(acmeZone)
	for i := 0; i < 1500; i++ {
		fmt.Fprintf(&b, "host%d CNAME www\nhost%d A 192.0.2.%d\n", i, i, i%250+1)
	}
	e.writeZone(t, b.String())
	e.writeConfig(t, "127.0.0.1:1", "127.0.0.1:1")
	o := e.run(t)
	if o.code != exitProblem {
		t.Fatalf("exit %d\n%s\n%s", o.code, o.stderr, o.summary[:min(len(o.summary), 3000)])
	}
	if n := len([]rune(o.summary)); n < 70000 {
		t.Errorf("the summary has %d characters; the full report should be there (over 70,000)", n)
	}
	cs := e.ownComments(github.ActionsBot)
	if len(cs) != 1 {
		t.Fatalf("%d comments", len(cs))
	}
	body := cs[0].Body
	if n := len([]rune(body)); n > github.MaxBody {
		t.Errorf("comment of %d characters is over GitHub's limit", n)
	}
	for _, want := range []string{"❌ problems found (1500 errors", "[job summary](https://github.com/acme/dns/actions/runs/4242)", ".dnsparity/pr.json", "| check | ❌", "| plan | ⏭️ not run: the zone files have errors", "| parity | ⏭️"} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q", want)
		}
	}
	// 1,500 errors: the comment is the digest (counts per class, the
	// worst zone files, the first errors), pointing to the full report.
	for _, want := range []string{"The report is collapsed to fit GitHub's comment limit", "### Findings by class (1500 errors", "| check check-error | 1500 |", "### Worst zones first", "zones/acme.test.zone | 1500 |"} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q:\n%s", want, body[:min(len(body), 3000)])
		}
	}
	if _, c, n, _ := e.lastCheckRun(t); c != "failure" || n != 1500 {
		t.Errorf("check run %s with %d annotations, want failure with 1500", c, n)
	}
	// Without check runs (a fork's token), the annotations are workflow
	// commands, and the summary says how many GitHub will not show.
	e.gh.FailCheckRuns(403)
	o = e.run(t)
	if n := strings.Count(o.stdout, "::error file=zones/acme.test.zone,line="); n != 1500 {
		t.Errorf("%d error annotations as workflow commands, want 1500", n)
	}
	if !strings.Contains(o.summary, "1490 errors are not shown") {
		t.Errorf("the summary does not say how many annotations are not shown:\n%s", o.summary[:min(len(o.summary), 2000)])
	}
	e.noRejected(t)
}

func TestActionSync(t *testing.T) {
	lab.Require(t, "named", "knotd")
	e := newLabAction(t, acmeMinimal, acmeMinimal)
	// The old provider refuses updates (a revoked key, a read-only
	// account): it can be read and planned, but the push fails.
	readOnly := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "acme.test.", Text: acmeMinimal}}, TSIG: pushKey})
	e.writeConfig(t, readOnly.Addr, e.new.Addr)
	e.env["INPUT_COMMAND"] = "sync"
	e.env["GITHUB_EVENT_NAME"] = "push"
	delete(e.env, "GITHUB_EVENT_PATH")
	newBefore := actAXFR(t, e.new.Addr)

	o := e.run(t)
	if o.code != exitError || o.outputs["result"] != "error" {
		t.Fatalf("exit %d, outputs %v; want 2\n%s", o.code, o.outputs, o.stderr)
	}
	if got := actAXFR(t, e.new.Addr); got != newBefore {
		t.Errorf("the new provider was touched after the old one failed:\n%s", got)
	}
	for _, want := range []string{"| push old | ⚠️", "| push new | ⏭️ not touched: provider old failed first", "| parity | ⏭️"} {
		if !strings.Contains(o.summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, o.summary)
		}
	}
	if len(e.gh.CheckRuns()) != 0 || len(e.gh.Comments(42)) != 0 {
		t.Errorf("sync on push made a check run or a comment")
	}

	// The old provider works again: the next run converges.
	e.writeConfig(t, e.old.Addr, e.new.Addr)
	o = e.run(t)
	if o.code != exitOK {
		t.Fatalf("second sync: exit %d\n%s\n%s", o.code, o.summary, o.stderr)
	}
	if actAXFR(t, e.old.Addr) != actAXFR(t, e.new.Addr) || !strings.Contains(actAXFR(t, e.new.Addr), "v=spf1 mx -all") {
		t.Errorf("providers differ after the sync")
	}
	if !strings.Contains(o.summary, "| parity | ✅") || o.outputs["changes"] == "0" {
		t.Errorf("summary/outputs after the sync: %v\n%s", o.outputs, o.summary)
	}
	// And a third is empty.
	if o = e.run(t); o.code != exitOK || o.outputs["changes"] != "0" {
		t.Errorf("third sync: exit %d, outputs %v", o.code, o.outputs)
	}
}

// actAXFR is a server's zone without SOA, for comparing.
func actAXFR(t *testing.T, addr string) string {
	t.Helper()
	var lines []string
	for _, rr := range lab.AXFR(t, addr, "acme.test.", pushKey) {
		if rr.Header().Rrtype != 6 {
			lines = append(lines, rr.String())
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestActionDrift(t *testing.T) {
	e := newLabAction(t, acmeZone, acmeZone)
	e.env["INPUT_COMMAND"] = "drift"
	e.env["GITHUB_EVENT_NAME"] = "schedule"
	delete(e.env, "GITHUB_EVENT_PATH")
	issues := func() (open []githubtest.Issue, all int) {
		for _, is := range e.gh.Issues() {
			if is.Author == github.ActionsBot {
				all++
				if is.State == "open" {
					open = append(open, is)
				}
			}
		}
		return open, all
	}
	// In sync: nothing to track.
	if o := e.run(t); o.code != exitOK {
		t.Fatalf("exit %d\n%s", o.code, o.summary)
	}
	if _, all := issues(); all != 0 {
		t.Fatalf("an issue without drift")
	}
	// Someone changes the new provider by hand: one labelled issue.
	e.pushOutOfBand(t, "new", acmeZone+"hand A 192.0.2.200\n")
	o := e.run(t)
	open, all := issues()
	if !strings.Contains(o.summary, "dnsparity drift: ❌ drift at 1 provider×zone (1 error, 0 warnings, 0 info)\n") || !strings.Contains(o.summary, "| drift | ❌ 1 of 2 provider×zone differ from git |") {
		t.Errorf("drift summary:\n%s", o.summary)
	}
	if o.code != exitProblem || len(open) != 1 || all != 1 || !strings.Contains(open[0].Body, "hand.acme.test.") || strings.Join(open[0].Labels, ",") != "dnsparity-drift" {
		t.Fatalf("after drift: exit %d, open %+v", o.code, open)
	}
	// The finding's class is "drift" (part and kind are both drift), not
	// "drift drift", in the summary and the issue alike.
	for where, text := range map[string]string{"summary": o.summary, "issue": open[0].Body} {
		if strings.Contains(text, "drift drift") || !strings.Contains(text, "| drift |") {
			t.Errorf("the %s names the drift finding's class twice or not at all:\n%s", where, text)
		}
	}
	// More drift: the same issue is updated.
	e.pushOutOfBand(t, "new", acmeZone+"hand A 192.0.2.200\nmore A 192.0.2.201\n")
	e.run(t)
	open, all = issues()
	if len(open) != 1 || all != 1 || !strings.Contains(open[0].Body, "more.acme.test.") {
		t.Fatalf("after more drift: open %+v, all %d", open, all)
	}
	// Back in sync: the issue is closed with a comment.
	e.pushOutOfBand(t, "new", acmeZone)
	o = e.run(t)
	open, all = issues()
	if o.code != exitOK || len(open) != 0 || all != 1 {
		t.Fatalf("after the fix: exit %d, open %+v", o.code, open)
	}
	if cs := e.gh.Comments(e.gh.Issues()[0].Number); len(cs) != 1 || !strings.Contains(cs[0].Body, "drift is gone") {
		t.Errorf("closing comment = %+v", cs)
	}
	if !strings.Contains(o.summary, "closed") {
		t.Errorf("summary does not say the issue was closed:\n%s", o.summary)
	}
	e.noRejected(t)
}

func TestActionSyncRefused(t *testing.T) {
	// git drops most records: the policy refuses the plan for both
	// providers, and nothing is pushed to either.
	e := newLabAction(t, acmeZone, acmeZone)
	e.maxChange = 10
	e.writeConfig(t, e.old.Addr, e.new.Addr)
	e.writeZone(t, acmeMinimal)
	e.env["INPUT_COMMAND"] = "sync"
	e.env["GITHUB_EVENT_NAME"] = "push"
	delete(e.env, "GITHUB_EVENT_PATH")
	oldBefore, newBefore := actAXFR(t, e.old.Addr), actAXFR(t, e.new.Addr)
	o := e.run(t)
	if o.code != exitProblem || o.outputs["result"] != "problems" {
		t.Fatalf("exit %d, outputs %v\n%s", o.code, o.outputs, o.summary)
	}
	if actAXFR(t, e.old.Addr) != oldBefore || actAXFR(t, e.new.Addr) != newBefore {
		t.Errorf("a refused sync changed a provider")
	}
	if !strings.Contains(o.summary, "| push | ⏭️ nothing was pushed") || !strings.Contains(o.summary, "push blocked") {
		t.Errorf("summary:\n%s", o.summary)
	}
	// The refused dry run's plans are what a push would have changed,
	// not what was pushed: headed "Pushed", a reader took the deletes
	// listed under it for done.
	if strings.Contains(o.summary, "### Pushed") || !strings.Contains(o.summary, "### Not pushed (dry run: what the push would change)") {
		t.Errorf("the refused plans are not headed as a dry run:\n%s", o.summary)
	}
	// One dry run reads the providers: its report is the part shown
	// (the dry run was made twice, once to decide, once to report).
	if n := strings.Count(o.stderr, "running push "); n != 1 || !strings.Contains(o.stderr, "--dry-run") {
		t.Errorf("push run %d times (want one dry run):\n%s", n, o.stderr)
	}
}
