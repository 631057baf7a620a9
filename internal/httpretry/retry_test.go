package httpretry

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := Policy{Attempts: 5, Base: time.Second, Max: 30 * time.Second}
	tests := []struct {
		name    string
		attempt int
		header  string
		want    time.Duration
	}{
		{"first backoff", 1, "", time.Second},
		{"doubles", 3, "", 4 * time.Second},
		{"capped", 10, "", 30 * time.Second},
		{"retry-after seconds", 1, "7", 7 * time.Second},
		{"retry-after zero", 4, "0", 0},
		// The server's word whole, beyond Max (Await bounds it): it was
		// cut to Max, and a try sooner than it asked only spent requests.
		{"retry-after beyond Max", 1, "3600", time.Hour},
		{"retry-after date", 1, now.Add(12 * time.Second).Format(http.TimeFormat), 12 * time.Second},
		{"retry-after past date", 1, now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"retry-after garbage", 2, "soon", 2 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.header != "" {
				h.Set("Retry-After", tc.header)
			}
			if got := p.Delay(tc.attempt, h, now); got != tc.want {
				t.Errorf("Delay(%d, %q) = %v, want %v", tc.attempt, tc.header, got, tc.want)
			}
		})
	}
}

// TestRetryAfterBeyondMax: a Retry-After longer than the policy's Max
// is waited whole (Cloudflare blocks five minutes after a 429: a try
// after Max only spends requests), up to the context's deadline; one
// ending past it, or longer than Longest, fails at once with
// ErrWaitTooLong naming the wait, without another try.
func TestRetryAfterBeyondMax(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter string
		timeout    time.Duration
		longest    time.Duration
		wantTries  int
		wantErr    string // "" : the second try answered 200
	}{
		{"waited whole", "1", 10 * time.Second, 0, 2, ""},
		{"past the deadline", "300", 2 * time.Second, 0, 1, "5m0s before another try, past the deadline"},
		{"longer than Longest", "300", time.Hour, time.Minute, 1, "5m0s before another try, more than the 1m0s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var arrived []time.Time
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				arrived = append(arrived, time.Now())
				if len(arrived) == 1 {
					w.Header().Set("Retry-After", tc.retryAfter)
					w.WriteHeader(http.StatusTooManyRequests)
				}
			}))
			defer srv.Close()
			c := &Client{Policy: Policy{Attempts: 3, Base: time.Millisecond, Max: 10 * time.Millisecond, Longest: tc.longest}}
			c.SetRateLimit(Limits{})
			ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
			defer cancel()
			a, err := c.Do(ctx, true, func(ctx context.Context) (*http.Request, error) {
				return http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
			})
			if len(arrived) != tc.wantTries {
				t.Errorf("%d tries, want %d", len(arrived), tc.wantTries)
			}
			if tc.wantErr == "" {
				if err != nil || a.Status != http.StatusOK {
					t.Fatalf("status %d, %v", a.Status, err)
				}
				if gap := arrived[1].Sub(arrived[0]); gap < 990*time.Millisecond {
					t.Errorf("tried again after %s, before the Retry-After of 1 s", gap)
				}
				return
			}
			if !errors.Is(err, ErrWaitTooLong) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want ErrWaitTooLong: %s", err, tc.wantErr)
			}
		})
	}
}

// TestPauseOutlastingTheDeadline: a request that would wait past its
// context's deadline for the account's pause after a refusal, or for the
// pacing the headers ask, fails at once naming the wait (it slept until
// the deadline, then "context deadline exceeded").
func TestPauseOutlastingTheDeadline(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(l *Limiter)
		want string
	}{
		{"paused after a refusal", func(l *Limiter) { l.Throttled(time.Minute) }, "paused after a refusal for rate"},
		{"paced by the headers", func(l *Limiter) { l.Observe("f", 100, 0, time.Minute) }, "rate-limit headers ask to wait"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLimiter(Limits{})
			tc.set(l)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			start := time.Now()
			_, err := l.Wait(ctx, "f")
			if !errors.Is(err, ErrWaitTooLong) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want ErrWaitTooLong: %s", err, tc.want)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("waited %s before failing", d)
			}
		})
	}
}

func TestRetryable(t *testing.T) {
	for status, want := range map[int]bool{200: false, 400: false, 403: false, 429: true, 500: true, 501: false, 502: true, 503: true} {
		if got := Retryable(status); got != want {
			t.Errorf("Retryable(%d) = %v", status, got)
		}
	}
}

