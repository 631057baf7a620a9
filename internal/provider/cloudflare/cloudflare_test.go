package cloudflare_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const token = "cf-test-token-0123456789"

var zoneFile = `$ORIGIN example.com.
$TTL 300
@        SOA   ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300
@        NS    ada.ns.cloudflare.com.
@        NS    bob.ns.cloudflare.com.
@        A     192.0.2.1
@        A     192.0.2.2
@        AAAA  2001:db8::1
@        MX    10 mail.example.com.
@        MX    20 mail2.example.com.
@        TXT   "v=spf1 ip4:192.0.2.0/24 -all"
@        CAA   0 issue "letsencrypt.org"
@        CAA   128 iodef "mailto:security@example.com"
www      CNAME example.com.
mail     A     192.0.2.25
mail2    A     192.0.2.26
_sip._tcp SRV  10 5 5060 sip.example.com.
sip      A     192.0.2.30
_443._tcp.www TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
host     SSHFP 4 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
svc      HTTPS 1 . alpn="h3,h2" ipv4hint="192.0.2.40"
_uri     URI   10 1 "https://example.com/"
sub      NS    ns1.sub.example.com.
sub      DS    12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns1.sub  A     192.0.2.53
naptr    NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.example.com.
long     TXT   "` + strings.Repeat("k", 255) + `" "` + strings.Repeat("m", 100) + `"
auto     60 A  192.0.2.99
cert     CERT  1 12345 8 MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA
x._smimecert SMIMEA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
x._openpgpkey OPENPGPKEY mQENBFLTs2YBCADHtTNoOhsi2yWbvKCsNxBWcJw2Q0g=
`

func desired(t testing.TB, text string) *zone.Zone {
	t.Helper()
	return providertest.Desired(t, "example.com.", text)
}

func newProvider(t testing.TB, s *cftest.Server, tok string) *cloudflare.Provider {
	t.Helper()
	return newProviderAt(t, s.APIURL(), tok)
}

// newProviderAt is newProvider for the API base apiURL (a fake's, or a
// handler's in front of one).
func newProviderAt(t testing.TB, apiURL, tok string) *cloudflare.Provider {
	t.Helper()
	p, err := cloudflare.New(&config.Provider{Name: "new", Type: "cloudflare", Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: apiURL, APIKey: config.Secret(tok)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.FastRetry)
	// A limiter of its own, fast: the fake still enforces Cloudflare's
	// 1,200 requests per 5 minutes, which no test here reaches.
	p.SetRateLimit(httpretry.Limits{PerSecond: 1e4, Burst: 100})
	return p
}

// TestShared runs the coverage every HTTP API provider shares, with
// Cloudflare's smallest page (per_page 5).
func TestShared(t *testing.T) {
	for _, name := range providertest.Names {
		t.Run(name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			// The fake takes as many operations a batch as the provider
			// sends (SetBatch below): a plan one call cannot carry fails.
			s.BatchLimit = 8
			id := s.AddZone("example.com")
			h := providertest.Harness{
				Origin: "example.com.", Secret: token, ZoneFile: zoneFile, PageSize: 5,
				Refuses: corpusRefusals,
				// per_page 1 to 5,000,000 (cloudflare.RecordPageSizes).
				SetPageSize:    func(p provider.Provider, n int) error { return p.(*cloudflare.Provider).SetPageSize(n) },
				PageSizesTaken: []int{1, 2, 5_000_000}, PageSizesRefused: []int{0, -1, 5_000_001},
				New: func(t *testing.T, secret string) provider.Provider {
					p := newProvider(t, s, secret)
					p.SetPageSize(5)
					p.SetBatch(8)
					return p
				},
				Writes: func() int { return s.Count("POST batch") },
				Lists:  func() int { return s.Count("GET records") },
				SeedA: func(n int) {
					for i := range n {
						s.Seed(id, cftest.Record{Name: fmt.Sprintf("h%02d.example.com", i), Type: "A", Content: fmt.Sprintf("192.0.2.%d", i), TTL: 300})
					}
				},
				Fault: func(status, skip, times int, retryAfter string) {
					s.ClearFaults()
					if status != 0 {
						s.AddFault(cftest.Fault{Writes: true, Skip: skip, Times: times, Status: status, RetryAfter: retryAfter})
					}
				},
				Short: func() {
					s.AddFault(cftest.Fault{Method: "GET", Path: "/zones/{zone_id}/dns_records", Times: 1, Status: cftest.Short})
				},
				WriteApplied: s.WriteApplied,
				SeedUnreadable: func() (string, string, func() bool) {
					// As if made in Cloudflare's dashboard: a TXT record whose
					// name holds a backslash. The API reference ("DNS
					// Records": name, "DNS record name (or @ for the zone
					// apex) in Punycode", at most 255 characters) documents
					// no escape syntax, so dnsparity reads it as neither name
					// (provider.PlainName).
					s.Seed(id, cftest.Record{Name: `x\.y.example.com`, Type: "TXT", Content: `"by hand"`, TTL: 300})
					return provider.FQDN(`x\.y.example.com`), "TXT", func() bool {
						for _, r := range s.Records(id) {
							if r.Name == `x\.y.example.com` {
								return true
							}
						}
						return false
					}
				},
			}
			providertest.RunOne(t, name, h)
		})
	}
}

