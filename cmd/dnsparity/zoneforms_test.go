package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// decodedReadable is readable with what a reader also decodes in a
// report: a record's presentation escapes (\DDD, RFC 1035 §5.1), Go's
// \u escapes of an excerpt, and percent-encoding.
func decodedReadable(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '\\' && i+3 < len(text) {
			if v, err := strconv.Atoi(text[i+1 : i+4]); err == nil && v < 256 && strings.Trim(text[i+1:i+4], "0123456789") == "" {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
			if text[i+1] == 'u' && i+5 < len(text) {
				if v, err := strconv.ParseUint(text[i+2:i+6], 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += 5
					continue
				}
			}
		}
		b.WriteByte(text[i])
	}
	out := b.String()
	if u, err := url.PathUnescape(out); err == nil {
		out = u
	}
	// Quoted-printable's =XX (RFC 2045 §6.7).
	out = regexp.MustCompile(`=[0-9A-Fa-f]{2}`).ReplaceAllStringFunc(out, func(e string) string {
		v, _ := strconv.ParseUint(e[1:], 16, 8)
		return string(rune(v))
	})
	return readable(out)
}

// TestSecretFormsInZoneFile: a zone file holds a provider's key in a
// form a reader reads as the key (broken every 5 characters by a soft
// hyphen or a zero-width character, or every byte percent-encoded or
// an HTML reference): a token check quotes in an annotation (an
// excerpt, Go-quoted: \u00ad) or a TXT value plan shows (in
// presentation form: \194\173). No output of the Action shows it, as a
// reader reads it (decodedReadable): the run's redaction (the second
// line, redact.Secrets) finds a secret in any form the first finds it
// in a server's text.
func TestSecretFormsInZoneFile(t *testing.T) {
	const key = "pk-Zl7Hq2mZ9wXr4Lt8V"
	cfg := soaOnlyPowerDNS(t)
	pct := func(s string) string { return redacttest.EachByte(s, "%%%02X") }
	forms := map[string]string{
		"a soft hyphen every 5 characters":       redacttest.Every(key, "\u00ad", 5),
		"a zero-width space every 5 characters":  redacttest.Every(key, "\u200b", 5),
		"a zero-width joiner every 5 characters": redacttest.Every(key, "\u200d", 5),
		"every byte percent-encoded":             pct(key),
		"every character an HTML reference":      eachChar(key, func(r rune) string { return fmt.Sprintf("&#%d;", r) }),
		"quoted-printable =XX of every byte":     redacttest.QuotedPrintable(key, 1),
		"Cyrillic and Greek look-alike letters":  redacttest.LookAlikes(key),
		"a combining grapheme joiner every 5":    redacttest.Every(key, "\u034f", 5),
		"a variation selector every 5":           redacttest.Every(key, "\ufe0f", 5),
	}
	for name, form := range forms {
		if decodedReadable(form) != key {
			t.Fatalf("%s: the test's form %q does not read as the key", name, form)
		}
		for _, cmd := range []string{"check", "plan"} {
			t.Run(name+", "+cmd, func(t *testing.T) {
				extra := "k1 300 IN TXT \"" + form + "\"\n"
				if cmd == "check" {
					extra = "bad 300 IN A 192.0.2.1 " + form + "\n"
				}
				ae := newActionEnv(t)
				ae.env["PDNS_API_KEY"] = key
				ae.env["INPUT_COMMAND"] = cmd
				os.MkdirAll(filepath.Join(ae.ws, "zones"), 0o755)
				os.WriteFile(filepath.Join(ae.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
				os.WriteFile(filepath.Join(ae.ws, "zones", "acme.test.zone"), []byte(acmeZone+extra), 0o644)
				o := ae.run(t)
				all := ae.shown(o, cmd+".json")
				want := "garbage after rdata"
				if cmd == "plan" {
					want = "k1.acme.test"
				}
				if o.code == exitError {
					// A secret found in the zone's records is in what
					// a run shows anyway: refused before anything is
					// shown (config.PublicSecretError).
					want = "stands in what a run shows anyway"
				}
				if !strings.Contains(all, want) {
					t.Fatalf("the test plants nothing: no %q in the output:\n%s", want, all)
				}
				if l := redacttest.Leak(decodedReadable(all), key); l != "" {
					t.Errorf("the output holds the key: %s", l)
				}
			})
		}
	}
}

// soaOnlyPowerDNS is the config of a repository whose zone acme.test.
// (zones/acme.test.zone) both sides, old and new, serve through a fake
// PowerDNS API holding its SOA only (every record else is to create),
// the key in PDNS_API_KEY.
func soaOnlyPowerDNS(t *testing.T) string {
	t.Helper()
	soa := `{"name":"acme.test.","kind":"Native","rrsets":[{"name":"acme.test.","type":"SOA","ttl":300,"records":[{"content":"ns1.acme.test. hostmaster.acme.test. 1 3600 600 86400 300"}]}]}`
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// PowerDNS's zone (GET /api/v1/servers/localhost/zones/ZONE),
		// https://doc.powerdns.com/authoritative/http-api/zone.html
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, soa)
	}))
	t.Cleanup(api.Close)
	return fmt.Sprintf("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  old: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n", api.URL)
}

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
