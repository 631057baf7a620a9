package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// joinedReadable is decodedReadable with what stands between the
// records of an RRset as a report prints them taken out (quotes, blanks,
// line breaks, table bars, the · and , between records, backticks): a
// reader reads records printed one after another as one text.
func joinedReadable(text string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("\"'` \t\r\n|·,;", r) {
			return -1
		}
		return r
	}, decodedReadable(text))
}

// TestSecretSplitAcrossReorderedRecords: a pull request's zone file
// holds a provider's key split across the TXT records of one name (or
// the strings of them), written in an order other than the one a report
// prints them in (sorted: plan's "after push" column, the JSON report):
// printed, the pieces stand one after another as the key. No output of
// the Action (stdout, stderr, step summary, PR comment, check run,
// outputs, the JSON report) nor of the CLI (text, JSON, Markdown) shows
// it, read as a reader reads the records joined (joinedReadable). Both
// lines of defence count here: redact.Plain, which read an RRset's
// values in the set's own order only (zone's
// TestRRSetRedactPlainPrintOrders failed on it), and the second net
// over the printed text, which caught these forms before; this table
// fails only when both miss.
func TestSecretSplitAcrossReorderedRecords(t *testing.T) {
	// Its pieces, in each form below, sort in the key's order by their
	// text (each starts with a later letter) and the other way round by
	// their wire form (each is shorter), the order the zone keeps them
	// in: printed, they stand in the key's order.
	const key = "Aq2mZ9wXGkMt8VpZl7x"
	cfg := soaOnlyPowerDNS(t)
	escDDD := func(s string) string { return redacttest.EachByte(s, `\%03d`) }
	pct := func(s string) string { return redacttest.EachByte(s, "%%%02X") }
	entities := func(s string) string { return redacttest.EachByte(s, "&#%d;") }
	b64 := base64.StdEncoding.EncodeToString([]byte(key))
	// Each form is the key's pieces, in the key's order, each a record's
	// (records of several strings: the strings a record holds, split by
	// a quote and a blank), written to the zone file last first.
	forms := []struct {
		name   string
		pieces []string
		// form is what the pieces spell in their printed order (the key
		// as a reader decodes it: joinedReadable).
		form string
	}{
		{"two records", []string{key[:10], key[10:]}, key},
		{"three records", []string{key[:8], key[8:14], key[14:]}, key},
		{"records of two strings each", []string{key[:6] + `" "` + key[6:10], key[10:15] + `" "` + key[15:]}, key},
		{"each byte \\DDD", []string{escDDD(key[:10]), escDDD(key[10:])}, key},
		{"each byte percent-encoded", []string{pct(key[:10]), pct(key[10:])}, key},
		{"each byte an HTML reference", []string{entities(key[:10]), entities(key[10:])}, key},
		{"its base64", []string{b64[:10], b64[10:]}, b64},
		// One string longer than a character-string holds (255 bytes),
		// which the record's wire form splits where the key stands.
		{"a string over 255 characters", []string{strings.Repeat("x", 250) + key + strings.Repeat("y", 40)}, key},
	}
	for _, f := range forms {
		var records strings.Builder
		quoted := make([]string, len(f.pieces))
		for i := range f.pieces {
			p := f.pieces[len(f.pieces)-1-i]
			fmt.Fprintf(&records, "k1 TXT \"%s\"\n", p)
			quoted[i] = `"` + p + `"`
		}
		// Printed sorted by their text, the pieces spell the form.
		slices.Sort(quoted)
		if got := joinedReadable(strings.Join(quoted, " ")); !strings.Contains(got, joinedReadable(f.form)) {
			t.Fatalf("%s: sorted, the pieces read %q, not the form %q", f.name, got, f.form)
		}
		write := func(t *testing.T, ws string) {
			os.MkdirAll(filepath.Join(ws, "zones"), 0o755)
			os.WriteFile(filepath.Join(ws, "dnsparity.yaml"), []byte(cfg), 0o644)
			os.WriteFile(filepath.Join(ws, "zones", "acme.test.zone"), []byte(acmeZone+records.String()), 0o644)
		}
		check := func(t *testing.T, code int, all string) {
			t.Helper()
			want := "k1.acme.test"
			if code == exitError {
				// Refused before anything is shown
				// (config.PublicSecretError).
				want = "stands in what a run shows anyway"
			}
			if !strings.Contains(all, want) {
				t.Fatalf("the test plants nothing: no %q in the output (exit %d):\n%s", want, code, all)
			}
			if l := redacttest.Leak(joinedReadable(all), joinedReadable(f.form)); l != "" {
				t.Errorf("exit %d: the output holds the key, read across the records: %s\n%s", code, l, all)
			}
		}
		t.Run(f.name+", action plan", func(t *testing.T) {
			ae := newActionEnv(t)
			ae.env["PDNS_API_KEY"] = key
			ae.env["INPUT_COMMAND"] = "plan"
			write(t, ae.ws)
			o := ae.run(t)
			check(t, o.code, ae.shown(o, "plan.json"))
		})
		for _, format := range []string{"text", "json", "markdown"} {
			t.Run(f.name+", plan --format "+format, func(t *testing.T) {
				ws := t.TempDir()
				write(t, ws)
				var stdout, stderr bytes.Buffer
				getenv := func(k string) string {
					if k == "PDNS_API_KEY" {
						return key
					}
					return ""
				}
				a := &app{stdout: &stdout, stderr: &stderr, getenv: getenv, stepLog: true}
				code := a.main(context.Background(), []string{"plan", "--config", filepath.Join(ws, "dnsparity.yaml"), "--format", format})
				check(t, code, stdout.String()+stderr.String())
			})
		}
	}
}
