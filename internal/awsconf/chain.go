package awsconf

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// The credential chain. The first link that is configured gives the
// credentials; the order is the AWS SDKs' standard credential provider
// chain ("Understand the credential provider chain",
// https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html)
// as aws-sdk-go-v2/config v1.33.18 orders it (resolve_credentials.go:
// environment keys, web identity from the environment, the profile, then
// the container), after the keys dnsparity.yaml names:
//
//  1. access_key_id_env / secret_access_key_env / session_token_env;
//  2. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY,
//     AWS_SECRET_KEY), AWS_SESSION_TOKEN: what
//     aws-actions/configure-aws-credentials sets;
//  3. AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (and
//     AWS_ROLE_SESSION_NAME): the token exchanged at STS
//     (AssumeRoleWithWebIdentity) for the role's credentials, as GitHub's
//     OIDC and EKS IRSA give it; STS's endpoint follows
//     AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL like any service's;
//  4. the profile (AWS_PROFILE, else AWS_DEFAULT_PROFILE, else default)
//     of the shared credentials and config files: its static keys
//     (aws_access_key_id, aws_secret_access_key, aws_session_token);
//  5. the container provider: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (ECS)
//     or AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity…) with
//     AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE).
//
// A profile that gets its credentials another way (role_arn,
// source_profile, credential_source, web_identity_token_file, sso_*,
// login_session, credential_process) is an error at that link, as is half
// a key pair: what the user configured is never skipped for a later link.
// (A profile AWS_PROFILE names that neither file has is an error at load,
// as for the SDK.) With no link configured (the SDK would ask the EC2
// instance metadata service last) signing fails with ErrNoCredentials.
// Errors name variables, files and keys, never a value.

// ErrNoCredentials: no link of the chain is configured.
var ErrNoCredentials = errors.New("no AWS credentials configured")

// exportHint is how to turn what the chain does not read into what it
// reads.
const exportHint = `export the credentials first: eval "$(aws configure export-credentials --profile %s --format env)"`

// sent collects the bearer tokens a link reads to send (the HTTP client
// redacts them, redacting).
func chain(a config.AWS, cfg aws.Config, p profile, sent *tokens) (aws.CredentialsProvider, error) {
	if a.AccessKeyID.Value() != "" {
		return static(a.AccessKeyID.Value(), a.SecretAccessKey.Value(), a.SessionToken.Value()), nil
	}
	id, idEnv := firstEnv("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY")
	secret, secretEnv := firstEnv("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY")
	switch {
	case id != "" && secret != "":
		token := os.Getenv("AWS_SESSION_TOKEN")
		// Too short to be masked: refused, as the config refuses its
		// own keys (config.ShortSecretError).
		for _, v := range [][2]string{{secretEnv, secret}, {"AWS_SESSION_TOKEN", token}} {
			if redact.TooShort(v[1]) {
				return nil, config.ShortSecretError("the AWS credential chain", v[0])
			}
		}
		return static(id, secret, token), nil
	case id != "":
		return nil, fmt.Errorf("%s is set but AWS_SECRET_ACCESS_KEY is not", idEnv)
	case secret != "":
		return nil, fmt.Errorf("%s is set but AWS_ACCESS_KEY_ID is not", secretEnv)
	}
	if token := os.Getenv("AWS_WEB_IDENTITY_TOKEN_FILE"); token != "" {
		role := os.Getenv("AWS_ROLE_ARN")
		if role == "" {
			return nil, errors.New("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not (the role whose credentials the token is exchanged for)")
		}
		return aws.NewCredentialsCache(registered{stscreds.NewWebIdentityRoleProvider(sts.NewFromConfig(cfg), role,
			tokenFile{path: token, read: sent}, func(o *stscreds.WebIdentityRoleOptions) {
				o.RoleSessionName = os.Getenv("AWS_ROLE_SESSION_NAME")
			}), sent}), nil
	}
	if c, err := p.credentials(); c != nil || err != nil {
		return c, err
	}
	if c, err := container(cfg, sent); c != nil || err != nil {
		return c, err
	}
	return aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, ErrNoCredentials
	})), nil
}

func static(id, secret, token string) aws.CredentialsProvider {
	return aws.NewCredentialsCache(registered{credentials.NewStaticCredentialsProvider(id, secret, token), nil})
}

// registered is a link of the chain that registers what it retrieves, the
// secret key and the session token, with the run's redaction
// (redact.FromContext, on the context of the request being signed): a profile's
// keys, STS's and the container endpoint's are in no variable the run
// masked. Inside the cache, so each is registered when fetched. read, if
// not nil, holds the tokens the link sent for them (the web identity
// token, the container's authorization token), read from files no
// variable holds: they are registered too, whether or not the exchange
// succeeded, before its error (which may quote what the server was sent)
// reaches anything that prints it.
type registered struct {
	aws.CredentialsProvider
	read *tokens
}

