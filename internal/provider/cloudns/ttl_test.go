package cloudns_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// TestAvailableTTLs: the TTLs a plan checks are those ClouDNS lets the
// account have (dns/get-available-ttl.json), asked once per provider
// whatever the zones and listings: a TTL the documented list lacks but
// the account's plan allows is pushed, one the documented list has but
// the plan does not is refused at plan time, naming the account's list.
// The fake refuses a TTL off that list on every write, as ClouDNS does.
func TestAvailableTTLs(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com")
	s.AddZone("example.org")
	s.SetTTLs(30, 60, 120, 3600, 86400) // a plan with lower TTLs, no 300
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{AuthID: authID, APISettings: provider.APISettings{APIKey: password}}})
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 3600 SOA pns41.cloudns.net. h. 1 2 3 4 5\n@ 3600 NS pns41.cloudns.net.\n@ 3600 NS pns42.cloudns.com.\nfast 120 A 192.0.2.1\nslow 300 A 192.0.2.2\n")
	cur, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
	if len(pl.Unsupported) != 1 || pl.Unsupported[0].Set.Name != "slow.example.com." ||
		!strings.Contains(pl.Unsupported[0].Reason, "TTL 300") || !strings.Contains(pl.Unsupported[0].Reason, "30, 60, 120, 3600, 86400") {
		t.Errorf("unsupported %v, want slow's TTL 300 refused with the account's list", pl.Unsupported)
	}
	for _, w := range pl.Warnings {
		if strings.Contains(w, "TTL") && strings.Contains(w, "documented") {
			t.Errorf("a warning though the account's list was read: %s", w)
		}
	}
	if _, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil); err != nil {
		t.Fatalf("push of TTL 120, which the account allows: %v", err)
	}
	if _, err := p.Records(context.Background(), "example.org."); err != nil {
		t.Fatal(err)
	}
	if n := s.Count("get-available-ttl"); n != 1 {
		t.Errorf("get-available-ttl asked %d times, want once per provider", n)
	}
	// What the plan refused, ClouDNS refuses too: the fake enforces the
	// account's list on add-record (sent here past the plan).
	slow := d.Get("slow.example.com.", pl.Unsupported[0].Set.Type)
	_, err = p.Apply(context.Background(), d.Origin, []provider.Change{{Action: provider.Create, Name: slow.Name, Type: slow.Type, New: slow}}, nil)
	if err == nil || !strings.Contains(err.Error(), "Invalid TTL") {
		t.Errorf("add-record of TTL 300 off the account's list: %v, want ClouDNS's refusal", err)
	}
}

// TestAvailableTTLsFallback: when get-available-ttl.json fails, the plan
// checks the documented list, says so in a warning naming the call and
// why, and does not ask again.
func TestAvailableTTLsFallback(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(s *cloudnstest.Server)
		why   string
	}{
		{"HTTP 500", func(s *cloudnstest.Server) {
			s.AddFault(cloudnstest.Fault{Path: "get-available-ttl", Times: 1, Status: http.StatusInternalServerError})
		}, "HTTP 500"},
		{"an empty list", func(s *cloudnstest.Server) { s.SetTTLs() }, "no TTL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, authID, "")
			s.AddZone("example.com")
			tc.fault(s)
			p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{AuthID: authID, APISettings: provider.APISettings{APIKey: password}}})
			p.SetRetry(httpretry.Policy{Attempts: 1, Base: time.Millisecond, Max: time.Millisecond})
			d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 3600 SOA pns41.cloudns.net. h. 1 2 3 4 5\n@ 3600 NS pns41.cloudns.net.\n@ 3600 NS pns42.cloudns.com.\nfast 120 A 192.0.2.1\nslow 300 A 192.0.2.2\n")
			for range 2 {
				cur, err := p.Records(context.Background(), d.Origin)
				if err != nil {
					t.Fatal(err)
				}
				pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
				if len(pl.Unsupported) != 1 || pl.Unsupported[0].Set.Name != "fast.example.com." || !strings.Contains(pl.Unsupported[0].Reason, "documented") {
					t.Errorf("unsupported %v, want fast's TTL 120 refused by the documented list", pl.Unsupported)
				}
				w := strings.Join(pl.Warnings, "\n")
				if !strings.Contains(w, "get-available-ttl") || !strings.Contains(w, tc.why) || !strings.Contains(w, "documented list") {
					t.Errorf("warnings %q: no warning that the account's TTLs could not be read (%s)", pl.Warnings, tc.why)
				}
			}
			if n := s.Count("get-available-ttl"); n != 1 {
				t.Errorf("get-available-ttl asked %d times, want once", n)
			}
		})
	}
}

