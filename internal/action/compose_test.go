package action

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
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
		{"info", "parity", "txt-split", "a. TXT", "split"},
		{"warning", "parity", "ttl", "b. A", "300 vs 600"},
		{"error", "parity", "rdata", "c. TXT", `"<b>@team</b>"`},
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
