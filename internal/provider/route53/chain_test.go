package route53_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
)

// fakeSTS answers AssumeRoleWithWebIdentity (the query protocol: a form
// POST, an XML answer) for one role and one token, as GitHub's OIDC token
// reaches STS in an Actions job.
func fakeSTS(t *testing.T, roleARN, token, keyID, secret, session string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		f := r.PostForm
		if f.Get("Action") != "AssumeRoleWithWebIdentity" || f.Get("Version") != "2011-06-15" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>unknown action</Message></Error></ErrorResponse>`)
			return
		}
		if f.Get("RoleArn") != roleARN || f.Get("WebIdentityToken") != token || f.Get("RoleSessionName") == "" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Couldn't retrieve verification key from your identity provider</Message></Error></ErrorResponse>`)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>repo:dnsparity/zones:ref:refs/heads/main</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser><Arn>%s/%s</Arn><AssumedRoleId>AROAEXAMPLE:%s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <SessionToken>%s</SessionToken>
      <SecretAccessKey>%s</SecretAccessKey>
      <Expiration>%s</Expiration>
      <AccessKeyId>%s</AccessKeyId>
    </Credentials>
    <Provider>token.actions.githubusercontent.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>fake-sts</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`, roleARN, f.Get("RoleSessionName"), f.Get("RoleSessionName"), session, secret,
			time.Now().Add(time.Hour).UTC().Format(time.RFC3339), keyID)
	}))
	t.Cleanup(s.Close)
	return s, &calls
}

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
	sts, calls := fakeSTS(t, role, oidc, tmpKey, tmpSec, session)
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
	if calls.Load() == 0 {
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
