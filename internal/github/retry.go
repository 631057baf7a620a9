package github

import (
	"io"
	"net/http"
	"time"

	"github.com/dnsparity/dnsparity/internal/httpretry"
)

// apiRetry bounds the tries of one API request: the Action's one report
// waits out a passing 502 or a secondary rate limit, not an outage. A
// Retry-After is waited whole (up to the policy's Longest and the
// context's deadline: Await), as GitHub asks: "you should not retry your
// request until after that many seconds has elapsed" (REST API rate
// limits, secondary rate limits); Max bounds only the backoff.
var apiRetry = httpretry.Policy{Attempts: 4, Base: time.Second, Max: 20 * time.Second}

// retrying sends again a request GitHub's API answered 429 or 5xx (502
// and 503 come and go), or 403 with Retry-After (a secondary rate limit:
// "wait and retry", docs.github.com, REST API rate limits), within
// apiRetry. A refusal for a rate limit did nothing, so any method is sent
// again; a 5xx only for methods safe to repeat (GET, HEAD, PUT, PATCH,
// DELETE): a POST that got one may have created the comment, check run or
// issue, and a second would be a duplicate. A 403 without Retry-After
// (a token without the permission, the primary limit spent until its
// reset) is the answer.
type retrying struct {
	next   http.RoundTripper
	policy httpretry.Policy
}

func (rt retrying) RoundTrip(r *http.Request) (*http.Response, error) {
	req := r
	for attempt := 1; ; attempt++ {
		resp, err := rt.next.RoundTrip(req)
		if err != nil || attempt >= rt.policy.Attempts || !again(r.Method, resp) || (r.Body != nil && r.GetBody == nil) {
			return resp, err
		}
		wait := rt.policy.Delay(attempt, resp.Header, time.Now())
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if err := rt.policy.Await(r.Context(), wait); err != nil {
			return nil, err
		}
		req = r.Clone(r.Context())
		if r.GetBody != nil {
			if req.Body, err = r.GetBody(); err != nil {
				return nil, err
			}
		}
	}
}

// again says whether an answer to a request of method is worth another
// try (retrying).
func again(method string, resp *http.Response) bool {
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true
	case resp.StatusCode == http.StatusForbidden:
		_, ok := httpretry.RetryAfter(resp.Header, time.Now())
		return ok
	case httpretry.Retryable(resp.StatusCode):
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete:
			return true
		}
	}
	return false
}
