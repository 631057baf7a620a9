package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/report"
)

// runCheckCmd runs "dnsparity check ARGS" in-process.
func runCheckCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := a.main(context.Background(), append([]string{"check"}, args...))
	return code, stdout.String(), stderr.String()
}

const checkTestdata = "../../testdata/zones"

// fromRoot is how reports name a file given as path: relative to the
// repository root.
func fromRoot(path string) string { return strings.TrimPrefix(path, "../../") }

func TestCheckExitCodes(t *testing.T) {
	dir := t.TempDir()
	noOrigin := filepath.Join(dir, "zonefile")
	if err := os.WriteFile(noOrigin, []byte("$TTL 300\n@ SOA ns hostmaster 1 2 3 4 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyDir := filepath.Join(dir, "empty")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(checkTestdata, "good", "everything.zone")
	bad := filepath.Join(checkTestdata, "bad", "cname-and-other-data.zone")
	warn := filepath.Join(checkTestdata, "warn", "mx-cname.zone")
	// SPF records receivers evaluate otherwise than meant: warnings, exit 0.
	spfWarn := filepath.Join(dir, "example.test.zone")
	if err := os.WriteFile(spfWarn, []byte("$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n@ TXT \"v=spf1 ptr include=_spf.example.net +all\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // substrings
		noStdout bool
	}{
		{"good file", []string{good}, exitOK, nil, true},
		{"example zones", []string{"../../zones"}, exitOK, nil, true},
		{"bad file", []string{bad}, exitProblem, []string{fromRoot(bad) + ":7: www.example.test.: CNAME and other data", "1 error, 0 warnings"}, false},
		{"warnings only", []string{warn}, exitOK, []string{fromRoot(warn) + ":6: warning: ", "0 errors, 1 warning"}, false},
		{"folder of bad zones", []string{filepath.Join(checkTestdata, "bad")}, exitProblem, []string{"no-soa.zone:3: ", "two-soa.zone:6: "}, false},
		{"SPF warnings only", []string{spfWarn}, exitOK, []string{spfWarn + ":5: warning: example.test. TXT: SPF: ptr: the ptr mechanism SHOULD NOT be published", "include=_spf.example.net is an unknown modifier", "+all passes mail from every host", "0 errors, 1 warning"}, false},
		{"folder of warnings", []string{filepath.Join(checkTestdata, "warn")}, exitOK, []string{"warning: "}, false},
		{"good and bad", []string{good, bad}, exitProblem, []string{fromRoot(bad) + ":7:"}, false},
		{"origin flag", []string{"--origin", "example.test.", noOrigin}, exitProblem, []string{"no NS records"}, false},
		{"flags after the path", []string{noOrigin, "--origin", "example.test.", "--format", "json"}, exitProblem, []string{`"message": "zone example.test. has no NS records`}, false},
		{"double dash", []string{"--origin", "example.test.", "--", noOrigin}, exitProblem, []string{"no NS records"}, false},
		{"flag-like path after double dash", []string{"--", "--format"}, exitError, nil, true},
		{"no origin", []string{noOrigin}, exitError, nil, true},
		{"bad origin flag", []string{"--origin", "bad..name", good}, exitError, nil, true},
		{"missing file", []string{filepath.Join(dir, "nope.zone")}, exitError, nil, true},
		{"folder without zones", []string{emptyDir}, exitError, nil, true},
		{"bad flag", []string{"--nope", good}, exitError, nil, true},
		{"bad format", []string{"--format", "xml", good}, exitError, nil, true},
		{"help", []string{"-h"}, exitOK, []string{"Usage: dnsparity check "}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCheckCmd(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errOut)
			}
			for _, s := range c.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			// The summary is on stdout with the problems; nothing else.
			if lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); c.noStdout && (len(lines) > 1 || lines[0] != "" && !strings.HasPrefix(lines[0], "dnsparity check: ")) {
				t.Errorf("unexpected stdout:\n%s", out)
			}
			if code != exitError && !strings.Contains(out, "dnsparity check: ") && !strings.Contains(strings.Join(c.args, " "), "-h") && !strings.Contains(strings.Join(c.args, " "), "json") {
				t.Errorf("no summary on stdout:\n%s", out)
			}
			if code == exitError && c.name != "help" && errOut == "" {
				t.Error("exit 2 without a message on stderr")
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	bad := filepath.Join(checkTestdata, "warn", "ttl-mismatch.zone")
	for _, c := range []struct {
		args []string
		n    int
	}{
		{[]string{"--format", "json", filepath.Join(checkTestdata, "good", "everything.zone")}, 0},
		{[]string{"--format", "json", bad, filepath.Join(checkTestdata, "bad", "ds-at-apex.zone")}, 2},
	} {
		code, out, _ := runCheckCmd(t, c.args...)
		if code == exitError {
			t.Fatalf("exit %d", code)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &top); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		if len(top) != 1 || top["problems"] == nil {
			t.Fatalf("want exactly {\"problems\":[...]}, got keys %v", top)
		}
		var ps []map[string]any
		if err := json.Unmarshal(top["problems"], &ps); err != nil || ps == nil {
			t.Fatalf("problems is not an array: %s", top["problems"])
		}
		if len(ps) != c.n {
			t.Fatalf("%d problems, want %d: %s", len(ps), c.n, out)
		}
		for _, p := range ps {
			if len(p) != 4 {
				t.Errorf("problem keys %v, want file, line, severity, message", p)
			}
			if _, ok := p["file"].(string); !ok {
				t.Errorf("file: %v", p["file"])
			}
			if l, ok := p["line"].(float64); !ok || l < 1 {
				t.Errorf("line: %v", p["line"])
			}
			if s := p["severity"]; s != "error" && s != "warning" {
				t.Errorf("severity: %v", s)
			}
			if m, ok := p["message"].(string); !ok || m == "" {
				t.Errorf("message: %v", p["message"])
			}
		}
		if c.n == 2 {
			// Errors first, then warnings; each in the order of the
			// arguments, then of the lines.
			if ps[1]["file"] != fromRoot(bad) || ps[1]["line"] != 7.0 || ps[1]["severity"] != "warning" {
				t.Errorf("second problem %v", ps[1])
			}
			if ps[0]["file"] != fromRoot(filepath.Join(checkTestdata, "bad", "ds-at-apex.zone")) || ps[0]["line"] != 6.0 || ps[0]["severity"] != "error" {
				t.Errorf("first problem %v", ps[0])
			}
			if code != exitProblem {
				t.Errorf("exit %d, want 1", code)
			}
		}
	}
}

// TestCheckReportContract: the summary is on stdout with the problems;
// paths are relative to the repository root; exit 2 writes JSON with an
// "error" field; an info line (origin from the SOA owner) is neither an
// error nor a warning; --max-problems bounds the list and keeps the verdict.
func TestCheckReportContract(t *testing.T) {
	dir := t.TempDir()
	noOrigin := filepath.Join(dir, "zonefile")
	if err := os.WriteFile(noOrigin, []byte("$TTL 300\n@ SOA ns hostmaster 1 2 3 4 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCheckCmd(t, "--format", "json", noOrigin)
	var rep struct {
		Problems []any  `json:"problems"`
		Error    string `json:"error"`
	}
	if code != exitError || json.Unmarshal([]byte(out), &rep) != nil || rep.Problems == nil || !strings.Contains(rep.Error, "no origin") {
		t.Errorf("exit 2 without JSON error: exit %d\n%s", code, out)
	}
	code, out, _ = runCheckCmd(t, "--format", "json", "--nope", noOrigin)
	if code != exitError || json.Unmarshal([]byte(out), &rep) != nil || !strings.Contains(rep.Error, "bad command line") {
		t.Errorf("bad flag: exit %d\n%s", code, out)
	}
	code, out, _ = runCheckCmd(t, "--format", "json", "--origin", "bad..name", noOrigin)
	if code != exitError || json.Unmarshal([]byte(out), &rep) != nil || !strings.Contains(rep.Error, "--origin") {
		t.Errorf("bad --origin: exit %d\n%s", code, out)
	}

	soa := filepath.Join(dir, "primary")
	var b strings.Builder
	b.WriteString("$TTL 300\nexample.net. SOA ns1.example.net. hm.example.net. 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "m%d MX 10 nowhere%d\n", i, i)
	}
	b.WriteString("x AAA ::1\n")
	if err := os.WriteFile(soa, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCheckCmd(t, soa)
	if code != exitProblem || !strings.Contains(out, soa+":2: info: origin example.net. taken from the SOA owner") ||
		!strings.HasSuffix(out, "dnsparity check: 1 zone file, 53 records: 1 error, 50 warnings\n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// Errors first; info lines collapsed in Markdown.
	_, md, _ := runCheckCmd(t, "--format", "markdown", soa)
	e, w, d := strings.Index(md, "| error |"), strings.Index(md, "| warning |"), strings.Index(md, "<details><summary>1 info line</summary>")
	if e < 0 || w < e || d < w || !strings.Contains(md[d:], "| info | origin example.net. taken from the SOA owner") {
		t.Errorf("markdown order:\n%s", md)
	}
	code, out, _ = runCheckCmd(t, "--max-problems", "5", soa)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitProblem || len(lines) != 7 || !strings.Contains(lines[0], ":55: unknown RR type AAA") || !strings.Contains(lines[1], ":5: warning: m0.") ||
		!strings.Contains(lines[5], "47 more problems not shown (46 warnings, 1 info line)") ||
		lines[6] != "dnsparity check: 1 zone file, 53 records: 1 error, 50 warnings (47 not shown: --max-problems)" {
		t.Errorf("--max-problems 5: exit %d:\n%s", code, out)
	}
}

func TestCheckMarkdown(t *testing.T) {
	code, out, _ := runCheckCmd(t, "--format", "markdown", filepath.Join(checkTestdata, "bad", "two-cnames.zone"))
	if code != exitProblem {
		t.Fatalf("exit %d", code)
	}
	for _, s := range []string{"| File | Line | Severity | Message |", "| 7 | error | " + report.MarkdownText("www.example.test.: multiple CNAME records")} {
		if !strings.Contains(out, s) {
			t.Errorf("markdown lacks %q:\n%s", s, out)
		}
	}
	_, out, _ = runCheckCmd(t, "--format", "markdown", "../../zones")
	if !strings.Contains(out, "no problems") {
		t.Errorf("clean markdown: %s", out)
	}
}

// TestCheckDefaults: with no PATH, check reads the zones of dnsparity.yaml
// (with their names as origins), else zones/.
func TestCheckDefaults(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(checkTestdata, "bad", "no-soa.zone"))
	if err != nil {
		t.Fatal(err)
	}
	noOrigin := strings.Replace(string(src), "$ORIGIN example.test.", "", 1)

	dir := t.TempDir()
	for _, d := range []string{".git", "zones", "dns"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "zones", "example.test.zone"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dns", "primary"), []byte(noOrigin), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, out, errOut := runCheckCmd(t)
	if code != exitProblem || !strings.Contains(out, filepath.Join("zones", "example.test.zone")+":3: ") {
		t.Fatalf("zones/: exit %d\n%s%s", code, out, errOut)
	}
	cfg := "zones:\n  - name: example.test.\n    file: dns/primary\n"
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCheckCmd(t, "--format", "json")
	if code != exitProblem || !strings.Contains(out, "dns/primary") || !strings.Contains(out, "example.test. has no SOA") {
		t.Fatalf("config zones: exit %d\n%s%s", code, out, errOut)
	}
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte("zones: [{nme: x}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCheckCmd(t); code != exitError || errOut == "" {
		t.Fatalf("bad config: exit %d, %s", code, errOut)
	}
}

// TestCheckUnknownTypes: check reads no secret and calls no provider,
// but a provider or registrar type no package registers is a bad config
// it can tell without either (exit 2, the key's line): plan, push and the
// cutover said so, and a pull request from a fork runs check alone.
func TestCheckUnknownTypes(t *testing.T) {
	for _, c := range []struct{ name, cfg, want string }{
		{"provider", "providers:\n  old:\n    type: cloudflar\n", `dnsparity.yaml:6: providers.old: unknown type "cloudflar"`},
		{"registrar", "registrar:\n  type: carrier-pigeon\n", `dnsparity.yaml:5: registrar: unknown type "carrier-pigeon"`},
		{"known", "providers:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:53\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := checkWithConfig(t, c.cfg)
			if c.want == "" {
				if code != exitOK {
					t.Fatalf("exit %d, want 0\n%s%s", code, out, errOut)
				}
				return
			}
			if code != exitError || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d, want 2 and %q\n%s%s", code, c.want, out, errOut)
			}
		})
	}
}

// checkWithConfig runs check in a repository holding a clean zone
// example.test. and a config naming it, followed by more (what the case
// is about): exit code, stdout, stderr.
func checkWithConfig(t *testing.T, more string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n"
	if err := os.WriteFile(filepath.Join(dir, "example.test.zone"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "zones:\n  - name: example.test.\n    file: example.test.zone\n" + more
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return runCheckCmd(t)
}

// TestCheckBadProviderKeys: a provider key whose value no run can use
// (an rfc2136 server given as a name, a flavor not known, an API url
// that is not http(s)) and a TSIG algorithm not known are a bad config
// that check tells, with the file and line of the key, without a secret:
// check passed them (exit 0) and plan said "providers.new: rfc2136:
// server: ..." with no file or line; the TSIG algorithm came without
// its line.
func TestCheckBadProviderKeys(t *testing.T) {
	for _, c := range []struct{ name, cfg, want string }{
		{"server", "providers:\n  new:\n    type: rfc2136\n    flavor: bind\n    server: ns1.new.example\n", `dnsparity.yaml:8: providers.new: server: "ns1.new.example" is not an IP address`},
		{"flavor", "providers:\n  new:\n    type: rfc2136\n    server: 127.0.0.1:53\n    flavor: bnid\n", `dnsparity.yaml:8: providers.new: flavor "bnid" is not one of`},
		{"url", "providers:\n  old:\n    type: powerdns\n    url: 127.0.0.1:8081\n", `dnsparity.yaml:7: providers.old: url "127.0.0.1:8081" is not an http(s) URL`},
		{"tsig", "providers:\n  new:\n    type: rfc2136\n    server: 127.0.0.1:53\n    tsig: {name: k., algorithm: hmac-sha265, secret_env: K}\n", `dnsparity.yaml:8: providers.new: tsig: unknown algorithm "hmac-sha265"`},
		{"env", "providers:\n  old:\n    type: powerdns\n    url: http://127.0.0.1:8081\n    api_key_env: not-a-name\n", `dnsparity.yaml:8: providers.old: api_key_env is not an environment variable name`},
		// The parent registrar without its zone passed check and status,
		// and flip said "registrar parent: registrar.zone: the parent zone
		// is required", with no line.
		{"parent zone", "providers:\n  parent:\n    type: rfc2136\n    server: 127.0.0.1:53\nregistrar:\n  type: parent\n  provider: parent\n", `dnsparity.yaml:8: registrar: zone: the parent zone is required`},
		{"parent server", "registrar:\n  type: parent\n  zone: test.\n", `dnsparity.yaml:4: registrar: provider: name a provider (registrar.provider) or an rfc2136 server (registrar.server)`},
		{"parent provider type", "providers:\n  parent:\n    type: ns1\n    api_key_env: K\nregistrar:\n  type: parent\n  zone: test.\n  provider: parent\n", `dnsparity.yaml:11: registrar: provider: "parent" is of type ns1: the parent registrar changes the parent zone through a provider of type powerdns or rfc2136 only`},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := checkWithConfig(t, c.cfg)
			if code != exitError || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d, want 2 and %q\n%s%s", code, c.want, out, errOut)
			}
		})
	}
}

// TestCheckMarkdownEscaping: zone content quoted in a message (HTML, a
// table cell break, an @mention) and a file name with `|` cannot break
// the Markdown table or reach GitHub as markup.
func TestCheckMarkdownEscaping(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a|<i>.zone")
	zone := "$ORIGIN esc.test.\n$TTL 300\n@ IN SOA ns1 h 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\nbad IN A <b>|x@octocat\n"
	if err := os.WriteFile(p, []byte(zone), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCheckCmd(t, "--format", "markdown", p)
	if code != exitProblem {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	var row string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "| 6 | error |") {
			row = l
		}
	}
	if row == "" {
		t.Fatalf("no row for line 6:\n%s", out)
	}
	// Five cell borders: the | of the file name and of the record are
	// escaped, not borders.
	if n := strings.Count(strings.ReplaceAll(row, `\|`, ""), "|"); n != 5 {
		t.Errorf("row has %d cell borders, want 5: %s", n, row)
	}
	for _, bad := range []string{"<b>", "@octocat", "|x"} {
		if strings.Contains(row, bad) {
			t.Errorf("row holds %q unescaped: %s", bad, row)
		}
	}
	if !strings.Contains(row, "&lt;b&gt;&#124;x") {
		t.Errorf("row lacks the escaped record text: %s", row)
	}
}

// TestCheckMailRecords: a zone file whose SPF record does not parse fails
// check (exit 1), the problem named FILE:LINE on the record's line, in
// text and JSON alike.
func TestCheckMailRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "example.test.zone")
	text := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\n" +
		"@ TXT \"v=spf1 mx ip4:192.0.2.300 -all\"\n" + // line 6
		"_dmarc TXT \"v=DMARC1; p=reject\"\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCheckCmd(t, path)
	if code != exitProblem {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, exitProblem, out, errOut)
	}
	want := "example.test.zone:6: example.test. TXT: SPF evaluation fails (permerror): the SPF record at example.test does not parse"
	if !strings.Contains(out, want) || !strings.Contains(out, "1 error, 0 warnings") {
		t.Errorf("stdout lacks %q and the count:\n%s", want, out)
	}
	code, out, _ = runCheckCmd(t, "--format", "json", path)
	var rep report.CheckJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitProblem {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if len(rep.Problems) != 1 || !strings.HasSuffix(rep.Problems[0].File, "example.test.zone") || rep.Problems[0].Line != 6 || rep.Problems[0].Severity != "error" {
		t.Errorf("JSON problems %+v, want one error on line 6 of example.test.zone", rep.Problems)
	}
}

// TestCheckStepLogNoWorkflowCommand: run from a workflow's script
// (GITHUB_ACTIONS=true), check prints zone files' names and what they
// hold, both the pull request's: no line of its output is a workflow
// command, whatever a file is called (a zone file named
// "::add-mask::….zone" at the root, checked as ".") or holds.
func TestCheckStepLogNoWorkflowCommand(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // files named relative to the working directory, as in a checkout
	zone := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 host 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nx CNAME ns1\nx A 192.0.2.2\n"
	for _, name := range []string{"::add-mask::example.com.zone", "  ::stop-commands::tok.zone", "##[error]x.zone"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(zone), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"text", "json", "markdown"} {
		var stdout, stderr bytes.Buffer
		a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, stepLog: true}
		if code := a.main(context.Background(), []string{"check", "--origin", "example.com.", "--format", format, "."}); code != exitProblem {
			t.Fatalf("%s: exit %d, want %d\n%s%s", format, code, exitProblem, stdout.String(), stderr.String())
		}
		if !strings.Contains(stdout.String(), "add-mask") {
			t.Fatalf("%s: the files are not reported:\n%s", format, stdout.String())
		}
		for _, l := range strings.FieldsFunc(stdout.String()+stderr.String(), func(r rune) bool { return r == '\n' || r == '\r' }) {
			if strings.HasPrefix(strings.TrimSpace(l), "::") || strings.Contains(l, "##[") {
				t.Errorf("%s: a workflow command: %q", format, l)
			}
		}
	}
}

// TestUnknownTypeEveryCommand: a provider or registrar type no package
// registers ("rfc2316" for rfc2136) is a bad config for every command that
// reads dnsparity.yaml, before it does anything (exit 2, the key's line,
// the type meant): check, plan and the cutover said so, but parity ran and
// passed (exit 0) on the nameservers alone, and matrix, ttl and an import
// from the other provider ran as if the config were sound.
func TestUnknownTypeEveryCommand(t *testing.T) {
	const newSide = "  new:\n    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: [127.0.0.1:1]\n"
	for _, c := range []struct {
		name string
		cfg  string // after the zones
		want string
	}{
		{"typo", "providers:\n  old:\n    type: rfc2316\n    nameservers: [127.0.0.1:1]\n" + newSide,
			`dnsparity.yaml:6: providers.old: unknown type "rfc2316" (known: cloudflare, cloudns, dnsmadeeasy, ns1, powerdns, rfc2136, route53); did you mean rfc2136?`},
		{"case", "providers:\n  old:\n    type: Rfc2136\n    nameservers: [127.0.0.1:1]\n" + newSide,
			`dnsparity.yaml:6: providers.old: unknown type "Rfc2136" (known: cloudflare, cloudns, dnsmadeeasy, ns1, powerdns, rfc2136, route53); did you mean rfc2136? (types are lower case)`},
		{"registrar", "providers:\n" + newSide + "registrar:\n  type: carrier-pigeon\n", `dnsparity.yaml:10: registrar: unknown type "carrier-pigeon"`},
	} {
		for _, args := range [][]string{
			{"check"}, {"parity", "--timeout", "100ms", "--retries", "0"}, {"matrix"}, {"ttl", "--cap", "300"},
			{"import", "--provider", "new", "--zone", "example.test.", "-o", "imported.zone"}, {"plan"},
		} {
			t.Run(args[0]+"/"+c.name, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
					t.Fatal(err)
				}
				src := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\n"
				cfg := "zones:\n  - name: example.test.\n    file: example.test.zone\n" + c.cfg
				for name, text := range map[string]string{"example.test.zone": src, "dnsparity.yaml": cfg} {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				t.Chdir(dir)
				var stdout, stderr bytes.Buffer
				a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
				code := a.main(context.Background(), args)
				if code != exitError || !strings.Contains(stderr.String(), c.want) {
					t.Errorf("exit %d, want 2 and %q\n%s%s", code, c.want, stdout.String(), stderr.String())
				}
				if b, _ := os.ReadFile(filepath.Join(dir, "example.test.zone")); string(b) != src {
					t.Errorf("the zone file changed:\n%s", b)
				}
			})
		}
	}
}
