package route53

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/dnsparity/dnsparity/internal/awsconf"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// triesKey carries a counter of the HTTP tries of one call.
type triesKey struct{}

// withTries counts the tries (retries included) of the calls made with the
// context in n.
func withTries(ctx context.Context, n *int64) context.Context {
	return context.WithValue(ctx, triesKey{}, n)
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
