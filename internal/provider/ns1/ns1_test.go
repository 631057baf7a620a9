package ns1_test

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
	"github.com/dnsparity/dnsparity/internal/provider/ns1"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

const apiKey = "ns1-api-key-for-tests"

var zoneFile = `$ORIGIN example.com.
$TTL 300
@        SOA   dns1.p01.nsone.net. hostmaster.nsone.net. 1 43200 7200 1209600 3600
@ 3600   NS    dns1.p01.nsone.net.
` + providertest.CommonRecords + `_443._tcp.www TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
host     SSHFP 4 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
sub      NS    ns1.sub.example.com.
sub      DS    12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
ns1.sub  A     192.0.2.53
naptr    NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.example.com.
spaced   TXT   "hello world; with spaces"
long     TXT   "` + strings.Repeat("k", 255) + `" "` + strings.Repeat("m", 100) + `"
`

// exampleZone is a fake holding zone example.com, closed when t ends.
func exampleZone(t testing.TB) *ns1test.Server {
	s := ns1test.New(apiKey)
	t.Cleanup(s.Close)
	s.AddZone("example.com")
	return s
}

func newProvider(t testing.TB, s *ns1test.Server, key string) *ns1.Provider {
	t.Helper()
	p, err := ns1.New(&config.Provider{Name: "new", Type: "ns1", Settings: &ns1.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: config.Secret(key)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.FastRetry)
	// A limiter of its own, fast: the fake's windows are shortened too
	// (PeriodUnit), its headers still pace and its 429s still count; the
	// periods they announce run as fast as the fake's.
	p.SetRateLimit(httpretry.Limits{PerSecond: 5000, Burst: 100})
	p.Limiter().SetSpeed(float64(time.Second / s.PeriodUnit))
	return p
}

func TestShared(t *testing.T) {
	for _, name := range providertest.Names {
		t.Run(name, func(t *testing.T) {
			s := ns1test.New(apiKey)
			defer s.Close()
			s.PageSize = 5
			s.PeriodUnit = 10 * time.Millisecond // NS1's windows, 100 times shorter
			s.AddZone("example.com")
			h := providertest.Harness{
				Origin: "example.com.", Secret: apiKey, ZoneFile: zoneFile, PageSize: 5, MidSkip: 3,
				Refuses: corpusRefusals,
				// limit= a positive number, or none (0).
				SetPageSize:    func(p provider.Provider, n int) error { return p.(*ns1.Provider).SetPageSize(n) },
				PageSizesTaken: []int{0, 1, 2}, PageSizesRefused: []int{-1, -100},
				New: func(t *testing.T, secret string) provider.Provider {
					p := newProvider(t, s, secret)
					p.SetPageSize(5) // the fake's largest: pages of 5
					return p
				},
				Short:        func() { s.AddFault(ns1test.Fault{Method: "GET", Times: 1, Status: ns1test.Short}) },
				WriteApplied: s.WriteApplied,
				Writes:       func() int { return s.Count("write") },
				Lists:        func() int { return s.Count("list") },
				SeedA: func(n int) {
					for i := range n {
						s.Seed(ns1test.Record{Zone: "example.com", Domain: fmt.Sprintf("h%02d.example.com", i), Type: "A", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{fmt.Sprintf("192.0.2.%d", i)}}}})
					}
				},
				Fault: func(status, skip, times int, retryAfter string) {
					s.ClearFaults()
					if status != 0 {
						s.AddFault(ns1test.Fault{Writes: true, Skip: skip, Times: times, Status: status, RetryAfter: retryAfter})
					}
				},
				SeedUnreadable: seedUnreadable(s),
			}
			providertest.RunOne(t, name, h)
		})
	}
}