func TestPushReadBackNoop(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, token)
	providertest.PushInOneRequest(t, p, desired(t, zoneFile), func() int { return s.Count("POST batch") }, "batch calls")
}

func TestPagination(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	for i := range 23 {
		s.Seed(id, cftest.Record{Name: fmt.Sprintf("h%02d.example.com", i), Type: "A", Content: fmt.Sprintf("192.0.2.%d", i), TTL: 300})
	}
	p := newProvider(t, s, token)
	p.SetPageSize(5)
	providertest.PagesRead(t, p, "example.com.", 23, func() int { return s.Count("GET records") }, 10) // 5 pages, read twice (provider.Settled)
}

func TestBatchSplitAtLimit(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	s.AddZone("example.com")
	s.BatchLimit = 4 // the fake refuses more, like the API over its plan's limit
	p := newProvider(t, s, token)
	p.SetBatch(4)
	// One RRset of three records (multi): its three posts stay in one batch.
	d := desired(t, providertest.SplitZone("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ada.ns.cloudflare.com.\n"))
	res := providertest.Push(t, p, d)
	if res.Requests != 4 {
		t.Errorf("%d batch calls, want 4 (10 single records and one of 3, at most 4 operations each)", res.Requests)
	}
	for i, bt := range s.Batches {
		if n := len(bt.Posts) + len(bt.Patches) + len(bt.Deletes); n > 4 {
			t.Errorf("batch %d has %d operations", i, n)
		}
	}
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

func TestRetryAfter429(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, token)
	// Two 429s, then success; then more 429s than the policy allows.
	s.AddFault(cftest.Fault{Method: "POST", Path: "/zones/{zone_id}/dns_records/batch", Times: 2, Status: 429, RetryAfter: "0"})
	providertest.RetriedThenEndless(t, p, desired(t, zoneFile), func() int { return s.Count("POST batch") }, 3,
		func() { s.AddFault(cftest.Fault{Method: "GET", Times: 10, Status: 429, RetryAfter: "0"}) }, "429")
}

func TestServerErrorMidPlanThenConverge(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	p := newProvider(t, s, token)
	// Calls of 8 (the apex's 8 records go in one call: plan refuses a
	// name whose changes take more than a call carries), and the fake
	// takes no more, as Cloudflare takes no more than its limit.
	p.SetBatch(8)
	s.BatchLimit = 8
	// The second batch fails on every try.
	providertest.MidPlanFailure(t, p, desired(t, zoneFile),
		func() {
			s.AddFault(cftest.Fault{Method: "POST", Path: "/zones/{zone_id}/dns_records/batch", Skip: 1, Times: 3, Status: 503})
		},
		[]string{"batch 2 of", "503"},
		func(res provider.Result) {
			if res.Requests != 4 { // the first batch, and the second's three tries
				t.Errorf("requests %d, want 4 (1 + 3 tries)", res.Requests)
			}
			if len(s.Records(id)) == 0 {
				t.Fatal("nothing stored")
			}
		})
}

