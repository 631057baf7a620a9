package report

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// TestDoneOfMaskedOwner: push's Done says which RRsets it changed, keyed
// by owner and type; an owner that holds a secret is masked by
// redact.Plain in the change and in Done's keys alike, so the report
// still finds each row's Done: the masked rows applied and not, beside
// rows without a secret, in text, Markdown and JSON. Two owners that
// differ only in the secret mask to one name a report cannot tell apart.
func TestDoneOfMaskedOwner(t *testing.T) {
	const secret = "pk7Hq2mZ9wXr4Lt8Vn3Bc6"
	text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n" +
		secret + " TXT \"applied\"\n" + "x-" + secret + " TXT \"not applied\"\nwww TXT \"applied\"\nmail TXT \"not applied\"\n"
	z, err := zone.Parse(strings.NewReader(text), "zones/example.com.zone", "example.com.", "")
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Compute(z, nil, plan.Options{})
	p.Provider = "new"
	done := map[zone.Key]bool{}
	want := map[string]bool{} // a row's masked owner: applied
	for _, ch := range p.All() {
		if ch.New == nil || ch.Type != dns.TypeTXT {
			continue
		}
		applied := strings.Contains(strings.Join(ch.New.Strings(), ""), `"applied"`)
		done[ch.Key()] = applied
		want[strings.Replace(ch.Name, strings.ToLower(secret), "***", 1)] = applied
	}
	if len(want) != 4 {
		t.Fatalf("the test plants %d TXT rows, not 4: %v", len(want), want)
	}
	set := &redact.Secrets{Escapes: Escapes()}
	set.Add(secret)
	entries := redact.Plain(set, []PlanEntry{{Plan: p, Applied: len(want) / 2, Done: done}})

	var txt, md, js bytes.Buffer
	WritePlanText(&txt, entries)
	WritePlanMarkdown(&md, "push", entries)
	WritePlanJSONStream(&js, entries, "", nil, nil)
	for name, out := range map[string]string{"text": txt.String(), "markdown": md.String(), "json": js.String()} {
		if strings.Contains(strings.ToLower(out), strings.ToLower(secret[:redact.MinCut])) {
			t.Errorf("%s shows the secret:\n%s", name, out)
		}
	}
	for owner, applied := range want {
		for _, line := range strings.Split(txt.String(), "\n") {
			if strings.Contains(line, " "+owner+" TXT") {
				if got := !strings.Contains(line, "[not applied]"); got != applied {
					t.Errorf("text: %s: applied %v, want %v", line, got, applied)
				}
			}
		}
		md := strings.ReplaceAll(md.String(), "&#42;", "*")
		for _, line := range strings.Split(md, "\n") {
			if strings.Contains(line, "| "+MarkdownText(owner)+" |") || strings.Contains(line, "| "+owner+" |") {
				if got := !strings.Contains(html.UnescapeString(line), "(not applied)"); got != applied {
					t.Errorf("markdown: %s: applied %v, want %v", line, got, applied)
				}
			}
		}
	}
	var rep struct {
		Plans []struct {
			Changes []struct {
				Name string
				Type string
				Done *bool
			}
		}
	}
	if err := json.Unmarshal(js.Bytes(), &rep); err != nil || len(rep.Plans) != 1 {
		t.Fatalf("JSON: %v\n%s", err, js.String())
	}
	seen := 0
	for _, c := range rep.Plans[0].Changes {
		if applied, ok := want[c.Name]; ok && c.Type == "TXT" {
			seen++
			if c.Done == nil || *c.Done != applied {
				t.Errorf("json: %s done %v, want %v", c.Name, c.Done, applied)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("json: %d of the %d TXT rows found by their masked owner:\n%s", seen, len(want), js.String())
	}
}
