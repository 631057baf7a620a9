package main

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// BenchmarkWritePlansMarkdown: what redact.Plain costs a large plan. A
// plan creating 10,000 RRsets (A, TXT of two strings, CNAME, MX, in
// turn) is written as plan --format markdown writes it (writePlans): with
// no secret (Plain returns the entries as they are), with the run's set
// holding two secrets (Plain copies and redacts every plain value, each
// RRset's records through RRSet.RedactPlain), and with that set and the
// second net a step log adds (redact.Writer over the output). None holds
// a secret: the cost is reading, not masking. bench/plain/run.sh prints
// the ratios from one run.
func BenchmarkWritePlansMarkdown(b *testing.B) {
	entries := largePlan(b, 10000)
	set := &redact.Secrets{Escapes: report.Escapes()}
	set.Add("c2VjcmV0LWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ=")
	set.Add("ghs_actions_token_0123456789")
	for _, c := range []struct {
		name    string
		secrets *redact.Secrets
		out     func() io.Writer
	}{
		{"no-secret", nil, func() io.Writer { return io.Discard }},
		{"secret", set, func() io.Writer { return io.Discard }},
		{"secret+writer", set, func() io.Writer { return redact.NewWriter(set, io.Discard) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				w := c.out()
				a := &app{stdout: w, secrets: c.secrets}
				a.writePlans("markdown", "plan", entries, "", nil)
				if f, ok := w.(*redact.Writer); ok {
					_ = f.Flush()
				}
			}
		})
	}
}

// largePlan is a plan creating n RRsets (A, TXT of two strings, CNAME,
// MX, in turn) at the provider "new".
func largePlan(tb testing.TB, n int) []report.PlanEntry {
	tb.Helper()
	var text strings.Builder
	text.WriteString("$ORIGIN bench.test.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n")
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&text, "h%d A 192.0.%d.%d\n", i, i/256%256, i%256)
		case 1:
			fmt.Fprintf(&text, "h%d TXT \"v=spf1 ip4:192.0.2.%d -all\" \"site-verification=%08x\"\n", i, i%256, i*2654435761)
		case 2:
			fmt.Fprintf(&text, "h%d CNAME h%d\n", i, i-2)
		case 3:
			fmt.Fprintf(&text, "h%d MX 10 mx%d.mail.example.\n", i, i)
		}
	}
	z, err := zone.Parse(strings.NewReader(text.String()), "zones/bench.test.zone", "bench.test.", "")
	if err != nil {
		tb.Fatal(err)
	}
	p := plan.Compute(z, nil, plan.Options{})
	p.Provider = "new"
	if got := len(p.All()); got < n {
		tb.Fatalf("the plan holds %d changes", got)
	}
	return []report.PlanEntry{{Plan: p, Applied: -1}}
}