func TestBadCredentials(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	s.AddZone("example.com")
	// Cloudflare refuses a token of the wrong form (cut short, or a
	// Global API Key sent as a token) with HTTP 400, 6003 "Invalid request
	// headers" whose error_chain says 6111 "Invalid format for
	// Authorization header" (cftest), a wrong token of the right form with
	// HTTP 403: both are refused credentials (exit 2), the code named.
	for bad, code := range map[string]string{
		"wrong-token-secret-value":                 "6111",
		"0123456789abcdef0123456789abcdef01234":    "6111", // a Global API Key's 37 hex digits
		"Wr0ngTokenOfTheRightForm_0123456789-abcd": "10000",
	} {
		t.Run(code+" "+bad[:5], func(t *testing.T) {
			providertest.RefusedCredentials(t, newProvider(t, s, bad), bad, desired(t, zoneFile), func() int { return s.Count("POST batch") }, code)
		})
	}
	if _, err := cloudflare.New(&config.Provider{Type: "cloudflare"}, nil); err == nil || !strings.Contains(err.Error(), "api_key_env") {
		t.Errorf("no token: %v", err)
	}
}

func TestZoneLookup(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	s.AddZone("other.org")
	id := s.AddZone("example.com", "kim.ns.cloudflare.com", "lou.ns.cloudflare.com")
	providertest.ZoneLookup(t, providertest.LookupCases(id, "other.org.", "ffff"), func(t *testing.T, zoneID string) provider.Provider {
		p, err := cloudflare.New(&config.Provider{Type: "cloudflare", Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: token}, ZoneID: zoneID}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}, providertest.NameserversAre("kim.ns.cloudflare.com.", "lou.ns.cloudflare.com."))
}

func TestFeaturesAndProxiedReplace(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	s.Seed(id, cftest.Record{Name: "example.com", Type: "CNAME", Content: "lb.example.net", TTL: 1})
	s.Seed(id, cftest.Record{Name: "www.example.com", Type: "A", Content: "192.0.2.10", TTL: 1, Proxied: true})
	s.Seed(id, cftest.Record{Name: "auto.example.com", Type: "A", Content: "192.0.2.11", TTL: 1})
	s.Seed(id, cftest.Record{Name: "flat.example.com", Type: "CNAME", Content: "cdn.example.net", TTL: 300, Settings: map[string]any{"flatten_cname": true}})
	p := newProvider(t, s, token)
	got := providertest.FeaturesAre(t, p, "example.com.", "example.com. CNAME cname-flattening true", "www.example.com. A proxied false",
		"auto.example.com. A ttl-automatic false", "flat.example.com. CNAME cname-flattening false")
	if f := got["example.com. CNAME cname-flattening true"]; !f.Omitted || f.Advice == "" || !strings.Contains(f.Detail, "lb.example.net") {
		t.Errorf("apex CNAME: %+v", f)
	}
	// The apex CNAME has no zone-file form: Records leaves it out.
	z, err := p.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if z.Get("example.com.", dns.TypeCNAME) != nil {
		t.Error("apex CNAME listed")
	}
	// Replacing a proxied record edits it in place: still proxied, same id.
	before := s.Records(id)
	d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.\nwww 300 A 192.0.2.12\nauto 300 A 192.0.2.11\nflat 300 CNAME cdn.example.net.\n")
	providertest.Push(t, p, d)
	var www []cftest.Record
	for _, r := range s.Records(id) {
		if r.Name == "www.example.com" {
			www = append(www, r)
		}
	}
	if len(www) != 1 || www[0].Content != "192.0.2.12" || !www[0].Proxied {
		t.Fatalf("www after push: %+v", www)
	}
	for _, r := range before {
		if r.Name == "www.example.com" && r.ID != www[0].ID {
			t.Errorf("www was deleted and re-created (id %s → %s)", r.ID, www[0].ID)
		}
	}
	last := s.Batches[len(s.Batches)-1]
	if len(last.Deletes) != 0 || len(last.Patches) != 1 {
		b, _ := json.Marshal(last)
		t.Errorf("replace sent %s, want one patch", b)
	}
}

