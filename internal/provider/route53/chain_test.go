package route53_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/awsconf/awstest"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
)

// TestWebIdentityAndEndpointEnv: no keys in the config, the standard chain
// takes a web identity token (as in GitHub Actions with OIDC) to STS, and
// the endpoint comes from AWS_ENDPOINT_URL_ROUTE_53.
func TestWebIdentityAndEndpointEnv(t *testing.T) {
	const (
		role    = "arn:aws:iam::123456789012:role/dnsparity"
		oidc    = "eyJhbGciOiJSUzI1NiJ9.github-oidc-token.sig"
		tmpKey  = "ASIATEMPORARYKEY01"
		tmpSec  = "temporary-secret-from-sts"
		session = "temporary-session-token"
	)
	sts := awstest.NewSTS(role, oidc, tmpKey, tmpSec, session)
	defer sts.Close()
	r53 := r53test.New(tmpKey, tmpSec)
	r53.SessionToken = session
	r53.PendingPolls = 0
	defer r53.Close()
	r53.AddZone("example.com", false)

	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(oidc), 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1",
		"AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": role, "AWS_ROLE_SESSION_NAME": "dnsparity-test",
		"AWS_ENDPOINT_URL_STS": sts.URL, "AWS_ENDPOINT_URL_ROUTE_53": r53.URL,
	} {
		t.Setenv(k, v)
	}
	p, err := route53.New(context.Background(), &config.Provider{Type: "route53"})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := p.Nameservers(context.Background(), "example.com.")
	if err != nil {
		t.Fatalf("through the web identity chain: %v", err)
	}
	if len(ns) != 4 {
		t.Errorf("nameservers %v", ns)
	}
	if sts.Calls() == 0 {
		t.Error("STS was not asked")
	}
	// A url in the config wins over the environment.
	other := r53test.New(tmpKey, tmpSec)
	defer other.Close()
	other.AddZone("example.com", false)
	p, err = route53.New(context.Background(), &config.Provider{Type: "route53", Settings: &route53.Settings{URL: other.URL}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Nameservers(context.Background(), "example.com."); err != nil {
		t.Fatal(err)
	}
	if other.Count("GetHostedZone") != 1 {
		t.Errorf("url: %s not used", other.URL)
	}
}

// No credentials anywhere: ErrAuth, saying where credentials come from,
// and no request reaches the API.
func TestNoCredentials(t *testing.T) {
	s := r53test.New(keyID, secret)
	defer s.Close()
	dir := t.TempDir()
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"), "AWS_EC2_METADATA_DISABLED": "true"} {
		t.Setenv(k, v)
	}
	p, err := route53.New(context.Background(), &config.Provider{Type: "route53", Settings: &route53.Settings{URL: s.URL}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Nameservers(context.Background(), "example.com.")
	if !errors.Is(err, provider.ErrAuth) || !strings.Contains(err.Error(), "access_key_id_env") {
		t.Errorf("no credentials: %v", err)
	}
	if n := s.Count("ListHostedZonesByName"); n != 0 {
		t.Errorf("%d unsigned requests reached the API", n)
	}
}
