package parity_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const origin = "parity.test."

func fixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "parity", "parity.test.zone"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// serve starts a server of kind serving text as parity.test.
func serve(t *testing.T, kind, text string) string {
	t.Helper()
	o := lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}}
	switch kind {
	case "bind":
		lab.Require(t, "named")
		return lab.BIND(t, o).Addr
	case "knot":
		lab.Require(t, "knotd")
		return lab.Knot(t, o).Addr
	case "pdns":
		lab.Require(t, "pdns_server")
		return lab.PDNS(t, o).Addr
	}
	t.Fatalf("unknown server kind %q", kind)
	return ""
}

// loadText writes text to a zone file and loads it (the "git" side).
func loadText(t *testing.T, text string) *zone.Zone {
	t.Helper()
	return loadTextTB(t, text)
}

// loadTextTB is loadAny that fails on a zone with errors.
func loadTextTB(t testing.TB, text string) *zone.Zone {
	t.Helper()
	z := loadAny(t, text)
	for _, p := range z.Problems {
		if p.Severity == zone.Error {
			t.Fatalf("fixture: %s", p)
		}
	}
	return z
}

func run(t *testing.T, z *zone.Zone, old, new []string) *parity.Report {
	t.Helper()
	return runWith(t, z, old, new, func(*parity.Options) {})
}

