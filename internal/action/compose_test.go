package action

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/report"
)

func TestComposedPlans(t *testing.T) {
	rel := func(s string) string { return strings.TrimPrefix(s, "/ws/") }
	tests := []struct {
		name    string
		plan    report.PlanZoneJSON
		sev     []string // severities of the rows, in order
		exit    int
		verdict string
	}{
		{"clean", report.PlanZoneJSON{Provider: "old", Zone: "a.", Summary: map[string]int{"create": 2}}, nil, cli.ExitOK, "✅ passed"},
		{"refused by policy", report.PlanZoneJSON{Provider: "new", Zone: "a.", Summary: map[string]int{"delete": 9},
			Warnings: []string{"push needs --force: 90% of the zone changes"}}, []string{"error"}, cli.ExitProblem, "❌ problems found (1 error"},
		{"forced", report.PlanZoneJSON{Provider: "new", Zone: "a.", Warnings: []string{"forced: apex NS"}}, []string{"warning"}, cli.ExitOK, "✅ passed (0 errors, 1 warning"},
		{"provider error", report.PlanZoneJSON{Provider: "new", Zone: "a.", Error: "connection refused"}, []string{"error"}, cli.ExitProblem, "❌"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c composed
			c.parts = []part{{"plan", "ok", ""}}
			tt.plan.Changes = []report.ChangeJSON{{Action: "create", Name: "w.a.", Type: "A", File: "/ws/zones/a.zone", Line: 3}}
			c.addPlans(rel, "plan", []report.PlanZoneJSON{tt.plan})
			var sev []string
			for _, r := range c.rows {
				sev = append(sev, r.sev)
			}
			if strings.Join(sev, ",") != strings.Join(tt.sev, ",") {
				t.Errorf("rows %v, want %v", sev, tt.sev)
			}
			res := c.result()
			if res.exit != tt.exit || !strings.HasPrefix(res.verdict, tt.verdict) {
				t.Errorf("exit %d verdict %q, want %d %q", res.exit, res.verdict, tt.exit, tt.verdict)
			}
			if c.plans[0].Changes[0].File != "zones/a.zone" || len(res.annots) != 1 {
				t.Errorf("change file %q, annotations %d", c.plans[0].Changes[0].File, len(res.annots))
			}
		})
	}
}

func TestComposedMarkdownOrder(t *testing.T) {
	c := composed{planTitle: "Plan", parts: []part{{"check", "ok", "1 zone"}, {"parity", "error", "could not run: new server 127.0.0.1 does not answer"}}}
	c.rows = []row{
		{sev: "info", part: "parity", kind: "txt-split", where: "a. TXT", what: "split"},
		{sev: "warning", part: "parity", kind: "ttl", where: "b. A", what: "300 vs 600"},
		{sev: "error", part: "parity", kind: "rdata", where: "c. TXT", what: `"<b>@team</b>"`},
	}
	md := c.markdown(false)
	ie, iw, ii, in := strings.Index(md, "### ❌ Errors (1)"), strings.Index(md, "### ⚠️ Warnings (1)"), strings.Index(md, "<details><summary>ℹ️ Info (1)"), strings.Index(md, "### Next steps")
	if ie < 0 || iw < ie || ii < iw || in < ii {
		t.Errorf("sections out of order (errors %d, warnings %d, info %d, next %d):\n%s", ie, iw, ii, in, md)
	}
	for _, want := range []string{"**parity could not run**: new server", "- **parity rdata** (1):", "TXT split at other points: cosmetic", report.MarkdownText(`"<b>@team</b>"`)} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "<b>") {
		t.Errorf("zone content not escaped")
	}
	short := c.markdown(true)
	if strings.Contains(short, "<details><summary>ℹ️") || !strings.Contains(short, "1 info findings: see the job summary") {
		t.Errorf("short form keeps the info rows:\n%s", short)
	}
	res := c.result()
	if res.exit != cli.ExitError || !strings.Contains(res.verdict, "could not run parity") {
		t.Errorf("exit %d verdict %q", res.exit, res.verdict)
	}
}

