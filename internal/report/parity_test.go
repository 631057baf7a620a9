package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

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
		"parity does NOT hold: 1 errors, 0 warnings, 1 info",
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
		"| `example.com.` | ❌ differences | 1 | 0 | 1 | 120 |",
		"| `example.net.` | ✅ parity holds | 0 | 0 | 0 | 10 |",
		"<details><summary>error <code>lb.example.com.</code> A: rdata</summary>",
		"```diff\n--- old\n+++ new\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "<details>") != 1 {
		t.Errorf("want one <details> (info findings have none):\n%s", out)
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
