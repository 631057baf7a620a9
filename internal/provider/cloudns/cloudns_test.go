package cloudns_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

const (
	authID   = "4321"
	password = "cloudns-password-for-tests"
)

var zoneFile = `$ORIGIN example.com.
$TTL 300
@        SOA   pns41.cloudns.net. support.cloudns.net. 1 7200 1800 1209600 3600
@ 3600   NS    pns41.cloudns.net.
` + providertest.CommonRecords + `_443._tcp.www TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
host     SSHFP 4 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
sub      NS    ns1.sub.example.com.
sub      DS    12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
ns1.sub  A     192.0.2.53
ptr      3600 PTR host.example.net.
long     TXT   "` + strings.Repeat("k", 255) + `" "` + strings.Repeat("m", 100) + `"
`

func newProvider(t testing.TB, s *cloudnstest.Server, cfg config.Provider) *cloudns.Provider {
	t.Helper()
	return newProviderAt(t, s.URL, cfg)
}

// newProviderAt is newProvider for the API at url (a fake, or a handler
// in front of one).
func newProviderAt(t testing.TB, url string, cfg config.Provider) *cloudns.Provider {
	t.Helper()
	cfg.Type = "cloudns"
	cfg.Settings.(*cloudns.Settings).URL = url
	p, err := cloudns.New(&cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.FastRetry)
	// The fake refuses more than 20 requests per 50 ms here (ClouDNS: per
	// second), the provider keeps under it at 100 a second after a burst
	// of 5: every test runs with the limit enforced, twenty times faster.
	p.SetRateLimit(httpretry.Limits{PerSecond: 100, Burst: 5})
	p.SetImportWait(5*time.Second, time.Millisecond)
	return p
}

// exampleZone is a fake holding zone example.com (with ClouDNS's apex NS)
// and a provider of the main account against it.
func exampleZone(t testing.TB) (*cloudnstest.Server, *cloudns.Provider) {
	s := newServer(t, authID, "")
	s.AddZone("example.com")
	return s, newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
}

// newServer starts a fake whose rate limit runs twenty times faster than
// ClouDNS's (see newProvider).
func newServer(t testing.TB, authID, subAuthID string) *cloudnstest.Server {
	s := cloudnstest.New(authID, subAuthID, password)
	s.SetLimit(&fakeapi.Window{Limit: 20, Period: 50 * time.Millisecond})
	t.Cleanup(s.Close)
	return s
}

func TestShared(t *testing.T) {
	// Through records-import (new RRsets, 5 records a call), and one
	// record per call (import off).
	for _, mode := range []struct {
		name    string
		batch   int
		midSkip int
	}{{"import", 5, 1}, {"per-record", 0, 4}} {
		for _, name := range providertest.Names {
			t.Run(mode.name+"/"+name, func(t *testing.T) {
				s := newServer(t, authID, "")
				defer s.Close()
				s.AddZone("example.com")
				h := providertest.Harness{
					Origin: "example.com.", Secret: password, ZoneFile: zoneFile, PageSize: 10, MidSkip: mode.midSkip,
					Refuses: corpusRefusals,
					// rows-per-page 10, 20, 30, 50 or 100 (cloudns.PageSizes).
					SetPageSize:    func(p provider.Provider, n int) error { return p.(*cloudns.Provider).SetPageSize(n) },
					PageSizesTaken: []int{20, 100}, PageSizesRefused: []int{0, -10, 5, 25, 101},
					New: func(t *testing.T, secret string) provider.Provider {
						p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: config.Secret(secret)}, AuthID: authID}})
						p.SetPageSize(10)
						p.SetImportBatch(mode.batch)
						return p
					},
					Short:        func() { s.AddFault(cloudnstest.Fault{Path: "records.json", Times: 1, Status: cloudnstest.Short}) },
					WriteApplied: s.WriteApplied,
					Writes:       func() int { return s.Count("write") },
					Lists:        func() int { return s.Count("list") },
					SeedA: func(n int) {
						for i := range n {
							s.Seed("example.com", cloudnstest.Record{Type: "A", Host: fmt.Sprintf("h%02d", i), Record: fmt.Sprintf("192.0.2.%d", i), TTL: "300"})
						}
					},
					Fault: func(status, skip, times int, retryAfter string) {
						s.ClearFaults()
						if status != 0 {
							s.AddFault(cloudnstest.Fault{Writes: true, Skip: skip, Times: times, Status: status, RetryAfter: retryAfter})
						}
					},
					SeedUnreadable: func() (string, string, func() bool) {
						// As if made in ClouDNS's control panel: an HTTPS
						// record, a type ClouDNS offers and lists with its
						// priority, target in record and parameters
						// (ClouDNS's WHMCS module reads them so), which this
						// provider does not map (records.go, supported).
						rid := s.Seed("example.com", cloudnstest.Record{Type: "HTTPS", Host: "x", Record: "svc.example.net", Priority: "1", TTL: "3600"})
						return "x.example.com.", "HTTPS", func() bool {
							for _, r := range s.Records("example.com") {
								if r.ID == rid {
									return true
								}
							}
							return false
						}
					},
				}
				providertest.RunOne(t, name, h)
				if s.SecretInURL {
					t.Error("the auth-password was sent in a URL")
				}
			})
		}
	}
}

