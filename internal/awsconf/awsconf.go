// Package awsconf builds the AWS SDK configuration that the route53
// provider and the route53domains registrar share: the region, a bounded
// retryer whose waits honour Retry-After, the endpoint settings the
// service clients read, and the credentials, from a small explicit chain
// built on the SDK's own credential packages (see chain.go) instead of
// config.LoadDefaultConfig, whose shared-config machinery (SSO, SSO OIDC,
// console login, credential_process, instance metadata, SigV4a…) the
// binary does not need. What the chain does not read (SSO, assume-role,
// credential_process and console-login profiles, EC2 instance roles) is
// refused with an error that says how to export credentials instead,
// never skipped. README.md lists it all.
package awsconf

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	awsretry "github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httporigin"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// DefaultRegion signs requests to global services (Route 53, Route 53
// Domains) when no region is configured.
const DefaultRegion = "us-east-1"

// Load makes the SDK configuration for a. Nothing is fetched: files are
// read, and credentials are fetched when the first request is signed.
// The shared files are those the checks of their secrets read
// (a.Shared, ProfileVars) when they read them: what is signed is what
// was checked.
func Load(_ context.Context, a config.AWS, pol httpretry.Policy) (aws.Config, error) {
	p, err := sharedProfile(maps.Clone(a.Shared)) // a's own left as the checks left it
	if err != nil {
		return aws.Config{}, fmt.Errorf("AWS configuration: %w", err)
	}
	ep, err := endpointSettings(p)
	if err != nil {
		return aws.Config{}, fmt.Errorf("AWS configuration: %w", err)
	}
	cfg := aws.Config{
		Region:        region(a),
		Retryer:       func() aws.Retryer { return Retryer(pol) },
		APIOptions:    []func(*middleware.Stack) error{countTries},
		BaseEndpoint:  ep.base,
		ConfigSources: []any{ep},
	}
	hc, err := caBundle(p)
	if err != nil {
		return aws.Config{}, fmt.Errorf("AWS configuration: %w", err)
	}
	if hc == nil {
		hc = awshttp.NewBuildableClient() // the SDK's default, one for every client
	}
	hc = sameOrigin(hc)
	sent := &tokens{}
	cfg.HTTPClient = redacting{next: hc, own: Secrets(a), sent: sent}
	if cfg.Credentials, err = chain(a, cfg, p, sent); err != nil {
		return aws.Config{}, fmt.Errorf("AWS credentials: %w", err)
	}
	return cfg, nil
}

// region is the configured region, else AWS_REGION, else
// AWS_DEFAULT_REGION, else DefaultRegion.
func region(a config.AWS) string {
	for _, r := range []string{a.Region, os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION")} {
		if r != "" {
			return r
		}
	}
	return DefaultRegion
}

// redacting is the HTTP client of every AWS API the run calls (Route 53,
// Route 53 Domains, STS, the container credentials endpoint): next with
// every error answer's body redacted before the SDK reads it
// (redact.ErrorBodies), the one place their errors are redacted, as
// provider.HTTPClient does for the other providers. Its own secrets are
// the configured keys and the bearer tokens the chain read to send (the
// web identity token, the container's authorization token): no variable
// holds those, and the run's set on the context learns them only once
// the exchange is over.
type redacting struct {
	next aws.HTTPClient
	own  []string
	sent *tokens
}

func (c redacting) Do(req *http.Request) (*http.Response, error) {
	// Each answer's Date tells a step whose clock is days off
	// (httpretry.WatchDates).
	return httpretry.Dated(redact.ErrorBodies(doer{c.next}, append(slices.Clone(c.own), c.sent.all()...)...)).RoundTrip(req)
}

// sameOrigin is hc following no redirect to another origin (scheme,
// host and port: httporigin.Client), as the other providers' clients and
// GitHub's: the answer itself comes back, an error to the SDK. The SDK's
// client follows a 307 or 308 of a GET with every header but
// X-Amz-Security-Token, and net/http keeps Authorization for the same
// host name on another port: the container credentials endpoint's
// authorization token (and a Route 53 request's signature) would go
// there.
func sameOrigin(hc aws.HTTPClient) aws.HTTPClient {
	if b, ok := hc.(*awshttp.BuildableClient); ok {
		hc = b.Freeze() // its *http.Client, with the SDK's own redirect rule
	}
	if c, ok := hc.(*http.Client); ok {
		return httporigin.Client(c) // the SDK's rule still applies within the origin
	}
	return hc
}

// doer is an SDK HTTP client as a transport.
type doer struct{ aws.HTTPClient }

