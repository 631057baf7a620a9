package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
	"github.com/dnsparity/dnsparity/internal/report"
)

// Secrets planted for TestActionSecretsNeverLeak: each with characters
// that escaping changes (_ + / =), so that an escaped form differs from the
// secret itself.
var (
	leakTSIG = &lab.TSIGKey{Name: "update-key.", Algorithm: "hmac-sha256", Secret: "bGVhay10c2lnLXNlY3JldC0wMTIz/++/YWJjZEVGR0gwMTIzNDU2Nzg5YWI="}
	leakAPI  = "pdns_live_key_0123+secret/part_Z9"
	leakAWS  = "wJalrXUtnFEMI/K7MDENG/bPxRfi_CYEXAMPLEKEY"
	leakPAT  = "c2VjcmV0a2V5MDEyMzQ1Njc4OWFiY2RlZg" // pasted into a *_env key: a valid name
)

// leakForms is each form a secret may take in an output: as it is,
// base64, URL-encoded, JSON-escaped, HTML-escaped, Markdown-escaped.
func leakForms(secret string) []string {
	js, _ := json.Marshal(secret)
	return []string{secret, base64.StdEncoding.EncodeToString([]byte(secret)), url.QueryEscape(secret), url.PathEscape(secret),
		string(js[1 : len(js)-1]), html.EscapeString(secret), report.MarkdownText(secret)}
}

// findLeaks reports each form of each secret found in out (named where).
// Lines that mask a value in the log (::add-mask::) are the masking itself
// and are left out: the runner never shows them.
func findLeaks(t *testing.T, where, out string, secrets ...string) {
	t.Helper()
	text := unmasked(out)
	for _, s := range secrets {
		for _, f := range leakForms(s) {
			if strings.Contains(text, f) {
				i := strings.Index(text, f)
				t.Errorf("%s holds a secret (form %q): …%s…", where, f, text[max(0, i-80):min(len(text), i+len(f)+40)])
			}
		}
	}
}