func TestCapabilityMap(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	p := newProvider(t, s, token)
	caps := p.Capabilities()
	providertest.DocumentedTypes(t, "cloudflare", caps)
	providertest.CheckHolds(t, caps, map[string]bool{
		"x.example.com. 300 IN A 192.0.2.1":                                              true,
		"x.example.com. 1 IN A 192.0.2.1":                                                false, // automatic: read as 300, written as 300
		"x.example.com. 29 IN A 192.0.2.1":                                               false, // 30 to 59: by the zone's plan (TestTTLByZonePlan)
		"x.example.com. 172800 IN A 192.0.2.1":                                           false,
		"x.example.com. 300 IN TYPE65000 \\# 1 ab":                                       false,
		"x.example.com. 300 IN LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m": true,
		"x.example.com. 300 IN SPF \"v=spf1 -all\"":                                      false,
		"x.example.com. 300 IN CAA 0 contactemail \"a@example.com\"":                     false,
		"x.example.com. 300 IN CAA 1 issue \"ca.example\"":                               false,
		"x.example.com. 300 IN CAA 128 issue \"ca.example\"":                             true,
		"x.example.com. 300 IN HTTPS 1 . alpn=h2 key65000=abc":                           false,
		"x.example.com. 300 IN HTTPS 1 . alpn=h2 port=8443":                              true,
		"x.example.com. 300 IN TXT \"" + strings.Repeat("a", 255) + "\" \"b\"":           true,
		"x\\032y.example.com. 300 IN A 192.0.2.1":                                        false,
		"x.example.com. 300 IN TXT \"\"":                                                 false, // empty: not taken
		"x.example.com. 300 IN TXT \"a \\\"b\\\" \"":                                     true,
	})
}