func TestPace(t *testing.T) {
	for _, tc := range []struct {
		name             string
		limit, remaining int
		period, want     time.Duration
	}{
		{"plenty left", 150, 100, 300 * time.Second, 0},
		{"no header", 0, -1, 300 * time.Second, 0},
		{"a tenth left", 100, 10, 10 * time.Second, time.Second},
		{"few left", 150, 5, 300 * time.Second, 60 * time.Second},
		{"none left", 150, 0, 300 * time.Second, 300 * time.Second},
		{"unknown limit", 0, 4, 8 * time.Second, 2 * time.Second},
		{"no period", 10, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Pace(tc.limit, tc.remaining, tc.period); got != tc.want {
				t.Errorf("Pace(%d, %d, %v) = %v, want %v", tc.limit, tc.remaining, tc.period, got, tc.want)
			}
		})
	}
}

func TestBudgetWaits(t *testing.T) {
	// Max is long enough that a wait of it and none tell apart on a
	// loaded machine (a scheduling stall of 20 ms made a 30 ms Max
	// ambiguous).
	b := &Budget{Max: 300 * time.Millisecond}
	start := time.Now()                 // the answer's time: the wait counts from it
	b.Observe(100, 0, time.Hour, start) // capped at Max
	if err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 295*time.Millisecond {
		t.Errorf("waited %v with no requests left", d)
	}
	b.Observe(100, 90, time.Hour, time.Now())
	start = time.Now()
	_ = b.Wait(context.Background())
	if d := time.Since(start); d > 150*time.Millisecond {
		t.Errorf("waited %v with plenty left", d)
	}
}

func TestClientRetries(t *testing.T) {
	for _, tc := range []struct {
		name       string
		statuses   []int
		idempotent bool
		wantStatus int
		wantTries  int
		// wantEarlier: a write's earlier 5xx (perhaps applied), never a
		// refusal for rate's nor a read's.
		wantEarlier int
	}{
		{"429 then ok", []int{429, 429, 200}, false, 200, 3, 0},
		{"503 exhausted", []int{503, 503, 503, 503}, true, 503, 3, 0},
		{"400 not retried", []int{400, 200}, true, 400, 1, 0},
		{"throttled 400", []int{418, 200}, false, 200, 2, 0},
		{"write 502 then 400", []int{502, 400}, false, 400, 2, 502},
		{"read 502 then 400", []int{502, 400}, true, 400, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := tc.statuses[min(n, len(tc.statuses)-1)]
				n++
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(s)
			}))
			defer srv.Close()
			c := &Client{Policy: Policy{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond},
				Throttled: func(status int, h http.Header, _ []byte) bool { return status == 418 && h.Get("Retry-After") == "0" }}
			a, err := c.Do(context.Background(), tc.idempotent, func(ctx context.Context) (*http.Request, error) {
				return http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/x?auth-password=secret", nil)
			})
			if err != nil {
				t.Fatal(err)
			}
			if a.Status != tc.wantStatus || a.Tries != tc.wantTries || n != tc.wantTries || a.Earlier != tc.wantEarlier {
				t.Errorf("status %d after %d tries (%d sent), earlier 5xx %d, want %d after %d, earlier %d", a.Status, a.Tries, n, a.Earlier, tc.wantStatus, tc.wantTries, tc.wantEarlier)
			}
		})
	}
	// A lost answer: a write is not repeated, and the URL's query (which
	// may hold a password) is not in the error.
	c := &Client{Policy: Policy{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond}}
	_, err := c.Do(context.Background(), false, func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1:1/x?auth-password=hunter2", nil)
	})
	if !errors.Is(err, ErrTransport) || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("transport error: %v", err)
	}
}

// TestAccountSharesOneLimiter: providers of one account get one limiter
// (whatever credential text they hold, it is not kept), other accounts or
// endpoints their own.
func TestAccountSharesOneLimiter(t *testing.T) {
	l := Limits{PerSecond: 1, Burst: 1}
	a := Account("test", "https://api.example", "secret-1", l)
	if Account("test", "https://api.example", "secret-1", l) != a {
		t.Error("the same account got two limiters")
	}
	if Account("test", "https://api.example", "secret-2", l) == a || Account("test", "https://other.example", "secret-1", l) == a {
		t.Error("another account or endpoint shares the limiter")
	}
}