// runWith is run with the options the lab tests share changed by set
// (AXFR, a query log, ...).
func runWith(t *testing.T, z *zone.Zone, old, new []string, set func(*parity.Options)) *parity.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var o, n []parity.Target
	for _, a := range old {
		o = append(o, parity.Target{Addr: a})
	}
	for _, a := range new {
		n = append(n, parity.Target{Addr: a})
	}
	opts := parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8}
	set(&opts)
	rep, err := parity.Run(ctx, z, o, n, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func dump(t *testing.T, rep *parity.Report) {
	t.Helper()
	for _, f := range rep.Findings {
		t.Logf("%s %s %s %s: %s (%s)", f.Severity, f.Kind, f.Name, f.Type, f.Detail, f.Pos())
	}
}

// TestParityCleanPairs: the same zone served by two implementations is
// parity-clean: no error and no warning.
func TestParityCleanPairs(t *testing.T) {
	text := fixture(t)
	z := loadText(t, text)
	for _, pair := range [][2]string{{"bind", "knot"}, {"knot", "pdns"}, {"pdns", "bind"}} {
		t.Run(pair[0]+"-"+pair[1], func(t *testing.T) {
			old, new := serve(t, pair[0], text), serve(t, pair[1], text)
			rep := run(t, z, []string{old}, []string{new})
			if rep.Count(parity.SevError) > 0 || rep.Count(parity.SevWarning) > 0 {
				dump(t, rep)
				t.Fatalf("%d errors, %d warnings; want none", rep.Count(parity.SevError), rep.Count(parity.SevWarning))
			}
			if rep.Queries < 60 {
				t.Errorf("only %d queries", rep.Queries)
			}
		})
	}
}

// edit replaces a line matching re (multi-line mode) with repl.
func edit(re, repl string) func(string) string {
	rx := regexp.MustCompile("(?m)" + re)
	return func(s string) string {
		if !rx.MatchString(s) {
			panic("edit: no match for " + re)
		}
		return rx.ReplaceAllString(s, repl)
	}
}

func chain(fs ...func(string) string) func(string) string {
	return func(s string) string {
		for _, f := range fs {
			s = f(s)
		}
		return s
	}
}

type want struct {
	name, kind, sev string
}

const longSPF = `
_spf    IN  TXT   "v=spf1 a mx include:_spf2.parity.test -all"
_spf2   IN  TXT   "v=spf1 a:mx1.parity.test a:mx2.parity.test mx include:_spf3.parity.test -all"
_spf3   IN  TXT   "v=spf1 a:sip.parity.test a:lb.parity.test exists:x.parity.test ptr ~all"
`

const labDS = "lab IN DS 12345 13 2 0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20"

// appendLine appends a line to a zone text.
func appendLine(line string) func(string) string {
	return func(s string) string { return s + line + "\n" }
}

func TestParityInjected(t *testing.T) {
	base := fixture(t)
	noSPF := edit(`^_spf\s+IN\s+TXT.*$`, "")
	cases := []struct {
		name string
		git  func(string) string // the zone in git (nil: base)
		old  []func(string) string
		new  []func(string) string
		kind [2]string // server kinds old, new
		want []want
		// none: no finding at all at these names
		none []string
	}{
		{name: "missing record", new: []func(string) string{edit(`^mx2\s+IN\s+A.*$`, "")},
			want: []want{{"mx2.parity.test.", "missing", "error"}}},
		// lb is the end of the chain www → web → lb: one finding at lb, none
		// at the names whose chain reaches it.
		{name: "different address", new: []func(string) string{edit(`192\.0\.2\.81`, "192.0.2.82")},
			want: []want{{"lb.parity.test.", "rdata", "error"}}, none: []string{"www.parity.test.", "web.parity.test."}},
		{name: "different MX target", new: []func(string) string{edit(`MX    20 mx2`, "MX 20 mx1b")},
			want: []want{{"parity.test.", "rdata", "error"}}},
		{name: "wildcard on one side", old: []func(string) string{edit(`^\*\.apps .*$`, "")},
			want: []want{{".apps.parity.test.", "wildcard", "error"}}},
		{name: "ttl", new: []func(string) string{edit(`^sip         IN  A`, "sip 600 IN A")},
			want: []want{{"sip.parity.test.", "ttl", "warning"}}},
		{name: "dkim split", new: []func(string) string{edit(`PBgrdcW0x6KDmialzTRarqfaDSdYSx`, `PBgrdcW0x6KDm" "ialzTRarqfaDSdYSx`)},
			want: []want{{"mail2026._domainkey.parity.test.", "txt-split", "info"}}},
		{name: "order and case", kind: [2]string{"bind", "bind"},
			new: []func(string) string{
				edit(`^lb      IN  A     192\.0\.2\.80\n(lb.*81)`, "$1\nLB IN A 192.0.2.80"),
				edit(`^www     IN  CNAME web`, "WWW IN CNAME WEB"),
				edit(`CAA   0 issue`, "CAA 0 ISSUE"),
			},
			none: []string{"lb.parity.test.", "www.parity.test.", "parity.test."}},
		{name: "escapes and unknown type", kind: [2]string{"bind", "knot"},
			none: []string{"esc.parity.test.", "unk.parity.test."}},
		{name: "cname hop", new: []func(string) string{edit(`^web     IN  CNAME lb`, "web IN CNAME lb2.parity.test.\nlb2 IN A 192.0.2.80\nlb2 IN A 192.0.2.81\nlb2 IN AAAA 2001:db8::80\nweb2 IN CNAME lb")},
			want: []want{{"www.parity.test.", "cname-hop", "error"}, {"web.parity.test.", "cname-hop", "error"}}},
		{name: "caa flag", new: []func(string) string{edit(`CAA   0 issue`, "CAA 128 issue")},
			want: []want{{"parity.test.", "rdata", "error"}}},
		{name: "spf over 10", git: chain(noSPF, func(s string) string { return s + longSPF }),
			old:  []func(string) string{noSPF, func(s string) string { return s + longSPF }},
			new:  []func(string) string{noSPF, func(s string) string { return s + longSPF }},
			want: []want{{"parity.test.", "spf-lookups", "error"}}},
		{name: "spf counts differ", git: chain(noSPF, func(s string) string { return s + longSPF }),
			old:  []func(string) string{noSPF, func(s string) string { return s + longSPF }},
			new:  []func(string) string{noSPF, func(s string) string { return s + strings.Replace(longSPF, " ptr ", " ", 1) }},
			want: []want{{"parity.test.", "spf-lookups", "error"}}},
		{name: "dkim bad key", new: []func(string) string{edit(`p=MIIBIjAN`, "p=MIIB!jAN")},
			want: []want{{"mail2026._domainkey.parity.test.", "dkim", "error"}}},
		{name: "dmarc missing", new: []func(string) string{edit(`^_dmarc .*$`, "")},
			want: []want{{"_dmarc.parity.test.", "dmarc", "error"}}},
		// Delegations: a referral is compared by its NS set and its glue
		// (in-bailiwick A/AAAA in ADDITIONAL); the DS at the cut is the
		// parent's authoritative data.
		{name: "glue differs", new: []func(string) string{edit(`192\.0\.2\.99`, "192.0.2.98")},
			want: []want{{"lab.parity.test.", "glue", "error"}}},
		{name: "delegation NS differs", new: []func(string) string{edit(`^lab     IN  NS    ns\.lab`, "lab IN NS ns2.lab"), appendLine("ns2.lab IN A 192.0.2.99")},
			want: []want{{"lab.parity.test.", "referral", "error"}}},
		{name: "DS missing on one side", git: appendLine(labDS), old: []func(string) string{appendLine(labDS)},
			want: []want{{"lab.parity.test.", "missing", "error"}}},
		{name: "DS on both sides", git: appendLine(labDS), old: []func(string) string{appendLine(labDS)}, new: []func(string) string{appendLine(labDS)},
			kind: [2]string{"pdns", "knot"}, none: []string{"lab.parity.test.", "ns.lab.parity.test."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			gitText := base
			if c.git != nil {
				gitText = c.git(base)
			}
			oldText, newText := base, base
			for _, f := range c.old {
				oldText = f(oldText)
			}
			for _, f := range c.new {
				newText = f(newText)
			}
			kind := c.kind
			if kind[0] == "" {
				kind = [2]string{"knot", "bind"}
			}
			z := loadText(t, gitText)
			rep := run(t, z, []string{serve(t, kind[0], oldText)}, []string{serve(t, kind[1], newText)})
			check(t, rep, c.want, c.none)
		})
	}
}

func check(t *testing.T, rep *parity.Report, wants []want, none []string) {
	t.Helper()
	ok := true
	for _, w := range wants {
		found := false
		for _, f := range rep.Findings {
			if (f.Name == w.name || strings.HasPrefix(w.name, ".") && strings.HasSuffix(f.Name, w.name)) && f.Kind == w.kind && f.Severity == w.sev {
				found = true
				if f.File == "" || f.Line == 0 {
					t.Errorf("finding %s %s has no file:line", f.Name, f.Kind)
				}
			}
		}
		if !found {
			t.Errorf("no %s %s finding at %s", w.sev, w.kind, w.name)
			ok = false
		}
	}
	// Nothing worse than the worst expected severity.
	worst := "info"
	for _, w := range wants {
		if w.sev == "error" || (w.sev == "warning" && worst == "info") {
			worst = w.sev
		}
	}
	for _, f := range rep.Findings {
		bad := (worst == "info" && f.Severity != "info") || (worst == "warning" && f.Severity == "error")
		if bad {
			t.Errorf("unexpected %s finding %s at %s: %s", f.Severity, f.Kind, f.Name, f.Detail)
			ok = false
		}
		for _, n := range none {
			if f.Name == n && f.Kind != "ns" && f.Kind != "soa" && f.Kind != "spf-unknown" {
				t.Errorf("unexpected finding at %s: %s %s: %s", n, f.Severity, f.Kind, f.Detail)
				ok = false
			}
		}
	}
	if !ok || testing.Verbose() {
		dump(t, rep)
	}
}

// TestParityWithinProvider: two servers of one side that disagree.
func TestParityWithinProvider(t *testing.T) {
	base := fixture(t)
	z := loadText(t, base)
	bad := edit(`192\.0\.2\.81`, "192.0.2.82")(base)
	old := []string{serve(t, "knot", base), serve(t, "bind", bad)}
	rep := run(t, z, old, []string{serve(t, "knot", base)})
	check(t, rep, []want{{"lb.parity.test.", "disagree-within-provider", "error"}}, nil)
}

// TestParityNoAnswer: a server that does not answer stops the run with an
// error naming it.
func TestParityNoAnswer(t *testing.T) {
	base := fixture(t)
	z := loadText(t, base)
	dead := lab.Addr(t) + ":53"
	ctx := context.Background()
	_, err := parity.Run(ctx, z, []parity.Target{{Addr: serve(t, "knot", base)}}, []parity.Target{{Addr: dead}},
		parity.Options{Timeout: 300 * time.Millisecond, Retries: 1})
	if err == nil || !strings.Contains(err.Error(), dead) || !strings.Contains(err.Error(), "new server") {
		t.Fatalf("err = %v, want one naming new server %s", err, dead)
	}
	// Nothing listens there (ICMP port unreachable): said so, with the
	// likely cause, not only "3 tries, timeout 2s" and the socket's error.
	if !strings.Contains(err.Error(), "does not answer: nothing listens on that address and port (connection refused): a wrong address or port, or the server is down") {
		t.Errorf("err = %v, want it to say nothing listens there", err)
	}
}

// TestParityGitView: each difference says which side deviates from the zone
// in git, and a change both sides share (but git lacks) is git-drift.
func TestParityGitView(t *testing.T) {
	base := fixture(t)
	z := loadText(t, base)
	changed := edit(`192\.0\.2\.81`, "192.0.2.82")(base)
	tests := []struct {
		name            string
		old, new        string
		kind, sev, note string
	}{
		{"new deviates", base, changed, "rdata", "error", "; new deviates from git ("},
		{"old deviates", changed, base, "rdata", "error", "; old deviates from git ("},
		{"both agree, git differs", changed, changed, "git-drift", "warning", "old and new agree but deviate from git ("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := run(t, z, []string{serve(t, "knot", tt.old)}, []string{serve(t, "bind", tt.new)})
			var found bool
			for _, f := range rep.Findings {
				if f.Name != "lb.parity.test." || f.Type != "A" {
					continue
				}
				found = true
				if f.Kind != tt.kind || f.Severity != tt.sev || !strings.Contains(f.Detail, tt.note) || !strings.Contains(f.Detail, ".zone:") {
					t.Errorf("finding %s %s: %s, want %s %s with %q and the zone file line", f.Severity, f.Kind, f.Detail, tt.sev, tt.kind, tt.note)
				}
			}
			if !found {
				dump(t, rep)
				t.Fatal("no finding at lb.parity.test. A")
			}
		})
	}
}