// TestImportStoppedMidway: an import the API stops at a refused record
// (it keeps the records before it) is read back, and the Result lists
// exactly the RRsets that landed; a re-run converges.
func TestImportStoppedMidway(t *testing.T) {
	s := newServer(t, authID, "")
	defer s.Close()
	s.AddZone("example.com")
	s.Seed("example.com", cloudnstest.Record{Type: "ALIAS", Host: "m", Record: "lb.example.net", TTL: "300"}) // refuses a CNAME beside it
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	head := "$ORIGIN example.com.\n@ 3600 SOA ns. h. 1 2 3 4 5\n@ 3600 NS pns41.cloudns.net.\n@ 3600 NS pns42.cloudns.com.\n"
	d := providertest.Desired(t, "example.com.", head+"a 300 A 192.0.2.1\nm 300 CNAME www.example.net.\nz 300 A 192.0.2.3\n")
	pl := providertest.Plan(t, p, d)
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil {
		t.Fatal("no error")
	}
	t.Logf("the failed push says: %v", err)
	if len(res.Applied) != 1 || res.Applied[0].Name != "a.example.com." {
		t.Errorf("applied %v, want a.example.com. A only", res.Applied)
	}
	for _, w := range []string{"records-import 1 of 1 failed", "not applied: m.example.com. CNAME, z.example.com. A", "CNAME record cannot coexist"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q", w)
		}
	}
	d2 := providertest.Desired(t, "example.com.", head+"a 300 A 192.0.2.1\nz 300 A 192.0.2.3\n")
	providertest.Push(t, p, d2)
	if pl := providertest.Plan(t, p, d2); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

// TestInPlaceAndOrder: a replaced record is edited in place (same id); a
// name that becomes a CNAME loses its other records first.
func TestInPlaceAndOrder(t *testing.T) {
	s := newServer(t, "", "77")
	defer s.Close()
	s.AddZone("example.com")
	old := s.Seed("example.com", cloudnstest.Record{Type: "A", Host: "a", Record: "192.0.2.1", TTL: "300"})
	s.Seed("example.com", cloudnstest.Record{Type: "A", Host: "c", Record: "192.0.2.3", TTL: "300"})
	s.Seed("example.com", cloudnstest.Record{Type: "TXT", Host: "c", Record: "hello", TTL: "300"})
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, SubAuthID: "77"}})
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 3600 SOA ns. h. 1 2 3 4 5\n@ 3600 NS pns41.cloudns.net.\n@ 3600 NS pns42.cloudns.com.\na 300 A 192.0.2.9\nc 300 CNAME a.example.com.\n")
	res := providertest.Push(t, p, d)
	if res.Requests != 4 {
		t.Errorf("%d calls, want 4 (one mod-record, two deletes, one add)", res.Requests)
	}
	if s.Count("mod-record") != 1 || s.Count("delete-record") != 2 || s.Count("add-record") != 1 {
		t.Errorf("calls: mod %d delete %d add %d", s.Count("mod-record"), s.Count("delete-record"), s.Count("add-record"))
	}
	for _, r := range s.Records("example.com") {
		if r.Host == "a" && r.ID != old {
			t.Errorf("a re-created (id %s → %s)", old, r.ID)
		}
	}
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

