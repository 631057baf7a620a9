package awsconf

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/dnsparity/dnsparity/internal/awsconf/awstest"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// containerJSON is the container credential provider's answer (the
// documented format: AccessKeyId, SecretAccessKey, Token, Expiration).
func containerJSON(keyID string) []byte {
	b, _ := json.Marshal(map[string]string{"AccessKeyId": keyID, "SecretAccessKey": "container-secret",
		"Token": "container-session", "Expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
	return b
}

// fakeContainer is a container credentials endpoint (an EKS Pod Identity
// agent, an ECS agent): a GET carrying the authorization token gets the
// credentials, anything else 401.
func fakeContainer(t *testing.T, token, keyID string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodGet || r.Header.Get("Authorization") != token {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"code":"AccessDenied","message":"bad token"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(containerJSON(keyID))
	}))
	t.Cleanup(s.Close)
	return s, &calls
}

// TestChainPrecedence: with every link configured the first wins, and the
// links after it are not asked. Each row configures its link and all
// those after it.
func TestChainPrecedence(t *testing.T) {
	const (
		role      = "arn:aws:iam::123456789012:role/dnsparity"
		oidc      = "eyJhbGciOiJSUzI1NiJ9.github-oidc-token.sig"
		authToken = "container-authorization-token"
	)
	sts := awstest.NewSTS(role, oidc, "ASIA-STS", "sts-secret", "sts-session")
	defer sts.Close()
	ctr, ctrCalls := fakeContainer(t, authToken, "ASIA-CONTAINER")
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(oidc), 0o600); err != nil {
		t.Fatal(err)
	}
	links := []struct {
		name         string
		set          func(t *testing.T, home string, a *config.AWS)
		key, session string
	}{
		{"dnsparity.yaml", func(t *testing.T, home string, a *config.AWS) {
			a.AccessKeyID, a.SecretAccessKey, a.SessionToken = "AKIA-YAML", "yaml-secret", "yaml-session"
		}, "AKIA-YAML", "yaml-session"},
		{"environment", func(t *testing.T, home string, a *config.AWS) {
			setenv(t, map[string]string{"AWS_ACCESS_KEY_ID": "AKIA-ENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-session"})
		}, "AKIA-ENV", "env-session"},
		{"web identity", func(t *testing.T, home string, a *config.AWS) {
			setenv(t, map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": role,
				"AWS_ROLE_SESSION_NAME": "dnsparity-test", "AWS_ENDPOINT_URL_STS": sts.URL})
		}, "ASIA-STS", "sts-session"},
		{"profile", func(t *testing.T, home string, a *config.AWS) {
			writeAWS(t, home, "[profile dev]\nregion = eu-west-1\n", "[dev]\naws_access_key_id = AKIA-PROFILE\naws_secret_access_key = profile-secret\naws_session_token = profile-session\n")
			t.Setenv("AWS_PROFILE", "dev")
		}, "AKIA-PROFILE", "profile-session"},
		{"container", func(t *testing.T, home string, a *config.AWS) {
			setenv(t, map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": ctr.URL + "/v1/credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN": authToken})
		}, "ASIA-CONTAINER", "container-session"},
	}
	for i, link := range links {
		t.Run(link.name, func(t *testing.T) {
			home := isolate(t)
			var a config.AWS
			for _, l := range links[i:] {
				l.set(t, home, &a)
			}
			stsBefore, ctrBefore := sts.Calls(), ctrCalls.Load()
			cfg, err := Load(context.Background(), a, testPolicy)
			if err != nil {
				t.Fatal(err)
			}
			// What a link retrieves is registered with the run's
			// redaction (the context of the signed request).
			var set redact.Secrets
			ctx := redact.WithSecrets(context.Background(), &set)
			c, err := cfg.Credentials.Retrieve(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if c.AccessKeyID != link.key || c.SessionToken != link.session {
				t.Errorf("credentials %s (session %s), want %s (%s)", c.AccessKeyID, c.SessionToken, link.key, link.session)
			}
			added := set.Values()
			if !slices.Contains(added, c.SecretAccessKey) || !slices.Contains(added, c.SessionToken) {
				t.Errorf("secret and session not registered with the redaction: %q", added)
			}
			// So is the bearer token a link sent for them.
			if sent := map[string]string{"web identity": oidc, "container": authToken}[link.name]; sent != "" && !slices.Contains(added, sent) {
				t.Errorf("the token the %s link sent is not registered with the redaction: %q", link.name, added)
			}
			if asked := sts.Calls() - stsBefore; (link.name == "web identity") != (asked > 0) {
				t.Errorf("STS asked %d times", asked)
			}
			if link.name == "web identity" && sts.SessionName() != "dnsparity-test" {
				t.Errorf("role session name %q, want AWS_ROLE_SESSION_NAME's", sts.SessionName())
			}
			if asked := ctrCalls.Load() - ctrBefore; (link.name == "container") != (asked > 0) {
				t.Errorf("the container endpoint asked %d times", asked)
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		isolate(t)
		cfg, err := Load(context.Background(), config.AWS{}, testPolicy)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cfg.Credentials.Retrieve(context.Background())
		if !errors.Is(err, ErrNoCredentials) || !NoCredentials(err) {
			t.Errorf("no credentials: %v", err)
		}
	})
}

// TestChainVariants: the other ways each link is written.
func TestChainVariants(t *testing.T) {
	const keys = "aws_access_key_id = %s\naws_secret_access_key = a-secret\n"
	tests := []struct {
		name                string
		env                 map[string]string
		config, credentials string
		want                string
	}{
		{name: "AWS_ACCESS_KEY and AWS_SECRET_KEY", env: map[string]string{"AWS_ACCESS_KEY": "AKIA-OLDNAMES", "AWS_SECRET_KEY": "old-names-secret"}, want: "AKIA-OLDNAMES"},
		{name: "the default profile", credentials: "[default]\n" + fmt.Sprintf(keys, "AKIA-DEFAULT"), want: "AKIA-DEFAULT"},
		{name: "AWS_DEFAULT_PROFILE", env: map[string]string{"AWS_DEFAULT_PROFILE": "ci"},
			credentials: "[default]\n" + fmt.Sprintf(keys, "AKIA-DEFAULT") + "[ci]\n" + fmt.Sprintf(keys, "AKIA-CI"), want: "AKIA-CI"},
		{name: "AWS_PROFILE over AWS_DEFAULT_PROFILE", env: map[string]string{"AWS_PROFILE": "dev", "AWS_DEFAULT_PROFILE": "ci"},
			credentials: "[ci]\n" + fmt.Sprintf(keys, "AKIA-CI") + "[dev]\n" + fmt.Sprintf(keys, "AKIA-DEV"), want: "AKIA-DEV"},
		{name: "keys in the config file", env: map[string]string{"AWS_PROFILE": "dev"},
			config: "[profile dev]\n" + fmt.Sprintf(keys, "AKIA-CONFIG"), want: "AKIA-CONFIG"},
		{name: "the credentials file over the config file", env: map[string]string{"AWS_PROFILE": "dev"},
			config: "[profile dev]\n" + fmt.Sprintf(keys, "AKIA-CONFIG"), credentials: "[dev]\n" + fmt.Sprintf(keys, "AKIA-CREDS"), want: "AKIA-CREDS"},
		{name: "[profile default] over [default]", config: "[default]\n" + fmt.Sprintf(keys, "AKIA-PLAIN") + "[profile default]\n" + fmt.Sprintf(keys, "AKIA-PREFIXED"), want: "AKIA-PREFIXED"},
		{name: "a profile's keys over its SSO settings (the SDK's order)", env: map[string]string{"AWS_PROFILE": "dev"},
			config:      "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
			credentials: "[dev]\n" + fmt.Sprintf(keys, "AKIA-KEYS"), want: "AKIA-KEYS"},
		{name: "the environment over an SSO profile", env: map[string]string{"AWS_PROFILE": "dev", "AWS_ACCESS_KEY_ID": "AKIA-ENV", "AWS_SECRET_ACCESS_KEY": "env-secret"},
			config: "[profile dev]\nsso_start_url = https://corp.awsapps.com/start\n", want: "AKIA-ENV"},
		{name: "quoted values, comments, colons", credentials: "# keys\n[default] ; the one\naws_access_key_id: \"AKIA-QUOTED\"  # inline\naws_secret_access_key = 'a-secret'\n", want: "AKIA-QUOTED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := load(t, config.AWS{}, tt.config, tt.credentials, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			c, err := cfg.Credentials.Retrieve(context.Background())
			if err != nil || c.AccessKeyID != tt.want {
				t.Errorf("credentials %s %v, want %s", c.AccessKeyID, err, tt.want)
			}
		})
	}
}

// TestChainRefuses: what the user configured and the chain does not read
// is an error at load naming the variable or FILE:LINE and key, and how
// to export credentials instead; never a value.
func TestChainRefuses(t *testing.T) {
	const secret = "sekrit-do-not-print"
	keys := "aws_access_key_id = AKIA-SOURCE\naws_secret_access_key = " + secret + "\n"
	export := `aws configure export-credentials --profile dev --format env`
	tests := []struct {
		name                string
		env                 map[string]string
		config, credentials string
		want                []string
	}{
		{name: "half a key pair in the environment", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIA-HALF"},
			want: []string{"AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"}},
		{name: "the other half", env: map[string]string{"AWS_SECRET_ACCESS_KEY": secret},
			want: []string{"AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"}},
		{name: "web identity without a role", env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token"},
			want: []string{"AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"}},
		{name: "SSO profile", env: map[string]string{"AWS_PROFILE": "dev"},
			config: "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
			want:   []string{"/.aws/config:2: AWS profile \"dev\" signs in through IAM Identity Center (SSO) (sso_session)", export}},
		{name: "legacy SSO profile", env: map[string]string{"AWS_PROFILE": "dev"},
			config: "[profile dev]\nregion = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n",
			want:   []string{"/.aws/config:3:", "(sso_start_url)", export}},
		{name: "assume-role profile", env: map[string]string{"AWS_PROFILE": "dev"},
			config: "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dns\nsource_profile = base\n", credentials: "[base]\n" + keys,
			want: []string{"/.aws/config:2: AWS profile \"dev\" assumes an IAM role (role_arn)", export}},
		{name: "assume role over the profile's own keys", env: map[string]string{"AWS_PROFILE": "dev"},
			config: "[profile dev]\nsource_profile = dev\nrole_arn = arn:aws:iam::123456789012:role/dns\n", credentials: "[dev]\n" + keys,
			want: []string{"(role_arn)"}},
		{name: "credential_process", env: map[string]string{"AWS_PROFILE": "dev"},
			config: "[profile dev]\ncredential_process = /usr/local/bin/get-creds --secret " + secret + "\n",
			want:   []string{"runs a credential process (credential_process)", export}},
		{name: "console login", env: map[string]string{"AWS_PROFILE": "dev"},
			config: "[profile dev]\nlogin_session = arn:aws:iam::123456789012:user/me\n",
			want:   []string{"(login_session)", export}},
		{name: "a profile AWS_PROFILE names and no file has", env: map[string]string{"AWS_PROFILE": "dev"},
			config: "[dev]\n" + keys, // without "profile " the config file's section is not the profile (as for the SDK)
			want:   []string{`AWS profile "dev" (AWS_PROFILE) is in none of`, "/.aws/config", "/.aws/credentials"}},
		{name: "even with keys in the environment (as for the SDK)", env: map[string]string{"AWS_DEFAULT_PROFILE": "dev", "AWS_ACCESS_KEY_ID": "AKIA-ENV", "AWS_SECRET_ACCESS_KEY": "env-secret"},
			want: []string{`AWS profile "dev" (AWS_DEFAULT_PROFILE) is in none of`}},
		{name: "half a key pair in a profile", credentials: "[default]\naws_secret_access_key = " + secret + "\n",
			want: []string{"/.aws/credentials:2: AWS profile \"default\" has aws_secret_access_key without aws_access_key_id"}},
		{name: "container credentials over plain HTTP to another host", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://creds.example.com/v1"},
			want: []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI: http://creds.example.com: over plain HTTP only a loopback address"}},
		{name: "container credentials with another scheme", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "file:///etc/creds"},
			want: []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI: not a URL with a host"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, config.AWS{}, tt.config, tt.credentials, tt.env)
			if err == nil {
				t.Fatal("loaded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
}

// recorder is an HTTP client that answers every request with the
// container provider's JSON and keeps the request.
type recorder struct{ req *http.Request }

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	r.req = req
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(containerJSON("ASIA-ECS"))), Request: req}, nil
}

// TestContainerRelativeURI: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is
// ECS's address (asked here through a recording client, never the
// network), over the full URI; the token file is read at each refresh
// and wins over the token variable.
func TestContainerRelativeURI(t *testing.T) {
	isolate(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("token-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	setenv(t, map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task-1",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/unused",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":  "token-from-variable", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile})
	rec := &recorder{}
	p, err := container(aws.Config{HTTPClient: rec, Retryer: func() aws.Retryer { return Retryer(testPolicy) }}, &tokens{})
	if err != nil || p == nil {
		t.Fatalf("%v %v", p, err)
	}
	c, err := p.Retrieve(context.Background())
	if err != nil || c.AccessKeyID != "ASIA-ECS" {
		t.Fatalf("%+v %v", c, err)
	}
	if got := rec.req.URL.String(); got != "http://169.254.170.2/v2/credentials/task-1" {
		t.Errorf("asked %s", got)
	}
	if got := rec.req.Header.Get("Authorization"); got != "token-from-file" {
		t.Errorf("authorization %q", got)
	}
}

func TestContainerURI(t *testing.T) {
	for _, tt := range []struct {
		uri string
		ok  bool
	}{
		{"http://127.0.0.1:8080/creds", true},
		{"http://[::1]/creds", true},
		{"http://localhost/creds", true},
		{"http://169.254.170.23/v1/credentials", true},
		{"http://[fd00:ec2::23]/v1/credentials", true},
		{"http://169.254.170.2/creds", true},
		{"https://creds.example.com/v1", true},
		{"http://169.254.169.254/latest", false},
		{"http://10.0.0.1/creds", false},
		{"http://creds.internal/v1", false},
		{"ftp://127.0.0.1/creds", false},
		{"/relative", false},
	} {
		if err := containerURI(tt.uri); (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.uri, err)
		}
	}
}

func TestRegion(t *testing.T) {
	for _, tt := range []struct {
		name, config string
		env          map[string]string
		want         string
	}{
		{"dnsparity.yaml first", "eu-central-1", map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-2"}, "eu-central-1"},
		{"AWS_REGION", "", map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-2"}, "eu-west-1"},
		{"AWS_DEFAULT_REGION", "", map[string]string{"AWS_DEFAULT_REGION": "eu-west-2"}, "eu-west-2"},
		{"us-east-1", "", nil, "us-east-1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := load(t, config.AWS{Region: tt.config}, "", "", tt.env)
			if err != nil || cfg.Region != tt.want {
				t.Errorf("region %q %v, want %q", cfg.Region, err, tt.want)
			}
		})
	}
}

// TestChainTokenEchoed: an exchange that fails with an error quoting the
// token it was sent (STS's AssumeRoleWithWebIdentity, a container
// credentials endpoint) gives an error without the token, though no
// variable holds it (it comes from a file) and the run's set learns it
// only after the exchange: the HTTP client redacts the error answer with
// the tokens the chain read to send. The link registers the token with
// the run's set too, even when the exchange fails.
func TestChainTokenEchoed(t *testing.T) {
	const (
		role   = "arn:aws:iam::123456789012:role/dnsparity"
		oidc   = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmRuc3Bhcml0eSJ9.c2lnbmF0dXJl"
		bearer = "ctr-Bearer-0123456789abcdefghij"
	)
	var mu sync.Mutex
	var echoed []string // what the fakes quoted in their errors
	echo := func(v string) string {
		mu.Lock()
		defer mu.Unlock()
		echoed = append(echoed, strings.TrimSpace(v))
		return v
	}
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>token %s has expired</Message></Error></ErrorResponse>`, echo(r.PostForm.Get("WebIdentityToken")))
	}))
	defer sts.Close()
	ctr := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `{"code":"AccessDenied","message":"token %s refused"}`, echo(r.Header.Get("Authorization")))
	}))
	defer ctr.Close()
	dir := t.TempDir()
	for _, tt := range []struct {
		name, token string
		env         map[string]string
	}{
		{"web identity", oidc, map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": filepath.Join(dir, "oidc"), "AWS_ROLE_ARN": role, "AWS_ENDPOINT_URL_STS": sts.URL}},
		{"container token file", bearer, map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": ctr.URL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": filepath.Join(dir, "bearer")}},
		{"container token variable", bearer, map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": ctr.URL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": bearer}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			setenv(t, tt.env)
			os.WriteFile(filepath.Join(dir, "oidc"), []byte(oidc+"\n"), 0o600)
			os.WriteFile(filepath.Join(dir, "bearer"), []byte(bearer+"\n"), 0o600)
			cfg, err := Load(context.Background(), config.AWS{}, testPolicy)
			if err != nil {
				t.Fatal(err)
			}
			var set redact.Secrets
			ctx := redact.WithSecrets(context.Background(), &set)
			mu.Lock()
			echoed = nil
			mu.Unlock()
			_, err = cfg.Credentials.Retrieve(ctx)
			mu.Lock()
			planted := slices.Contains(echoed, tt.token)
			mu.Unlock()
			if err == nil || !planted || !strings.Contains(err.Error(), "token ***") {
				t.Fatalf("the test plants nothing: the server did not quote the token (%v), or the error not the server's message: %v", planted, err)
			}
			for what, text := range map[string]string{"error": err.Error(), "message": Message(err)} {
				if strings.Contains(text, tt.token) || strings.Contains(text, tt.token[:12]) {
					t.Errorf("the %s quotes the token: %s", what, text)
				}
			}
			if !slices.Contains(set.Values(), tt.token) {
				t.Errorf("the token is not registered with the run's set: %q", set.Values())
			}
		})
	}
}

// TestNoRedirectToOtherOrigin: an AWS endpoint's 307 to another origin
// is not followed. The SDK's client follows a 307 of a GET, and net/http
// keeps the Authorization header for the same host name on another port:
// the container credentials endpoint's authorization token went to
// whatever listened there. A redirect within the origin is still
// followed (the SDK's own rule).
func TestNoRedirectToOtherOrigin(t *testing.T) {
	const bearer = "ctr-Bearer-redirected-0123456789"
	var stolen atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		w.Write(containerJSON("AKIAOTHERORIGIN"))
	}))
	defer other.Close()
	var ctr *httptest.Server
	ctr = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
		case "/here":
			http.Redirect(w, r, ctr.URL+"/creds", http.StatusTemporaryRedirect)
		default:
			if r.Header.Get("Authorization") != bearer {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write(containerJSON("AKIASAMEORIGIN"))
		}
	}))
	defer ctr.Close()
	for _, tt := range []struct {
		path   string
		wantID string // "": retrieving fails
	}{
		{"/away", ""},
		{"/here", "AKIASAMEORIGIN"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			stolen.Store("")
			isolate(t)
			setenv(t, map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": ctr.URL + tt.path, "AWS_CONTAINER_AUTHORIZATION_TOKEN": bearer})
			cfg, err := Load(context.Background(), config.AWS{}, testPolicy)
			if err != nil {
				t.Fatal(err)
			}
			c, err := cfg.Credentials.Retrieve(context.Background())
			if got, _ := stolen.Load().(string); got != "" {
				t.Errorf("another origin got the authorization token %q", got)
			}
			switch {
			case tt.wantID == "" && err == nil:
				t.Errorf("credentials %s from another origin, want an error", c.AccessKeyID)
			case tt.wantID != "" && (err != nil || c.AccessKeyID != tt.wantID):
				t.Errorf("got %q, %v; want %s", c.AccessKeyID, err, tt.wantID)
			}
		})
	}
}
