package cloudflare

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// envelope is every API answer's frame.
type envelope struct {
	Success    bool            `json:"success"`
	Errors     []apiMessage    `json:"errors"`
	Result     json.RawMessage `json:"result"`
	ResultInfo *resultInfo     `json:"result_info"`
}

type apiMessage struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	// Chain is the cause of an error (6003 "Invalid request headers":
	// 6111 "Invalid format for Authorization header", …).
	Chain []apiMessage `json:"error_chain,omitempty"`
}

// badAuthHeader is the error_chain code of a bearer token not of an API
// token's form: Cloudflare answers it with HTTP 400, 6003 "Invalid
// request headers" (cftest.badAuthFormat), where a wrong token of the
// right form gets 403.
const badAuthHeader = 6111

// authFormat reports whether an error answer says the Authorization
// header's token has the wrong form (a refused credential, as a 401 or
// 403 is).
func authFormat(a answer) bool {
	var env envelope
	if json.Unmarshal(a.body, &env) != nil {
		return false
	}
	for _, m := range env.Errors {
		for _, c := range append([]apiMessage{m}, m.Chain...) {
			if c.Code == badAuthHeader {
				return true
			}
		}
	}
	return false
}

type resultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

// answer is the HTTP answer of one try, as the SDK's transport saw it.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// capture is a per-call middleware keeping the answer: the SDK's error
// type lives in an internal package, and the envelope's result_info is
// read here whatever the SDK decodes.
func capture(a *answer) option.RequestOption {
	return option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		resp, err := next(r)
		if err != nil || resp == nil {
			return resp, err
		}
		b, rerr := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		*a = answer{status: resp.StatusCode, header: resp.Header, body: b}
		return resp, rerr
	})
}

// query makes URL query values request options.
func query(q url.Values) []option.RequestOption {
	var opts []option.RequestOption
	for k, vs := range q {
		for _, v := range vs {
			opts = append(opts, option.WithQueryAdd(k, v))
		}
	}
	return opts
}

// call sends one API request through the SDK service method send (given
// the options of this try), retrying 429 and 5xx answers (and connection
// errors of reads) within the policy, and decodes the envelope's result
// into out. what names the request in errors. A write that fails after a
// try of it was answered 5xx says so (provider.ErrEarlierTry).
func (p *Provider) call(ctx context.Context, read bool, what string, out any, send func(opts ...option.RequestOption) error) (env *envelope, err error) {
	perhaps := 0 // the 5xx of an earlier try of this write
	defer func() {
		if err != nil && perhaps > 0 {
			err = fmt.Errorf("%w (%w: HTTP %d)", err, provider.ErrEarlierTry, perhaps)
		}
	}()
	for attempt := 1; ; attempt++ {
		done, err := p.pace.Limiter.Wait(ctx, "")
		if err != nil {
			return nil, err
		}
		var a answer
		var sink json.RawMessage
		err = send(capture(&a), option.WithResponseBodyInto(&sink))
		if limit, remaining, period, ok := rateLimit(a.header, time.Now()); ok {
			p.pace.Limiter.Observe("", limit, remaining, period)
		}
		done() // answered, its headers observed
		if a.status == 0 {
			if err == nil {
				err = errors.New("no answer")
			}
			if ctx.Err() != nil {
				if read {
					return nil, ctx.Err()
				}
				// A write whose answer the end of ctx cut off may have
				// been sent, and applied: not "nothing of it applied".
				return nil, fmt.Errorf("%s: %w (ended before its answer: %w)", what, provider.ErrUnavailable, ctx.Err())
			}
			// Transport error: only a read is safe to repeat blindly.
			if read && attempt < p.pace.Policy.Attempts {
				if err := httpretry.Sleep(ctx, p.pace.Policy.Delay(attempt, nil, time.Now())); err != nil {
					return nil, err
				}
				continue
			}
			return nil, fmt.Errorf("%s: %w: %v", what, provider.ErrUnavailable, httpretry.WithoutURL(err))
		}
		status := a.status
		if status < 400 {
			var env envelope
			if err := json.Unmarshal(a.body, &env); err != nil {
				return nil, fmt.Errorf("%s: bad JSON answer: %w", what, err)
			}
			if !env.Success {
				// A failure in a 2xx answer: not redacted under the
				// provider (provider.HTTPClient), so here, whatever the
				// encoding a message quotes the token in.
				return nil, fmt.Errorf("%s: %s", what, redact.ServerText(ctx, messages(env.Errors), p.token))
			}
			if out != nil && len(env.Result) > 0 {
				if err := json.Unmarshal(env.Result, out); err != nil {
					return nil, fmt.Errorf("%s: bad result: %w", what, err)
				}
			}
			return &env, nil
		}
		if httpretry.Retryable(status) && attempt < p.pace.Policy.Attempts {
			delay := p.pace.Policy.Delay(attempt, a.header, time.Now())
			if status == http.StatusTooManyRequests {
				p.pace.Limiter.Throttled(delay)
			} else if !read {
				perhaps = status
			}
			if err := p.pace.Policy.Await(ctx, delay); err != nil {
				return nil, fmt.Errorf("%s: HTTP %d: %w", what, status, err)
			}
			continue
		}
		text := errorText(a)
		switch {
		case status == http.StatusUnauthorized || status == http.StatusForbidden || (status == http.StatusBadRequest && authFormat(a)):
			return nil, provider.AuthError("%s: credentials refused: the API token (HTTP %d: %s)", what, status, text)
		case status == http.StatusNotFound:
			return nil, fmt.Errorf("%s: %w (HTTP 404: %s)", what, provider.ErrZoneNotFound, text)
		case httpretry.Retryable(status):
			return nil, provider.StatusErrorf(status, "%s: HTTP %d after %d tries: %s", what, status, attempt, text)
		}
		return nil, fmt.Errorf("%s: HTTP %d: %s", what, status, text)
	}
}

