package action

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
)

const (
	tsigConfig = "providers:\n  old:\n    type: rfc2136\n    tsig: {name_env: OLD_TSIG_NAME, secret_env: OLD_TSIG_SECRET}\n"
	tsigSecret = "c2VjcmV0LXNlY3JldC1zZWNyZXQ="
)

// TestActionTSIGKeyNamedAfterZone: a TSIG key's name (tsig.name_env) is no
// secret, and by a common convention it is the zone's own name (BIND: key
// "example.com."). It used to be masked like the secret (every *_env key's
// value, and every variable with TSIG in its name), so the zone's name was
// *** in the summary, the JSON report and the drift issue, and a -many
// merge refused every shard ("claims a zone the config does not give it:
// ***"). The merge of two drift shards, one of them the zone the key is
// named after, names both zones; the secret is still masked.
func TestActionTSIGKeyNamedAfterZone(t *testing.T) {
	e := newMergeEnv(t)
	cfgText := "zones:\n  - files: zones/*.zone\n" + tsigConfig
	if err := os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	for z, extra := range map[string]string{"a.example.": "www 300 IN A 192.0.2.1\nmail 300 IN A 192.0.2.2\n", "b.example.": ""} {
		text := "$ORIGIN " + z + "\n@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ 3600 IN NS ns1\nns1 3600 IN A 192.0.2.53\n" + extra
		if err := os.WriteFile(filepath.Join(e.ws, "zones", strings.TrimSuffix(z, ".")+".zone"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.LoadIn(e.ws, filepath.Join(e.ws, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	of := shard.ZonesOf(cfg)
	z1, z2 := of(shard.Spec{I: 1, N: 2}), of(shard.Spec{I: 2, N: 2})
	if len(z1) != 1 || len(z2) != 1 {
		t.Fatalf("the split: %v %v", z1, z2)
	}
	e.env["OLD_TSIG_NAME"] = "a.example."
	e.env["OLD_TSIG_SECRET"] = tsigSecret
	rep := func(name, z string) []byte {
		b, _ := json.Marshal(map[string]any{
			"command": "drift", "shard": shard.Info{Name: name, Zones: []string{z}},
			"parts": []part{{"check", "ok", ""}, {"plan", "problems", "drift " + tsigSecret}},
			"plans": []report.PlanZoneJSON{{Provider: "old", Zone: z, Summary: map[string]int{"create": 1},
				Changes: []report.ChangeJSON{{Action: "create", Name: "www." + z, Type: "A"}}}}, "exit": 1,
		})
		return b
	}
	e.put(t, shard.ArtifactName(shard.Spec{I: 1, N: 2}), rep("1/2", z1[0]))
	e.put(t, shard.ArtifactName(shard.Spec{I: 2, N: 2}), rep("2/2", z2[0]))
	code, sum, log := e.run(t)
	if code != cli.ExitProblem {
		t.Errorf("merge of two shards with drift: exit %d, want 1 (drift, every shard whole)", code)
	}
	js, _ := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "drift.json"))
	var body string
	for _, is := range e.gh.Issues() {
		body += is.Body
	}
	for where, s := range map[string]string{"summary": sum, "JSON report": string(js), "drift issue": body} {
		if !strings.Contains(s, "b.example") {
			t.Errorf("%s does not name b.example.:\n%.1200s", where, s)
			continue
		}
		if !strings.Contains(s, "a.example") {
			t.Errorf("%s names b.example. but not a.example. (the TSIG key's name, masked):\n%.1200s", where, s)
		}
		if strings.Contains(s, "claims") {
			t.Errorf("%s: a shard's claim refused:\n%.1200s", where, s)
		}
	}
	var kept []string // the log without the runner's ::add-mask:: commands, which name the secret to mask it
	for _, l := range strings.Split(log, "\n") {
		if !strings.HasPrefix(l, "::add-mask::") {
			kept = append(kept, l)
		}
	}
	if !strings.Contains(log, "::add-mask::"+tsigSecret) {
		t.Errorf("the TSIG secret is not masked in the runner's log")
	}
	for where, s := range map[string]string{"summary": sum, "JSON report": string(js), "drift issue": body, "log": strings.Join(kept, "\n")} {
		if strings.Contains(s, tsigSecret) {
			t.Errorf("%s holds the TSIG secret", where)
		}
	}
}

// TestMaskPlainEnvs: which variables a run masks when the config reads a
// TSIG key's name from OLD_TSIG_NAME. The name is not masked, neither from
// the environment's list nor when a command reads it (maskingGetenv); the
// secret is, both ways. A variable the config names for both, one that
// another config read in the run (the base branch's, in pr) names as a
// secret, and every variable when args name a config of their own, are
// masked as before.
func TestMaskPlainEnvs(t *testing.T) {
	run := func(t *testing.T, cfg, args string, base string) (*invocation, map[string]string) {
		t.Helper()
		ws := t.TempDir()
		if err := os.WriteFile(filepath.Join(ws, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"GITHUB_WORKSPACE": ws, "INPUT_ARGS": args, "OLD_TSIG_NAME": "example.com.", "OLD_TSIG_SECRET": tsigSecret}
		r, err := github.New(func(k string) string { return env[k] }, &bytes.Buffer{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ac := &invocation{r: r, getenv: func(k string) string { return env[k] }, ws: ws, stderr: &bytes.Buffer{}}
		ac.readPlainEnvs()
		ac.maskEnvironment(func() []string { return []string{"OLD_TSIG_NAME=example.com.", "OLD_TSIG_SECRET=" + tsigSecret} })
		ac.maskConfigSecrets()
		if base != "" {
			ac.maskConfig([]byte(base))
		}
		ac.maskingGetenv("OLD_TSIG_NAME")
		ac.maskingGetenv("OLD_TSIG_SECRET")
		return ac, env
	}
	const line = "zone example.com. signed with " + tsigSecret
	for _, c := range []struct {
		name, cfg, args, base string
		nameMasked            bool
	}{
		{"the key's name is no secret", tsigConfig, "", "", false},
		{"named for the secret too", "providers:\n  old:\n    type: rfc2136\n    tsig: {name_env: OLD_TSIG_NAME, secret_env: OLD_TSIG_SECRET}\n  new:\n    type: rfc2136\n    tsig: {name: k., secret_env: OLD_TSIG_NAME}\n", "", "", true},
		{"args name another config", tsigConfig, "--config other.yaml", "", true},
		{"the base branch's config reads it as a secret", tsigConfig, "", "providers:\n  old:\n    type: rfc2136\n    tsig: {name: k., secret_env: OLD_TSIG_NAME}\n", true},
		{"a config that cannot be read", "providers: [", "", "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ac, _ := run(t, c.cfg, c.args, c.base)
			got := ac.r.Redact(line)
			if strings.Contains(got, tsigSecret) {
				t.Errorf("the secret is not masked: %q", got)
			}
			if masked := !strings.Contains(got, "example.com."); masked != c.nameMasked {
				t.Errorf("the key's name masked %v, want %v: %q", masked, c.nameMasked, got)
			}
		})
	}
}

// TestAddMaskEveryForm: the runner masks in the log what ::add-mask::
// gives it, each command's data read back as the runner reads it (%25,
// %0D, %0A: actions/runner's ActionCommand.cs). For a url: password (a
// config's, maskConfig) and a variable's secret, each holding % , : and
// what reads as an escape, the runner's masks hold every form the run
// redacts (redact.Forms: URL-encoded, base64, JSON, ...), the HTTP Basic
// credential net/http sends, padded and not (redact.URLCredentials), and
// no mask is the data's escape rather than the form (a % written as
// %25 and never read back).
func TestAddMaskEveryForm(t *testing.T) {
	const pass, key = "Kx9m%Ab:Qz,7Lp%0A8Vn", "pk_7Hq2%2Fm:Z9w,Xr4L"
	var log bytes.Buffer
	env := map[string]string{"GITHUB_WORKSPACE": t.TempDir(), "PDNS_KEY": key}
	r, err := github.New(func(k string) string { return env[k] }, &log, nil)
	if err != nil {
		t.Fatal(err)
	}
	ac := &invocation{r: r, getenv: func(k string) string { return env[k] }, ws: env["GITHUB_WORKSPACE"], stderr: &bytes.Buffer{}}
	u := "http://admin:" + url.PathEscape(pass) + "@127.0.0.1:8081/"
	ac.maskConfig([]byte("providers:\n  old: {type: powerdns, url: '" + u + "', api_key_env: PDNS_KEY}\n"))
	masks := map[string]bool{}
	unescape := strings.NewReplacer("%25", "%", "%0D", "\r", "%0A", "\n")
	for _, l := range strings.Split(log.String(), "\n") {
		if m, ok := strings.CutPrefix(l, "::add-mask::"); ok {
			masks[unescape.Replace(m)] = true
		}
	}
	for what, forms := range map[string][]string{
		"the url:'s password":    redact.Forms(pass),
		"the url:'s credentials": redact.URLCredentials(u),
		"the variable's key":     redact.Forms(key),
	} {
		for _, f := range forms {
			if !masks[f] {
				t.Errorf("%s: the runner does not mask %q", what, f)
			}
		}
	}
	if len(masks) == 0 {
		t.Fatal("no ::add-mask:: written")
	}
}