// TestFindingsRedactedBeforeText: a secret the run knows (the context's
// set, redact.WithSecrets), served by one side in a TXT record split
// across its strings with a tab, a no-break space, a zero-width space, a
// byte that is no UTF-8 or a NUL after each piece, or across the records
// of one RRset, is masked in
// the findings parity returns (Old, New, Detail), and so in parity's
// Markdown, text and JSON as the report package renders them, with no
// second net over the output. A finding's Old and New are a record's
// presentation form: the tab written \009 and the no-break space
// \194\160, which no reader of the escaped text sees as a separator
// once it is written; parity must redact the record's character-strings
// before it renders them.
func TestFindingsRedactedBeforeText(t *testing.T) {
	lab.Require(t, "named")
	const secret = "pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg"
	pieces := sevens(secret)
	// git and the new side hold other text at the names the old side
	// serves the secret at (parity asks the names git holds).
	base := fixture(t) + "records IN TXT \"none\"\n"
	old := fixture(t)
	for name, sep := range map[string]string{"tab": `\009`, "nbsp": `\194\160`, "zwsp": `\226\128\139`, "byte": `\200`, "ctl": `\000`} {
		base += name + " IN TXT \"none\"\n"
		old += name + ` IN TXT "` + strings.Join(pieces, sep+`" "`) + sep + "\"\n"
	}
	for _, p := range pieces {
		old += `records IN TXT "` + p + "\"\n"
	}
	rep := runKnowing(t, secret, base, old)
	// A reader of the output reads past the separators as they are
	// escaped: a record's \DDD, Markdown's &#92;, JSON's \\.
	escaped := regexp.MustCompile(`(&#92;|\\\\|\\)(009|000|200|194\\?\\?(&#92;)?160|226\\?\\?(&#92;)?128\\?\\?(&#92;)?139)`)
	reader := func(s string) string {
		s = escaped.ReplaceAllString(s, "")
		return strings.NewReplacer(`"`, "", `\"`, "", "&#92;", "", " ", "", "\n", "", "\\n", "", "&#124;", "", "|", "", "`", "", "&#95;", "_", "&#43;", "+", "&#47;", "/").Replace(s)
	}
	shown := 0
	for _, f := range rep.Findings {
		for _, v := range []string{f.Old, f.New, f.Detail} {
			if strings.Contains(v, "pk_7Hq") || strings.Contains(v, "***") {
				shown++
			}
		}
	}
	if shown < 4 {
		dump(t, rep)
		t.Fatalf("the test plants nothing: %d findings show the planted TXT records", shown)
	}
	noLeaks(t, rep, reader, secret)
}

