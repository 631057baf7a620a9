package redact

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// benchSecrets are the secrets a large run knows: a provider token, a
// TSIG secret (base64) and an AWS-style key pair.
func benchSecrets() *Secrets {
	s := &Secrets{}
	s.Add("tok-9f2KqLm3Vx7pRt8sZw4Yb6Nc1Hd5Je0")
	s.Add("c2VjcmV0LXRzaWcta2V5LWZvci1iZW5jaG1hcmtz")
	s.Add("AKIAIOSFODNN7EXAMPLE")
	s.Add("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	return s
}

// benchReport is a report of n findings as a check run prints it: zone
// records, RRSIG-like base64, hex digests, JSON-escaped server text with
// \" and \u00XX, percent-encoding and HTML references, and a few of the
// secrets planted in several forms.
func benchReport(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		h := sha256.Sum256([]byte(fmt.Sprint(i)))
		sig := base64.StdEncoding.EncodeToString(append(h[:], h[:]...))
		fmt.Fprintf(&b, "host%d.example.com. 3600 IN A 192.0.2.%d\n", i, i%250)
		fmt.Fprintf(&b, "host%d.example.com. 3600 IN RRSIG A 13 3 3600 20261231000000 20261201000000 %d example.com. %s\n", i, i%65535, sig)
		fmt.Fprintf(&b, "  digest %s differs: provider B serves %s\n", hex.EncodeToString(h[:]), hex.EncodeToString(h[:16]))
		fmt.Fprintf(&b, "  error: {\"message\":\"record \\\"host%d\\\" caf\\u00e9 not found\",\"path\":\"/zones/example.com%%2Frrsets?name=host%d&amp;type=A\"}\n", i, i)
		fmt.Fprintf(&b, "  note: TXT \"v=spf1 include:_spf.example.com ~all\" 100%% match &lt;ok&gt;\n")
		switch i % 2000 {
		case 7:
			fmt.Fprintf(&b, "  echoed: token tok-9f2KqLm3Vx7pRt8sZw4Yb6Nc1Hd5Je0 in header\n")
		case 11:
			fmt.Fprintf(&b, "  echoed: %s\n", base64.StdEncoding.EncodeToString([]byte("AKIAIOSFODNN7EXAMPLE")))
		case 13:
			fmt.Fprintf(&b, "  echoed: wJalrXUtnFEMI%%2FK7MDENG%%2FbPxRfiCYEXAMPLEKEY\n")
		case 17:
			fmt.Fprintf(&b, "  echoed: tok-9f2Kq\u200bLm3Vx7pRt8sZw4Yb6Nc1Hd5Je0\n")
		case 19:
			fmt.Fprintf(&b, "  echoed: &#x74;ok-9f2KqLm3Vx7pRt8sZw4Yb6Nc1Hd5Je0\n")
		}
	}
	return b.String()
}

// benchPlanted are the planted secrets' forms, none of which may be left.
var benchPlanted = []string{"9f2KqLm3Vx7pRt8sZw4", "QUtJQUlPU0ZPRE5ON0VYQU1QTEU", "bPxRfiCYEXAMPLEKEY", "Lm3Vx7pRt8sZw4Yb6Nc1Hd5Je0"}

// TestLargeReportRedacted: the benchmarks' report has none of its planted
// secrets left, by Replace or by ReplaceBytes (its JSON form).
func TestLargeReportRedacted(t *testing.T) {
	s := benchSecrets()
	text := benchReport(2000)
	js := string(s.ReplaceBytes(benchJSON(text, t)))
	out := s.Replace(text)
	for _, p := range benchPlanted {
		if strings.Contains(out, p) {
			t.Errorf("Replace left %q", p)
		}
		if strings.Contains(js, p) {
			t.Errorf("ReplaceBytes left %q", p)
		}
	}
}

func benchJSON(report string, tb testing.TB) []byte {
	js, err := json.Marshal(map[string]any{"findings": strings.Split(report, "\n")})
	if err != nil {
		tb.Fatal(err)
	}
	return js
}