func (d doer) RoundTrip(req *http.Request) (*http.Response, error) { return d.Do(req) }

// caBundle is an HTTP client trusting the PEM certificates of
// AWS_CA_BUNDLE (else the profile's ca_bundle) instead of the system's
// roots, as the SDK's does; nil when neither is set.
func caBundle(p profile) (aws.HTTPClient, error) {
	name, where := os.Getenv("AWS_CA_BUNDLE"), "AWS_CA_BUNDLE"
	if name == "" {
		v, ok := p.get("ca_bundle")
		if !ok || v.value == "" {
			return nil, nil
		}
		name, where = v.value, v.pos+": ca_bundle"
	}
	pem, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: %s holds no PEM certificate", where, name)
	}
	return awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		if tr.TLSClientConfig == nil {
			tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		tr.TLSClientConfig.RootCAs = pool
	}), nil
}

// Retryer retries throttling (Throttling, PriorRequestNotComplete, 429)
// and 5xx answers up to pol.Attempts tries, waiting pol.Delay (the
// server's Retry-After when it sent one). No client-side retry quota: the
// attempts bound it. A wait that would end past the request's deadline
// is not started: the request fails at once with the API's answer and
// httpretry.ErrWaitTooLong naming the wait (GetRetryToken), as every
// other provider's retries do (httpretry.Worth), never sleeping until the
// deadline cuts the sleep ("request canceled, context deadline
// exceeded", which says neither why nor how long).
func Retryer(pol httpretry.Policy) aws.Retryer {
	return deadlineRetryer{awsretry.NewStandard(func(o *awsretry.StandardOptions) {
		o.MaxAttempts = pol.Attempts
		o.MaxBackoff = pol.Max
		o.Backoff = backoff{pol}
		o.RateLimiter = ratelimit.None
		o.Retryables = append(o.Retryables, awsretry.RetryableErrorCode{Codes: map[string]struct{}{
			"PriorRequestNotComplete": {},
		}})
	}), pol}
}

// NotRetrying is r with the API errors of these codes not tried again:
// the caller handles them (r as it is when it is not the SDK's
// RetryerV2, as Retryer's always is).
func NotRetrying(r aws.Retryer, codes ...string) aws.Retryer {
	v2, ok := r.(aws.RetryerV2)
	if !ok {
		return r
	}
	return notRetrying{v2, codes}
}

type notRetrying struct {
	aws.RetryerV2
	codes []string
}

func (r notRetrying) IsErrorRetryable(err error) bool {
	return !slices.Contains(r.codes, Code(err)) && r.RetryerV2.IsErrorRetryable(err)
}

// deadlineRetryer refuses the retry token of a wait past the deadline.
type deadlineRetryer struct {
	aws.RetryerV2
	pol httpretry.Policy
}

// GetRetryToken is asked, with the request's context, after a try that
// will be tried again and before the wait (aws-sdk-go-v2 aws/retry,
// Attempt.handleAttempt: GetRetryToken, then RetryDelay and the sleep;
// an error here ends the request with it and the try's error, joined).
// The wait is the one BackoffDelay gives for this try (countTries).
func (r deadlineRetryer) GetRetryToken(ctx context.Context, opErr error) (func(error) error, error) {
	attempt := 1
	if n, ok := ctx.Value(triesKey{}).(*atomic.Int32); ok {
		attempt = max(int(n.Load()), 1)
	}
	if err := httpretry.Worth(ctx, Wait(r.pol, attempt, opErr), r.pol.Patience()); err != nil {
		return nil, err
	}
	return r.RetryerV2.GetRetryToken(ctx, opErr)
}

// Wait is the wait before another try after the try attempt (from 1)
// failed with err, as the SDK sleeps it under Retryer(pol): the policy's
// Delay (the answer's Retry-After whole, else the backoff), then the
// SDK's adjustment for X-Amz-Retry-After (sdkWait). A caller that tries
// again itself waits the same.
func Wait(pol httpretry.Policy, attempt int, err error) time.Duration {
	h := responseHeader(err)
	return sdkWait(pol.Delay(attempt, h, time.Now()), h)
}

// sdkAmzRetryAfterMost is the most the SDK adds to a retry's wait for an
// X-Amz-Retry-After header (adjustForRetryAfterHeader).
const sdkAmzRetryAfterMost = 5 * time.Second

