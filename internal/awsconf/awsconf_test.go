package awsconf

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/dnsparity/dnsparity/internal/httpretry"
)

func responseError(status int, header http.Header, code string) error {
	resp := &smithyhttp.Response{Response: &http.Response{StatusCode: status, Header: header}}
	return &smithy.OperationError{ServiceID: "Route 53", OperationName: "ListResourceRecordSets",
		Err: &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{Response: resp,
			Err: &smithy.GenericAPIError{Code: code, Message: "Rate exceeded"}}, RequestID: "r1"}}
}

func TestBackoffHonoursRetryAfter(t *testing.T) {
	pol := httpretry.Policy{Attempts: 4, Base: 100 * time.Millisecond, Max: 10 * time.Second}
	b := backoff{pol}
	tests := []struct {
		name    string
		header  http.Header
		attempt int
		want    time.Duration
	}{
		{"retry-after", http.Header{"Retry-After": {"3"}}, 1, 3 * time.Second},
		// The server's word whole, beyond Max (it was cut to Max: a
		// deliberate change, httpretry.Policy.Longest bounds it now).
		{"beyond Max", http.Header{"Retry-After": {"120"}}, 1, 2 * time.Minute},
		{"doubling", http.Header{}, 3, 400 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := b.BackoffDelay(tc.attempt, responseError(400, tc.header, "Throttling"))
			if err != nil || got != tc.want {
				t.Errorf("delay %v %v, want %v", got, err, tc.want)
			}
		})
	}
	if _, err := b.BackoffDelay(1, responseError(400, http.Header{"Retry-After": {"3600"}}, "Throttling")); !errors.Is(err, httpretry.ErrWaitTooLong) {
		t.Errorf("a Retry-After past the policy's Longest: %v, want ErrWaitTooLong", err)
	}
	if got, _ := b.BackoffDelay(2, errors.New("connection reset")); got != 200*time.Millisecond {
		t.Errorf("transport error delay %v", got)
	}
}

func TestRetryerRetriesThrottlingAndServerErrors(t *testing.T) {
	r := Retryer(httpretry.Policy{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond})
	if r.MaxAttempts() != 3 {
		t.Errorf("attempts %d", r.MaxAttempts())
	}
	for _, tc := range []struct {
		status int
		code   string
		want   bool
	}{
		{400, "Throttling", true},
		{400, "PriorRequestNotComplete", true},
		{429, "TooManyRequests", true},
		{503, "ServiceUnavailable", true},
		{400, "InvalidChangeBatch", false},
		{403, "InvalidClientTokenId", false},
	} {
		if got := r.IsErrorRetryable(responseError(tc.status, http.Header{}, tc.code)); got != tc.want {
			t.Errorf("%d %s: retryable %v", tc.status, tc.code, got)
		}
	}
}

func TestMessage(t *testing.T) {
	err := responseError(403, http.Header{}, "InvalidClientTokenId")
	if Code(err) != "InvalidClientTokenId" || !AuthCodes[Code(err)] {
		t.Errorf("code %q", Code(err))
	}
	if m := Message(err); !strings.Contains(m, "ListResourceRecordSets") || !strings.Contains(m, "HTTP 403") || !strings.Contains(m, "InvalidClientTokenId") {
		t.Errorf("message %q", m)
	}
}

// TestSDKWait: the wait the SDK sleeps for the retryer's d and an
// answer's X-Amz-Retry-After (aws/retry adjustForRetryAfterHeader):
// whole milliseconds, kept between d and d + 5 s; a value that is not a
// whole number of milliseconds or is negative leaves d.
func TestSDKWait(t *testing.T) {
	d := 200 * time.Millisecond
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"", d},
		{"1500", 1500 * time.Millisecond},
		{"0", d},
		{"100", d},
		{"5200", 5200 * time.Millisecond},
		{"5201", d + 5*time.Second},
		{"60000", d + 5*time.Second},
		{"9223372036854775807", d + 5*time.Second},
		{"-1", d},
		{"1.5", d},
		{"soon", d},
	} {
		h := http.Header{}
		if tc.header != "" {
			h.Set("X-Amz-Retry-After", tc.header)
		}
		if got := sdkWait(d, h); got != tc.want {
			t.Errorf("X-Amz-Retry-After %q: %v, want %v", tc.header, got, tc.want)
		}
	}
}
