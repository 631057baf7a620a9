package awstest

import (
	"os"
	"path/filepath"
)

// T is what WebIdentityEnv needs of a test (a *testing.T).
type T interface {
	Helper()
	TempDir() string
	Setenv(key, value string)
	Fatal(args ...any)
}

// WebIdentityEnv sets, for the test, the environment of a run whose only
// AWS credentials are a web identity token (GitHub's OIDC token in a
// file) for role, exchanged at the STS at stsURL, with Route 53 at
// r53URL: every other source of the SDK's credential chain (keys,
// profiles, shared files, instance metadata) empty.
func WebIdentityEnv(t T, role, token, stsURL, r53URL string) {
	t.Helper()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1",
		"AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": role, "AWS_ROLE_SESSION_NAME": "dnsparity-test",
		"AWS_ENDPOINT_URL_STS": stsURL, "AWS_ENDPOINT_URL_ROUTE_53": r53URL,
	} {
		t.Setenv(k, v)
	}
}
