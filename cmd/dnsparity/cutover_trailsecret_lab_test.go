package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// TestCutoverTrailSecretCLILab: a cutover step run from the command line
// (the runbook's `dnsparity status` and `flip`, whose audit trail is
// committed to git) writes no secret to the trail: here the old provider's
// API answers with an error that quotes the key it was sent, which the
// gates that list the side carry into their details. The Action redacts
// the trail with its secrets; the command line with the secrets the
// config's variables hold.
func TestCutoverTrailSecretCLILab(t *testing.T) {
	l := newCoLab(t)
	key := l.env["OLD_PDNS_KEY"]
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "bad request: key %s rejected", r.Header.Get("X-API-Key"))
	}))
	t.Cleanup(echo.Close)
	l.editConfig(t, l.cfgPath, l.old.APIURL, echo.URL)
	for _, args := range [][]string{{"status"}, {"flip", "--dry-run"}} {
		cmd := args[0]
		_, rep, _ := l.run(t, l.cfgPath, args...)
		b, err := os.ReadFile(l.trailPath())
		if err != nil {
			t.Fatalf("%s: no audit trail: %v (report: %+v)", cmd, err, rep)
		}
		if !strings.Contains(string(b), "bad request: key ***") {
			t.Errorf("%s: the test plants nothing: the provider's error is not in the trail:\n%s", cmd, b)
		}
		for _, f := range redact.Forms(key) {
			if strings.Contains(string(b), f) {
				t.Errorf("%s: the audit trail holds the old provider's API key (form %q)", cmd, f)
			}
		}
	}
}
