package redact

import (
	"fmt"
	"strings"
	"testing"
)

// TestEdgesKeepOrdinaryReport: the pieces of MinSplit to MinCut-1
// characters masked at a table cell's or a line's edges (markEdges) are
// pieces of a secret only where the cell or line really holds one there:
// a report whose zone names, record data, serials and hashes merely
// start or end with characters a secret also holds (a key beginning with
// the zone's name, "acme-prod-Xk29fQ"; a numeric account id "20261299"
// sharing a serial's date) is kept byte for byte by Replace (a Markdown
// report, the step summary) and by a Writer (a stream, line by line).
func TestEdgesKeepOrdinaryReport(t *testing.T) {
	set := &Secrets{}
	for _, s := range []string{"acme-prod-Xk29fQ", "20261299", "c2VjcmV0LWtleS1mb3ItdHNpZw==", "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5J"} {
		set.Add(s)
	}
	for _, in := range []string{
		"| zone | name | type | old | new |\n|---|---|---|---|---|\n" +
			"| acme-prod.example. | acme-prod.example. | SOA | ns1.acme-prod.example. hostmaster.acme-prod.example. 2026120701 3600 900 604800 300 | 2026120702 |\n" +
			"| acme-prod.example. | _dmarc.acme-prod.example. | TXT | \"v=DMARC1; p=none; rua=mailto:dmarc@acme-prod.example\" | same |\n" +
			"| acme-prod.example. | acme-prod.example. | DS | 12345 13 2 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 | same |\n" +
			"| serial | 2026120701 | 2026120799 |\n" +
			"| `acme-prod.example.` | `www.acme-prod.example.` | CNAME | acme-prod.example.net. | — |\n",
		"acme-prod.example. 300 IN A 192.0.2.1\n" +
			"2026120701 is the serial of acme-prod.example.\n" +
			"+acme-prod.example. 300 IN TXT \"site=acme-prod.example\"\n" +
			"digest 9f86d081884c7d659a2feaa0c55ad015 of acme-prod.example.\n",
	} {
		if out := set.Replace(in); out != in {
			t.Errorf("Replace changed an ordinary report:\n%s\nto\n%s", in, out)
		}
		var w strings.Builder
		sw := NewWriter(set, &w)
		fmt.Fprint(sw, in)
		_ = sw.Flush()
		if w.String() != in {
			t.Errorf("a Writer changed an ordinary report:\n%s\nto\n%s", in, w.String())
		}
	}
}
