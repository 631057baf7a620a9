package action

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrailDirOutput: a step that writes the audit trail (sync, push and
// the cutover commands) sets the output trail-dir, the config's
// cutover.state_dir relative to the workspace, which the example
// workflows hand to the commit-trail action and the trail's artifact.
// Before, they named .dnsparity/cutover, the default: with another
// state_dir the commit found "no audit trail in .dnsparity/cutover",
// passed, and the flip's trail was lost with the runner, so the next
// rollback did not know the delegation to restore.
func TestTrailDirOutput(t *testing.T) {
	for _, tc := range []struct {
		command, config, stateDir, want string
	}{
		{"flip", "dnsparity.yaml", "", ".dnsparity/cutover"},
		{"flip", "dnsparity.yaml", "dns/trail", "dns/trail"},
		{"rollback", "dnsparity.yaml", "./trail/", "trail"},
		{"status", "eu/dnsparity.yaml", "st", "eu/st"},
		{"sync", "dnsparity.yaml", "trail", "trail"},
		{"push", "dnsparity.yaml", "trail", "trail"},
		{"check", "dnsparity.yaml", "trail", ""},
	} {
		ws := t.TempDir()
		cfg := "zones:\n  - name: example.test.\n    file: example.test.zone\nproviders:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n"
		if tc.stateDir != "" {
			cfg += "cutover:\n  state_dir: " + tc.stateDir + "\n"
		}
		dir := filepath.Join(ws, filepath.Dir(tc.config))
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(ws, tc.config), []byte(cfg), 0o644)
		os.WriteFile(filepath.Join(dir, "example.test.zone"), []byte("$ORIGIN example.test.\n@ 300 SOA ns h 1 2 3 4 5\n@ 300 NS ns\nns 300 A 192.0.2.1\n"), 0o644)
		outputs := filepath.Join(t.TempDir(), "outputs")
		env := map[string]string{
			"INPUT_COMMAND": tc.command, "INPUT_ZONE": "example.test.", "INPUT_CONFIG": tc.config, "INPUT_COMMENT": "false",
			"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": outputs, "GITHUB_EVENT_NAME": "workflow_dispatch",
		}
		var stdout, stderr bytes.Buffer
		Run(context.Background(), Env{Commands: fakeRunner{"{}", 0}, Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
		b, _ := os.ReadFile(outputs)
		got, found := "", false
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "trail-dir="); ok {
				got, found = v, true
			}
		}
		if got != tc.want || found != (tc.want != "") {
			t.Errorf("%s, %s with state_dir %q: trail-dir %q (set %v), want %q\n%s\n%s", tc.command, tc.config, tc.stateDir, got, found, tc.want, b, stderr.String())
		}
	}
}