// sevens are s's pieces of 7 bytes (the last shorter): each under
// redact.MinCut, as a record a test serves splits a secret.
func sevens(s string) []string {
	var out []string
	for i := 0; i < len(s); i += 7 {
		out = append(out, s[i:min(i+7, len(s))])
	}
	return out
}

// runKnowing is the parity report of git's zone base, served as old by
// BIND on the old side and as base on the new, with the run knowing
// secret (the context's set, redact.WithSecrets).
func runKnowing(t *testing.T, secret, base, old string) *parity.Report {
	t.Helper()
	z := loadText(t, base)
	set := &redact.Secrets{Escapes: report.Escapes()}
	set.Add(secret)
	ctx, cancel := context.WithTimeout(redact.WithSecrets(context.Background(), set), 60*time.Second)
	defer cancel()
	rep, err := parity.Run(ctx, z, []parity.Target{{Addr: serve(t, "bind", old)}}, []parity.Target{{Addr: serve(t, "bind", base)}},
		parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// noLeaks fails t when a finding of rep (Old, New, Detail) or parity's
// Markdown, text or JSON of rep, as the report package renders them (no
// second net), read as reader reads them, shows secret.
func noLeaks(t *testing.T, rep *parity.Report, reader func(string) string, secret string) {
	t.Helper()
	for _, f := range rep.Findings {
		for _, v := range []string{f.Old, f.New, f.Detail} {
			if l := redacttest.Leak(reader(v), secret); l != "" {
				t.Errorf("%s %s %s: %s in %q", f.Kind, f.Name, f.Type, l, v)
			}
		}
	}
	var md, txt, js bytes.Buffer
	report.WriteParityMarkdown(&md, []*parity.Report{rep})
	report.WriteParityText(&txt, []*parity.Report{rep})
	if err := report.WriteParityJSON(&js, []*parity.Report{rep}); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(js.Bytes()) {
		t.Fatalf("JSON: %s", js.String())
	}
	for name, out := range map[string]string{"markdown": md.String(), "text": txt.String(), "json": js.String()} {
		if l := redacttest.Leak(reader(out), secret); l != "" {
			t.Errorf("%s shows the secret: %s", name, l)
		}
	}
}

// TestMailDetailsRedacted: a secret the run knows, served by the old side
// split with a byte that is no UTF-8 (\200), a tab or a NUL inside what
// parity parses rather than compares as records (an SPF include's name,
// a DKIM key record's tags), is masked in the findings parity returns
// (Detail, Old, New: a lookup chain, a permerror, a parse error quote
// the name or the tag as parsed), and so in parity's Markdown, text and
// JSON, with no second net over the output. Each case's separator is
// read as the output escapes it (a record's \DDD, Markdown's &#92;).
func TestMailDetailsRedacted(t *testing.T) {
	lab.Require(t, "named")
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg"
	pieces := sevens(secret)
	escaped := regexp.MustCompile(`(&#92;|\\\\|\\)(009|000|200|x80|t|u0000|ufffd)|\x{fffd}|\x80|\t|\x00|&#9;|&#x0*9;`)
	reader := func(s string) string {
		s = escaped.ReplaceAllString(s, "")
		return strings.NewReplacer(`"`, "", `\"`, "", "&#92;", "", " ", "", "\n", "", "\\n", "", "&#124;", "", "|", "", "`", "", "&#95;", "_", "&#43;", "+", "&#47;", "/").Replace(s)
	}
	base := fixture(t)
	spf := `_spf    IN  TXT   "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"`
	dkim := regexp.MustCompile(`(?s)mail2026\._domainkey IN TXT \(.*?\)\n`)
	if !strings.Contains(base, spf) || !dkim.MatchString(base) {
		t.Fatal("the fixture's _spf or DKIM record is not where the test plants")
	}
	for _, c := range []struct{ name, sep string }{{"byte", `\200`}, {"tab", `\009`}, {"nul", `\000`}} {
		t.Run(c.name, func(t *testing.T) {
			split := strings.Join(pieces, c.sep)
			old := strings.Replace(base, spf, `_spf IN TXT "v=spf1 include:`+split+`.parity.test -all"`, 1)
			old = dkim.ReplaceAllLiteralString(old, `mail2026._domainkey IN TXT "v=DKIM1; k=`+split+`; p=MCowBQYDK2VwAyEA"`+"\n")
			rep := runKnowing(t, secret, base, old)
			mail := 0
			for _, f := range rep.Findings {
				if strings.HasPrefix(f.Kind, "spf") || f.Kind == "dkim" {
					mail++
				}
			}
			if mail < 2 {
				dump(t, rep)
				t.Fatalf("the test plants nothing: %d SPF and DKIM findings", mail)
			}
			noLeaks(t, rep, reader, secret)
		})
	}
}
