package cutover

import (
	"os/user"
	"testing"
)

func TestActor(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if got := Actor(env(map[string]string{"GITHUB_ACTOR": "octocat", "USER": "someone"})); got != "octocat" {
		t.Errorf("with GITHUB_ACTOR: %q", got)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatalf("os/user: %v", err)
	}
	// Without USER (cron, a container, su -c): the OS user, never "unknown".
	if got := Actor(env(nil)); got != u.Username || got == "unknown" || got == "" {
		t.Errorf("without GITHUB_ACTOR and USER: %q, want the OS user %q", got, u.Username)
	}
}
