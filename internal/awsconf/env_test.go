package awsconf

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
)

// testPolicy keeps the retries of the tests short.
var testPolicy = httpretry.Policy{Attempts: 2, Base: time.Millisecond, Max: time.Millisecond}

// isolate unsets every AWS_ variable for the test and points HOME, and
// the shared files, at an empty directory, so that nothing of the
// machine's own AWS setup is read; it returns that home.
func isolate(t *testing.T) string {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "") // restored after the test
			os.Unsetenv(k)
		}
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	// The files named outright: the SDK's own defaults are fixed when the
	// process starts, from the HOME then.
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, ".aws", "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, ".aws", "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true") // no instance metadata service is ever asked
	return home
}

// setenv sets the variables for the test.
func setenv(t *testing.T, env map[string]string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// writeAWS writes ~/.aws/config and ~/.aws/credentials under home (an
// empty text writes no file).
func writeAWS(t *testing.T, home, config, credentials string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"config": config, "credentials": credentials} {
		if text == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(home, ".aws", name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// load is Load of a in an isolated environment with these shared files
// and variables.
func load(t *testing.T, a config.AWS, configFile, credentialsFile string, env map[string]string) (aws.Config, error) {
	t.Helper()
	home := isolate(t)
	writeAWS(t, home, configFile, credentialsFile)
	setenv(t, env)
	return Load(context.Background(), a, testPolicy)
}