func (r registered) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := r.CredentialsProvider.Retrieve(ctx)
	set := redact.FromContext(ctx)
	for _, t := range r.read.all() {
		set.Add(t)
	}
	if err == nil {
		set.Add(c.SecretAccessKey)
		set.Add(c.SessionToken)
	}
	return c, err
}

// tokens are the bearer tokens a link read to send (each once). The
// SDK's token readers take no context, so they note what they read here
// and registered registers it.
type tokens struct {
	mu   sync.Mutex
	seen []string
}

func (t *tokens) add(v string) {
	if t == nil || v == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !slices.Contains(t.seen, v) {
		t.seen = append(t.seen, v)
	}
}

func (t *tokens) all() []string {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.seen)
}

// tokenFile is the web identity token, read from its file at each
// exchange (the issuer rotates it), as stscreds.IdentityTokenFile reads
// it; what it read is noted in read.
type tokenFile struct {
	path string
	read *tokens
}

func (f tokenFile) GetIdentityToken() ([]byte, error) {
	b, err := os.ReadFile(f.path)
	if err != nil {
		return nil, fmt.Errorf("AWS_WEB_IDENTITY_TOKEN_FILE: %w", err)
	}
	f.read.add(strings.TrimSpace(string(b)))
	return b, nil
}

// ProviderSources are the wrapped link's (the SDK's user agent names them).
func (r registered) ProviderSources() []aws.CredentialSource {
	if s, ok := r.CredentialsProvider.(aws.CredentialProviderSource); ok {
		return s.ProviderSources()
	}
	return nil
}

// firstEnv is the first of names that is set, and its name.
func firstEnv(names ...string) (value, name string) {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v, n
		}
	}
	return "", names[0]
}

// unsupported are the profile keys of credential sources the chain does
// not read, in the order the SDK would use them, with what they do.
var unsupported = []struct{ key, what string }{
	{"role_arn", "assumes an IAM role"},
	{"source_profile", "assumes an IAM role"},
	{"credential_source", "assumes an IAM role"},
	{"web_identity_token_file", "exchanges a web identity token file"},
	{"sso_session", "signs in through IAM Identity Center (SSO)"},
	{"sso_start_url", "signs in through IAM Identity Center (SSO)"},
	{"sso_account_id", "signs in through IAM Identity Center (SSO)"},
	{"sso_role_name", "signs in through IAM Identity Center (SSO)"},
	{"login_session", "signs in through the AWS console login"},
	{"credential_process", "runs a credential process"},
}

// credentials are the profile's static keys: nil when the profile has
// none and names no other source.
func (p profile) credentials() (aws.CredentialsProvider, error) {
	if !p.found {
		return nil, nil
	}
	refuse := func(key string, v iniValue, what string) error {
		return fmt.Errorf("%s: AWS profile %q %s (%s); dnsparity reads only the static keys of a profile: %s",
			v.pos, p.name, what, key, fmt.Sprintf(exportHint, p.name))
	}
	// A role to assume wins over keys in the SDK: the keys are the
	// source's, not what the user asked for.
	for _, u := range unsupported[:2] {
		if v, ok := p.get(u.key); ok {
			return nil, refuse(u.key, v, u.what)
		}
	}
	keys := func(sec map[string]iniValue) (aws.CredentialsProvider, error) {
		id, hasID := sec["aws_access_key_id"]
		secret, hasSecret := sec["aws_secret_access_key"]
		switch {
		case hasID && hasSecret:
			for _, k := range []string{"aws_secret_access_key", "aws_session_token"} {
				if v := sec[k]; redact.TooShort(v.value) {
					return nil, fmt.Errorf("%s: AWS profile %q: %s holds a secret of fewer than %d characters, which dnsparity refuses: it could not be masked in what a run prints", v.pos, p.name, k, redact.MinLen)
				}
			}
			return static(id.value, secret.value, sec["aws_session_token"].value), nil
		case hasID:
			return nil, fmt.Errorf("%s: AWS profile %q has aws_access_key_id without aws_secret_access_key", id.pos, p.name)
		case hasSecret:
			return nil, fmt.Errorf("%s: AWS profile %q has aws_secret_access_key without aws_access_key_id", secret.pos, p.name)
		}
		return nil, nil
	}
	if sec := p.keySection(); sec != nil {
		return keys(sec)
	}
	for _, u := range unsupported[2:] {
		if v, ok := p.get(u.key); ok {
			return nil, refuse(u.key, v, u.what)
		}
	}
	return nil, nil
}

// keySection is the section of the profile whose static keys the chain
// reads (credentials: the credentials file's, which win over the config
// file's), the first that holds aws_access_key_id or
// aws_secret_access_key; nil when neither does.
func (p profile) keySection() map[string]iniValue {
	for _, sec := range []map[string]iniValue{p.creds, p.config} {
		_, hasID := sec["aws_access_key_id"]
		_, hasSecret := sec["aws_secret_access_key"]
		if hasID || hasSecret {
			return sec
		}
	}
	return nil
}