// TestActionSecretsNeverLeak plants secrets through every input the Action
// reads — zone content (TXT data, a broken record), a server's error text
// (a provider API that quotes the key it was sent, raw, base64- and
// URL-encoded), a file path (a zone file named like the token), a config
// value (a secret pasted where a variable's name belongs) and the
// environment (token, TSIG secret, API key, AWS key) — and searches every
// output for every form of each: the comment, the check run (summary and
// annotations), the step summary, stdout and stderr (the log), the
// GITHUB_OUTPUT file and the JSON reports under .dnsparity/. Real BIND,
// GitHub faked.
func TestActionSecretsNeverLeak(t *testing.T) {
	lab.Require(t, "named")
	e := newActionEnv(t)
	old := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "acme.test.", Text: acmeZone}}, TSIG: leakTSIG, AllowUpdate: true})
	// A broken provider API that quotes what it was sent in its error.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := r.Header.Get("X-API-Key")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "bad request: key %s (base64 %s, url %s) rejected", k, base64.StdEncoding.EncodeToString([]byte(k)), url.QueryEscape(k))
	}))
	t.Cleanup(echo.Close)
	secrets := []string{leakTSIG.Secret, leakAPI, leakAWS, botToken}
	e.env["OLD_TSIG_SECRET"] = leakTSIG.Secret
	e.env["PDNS_API_KEY"] = leakAPI
	e.env["AWS_SECRET_ACCESS_KEY"] = leakAWS
	e.env["INPUT_COMMAND"] = "pr"

	zoneDir := filepath.Join(e.ws, "zones")
	if err := os.MkdirAll(zoneDir, 0o755); err != nil {
		t.Fatal(err)
	}
	zoneFile := "zones/acme.test.zone"
	writeZone := func(extra string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(e.ws, zoneFile), []byte(acmeZone+extra), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// writeConfig names the old provider (BIND, TSIG) and a new one: the
	// same BIND, or the API that quotes its key (echo).
	writeConfig := func(apiKeyEnv string, echoNew bool) {
		t.Helper()
		newSide := fmt.Sprintf("{type: rfc2136, server: '%[1]s', nameservers: ['%[1]s'], tsig: {name: update-key., secret_env: OLD_TSIG_SECRET}}", old.Addr)
		if echoNew {
			newSide = fmt.Sprintf("{type: powerdns, url: '%s', api_key_env: %s, nameservers: ['%s']}", echo.URL, apiKeyEnv, old.Addr)
		}
		cfg := fmt.Sprintf(`zones:
  - name: acme.test.
    file: %s
providers:
  old: {type: rfc2136, server: '%[2]s', nameservers: ['%[2]s'], tsig: {name: update-key., algorithm: hmac-sha256, secret_env: OLD_TSIG_SECRET}}
  new: %[3]s
parity:
  retries: 0
  timeout: 500ms
  axfr: true
`, zoneFile, old.Addr, newSide)
		if err := os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	txt := func(s string) string { return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) }
	// Zone content: each secret, and forms of it, in TXT records that the
	// plan and parity quote.
	var planted strings.Builder
	for i, s := range secrets {
		fmt.Fprintf(&planted, "s%d TXT \"%s\" \"%s\" \"%s\"\n", i, txt(s), base64.StdEncoding.EncodeToString([]byte(s)), url.QueryEscape(s))
	}

	check := func(t *testing.T, o actionOut, secrets ...string) {
		t.Helper()
		findLeaks(t, "stdout (log)", o.stdout, secrets...)
		findLeaks(t, "stderr (log)", o.stderr, secrets...)
		findLeaks(t, "step summary", o.summary, secrets...)
		findLeaks(t, "GITHUB_OUTPUT", o.rawOut, secrets...)
		for _, c := range e.gh.Comments(42) {
			findLeaks(t, "comment", c.Body, secrets...)
		}
		for _, cr := range e.gh.CheckRuns() {
			findLeaks(t, "check run", cr.Title+"\n"+cr.Summary, secrets...)
			for _, a := range cr.Annotations {
				findLeaks(t, "annotation", a.Path+" "+a.Title+" "+a.Message, secrets...)
			}
		}
		reports, _ := filepath.Glob(filepath.Join(e.ws, ".dnsparity", "*.json"))
		for _, p := range reports {
			b, _ := os.ReadFile(p)
			findLeaks(t, "JSON report "+filepath.Base(p), string(b), secrets...)
		}
	}

	// A secret in what a run shows anyway (the zone file's path, a
	// record) would be shown by where its mask falls, and the file is
	// in git for anyone to read: the run is refused before it sends or
	// prints anything (config.PublicSecretError), naming no value.
	refused := func(t *testing.T, o actionOut) {
		t.Helper()
		if o.code != exitError || !strings.Contains(o.summary, "stands in what a run shows anyway") {
			t.Errorf("exit %d, want 2 refusing a secret in public text:\n%s", o.code, o.summary)
		}
		if strings.Contains(o.summary, "***") {
			t.Errorf("a mask fell in public text:\n%s", o.summary)
		}
	}
	t.Run("zone content", func(t *testing.T) {
		writeConfig("", false)
		writeZone(planted.String())
		o := e.run(t)
		refused(t, o)
		check(t, o, secrets...)
	})

	t.Run("file path", func(t *testing.T) {
		zoneFile = "zones/" + botToken + ".zone" // a path that holds the token
		defer func() { zoneFile = "zones/acme.test.zone" }()
		writeConfig("", false)
		writeZone("")
		o := e.run(t)
		refused(t, o)
		check(t, o, secrets...)
	})

	t.Run("a server's error text", func(t *testing.T) {
		writeConfig("PDNS_API_KEY", true)
		writeZone("")
		o := e.run(t)
		if !strings.Contains(o.summary, report.MarkdownText("bad request: key *** (base64 ***, url ***) rejected")) {
			t.Errorf("the test plants nothing: the provider's error is not in the report:\n%s", o.summary)
		}
		check(t, o, secrets...)
	})

	t.Run("a secret in a broken record", func(t *testing.T) {
		writeConfig("", false)
		writeZone("bad1 A " + leakAPI + "\nbad2 MX 10 " + botToken + " extra\n")
		o := e.run(t)
		refused(t, o)
		check(t, o, secrets...)
	})

	t.Run("a secret pasted into a *_env key", func(t *testing.T) {
		writeConfig(leakPAT, true)
		writeZone("")
		o := e.run(t)
		if !strings.Contains(o.summary, "api&#95;key&#95;env") || !strings.Contains(o.summary, "not set") {
			t.Errorf("want the unset variable reported:\n%s", o.summary)
		}
		check(t, o, append(secrets, leakPAT)...)
	})
}