// TestFilterChainReplaceKeepsMeta: a record with a filter chain is a
// feature (parity may see one answer of many); replacing one of its
// answers keeps the chain and the metadata of the answers that stay.
func TestFilterChainReplaceKeepsMeta(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	s.Seed(ns1test.Record{Zone: "example.com", Domain: "lb.example.com", Type: "A", TTL: 60,
		Answers: []ns1test.Answer{
			{Answer: []any{"192.0.2.10"}, Meta: map[string]any{"up": true, "country": []string{"US"}}},
			{Answer: []any{"192.0.2.11"}, Meta: map[string]any{"up": true, "country": []string{"DE"}}},
		},
		Filters: []ns1test.Filter{{Filter: "up", Config: map[string]any{}}, {Filter: "geotarget_country", Config: map[string]any{}}, {Filter: "select_first_n", Config: map[string]any{"N": 1}}}})
	s.Seed(ns1test.Record{Zone: "example.com", Domain: "example.com", Type: "ALIAS", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{"lb.example.net"}}}})
	s.Seed(ns1test.Record{Zone: "example.com", Domain: "go.example.com", Type: "URLFWD", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{"/", "https://example.org/", 301, 0, 0}}}})
	s.Seed(ns1test.Record{Zone: "example.com", Domain: "plain.example.com", Type: "A", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{"192.0.2.20"}}}})
	p := newProvider(t, s, apiKey)
	got := providertest.FeaturesAre(t, p, "example.com.", "lb.example.com. A filter-chain false", "example.com. ALIAS alias true", "go.example.com. URLFWD url-forward true")
	if f := got["lb.example.com. A filter-chain false"]; !strings.Contains(f.Detail, "geotarget_country") || !strings.Contains(f.Detail, "one answer of many") {
		t.Errorf("filter detail: %s", f.Detail)
	}
	// The record is listed with all its answers (the default answers).
	z, err := p.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if g := z.Get("lb.example.com.", dns.TypeA); g == nil || len(g.Records) != 2 {
		t.Fatalf("lb: %v", g)
	}
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n@ 3600 NS dns2.p01.nsone.net.\nlb 60 A 192.0.2.10\nlb 60 A 192.0.2.12\nplain 300 A 192.0.2.20\n")
	providertest.Push(t, p, d)
	r := s.Record("example.com", "lb.example.com", "A")
	if r == nil || len(r.Filters) != 3 || len(r.Answers) != 2 {
		t.Fatalf("lb after push: %+v", r)
	}
	if r.Answers[0].Meta["up"] != true || len(r.Answers[1].Meta) != 0 {
		t.Errorf("answer metadata: %+v", r.Answers)
	}
	if n := s.Count("POST"); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

// TestRateLimitHeadersPace: with no requests left in the family's window
// the next request waits (up to the policy's cap), per family.
func TestRateLimitHeadersPace(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	s.Limit, s.Period, s.Remaining = 100, 1, 2 // 2 of 100 left in a 1 s window
	p, err := ns1.New(&config.Provider{Type: "ns1", Settings: &ns1.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: apiKey}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(httpretry.Policy{Attempts: 3, Base: time.Millisecond, Max: 300 * time.Millisecond})
	// Paced at period/remaining = 500 ms, whole (a pacing the server
	// asks for is not cut to the policy's Max): two waits.
	providertest.ReadsPaced(t, p, "example.com.", 3, 500*time.Millisecond)
}

func TestZoneLookup(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey)
	ns, err := p.Nameservers(context.Background(), "example.com.")
	if err != nil || strings.Join(ns, ",") != "dns1.p01.nsone.net.,dns2.p01.nsone.net." {
		t.Errorf("nameservers %v %v", ns, err)
	}
	z, err := p.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if soa := z.Get("example.com.", dns.TypeSOA); soa == nil || soa.TTL != 3600 || strings.Join(soa.Strings(), "") != "dns1.p01.nsone.net. hostmaster.nsone.net. 1700000000 43200 7200 1209600 3600" {
		t.Errorf("SOA from the zone's fields: %v", soa)
	}
	if _, err := p.Records(context.Background(), "missing.net."); !errors.Is(err, provider.ErrZoneNotFound) {
		t.Errorf("missing: %v", err)
	}
	if _, err := ns1.New(&config.Provider{Type: "ns1"}, nil); err == nil || !strings.Contains(err.Error(), "api_key_env") {
		t.Errorf("no key: %v", err)
	}
}