// Records of types this provider does not map are read from Cloudflare's
// content when it parses, and reported (not dropped, not fatal) when not.
func TestUnmappedRecords(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	s.Seed(id, cftest.Record{Name: "loc.example.com", Type: "LOC", Content: "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m", TTL: 300})
	s.Seed(id, cftest.Record{Name: "ok.example.com", Type: "A", Content: "192.0.2.1", TTL: 300})
	s.Seed(id, cftest.Record{Name: "bad.example.com", Type: "A", Content: "not-an-address", TTL: 300})
	p := newProvider(t, s, token)
	z, err := p.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if z.Get("ok.example.com.", dns.TypeA) == nil || z.Get("loc.example.com.", dns.TypeLOC) == nil || z.Get("bad.example.com.", dns.TypeA) != nil {
		t.Errorf("records: %v", z.Names())
	}
	fs, err := p.Features(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for _, f := range fs {
		if f.Feature == "unrepresentable" && f.Omitted {
			bad = append(bad, f.Name)
		}
	}
	if strings.Join(bad, ",") != "bad.example.com." {
		t.Errorf("unrepresentable: %v", bad)
	}
}

// A batch the API refuses is one transaction: nothing of it is applied,
// and the error carries the API's reason.
func TestRefusedBatchAppliesNothing(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	s.Seed(id, cftest.Record{Name: "example.com", Type: "CNAME", Content: "lb.example.net", TTL: 1}) // flattened, not listed
	p := newProvider(t, s, token)
	d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\n@ 300 A 192.0.2.1\nx 300 A 192.0.2.2\n")
	pl := providertest.Plan(t, p, d)
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil || !strings.Contains(err.Error(), "81054") || !strings.Contains(err.Error(), "nothing of it applied") {
		t.Fatalf("error %v", err)
	}
	if len(res.Applied) != 0 || res.Requests != 1 {
		t.Errorf("result %+v", res)
	}
	if n := len(s.Records(id)); n != 1 {
		t.Errorf("%d records after a refused batch, want the 1 seeded", n)
	}
}

// A proxied record's TTL is automatic: another TTL is refused before
// anything is sent; 300 (what it answers with) is in sync.
func TestProxiedTTL(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	s.Seed(id, cftest.Record{Name: "www.example.com", Type: "A", Content: "192.0.2.10", TTL: 1, Proxied: true})
	p := newProvider(t, s, token)
	in := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nwww 300 A 192.0.2.10\n")
	if pl := providertest.Plan(t, p, in); !pl.Empty() {
		t.Errorf("proxied record at 300 not in sync: %v", pl.Changes)
	}
	d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nwww 600 A 192.0.2.10\nnew 300 A 192.0.2.11\n")
	// plan reports the line before anything is sent ...
	cur, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
	if len(pl.Unsupported) != 1 || pl.Unsupported[0].Set.Name != "www.example.com." || !strings.Contains(pl.Unsupported[0].Reason, "proxied") {
		t.Errorf("unsupported %v", pl.Unsupported)
	}
	// ... and Apply refuses it too, when given it anyway.
	pl.Changes = append(pl.Changes, provider.Change{Action: provider.Replace, Name: "www.example.com.", Type: dns.TypeA, Old: cur.Get("www.example.com.", dns.TypeA), New: d.Get("www.example.com.", dns.TypeA)})
	_, err = p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil || !strings.Contains(err.Error(), "proxied") || !strings.Contains(err.Error(), "nothing was sent") {
		t.Fatalf("TTL 600 on a proxied record: %v", err)
	}
	if n := s.Count("POST batch"); n != 0 {
		t.Errorf("%d batch calls", n)
	}
}

// TestApplyNothingLeftToDo: a change the zone already reflects (an RRset
// deleted at Cloudflare after the plan was made, one created meanwhile as
// planned) needs no operation: it is reported applied, and no empty batch
// is sent, whether it shares a batch or stands alone.
func TestApplyNothingLeftToDo(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	s.Seed(id, cftest.Record{Name: "there.example.com", Type: "A", Content: "192.0.2.8", TTL: 300})
	p := newProvider(t, s, token)
	p.SetBatch(1)
	d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\nthere 300 A 192.0.2.8\ngone 300 A 192.0.2.9\nnew 300 A 192.0.2.10\nnew 300 A 192.0.2.11\n")
	change := func(a provider.Action, name string) provider.Change {
		c := provider.Change{Action: a, Name: name + ".example.com.", Type: dns.TypeA}
		if a == provider.Delete {
			c.Old = d.Get(c.Name, c.Type)
		} else {
			c.New = d.Get(c.Name, c.Type)
		}
		return c
	}
	for _, tc := range []struct {
		name     string
		cs       []provider.Change
		requests int
	}{
		{"alone", []provider.Change{change(provider.Delete, "gone")}, 0},
		{"before a full batch", []provider.Change{change(provider.Create, "there"), change(provider.Create, "new")}, 1},
	} {
		before := len(s.Batches)
		res, err := p.Apply(context.Background(), "example.com.", tc.cs, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(res.Applied) != len(tc.cs) || res.Requests != tc.requests || len(s.Batches)-before != tc.requests {
			t.Errorf("%s: applied %v in %d requests (%d batches at the fake), want all in %d", tc.name, res.Applied, res.Requests, len(s.Batches)-before, tc.requests)
		}
	}
}

// corpusRefusals are the cases of providertest.Cases the provider refuses
// at plan time (Cloudflare's API takes no escaped octets in a name, nor
// an empty TXT); every other case round trips exactly. A TXT's content is
// RFC 1035 quoted strings of up to 255 bytes each, any octet written
// \DDD (API reference, TXTRecord content): octets that are not UTF-8
// (txt-not-utf8), or a string ending inside a character
// (txt-utf8-split-at-255), round trip as any text does.
var corpusRefusals = providertest.Refusals(map[string]string{
	"txt-empty": "empty TXT text",
	// TTL 1 is "automatic" to Cloudflare; otherwise 60 to 86,400, 30 to
	// 86,400 in an Enterprise zone ("DNS Records", ttl): refused at plan
	// time, never raised or cut (the corpus zone's plan is Free).
	"ttl-0": "below the provider's minimum of 30", "ttl-1": "below the provider's minimum of 30", "ttl-59": "below the provider's minimum of 60 in zone",
	"ttl-86401": "above Cloudflare's maximum of 86400", "ttl-max": "above Cloudflare's maximum of 86400", "ttl-week": "above Cloudflare's maximum of 86400",
	"caa-flags-255": "keeps only 0 or 128",
	"caa-issuemail": "not one Cloudflare accepts", "caa-unknown-tag": "not one Cloudflare accepts", "caa-critical-unknown": "not one Cloudflare accepts", "dname": "type DNAME is not supported",
	"svcb-unknown-key": "not one Cloudflare accepts",
	"rp":               "type RP is not supported", "dhcid": "type DHCID is not supported", "hinfo": "type HINFO is not supported", "hinfo-empty": "type HINFO is not supported", "caa-contactemail": "not one Cloudflare accepts",
	// Cloudflare's record types have no SPF (API reference, "DNS
	// Records": the type enum).
	"spf": "type SPF is not supported", "spf-two-strings": "type SPF is not supported",
})

// TestSeveralZonesOfOneName: a token may see several zones of one name
// (the domain added to several accounts: one active, another pending),
// each on its own name servers. The lookup took the first listed, so
// plan, push and the cutover's old-complete gate could read a zone no
// resolver asks. Now the zone whose name servers are the configured
// delegation's is taken, else the one active zone; else the lookup is an
// error naming each (zone_id chooses).
func TestSeveralZonesOfOneName(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	pending := s.AddZone("example.com", "ada.ns.cloudflare.com", "bob.ns.cloudflare.com")
	s.SetStatus(pending, "pending")
	served := s.AddZone("example.com", "cruz.ns.cloudflare.com", "dana.ns.cloudflare.com")
	s.Seed(served, cftest.Record{Name: "only-served.example.com", Type: "A", Content: "192.0.2.7", TTL: 300})
	mk := func(delegation ...string) *cloudflare.Provider {
		p, err := cloudflare.New(&config.Provider{Name: "old", Type: "cloudflare", Delegation: delegation, Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: config.Secret(token)}}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		p.SetRetry(providertest.FastRetry)
		return p
	}
	ctx := context.Background()
	for _, p := range []*cloudflare.Provider{mk(), mk("CRUZ.ns.cloudflare.com.", "dana.ns.cloudflare.com")} {
		if z, err := p.Records(ctx, "example.com."); err != nil || z.Get("only-served.example.com.", dns.TypeA) == nil {
			t.Errorf("the active zone (and the one of the delegation's name servers): %v", err)
		}
	}
	if z, err := mk("ada.ns.cloudflare.com", "bob.ns.cloudflare.com").Records(ctx, "example.com."); err != nil || z.Get("only-served.example.com.", dns.TypeA) != nil {
		t.Errorf("the zone of the configured delegation's name servers (pending): %v", err)
	}
	s.SetStatus(pending, "active") // both active, no delegation that tells
	_, err := mk().Records(ctx, "example.com.")
	if err == nil || !strings.Contains(err.Error(), "2 zones are named example.com.") || !strings.Contains(err.Error(), served) || !strings.Contains(err.Error(), "zone_id") {
		t.Errorf("two active zones of the name: %v", err)
	}
}

// TestSeveralZonesOfOneNameRedacted: the error naming each zone of one
// name quotes the API's text (ids, statuses, name servers) as server
// text: the token taken out, and nothing unprintable (a terminal escape)
// written as it came. On the code before, both came through.
func TestSeveralZonesOfOneNameRedacted(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	first := s.AddZone("example.com", "ada.ns.cloudflare.com", token+".ns.cloudflare.com")
	s.SetStatus(first, "pending")
	other := s.AddZone("example.com", "cruz.ns.cloudflare.com", "dana.ns.cloudflare.com")
	s.SetStatus(other, "moved\x1b]0;owned\x07")
	p, err := cloudflare.New(&config.Provider{Name: "old", Type: "cloudflare", Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: config.Secret(token)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.FastRetry)
	_, err = p.Records(context.Background(), "example.com.")
	if err == nil || !strings.Contains(err.Error(), "2 zones are named example.com.") {
		t.Fatalf("two zones of the name, neither active alone: %v", err)
	}
	if msg := err.Error(); strings.Contains(msg, token) || strings.ContainsAny(msg, "\x1b\x07") {
		t.Errorf("the error quotes the API's text unredacted: %q", msg)
	}
}
