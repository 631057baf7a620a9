package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestEscapesHideSecrets: a secret that a report escapes before the run
// redacts it (a server's error quoting the key, in a table cell or a code
// span) is replaced whatever the escape, for every form of it: the run's
// redaction takes its escapes from Escapes. A secret holding | or a
// backtick, written in a code span (MarkdownCode: \| and '), was left
// whole when only MarkdownText's forms were registered.
func TestEscapesHideSecrets(t *testing.T) {
	for _, secret := range []string{
		"pk|7Hq2mZ9wXr4`Lt8Vn3Bc6Yd1Fg5Js0Ka",
		"pw|with|pipes/and`ticks`_0123456789",
	} {
		s := redact.Secrets{Escapes: Escapes()}
		s.Add(secret)
		js, _ := json.Marshal(secret)
		for _, form := range []string{secret, string(js[1 : len(js)-1]), strings.ReplaceAll(string(js[1:len(js)-1]), "/", `\/`)} {
			for name, out := range map[string]string{
				"code span": "| `" + MarkdownCode("key "+form+" refused") + "` |",
				"text":      "| " + MarkdownText("key "+form+" refused") + " |",
			} {
				got := s.Replace(out)
				for i := 0; i+redact.MinCut <= len(secret); i++ {
					if strings.Contains(got, secret[i:i+redact.MinCut]) || strings.Contains(got, MarkdownCode(secret)[i:i+redact.MinCut]) {
						t.Errorf("%q in a %s: %q", form, name, got)
						break
					}
				}
				if !strings.Contains(got, "***") {
					t.Errorf("%q in a %s: nothing replaced in %q", form, name, got)
				}
			}
		}
	}
}

// TestEscapesHideSecretsInRecords: a secret that a zone's record holds (a
// TXT, its value beyond ASCII) is written by the plan in presentation form
// (\195\164 for ä, RFC 1035 §5.1), then escaped for Markdown, encoded in
// JSON or printed as text. Every one of them is replaced: no piece of the
// secret, nor of its presentation form, is left.
func TestEscapesHideSecretsInRecords(t *testing.T) {
	const secret = "pässwort-Ünïcode/0123456789"
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nkey TXT \""+secret+"\"\n"), "zones/example.com.zone", "example.com.", "")
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Compute(z, nil, plan.Options{})
	p.Provider = "new"
	entries := []PlanEntry{{Plan: p, Applied: -1}}
	s := redact.Secrets{Escapes: Escapes()}
	s.Add(secret)
	q := zone.Quote(secret)
	var md, text, js bytes.Buffer
	WritePlanMarkdown(&md, "plan", entries)
	WritePlanText(&text, entries)
	if err := WritePlanJSON(&js, entries); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{
		"markdown": s.Replace(md.String()),
		"text":     s.Replace(text.String()),
		"json":     string(s.ReplaceBytes(js.Bytes())),
	} {
		for _, f := range []string{secret, q[1 : len(q)-1], MarkdownText(q[1 : len(q)-1])} {
			for i := 0; i+redact.MinCut <= len(f); i++ {
				if strings.Contains(out, f[i:i+redact.MinCut]) {
					t.Errorf("%s holds %q: %s", name, f[i:i+redact.MinCut], out)
					break
				}
			}
		}
	}
}
