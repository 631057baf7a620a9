package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// TestStatusReportEachForm: status after a flip, with a secret in each
// form of redacttest.Echoes in every text a server's or the trail's
// answer reaches (a parent server's row, a resolver's row and SOA, the
// watch's detail in a warning, propagation.waits_for and the finish
// step's advice that quotes it), is shown by none of the renderings
// once the command redacts the report (redact.Plain, then JSON,
// Markdown with its tables, text).
func TestStatusReportEachForm(t *testing.T) {
	at := time.Date(2026, 12, 7, 19, 0, 0, 0, time.UTC)
	for _, secret := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "Kx9m%Ab:Qz,7Lp%0A8Vn3:Bc6,Yd1", "p<ss>w&rd_7Hq2mZ9wXr4Lt8Vn3", "q7<code>Hq2mZ9</code>wXr4Lt8"} {
		set := &redact.Secrets{}
		set.Add(secret)
		for _, e := range redacttest.Echoes(secret) {
			text := "key " + e.Form + " refused"
			waits := []string{cutover.WaitNSTTL, text}
			rep := &cutover.Report{Zone: "example.test.", Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageFlipped,
				Warnings: []string{"the flip's watch ended before every resolver moved: " + text},
				Propagation: &cutover.Propagation{Target: "new", Since: at, SettledAt: at.Add(time.Hour), WaitsFor: waits,
					Parent:    []cutover.ParentRow{{Server: "192.0.2.1", Detail: text}},
					Child:     []cutover.ChildRow{{Server: "192.0.2.2", NS: []string{"ns1.new.example."}, OK: true}},
					Resolvers: []cutover.PropagationRR{{Resolver: "192.0.2.3", NSSide: "unknown", SOASide: "unknown", Side: "unknown", SOA: text, Detail: "NS: " + text}}},
				Next: []cutover.Next{{Step: "finish", Earliest: at.Add(time.Hour), Detail: "after policy.overlap; waits for " + strings.Join(waits, ", ")}}}
			rep = redact.Plain(set, rep)
			var js, md, txt bytes.Buffer
			if err := WriteCutoverJSON(&js, rep); err != nil {
				t.Fatal(err)
			}
			WriteCutoverMarkdown(&md, rep)
			WriteCutoverText(&txt, rep)
			for name, out := range map[string]string{"json": js.String(), "markdown": md.String(), "text": txt.String()} {
				if !strings.Contains(out, "refused") || !strings.Contains(out, cutover.WaitNSTTL) {
					t.Fatalf("%q %s, %s: the test plants nothing:\n%s", secret, e.Name, name, out)
				}
				if l := redacttest.Leak(out, secret, e.Form); l != "" {
					t.Errorf("%q %s, %s: %s", secret, e.Name, name, l)
				}
			}
		}
	}
}
