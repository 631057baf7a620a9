package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
)

func checkProblems() []zone.Problem {
	at := func(line int) zone.Pos { return zone.Pos{File: "zones/a.zone", Line: line} }
	return []zone.Problem{
		{Pos: at(7), Severity: zone.Info, Message: "origin from the SOA owner"},
		{Pos: zone.Pos{File: "zones/a.zone"}, Severity: zone.Warning, Message: "12 more warnings not shown"},
		{Pos: at(5), Severity: zone.Warning, Message: "TTL differs"},
		{Pos: at(9), Severity: zone.Error, Message: "CNAME and other data <b>"},
	}
}

// TestCheckWriters: errors first (the count line last), FILE:LINE lines
// with the severity named, JSON in the contract's keys with "error" only
// when a file could not be checked, Markdown with info collapsed and zone
// content escaped.
func TestCheckWriters(t *testing.T) {
	ps := checkProblems()
	ErrorsFirst(ps)
	var order []string
	for _, p := range ps {
		order = append(order, string(p.Severity))
	}
	if got := strings.Join(order, ","); got != "error,warning,info,warning" {
		t.Errorf("order %s", got)
	}
	var text bytes.Buffer
	WriteCheckText(&text, ps, CheckSummary{Files: 1, Records: 20, Tally: zone.Tally{Errors: 1, Warnings: 13, HiddenBy: [3]int{0, 12, 0}}, Failed: 1})
	want := "zones/a.zone:9: CNAME and other data <b>\n" +
		"zones/a.zone:5: warning: TTL differs\n" +
		"zones/a.zone:7: info: origin from the SOA owner\n" +
		"zones/a.zone: warning: 12 more warnings not shown\n" +
		"dnsparity check: 1 zone file, 20 records: 1 error, 13 warnings (12 not shown: --max-problems); 1 file could not be checked\n"
	if text.String() != want {
		t.Errorf("text:\n%s\nwant\n%s", text.String(), want)
	}
	for _, c := range []struct {
		failed  []string
		wantErr bool
	}{{nil, false}, {[]string{"b.zone: no such file"}, true}} {
		var js bytes.Buffer
		if err := WriteCheckJSON(&js, ps, c.failed); err != nil {
			t.Fatal(err)
		}
		var raw map[string]json.RawMessage
		var doc CheckJSON
		if json.Unmarshal(js.Bytes(), &raw) != nil || json.Unmarshal(js.Bytes(), &doc) != nil {
			t.Fatalf("JSON: %s", js.String())
		}
		if _, has := raw["error"]; has != c.wantErr || len(doc.Problems) != 4 || doc.Problems[0] != (ProblemJSON{"zones/a.zone", 9, "error", "CNAME and other data <b>"}) {
			t.Errorf("JSON (failed %v): %s", c.failed, js.String())
		}
	}
	var md bytes.Buffer
	WriteCheckMarkdown(&md, ps, CheckSummary{Files: 1, Tally: zone.Tally{Errors: 1, Warnings: 13}})
	m := md.String()
	if !strings.HasPrefix(m, "### Zone check ❌: 1 error, 13 warnings in 1 zone file") || strings.Contains(m, "<b>") ||
		!strings.Contains(m, "<details><summary>1 info line</summary>") || strings.Index(m, "<details>") < strings.Index(m, "TTL differs") {
		t.Errorf("markdown:\n%s", m)
	}
}
