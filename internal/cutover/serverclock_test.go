package cutover

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestServerClockRule: the step's clock is judged against every HTTPS
// server it asked, and any one more than TrailClockSkew off stops it: a
// server agreeing with a wrong clock (a self-hosted API on the same box)
// does not vouch for it against one that disagrees (on the code before,
// one agreeing server passed the step). A plain-HTTP answer's Date, which
// anyone on the path may set, counts for nothing (before, it counted).
func TestServerClockRule(t *testing.T) {
	serve := func(t *testing.T, tls bool, off time.Duration) *httptest.Server {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", time.Now().Add(off).UTC().Format(http.TimeFormat))
		})
		s := httptest.NewUnstartedServer(h)
		if tls {
			s.StartTLS()
		} else {
			s.Start()
		}
		t.Cleanup(s.Close)
		return s
	}
	type srv struct {
		tls bool
		off time.Duration // the server's clock minus real time
	}
	week := 8 * 24 * time.Hour
	for _, tc := range []struct {
		name    string
		ahead   time.Duration // the step's clock minus real time
		servers []srv
		stop    int // the index of the server the error names (-1: none)
	}{
		{name: "a clock 8 days fast, an HTTPS server right", ahead: week, servers: []srv{{tls: true}}, stop: 0},
		{name: "a clock 8 days fast, one HTTPS server agreeing, another right", ahead: week, servers: []srv{{tls: true, off: week}, {tls: true}}, stop: 1},
		{name: "a clock 8 days fast, a plain-HTTP server right", ahead: week, servers: []srv{{off: 0}}, stop: -1},
		{name: "a right clock, a plain-HTTP server 8 days off", servers: []srv{{off: week}, {tls: true}}, stop: -1},
		{name: "a clock 4 minutes fast", ahead: 4 * time.Minute, servers: []srv{{tls: true}}, stop: -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{Now: func() time.Time { return time.Now().Add(tc.ahead) }}
			ctx := c.watchDates(context.Background())
			var hosts []string
			for _, s := range tc.servers {
				hs := serve(t, s.tls, s.off)
				hosts = append(hosts, strings.TrimPrefix(strings.TrimPrefix(hs.URL, "https://"), "http://"))
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, hs.URL, nil)
				resp, err := (&http.Client{Transport: httpretry.Dated(hs.Client().Transport)}).Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
			err := c.serverClock()
			if (err != nil) != (tc.stop >= 0) || (err != nil && !strings.Contains(err.Error(), hosts[tc.stop]+"'s Date")) {
				t.Errorf("serverClock: %v; want a stop naming server %d of %v", err, tc.stop, hosts)
			}
		})
	}
}

// TestRecordOnServersClock: record appends nothing dated by a clock an
// HTTPS server the step asked disagrees with (a refusal, an error), but
// does append an emergency step's entry and the entry of a registrar
// change already made (the delegation moved: a trail without it would
// restore the wrong one), each with a warning.
func TestRecordOnServersClock(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	changed := time.Now().UTC()
	for _, tc := range []struct {
		name      string
		ahead     time.Duration
		emergency bool
		changedAt *time.Time
		failed    string // the registrar's error of a change asked for
		recorded  bool
	}{
		{name: "a refused flip on a clock 8 days fast", ahead: 8 * 24 * time.Hour},
		{name: "an emergency flip on a clock 8 days fast", ahead: 8 * 24 * time.Hour, emergency: true, recorded: true},
		{name: "a registrar change made, a server disagreeing since", ahead: 8 * 24 * time.Hour, changedAt: &changed, recorded: true},
		{name: "a refused flip on a right clock", recorded: true},
		// failedAttempt reads it: the change may complete yet.
		{name: "a registrar change that failed, a server disagreeing", ahead: 8 * 24 * time.Hour, failed: "registrar: the API did not answer", recorded: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{Now: func() time.Time { return time.Now().Add(tc.ahead) }, TrailPath: t.TempDir() + "/example.test.json"}
			ctx := c.watchDates(context.Background())
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
			resp, err := (&http.Client{Transport: httpretry.Dated(srv.Client().Transport)}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			tr, err := ReadTrail(c.TrailPath, "example.test.")
			if err != nil {
				t.Fatal(err)
			}
			rep := &Report{Result: ResultRefused, Emergency: tc.emergency}
			e := Entry{Time: c.Now().UTC(), Command: "flip", Result: ResultRefused, ChangedAt: tc.changedAt}
			if tc.failed != "" {
				rep.Result, rep.Errors = ResultError, []string{tc.failed}
				e.Result, e.Before = ResultError, &registrar.Delegation{NS: []string{"ns1.old.example.test."}}
			}
			written := c.record(ctx, tr, rep, e)
			after, err := ReadTrail(c.TrailPath, "example.test.")
			if err != nil {
				t.Fatal(err)
			}
			if written != tc.recorded || len(after.Entries) != map[bool]int{false: 0, true: 1}[tc.recorded] {
				t.Errorf("recorded %v (%d entries), want %v; errors %q, warnings %q", written, len(after.Entries), tc.recorded, rep.Errors, rep.Warnings)
			}
			if off := tc.ahead != 0; off != (len(rep.Errors)+len(rep.Warnings) > 0) {
				t.Errorf("clock off %v: errors %q, warnings %q", off, rep.Errors, rep.Warnings)
			}
		})
	}
}
