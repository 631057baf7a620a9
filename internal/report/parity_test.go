package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dnsparity/dnsparity/internal/parity"
)

func sampleReports() []*parity.Report {
	return []*parity.Report{{
		Zone: "example.com.", File: "zones/example.com.zone", Queries: 120, Seconds: 0.5,
		OldServers: []string{"127.0.0.1:53"}, NewServers: []string{"127.0.0.2:53"},
		Findings: []parity.Finding{
			{Name: "lb.example.com.", Type: "A", Severity: "error", Kind: "rdata",
				Old:    "lb.example.com. 300 IN A 192.0.2.80\nlb.example.com. 300 IN A 192.0.2.81",
				New:    "lb.example.com. 300 IN A 192.0.2.80\nlb.example.com. 300 IN A 192.0.2.82",
				Detail: "lb.example.com. A differs; new deviates from git (zones/example.com.zone:46)", File: "zones/example.com.zone", Line: 46},
			{Name: "mail._domainkey.example.com.", Type: "TXT", Severity: "info", Kind: "txt-split", Old: "a", New: "b", Detail: "same text split at other points"},
		},
	}, {Zone: "example.net.", Findings: []parity.Finding{}, Queries: 10, Seconds: 0.1}}
}

func TestParityText(t *testing.T) {
	var b bytes.Buffer
	WriteParityText(&b, sampleReports())
	out := b.String()
	for _, want := range []string{
		"zones/example.com.zone:46: ERROR lb.example.com. A [rdata]",
		"-lb.example.com. 300 IN A 192.0.2.81",
		"+lb.example.com. 300 IN A 192.0.2.82",
		"parity does NOT hold: 1 error, 0 warnings, 1 info",
		"parity holds: 0 errors",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestParityMarkdown(t *testing.T) {
	var b bytes.Buffer
	WriteParityMarkdown(&b, sampleReports())
	out := b.String()
	for _, want := range []string{
		"| example.com. | ❌ differences | 1 | 0 | 1 | 120 |",
		"| example.net. | ✅ parity holds | 0 | 0 | 0 | 10 |",
		"<details><summary>error <code>lb.example.com.</code> A: rdata</summary>",
		"```diff\n--- old\n+++ new\n",
		"<details><summary>1 info finding</summary>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "<details>") != 2 {
		t.Errorf("want two <details> (the error's diff, the info findings):\n%s", out)
	}
}

func TestParityJSON(t *testing.T) {
	reps := sampleReports()
	for _, c := range []struct {
		reps  []*parity.Report
		array bool
	}{{reps[:1], false}, {reps, true}} {
		var b bytes.Buffer
		if err := WriteParityJSON(&b, c.reps); err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		objs, isArray := v.([]any)
		if isArray != c.array {
			t.Fatalf("array = %v, want %v: %s", isArray, c.array, b.String())
		}
		if !isArray {
			objs = []any{v}
		}
		for _, o := range objs {
			m := o.(map[string]any)
			for _, k := range []string{"zone", "findings", "queries", "seconds"} {
				if _, ok := m[k]; !ok {
					t.Errorf("no %q in %s", k, b.String())
				}
			}
			if len(m) != 4 {
				t.Errorf("extra top-level keys: %v", m)
			}
			for _, f := range m["findings"].([]any) {
				fm := f.(map[string]any)
				for _, k := range []string{"name", "type", "severity", "kind", "old", "new", "detail"} {
					if _, ok := fm[k]; !ok {
						t.Errorf("finding lacks %q", k)
					}
				}
			}
		}
	}
}

func TestDiff(t *testing.T) {
	if d := Diff("a", "b", "x\ny", "x\ny"); d != "" {
		t.Errorf("equal texts: %q", d)
	}
	d := Diff("old", "new", "x\ny", "x\nz")
	if !strings.Contains(d, "-y\n") || !strings.Contains(d, "+z\n") {
		t.Errorf("diff %q", d)
	}
}

// bigReport is a report of n findings of several kinds and severities,
// each with a diff and a long detail.
func bigReport(zoneName string, n int) *parity.Report {
	kinds := []struct{ kind, sev string }{{"rdata", "error"}, {"missing", "error"}, {"ttl", "warning"}, {"txt-split", "info"}}
	r := &parity.Report{Zone: zoneName, Queries: 3 * n, Seconds: 1}
	for i := 0; i < n; i++ {
		k := kinds[i%len(kinds)]
		name := fmt.Sprintf("host%05d.%s", i, zoneName)
		r.Findings = append(r.Findings, parity.Finding{
			Name: name, Type: "A", Severity: k.sev, Kind: k.kind,
			Old:    fmt.Sprintf("%s 300 IN A 192.0.2.%d\n%s 300 IN A 192.0.2.1", name, i%250, name),
			New:    fmt.Sprintf("%s 300 IN A 198.51.100.%d\n%s 300 IN A 192.0.2.1", name, i%250, name),
			Detail: strings.Repeat("a long explanation of the difference | with pipes ", 3),
			File:   "zones/big.zone", Line: i + 10,
		})
	}
	return r
}

// TestParityMarkdownCapped: a report of 5,000 findings stays under the PR
// comment limit, its summary counts stay complete, and it says how many
// findings and diffs were left out.
func TestParityMarkdownCapped(t *testing.T) {
	for _, c := range []struct {
		name string
		reps []*parity.Report
	}{
		{"one zone", []*parity.Report{bigReport("big.test.", 5000)}},
		{"two zones", []*parity.Report{bigReport("a.test.", 5000), bigReport("b.test.", 2500)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			WriteParityMarkdown(&b, c.reps)
			out := b.String()
			if n := utf8.RuneCountInString(out); n > MaxParityMarkdown {
				t.Errorf("%d characters, want at most %d", n, MaxParityMarkdown)
			}
			if n := utf8.RuneCountInString(out); n < MaxParityMarkdown/2 {
				t.Errorf("only %d characters: the cap leaves too much room unused", n)
			}
			for _, r := range c.reps {
				n := len(r.Findings)
				for _, want := range []string{
					fmt.Sprintf("| %s | ❌ differences | %d | %d | %d |", r.Zone, n/2, n/4, n/4),
					fmt.Sprintf("### %s", r.Zone),
					fmt.Sprintf("| rdata | %d | 0 | 0 |", n/4),
					fmt.Sprintf("| ttl | 0 | %d | 0 |", n/4),
					fmt.Sprintf("| txt-split | 0 | 0 | %d |", n/4),
				} {
					if !strings.Contains(out, want) {
						t.Errorf("lacks %q", want)
					}
				}
			}
			m := regexp.MustCompile(`_(\d+) of (\d+) findings left out`).FindAllStringSubmatch(out, -1)
			if len(m) == 0 {
				t.Fatalf("no note about findings left out")
			}
			rows := hostRows(out)
			left := 0
			for _, x := range m {
				l, _ := strconv.Atoi(x[1])
				left += l
			}
			// Notes only for zones that were cut; rows shown + left out
			// add up to the findings of those zones plus the uncut ones.
			all := 0
			for _, r := range c.reps {
				all += len(r.Findings)
			}
			if rows+left != all {
				t.Errorf("%d rows shown + %d left out != %d findings", rows, left, all)
			}
			if !strings.Contains(out, "the JSON report (`--format json`) and the job's step summary list every finding") {
				t.Errorf("no pointer to the full report")
			}
			if !regexp.MustCompile(`_\d+ of \d+ diffs left out`).MatchString(out) {
				t.Errorf("no note about diffs left out")
			}
			if strings.Count(out, "<details>") != strings.Count(out, "</details>") {
				t.Errorf("unbalanced <details>")
			}
		})
	}
}

// TestParityMarkdownSmallUncut: a small report is complete, without notes.
func TestParityMarkdownSmallUncut(t *testing.T) {
	var b bytes.Buffer
	WriteParityMarkdown(&b, []*parity.Report{bigReport("small.test.", 20)})
	out := b.String()
	if n := hostRows(out); n != 20 {
		t.Errorf("%d rows, want 20", n)
	}
	if n := strings.Count(out, "```diff"); n != 15 {
		t.Errorf("%d diffs, want 15 (info findings have none)", n)
	}
	if n := strings.Count(out, "<details><summary>5 info findings</summary>"); n != 1 {
		t.Errorf("the 5 info findings are not collapsed in one <details>:\n%s", out)
	}
	if strings.Contains(out, "left out") {
		t.Errorf("a small report says something was left out:\n%s", out)
	}
}

// hostRows counts the finding rows of bigReport's findings.
func hostRows(out string) int {
	return len(regexp.MustCompile(`(?m)^\| (error|warning|info) \| host`).FindAllString(out, -1))
}

// TestParityMarkdownOrderAndEscaping: errors, then warnings, then info
// (collapsed); zone content in cells and diffs cannot break the table,
// inject HTML, mention anyone or close the code fence.
func TestParityMarkdownOrderAndEscaping(t *testing.T) {
	evil := "a|b <img src=x onerror=alert(1)> @octocat `code` ```"
	rep := &parity.Report{Zone: "x.test.", Queries: 3, Findings: []parity.Finding{
		{Name: "i.x.test.", Type: "TXT", Severity: "info", Kind: "txt-split", Detail: "info " + evil},
		{Name: "w.x.test.", Type: "TXT", Severity: "warning", Kind: "ttl", Detail: "warning " + evil, Old: "1", New: "2"},
		{Name: "e|<b>.x.test.", Type: "TXT", Severity: "error", Kind: "rdata", Detail: "error " + evil,
			Old: "e.x.test. 300 IN TXT \"" + evil + "\"", New: "e.x.test. 300 IN TXT \"other\"", File: "zones/x|y.zone", Line: 3},
	}}
	var b bytes.Buffer
	WriteParityMarkdown(&b, []*parity.Report{rep})
	out := b.String()
	ie, iw, ii := strings.Index(out, "\n| error |"), strings.Index(out, "\n| warning |"), strings.Index(out, "\n| info |")
	if ie < 0 || iw < ie || ii < iw {
		t.Errorf("rows not in the order error, warning, info:\n%s", out)
	}
	if d := strings.Index(out, "<details><summary>1 info finding</summary>"); d < 0 || d > ii {
		t.Errorf("the info finding is not collapsed:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "| error |") && !strings.HasPrefix(line, "| warning |") && !strings.HasPrefix(line, "| info |") {
			continue
		}
		// 6 cells: 7 unescaped pipes
		if n := strings.Count(line, "|"); n != 7 {
			t.Errorf("a cell breaks the table (%d pipes): %s", n, line)
		}
		for _, bad := range []string{"<img", "<b>", "@octocat", "`"} {
			if strings.Contains(line, bad) {
				t.Errorf("row holds %q unescaped: %s", bad, line)
			}
		}
	}
	// The diff holds the content verbatim inside a fence it cannot close.
	i := strings.Index(out, "diff\n--- old")
	if i < 4 {
		t.Fatalf("no diff:\n%s", out)
	}
	fence := out[strings.LastIndex(out[:i], "\n")+1 : i]
	if len(fence) <= 3 || strings.Trim(fence, "`") != "" {
		t.Errorf("fence %q is not longer than the ``` in the content", fence)
	}
	if !strings.Contains(out[i:], "\n"+fence+"\n") {
		t.Errorf("the diff's fence is not closed")
	}
	if strings.Contains(out, "<summary>error <code>e|<b>") {
		t.Errorf("zone content in <summary> unescaped:\n%s", out)
	}
}

// TestParityCheckFailedAndInterrupted: a zone that fails check and an
// interrupted run say so, their error first.
func TestParityCheckFailedAndInterrupted(t *testing.T) {
	reps := []*parity.Report{
		{Zone: "bad.test.", Error: "the zone file has errors", Findings: []parity.Finding{{Name: "bad.test.", Severity: "error", Kind: "check", Detail: "bad A record", File: "zones/bad.zone", Line: 5}}},
		{Zone: "cut.test.", Error: "interrupted: 3 of 9 questions compared", Partial: true, Compared: 3, Findings: []parity.Finding{}},
	}
	var b bytes.Buffer
	WriteParityText(&b, reps)
	text := b.String()
	for _, want := range []string{"ERROR: the zone file has errors\nzones/bad.zone:5: ERROR bad.test. [check]: bad A record", "parity not compared: the zone file has errors",
		"ERROR: interrupted: 3 of 9", "parity interrupted"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	b.Reset()
	WriteParityMarkdown(&b, reps)
	md := b.String()
	for _, want := range []string{"| bad.test. | ❌ zone file has errors |", "| cut.test. | ⚠️ interrupted |", "**Error:** interrupted: 3 of 9"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// TestParityClientSubnetsAndReplay: a per-subnet finding's keys and nodes
// (NSID) in JSON, text and Markdown; the replayed counts.
func TestParityClientSubnetsAndReplay(t *testing.T) {
	rep := &parity.Report{Zone: "example.com.", Queries: 10, Seconds: 1,
		Replayed: &parity.Replayed{Questions: 300, OutsideZone: 250, Logged: 1000, OverLimit: 7},
		Findings: []parity.Finding{{Name: "www.example.com.", Type: "A", Severity: "error", Kind: "rdata",
			Old: "www.example.com. 60 IN A 192.0.2.20", New: "www.example.com. 60 IN A 192.0.2.21",
			Detail: "for clients in us (203.0.113.0/24): www.example.com. A differs", Subnet: "203.0.113.0/24", Region: "us",
			NSIDOld: "fra1", NSIDNew: "ams2"}}}
	var j bytes.Buffer
	if err := WriteParityJSON(&j, []*parity.Report{rep}); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(j.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	f := m["findings"].([]any)[0].(map[string]any)
	if f["subnet"] != "203.0.113.0/24" || f["region"] != "us" || f["nsid_old"] != "fra1" || f["nsid_new"] != "ams2" {
		t.Errorf("finding keys: %v", f)
	}
	r := m["replayed"].(map[string]any)
	if r["questions"] != 300.0 || r["outside_zone"] != 250.0 || r["logged"] != 1000.0 || r["over_limit"] != 7.0 {
		t.Errorf("replayed: %v", r)
	}
	var tx, md bytes.Buffer
	WriteParityText(&tx, []*parity.Report{rep})
	WriteParityMarkdown(&md, []*parity.Report{rep})
	for _, c := range []struct{ name, out, want string }{
		{"text", tx.String(), "    nodes (NSID): old fra1, new ams2\n"},
		{"text", tx.String(), "300 logged questions replayed, 250 of them at names the zone file does not have (7 more left out past --max-queries)"},
		{"markdown", md.String(), MarkdownText("www.example.com.") + " A differs; nodes &#40;NSID&#41;: old fra1, new ams2 |"},
		{"markdown", md.String(), "Query log: 300 logged questions replayed"},
	} {
		if !strings.Contains(c.out, c.want) {
			t.Errorf("%s lacks %q:\n%s", c.name, c.want, c.out)
		}
	}
}

// TestParityTextCouldNotRun: a run that stopped before comparing anything
// (a server that does not answer: exit 2) never ends with "parity holds".
func TestParityTextCouldNotRun(t *testing.T) {
	reps := []*parity.Report{{Zone: "walk.test.", Error: "walk.test.: old server 127.0.0.199 (127.0.0.199:53) does not answer (3 tries, timeout 300ms)", Findings: []parity.Finding{}}}
	var b bytes.Buffer
	WriteParityText(&b, reps)
	text := b.String()
	if strings.Contains(text, "parity holds") || !strings.Contains(text, "parity NOT proven: could not run: 0 errors") {
		t.Errorf("text of a run that could not run:\n%s", text)
	}
}

// TestParityMarkdownKindsWorstFirst: the Markdown table of findings by
// kind lists the kinds worst first, as the Action's tables by class and
// zone do: most errors, then most warnings, then by name. It was sorted
// by name: ns (0 errors) above rdata (1 error).
func TestParityMarkdownKindsWorstFirst(t *testing.T) {
	r := &parity.Report{Zone: "example.test.", Findings: []parity.Finding{
		{Name: "example.test.", Type: "MX", Severity: parity.SevError, Kind: "rdata", Detail: "old and new differ"},
		{Name: "example.test.", Type: "NS", Severity: parity.SevWarning, Kind: "ns", Detail: "a"},
		{Name: "example.test.", Type: "SOA", Severity: parity.SevInfo, Kind: "apex", Detail: "b"},
		{Name: "a.example.test.", Type: "A", Severity: parity.SevWarning, Kind: "ttl", Detail: "c"},
		{Name: "b.example.test.", Type: "A", Severity: parity.SevWarning, Kind: "ttl", Detail: "d"},
	}}
	var b strings.Builder
	WriteParityMarkdown(&b, []*parity.Report{r})
	out := b.String()
	rows := []string{"| rdata | 1 | 0 | 0 |", "| ttl | 0 | 2 | 0 |", "| ns | 0 | 1 | 0 |", "| apex | 0 | 0 | 1 |"}
	last := -1
	for _, row := range rows {
		i := strings.Index(out, row)
		if i < 0 || i < last {
			t.Fatalf("kind table not worst first (want %q in that order):\n%s", rows, out)
		}
		last = i
	}
}

// TestParityMarkdownBudget: over thousands of zones, MaxParityMarkdown
// goes to what matters first: every zone's errors (summary row, section,
// rows, diffs), then warnings, then the zones that hold, summarised as a
// count once they do not fit; the report says what it left out and
// points at the JSON report. The only error or warning comes last in the
// input order.
func TestParityMarkdownBudget(t *testing.T) {
	const n = 3000
	zoneN := func(i int) string { return fmt.Sprintf("z%05d.test.", i) }
	finding := func(name, sev, detail string) parity.Finding {
		return parity.Finding{Name: name, Type: "A", Severity: sev, Kind: "rdata", Detail: detail,
			Old: name + " 300 IN A 192.0.2.1", New: name + " 300 IN A 192.0.2.2"}
	}
	cases := []struct {
		name string
		reps func() []*parity.Report
		want []string
	}{
		{"zones that hold, a warning last", func() []*parity.Report {
			var reps []*parity.Report
			for i := range n {
				reps = append(reps, &parity.Report{Zone: zoneN(i), Queries: 10})
			}
			return append(reps, &parity.Report{Zone: "last.test.", Queries: 10, Findings: []parity.Finding{finding("w.last.test.", parity.SevWarning, "the only warning")}})
		}, []string{"| last.test. | ✅ parity holds | 0 | 1 |", "| warning | w.last.test. |", "<summary>warning <code>w.last.test.</code>", "3000 more zones in parity"}},
		{"zones with warnings, an error last", func() []*parity.Report {
			var reps []*parity.Report
			for i := range n {
				reps = append(reps, &parity.Report{Zone: zoneN(i), Queries: 10, Findings: []parity.Finding{finding("w."+zoneN(i), parity.SevWarning, "a warning")}})
			}
			return append(reps, &parity.Report{Zone: "last.test.", Queries: 10, Findings: []parity.Finding{finding("e.last.test.", parity.SevError, "the only error")}})
		}, []string{"| last.test. | ❌ differences | 1 | 0 |", "| error | e.last.test. |", "<summary>error <code>e.last.test.</code>", "| warning | w.z00000.test. |", "more zones in parity"}},
		{"zones that could not run", func() []*parity.Report {
			var reps []*parity.Report
			for i := range n {
				reps = append(reps, &parity.Report{Zone: zoneN(i), Error: "no answer from 192.0.2.1"})
			}
			return reps
		}, []string{"| z00000.test. | ⚠️ could not run |", "**Error:** no answer", "more zones that could not run"}},
		{"one zone's warning diffs before another's error diff", func() []*parity.Report {
			a := &parity.Report{Zone: "a.test.", Queries: 10, Findings: []parity.Finding{finding("e.a.test.", parity.SevError, "an error")}}
			for i := range 2 * maxMarkdownDetails {
				a.Findings = append(a.Findings, finding(fmt.Sprintf("w%03d.a.test.", i), parity.SevWarning, "a warning"))
			}
			b := &parity.Report{Zone: "b.test.", Queries: 10, Findings: []parity.Finding{finding("e.b.test.", parity.SevError, "the other error")}}
			return []*parity.Report{a, b}
		}, []string{"<summary>error <code>e.a.test.</code>", "<summary>error <code>e.b.test.</code>", "<summary>warning <code>w000.a.test.</code>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			reps := c.reps()
			WriteParityMarkdown(&b, reps)
			out := b.String()
			// Every zone is a row of the table or counted in its note.
			zones := len(regexp.MustCompile(`(?m)^\| [a-z0-9.]+ \| [^|]+ \| \d+ \| \d+ \| \d+ \| \d+ \|$`).FindAllString(out, -1))
			for _, m := range regexp.MustCompile(`(\d+) (?:more )?zones? (?:with differences|whose zone file has errors|that could not run|interrupted|in parity)`).FindAllStringSubmatch(out, -1) {
				k, _ := strconv.Atoi(m[1])
				zones += k
			}
			if zones != len(reps) {
				t.Errorf("the table lists or counts %d zones, want %d", zones, len(reps))
			}
			if r := utf8.RuneCountInString(out); r > MaxParityMarkdown {
				t.Errorf("%d characters, want at most %d", r, MaxParityMarkdown)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("lacks %q", w)
				}
			}
			if strings.Contains(out, "left out") || strings.Contains(out, "not listed") {
				if !strings.Contains(out, "JSON report") {
					t.Errorf("leaves something out without pointing at the JSON report")
				}
			}
			if strings.Count(out, "<details>") != strings.Count(out, "</details>") {
				t.Errorf("unbalanced <details>")
			}
			if t.Failed() {
				t.Logf("report (%d characters), its start:\n%s", len(out), out[:min(len(out), 2000)])
			}
		})
	}
}

// TestParityMarkdownRendersWhatFits: the Markdown of n zones that all
// have findings (here 8 each, errors and warnings with diffs) costs the
// table's rows and the few sections that fit MaxParityMarkdown, not every
// zone's section rendered and held: the allocations of 4n zones stay
// under twice those of n. Before, each zone's section (its rows and
// diffs) was rendered whole up front: 4n zones allocated 4x, about 45 KB
// a zone, to write 60,000 characters.
func TestParityMarkdownRendersWhatFits(t *testing.T) {
	const n = 500
	reps := func(n int) []*parity.Report {
		var out []*parity.Report
		for i := range n {
			out = append(out, bigReport(fmt.Sprintf("z%05d.test.", i), 8))
		}
		return out
	}
	allocs := map[int]float64{}
	for _, zones := range []int{n, 4 * n} {
		rs := reps(zones)
		allocs[zones] = testing.AllocsPerRun(1, func() {
			var b strings.Builder
			WriteParityMarkdown(&b, rs)
			if !strings.Contains(b.String(), "Left out, to keep this comment under GitHub's size limit") {
				t.Fatalf("%d zones: the report was not cut", zones)
			}
		})
	}
	if ratio := allocs[4*n] / allocs[n]; ratio >= 2 {
		t.Errorf("WriteParityMarkdown: %.0f allocations at %d zones, %.0f at %d: %.2fx for 4x the zones, want under 2x (the table's rows grow with the zones, the sections kept do not)", allocs[n], n, allocs[4*n], 4*n, ratio)
	} else {
		t.Logf("%.0f allocations at %d zones, %.0f at %d: %.2fx", allocs[n], n, allocs[4*n], 4*n, ratio)
	}
}