// sdkWait is the wait the SDK sleeps before another try when the
// retryer's RetryDelay gives d for an answer of header h: aws-sdk-go-v2
// aws/retry (v1.48.0, middleware.go, Attempt.handleAttempt) adjusts the
// delay after RetryDelay with adjustForRetryAfterHeader: an
// X-Amz-Retry-After of whole milliseconds (an integer, not negative;
// anything else ignored) is the wait, kept between d and d + 5 s.
func sdkWait(d time.Duration, h http.Header) time.Duration {
	v := h.Get("X-Amz-Retry-After")
	if v == "" {
		return d
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms < 0 {
		return d
	}
	if most := d + sdkAmzRetryAfterMost; ms > most.Milliseconds() {
		return most
	}
	return max(time.Duration(ms)*time.Millisecond, d)
}

// triesKey carries the count of one request's tries (countTries).
type triesKey struct{}

// countTries counts the tries of each request (an operation with its
// retries) in its context, for deadlineRetryer: one counter for the
// request (Initialize), one more each time a try is sent (the end of
// Finalize, inside the retry loop).
func countTries(st *middleware.Stack) error {
	if err := st.Initialize.Add(middleware.InitializeMiddlewareFunc("dnsparityTries",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(context.WithValue(ctx, triesKey{}, new(atomic.Int32)), in)
		}), middleware.Before); err != nil {
		return err
	}
	return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("dnsparityTry",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if n, ok := ctx.Value(triesKey{}).(*atomic.Int32); ok {
				n.Add(1)
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
}

// responseHeader is the header of the answer err carries (nil: none).
func responseHeader(err error) http.Header {
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.Header
	}
	return nil
}

type backoff struct{ pol httpretry.Policy }

// BackoffDelay is the policy's Delay: a Retry-After whole, up to the
// policy's Longest (longer fails at once, naming the wait; the SDK's
// retry sleep ends with the request's context).
func (b backoff) BackoffDelay(attempt int, err error) (time.Duration, error) {
	d := b.pol.Delay(attempt, responseHeader(err), time.Now())
	if werr := httpretry.Worth(context.Background(), d, b.pol.Patience()); werr != nil {
		return 0, werr
	}
	return d, nil
}

// AuthCodes are the error codes of refused credentials.
var AuthCodes = map[string]bool{
	"InvalidClientTokenId": true, "SignatureDoesNotMatch": true, "AccessDenied": true,
	"AccessDeniedException": true, "UnrecognizedClientException": true, "ExpiredToken": true,
	"ExpiredTokenException": true, "InvalidSignatureException": true, "MissingAuthenticationToken": true,
	"IncompleteSignature": true,
}

// Code is the API error code of err ("" when it is not an API error).
func Code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// Message is a short form of an SDK error: the operation, the HTTP
// status, the API's code and message (never the request, which carries
// the signature). The API's message comes from an error answer's body,
// whose secrets the HTTP client took out (redacting).
func Message(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		var oe *smithy.OperationError
		op := ""
		if errors.As(err, &oe) {
			op = oe.Operation() + ": "
		}
		status := ""
		var re *awshttp.ResponseError
		if errors.As(err, &re) {
			status = fmt.Sprintf("HTTP %d ", re.HTTPStatusCode())
		}
		return fmt.Sprintf("%s%s%s: %s%s", op, status, ae.ErrorCode(), ae.ErrorMessage(), notRetried(err))
	}
	return err.Error()
}

// notRetried is why a try the retryer would have tried again was not:
// the wait past the deadline or too long (deadlineRetryer), "" when none.
func notRetried(err error) string {
	var wait error
	var walk func(error)
	walk = func(e error) {
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			if u.Unwrap() == httpretry.ErrWaitTooLong {
				wait = e // the error that names the wait, not the sentinel
			} else {
				walk(u.Unwrap())
			}
		}
	}
	walk(err)
	if wait == nil {
		return ""
	}
	return " (not tried again: " + wait.Error() + ")"
}

// Secrets are the configured static keys of a (the HTTP client's own).
func Secrets(a config.AWS) []string {
	return []string{a.AccessKeyID.Value(), a.SecretAccessKey.Value(), a.SessionToken.Value()}
}

// NoCredentials reports whether err says that no credentials could be
// had: none configured (ErrNoCredentials), or the configured source gave
// none (the SDK has no error type for that).
func NoCredentials(err error) bool {
	if errors.Is(err, ErrNoCredentials) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "get identity: get credentials") || strings.Contains(s, "failed to retrieve credentials") ||
		strings.Contains(s, "failed to refresh cached credentials")
}

// NoCredentialsHelp says where credentials come from.
const NoCredentialsHelp = "no usable AWS credentials: set access_key_id_env and secret_access_key_env, or provide AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, as GitHub's OIDC gives it), a profile's keys in the shared credentials file, or container credentials; EC2 instance roles are not read: export credentials with `aws configure export-credentials --format env`"