// TestAvailableTTLsConcurrent: zones listed at once (push reads several)
// wait for the one get-available-ttl answer: no plan checks the
// documented list while the account's is on its way.
func TestAvailableTTLsConcurrent(t *testing.T) {
	s := newServer(t, authID, "")
	for _, z := range []string{"a.example", "b.example", "c.example"} {
		s.AddZone(z)
	}
	s.SetTTLs(60, 120, 3600)
	target, _ := url.Parse(s.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "get-available-ttl") {
			time.Sleep(300 * time.Millisecond) // a slow answer: the other listings end first
		}
		proxy.ServeHTTP(w, r)
	}))
	defer slow.Close()
	p, err := cloudns.New(&config.Provider{Type: "cloudns", Settings: &cloudns.Settings{AuthID: authID, APISettings: provider.APISettings{URL: slow.URL, APIKey: password}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRateLimit(httpretry.Limits{PerSecond: 100, Burst: 5})
	var wg sync.WaitGroup
	for _, z := range []string{"a.example.", "b.example.", "c.example."} {
		wg.Go(func() {
			d := providertest.Desired(t, z, "$ORIGIN "+z+"\n@ 3600 SOA pns41.cloudns.net. h. 1 2 3 4 5\n@ 3600 NS pns41.cloudns.net.\nfast 120 A 192.0.2.1\n")
			cur, err := p.Records(context.Background(), z)
			if err != nil {
				t.Error(err)
				return
			}
			if pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()}); len(pl.Unsupported) != 0 {
				t.Errorf("%s: %v: planned before the account's TTLs were read", z, pl.Unsupported)
			}
		})
	}
	wg.Wait()
	if n := s.Count("get-available-ttl"); n != 1 {
		t.Errorf("get-available-ttl asked %d times, want once", n)
	}
}

// TestAvailableTTLsAnswerRedacted: an answer of get-available-ttl.json
// that is not a list of TTLs is quoted in the plan's warning as the
// server's other texts are, the password taken out (in any encoding):
// on the code before, its first 64 characters were quoted as they came.
func TestAvailableTTLsAnswerRedacted(t *testing.T) {
	for _, body := range []string{
		`{"auth-password":"` + password + `","note":"no plan"}`,
		`{"auth-password":"` + strings.ToUpper(password) + `"}`,
		`["` + url.QueryEscape(password) + `"]`,
	} {
		s := newServer(t, authID, "")
		s.AddZone("example.com")
		s.AddFault(cloudnstest.Fault{Path: "get-available-ttl", Times: 1, Body: body})
		p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{AuthID: authID, APISettings: provider.APISettings{APIKey: password}}})
		if _, err := p.Records(context.Background(), "example.com."); err != nil {
			t.Fatal(err)
		}
		w := strings.Join(p.Capabilities().Warnings, "\n")
		if !strings.Contains(w, "get-available-ttl") || !strings.Contains(w, "bad answer") {
			t.Errorf("answer %s: warnings %q, want one saying the answer was bad", body, w)
		}
		if leak := redacttest.Leak(w, password); leak != "" {
			t.Errorf("answer %s: the password in the warning: %s", body, leak)
		}
	}
}

// TestApexTTLs: ClouDNS keeps the SOA apart from the records (the plan
// warns of it and does not change it), and the apex NS as records of the
// zone (cloudnstest.Server.AddZone: ClouDNS's own servers at 3600): after
// `ttl --cap` the apex NS takes git's TTL with ClouDNS's names, and git's
// other apex records (MX, TXT) git's TTL, down to the least of ClouDNS's
// TTL list (60) and up again; a second plan is empty
// (providertest.ApexTTLs, the zone read back by Records).
func TestApexTTLs(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com")
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	providertest.ApexTTLs(t, p, providertest.ApexTTL{
		Extra: "@ MX 10 mail.example.org.\n@ TXT \"v=spf1 -all\"\nwww A 192.0.2.1\n",
		Floor: 60,
	})
}
