package route53

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/dnsparity/dnsparity/internal/awsconf"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// triesKey carries the tryLog of one call.
type triesKey struct{}

// tryLog is what the tries of one call came to: how many (retries
// included), and whether one had no answer or a 5xx, which the SDK's
// retryer tries again (aws-sdk-go-v2 aws/retry: connection errors and
// 5xx, for every operation) though Route 53 may have applied it: a
// change batch tried again then fails on what the first try did (a
// DELETE "not found").
type tryLog struct {
	n       int64
	perhaps bool
}

// withTries logs the tries of the calls made with the context in l.
func withTries(ctx context.Context, l *tryLog) context.Context {
	return context.WithValue(ctx, triesKey{}, l)
}

// logTry notes one try's outcome, err, in the context's tryLog (if any).
func logTry(ctx context.Context, err error) {
	l, ok := ctx.Value(triesKey{}).(*tryLog)
	if !ok {
		return
	}
	l.n++
	var status interface{ HTTPStatusCode() int }
	var sent *smithyhttp.RequestSendError
	switch {
	case err == nil:
	case errors.As(err, &sent):
		l.perhaps = true // sent, no answer (a ResponseError of status 0 wraps it)
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		// The end of the context cut the try off, perhaps after it was
		// sent (a ResponseError of status 0 wraps a CanceledError).
		l.perhaps = true
	case errors.As(err, &status):
		l.perhaps = l.perhaps || status.HTTPStatusCode() >= 500
	}
}

// wrap turns an SDK error into one that says what failed, with the
// provider's sentinel errors (never the signed request), and the API's
// messages (awsconf.Message; awsconf's HTTP client took the run's secrets
// out of the error answer they come from).
func (p *Provider) wrap(what string, err error) error {
	code := awsconf.Code(err)
	msg := awsconf.Message(err)
	switch {
	case code == "" && awsconf.NoCredentials(err):
		return fmt.Errorf("route53: %s: %w: %s", what, provider.ErrAuth, awsconf.NoCredentialsHelp)
	case awsconf.AuthCodes[code]:
		return provider.AuthError("route53: %s: credentials refused (%s)", what, msg)
	case code == "NoSuchHostedZone":
		return fmt.Errorf("route53: %s: %w (%s)", what, provider.ErrZoneNotFound, msg)
	case code == "":
		var oe interface{ Operation() string }
		if errors.As(err, &oe) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("route53: %s: %w: %s", what, provider.ErrUnavailable, msg)
		}
	}
	var icb *types.InvalidChangeBatch
	if errors.As(err, &icb) && len(icb.Messages) > 0 {
		msg = "InvalidChangeBatch: " + strings.Join(icb.Messages, "; ")
	}
	return fmt.Errorf("route53: %s: %w", what, &sdkError{msg, err})
}

// sdkError shows a short message and keeps the SDK error for errors.As.
type sdkError struct {
	msg string
	err error
}

func (e *sdkError) Error() string { return e.msg }
func (e *sdkError) Unwrap() error { return e.err }