// TestCommentTenThousandZones: the comment of a run over 10,000 zones, each
// with findings and a plan with changes, stays within GitHub's 65,536
// characters and says what matters: the verdict, the counts per class, the
// worst zones first, and where the full report is.
func TestCommentTenThousandZones(t *testing.T) {
	var c composed
	c.planTitle = "Pushed"
	c.parts = []part{{"check", "ok", "10000 zone files"}, {"push", "ok", "10000 changes"}, {"parity", "problems", "lots"}}
	var docs []parity.Report
	var plans []report.PlanZoneJSON
	long := strings.Repeat("a long detail with <html> & | pipes ", 40)
	for i := 0; i < 10000; i++ {
		z := fmt.Sprintf("z%05d.example.", i)
		d := parity.Report{Zone: z, Queries: 60}
		n := 1
		if i == 4242 {
			n = 7 // the worst zone
		}
		for k := 0; k < n; k++ {
			d.Findings = append(d.Findings, parity.Finding{Name: fmt.Sprintf("h%d.%s", k, z), Type: "A", Severity: "error", Kind: "rdata", Detail: long, Old: "192.0.2.1", New: "192.0.2.2", File: "zones/" + z + "zone", Line: 3 + k})
		}
		d.Findings = append(d.Findings, parity.Finding{Name: z, Type: "A", Severity: "warning", Kind: "ttl", Detail: "ttl"}, parity.Finding{Name: z, Type: "TXT", Severity: "info", Kind: "txt-split", Detail: "split"})
		docs = append(docs, d)
		for _, p := range []string{"old", "new"} {
			pd := report.PlanZoneJSON{Provider: p, Zone: z, Summary: map[string]int{"create": 0, "replace": 0, "delete": 0}}
			if p == "new" {
				pd.Summary["replace"] = 1
				pd.Changes = []report.ChangeJSON{{Action: "replace", Name: "h0." + z, Type: "A", New: &report.SetJSON{TTL: 300, Values: []string{"192.0.2.1"}}}}
			}
			plans = append(plans, pd)
		}
	}
	c.addPlans(func(s string) string { return s }, "push", plans)
	c.addParity(docs)
	res := c.result()
	head := "## dnsparity sync: " + res.verdict + "\n\n"
	body := fitComment(head, res, "the full report is in the job summary and in the JSON report `.dnsparity/sync.json`")
	if n := len([]rune(body)); n > github.MaxBody-200 {
		t.Fatalf("comment of %d characters, over GitHub's limit", n)
	}
	for _, want := range []string{"❌ problems found (10006 errors, 10000 warnings, 10000 info)", "### Findings by class", "| parity rdata | 10006 | 0 | 0 |",
		"### Worst zones first (25 of 10000 with findings)", ".dnsparity/sync.json", "_10000 provider × zone have nothing to change._"} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q", want)
		}
	}
	worst := strings.Index(body, "| z04242.example. | 7 |")
	other := strings.Index(body, "| z00000.example. | 1 |")
	if worst < 0 || other < 0 || worst > other {
		t.Errorf("the worst zone (7 errors) is not listed first: at %d, the next at %d", worst, other)
	}
}

// TestArgValues: the args input's flags are read in every form the
// commands' flags take (the provider, shard and expect the Action reads).
func TestArgValues(t *testing.T) {
	for _, tc := range []struct {
		args, name string
		want       []string
	}{
		{"--provider new", "provider", []string{"new"}},
		{"-provider=old --provider new", "provider", []string{"old", "new"}},
		{"--shard=3/16", "shard", []string{"3/16"}},
		{"-shard 2/4 --dry-run", "shard", []string{"2/4"}},
		{"--expect 8 --expect=9", "expect", []string{"8", "9"}},
		{"--expect", "expect", nil},             // no value
		{"--shards 16", "shard", nil},           // another flag
		{"--zone example.com", "provider", nil}, // not named
	} {
		if got := argValues(tc.args, tc.name); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("argValues(%q, %q) = %q, want %q", tc.args, tc.name, got, tc.want)
		}
	}
}

// TestPlanHeadingNamesInCodeSpans: a zone's name comes from the pull
// request's dnsparity.yaml (a YAML string may hold a line break): it
// stays inside its code span in the plan's heading, so nothing after the
// break renders as Markdown (a mention, a link).
func TestPlanHeadingNamesInCodeSpans(t *testing.T) {
	var b strings.Builder
	writePlan(&b, report.PlanZoneJSON{Provider: "new", Zone: "x.\n@octocat [a](https://evil.example)\r|.", Summary: map[string]int{"create": 1}}, false, false, &budget{limit: mdBudget})
	head, _, _ := strings.Cut(b.String(), "\n\n")
	if strings.ContainsAny(head, "\r\n") || !strings.Contains(head, "1 to create") {
		t.Errorf("heading is not one line:\n%s", b.String())
	}
}
