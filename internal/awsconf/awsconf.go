// Package awsconf builds the AWS SDK configuration that the route53
// provider and the route53domains registrar share: the standard credential
// chain (environment, shared files, web identity as GitHub's OIDC gives
// it, container and instance roles) unless static keys are configured by
// environment variable name, and a bounded retryer whose waits honour
// Retry-After.
package awsconf

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	awsretry "github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
)

// DefaultRegion signs requests to global services (Route 53, Route 53
// Domains) when no region is configured.
const DefaultRegion = "us-east-1"

// Load makes the SDK configuration for a.
func Load(ctx context.Context, a config.AWS, pol httpretry.Policy) (aws.Config, error) {
	region := a.Region
	if region == "" {
		region = DefaultRegion
	}
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRegion(region),
		awsconfig.WithRetryer(func() aws.Retryer { return Retryer(pol) }),
	}
	if a.AccessKeyID.Value() != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(
			a.AccessKeyID.Value(), a.SecretAccessKey.Value(), a.SessionToken.Value())))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return cfg, fmt.Errorf("AWS configuration: %w", err)
	}
	return cfg, nil
}

// Retryer retries throttling (Throttling, PriorRequestNotComplete, 429)
// and 5xx answers up to pol.Attempts tries, waiting pol.Delay (the
// server's Retry-After when it sent one). No client-side retry quota: the
// attempts bound it.
func Retryer(pol httpretry.Policy) aws.Retryer {
	return awsretry.NewStandard(func(o *awsretry.StandardOptions) {
		o.MaxAttempts = pol.Attempts
		o.MaxBackoff = pol.Max
		o.Backoff = backoff{pol}
		o.RateLimiter = ratelimit.None
		o.Retryables = append(o.Retryables, awsretry.RetryableErrorCode{Codes: map[string]struct{}{
			"PriorRequestNotComplete": {},
		}})
	})
}

type backoff struct{ pol httpretry.Policy }

func (b backoff) BackoffDelay(attempt int, err error) (time.Duration, error) {
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return b.pol.Delay(attempt, re.Response.Header, time.Now()), nil
	}
	return b.pol.Delay(attempt, nil, time.Now()), nil
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

// Message is a short form of an SDK error: the operation, the API's code
// and message (never the request, which carries the signature).
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
		return fmt.Sprintf("%s%s%s: %s", op, status, ae.ErrorCode(), ae.ErrorMessage())
	}
	return err.Error()
}

// NoCredentials reports whether err says the credential chain found no
// usable credentials (the SDK has no error type for it).
func NoCredentials(err error) bool {
	s := err.Error()
	return strings.Contains(s, "get identity: get credentials") || strings.Contains(s, "failed to retrieve credentials") ||
		strings.Contains(s, "failed to refresh cached credentials")
}

// NoCredentialsHelp says where credentials come from.
const NoCredentialsHelp = "no usable AWS credentials: set access_key_id_env and secret_access_key_env, or provide the standard AWS environment (AWS_ACCESS_KEY_ID, a profile, or a web identity token as GitHub's OIDC gives it)"
