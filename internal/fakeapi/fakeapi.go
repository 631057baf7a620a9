// Package fakeapi is the plumbing every fake HTTP API of the tests shares
// (cftest, r53test, ns1test, dmetest, cloudnstest, r53dtest, githubtest):
// one lock over the fake's state, request counters, injected faults, a
// constant-time credential check, a rate-limit window enforced as the
// vendor does, JSON helpers, and a change of state between two requests
// (Between). Each fake keeps its vendor's shapes,
// validation and error bodies; only the plumbing lives here.
package fakeapi

import (
	"bytes"
	"cmp"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Kit is embedded in a fake. Its handler takes Mu for the whole request
// (Lock) and calls the other methods with it held; tests call Count,
// AddFault and ClearFaults from outside.
type Kit struct {
	Mu sync.Mutex

	counts map[string]int
	faults []*Fault
	// Limit, when set, is the vendor's rate limit, enforced by Take.
	Limit *Window
	// Bucket, when set, is the vendor's token bucket, enforced by Take
	// (beside Limit, when both are set).
	Bucket *Bucket
	// Latency, when set, is how long each request takes on its way
	// (Enter): a network's round trip and the API's own time, spent
	// outside Mu, so that requests sent at once are served at once.
	Latency time.Duration

	inFlight, mostInFlight atomic.Int64
	// PathMatch, when set, is how a fault's Path selects a request's
	// path (the fake matches its vendor's documented endpoints); nil: the
	// Path is a substring of it.
	PathMatch func(pattern, path string) bool
	// IsWrite, when set, says whether a request is a write (a change
	// to the fake's state), for a Fault's Writes; nil: every method but
	// GET and HEAD writes.
	IsWrite func(method, path string) bool
}

// Fault makes matching requests fail: the first Skip pass, the next Times
// get Status (the fake decides what body and headers a status gets;
// Lost: the request is applied and its answer dropped).
type Fault struct {
	// Method ("" any) and Path (a substring of the path or of the
	// fake's operation name, unless the fake's PathMatch says otherwise;
	// "" any) select the requests.
	Method, Path string
	// Writes selects write requests only, of every method and path
	// (Kit.IsWrite): a push cut at its nth request whatever that
	// request creates, replaces or deletes.
	Writes      bool
	Skip, Times int
	Status      int
	// Applied: the request is applied, then answered with Status (a
	// gateway's 5xx while the API behind it did the work); ns1test,
	// cftest, r53test, dmetest and cloudnstest take it.
	Applied bool
	// RetryAfter, when set, is sent as the Retry-After header; Code is
	// the vendor's error code for the fake to answer with; Body, when set,
	// is the answer's body as is (a vendor's recorded answer).
	RetryAfter, Code, Body string
	// Header holds other headers the fault's answer carries (Route 53's
	// X-Amz-Retry-After).
	Header http.Header
}

// Fault statuses that are not HTTP statuses: Lost drops the answer of a
// request that was applied (the connection is closed); Short makes a
// listing page lose one record while the API's totals still count it;
// Repeat makes a listing page start one record back (Repeated).
const (
	Lost   = -1
	Short  = -2
	Repeat = -3
)

// Inc counts one request of each kind (Mu held).
func (k *Kit) Inc(kinds ...string) {
	if k.counts == nil {
		k.counts = map[string]int{}
	}
	for _, kind := range kinds {
		k.counts[kind]++
	}
}

// Count is the number of requests of a kind.
func (k *Kit) Count(kind string) int {
	k.Mu.Lock()
	defer k.Mu.Unlock()
	return k.counts[kind]
}

// Counts are all the counters, "kind=n" sorted (for failure messages).
func (k *Kit) Counts() string {
	k.Mu.Lock()
	defer k.Mu.Unlock()
	var out []string
	for kind, n := range k.counts {
		out = append(out, fmt.Sprintf("%s=%d", kind, n))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// ResetCountsLocked zeroes the counters (Mu held).
func (k *Kit) ResetCountsLocked() { k.counts = nil }

// AddFault adds a fault.
func (k *Kit) AddFault(f Fault) {
	k.Mu.Lock()
	defer k.Mu.Unlock()
	k.faults = append(k.faults, &f)
}

// WriteApplied makes the write request after skip others done and then
// answered with status (-1: not answered), once: providertest's
// Harness.WriteApplied for a fake without a vendor error body to add.
func (k *Kit) WriteApplied(skip, status int) {
	k.AddFault(Fault{Writes: true, Skip: skip, Times: 1, Status: status, Applied: true})
}

// ClearFaults removes every fault.
func (k *Kit) ClearFaults() {
	k.Mu.Lock()
	defer k.Mu.Unlock()
	k.faults = nil
}

// Fault is the fault that fires for this request (Mu held): Status 0
// when none does. Each matching fault's Skip counts this request.
func (k *Kit) Fault(method, path string) Fault {
	for _, f := range k.faults {
		if (f.Method != "" && f.Method != method) || (f.Path != "" && !k.pathMatch(f.Path, path)) || (f.Writes && !k.isWrite(method, path)) {
			continue
		}
		if f.Skip > 0 {
			f.Skip--
			continue
		}
		if f.Times > 0 {
			f.Times--
			return *f
		}
	}
	return Fault{}
}

// pathMatch reports whether a fault's Path selects path.
func (k *Kit) pathMatch(pattern, path string) bool {
	if k.PathMatch != nil {
		return k.PathMatch(pattern, path)
	}
	return strings.Contains(path, pattern)
}

// isWrite reports whether a request writes (IsWrite).
func (k *Kit) isWrite(method, path string) bool {
	if k.IsWrite != nil {
		return k.IsWrite(method, path)
	}
	return method != http.MethodGet && method != http.MethodHead
}

// Faulted applies the faults to one request (Mu held): short says the
// listing page it answers must lose one record; otherwise f.Status, when
// not 0, is the failure the fake answers with (in its vendor's shape).
func (k *Kit) Faulted(method, path string) (f Fault, short bool) {
	f = k.Fault(method, path)
	if f.Status == Short {
		return Fault{}, true
	}
	return f, false
}

// Window is a fixed-window rate limit: at most Limit requests per Period,
// the count starting again when a period has passed since the window
// opened (how NS1, DNS Made Easy and Cloudflare describe theirs).
type Window struct {
	Limit  int
	Period time.Duration

	start time.Time
	used  int
	// Refused counts the requests refused.
	Refused int
}

// Take counts one request: ok false when it is over the limit; remaining
// is what the window has left after it, reset the time until it ends.
func (w *Window) Take(now time.Time) (ok bool, remaining int, reset time.Duration) {
	if w.start.IsZero() || now.Sub(w.start) >= w.Period {
		w.start, w.used = now, 0
	}
	reset = w.Period - now.Sub(w.start)
	if w.used >= w.Limit {
		w.Refused++
		return false, 0, reset
	}
	w.used++
	return true, w.Limit - w.used, reset
}

// Enter counts a request in flight and waits the kit's Latency; a fake
// calls it first thing (before taking Mu) and calls leave when its answer
// is written.
func (k *Kit) Enter() (leave func()) {
	n := k.inFlight.Add(1)
	for {
		most := k.mostInFlight.Load()
		if n <= most || k.mostInFlight.CompareAndSwap(most, n) {
			break
		}
	}
	if k.Latency > 0 {
		time.Sleep(k.Latency)
	}
	return func() { k.inFlight.Add(-1) }
}

// MostInFlight is the most requests that were in flight at once (Enter).
func (k *Kit) MostInFlight() int { return int(k.mostInFlight.Load()) }

// Bucket is a token-bucket rate limit: Capacity tokens, full at first,
// refilled at Rate a second up to Capacity; each request takes one, and
// one that finds none is refused (how Route 53 describes its throttling:
// "Bucket maximum capacity is your burst [...] Bucket refill rate is
// your sustained rate", docs.aws.amazon.com/Route53/latest/DeveloperGuide/
// throttling-api-requests.html).
type Bucket struct {
	Capacity int
	Rate     float64

	tokens float64
	last   time.Time
	// Refused counts the requests refused.
	Refused int
}

// Take counts one request: ok false when the bucket is empty.
func (b *Bucket) Take(now time.Time) bool {
	if b.last.IsZero() {
		b.tokens = float64(b.Capacity)
	} else {
		b.tokens = min(float64(b.Capacity), b.tokens+now.Sub(b.last).Seconds()*b.Rate)
	}
	b.last = now
	if b.tokens < 1 {
		b.Refused++
		return false
	}
	b.tokens--
	return true
}

// Take applies the kit's rate limits to one request (Mu held); with none
// every request passes. remaining and reset are the window's (-1 and 0
// without one).
func (k *Kit) Take() (ok bool, remaining int, reset time.Duration) {
	now := time.Now()
	if k.Bucket != nil && !k.Bucket.Take(now) {
		return false, 0, 0
	}
	if k.Limit == nil {
		return true, -1, 0
	}
	return k.Limit.Take(now)
}

// Refused is the number of requests the rate limits refused.
func (k *Kit) Refused() int {
	k.Mu.Lock()
	defer k.Mu.Unlock()
	n := 0
	if k.Limit != nil {
		n += k.Limit.Refused
	}
	if k.Bucket != nil {
		n += k.Bucket.Refused
	}
	return n
}

// SetLimit sets the rate limit (nil: none).
func (k *Kit) SetLimit(w *Window) {
	k.Mu.Lock()
	defer k.Mu.Unlock()
	k.Limit = w
}

// SetBucket sets the token bucket (nil: none).
func (k *Kit) SetBucket(b *Bucket) {
	k.Mu.Lock()
	defer k.Mu.Unlock()
	k.Bucket = b
}

// Sorted are copies of a map's values in the order of their keys (a
// fake's records by id, as its API lists them).
func Sorted[K cmp.Ordered, V any](m map[K]*V) []V {
	out := make([]V, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, *m[k])
	}
	return out
}

// Page is page number page (from 1) of a listing of size items a page:
// the items it holds, none past the end.
func Page[T any](all []T, page, size int) []T {
	lo := min((page-1)*size, len(all))
	return all[lo:min(lo+size, len(all))]
}

// Repeated is page number page of a listing moved one item back (a
// Repeat fault): its first item is the last of the page before, and the
// item that should end it, when it is full, is on no page (the last page
// holds one item more). A listing read while an item is added before the
// page and another removed after it shifts so, its totals unchanged: an
// item comes twice, another is missed. Page 1 has no page before it and
// is as Page gives it.
func Repeated[T any](all []T, page, size int) []T {
	if page < 2 {
		return Page(all, page, size)
	}
	lo := min((page-1)*size-1, len(all))
	return all[lo:min(lo+size, len(all))]
}

// Pages is the number of pages of size items that n items fill.
func Pages(n, size int) int { return (n + size - 1) / size }

// Shorten is a listing page without its last item when short (a Short
// fault: the page loses one record while the API's totals still count
// it).
func Shorten[T any](page []T, short bool) []T {
	if short && len(page) > 0 {
		return page[:len(page)-1]
	}
	return page
}

// Secret reports whether a credential matches, in constant time.
func Secret(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// JSON writes v as a JSON answer (nil: an empty body).
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

// Decode reads a JSON body into v, refusing unknown fields and trailing
// data (the fakes check the shapes the client sends).
func Decode(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

// NullFields are the names among fields whose value in the JSON object
// body is null (APIs that validate types refuse null for an array or an
// object).
func NullFields(body []byte, fields ...string) ([]string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	var out []string
	for _, f := range fields {
		if v, ok := m[f]; ok && bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			out = append(out, f)
		}
	}
	return out, nil
}

// Drop closes the connection after the handler returns, so the client
// gets no answer to a request that was applied: call it with the real
// ResponseWriter and write the answer to the one it returns.
func Drop(w http.ResponseWriter) (discard http.ResponseWriter, closeConn func()) {
	return discardWriter{}, func() {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
			}
		}
	}
}

// Apply lets through to the fake's state a request whose fault does its
// work: Lost (the work done, the connection closed before the answer)
// and Applied with a Status (the work done, then answered with fail: a
// gateway's 5xx while the API behind it did the work). It returns the
// writer the handler answers the request on, and done, to defer: done
// closes the connection (Lost), or writes fail's answer on w, fail given
// the headers of the answer the request would have had (a rate-limit
// count). applied is false for any other fault, which the handler answers
// (or not) on w itself.
func Apply(w http.ResponseWriter, f Fault, fail func(w http.ResponseWriter, answered http.Header)) (out http.ResponseWriter, done func(), applied bool) {
	if f.Status > 0 && f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter) // on the fault's answer, whoever writes it
	}
	if f.Status > 0 {
		for k, v := range f.Header {
			w.Header()[http.CanonicalHeaderKey(k)] = v
		}
	}
	switch {
	case f.Status == Lost:
		out, done = Drop(w)
		return out, done, true
	case f.Status > 0 && f.Applied:
		rec := httptest.NewRecorder()
		return rec, func() { fail(w, rec.Header()) }, true
	}
	return w, func() {}, false
}

type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}

// Between serves h, and once the first request that match selects has
// been answered, calls change: what happens to the vendor's state
// between two requests of a client (a record deleted and another added
// while the pages of a listing are read). Serve it in front of a fake
// (httptest.NewServer(Between(fake.Config.Handler, …))).
func Between(h http.Handler, match func(*http.Request) bool, change func()) http.Handler {
	var once sync.Once
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if match(r) {
			once.Do(change)
		}
	})
}