func TestZoneLookupAndAuth(t *testing.T) {
	s := newServer(t, authID, "")
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	ns, err := p.Nameservers(context.Background(), "example.com.")
	if err != nil || strings.Join(ns, ",") != "pns41.cloudns.net.,pns42.cloudns.com." {
		t.Errorf("nameservers %v %v", ns, err)
	}
	if _, err := p.Records(context.Background(), "missing.net."); !errors.Is(err, provider.ErrZoneNotFound) {
		t.Errorf("missing zone: %v", err)
	}
	for _, tc := range []struct {
		name string
		cfg  config.Provider
		want string
	}{
		{"no user", config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}}}, "auth_id"},
		{"both users", config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: "1", SubAuthID: "2"}}, "not both"},
		{"no password", config.Provider{Settings: &cloudns.Settings{AuthID: "1"}}, "api_key_env"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := cloudns.New(&tc.cfg, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error naming %s", err, tc.want)
			}
		})
	}
}

func TestFeatures(t *testing.T) {
	s := newServer(t, authID, "")
	defer s.Close()
	s.AddZone("example.com")
	s.Seed("example.com", cloudnstest.Record{Type: "ALIAS", Host: "", Record: "lb.example.net", TTL: "300"})
	s.Seed("example.com", cloudnstest.Record{Type: "WR", Host: "go", Record: "https://example.org/", TTL: "300", RedirectType: "301"})
	s.Seed("example.com", cloudnstest.Record{Type: "A", Host: "geo", Record: "192.0.2.10", TTL: "300"})
	s.Seed("example.com", cloudnstest.Record{Type: "A", Host: "geo", Record: "198.51.100.10", TTL: "300", GeoCode: "EU"})
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	providertest.FeaturesAre(t, p, "example.com.", "example.com. ALIAS alias true", "go.example.com. WR web-redirect true", "geo.example.com. A geodns true", "geo.example.com. A geodns false")
	z, err := p.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if g := z.Get("geo.example.com.", dns.TypeA); g == nil || len(g.Records) != 1 {
		t.Errorf("geo: want the default answer only, got %v", g)
	}
}

// TestDSLeftBehind: the DS records ClouDNS publishes, and a DS at the
// parent that no longer matches (DNSSEC turned off, or a new key) named
// as stale.
func TestDSLeftBehind(t *testing.T) {
	s := newServer(t, authID, "")
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	oldDS, newDS := "11111 13 2 AAAA", "22222 13 2 BBBB"
	for _, tc := range []struct {
		name   string
		on     bool
		ds     []string
		parent []string
		stale  string
	}{
		{"in sync", true, []string{newDS}, []string{newDS}, ""},
		{"old DS left after a key change", true, []string{newDS}, []string{oldDS, newDS}, oldDS},
		{"DNSSEC off, DS left", false, nil, []string{oldDS}, oldDS},
		{"off and no DS", false, nil, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.SetDNSSEC("example.com", tc.on, tc.ds...)
			st, err := p.DSState(context.Background(), "example.com.")
			if err != nil {
				t.Fatal(err)
			}
			if st.Active != tc.on || strings.Join(st.DS, ",") != strings.Join(tc.ds, ",") {
				t.Errorf("state %+v", st)
			}
			if got := strings.Join(provider.StaleDS(tc.parent, st), ","); got != tc.stale {
				t.Errorf("stale %q, want %q", got, tc.stale)
			}
		})
	}
	var _ provider.DSReporter = p
}

func TestCapabilityMap(t *testing.T) {
	s := newServer(t, authID, "")
	defer s.Close()
	caps := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}}).Capabilities()
	providertest.DocumentedTypes(t, "cloudns", caps)
	providertest.CheckHolds(t, caps, map[string]bool{
		"x.example.com. 300 IN A 192.0.2.1":                                    true,
		"x.example.com. 120 IN A 192.0.2.1":                                    false,
		"x.example.com. 300 IN TYPE65000 \\# 1 ab":                             false,
		"x.example.com. 300 IN HTTPS 1 . alpn=h2":                              false,
		"x.example.com. 300 IN CAA 0 contactemail \"a@example.com\"":           false,
		"x.example.com. 300 IN TXT \"" + strings.Repeat("a", 255) + "\" \"b\"": true,
		"x.example.com. 300 IN TXT \"a\" \"b\"":                                false,
		"x\\032y.example.com. 300 IN A 192.0.2.1":                              false,
		// Not kept as sent (dnscontrol, verified against the API).
		"x.example.com. 300 IN TXT \"say \\\"hi\\\"\"": false,
		"x.example.com. 300 IN TXT \"a`b\"":            false,
		"x.example.com. 300 IN TXT \"trailing \"":      false,
		"x.example.com. 300 IN TXT \"v=spf1 -all\"":    true,
	})
}