func TestCapabilityMap(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	caps := newProvider(t, s, apiKey).Capabilities()
	providertest.DocumentedTypes(t, "ns1", caps)
	providertest.CheckHolds(t, caps, map[string]bool{
		"x.example.com. 300 IN A 192.0.2.1":                                    true,
		"x.example.com. 300 IN TYPE65000 \\# 1 ab":                             false,
		"x.example.com. 300 IN HTTPS 1 . alpn=h2":                              true,
		"x.example.com. 300 IN HTTPS 1 . alpn=\"a b\"":                         false,
		"x.example.com. 300 IN TXT \"" + strings.Repeat("a", 255) + "\" \"b\"": true,
		"x.example.com. 300 IN TXT \"a\" \"b\"":                                false,
		"x\\032y.example.com. 300 IN A 192.0.2.1":                              false,
		"x.example.com. 300 IN TXT \"\"":                                       false, // empty: not taken
	})
}

// TestOneCallPerRRset: a push takes exactly one write per changed RRset
// (NS1 has no multi-record call), deletes included.
func TestOneCallPerRRset(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey)
	d := providertest.Desired(t, "example.com.", zoneFile)
	pl := providertest.Plan(t, p, d)
	res := providertest.Push(t, p, d)
	if res.Requests != len(pl.Changes) || s.Count("write") != len(pl.Changes) {
		t.Errorf("%d changes took %d requests (%d at the fake)", len(pl.Changes), res.Requests, s.Count("write"))
	}
	d2 := providertest.Desired(t, "example.com.", strings.Replace(strings.Replace(zoneFile, "mail     A     192.0.2.25\n", "", 1), "sip      A     192.0.2.30", "sip 600 A 192.0.2.31", 1)+"mail 300 CNAME example.com.\n")
	before := s.Count("write")
	pl = providertest.Plan(t, p, d2)
	providertest.Push(t, p, d2)
	if n := s.Count("write") - before; n != len(pl.Changes) || s.Count("DELETE") != 1 || s.Count("POST") != 1 {
		t.Errorf("%d changes took %d writes (DELETE %d, POST %d)", len(pl.Changes), n, s.Count("DELETE"), s.Count("POST"))
	}
	if pl := providertest.Plan(t, p, d2); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

// TestLostAnswer: a write whose answer is lost is not repeated blindly,
// is reported as perhaps applied, and a re-run converges. One write at
// a time, so that nothing else is under way when it fails
// (TestConcurrentWritesStopAtAFailure has the writes at once).
func TestLostAnswer(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey)
	p.SetWriters(1)
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\na 300 A 192.0.2.1\nb 300 A 192.0.2.2\n")
	pl := providertest.Plan(t, p, d)
	s.AddFault(ns1test.Fault{Method: "PUT", Times: 1, Status: -1})
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil || !strings.Contains(err.Error(), "perhaps applied") || len(res.Applied) != 0 {
		t.Fatalf("lost answer: applied %v, %v", res.Applied, err)
	}
	if n := s.Count("PUT"); n != 1 {
		t.Errorf("the write was sent %d times", n)
	}
	if s.Record("example.com", "a.example.com", "A") == nil {
		t.Error("the fake did not apply the write whose answer it dropped")
	}
	providertest.Push(t, p, d)
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

