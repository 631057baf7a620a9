package cutover

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/httpretry"
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