// TestFewestCalls: a first push of new RRsets is one records-import call
// per ImportBatch records; with import off, one add-record per record.
func TestFewestCalls(t *testing.T) {
	for _, tc := range []struct {
		batch, want int
		endpoint    string
	}{{1000, 1, "records-import"}, {7, 3, "records-import"}, {0, 19, "add-record"}} {
		t.Run(fmt.Sprint("batch ", tc.batch), func(t *testing.T) {
			s := newServer(t, authID, "")
			defer s.Close()
			s.AddZone("example.com")
			p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
			p.SetImportBatch(tc.batch)
			d := providertest.Desired(t, "example.com.", zoneFile)
			pl := providertest.Plan(t, p, d)
			records := 0
			for _, c := range pl.Changes {
				records += len(c.New.Records)
			}
			res := providertest.Push(t, p, d)
			if records != 19 || res.Requests != tc.want || s.Count(tc.endpoint) != tc.want {
				t.Errorf("%d records took %d requests (%d %s), want %d", records, res.Requests, s.Count(tc.endpoint), tc.endpoint, tc.want)
			}
		})
	}
}

// TestClientSidePace: requests are kept at ClouDNS's pace (10 a second
// after a burst of 10), under the 20 a second at which it blocks.
func TestClientSidePace(t *testing.T) {
	s := cloudnstest.New(authID, "", password)
	defer s.Close()
	s.AddZone("example.com")
	p, err := cloudns.New(&config.Provider{Type: "cloudns", Settings: &cloudns.Settings{APISettings: provider.APISettings{URL: s.URL, APIKey: password}, AuthID: authID}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for range 8 { // 1 zone check + 8 × (page count + page) = 17 requests
		if _, err := p.Records(context.Background(), "example.com."); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 600*time.Millisecond {
		t.Errorf("17 requests took %v: more than 10 a second after the burst", d)
	}
}

// TestImportJob: an import of 100 records or more runs as a job at
// ClouDNS; push waits for it and reads the zone back before it says the
// records are there, and a job that does not finish in time is an error
// that reports none of its records applied.
func TestImportJob(t *testing.T) {
	var zb strings.Builder
	zb.WriteString("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS pns41.cloudns.net.\n@ 3600 NS pns42.cloudns.com.\n")
	for i := range 150 {
		fmt.Fprintf(&zb, "j%03d 300 A 198.51.100.%d\n", i, i%250+1)
	}
	for _, tc := range []struct {
		name         string
		steps, batch int
		ok           bool
	}{
		{"finishes", 4, 0, true},
		// a job adding its records a few at a time: the zone changes
		// while every reading of its two pages is taken, until it is done
		{"finishes a few records at a time", 2, 7, true},
		{"never finishes", 1 << 30, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, authID, "")
			s.AddZone("example.com")
			s.JobSteps, s.JobBatch = tc.steps, tc.batch
			p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
			wait := 300 * time.Millisecond
			if tc.batch > 0 {
				wait = 10 * time.Second // its 22 steps, each a request
			}
			p.SetImportWait(wait, time.Millisecond)
			d := providertest.Desired(t, "example.com.", zb.String())
			pl := providertest.Plan(t, p, d)
			res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
			if s.Count("records-import") != 1 {
				t.Fatalf("%d imports, want 1", s.Count("records-import"))
			}
			if !tc.ok {
				if err == nil || !strings.Contains(err.Error(), "has not finished") || len(res.Applied) != 0 {
					t.Fatalf("an unfinished job: applied %d, %v", len(res.Applied), err)
				}
				return
			}
			if err != nil || len(res.Applied) != len(pl.Changes) {
				t.Fatalf("applied %d of %d: %v", len(res.Applied), len(pl.Changes), err)
			}
			if s.Jobs() != 0 {
				t.Error("push returned before the import job finished")
			}
			if pl := providertest.Plan(t, p, d); !pl.Empty() {
				t.Errorf("after the job: %d changes left", len(pl.Changes))
			}
		})
	}
}

// TestLimitsWithinClouDNSs: the account's bucket never lets more than the
// 20 requests a second ClouDNS tolerates through in any second.
func TestLimitsWithinClouDNSs(t *testing.T) {
	if most := cloudns.Limits.Most(time.Second); most > 20 {
		t.Errorf("up to %d requests in a second, over 20", most)
	}
}

// corpusRefusals are the cases of providertest.Cases the provider refuses
// at plan time (ClouDNS keeps TXT as one text, takes no empty record value, and SVCB, HTTPS and RP are not mapped); every other case round trips exactly.
var corpusRefusals = providertest.Refusals(map[string]string{
	"txt-two-strings": "splits it at 255 octets", "spf-two-strings": "splits it at 255 octets", "txt-empty": "empty record value",
	"https-params": "type HTTPS is not supported", "https-mixed-params": "type HTTPS is not supported", "https-alias-mode": "type HTTPS is not supported", "svcb-target": "type SVCB is not supported",
	"txt-not-utf8": "not UTF-8", "uri-target": "type URI is not supported",
	"txt-quotes-backslash-semicolon": "does not keep it", "txt-only-quote": "does not keep it",
	// dnscontrol's ClouDNS provider, verified against the API: a text
	// ending in a space is not kept (cloudnstest drops the space).
	"txt-trailing-space": "ending in a space", "txt-space-only": "ending in a space",
	// ClouDNS takes only the TTLs of its list (get-available-ttl.json).
	"ttl-0": "not one this ClouDNS account's plan allows", "ttl-1": "not one this ClouDNS account's plan allows", "ttl-59": "not one this ClouDNS account's plan allows",
	"ttl-86401": "not one this ClouDNS account's plan allows", "ttl-max": "not one this ClouDNS account's plan allows",
	"caa-flags-255":   "keeps only 0 or 128",
	"caa-empty-value": "with an empty value",
	"caa-issuemail":   "not one ClouDNS accepts", "caa-unknown-tag": "not one ClouDNS accepts", "caa-critical-unknown": "not one ClouDNS accepts",
	"txt-255-escaped": "does not keep it", "txt-many-strings": "splits it at 255 octets", "txt-backtick": "does not keep it",
	"svcb-unknown-key": "type SVCB is not supported", "txt-empty-string-first": "splits it at 255 octets",
	"dhcid": "type DHCID is not supported", "rp": "type RP is not supported", "hinfo-empty": "HINFO with an empty CPU or OS", "caa-contactemail": "not one ClouDNS accepts",
})

// TestAccountZonesEveryPage: finish reads the whole account
// (AccountZones: every page of list-zones.json), not the first page
// ZoneNames reads, before it calls the old provider safe to decommission.
func TestAccountZonesEveryPage(t *testing.T) {
	s := newServer(t, authID, "")
	var want []string
	for i := range 130 { // past ZoneNames' one page of 100
		s.AddZone(fmt.Sprintf("z%03d.test", i))
		want = append(want, fmt.Sprintf("z%03d.test.", i))
	}
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	p.SetPageSize(50)
	providertest.AccountZonesPaged(t, p, want)
}

// TestSubZones: ClouDNS answers every zone of an account from the same
// name servers, so a zone below the zone is answered with or without a
// delegation, and the completeness gates ask for them (list-zones.json,
// searched by the zone's name, pages counted by get-pages-count.json).
func TestSubZones(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com")
	for _, n := range providertest.SubZoneNames {
		s.AddZone(n)
	}
	for i := range 25 { // 3 pages of 10 unless the search narrows them
		s.AddZone(fmt.Sprintf("z%02d.test", i))
	}
	for i := range 8 { // the search finds them (not below example.com): 12 zones, 2 pages
		s.AddZone(fmt.Sprintf("n%dexample.com", i))
	}
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	p.SetPageSize(10)
	providertest.SubZonesPaged(t, p, func() {
		s.AddZone("c.example.com") // two pages of zones holding "example.com"
		for i := range 6 {
			s.AddZone(fmt.Sprintf("h%d.example.com", i))
		}
		s.AddFault(cloudnstest.Fault{Path: "list-zones", Times: 1, Status: cloudnstest.Short})
	}, func() int { return s.Count("list zones") }, 4, "list-zones.json") // 2 pages, read twice (provider.Settled)
	providertest.SubZoneEdges(t, p, func(name string) { s.AddZone(name) }, 10)
}
