package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityStreamSameBytes: streamed one by one, the reports are the
// bytes an indenting encoder writes for all of them at once (one report as
// an object, else an array).
func TestParityStreamSameBytes(t *testing.T) {
	mk := func(zone string, n int) *parity.Report {
		r := &parity.Report{Zone: zone, Findings: []parity.Finding{}, Queries: 7, Seconds: 0.5}
		for i := 0; i < n; i++ {
			r.Findings = append(r.Findings, parity.Finding{Name: "a." + zone, Type: "A", Severity: "error", Kind: "rdata", Old: "1 <x>\n2", New: "3", Detail: "line\nbreak"})
		}
		return r
	}
	for _, reps := range [][]*parity.Report{
		nil,
		{mk("one.example.", 2)},
		{mk("a.example.", 0), mk("b.example.", 3), mk("c.example.", 1)},
	} {
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		var v any = reps
		switch len(reps) {
		case 0:
			v = []*parity.Report{}
		case 1:
			v = reps[0]
		}
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		s := NewParityStream(&got, len(reps) != 1)
		for _, r := range reps {
			if err := s.Add(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d reports: streamed\n%s\nwant\n%s", len(reps), got.String(), want.String())
		}
	}
}
