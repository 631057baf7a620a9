package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func planFixture(t *testing.T) []PlanEntry {
	t.Helper()
	parse := func(s string) *zone.Zone {
		z, err := zone.Parse(strings.NewReader("$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"+s), "zones/example.com.zone", "example.com.", "")
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	desired := parse("www A 192.0.2.2\nnew TXT \"a|b\"\n")
	current := parse("www A 192.0.2.9\nold A 192.0.2.3\n")
	p := plan.Compute(desired, current, plan.Options{})
	p.Provider = "new"
	return []PlanEntry{{Plan: p, Applied: -1, Warnings: []string{"push needs --force"}}}
}

func TestPlanText(t *testing.T) {
	var b bytes.Buffer
	WritePlanText(&b, planFixture(t))
	out := b.String()
	for _, want := range []string{
		"provider new, zone example.com.: 1 to create, 1 to replace, 1 to delete",
		"  - old.example.com. A\n      300 192.0.2.3\n",
		"  ~ www.example.com. A  (zones/example.com.zone:6)\n      300 192.0.2.9\n   -> 300 192.0.2.2\n",
		"  + new.example.com. TXT  (zones/example.com.zone:7)\n",
		"warning: push needs --force",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

func TestPlanMarkdownAndJSON(t *testing.T) {
	var b bytes.Buffer
	WritePlanMarkdown(&b, "plan", planFixture(t))
	md := b.String()
	for _, want := range []string{"| zone | provider | create | replace | delete | status |", "| example.com. | new | 1 | 1 | 1 | warning: push needs --force |", `"a&#124;b"`, "| ~ | " + MarkdownText("www.example.com.") + " | A | 300 192.0.2.9 | 300 192.0.2.2 | zones/example.com.zone:6 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	b.Reset()
	if err := WritePlanJSON(&b, planFixture(t)); err != nil {
		t.Fatal(err)
	}
	var j PlanJSON
	if err := json.Unmarshal(b.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	p := j.Plans[0]
	if p.Summary["create"] != 1 || len(p.Changes) != 3 || p.Changes[1].Old.Values[0] != "192.0.2.9" || p.Changes[1].Line != 6 || p.Applied != nil {
		t.Errorf("JSON: %s", b.String())
	}
}

// TestPlanTextErrorsFirstAcrossZones: the text report's blocks come
// errors first across provider × zone, as the Markdown's rows: a zone
// that could not be planned, then one with a warning, then the rest, each
// in the order given. Before, the blocks came in the order planned, and a
// zone that failed (an RFC 2136 server not serving it) sat between two
// zones' pages of changes.
func TestPlanTextErrorsFirstAcrossZones(t *testing.T) {
	entry := func(zone string) PlanEntry {
		e := planFixture(t)[0]
		e.Warnings = nil
		p := *e.Plan
		p.Zone = zone
		e.Plan = &p
		return e
	}
	fine, warned, failed, blocked := entry("a.test."), entry("b.test."), entry("c.test."), entry("d.test.")
	warned.Warnings = []string{"apex trap"}
	failed.Error = "AXFR c.test.: the server does not serve the zone"
	blocked.Blocked = []string{"unsafe"}
	var b bytes.Buffer
	WritePlanText(&b, []PlanEntry{fine, warned, failed, blocked})
	text := b.String()
	var at []int
	for _, z := range []string{"c.test.", "d.test.", "b.test.", "a.test."} {
		at = append(at, strings.Index(text, "zone "+z+":"))
	}
	for i := 1; i < len(at); i++ {
		if at[i-1] < 0 || at[i] < at[i-1] {
			t.Fatalf("blocks not errors first (c, d, then b, then a): %v\n%s", at, text)
		}
	}
}

// TestPlanReportOrder: errors, then what blocks, then warnings, then the
// changes (collapsed in Markdown); zone content escaped.
func TestPlanReportOrder(t *testing.T) {
	es := planFixture(t)
	es[0].Error = "provider said <b>no</b> @admin"
	es[0].Blocked = []string{"unsafe: 30% | of `zone`"}
	var b bytes.Buffer
	WritePlanText(&b, es)
	text := b.String()
	ie, ib, iw, ic := strings.Index(text, "error:"), strings.Index(text, "blocked:"), strings.Index(text, "warning:"), strings.Index(text, "~ www")
	if ie < 0 || ib < ie || iw < ib || ic < iw {
		t.Errorf("text not in the order error, blocked, warning, changes:\n%s", text)
	}
	b.Reset()
	WritePlanMarkdown(&b, "plan", es)
	md := b.String()
	ie, ib, iw = strings.Index(md, ":x: error"), strings.Index(md, ":no_entry:"), strings.Index(md, ":warning:")
	id, ic := strings.Index(md, "<details><summary>3 changes</summary>"), strings.Index(md, "| ~ |")
	if ie < 0 || ib < ie || iw < ib || id < iw || ic < id {
		t.Errorf("markdown not in the order error, blocked, warning, changes collapsed:\n%s", md)
	}
	for _, bad := range []string{"<b>", "@admin", "`zone`", "30% |"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown holds %q unescaped:\n%s", bad, md)
		}
	}
}

// TestPlanJSONStreamed: the plans written one at a time are the bytes one
// indenting encoder writes for the whole report; extra keys follow them.
func TestPlanJSONStreamed(t *testing.T) {
	one := planFixture(t)
	three := append(append(append([]PlanEntry{}, one...), one...), one...)
	three[1].Applied, three[1].Error = 1, "provider said no"
	probs := []zone.Problem{{Pos: zone.Pos{File: "zones/a.zone", Line: 3}, Severity: zone.Error, Message: "bad <thing>"}}
	for _, tc := range []struct {
		name    string
		entries []PlanEntry
		msg     string
		probs   []zone.Problem
	}{{"none", nil, "", nil}, {"one", one, "", nil}, {"three", three, "stopped", probs}} {
		j := ToJSON(tc.entries)
		j.Error = tc.msg
		for _, p := range tc.probs {
			j.Problems = append(j.Problems, ProblemJSON{File: p.Pos.File, Line: p.Pos.Line, Severity: string(p.Severity), Message: p.Message})
		}
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.Encode(j)
		if err := WritePlanJSONStream(&got, tc.entries, tc.msg, tc.probs, nil); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: streamed\n%s\nwant\n%s", tc.name, got.String(), want.String())
		}
	}
	var got bytes.Buffer
	extra := struct {
		Shard map[string]any `json:"shard"`
		Exit  int            `json:"exit"`
	}{map[string]any{"name": "2/4", "zones": []string{"example.com."}}, 1}
	if err := WritePlanJSONStream(&got, one, "", nil, extra); err != nil {
		t.Fatal(err)
	}
	var back map[string]json.RawMessage
	if err := json.Unmarshal(got.Bytes(), &back); err != nil {
		t.Fatalf("%v\n%s", err, got.String())
	}
	if string(back["exit"]) != "1" || !strings.Contains(string(back["shard"]), `"2/4"`) || len(back["plans"]) < 10 {
		t.Errorf("extra keys: %s", got.String())
	}
}

// TestPlanRedirectsNamed: a plan that changes where resolvers are sent
// (the apex NS, where the side manages it: resolvers trust the child's
// NS set over the referral; a delegation's NS below the apex: its
// subtree answered by other servers) says so outside the collapsed
// changes, in text and Markdown, naming each; a TTL alone, or other
// records, is not named.
func TestPlanRedirectsNamed(t *testing.T) {
	parse := func(s string) *zone.Zone {
		z, err := zone.Parse(strings.NewReader("$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\nns1 A 192.0.2.1\nwww A 192.0.2.2\n"+s), "zones/example.com.zone", "example.com.", "")
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	for _, tc := range []struct {
		name, desired, current string
		want                   []string
	}{
		{"apex NS to another name", "@ NS ns1\n@ NS ns.attacker.example.\n", "@ NS ns1\n@ NS ns2.example.net.\n", []string{"example.com. NS"}},
		{"delegation added", "@ NS ns1\nsub NS ns.elsewhere.example.\n", "@ NS ns1\n", []string{"sub.example.com. NS"}},
		{"delegation deleted", "@ NS ns1\n", "@ NS ns1\nsub NS ns.elsewhere.example.\n", []string{"sub.example.com. NS"}},
		{"apex NS TTL only", "@ 600 NS ns1\n", "@ NS ns1\n", nil},
		{"an A only", "@ NS ns1\nx A 192.0.2.7\n", "@ NS ns1\n", nil},
	} {
		p := plan.Compute(parse(tc.desired), parse(tc.current), plan.Options{ManageApex: true})
		p.Provider = "new"
		es := []PlanEntry{{Plan: p, Applied: -1}}
		var tb, mb bytes.Buffer
		WritePlanText(&tb, es)
		WritePlanMarkdown(&mb, "plan", es)
		text, md := tb.String(), mb.String()
		if len(tc.want) == 0 {
			if strings.Contains(text, "sends resolvers") || strings.Contains(md, "sends resolvers") {
				t.Errorf("%s: named as sending resolvers elsewhere:\n%s\n%s", tc.name, text, md)
			}
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(text, "review: sends resolvers to other servers: "+w) {
				t.Errorf("%s: text does not name %q for review:\n%s", tc.name, w, text)
			}
			i, d := strings.Index(md, "sends resolvers to other servers"), strings.Index(md, "<details>")
			if i < 0 || !strings.Contains(md[i:], MarkdownText(w)) || d < i {
				t.Errorf("%s: Markdown does not name %q for review before the collapsed changes:\n%s", tc.name, w, md)
			}
		}
	}
}

// TestPlanTextNotSynced: a provider that push skipped because it does
// not answer (the side an emergency step left behind) was reported as
// "0 to create, 0 to replace, 0 to delete" and "pushed: 0 of 0 changes",
// which reads as a provider in sync: nothing was read from it. The block
// says it was not synced, and no count or "pushed" line.
func TestPlanTextNotSynced(t *testing.T) {
	down := PlanEntry{Plan: &plan.Plan{Provider: "old", Zone: "example.com."}, Applied: 0, NotSynced: "old provider still down: not synced"}
	var b bytes.Buffer
	WritePlanText(&b, []PlanEntry{down})
	out := b.String()
	if !strings.HasPrefix(out, "provider old, zone example.com.: not synced: the provider does not answer\n") || strings.Contains(out, "to create") || strings.Contains(out, "pushed:") {
		t.Errorf("text:\n%s", out)
	}
}

// TestPlanTextErrorNoCounts: a provider × zone whose plan failed (the
// zone not read: not at the provider, a server refusing the transfer)
// gives no counts, which read as a zone in sync: "0 to create, 0 to
// replace, 0 to delete" and the error below it, before.
func TestPlanTextErrorNoCounts(t *testing.T) {
	failed := PlanEntry{Plan: &plan.Plan{Provider: "old", Zone: "example.com."}, Applied: -1, Error: "AXFR example.com.: REFUSED"}
	var b bytes.Buffer
	WritePlanText(&b, []PlanEntry{failed})
	out := b.String()
	if !strings.HasPrefix(out, "provider old, zone example.com.: not planned (the error below)\n  error: AXFR example.com.: REFUSED\n") || strings.Contains(out, "to create") {
		t.Errorf("text:\n%s", out)
	}
}

// TestPlanTextClosingLine: a text plan over several provider × zone ends
// with one line that names those with an error, blocked or with changes,
// worst first, and counts the unchanged: over 800 plans the one change
// stood at line 1,045 of 1,601 and the last line was an unchanged zone's.
func TestPlanTextClosingLine(t *testing.T) {
	entry := func(prov, z string, changes bool) PlanEntry {
		p := &plan.Plan{Provider: prov, Zone: z}
		if changes {
			p = planFixture(t)[0].Plan
			p.Provider, p.Zone = prov, z
		}
		return PlanEntry{Plan: p, Applied: -1}
	}
	es := []PlanEntry{entry("old", "a.example.", false), entry("old", "b.example.", true), entry("new", "a.example.", false), entry("new", "b.example.", false)}
	es[2].Error = "provider said no"
	var b bytes.Buffer
	WritePlanText(&b, es)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	want := "4 provider×zone: 1 with an error (new a.example.); 1 with changes (old b.example.); 2 unchanged"
	if last := lines[len(lines)-1]; last != want {
		t.Errorf("last line %q, want %q", last, want)
	}
	// After a push: pushed, not "with changes".
	es[1].Applied = len(es[1].Plan.All())
	b.Reset()
	WritePlanText(&b, es)
	lines = strings.Split(strings.TrimSpace(b.String()), "\n")
	want = "4 provider×zone: 1 with an error (new a.example.); 1 pushed (old b.example.); 2 unchanged"
	if last := lines[len(lines)-1]; last != want {
		t.Errorf("after a push, last line %q, want %q", last, want)
	}
	// One provider × zone: its block says it all, no closing line.
	b.Reset()
	WritePlanText(&b, es[:1])
	if strings.Contains(b.String(), "provider×zone") {
		t.Errorf("a closing line for one plan:\n%s", b.String())
	}
}
