package powerdns_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestTTLZero: a TTL of 0 is sent as such (PowerDNS answers 422 to an
// rrset without ttl), so the push lands and the next plan is empty.
func TestTTLZero(t *testing.T) {
	lab.Require(t, "pdns_server")
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	ctx := context.Background()
	text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.53\nns2 A 198.51.100.53\nnow 0 A 192.0.2.7\nnow 0 TXT \"no caching\"\n"
	desired, err := zone.Parse(strings.NewReader(text), "ttl0.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CreateZoneApex(ctx, desired, nil); err != nil {
		t.Fatal(err)
	}
	cur, _ := p.Records(ctx, origin)
	pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
	if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
		t.Fatalf("push of TTL 0: %v", err)
	}
	got, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []uint16{dns.TypeA, dns.TypeTXT} {
		if s := got.Get("now.example.com.", typ); s == nil || s.TTL != 0 {
			t.Errorf("now %s: %v, want TTL 0", dns.Type(typ), s)
		}
	}
	if again := plan.Compute(desired, got, plan.Options{Caps: p.Capabilities()}); len(again.Changes) != 0 {
		t.Errorf("plan after the push: %v, want empty", again.Changes)
	}
	// Also on the wire.
	m := new(dns.Msg)
	m.SetQuestion("now.example.com.", dns.TypeA)
	if r, err := dns.Exchange(m, srv.Addr); err != nil || len(r.Answer) != 1 || r.Answer[0].Header().Ttl != 0 {
		t.Errorf("served: %v %v", r, err)
	}
}

// faulty is a proxy in front of a real PowerDNS that answers the first
// fail requests of a method with status (and Retry-After), then passes
// them on.
type faulty struct {
	mu     sync.Mutex
	method string
	fail   int
	status int
	after  string
	seen   map[string]int // requests per method
}

func (f *faulty) set(method string, fail, status int, after string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.method, f.fail, f.status, f.after = method, fail, status, after
	f.seen = map[string]int{}
}

func (f *faulty) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[method]
}

