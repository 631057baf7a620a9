package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
)

func TestPlanFeatures(t *testing.T) {
	es := planFixture(t)
	es[0].Features = []provider.Feature{{Name: "www.example.com.", Type: "A", Feature: "proxied",
		Detail: "answers with the CDN's | addresses", Advice: "keep a `CDN`", Value: "192.0.2.10"}}
	var text, md, js bytes.Buffer
	WritePlanText(&text, es)
	WritePlanMarkdown(&md, "plan", es)
	if err := WritePlanJSON(&js, es); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "  provider-only: www.example.com. A: proxied: answers with the CDN's | addresses; decide: keep a `CDN`\n") {
		t.Errorf("text:\n%s", text.String())
	}
	if !strings.Contains(md.String(), "provider-only `www.example.com.` A: **proxied**") || strings.Contains(md.String(), "keep a `CDN`") {
		t.Errorf("markdown (zone content escaped):\n%s", md.String())
	}
	var doc PlanJSON
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if f := doc.Plans[0].Features; len(f) != 1 || f[0].Feature != "proxied" || f[0].Value != "192.0.2.10" {
		t.Errorf("json features %+v", f)
	}
}
