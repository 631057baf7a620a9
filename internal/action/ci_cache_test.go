package action

import (
	"strings"
	"testing"
)

// TestWorkflowCIKeepsGoCaches: ci.yml's jobs restore Go's build and module
// caches with actions/setup-go (its cache: on by default, keyed on
// go.sum: `go env GOCACHE` and `go env GOMODCACHE` of the runner's user),
// then run .ci/run and .ci/container-test.sh through sudo, whose
// env_reset sets HOME to root's: without GOCACHE and GOMODCACHE passed on,
// the scripts build every package and fetch every module again into
// /root (measured with sudo 1.9.13: `sudo env "PATH=$PATH" go env GOCACHE
// GOMODCACHE` gave /root/.cache/go-build /root/go/pkg/mod, the caller's
// being $HOME/.cache/go-build $HOME/go/pkg/mod), and the cache setup-go
// saves after the job holds nothing they built.
func TestWorkflowCIKeepsGoCaches(t *testing.T) {
	w, ok := loadWorkflows(t)["ci"]
	if !ok {
		t.Fatal("no .github/workflows/ci.yml")
	}
	checked := 0
	for name, j := range w.Jobs {
		setupGo := false
		for _, s := range j.Steps {
			if strings.HasPrefix(s.Uses, "actions/setup-go@") && s.With["cache"] != false {
				setupGo = true
			}
			run := strings.TrimSpace(s.Run)
			if !setupGo || !strings.HasPrefix(run, "sudo ") {
				continue
			}
			checked++
			for _, v := range []string{`"GOCACHE=$(go env GOCACHE)"`, `"GOMODCACHE=$(go env GOMODCACHE)"`} {
				if !strings.Contains(run, v) {
					t.Errorf("ci.yml job %s: %q runs as root without %s: setup-go's cache is not the one it uses", name, run, v)
				}
			}
		}
	}
	if checked == 0 {
		t.Error("ci.yml: no step runs through sudo after setup-go (the test checks nothing)")
	}
}