func faultyProxy(t *testing.T, target string) (*faulty, string) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	f := &faulty{seen: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(u)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.seen[r.Method]++
		fail := r.Method == f.method && f.fail > 0
		if fail {
			f.fail--
		}
		status, after := f.status, f.after
		f.mu.Unlock()
		if fail {
			if after != "" {
				w.Header().Set("Retry-After", after)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"error": "injected %d"}`, status)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return f, ts.URL
}

func TestRetries(t *testing.T) {
	lab.Require(t, "pdns_server")
	srv := lab.PDNS(t, lab.Options{})
	f, proxied := faultyProxy(t, srv.APIURL)
	p := newProvider(t, proxied, srv.APIKey)
	var waits []time.Duration
	powerdns.SetSleep(p, func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	})
	base := powerdns.Backoff(p)
	ctx := context.Background()
	desired := load(t)

	// POST is not idempotent: one attempt, the error is the 503.
	f.set(http.MethodPost, 1, http.StatusServiceUnavailable, "")
	waits = nil
	if err := p.CreateZoneApex(ctx, desired, nil); err == nil || !strings.Contains(err.Error(), "503") || f.count(http.MethodPost) != 1 || len(waits) != 0 {
		t.Fatalf("POST with a 503: %v after %d requests, waits %v; want one attempt", err, f.count(http.MethodPost), waits)
	}
	f.set("", 0, 0, "")
	if err := p.CreateZoneApex(ctx, desired, nil); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name      string
		method    string
		fail      int
		status    int
		after     string
		wantErr   string // "" when the call succeeds
		wantWaits []time.Duration
		requests  int
	}{
		{"GET 503 twice, Retry-After in seconds", http.MethodGet, 2, 503, "2", "", []time.Duration{2 * time.Second, 2 * time.Second}, 3},
		{"GET 429 with an HTTP date in the past", http.MethodGet, 1, 429, "Wed, 21 Oct 2015 07:28:00 GMT", "", []time.Duration{0}, 2},
		{"PATCH 429 without Retry-After: backoff", http.MethodPatch, 2, 429, "", "", []time.Duration{base, 2 * base}, 3},
		{"PATCH 502 for good: bounded", http.MethodPatch, 100, 502, "", "gave up after 4 attempts", []time.Duration{base, 2 * base, 4 * base}, 4},
		{"GET Retry-After too long", http.MethodGet, 1, 503, "3600", "more than the 30s waited at most", nil, 1},
		{"GET 400 is not retried", http.MethodGet, 1, 400, "1", "HTTP 400", nil, 1},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Each PATCH case has something to change.
			extra, _ := dns.NewRR(fmt.Sprintf("case.example.com. 300 IN TXT \"case %d\"", i))
			set, _ := zone.NewRRSet([]dns.RR{extra})
			desired := load(t)
			desired.AddSet(set)
			f.set(tc.method, tc.fail, tc.status, tc.after)
			waits = nil
			var err error
			if tc.method == http.MethodGet {
				_, err = p.Records(ctx, origin)
			} else {
				cur, rerr := p.Records(ctx, origin)
				if rerr != nil {
					t.Fatal(rerr)
				}
				pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
				var res provider.Result
				res, err = p.Apply(ctx, origin, pl.Changes, nil)
				if err == nil && len(res.Applied) != len(pl.Changes) {
					t.Errorf("%d of %d applied", len(res.Applied), len(pl.Changes))
				}
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("got %v, want error %q", err, tc.wantErr)
			}
			if got := f.count(tc.method); got != tc.requests {
				t.Errorf("%d %s requests, want %d", got, tc.method, tc.requests)
			}
			if fmt.Sprint(waits) != fmt.Sprint(tc.wantWaits) {
				t.Errorf("waits %v, want %v", waits, tc.wantWaits)
			}
		})
	}
	// After all that, the zone is the zone file (a retried PATCH is
	// harmless) and the next plan is empty.
	f.set("", 0, 0, "")
	desired.AddSet(mustSet(t, "case.example.com. 300 IN TXT \"case 2\""))
	got, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	if again := plan.Compute(desired, got, plan.Options{Caps: p.Capabilities()}); len(again.Changes) != 0 {
		t.Errorf("plan after the retries: %v", again.Changes)
	}
}

// TestRetryHonoursContext: a Retry-After that would end past the
// context's deadline fails at once, naming the wait (it used to be slept
// until the deadline, then "context deadline exceeded": a deliberate
// change, httpretry.Worth); a cancelled context ends a wait that fits.
func TestRetryHonoursContext(t *testing.T) {
	for _, tc := range []struct {
		name, retryAfter string
		deadline         bool // else cancelled after 300 ms
		want             error
	}{
		{"past the deadline", "20", true, httpretry.ErrWaitTooLong},
		{"cancelled within the wait", "5", false, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tc.retryAfter)
				w.WriteHeader(http.StatusServiceUnavailable)
			}))
			defer ts.Close()
			p := newProvider(t, ts.URL, "k")
			ctx, cancel := context.WithCancel(context.Background())
			if tc.deadline {
				ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
			} else {
				time.AfterFunc(300*time.Millisecond, cancel)
			}
			defer cancel()
			start := time.Now()
			_, err := p.Records(ctx, origin)
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
			if tc.deadline && (err == nil || !strings.Contains(err.Error(), "20s before another try")) {
				t.Errorf("error %v does not name the wait asked for", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %s: the wait was not cut short", d)
			}
		})
	}
}

func mustSet(t *testing.T, rr string) *zone.RRSet {
	t.Helper()
	r, err := dns.NewRR(rr)
	if err != nil {
		t.Fatal(err)
	}
	s, err := zone.NewRRSet([]dns.RR{r})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
