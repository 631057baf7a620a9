package ns1

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gopkg.in/ns1/ns1-go.v2/rest"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// Limits: NS1 documents no fixed rate for the account; it announces each
// endpoint family's budget in X-Ratelimit-Limit / -Remaining / -Period,
// which pace requests (Limiter.Observe). The bucket only keeps a burst of
// many zones from outrunning the first answers' headers.
var Limits = httpretry.Limits{PerSecond: 20, Burst: 20}

// SetRetry sets the retry policy (tests shorten the waits).
func (p *Provider) SetRetry(r httpretry.Policy) { p.pace.SetRetry(r) }

// SetRateLimit gives this provider a limiter of its own (tests); by
// default every provider of one API key shares the account's.
func (p *Provider) SetRateLimit(l httpretry.Limits) { p.pace.SetRateLimit(l) }

// Limiter is the account's API budget this provider draws from.
func (p *Provider) Limiter() *httpretry.Limiter { return p.pace.Limiter }

// SetWriters sets how many write calls a push has under way at once (1:
// one after the other).
func (p *Provider) SetWriters(n int) { p.parallel = n }

func (p *Provider) writers() int {
	if p.parallel > 0 {
		return p.parallel
	}
	return Writers
}

// Writes is the number of write requests sent (tries included).
func (p *Provider) Writes() int64 { return p.writes.Load() }

// family is the rate-limit family of a request: reads or writes of one
// top-level resource (zones, …).
func family(r *http.Request) string {
	seg := strings.TrimPrefix(r.URL.Path, "/")
	if i := strings.Index(seg, "v1/"); i >= 0 {
		seg = seg[i+3:]
	}
	seg, _, _ = strings.Cut(seg, "/")
	if r.Method == http.MethodGet {
		return "read " + seg
	}
	return "write " + seg
}

// doer is the SDK's HTTP client: it waits on the family's budget before
// a request and reads the rate-limit headers of its answer.
type doer struct {
	hc *http.Client
	p  *Provider
}

func (d *doer) Do(r *http.Request) (*http.Response, error) {
	fam := family(r)
	done, err := d.p.pace.Limiter.Wait(r.Context(), fam)
	if err != nil {
		return nil, err
	}
	if r.Method != http.MethodGet {
		d.p.writes.Add(1)
	}
	resp, err := d.hc.Do(r)
	defer done() // answered, its headers observed
	if err != nil {
		return nil, err
	}
	if rem, err := strconv.Atoi(resp.Header.Get("X-Ratelimit-Remaining")); err == nil {
		limit, _ := strconv.Atoi(resp.Header.Get("X-Ratelimit-Limit"))
		period, _ := strconv.Atoi(resp.Header.Get("X-Ratelimit-Period"))
		d.p.pace.Limiter.Observe(fam, limit, rem, time.Duration(period)*time.Second)
	}
	return resp, nil
}

// errDoneBefore: a PUT tried again after a 5xx found its record made
// (400 "record already exists", ns1-go's rest/record.go ErrRecordExists):
// most likely by the earlier try, which NS1 applied before the 5xx.
var errDoneBefore = errors.New("the record exists: an earlier try was applied before its HTTP 5xx")

// call sends one request through the SDK, retrying 429 and 5xx answers
// (and lost answers of reads) within the policy; out receives the JSON
// answer. It returns the tries and the last answer's headers. A write
// answered 5xx may have been applied: a DELETE tried again then finds no
// record (404 "record not found", ns1-go's ErrRecordMissing): done; a PUT
// finds it made (errDoneBefore), for the caller to send as a POST.
func (p *Provider) call(ctx context.Context, method, path string, body, out any) (tries int, h http.Header, err error) {
	what := method + " " + strings.SplitN(path, "?", 2)[0]
	perhaps := 0 // the 5xx of an earlier try of this write (perhaps applied)
	defer func() {
		if err != nil && perhaps > 0 && !errors.Is(err, errDoneBefore) {
			err = fmt.Errorf("%w (%w: HTTP %d)", err, provider.ErrEarlierTry, perhaps)
		}
	}()
	for attempt := 1; ; attempt++ {
		req, err := p.client.NewRequest(method, path, body)
		if err != nil {
			return attempt - 1, nil, fmt.Errorf("%s: %w", what, err)
		}
		resp, err := p.client.Do(req.WithContext(ctx), out)
		if err == nil {
			return attempt, resp.Header, nil
		}
		if ctx.Err() != nil {
			if method == http.MethodGet {
				return attempt, nil, ctx.Err()
			}
			// A write whose answer the end of ctx cut off may have been
			// sent, and applied.
			return attempt, nil, fmt.Errorf("%s: %w (ended before its answer: %w)", what, provider.ErrUnavailable, ctx.Err())
		}
		var re *rest.Error
		if !errors.As(err, &re) || re.Resp == nil {
			if method == http.MethodGet && attempt < p.pace.Policy.Attempts {
				if err := httpretry.Sleep(ctx, p.pace.Policy.Delay(attempt, nil, time.Now())); err != nil {
					return attempt, nil, err
				}
				continue
			}
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return attempt, nil, fmt.Errorf("%s: %w: %v", what, provider.ErrUnavailable, err)
		}
		status := re.Resp.StatusCode
		if httpretry.Retryable(status) && attempt < p.pace.Policy.Attempts {
			delay := p.pace.Policy.Delay(attempt, re.Resp.Header, time.Now())
			if status == http.StatusTooManyRequests {
				p.pace.Limiter.Throttled(delay)
			} else if method != http.MethodGet {
				perhaps = status
			}
			if err := p.pace.Policy.Await(ctx, delay); err != nil {
				return attempt, nil, fmt.Errorf("%s: HTTP %d: %w", what, status, err)
			}
			continue
		}
		// The SDK's message is the answer's, or its whole body: the key
		// was taken out before the SDK read it (provider.HTTPClient).
		msg := re.Message
		if msg == "" {
			msg = http.StatusText(status)
		}
		switch {
		case perhaps > 0 && method == http.MethodDelete && status == http.StatusNotFound && msg == "record not found":
			return attempt, re.Resp.Header, nil // the earlier try deleted it
		case perhaps > 0 && method == http.MethodPut && status == http.StatusBadRequest && msg == "record already exists":
			return attempt, nil, fmt.Errorf("%s: %w (HTTP %d, then HTTP 400: %s)", what, errDoneBefore, perhaps, msg)
		case status == http.StatusUnauthorized || status == http.StatusForbidden:
			return attempt, nil, provider.AuthError("%s: credentials refused: the API key (HTTP %d: %s)", what, status, msg)
		case status == http.StatusNotFound && strings.Contains(msg, "zone not found"):
			return attempt, nil, fmt.Errorf("%s: %w (HTTP 404: %s)", what, provider.ErrZoneNotFound, msg)
		case httpretry.Retryable(status):
			return attempt, nil, provider.StatusErrorf(status, "%s: HTTP %d after %d tries: %s", what, status, attempt, msg)
		}
		return attempt, nil, fmt.Errorf("%s: HTTP %d: %s", what, status, msg)
	}
}