func BenchmarkReplaceLargeReport(b *testing.B) {
	s := benchSecrets()
	text := benchReport(10000)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Replace(text)
	}
}

func BenchmarkReplaceBytesLargeReport(b *testing.B) {
	s := benchSecrets()
	js := benchJSON(benchReport(10000), b)
	b.SetBytes(int64(len(js)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.ReplaceBytes(js)
	}
}

// benchMarkdown is a plan report of n changes as the Action renders it
// in Markdown: table rows with code spans, escaped text (&#95; &#42;),
// and the characters beyond ASCII its cells hold (· — … and icons).
func benchMarkdown(n int) string {
	var b strings.Builder
	b.WriteString("| | name | type | now | after push | line |\n|---|---|---|---|---|---|\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "| ➕ | `host%d.example.com.` | A | — | 3600 192.0.2.%d · 192.0.2.%d | 12 |\n", i, i%250, (i+1)%250)
		fmt.Fprintf(&b, "| ✏️ | `&#95;dmarc%d.example.com.` | TXT | 300 v=DMARC1; p=none… | 300 v=DMARC1; p=reject &#42; | %d |\n", i, i)
	}
	return b.String()
}

func BenchmarkReplaceMarkdownLargeReport(b *testing.B) {
	s := benchSecrets()
	text := benchMarkdown(10000)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Replace(text)
	}
}

// unclosedRuns is n bytes of runs of backticks no run closes, of lengths
// 1, 2, 3 ... each after 4 letters of the secret codeSpanSecret holds
// (so the gate reads it all): the text that cost a reading of code
// spans scanning on from each run its rest once a run.
func unclosedRuns(n int) string {
	var b strings.Builder
	for l := 1; b.Len() < n; l++ {
		b.WriteString("Lm3V" + strings.Repeat("`", l))
	}
	return b.String()[:n]
}

// closedSpans is n bytes of code spans, each closed: an ordinary
// Markdown text of as many bytes.
func closedSpans(n int) string {
	return strings.Repeat("Lm3V`x7` ", n/9+1)[:n]
}

// codeSpanSecret holds backticks, so rendered reads code spans.
const codeSpanSecret = "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2"

// BenchmarkCodeSpans: Replace of unclosedRuns, of closedSpans and of a
// plan's Markdown table (benchMarkdown: its rows' cells and code spans,
// read apart, tableBreaks) of 64 KiB and 4 times as many
// (bench/codespan/run.sh prints the ratios).
func BenchmarkCodeSpans(b *testing.B) {
	s := &Secrets{}
	s.Add(codeSpanSecret)
	for _, n := range []int{64 << 10, 256 << 10} {
		for _, c := range []struct {
			name string
			text string
		}{{"unclosed", unclosedRuns(n)}, {"closed", closedSpans(n)}, {"table", benchMarkdown(n / 160)[:n]}} {
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				b.SetBytes(int64(n))
				for i := 0; i < b.N; i++ {
					s.Replace(c.text)
				}
			})
		}
	}
}

// BenchmarkHiddenContent: Replace and ServerText of a key, then n open
// tags of an element GitHub may take out with its content that no closing
// tag ends ("<svg>", "<noscript>", "<rp>"), or n openers of a comment
// that none ends ("<!--x"), for n = 8,000 and 16,000 (bench/hidden/run.sh prints how each grows from n to 2n: 2 is
// linear).
func BenchmarkHiddenContent(b *testing.B) {
	const key = "sk-a1b2-c3d4e5"
	s := &Secrets{}
	s.Add(key)
	for tag, unit := range map[string]string{"svg": "<svg>", "noscript": "<noscript>", "rp": "<rp>", "comment": "<!--x"} {
		for _, n := range []int{8000, 16000} {
			text := "sk-a1b2 " + strings.Repeat(unit, n)
			b.Run(fmt.Sprintf("Replace/%s/%d", tag, n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					s.Replace(text)
				}
			})
			b.Run(fmt.Sprintf("ServerText/%s/%d", tag, n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					ServerText(context.Background(), text, key)
				}
			})
		}
	}
}