// ProfileVars are the secrets of the shared credentials and config
// files' profile that the chain signs with when a has no static keys and
// no earlier link is configured (the environment's keys, a web identity
// token file): its aws_secret_access_key and aws_session_token, read as
// the config's own variables are (config.Var.Read: refused too short or
// standing in what a run shows anyway, and kept for ShownSecret), as
// ChainVars are for the environment link. The chain registers them with
// the run's redaction as it signs (registered); a mask where one of
// them stands in a zone's record would say what it is, so it is
// refused before anything is sent. None when another link gives the
// credentials, or the profile gets them another way (an error at Load).
// The files are read once for both, and their bytes kept in a.Shared,
// which Load then reads instead of the files: a file rewritten between
// the checks and the signing is not sent with a key nobody checked.
func ProfileVars(a *config.AWS) []config.Var {
	if a.AccessKeyIDEnv != "" || a.SecretAccessKeyEnv != "" {
		return nil
	}
	var (
		read bool
		p    profile
		ok   bool
	)
	var out []config.Var
	for _, k := range []string{"aws_secret_access_key", "aws_session_token"} {
		out = append(out, config.Var{Holds: "the secret", Secret: true, Optional: true, Set: func(config.Secret) error { return nil },
			Read: func() (string, string) {
				if !read {
					// A new reading for each resolution (a step's).
					read = true
					p, ok = signingProfile(a)
				}
				if !ok {
					return "", ""
				}
				return profileSecret(p, k)
			}})
	}
	return out
}

// signingProfile is the profile the chain would sign with (ProfileVars),
// its files' bytes as read kept in a.Shared; false when the chain takes
// its keys from an earlier link, or the profile is in no file or gets
// its keys another way.
func signingProfile(a *config.AWS) (profile, bool) {
	a.Shared = nil // none kept from an earlier reading
	for _, env := range []string{"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_WEB_IDENTITY_TOKEN_FILE"} {
		if os.Getenv(env) != "" {
			return profile{}, false
		}
	}
	a.Shared = map[string][]byte{}
	p, err := sharedProfile(a.Shared)
	if err != nil || !p.found {
		return profile{}, false
	}
	for _, u := range unsupported[:2] {
		if _, ok := p.get(u.key); ok {
			return profile{}, false
		}
	}
	return p, true
}

// profileSecret is the key k of p, the profile the chain would sign with
// (signingProfile), and what holds it ("key of AWS profile NAME
// (FILE:LINE)"), or "" when p has no such key.
func profileSecret(p profile, k string) (value, holder string) {
	v, ok := p.keySection()[k]
	if !ok {
		return "", ""
	}
	return v.value, fmt.Sprintf("%s of AWS profile %q (%s)", k, p.name, v.pos)
}

// ecsEndpoint is where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is (ECS).
const ecsEndpoint = "http://169.254.170.2"

// containerHosts are the addresses a plain-HTTP
// AWS_CONTAINER_CREDENTIALS_FULL_URI may name besides loopback: ECS's
// and EKS Pod Identity's ("Container credential provider",
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html).
var containerHosts = []net.IP{net.ParseIP("169.254.170.2"), net.ParseIP("169.254.170.23"), net.ParseIP("fd00:ec2::23")}

// container is the container credential provider, nil when neither
// variable is set.
func container(cfg aws.Config, read *tokens) (aws.CredentialsProvider, error) {
	endpoint := os.Getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI")
	if rel := os.Getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel != "" {
		endpoint = ecsEndpoint + rel
	} else if endpoint == "" {
		return nil, nil
	} else if err := containerURI(endpoint); err != nil {
		return nil, fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI: %w", err)
	}
	token, tokenFile := os.Getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN"), os.Getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
	read.add(token)
	p := endpointcreds.New(endpoint, func(o *endpointcreds.Options) {
		o.AuthorizationToken = token
		if tokenFile != "" {
			// Read at each refresh: the agent rotates it.
			o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					return "", fmt.Errorf("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %w", err)
				}
				t := strings.TrimRight(string(b), "\r\n")
				read.add(t)
				return t, nil
			})
		}
		o.HTTPClient = cfg.HTTPClient
		o.Retryer = cfg.Retryer()
	})
	// Refreshed 5 minutes before they expire, as by the SDK.
	return aws.NewCredentialsCache(registered{p, read}, func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = 5 * time.Minute }), nil
}

// containerURI checks a full URI as the SDK does, except that a host
// name is not looked up: over plain HTTP the host must be a loopback,
// ECS or EKS address written as such, or localhost.
func containerURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" {
		return errors.New("not a URL with a host")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if host == "localhost" {
			return nil
		}
		if ip := net.ParseIP(host); ip != nil {
			if ip.IsLoopback() {
				return nil
			}
			for _, h := range containerHosts {
				if ip.Equal(h) {
					return nil
				}
			}
		}
		return fmt.Errorf("http://%s: over plain HTTP only a loopback address, localhost, 169.254.170.2, 169.254.170.23 or fd00:ec2::23 is allowed", host)
	}
	return fmt.Errorf("scheme %q: want http or https", u.Scheme)
}