// rateLimit reads the rate-limit headers Cloudflare returns with every
// answer ("Rate limiting headers",
// developers.cloudflare.com/fundamentals/api/reference/limits/, and the
// 2025-09-03 changelog "Introducing new headers for rate limiting on
// Cloudflare's API"), in every form documented:
//
//   - Ratelimit, "List of service limit items, composed of the limit
//     name, the remaining quota (r) and the time next window resets (t)",
//     e.g. "default";r=50;t=30, and Ratelimit-Policy, "List of quota
//     policy items, composed of the policy name, the total quota (q) and
//     the time window the quota applies to (w)", e.g. "burst";q=100;w=60.
//     The IETF draft they follow (draft-ietf-httpapi-ratelimit-headers-10
//     §4) keys a limit item by the policy it reports on; the page's own
//     example names them differently. So a limit item takes the policy of
//     its name; else, when each header holds one item (the page's
//     example), that one; else it still says r requests are left until
//     t seconds from now (the quota unknown: spread over that time).
//   - x-ratelimit-limit, x-ratelimit-remaining and x-ratelimit-reset, "the
//     RFC 1123 formatted date when more capacity is available" (the
//     page's first version, github.com/cloudflare/cloudflare-docs commit
//     5201503): what is left until the reset (the limit's window is not
//     said, so the limit is not kept as a count per window).
//
// Of the limits read, the tightest is given (the least time per request
// left, or the smallest share of its quota when no pacing is due): its
// quota (0: not said), what remains of it, and its window. ok is false
// when no header says what remains.
func rateLimit(h http.Header, now time.Time) (limit, remaining int, period time.Duration, ok bool) {
	take := func(q, r int, w time.Duration) {
		if r < 0 || w <= 0 || q < 0 {
			return
		}
		// The tightest: the longest wait the numbers ask for, and
		// between those asking for none the smallest share left.
		pNew, pOld := httpretry.Pace(q, r, w), httpretry.Pace(limit, remaining, period)
		tighter := pNew > pOld || (pNew == pOld && q > 0 && (limit == 0 || r*limit < remaining*q))
		if !ok || tighter {
			limit, remaining, period, ok = q, r, w, true
		}
	}
	left := structuredItems(h.Values("Ratelimit"))
	policy := structuredItems(h.Values("Ratelimit-Policy"))
	for name, l := range left {
		r, rok := l["r"]
		if !rok {
			continue
		}
		pol, found := policy[name]
		if !found && len(left) == 1 && len(policy) == 1 {
			for _, only := range policy {
				pol, found = only, true
			}
		}
		q, qok := pol["q"]
		w, wok := pol["w"]
		if found && qok && wok && q > 0 && w > 0 {
			take(q, r, time.Duration(w)*time.Second)
			continue
		}
		if t, tok := l["t"]; tok && t > 0 {
			take(0, r, time.Duration(t)*time.Second)
		}
	}
	if r, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Remaining"))); err == nil {
		// The limit comes without its window's length, and the reset is
		// a date to the second: r requests left until the reset, a
		// second later to be safe (the date's fraction is cut off).
		if at, err := http.ParseTime(strings.TrimSpace(h.Get("X-Ratelimit-Reset"))); err == nil && !at.Before(now.Truncate(time.Second)) {
			take(0, r, at.Add(time.Second).Sub(now))
		}
	}
	return limit, remaining, period, ok
}

// structuredItems reads a list of items of the form "name";key=value;...
// (RFC 9651 structured fields, integer parameters only) into each item's
// integer parameters by name; what does not read so is left out.
func structuredItems(values []string) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			parts := strings.Split(strings.TrimSpace(item), ";")
			name := strings.Trim(strings.TrimSpace(parts[0]), `"`)
			if name == "" {
				continue
			}
			params := map[string]int{}
			for _, kv := range parts[1:] {
				k, val, found := strings.Cut(strings.TrimSpace(kv), "=")
				if n, err := strconv.Atoi(val); found && err == nil {
					params[k] = n
				}
			}
			out[name] = params
		}
	}
	return out
}

// errorText is the errors array of an error answer (never the request:
// its headers carry the token), whose body came redacted
// (provider.HTTPClient).
func errorText(a answer) string {
	var env envelope
	if err := json.Unmarshal(a.body, &env); err == nil && len(env.Errors) > 0 {
		return messages(env.Errors)
	}
	return http.StatusText(a.status)
}

// messages are the API's error messages, one text.
func messages(ms []apiMessage) string {
	if len(ms) == 0 {
		return "unsuccessful answer without errors"
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%d %s", m.Code, m.Message)
		if len(m.Chain) > 0 {
			parts[i] += " (" + messages(m.Chain) + ")"
		}
	}
	return strings.Join(parts, "; ")
}
