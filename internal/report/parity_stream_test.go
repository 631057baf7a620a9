package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityJSONStreamed checks that one report written finding by
// finding is byte for byte what one indenting encoder writes.
func TestParityJSONStreamed(t *testing.T) {
	many := make([]parity.Finding, 50)
	for i := range many {
		many[i] = parity.Finding{Name: fmt.Sprintf("h%d.example.com.", i), Type: "TXT", Severity: parity.SevError, Kind: "rdata",
			Old: "<a & b> \"q\" \u2028 é", New: "x\ny", Detail: "\\ detail", File: "z.zone", Line: i}
	}
	cases := []struct {
		name string
		rep  parity.Report
	}{
		{"no findings", parity.Report{Zone: "example.com.", Queries: 3, Seconds: 0.25}},
		{"nil findings", parity.Report{Zone: "example.com.", Findings: nil}},
		{"one", parity.Report{Zone: "a\"b.", Findings: many[:1], Queries: 1}},
		{"many, partial", parity.Report{Zone: "example.com.", Findings: many, Queries: 9, Seconds: 1.5, Error: "interrupted", Partial: true, Compared: 7}},
		{"zone name looks like the findings key", parity.Report{Zone: "\n  \"findings\": []", Findings: many[:2]}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want, got bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(&c.rep); err != nil {
				t.Fatal(err)
			}
			if err := WriteParityJSON(&got, []*parity.Report{&c.rep}); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("got\n%s\nwant\n%s", got.String(), want.String())
			}
		})
	}
}