// TestActionPullRequestUsesBaseConfig: on a pull request, the provider
// settings come from the base branch's dnsparity.yaml: a pull request that
// points a provider at its own URL (and names the TSIG secret's variable
// as the API key) sends nothing there; check and parity run with the
// base's settings and a note says the new ones take effect after merge.
// The base config is read with git from the checkout when it holds the
// base commit, else through the contents API.
func TestActionPullRequestUsesBaseConfig(t *testing.T) {
	e := newLabAction(t, acmeZone, acmeZone)
	e.env["INPUT_COMMAND"] = "pr"
	var stolen []string
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen = append(stolen, r.Method+" "+r.URL.Path+" key="+r.Header.Get("X-API-Key"))
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(evil.Close)
	cfgPath := filepath.Join(e.ws, "dnsparity.yaml")
	base, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	baseText := string(base)
	// (server: goes too: it is not a powerdns key.)
	prText := regexp.MustCompile(`  new:\n    type: rfc2136\n    server: \S+\n`).ReplaceAllString(baseText, fmt.Sprintf("  new:\n    type: powerdns\n    url: %s\n    api_key_env: OLD_TSIG_SECRET\n", evil.URL))
	prText = strings.Replace(prText, "    tsig: {name: update-key., algorithm: hmac-sha256, secret_env: NEW_TSIG_SECRET}\n", "", 1)
	if prText == baseText {
		t.Fatal("the pull request's config is the base's")
	}
	if err := os.WriteFile(cfgPath, []byte(prText), 0o644); err != nil {
		t.Fatal(err)
	}
	comment := func() string {
		cs := e.ownComments("github-actions[bot]")
		if len(cs) == 0 {
			t.Fatal("no comment")
		}
		return cs[len(cs)-1].Body
	}

	t.Run("contents API", func(t *testing.T) {
		e.baseConfig = &baseText
		o := e.run(t)
		body := comment()
		if len(stolen) > 0 {
			t.Errorf("the pull request's URL got %v", stolen)
		}
		if o.code != exitOK || !strings.Contains(body, "| plan | ✅") || !strings.Contains(body, "| parity | ✅") {
			t.Errorf("exit %d: plan and parity did not run with the base's settings:\n%s", o.code, body)
		}
		if !strings.Contains(body, "changes the provider settings") || !strings.Contains(body, "take effect after merge") {
			t.Errorf("no note that the new settings take effect after merge:\n%s", body)
		}
		if leftover, _ := filepath.Glob(filepath.Join(e.ws, ".dnsparity-base-*")); len(leftover) > 0 {
			t.Errorf("merged config left behind: %v", leftover)
		}
	})

	t.Run("no config on the base branch", func(t *testing.T) {
		// A base commit the contents API has no config at.
		e.baseConfig = nil
		e.env["GITHUB_EVENT_PATH"] = writeEvent(t, e.ws, strings.Repeat("2", 40))
		o := e.run(t)
		body := comment()
		if len(stolen) > 0 {
			t.Errorf("the pull request's URL got %v", stolen)
		}
		if !strings.Contains(body, "The base branch has no") || !strings.Contains(body, "| plan | ⏭️") || o.outputs["result"] == "" {
			t.Errorf("want plan and parity skipped with a note:\n%s", body)
		}
	})

	t.Run("git", func(t *testing.T) {
		lab.Require(t, "git")
		git := func(args ...string) string {
			t.Helper()
			out, err := exec.Command("git", append([]string{"-C", e.ws, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("git %v: %v\n%s", args, err, out)
			}
			return strings.TrimSpace(string(out))
		}
		git("init", "-q")
		if err := os.WriteFile(cfgPath, base, 0o644); err != nil {
			t.Fatal(err)
		}
		git("add", "dnsparity.yaml", "zones")
		git("commit", "-q", "-m", "base")
		sha := git("rev-parse", "HEAD")
		if err := os.WriteFile(cfgPath, []byte(prText), 0o644); err != nil {
			t.Fatal(err)
		}
		// The contents API knows nothing of this commit: only git can
		// give the base config.
		e.baseConfig = &prText
		e.env["GITHUB_EVENT_PATH"] = writeEvent(t, e.ws, sha)
		o := e.run(t)
		body := comment()
		if len(stolen) > 0 {
			t.Errorf("the pull request's URL got %v", stolen)
		}
		if o.code != exitOK || !strings.Contains(body, "| plan | ✅") || !strings.Contains(body, "take effect after merge") {
			t.Errorf("exit %d:\n%s", o.code, body)
		}
	})
}

// writeEvent writes a pull_request event whose base commit is base.
func writeEvent(t *testing.T, ws, base string) string {
	t.Helper()
	payload := fmt.Sprintf(`{"action":"synchronize","number":42,"pull_request":{"number":42,"head":{"ref":"x","sha":%q,"repo":{"full_name":"acme/dns","fork":false}},"base":{"ref":"main","sha":%q,"repo":{"full_name":"acme/dns","fork":false}}}}`, headSHA, base)
	p := filepath.Join(ws, "..", filepath.Base(ws)+"-event-"+base[:6]+".json")
	if err := os.WriteFile(p, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServedSecretSplitNeverShown: both providers' servers serve records
// git lacks that hold a secret in pieces under redact.MinCut: the GitHub
// token across the character-strings of the apex TXT record, the TSIG
// secret across the labels of www's CNAME target, across the records
// of split's TXT RRset, across the strings of pct's TXT record, each
// piece percent-encoded in part, and across the quoted pieces of
// quoted's one TXT string. Nothing in git holds
// them, so nothing refuses them; plan and parity quote what the servers
// hold. Every output of the Action (pr, and plan and parity alone) and of
// plan and parity in a step log (text, JSON, Markdown) is read as a reader
// reads it (entities decoded, quotes, blanks, bars and dots taken out):
// no piece of MinCut characters of either secret. Real BIND and Knot,
// GitHub faked.
func TestServedSecretSplitNeverShown(t *testing.T) {
	tsig := strings.TrimRight(pushKey.Secret, "=")
	served := acmeZone + "@ TXT \"" + strings.Join(chunks(botToken, 7), "\" \"") + "\"\n"
	served = strings.Replace(served, "www   CNAME @", "www CNAME "+strings.Join(chunks(tsig, 9), ".")+".acme.test.", 1)
	// And across the records of one RRset, one piece a record, in the
	// order a report sorts them (all of the TSIG secret but its first
	// character): plan --format markdown writes them in one cell, a bar
	// between them escaped &#124;.
	for _, p := range []string{"2VjcmV0L", "WtleS1mb3It", "ZG5zcGFy", "aXR5LXRl", "c3RzLTEyMzQ"} {
		if !strings.Contains(tsig, p) {
			t.Fatalf("%q is no piece of the TSIG secret", p)
		}
		served += "split TXT \"" + p + "\"\n"
	}
	// And across the strings of one TXT record, each piece's second
	// character percent-encoded (a reader decodes it).
	var pct []string
	for _, p := range chunks(tsig, 7) {
		pct = append(pct, p[:1]+fmt.Sprintf("%%%02X", p[1])+p[2:])
	}
	served += "pct TXT \"" + strings.Join(pct, "\" \"") + "\"\n"
	// And in one TXT string that holds the pieces each quoted (its
	// presentation form escapes those quotes: "\"c2VjcmV\" \"0LWtleS\" ...").
	served += "quoted TXT \"\\\"" + strings.Join(chunks(tsig, 7), "\\\" \\\"") + "\\\"\"\n"
	// And in one TXT string that holds the pieces between tabs, and
	// wrapped (a line break and an indent): a record's presentation form
	// writes them \009 and \010, which only reading the string before
	// it is escaped sees as separators (redact.Plain).
	served += "tab TXT \"" + strings.Join(chunks(tsig, 7), `\009`) + "\"\n"
	served += "wrapped TXT \"" + strings.Join(chunks(tsig, 9), `\010\032\032`) + "\"\n"
	e := newLabAction(t, served, served)
	percent := regexp.MustCompile(`%[0-9A-Fa-f]{2}`)
	reader := func(s string) string {
		s = html.UnescapeString(s)
		s = percent.ReplaceAllStringFunc(s, func(m string) string {
			b, _ := hex.DecodeString(m[1:])
			return string(b)
		})
		s = strings.NewReplacer(`\009`, "", `\010`, "", `\032`, "").Replace(s) // a TXT string's tab, line break, blank
		return strings.NewReplacer(`"`, "", " ", "", "|", "", "`", "", `\`, "", ".", "", "\u200d", "").Replace(s)
	}
	leak := func(where, out string) {
		t.Helper()
		if !strings.Contains(out, "TXT") {
			t.Fatalf("%s: the test plants nothing: no TXT record shown:\n%s", where, out)
		}
		if l := redacttest.Leak(reader(out), botToken, tsig); l != "" {
			t.Errorf("%s shows a secret split across strings or labels: %s", where, l)
		}
	}
	for _, command := range []string{"pr", "plan", "parity"} {
		e.env["INPUT_COMMAND"] = command
		o := e.run(t)
		all := e.shown(o, "")
		reports, _ := filepath.Glob(filepath.Join(e.ws, ".dnsparity", "*.json"))
		for _, p := range reports {
			b, _ := os.ReadFile(p)
			all += string(b)
		}
		leak("action "+command, all)
	}
	for _, command := range []string{"plan", "parity"} {
		for _, format := range []string{"text", "json", "markdown"} {
			var stdout, stderr bytes.Buffer
			a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return e.env[k] }, stepLog: true}
			a.main(context.Background(), []string{command, "--config", filepath.Join(e.ws, "dnsparity.yaml"), "--format", format})
			// The step log's secrets are the variables it reads: the
			// TSIG secret.
			if l := redacttest.Leak(reader(stdout.String()+stderr.String()), tsig); l != "" {
				t.Errorf("%s --format %s in a step log shows the TSIG secret split across labels: %s", command, format, l)
			}
		}
	}
}

// chunks is s cut every n bytes.
func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

// TestServedSecretOnTerminal: both providers' servers serve a TXT record
// git lacks that holds the TSIG secret the config reads (whole, and
// split across its strings). Run from a terminal (terminalApp, no step
// log), plan and parity quote what the servers hold: in every format, no
// piece of MinCut characters of the secret is shown, as a reader reads
// the output. Real BIND and Knot.
func TestServedSecretOnTerminal(t *testing.T) {
	tsig := pushKey.Secret
	served := acmeZone + "@ TXT \"" + tsig + "\"\nmx1 TXT \"" + strings.Join(chunks(tsig, 7), "\" \"") + "\"\n"
	e := newLabAction(t, served, served)
	reader := func(s string) string {
		s = html.UnescapeString(s)
		return strings.NewReplacer(`"`, "", " ", "", "|", "", "`", "", `\`, "", "\u200d", "").Replace(s)
	}
	for _, command := range []string{"plan", "parity"} {
		for _, format := range []string{"text", "json", "markdown"} {
			var stdout, stderr bytes.Buffer
			a := terminalApp(&stdout, &stderr, func(k string) string { return e.env[k] }, nil)
			a.main(context.Background(), []string{command, "--config", filepath.Join(e.ws, "dnsparity.yaml"), "--format", format})
			out := stdout.String() + stderr.String()
			if !strings.Contains(out, "TXT") {
				t.Fatalf("%s --format %s: the test plants nothing: no TXT record shown:\n%s", command, format, out)
			}
			if l := redacttest.Leak(reader(out), tsig); l != "" {
				t.Errorf("%s --format %s on a terminal shows the TSIG secret: %s", command, format, l)
			}
		}
	}
}

// TestActionEachOutputHidesServedSecret: the old side serves, at names
// git holds with other text, the TSIG secret the config reads in each
// form a record may carry it: as given, base64, hex, percent-encoded,
// JSON-escaped (\u00XX every other character), split across a TXT
// record's strings after a tab or a no-break space, across the records
// of one RRset, and across a wrapped string's lines. Plan and parity
// quote what the old side holds (parity's findings with the zone file's
// line: annotations). Each output of the Action is read on its own as a
// reader reads it (entities, percent and \u escapes decoded, a record's
// \DDD separators, quotes, blanks and bars taken out): the PR comment,
// the check run's summary and each annotation, the step summary,
// $GITHUB_OUTPUT, the log and the JSON report show no piece of MinCut
// characters of the secret, of its base64 or of its hex. Real BIND and
// Knot, GitHub faked.
func TestActionEachOutputHidesServedSecret(t *testing.T) {
	tsig := strings.TrimRight(pushKey.Secret, "=")
	b64 := base64.StdEncoding.EncodeToString([]byte(tsig))
	var pct, jsonEsc strings.Builder
	for i := range len(tsig) {
		fmt.Fprintf(&pct, "%%%02X", tsig[i])
		if i%2 == 0 {
			fmt.Fprintf(&jsonEsc, `\\u%04x`, tsig[i]) // \\ in the zone file: one backslash in the string
		} else {
			jsonEsc.WriteByte(tsig[i])
		}
	}
	forms := map[string]string{
		"given":  `"` + tsig + `"`,
		"base64": `"` + b64 + `"`,
		"hex":    `"` + hex.EncodeToString([]byte(tsig)) + `"`,
		"pct":    `"` + pct.String() + `"`,
		"json":   `"key ` + jsonEsc.String() + ` refused"`,
		"tab":    `"` + strings.Join(chunks(tsig, 7), `\009" "`) + `"`,
		"nbsp":   `"` + strings.Join(chunks(tsig, 7), `\194\160" "`) + `"`,
		"lines":  `"` + strings.Join(chunks(tsig, 9), `\010\032\032`) + `"`,
	}
	git, old := acmeZone, acmeZone
	for name, rdata := range forms {
		git += name + " TXT \"none\"\n"
		old += name + " TXT " + rdata + "\n"
	}
	git += "split TXT \"none\"\n"
	for _, p := range chunks(tsig, 8) {
		old += "split TXT \"" + p + "\"\n"
	}
	e := newLabAction(t, old, git)
	e.writeZone(t, git)
	percent := regexp.MustCompile(`%[0-9A-Fa-f]{2}`)
	uesc := regexp.MustCompile(`\\+u00([0-9A-Fa-f]{2})`)
	ddd := regexp.MustCompile(`\\+(009|010|032|194\\+160)`)
	reader := func(s string) string {
		for range 2 { // Markdown's entities over a record's escapes
			s = html.UnescapeString(s)
		}
		s = percent.ReplaceAllStringFunc(s, func(m string) string {
			b, _ := hex.DecodeString(m[1:])
			return string(b)
		})
		s = uesc.ReplaceAllStringFunc(s, func(m string) string {
			n, _ := strconv.ParseUint(m[len(m)-2:], 16, 8)
			return string(rune(n))
		})
		s = ddd.ReplaceAllString(s, "")
		return strings.NewReplacer(`"`, "", " ", "", "\u00a0", "", "\n", "", "|", "", "`", "", `\`, "").Replace(s)
	}
	for _, command := range []string{"parity", "plan"} {
		e.env["INPUT_COMMAND"] = command
		o := e.run(t)
		outputs := map[string]string{
			"log":            unmasked(o.stdout + o.stderr),
			"step summary":   o.summary,
			"$GITHUB_OUTPUT": o.rawOut,
		}
		for i, c := range e.gh.Comments(42) {
			outputs[fmt.Sprintf("PR comment %d", i)] = c.Body
		}
		annotated := 0
		for i, cr := range e.gh.CheckRuns() {
			outputs[fmt.Sprintf("check run %d", i)] = cr.Title + "\n" + cr.Summary
			for j, a := range cr.Annotations {
				outputs[fmt.Sprintf("check run %d annotation %d", i, j)] = a.Title + "\n" + a.Message
				annotated++
			}
		}
		reports, _ := filepath.Glob(filepath.Join(e.ws, ".dnsparity", "*.json"))
		for _, p := range reports {
			b, _ := os.ReadFile(p)
			outputs["JSON report "+filepath.Base(p)] = string(b)
		}
		shown := strings.Join(mapValues(outputs), "\n")
		if command == "parity" && (annotated == 0 || !strings.Contains(shown, "split")) {
			t.Fatalf("parity: the test plants nothing: %d annotations:\n%s", annotated, shown)
		}
		for where, out := range outputs {
			if l := redacttest.Leak(reader(out), tsig, b64); l != "" {
				t.Errorf("%s: %s shows the TSIG secret: %s", command, where, l)
			}
		}
	}
}

// mapValues are m's values (in no order).
func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