// TestThrottledPausesTheAccount: a refusal for rate makes every request of
// the account wait (capped by SetMax), and Stats count it.
func TestThrottledPausesTheAccount(t *testing.T) {
	l := NewLimiter(Limits{})
	l.SetMax(80 * time.Millisecond)
	l.Throttled(time.Hour) // capped at 80 ms
	start := time.Now()
	done, err := l.Wait(context.Background(), "any")
	if err != nil {
		t.Fatal(err)
	}
	done()
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("waited %v after a refusal for rate", d)
	}
	if st := l.Stats(); st.Throttled != 1 || st.Requests != 1 || st.Waited < 60*time.Millisecond {
		t.Errorf("stats %+v", st)
	}
	if (Limits{PerSecond: 3, Burst: 300}).Most(5*time.Minute) != 1200 {
		t.Error("Most")
	}
}

// TestWatchDates: under a context WatchDates made, each HTTPS server's
// Date (RFC 9110 §6.6.1) is kept against this machine's clock, through
// Client.Do and through a transport Dated wraps alike; an answer without
// a Date, with one that does not parse, or over plain HTTP (whose Date
// anyone on the path may set: counted before) adds nothing. Without
// WatchDates on the request's context nothing is kept: the same client
// first sends a watched request (answered without a Date), then an
// unwatched one, whose Date must not reach the watched Dates (as a
// transport or client remembering the last Dates it saw would do).
func TestWatchDates(t *testing.T) {
	for _, tc := range []struct {
		name   string
		date   string // "-": the server sends none
		plain  bool   // plain HTTP, not HTTPS
		watch  bool
		want   time.Duration // the offset kept (within 2 s)
		noneOK bool          // nothing kept
	}{
		{name: "a server 8 days ahead", date: time.Now().Add(8 * 24 * time.Hour).UTC().Format(http.TimeFormat), watch: true, want: 8 * 24 * time.Hour},
		{name: "a server an hour behind", date: time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), watch: true, want: -time.Hour},
		{name: "no Date", date: "-", watch: true, noneOK: true},
		{name: "a Date that does not parse", date: "yesterday", watch: true, noneOK: true},
		{name: "plain HTTP", date: time.Now().Add(8 * 24 * time.Hour).UTC().Format(http.TimeFormat), plain: true, watch: true, noneOK: true},
		{name: "not watched", date: time.Now().Add(8 * 24 * time.Hour).UTC().Format(http.TimeFormat), noneOK: true},
	} {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.date == "-" || r.Header.Get("X-No-Date") != "" {
				w.Header()["Date"] = nil // net/http's server adds none then
			} else {
				w.Header().Set("Date", tc.date)
			}
		}))
		if tc.plain {
			srv.Start()
		} else {
			srv.StartTLS()
		}
		for _, via := range []string{"Client.Do", "Dated"} {
			t.Run(tc.name+" via "+via, func(t *testing.T) {
				ctx, d := WatchDates(context.Background())
				cl := &Client{HTTP: srv.Client()}
				hc := &http.Client{Transport: Dated(srv.Client().Transport)}
				send := func(ctx context.Context, noDate bool) {
					req := func(ctx context.Context) (*http.Request, error) {
						r, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
						if err == nil && noDate {
							r.Header.Set("X-No-Date", "1")
						}
						return r, err
					}
					if via == "Client.Do" {
						if _, err := cl.Do(ctx, true, req); err != nil {
							t.Fatal(err)
						}
						return
					}
					r, _ := req(ctx)
					resp, err := hc.Do(r)
					if err != nil {
						t.Fatal(err)
					}
					resp.Body.Close()
				}
				if tc.watch {
					send(ctx, false)
				} else {
					send(ctx, true)
					send(context.Background(), false)
				}
				offs := d.Offsets()
				if tc.noneOK {
					if len(offs) != 0 {
						t.Errorf("kept %+v, want nothing", offs)
					}
					return
				}
				if len(offs) != 1 || offs[0].Host != strings.TrimPrefix(srv.URL, "https://") || (offs[0].Off-tc.want).Abs() > 2*time.Second {
					t.Errorf("kept %+v, want %s for %s", offs, tc.want, srv.URL)
				}
			})
		}
		srv.Close()
	}
}