// corpusRefusals are the cases of providertest.Cases the provider refuses
// at plan time (NS1 keeps TXT as one text, carries text in JSON strings,
// has no URI type, and lists SVCB/HTTPS parameters unquoted: no
// parameter the recording of its live API does not show listed back,
// ipv4hint and mandatory among them); every other case round trips
// exactly.
var corpusRefusals = providertest.Refusals(map[string]string{
	"txt-two-strings": "splits it at 255 octets", "spf-two-strings": "splits it at 255 octets",
	"svcb-unknown-key": "not one NS1 accepts", "https-params": "not one NS1 accepts", "https-mixed-params": "not one NS1 accepts", "txt-empty-string-first": "splits it at 255 octets", "txt-many-strings": "splits it at 255 octets",
	"loc": "type LOC is not supported", "rp": "type RP is not supported", "hinfo": "type HINFO is not supported", "hinfo-empty": "type HINFO is not supported", "cert": "type CERT is not supported", "openpgpkey": "type OPENPGPKEY is not supported", "smimea": "type SMIMEA is not supported",
	"txt-not-utf8": "not UTF-8", "uri-target": "type URI is not supported",
	"txt-empty": "empty TXT text",
	// ns1-go's Record omits a TTL of 0 (`json:"ttl,omitempty"`) and NS1
	// gives a record sent without one the zone's default: a push of TTL 0
	// succeeded, NS1 kept 3600, and every plan replaced it again.
	"ttl-0": "below the provider's minimum of 1",
})

// seedUnreadable stores, as if made by hand in NS1's portal, a record
// whose second answer dnsparity cannot read: an IPv4 address written
// with zero-padded octets. NS1's API reference ("Records": an A answer's
// rdata is ["<IPv4 address>"]; the zone's record summaries carry each
// answer as short_answers text) documents no check of the address's
// form; dnsparity's reader (Go's net.ParseIP, behind miekg/dns) refuses
// leading zeros, which other parsers read as octal (RFC 6943 section
// 3.1.1). An NS1 record is an RRset: the whole record is unreadable, its
// readable first answer with it.
func seedUnreadable(s *ns1test.Server) func() (string, string, func() bool) {
	return func() (string, string, func() bool) {
		s.Seed(ns1test.Record{Zone: "example.com", Domain: "legacy.example.com", Type: "A", TTL: 300,
			Answers: []ns1test.Answer{{Answer: []any{"192.0.2.9"}}, {Answer: []any{"192.0.2.010"}}}})
		return "legacy.example.com.", "A", func() bool {
			r := s.Record("example.com", "legacy.example.com", "A")
			return r != nil && len(r.Answers) == 2
		}
	}
}

// TestSubZones: NS1 serves a zone below the zone from the account's name
// servers, with no delegation in the parent, so the completeness gates
// ask for the zones below it (GET /v1/zones, paged by the Link header).
func TestSubZones(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.PeriodUnit = 10 * time.Millisecond
	s.ZonePageSize = 2
	s.AddZone("example.com")
	for _, n := range providertest.SubZoneNames {
		s.AddZone(n)
	}
	p := newProvider(t, s, apiKey)
	providertest.SubZonesPaged(t, p, func() { s.AddFault(ns1test.Fault{Method: "GET", Path: "/v1/zones", Times: 1, Status: ns1test.Short}) },
		func() int { return s.Count("list zones") }, 3, "GET /v1/zones")
	providertest.SubZoneEdges(t, p, s.AddZone, s.ZonePageSize)
}

// TestZoneNamesOneRequest: the "did you mean" of a zone not held reads
// the first page of the account's zones, one request, not every page
// (ZoneLister: a few requests); on the code before, a request per page.
func TestZoneNamesOneRequest(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.PeriodUnit = 10 * time.Millisecond
	s.ZonePageSize = 2
	for _, n := range providertest.ZoneNamesTest {
		s.AddZone(n)
	}
	providertest.ZoneNamesFirstPage(t, newProvider(t, s, apiKey), func() int { return s.Count("list zones") }, "GET /v1/zones")
}
