package dnsmadeeasy_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

const (
	apiKey    = "dme-api-key-1234"
	secretKey = "dme-secret-key-5678"
)

var zoneFile = `$ORIGIN example.com.
$TTL 300
@        SOA   ns10.dnsmadeeasy.com. hostmaster.example.com. 1 7200 3600 1209600 300
@        NS    ns10.dnsmadeeasy.com.
` + providertest.CommonRecords + `sub      NS    ns1.sub.example.com.
ns1.sub  A     192.0.2.53
ptr      PTR   host.example.net.
quoted   TXT   "a 'quoted' word" "and; more"
long     TXT   "` + strings.Repeat("k", 255) + `" "` + strings.Repeat("m", 100) + `"
`

func newProvider(t testing.TB, s *dmetest.Server, key, secret string) *dnsmadeeasy.Provider {
	t.Helper()
	return newProviderAt(t, s, s.APIURL(), key, secret)
}

// newProviderAt is newProvider for the API base apiURL (the fake s's, or
// a handler's in front of it).
func newProviderAt(t testing.TB, s *dmetest.Server, apiURL, key, secret string) *dnsmadeeasy.Provider {
	t.Helper()
	p, err := dnsmadeeasy.New(&config.Provider{Name: "new", Type: "dnsmadeeasy", Settings: &dnsmadeeasy.Settings{APISettings: provider.APISettings{URL: apiURL, APIKey: config.Secret(key)}, SecretKey: config.Secret(secret)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.FastRetry)
	// A limiter of its own, fast; the fake's window is shortened to match
	// (newServer): its headers still pace, in the fake's window, and its
	// refusals still count.
	p.SetRateLimit(httpretry.Limits{PerSecond: 5000, Burst: 100})
	p.SetRateWindow(s.Window)
	return p
}

// newServer starts a fake whose window is 300 times shorter than DNS Made
// Easy's 5 minutes (150 requests per second).
func newServer(t testing.TB) *dmetest.Server {
	s := dmetest.New(apiKey, secretKey)
	s.Window = time.Second
	t.Cleanup(s.Close)
	return s
}

func harness(t *testing.T) (providertest.Harness, *dmetest.Server, int) {
	s := newServer(t)
	id := s.AddZone("example.com")
	return providertest.Harness{
		Origin: "example.com.", Secret: secretKey, ZoneFile: zoneFile, PageSize: 5,
		Refuses: corpusRefusals,
		// rows a positive number (dnsmadeeasy.PageSizes).
		SetPageSize:    func(p provider.Provider, n int) error { return p.(*dnsmadeeasy.Provider).SetPageSize(n) },
		PageSizesTaken: []int{1, 2, 1000}, PageSizesRefused: []int{0, -1},
		New: func(t *testing.T, secret string) provider.Provider {
			p := newProvider(t, s, apiKey, secret)
			// Waits long enough for the fake's 1 s window to pass.
			p.SetRetry(httpretry.Policy{Attempts: 6, Base: time.Millisecond, Max: 300 * time.Millisecond})
			p.SetRateWindow(s.Window)
			p.SetPageSize(5)
			p.SetBatch(6)
			return p
		},
		Short:        func() { s.AddFault(dmetest.Fault{Method: "GET", Path: "/records", Times: 1, Status: dmetest.Short}) },
		WriteApplied: s.WriteApplied,
		Writes:       func() int { return s.Count("write") },
		Lists:        func() int { return s.Count("list") },
		SeedA: func(n int) {
			for i := range n {
				s.Seed(id, dmetest.Record{Name: fmt.Sprintf("h%02d", i), Type: "A", Value: fmt.Sprintf("192.0.2.%d", i), TTL: 300})
			}
		},
		Fault: func(status, skip, times int, retryAfter string) {
			s.ClearFaults()
			if status != 0 {
				// Writes only (every write: creates, replaces, deletes): the
				// listing before a push is a GET.
				s.AddFault(dmetest.Fault{Writes: true, Skip: skip, Times: times, Status: status, RetryAfter: retryAfter})
			}
		},
		SeedUnreadable: func() (string, string, func() bool) {
			// As if made by hand in DNS Made Easy's control panel: an A
			// record whose value has zero-padded octets. The API V2.0
			// document gives an A record's value as the IPv4 address and
			// documents no check of its form; dnsparity's reader (Go's
			// net.ParseIP, behind miekg/dns) refuses leading zeros, which
			// other parsers read as octal (RFC 6943 section 3.1.1).
			rid := s.Seed(id, dmetest.Record{Name: "legacy", Type: "A", Value: "192.0.2.010", TTL: 300})
			return "legacy.example.com.", "A", func() bool {
				for _, r := range s.Records(id) {
					if r.ID == rid && r.Value == "192.0.2.010" {
						return true
					}
				}
				return false
			}
		},
	}, s, id
}

func TestShared(t *testing.T) {
	for _, name := range providertest.Names {
		t.Run(name, func(t *testing.T) {
			h, s, _ := harness(t)
			providertest.RunOne(t, name, h)
			if n := s.Count("createMulti"); name == "Retry429" && n < 3 {
				t.Errorf("%d createMulti calls: the two refusals were not retried", n)
			}
		})
	}
}

// TestBatchSplitAndInPlace: at most MaxBatch records per call, an
// RRset's records never split across calls, replaced records edited in
// place (updateMulti, same id), deletes last.
func TestBatchSplitAndInPlace(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com")
	p := newProvider(t, s, apiKey, secretKey)
	p.SetBatch(4)
	zoneText := providertest.SplitZone("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns10.dnsmadeeasy.com.\n")
	d := providertest.Desired(t, "example.com.", zoneText)
	providertest.Push(t, p, d)
	if got := strings.Join(s.Calls, ","); got != "POST createMulti 4,POST createMulti 4,POST createMulti 2,POST createMulti 3" {
		t.Errorf("calls %s", got)
	}
	ids := map[string]int{}
	for _, r := range s.Records(id) {
		ids[r.Name+" "+r.Value] = r.ID
	}
	// Replace h1's address, change multi's TTL, delete h2, turn h3 into a CNAME.
	text := strings.Replace(zoneText, "h1 300 A 192.0.2.1\n", "h1 300 A 192.0.2.201\n", 1)
	text = strings.ReplaceAll(text, "multi 300", "multi 600")
	text = strings.Replace(text, "h2 300 A 192.0.2.2\n", "", 1)
	text = strings.Replace(text, "h3 300 A 192.0.2.3\n", "h3 300 CNAME h4.example.com.\n", 1)
	s.Calls = nil
	d2 := providertest.Desired(t, "example.com.", text)
	p.SetBatch(100)
	providertest.Push(t, p, d2)
	if got := strings.Join(s.Calls, ","); got != "PUT updateMulti 4,DELETE records 1,POST createMulti 1,DELETE records 1" {
		t.Errorf("calls %s", got)
	}
	for _, r := range s.Records(id) {
		if r.Name == "h1" && r.ID != ids["h1 192.0.2.1"] {
			t.Errorf("h1 re-created (id %d → %d), not edited in place", ids["h1 192.0.2.1"], r.ID)
		}
	}
	if pl := providertest.Plan(t, p, d2); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

func TestZoneLookup(t *testing.T) {
	s := dmetest.New(apiKey, secretKey)
	defer s.Close()
	s.AddZone("other.org")
	id := s.AddZone("example.com", "ns1.vanity.example.net", "ns2.vanity.example.net")
	providertest.ZoneLookup(t, providertest.LookupCases(fmt.Sprint(id), "other.org.", "99"), func(t *testing.T, zoneID string) provider.Provider {
		p, err := dnsmadeeasy.New(&config.Provider{Type: "dnsmadeeasy", Settings: &dnsmadeeasy.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: apiKey}, SecretKey: secretKey, ZoneID: zoneID}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}, providertest.NameserversAre("ns1.vanity.example.net.", "ns2.vanity.example.net."))
	if _, err := dnsmadeeasy.New(&config.Provider{Type: "dnsmadeeasy", Settings: &dnsmadeeasy.Settings{APISettings: provider.APISettings{APIKey: apiKey}}}, nil); err == nil || !strings.Contains(err.Error(), "secret_key_env") {
		t.Errorf("no secret key: %v", err)
	}
}

func TestFeatures(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com")
	s.Seed(id, dmetest.Record{Name: "", Type: "ANAME", Value: "lb.example.net.", TTL: 300})
	s.Seed(id, dmetest.Record{Name: "go", Type: "HTTPRED", Value: "https://example.org/", TTL: 300, RedirectType: "Standard - 301"})
	s.Seed(id, dmetest.Record{Name: "geo", Type: "A", Value: "192.0.2.10", TTL: 300})
	s.Seed(id, dmetest.Record{Name: "geo", Type: "A", Value: "198.51.100.10", TTL: 300, GtdLocation: "EUROPE"})
	s.Seed(id, dmetest.Record{Name: "plain", Type: "A", Value: "192.0.2.11", TTL: 300})
	p := newProvider(t, s, apiKey, secretKey)
	providertest.FeaturesAre(t, p, "example.com.", "example.com. ANAME aname true", "go.example.com. HTTPRED http-redirect true", "geo.example.com. A traffic-director true", "geo.example.com. A traffic-director false")
	z, err := p.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if g := z.Get("geo.example.com.", dns.TypeA); g == nil || len(g.Records) != 1 {
		t.Errorf("geo: want the DEFAULT answer only, got %v", g)
	}
	if z.Get("go.example.com.", dns.TypeA) != nil || z.Len() != 2 {
		t.Errorf("records %d", z.Len())
	}
	// A push that deletes geo's A leaves the regional answer alone.
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.\nplain 300 A 192.0.2.11\n")
	providertest.Push(t, p, d)
	regional := 0
	for _, r := range s.Records(id) {
		if r.GtdLocation == "EUROPE" {
			regional++
		}
	}
	if regional != 1 {
		t.Errorf("regional answers after push: %d", regional)
	}
}

func TestCapabilityMap(t *testing.T) {
	s := dmetest.New(apiKey, secretKey)
	defer s.Close()
	caps := newProvider(t, s, apiKey, secretKey).Capabilities()
	providertest.DocumentedTypes(t, "dnsmadeeasy", caps)
	providertest.CheckHolds(t, caps, map[string]bool{
		"x.example.com. 300 IN A 192.0.2.1":                                    true,
		"x.example.com. 300 IN SPF \"v=spf1 -all\"":                            true,
		"x.example.com. 300 IN TYPE65000 \\# 1 ab":                             false,
		"x.example.com. 300 IN HTTPS 1 . alpn=h2":                              false,
		"x.example.com. 300 IN TLSA 3 1 1 0123456789abcdef":                    false,
		"x.example.com. 300 IN CAA 0 contactemail \"a@example.com\"":           false,
		"x.example.com. 300 IN CAA 1 issue \"ca.example\"":                     false,
		"x.example.com. 300 IN TXT \"" + strings.Repeat("a", 255) + "\" \"b\"": true,
		"x\\032y.example.com. 300 IN A 192.0.2.1":                              false,
		// Not kept as sent (dnscontrol, verified against the API).
		"x.example.com. 300 IN TXT \"say \\\"hi\\\"\"":                        false,
		"x.example.com. 300 IN CAA 0 issue \"ca.example; account=\\\"a\\\"\"": false,
		"x.example.com. 300 IN TXT \"trailing \"":                             true,
		// "Record value may not be a standalone dot." (dmetest).
		"x.example.com. 300 IN MX 0 .":                 false,
		"_x._tcp.example.com. 300 IN SRV 0 0 0 .":      false,
		"x.example.com. 300 IN MX 0 mail.example.com.": true,
	})
}

// TestPaginationFromOne: a server that numbers pages from 1 is followed
// without reading a page twice or missing the last.
func TestPaginationFromOne(t *testing.T) {
	for _, first := range []int{0, 1} {
		t.Run(fmt.Sprint("first page ", first), func(t *testing.T) {
			s := dmetest.New(apiKey, secretKey)
			defer s.Close()
			s.FirstPage = first
			id := s.AddZone("example.com")
			for i := range 23 {
				s.Seed(id, dmetest.Record{Name: fmt.Sprintf("h%02d", i), Type: "A", Value: fmt.Sprintf("192.0.2.%d", i), TTL: 300})
			}
			p := newProvider(t, s, apiKey, secretKey)
			p.SetPageSize(5)
			providertest.PagesRead(t, p, "example.com.", 23, func() int { return s.Count("list") }, 10) // 5 pages, read twice (provider.Settled)
		})
	}
}

// TestRequestsRemainingPaces: when x-dnsme-requestsRemaining falls to a
// tenth of x-dnsme-requestLimit, requests are spread over the window (each
// wait capped by the policy's Max).
func TestRequestsRemainingPaces(t *testing.T) {
	s := dmetest.New(apiKey, secretKey)
	defer s.Close()
	s.Limit, s.Window = 10, 400*time.Millisecond
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey, secretKey)
	p.SetRetry(httpretry.Policy{Attempts: 3, Base: time.Millisecond, Max: 150 * time.Millisecond})
	// 13 requests: from the 9th on, 1 of 10 left: 4 waits of 150 ms (and
	// a refusal past the 10th is waited out, not an error).
	providertest.ReadsPaced(t, p, "example.com.", 12, 400*time.Millisecond)
}

// TestRecordNotFoundIsNotZoneNotFound: a 404 on a record call (a record
// removed meanwhile) is a failed change, not a missing zone.
func TestRecordNotFoundIsNotZoneNotFound(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com")
	s.Seed(id, dmetest.Record{Name: "gone", Type: "A", Value: "192.0.2.9", TTL: 300})
	p := newProvider(t, s, apiKey, secretKey)
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns10.dnsmadeeasy.com.\n")
	pl := providertest.Plan(t, p, d)
	s.AddFault(dmetest.Fault{Method: "DELETE", Times: 1, Status: 404})
	_, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil || errors.Is(err, provider.ErrZoneNotFound) || !strings.Contains(err.Error(), "404") {
		t.Fatalf("404 on delete: %v", err)
	}
	providertest.Push(t, p, d)
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

// TestLimitsWithinDNSMadeEasys: the account's bucket never lets more than
// DNS Made Easy's 150 requests through in any 5 minutes.
func TestLimitsWithinDNSMadeEasys(t *testing.T) {
	if most := dnsmadeeasy.Limits.Most(5 * time.Minute); most > 150 {
		t.Errorf("up to %d requests in 5 minutes, over 150", most)
	}
}

// corpusRefusals are the cases of providertest.Cases the provider refuses
// at plan time (DNS Made Easy has no TLSA, SSHFP, NAPTR, SVCB/HTTPS or DS
// type, and takes no value of "." alone); every other case round trips
// exactly.
var corpusRefusals = providertest.Refusals(map[string]string{
	"underscore-port": "type TLSA is not supported", "sshfp": "type SSHFP is not supported", "naptr-regex": "type NAPTR is not supported", "naptr-regexp-space": "type NAPTR is not supported",
	"https-params": "type HTTPS is not supported", "https-mixed-params": "type HTTPS is not supported", "https-alias-mode": "type HTTPS is not supported", "svcb-target": "type SVCB is not supported", "ds": "type DS is not supported",
	"ds-sha1-upper": "type DS is not supported", "tlsa-sha512": "type TLSA is not supported", "txt-only-quote": "does not keep it",
	"txt-not-utf8": "not UTF-8", "uri-target": "type URI is not supported",
	"naptr-empty-fields": "type NAPTR is not supported", "caa-flags-255": "keeps only 0 or 128",
	// The value holds the strings as written; a string ending inside a
	// character goes as \DDD escapes, whose reading is not documented.
	"txt-utf8-split-at-255": "split inside a UTF-8 character",
	// A control octet goes only as \DDD, which no document or client
	// says DNS Made Easy reads (text outside ASCII goes as it is).
	"txt-tab": "only as a \\DDD escape", "txt-control-octets": "only as a \\DDD escape",
	"txt-quotes-backslash-semicolon": "does not keep it",
	"caa-issue-escapes":              "no escaping documented",
	// "Record value may not be a standalone dot." (dmetest).
	"null-mx": `root "." as its target`, "srv-dot": `root "." as its target`,
	// A record's value is required (DNSMadeEasy/terraform-provider-dme).
	"caa-empty-value": "with an empty value",
	"caa-issuemail":   "not one DNS Made Easy accepts", "caa-unknown-tag": "not one DNS Made Easy accepts", "caa-critical-unknown": "not one DNS Made Easy accepts", "dname": "type DNAME is not supported", "tlsa-upper": "type TLSA is not supported",
	"txt-255-escaped": "does not keep it", "srv-dot-port": `root "." as its target`, "ds-sha384": "type DS is not supported",
	"svcb-unknown-key": "type SVCB is not supported",
	"loc":              "type LOC is not supported", "rp": "type RP is not supported", "dhcid": "type DHCID is not supported", "hinfo": "type HINFO is not supported", "hinfo-empty": "type HINFO is not supported", "cert": "type CERT is not supported", "openpgpkey": "type OPENPGPKEY is not supported", "smimea": "type SMIMEA is not supported", "caa-contactemail": "not one DNS Made Easy accepts",
})

// TestSubZones: a domain of the account below the domain is answered by
// the same DNS Made Easy name servers, delegated or not, so the
// completeness gates ask for the domains below it (GET /dns/managed/,
// paged and counted by totalRecords), in both page numberings.
func TestSubZones(t *testing.T) {
	for _, first := range []int{0, 1} {
		t.Run(fmt.Sprintf("first page %d", first), func(t *testing.T) {
			s := newServer(t)
			s.FirstPage = first
			s.AddZone("example.com")
			for _, n := range providertest.SubZoneNames {
				s.AddZone(n)
			}
			p := newProvider(t, s, apiKey, secretKey)
			p.SetPageSize(2)
			providertest.SubZonesPaged(t, p, func() {
				s.AddFault(dmetest.Fault{Method: "GET", Path: "/dns/managed/", Times: 1, Status: dmetest.Short})
			}, func() int { return s.Count("list domains") }, 6, "GET /dns/managed/") // 3 pages, read twice (provider.Settled)
			providertest.SubZoneEdges(t, p, func(name string) { s.AddZone(name) }, 2)
		})
	}
}

// TestZoneNamesOneRequest: the "did you mean" of a domain not held reads
// the first page of the account's domains, one request, not every page
// (ZoneLister: a few requests; DNS Made Easy allows 150 requests in 5
// minutes); on the code before, a request per page.
func TestZoneNamesOneRequest(t *testing.T) {
	s := newServer(t)
	for _, n := range providertest.ZoneNamesTest {
		s.AddZone(n)
	}
	p := newProvider(t, s, apiKey, secretKey)
	p.SetPageSize(2)
	providertest.ZoneNamesFirstPage(t, p, func() int { return s.Count("list domains") }, "GET /dns/managed/")
}

// TestTypeChangesAndCAATTL: pushes that change what a name holds, in the
// order DNS Made Easy takes them (found by providertest.Transitions): a
// CNAME replaced by an AAAA at the same name (the CNAME deleted before
// the AAAA is created: the API refuses a CNAME beside other data), and a
// CAA whose TTL alone changes (edited in place from the listed record,
// whose value DNS Made Easy lists in quotation marks: sent without them).
func TestTypeChangesAndCAATTL(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey, secretKey)
	head := "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns10.dnsmadeeasy.com.\n"
	for i, body := range []string{
		"www 300 CNAME target.example.net.\ncaa 300 CAA 0 issue \"ca.example\"\n",
		"www 300 AAAA 2001:db8::1\ncaa 3600 CAA 0 issue \"ca.example\"\n",
		"www 300 CNAME target.example.net.\ncaa 3600 CAA 0 issue \"other.example\"\n",
	} {
		d := providertest.Desired(t, "example.com.", head+body)
		pl := providertest.Plan(t, p, d)
		if _, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil); err != nil {
			t.Fatalf("push %d: %v", i+1, err)
		}
		providertest.ReadBack(t, p, d)
		if pl := providertest.Plan(t, p, d); !pl.Empty() {
			t.Errorf("push %d: not converged: %v", i+1, pl.Changes)
		}
	}
}
