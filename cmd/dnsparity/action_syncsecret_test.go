package main

import (
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestActionSyncZoneErrorAndUnsetSecret: the Action's sync with a zone
// file error (a CNAME beside other data) and the providers' API key unset
// reports both, errors first, as plan, push and parity do
// (push.ZoneFileErrors, then the variable): on the code before, the
// summary named the zone error only, and the run after its fix failed
// again on the variable. Nothing is pushed, and no provider is asked (the
// API's address is one nothing listens on).
func TestActionSyncZoneErrorAndUnsetSecret(t *testing.T) {
	e := newActionEnv(t)
	zoneErrorSecretUnset(t, e, "sync")
	// With the secret set, the zone error alone: push skipped, as before.
	e.env["PDNS_API_KEY"] = "pdns-test-key-0123456789"
	sum := html.UnescapeString(e.run(t).summary)
	if !strings.Contains(sum, "| push | ⏭️ nothing was pushed: the zone files have errors") || strings.Contains(sum, "PDNS_API_KEY") {
		t.Errorf("sync with a zone error, the secret set:\n%s", sum)
	}
}

// TestActionPRZoneErrorAndUnsetSecret: the pull request's report with a
// zone file error and the providers' API key unset names both, the zone
// error first, as sync's does (ux8: pr skipped its plan on a zone error,
// so the unset variable showed only in the run after the fix). No
// provider is asked (the API's address is one nothing listens on).
func TestActionPRZoneErrorAndUnsetSecret(t *testing.T) {
	e := newActionEnv(t)
	sum := zoneErrorSecretUnset(t, e, "pr")
	// The config is named as the reader knows it, not by the file the
	// run wrote with the base branch's settings (gone when they read it).
	if strings.Contains(sum, ".dnsparity-base-") || !strings.Contains(sum, "dnsparity.yaml (its settings from the base branch): providers.old.api_key_env") {
		t.Errorf("the unset variable's message names the run's own file:\n%s", sum)
	}
	// With the secret set, the zone error alone: plan skipped, as before.
	e.env["PDNS_API_KEY"] = "pdns-test-key-0123456789"
	sum = html.UnescapeString(e.run(t).summary)
	if !strings.Contains(sum, "| plan | ⏭️ not run: the zone files have errors") || strings.Contains(sum, "PDNS_API_KEY") {
		t.Errorf("pr with a zone error, the secret set:\n%s", sum)
	}
}

// zoneErrorSecretUnset runs the Action's command with a zone file error
// (a CNAME beside other data) and the providers' API key unset (the
// API's address one nothing listens on), and checks that the summary
// names both, the zone error first, and that the run does not pass. It
// returns the summary as a reader sees it (Markdown escapes _ as &#95;).
func zoneErrorSecretUnset(t *testing.T, e *actionEnv, command string) string {
	t.Helper()
	e.env["PDNS_API_KEY"] = ""
	e.env["INPUT_COMMAND"] = command
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	cfg := "zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n" +
		"  old: {type: powerdns, url: 'http://127.0.0.1:1', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n" +
		"  new: {type: powerdns, url: 'http://127.0.0.1:1', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n"
	os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(e.ws, "zones", "acme.test.zone"), []byte(acmeZone+"www TXT \"x\"\n"), 0o644)
	o := e.run(t)
	sum := html.UnescapeString(o.summary)
	t.Logf("%s: exit %d; summary:\n%s", command, o.code, sum)
	i, j := strings.Index(sum, "CNAME and other data"), strings.Index(sum, "PDNS_API_KEY")
	if i < 0 || j < 0 || j < i {
		t.Errorf("%s: the summary does not name the zone file's CNAME error (at %d) and then the unset PDNS_API_KEY (at %d):\n%s", command, i, j, sum)
	}
	if o.code == 0 {
		t.Errorf("%s: exit 0 with a zone error and a secret unset", command)
	}
	return sum
}
