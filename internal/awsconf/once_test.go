package awsconf

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// TestProfileReadOncePerStep: the shared files' profile is read once
// for the checks of its secrets (ProfileVars' two Vars) and signed with
// as read then (Load): a credentials file rewritten, removed, or a
// config file that names a role to assume between the checks and the
// signing changes neither the checked values nor what is sent; a new
// resolution (the next step's) reads the files again.
func TestProfileReadOncePerStep(t *testing.T) {
	const (
		creds = "[dev]\naws_access_key_id = AKIA-CHECKED\naws_secret_access_key = checked-secret-0123456789\naws_session_token = checked-session-0123456789\n"
		other = "[dev]\naws_access_key_id = AKIA-OTHER\naws_secret_access_key = other-secret-0123456789\naws_session_token = other-session-0123456789\n"
	)
	for _, c := range []struct {
		name   string
		change func(t *testing.T, home string)
	}{
		{"credentials rewritten", func(t *testing.T, home string) { writeAWS(t, home, "", other) }},
		{"credentials removed", func(t *testing.T, home string) {
			if err := os.Remove(filepath.Join(home, ".aws", "credentials")); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}},
		{"config names a role", func(t *testing.T, home string) {
			writeAWS(t, home, "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = dev\n", "")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			home := isolate(t)
			writeAWS(t, home, "[profile dev]\nregion = eu-west-1\n", creds)
			t.Setenv("AWS_PROFILE", "dev")
			var a config.AWS
			vars := ProfileVars(&a)
			if len(vars) != 2 {
				t.Fatalf("%d vars", len(vars))
			}
			secret, _ := vars[0].Read()
			c.change(t, home) // between the two checks
			session, _ := vars[1].Read()
			if secret != "checked-secret-0123456789" || session != "checked-session-0123456789" {
				t.Fatalf("checked %q and %q, not one reading's", secret, session)
			}
			c.change(t, home) // between the checks and the signing
			cfg, err := Load(context.Background(), a, testPolicy)
			if err != nil {
				t.Fatal(err)
			}
			got, err := cfg.Credentials.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got.AccessKeyID != "AKIA-CHECKED" || got.SecretAccessKey != secret || got.SessionToken != session {
				t.Errorf("signs with %s (session %s), not the keys checked", got.AccessKeyID, got.SessionToken)
			}
			// The next step's resolution reads the files as they are now.
			next := ProfileVars(&a)
			if v, _ := next[0].Read(); v == secret {
				t.Errorf("a new resolution reads %q, the earlier reading's", v)
			}
		})
	}
}
