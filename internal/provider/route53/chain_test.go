package route53_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/awsconf/awstest"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
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

	awstest.WebIdentityEnv(t, role, oidc, sts.URL, r53.URL)
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

// TestSessionEchoed: credentials no variable holds (web identity
// exchanged at STS for a session) quoted back by Route 53 in an error
// answer are not in the error: the chain adds them to the run's set on
// the request's context, and awsconf's HTTP client redacts every error
// answer with it before the SDK reads the message.
func TestSessionEchoed(t *testing.T) {
	const (
		role    = "arn:aws:iam::123456789012:role/dnsparity"
		oidc    = "eyJhbGciOiJSUzI1NiJ9.github-oidc-token.sig"
		tmpKey  = "ASIATEMPORARYKEY01"
		tmpSec  = "sts/secret+key/0123456789abcdefGHIJ"
		session = "IQoJb3JpZ2luX2VjE/sts+session/token0123456789=="
	)
	sts := awstest.NewSTS(role, oidc, tmpKey, tmpSec, session)
	defer sts.Close()
	var mu sync.Mutex
	var sent []string
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent = append(sent, r.Header.Get("X-Amz-Security-Token"))
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>session %s refused (secret %s)</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
			url.QueryEscape(r.Header.Get("X-Amz-Security-Token")), tmpSec)
	}))
	defer echo.Close()
	awstest.WebIdentityEnv(t, role, oidc, sts.URL, echo.URL)
	p, err := route53.NewWithRetry(context.Background(), &config.Provider{Type: "route53"}, httpretry.Policy{Attempts: 1, Base: time.Millisecond, Max: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := redact.WithSecrets(context.Background(), &redact.Secrets{})
	_, err = p.Nameservers(ctx, "example.com.")
	mu.Lock()
	planted := slices.Contains(sent, session)
	mu.Unlock()
	if err == nil || !planted || !strings.Contains(err.Error(), "InvalidInput") || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("the test plants nothing: the session sent %v, error %v", planted, err)
	}
	if l := redacttest.Leak(err.Error(), session, tmpSec, url.QueryEscape(session)); l != "" {
		t.Errorf("the error quotes a secret: %s\n%v", l, err)
	}
}
