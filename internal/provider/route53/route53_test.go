package route53_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const (
	keyID  = "AKIDEXAMPLE0123"
	secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

var zoneFile = `$ORIGIN example.com.
$TTL 300
@        SOA   ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300
@        NS    ns-1.awsdns-01.org.
@        A     192.0.2.1
@        A     192.0.2.2
@        AAAA  2001:db8::1
@        MX    10 mail.example.com.
@        TXT   "v=spf1 ip4:192.0.2.0/24 -all"
@        CAA   0 issue "letsencrypt.org"
www      CNAME example.com.
*.wild   A     192.0.2.7
mail     A     192.0.2.25
_sip._tcp SRV  10 5 5060 sip.example.com.
_443._tcp.www TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
host     SSHFP 4 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
svc      HTTPS 1 . alpn="h3,h2" ipv4hint="192.0.2.40"
sub      NS    ns1.sub.example.com.
sub      DS    12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns1.sub  A     192.0.2.53
naptr    NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.example.com.
old      SPF   "v=spf1 -all"
long     TXT   "` + strings.Repeat("k", 255) + `" "` + strings.Repeat("m", 100) + `"
zero     0 A   192.0.2.99
`

func desired(t testing.TB, text string) *zone.Zone {
	t.Helper()
	return providertest.Desired(t, "example.com.", text)
}

func newProvider(t testing.TB, s *r53test.Server, id, key string) *route53.Provider {
	t.Helper()
	return newProviderRetry(t, s, id, key, providertest.FastRetry)
}

// newProviderRetry is newProvider with the retry policy pol.
func newProviderRetry(t testing.TB, s *r53test.Server, id, key string, pol httpretry.Policy) *route53.Provider {
	t.Helper()
	p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "new", Type: "route53", Settings: &route53.Settings{URL: s.URL, AWS: config.AWS{AccessKeyID: config.Secret(id), SecretAccessKey: config.Secret(key)}}},
		pol)
	if err != nil {
		t.Fatal(err)
	}
	p.SetSyncPoll(time.Millisecond, 5*time.Second)
	// 400 a second, no burst: within the fake's 5 per 5 ms (newServer),
	// Route 53's 5 a second two hundred times faster; a throttle pauses
	// the account 12.5 ms (Route 53: a second).
	p.SetRateLimit(400, 1)
	return p
}

// TestShared runs the coverage every HTTP API provider shares, with
// Route 53's smallest page (maxitems 1) and small change batches.
func TestShared(t *testing.T) {
	for _, name := range providertest.Names {
		t.Run(name, func(t *testing.T) {
			s := newServer(t)
			s.PendingPolls = 0
			id := s.AddZone("example.com", false)
			h := providertest.Harness{
				Origin: "example.com.", Secret: secret, ZoneFile: zoneFile, PageSize: 1,
				// Route 53 has no URI type.
				Refuses: map[string]string{"uri-target": "type URI is not supported", "caa-flags-255": "keeps only 0 or 128", "caa-unknown-tag": "not one Route 53 accepts", "caa-critical-unknown": "not one Route 53 accepts", "dname": "type DNAME is not supported", "svcb-unknown-key": "not one Route 53 accepts",
					"loc": "type LOC is not supported", "rp": "type RP is not supported", "dhcid": "type DHCID is not supported", "hinfo": "type HINFO is not supported", "hinfo-empty": "type HINFO is not supported", "cert": "type CERT is not supported", "openpgpkey": "type OPENPGPKEY is not supported", "smimea": "type SMIMEA is not supported"},
				// maxitems 1 to 300 (route53.RecordPageSizes).
				SetPageSize:    func(p provider.Provider, n int) error { return p.(*route53.Provider).SetPageSize(n) },
				PageSizesTaken: []int{2, 7, 300}, PageSizesRefused: []int{0, -1, 301, 1000},
				New: func(t *testing.T, key string) provider.Provider {
					p := newProvider(t, s, keyID, key)
					p.SetPageSize(1)
					p.SetLimits(12, 0)
					return p
				},
				Writes: func() int { return s.Count("ChangeResourceRecordSets") },
				Lists:  func() int { return s.Count("ListResourceRecordSets") },
				SeedA: func(n int) {
					for i := range n {
						s.Seed(id, r53test.RRSet{Name: fmt.Sprintf("h%02d.example.com.", i), Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords(fmt.Sprintf("192.0.2.%d", i))})
					}
				},
				Fault: func(status, skip, times int, retryAfter string) {
					s.ClearFaults()
					switch status {
					case 0:
					case 429: // Route 53 throttles with 400 Throttling
						s.AddFault(r53test.Fault{Writes: true, Skip: skip, Times: times, Status: 400, Code: "Throttling", RetryAfter: retryAfter})
					default:
						s.AddFault(r53test.Fault{Writes: true, Skip: skip, Times: times, Status: status, Code: "ServiceUnavailable"})
					}
				},
				Short: func() { s.AddFault(r53test.Fault{Method: "GET", Path: "/rrset", Times: 1, Status: r53test.Short}) },
				WriteApplied: func(skip, status int) {
					s.AddFault(r53test.Fault{Writes: true, Skip: skip, Times: 1, Status: status, Code: "InternalFailure", Applied: true})
				},
				SeedUnreadable: func() (string, string, func() bool) {
					// As if made in the Route 53 console or by another
					// tool: an A record set whose value has zero-padded
					// octets. The Developer Guide ("Supported DNS record
					// types", A: "an IPv4 address in dotted decimal
					// notation") documents no refusal of leading zeros;
					// dnsparity's reader (Go's net.ParseIP, behind
					// miekg/dns) refuses them, as other parsers read them
					// as octal (RFC 6943 section 3.1.1).
					s.Seed(id, r53test.RRSet{Name: "legacy.example.com.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.010")})
					return "legacy.example.com.", "A", func() bool {
						for _, rs := range s.Sets(id) {
							if rs.Name == "legacy.example.com." && rs.Type == "A" {
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

// newServer starts a fake that throttles past 5 requests per 5 ms (its
// bucket of Route 53's documented size off: tests here run faster).
func newServer(t testing.TB) *r53test.Server {
	s := r53test.New(keyID, secret)
	s.SetBucket(nil)
	s.SetLimit(&fakeapi.Window{Limit: 5, Period: 5 * time.Millisecond})
	t.Cleanup(s.Close)
	return s
}

func TestPushReadBackNoop(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	id := s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)
	providertest.PushInOneRequest(t, p, desired(t, zoneFile), func() int { return s.Count("ChangeResourceRecordSets") }, "change batches")
	if n := s.Count("GetChange"); n < 2 {
		t.Errorf("GetChange polled %d times, want until INSYNC (2)", n)
	}
	// The wildcard is stored the way Route 53 lists it.
	found := false
	for _, set := range s.Sets(id) {
		found = found || set.Name == `\052.wild.example.com.`
	}
	if !found {
		t.Error(`wildcard not listed as \052.wild.example.com.`)
	}
}

func TestPagination(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	id := s.AddZone("example.com", false)
	for i := range 23 {
		s.Seed(id, r53test.RRSet{Name: fmt.Sprintf("h%02d.example.com.", i), Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords(fmt.Sprintf("192.0.2.%d", i))})
	}
	p := newProvider(t, s, keyID, secret)
	p.SetPageSize(5)
	// 23 + SOA + NS
	providertest.PagesRead(t, p, "example.com.", 25, func() int { return s.Count("ListResourceRecordSets") }, 5)
}

func TestBatchSplitAtLimits(t *testing.T) {
	for _, tc := range []struct {
		name           string
		records, chars int
		wantBatches    int
	}{
		// 12 single-record UPSERTs count 24 records; a 3-record UPSERT 6.
		{"records", 8, 0, 4},
		// Each value "192.0.2.N" is 9-11 characters, twice for UPSERT.
		{"characters", 0, 70, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			defer s.Close()
			s.AddZone("example.com", false)
			p := newProvider(t, s, keyID, secret)
			p.SetLimits(tc.records, tc.chars)
			// the fake's own apex TTLs and timers: no apex change to count
			d := desired(t, providertest.SplitZone("$ORIGIN example.com.\n@ 900 SOA ns. h. 1 7200 900 1209600 86400\n@ 172800 NS ns.\n"))
			res := providertest.Push(t, p, d)
			if res.Requests != tc.wantBatches {
				t.Errorf("%d change batches, want %d", res.Requests, tc.wantBatches)
			}
			recLimit, charLimit := tc.records, tc.chars
			if recLimit == 0 {
				recLimit = route53.MaxRecords
			}
			if charLimit == 0 {
				charLimit = route53.MaxValueChars
			}
			for i, batch := range s.Batches {
				recs, chars := 0, 0
				for _, c := range batch {
					for _, v := range c.Set.Values() {
						recs, chars = recs+2, chars+2*len(v)
					}
				}
				if recs > recLimit || chars > charLimit {
					t.Errorf("batch %d counts %d records, %d characters", i, recs, chars)
				}
			}
			if pl := providertest.Plan(t, p, d); !pl.Empty() {
				t.Errorf("not converged: %v", pl.Changes)
			}
		})
	}
}

func TestThrottlingThenSuccess(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)
	// Throttling, 429, success; then throttled past the policy.
	s.AddFault(r53test.Fault{Method: "POST", Path: "/rrset", Times: 1, Status: 400, Code: "Throttling", RetryAfter: "0"})
	s.AddFault(r53test.Fault{Method: "POST", Path: "/rrset", Times: 1, Status: 429, Code: "TooManyRequests"})
	providertest.RetriedThenEndless(t, p, desired(t, zoneFile), func() int { return s.Count("ChangeResourceRecordSets") }, 3,
		func() {
			s.AddFault(r53test.Fault{Method: "GET", Path: "/rrset", Times: 10, Status: 400, Code: "PriorRequestNotComplete"})
		}, "PriorRequestNotComplete")
}

func TestServerErrorMidPlanThenConverge(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)
	p.SetLimits(10, 0)
	providertest.MidPlanFailure(t, p, desired(t, zoneFile),
		func() {
			s.AddFault(r53test.Fault{Method: "POST", Path: "/rrset", Skip: 1, Times: 3, Status: 503, Code: "ServiceUnavailable"})
		},
		[]string{"change batch 2 of", "ServiceUnavailable"}, nil)
}

func TestReplaceAndDelete(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)
	providertest.Push(t, p, desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.\nwww 300 A 192.0.2.1\ngone 300 TXT \"x\"\nkeep 300 A 192.0.2.3\n"))
	s.ResetCounts()
	// www turns from an A into a CNAME; gone goes; keep changes TTL.
	d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.\nwww 300 CNAME keep.example.com.\nkeep 600 A 192.0.2.3\n")
	providertest.Push(t, p, d)
	if len(s.Batches) != 1 {
		t.Fatalf("%d batches", len(s.Batches))
	}
	var order []string
	for _, c := range s.Batches[0] {
		order = append(order, c.Action+" "+c.Set.Name+" "+c.Set.Type)
	}
	want := "DELETE www.example.com. A,UPSERT www.example.com. CNAME,UPSERT keep.example.com. A,DELETE gone.example.com. TXT"
	if strings.Join(order, ",") != want {
		t.Errorf("batch\n%s\nwant\n%s", strings.Join(order, ","), want)
	}
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

func TestBadCredentials(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	s.AddZone("example.com", false)
	for _, tc := range []struct{ name, id, key, code string }{
		{"unknown key id", "AKIDWRONG", secret, "InvalidClientTokenId"},
		{"wrong secret", keyID, "not-the-secret-value", "SignatureDoesNotMatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.ResetCounts()
			providertest.RefusedCredentials(t, newProvider(t, s, tc.id, tc.key), tc.key, desired(t, zoneFile), func() int { return s.Count("ChangeResourceRecordSets") }, tc.code)
		})
	}
}

func TestZoneLookup(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	s.AddZone("example.com", true) // a private zone of the same name comes first
	pub := s.AddZone("example.com", false)
	s.AddZone("example.org", false)
	cases := append(providertest.LookupCases(pub, "example.org.", "Z999"),
		providertest.LookupCase{Name: "by id with prefix", ZoneID: "/hostedzone/" + pub, Origin: "example.com."},
		providertest.LookupCase{Name: "missing beside others", Origin: "example.net.", Err: provider.ErrZoneNotFound})
	cases[0].Name = "by name, public" // the private zone of the name passed over
	providertest.ZoneLookup(t, cases, func(t *testing.T, zoneID string) provider.Provider {
		p, err := route53.NewWithRetry(context.Background(), &config.Provider{Type: "route53", Settings: &route53.Settings{URL: s.URL, ZoneID: zoneID, AWS: config.AWS{AccessKeyID: keyID, SecretAccessKey: secret}}}, providertest.OneTry)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}, func(ns []string) bool { return len(ns) == 4 && ns[0] == "ns-1.awsdns-01.org." })
}

func TestFeatures(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	id := s.AddZone("example.com", false)
	s.Seed(id, r53test.RRSet{Name: "example.com.", Type: "A", AliasTarget: &r53test.AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d111111abcdef8.cloudfront.net."}})
	s.Seed(id, r53test.RRSet{Name: "w.example.com.", Type: "A", SetIdentifier: "blue", Weight: aws.Int64(70), TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.1")})
	s.Seed(id, r53test.RRSet{Name: "w.example.com.", Type: "A", SetIdentifier: "green", Weight: aws.Int64(30), TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.2")})
	s.Seed(id, r53test.RRSet{Name: "geo.example.com.", Type: "A", SetIdentifier: "eu", GeoLocation: &r53test.GeoLocation{ContinentCode: "EU"}, TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.3")})
	s.Seed(id, r53test.RRSet{Name: "lat.example.com.", Type: "A", SetIdentifier: "use1", Region: "us-east-1", TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.4")})
	s.Seed(id, r53test.RRSet{Name: "fo.example.com.", Type: "A", SetIdentifier: "primary", Failover: "PRIMARY", HealthCheckID: "hc-1", TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.5")})
	s.Seed(id, r53test.RRSet{Name: "plain.example.com.", Type: "A", TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.6")})
	p := newProvider(t, s, keyID, secret)
	// every one omitted; two weighted sets
	got := providertest.FeaturesAre(t, p, "example.com.", "example.com. A alias true", "w.example.com. A weighted-routing true", "w.example.com. A weighted-routing true",
		"geo.example.com. A geolocation-routing true", "lat.example.com. A latency-routing true", "fo.example.com. A failover-routing true")
	if f := got["example.com. A alias true"]; !strings.Contains(f.Detail, "d111111abcdef8.cloudfront.net.") || !strings.Contains(f.Advice, "apex") {
		t.Errorf("alias: %+v", f)
	}
	if f := got["fo.example.com. A failover-routing true"]; !strings.Contains(f.Detail, "hc-1") {
		t.Errorf("failover: %+v", f)
	}
	z, err := p.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if z.Get("example.com.", dns.TypeA) != nil || z.Get("w.example.com.", dns.TypeA) != nil {
		t.Error("alias or routing records listed as plain records")
	}
	if z.Get("plain.example.com.", dns.TypeA) == nil {
		t.Error("plain record missing")
	}
}

func TestCapabilityMap(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	caps := newProvider(t, s, keyID, secret).Capabilities()
	providertest.DocumentedTypes(t, "route53", caps)
	providertest.CheckHolds(t, caps, map[string]bool{
		"x.example.com. 0 IN A 192.0.2.1":                                                     true,
		"x.example.com. 300 IN TYPE65000 \\# 1 ab":                                            false,
		"x.example.com. 300 IN LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m":      false,
		"x.example.com. 300 IN SPF \"v=spf1 -all\"":                                           true,
		"x.example.com. 300 IN CAA 0 tbs \"x\"":                                               false,
		"x.example.com. 300 IN CAA 1 issue \"ca.example\"":                                    false,
		"x.example.com. 300 IN HTTPS 1 . alpn=h2 key65000=abc":                                false,
		"x.example.com. 300 IN TXT \"" + strings.Repeat("a", 255) + "\" \"b\"":                true,
		"x.example.com. 300 IN TXT" + strings.Repeat(" \""+strings.Repeat("a", 250)+"\"", 17): false,
	})
}

// The default client-side limit keeps to Route 53's 5 requests per
// second: 11 list requests cannot all go out in the first second.
func TestClientRateLimit(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	id := s.AddZone("example.com", false)
	for i := range 20 {
		s.Seed(id, r53test.RRSet{Name: fmt.Sprintf("h%02d.example.com.", i), Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.1")})
	}
	p, err := route53.New(context.Background(), &config.Provider{Type: "route53", Settings: &route53.Settings{URL: s.URL, AWS: config.AWS{AccessKeyID: keyID, SecretAccessKey: secret}}})
	if err != nil {
		t.Fatal(err)
	}
	p.SetPageSize(2)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err = p.Records(ctx, "example.com.")
	if err == nil {
		t.Fatal("11 requests within one second were not held back")
	}
	if n := p.Requests(); n > route53.RequestsPerSecond+1 {
		t.Errorf("%d requests sent within the first second", n)
	}
}

// A change batch Route 53 refuses (InvalidChangeBatch) applies nothing;
// the error carries Route 53's messages.
func TestInvalidChangeBatchAppliesNothing(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	id := s.AddZone("example.com", false)
	s.Seed(id, r53test.RRSet{Name: "x.example.com.", Type: "A", AliasTarget: &r53test.AliasTarget{HostedZoneID: "Z2", DNSName: "lb.example.net."}})
	p := newProvider(t, s, keyID, secret)
	d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nx 300 CNAME lb.example.net.\ny 300 A 192.0.2.2\n")
	pl := providertest.Plan(t, p, d)
	before := len(s.Sets(id))
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil || !strings.Contains(err.Error(), "InvalidChangeBatch") || !strings.Contains(err.Error(), "conflicts with other records") {
		t.Fatalf("error %v", err)
	}
	if len(res.Applied) != 0 || len(s.Sets(id)) != before {
		t.Errorf("applied %d, sets %d → %d", len(res.Applied), before, len(s.Sets(id)))
	}
}

// TestLimitsFollowTheThrottlingDoc: Route 53's request rate is a token
// bucket per account, capacity 50 refilled at 10 a second ("Throttling
// for Amazon Route 53 API requests"). In any time d the limits let at
// most 50 + 10·d through (never throttled, even late requests: each is
// counted until its answer), and over a minute they use the sustained
// rate the page gives, not the 5 a second of the quotas page it replaced.
func TestLimitsFollowTheThrottlingDoc(t *testing.T) {
	for _, d := range []time.Duration{0, 100 * time.Millisecond, time.Second, 5 * time.Second, time.Minute, time.Hour} {
		if most, bucket := route53.Limits.Most(d), route53.BucketCapacity+route53.RequestsPerSecond*d.Seconds(); float64(most) > bucket {
			t.Errorf("up to %d requests in %s, over the bucket's %.0f", most, d, bucket)
		}
	}
	if most := route53.Limits.Most(time.Minute); most < 9*60 {
		t.Errorf("up to %d requests a minute, under nine tenths of the documented 10 a second", most)
	}
}

// TestManyZonesOneBudget: many zones of one account planned at once, one
// provider each (as a run over thousands of zones does), draw from one
// account limiter and are never throttled by a fake that enforces Route
// 53's five requests per second (here per 200 ms); with a limiter each,
// the same run is throttled. The limiter is route53.Limits sped up as
// much as the fake's window (SetSpeed): requests that this shared
// machine's scheduling bunches up on their way to the fake are still
// counted until their answers, so no margin is needed.
func TestManyZonesOneBudget(t *testing.T) {
	const zones = 40 // some 100 requests: over the bucket's 50 at once
	const scale = 5  // the fake's bucket and the limiter, 5 times faster
	run := func(t *testing.T, shared bool) (throttled int) {
		s := r53test.New(keyID, secret)
		defer s.Close()
		s.SetBucket(&fakeapi.Bucket{Capacity: route53.BucketCapacity, Rate: route53.RequestsPerSecond * scale})
		var origins []string
		for i := range zones {
			origin := fmt.Sprintf("z%02d.example.", i)
			s.AddZone(origin, false)
			origins = append(origins, origin)
		}
		newLimiter := func() *httpretry.Limiter {
			l := httpretry.NewLimiter(route53.Limits)
			l.SetSpeed(scale) // a throttle pauses the account one (scaled) second
			return l
		}
		one := newLimiter()
		var wg sync.WaitGroup
		errs := make(chan error, zones)
		for _, origin := range origins {
			p := newProvider(t, s, keyID, secret)
			if shared {
				p.SetLimiter(one)
			} else {
				p.SetLimiter(newLimiter())
			}
			d := providertest.Desired(t, origin, "$ORIGIN "+origin+"\n@ 900 SOA ns. h. 1 7200 900 1209600 86400\n@ 172800 NS ns.\nwww 300 A 192.0.2.1\n")
			wg.Add(1)
			go func() {
				defer wg.Done()
				cur, err := p.Records(context.Background(), origin)
				if err == nil {
					_ = plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil && shared {
				t.Errorf("plan: %v", err)
			}
		}
		return s.Refused()
	}
	if n := run(t, true); n != 0 {
		t.Errorf("one account limiter for %d zones: %d requests throttled, want none", zones, n)
	}
	if n := run(t, false); n == 0 {
		t.Error("a limiter per zone was never throttled: the test does not load the fake")
	}
}

// TestZoneLookupByPages: zones read in name order are found a page of
// ListHostedZonesByName at a time (100 zones a page), not one lookup
// each, private zones of a name skipped; a zone's first listing is
// checked against the ResourceRecordSetCount its page gave, so planning
// a zone costs its ListResourceRecordSets and no GetHostedZone (which
// only the name servers need). A zone made again since its page was
// read is looked up again; one changed since is listed whole and
// checked against its count of now.
func TestZoneLookupByPages(t *testing.T) {
	s := newServer(t)
	const n = 250
	ids := map[string]string{}
	for i := range n {
		name := fmt.Sprintf("z%03d.example.", i)
		if i%50 == 7 {
			s.AddZone(name, true) // a private zone of the name comes first
		}
		ids[name] = s.AddZone(name, false)
	}
	p := newProvider(t, s, keyID, secret)
	ctx := context.Background()
	for i := range n {
		name := fmt.Sprintf("z%03d.example.", i)
		if _, err := p.Records(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Count("ListHostedZonesByName"); got > 3 {
		t.Errorf("%d zone lookups for %d zones, want a page of 100 each (3)", got, n)
	}
	if got, lists := s.Count("GetHostedZone"), s.Count("ListResourceRecordSets"); got != 0 || lists != n {
		t.Errorf("GetHostedZone %d times and ListResourceRecordSets %d for %d zones, want none and one each", got, lists, n)
	}
	if ns, err := p.Nameservers(ctx, "z057.example."); err != nil || len(ns) != 4 {
		t.Errorf("nameservers of the public zone: %v %v", ns, err)
	}
	// A second listing (push reads the zone again before it changes it)
	// checks against the count of now.
	s.ResetCounts()
	if _, err := p.Records(ctx, "z001.example."); err != nil || s.Count("GetHostedZone") != 1 {
		t.Errorf("listed again: %v, %s", err, s.Counts())
	}

	// z150 gains a record set after its page was read for z149: its
	// page's count is stale, the listing is whole.
	p = newProvider(t, s, keyID, secret)
	if _, err := p.Records(ctx, "z149.example."); err != nil {
		t.Fatal(err)
	}
	s.Seed(ids["z150.example."], r53test.RRSet{Name: "new.z150.example.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.1")})
	z, err := p.Records(ctx, "z150.example.")
	if err != nil || z.Get("new.z150.example.", dns.TypeA) == nil {
		t.Errorf("a zone changed since its page was read: %v", err)
	}

	// z200 is on a page read for z199 (a new provider), then made again.
	p = newProvider(t, s, keyID, secret)
	if _, err := p.Records(ctx, "z199.example."); err != nil {
		t.Fatal(err)
	}
	s.RemoveZone(ids["z200.example."])
	again := s.AddZone("z200.example.", false)
	s.ResetCounts()
	z, err = p.Records(ctx, "z200.example.")
	if err != nil {
		t.Fatalf("a zone made again since its page was read: %v", err)
	}
	if z.Get("z200.example.", dns.TypeSOA) == nil || s.Count("ListHostedZonesByName") != 1 || again == ids["z200.example."] {
		t.Errorf("made again: %s", s.Counts())
	}
}

// TestTXTCharacterStrings: Route 53 takes TXT and SPF values only as
// quoted character-strings of at most 255 characters each (r53test
// enforces it); the client sends each string quoted, quotes and
// backslashes escaped (a string of 255 octets written with 244 escapes
// among them), and reads them back unchanged.
func TestTXTCharacterStrings(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)
	d := desired(t, `$ORIGIN example.com.
@ 300 SOA ns. h. 1 2 3 4 5
@ 300 NS ns.example.net.
dkim 300 TXT "v=DKIM1; k=rsa; p=`+strings.Repeat("A", 237)+`" "`+strings.Repeat("B", 255)+`" "C"
quoted 300 TXT "say \"hi\" \\ `+strings.Repeat(`\"`, 244)+`"
spf 300 SPF "v=spf1 `+strings.Repeat("include:x.example.net ", 10)+`" "`+strings.Repeat("include:y.example.net ", 5)+`-all"
empty 300 TXT ""
`)
	providertest.Push(t, p, d)
	providertest.ReadBack(t, p, d)
}

// TestOctalEscapes: Route 53 takes and lists octets outside printable
// ASCII in TXT, SPF and NAPTR strings as three-digit OCTAL escapes
// (Developer Guide, "Supported DNS record types": "ex\344mple.com"),
// where a zone file writes decimal \DDD; the fake holds what the API
// would, and the records read back as pushed.
func TestOctalEscapes(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)
	d := desired(t, `$ORIGIN example.com.
@ 300 SOA ns. h. 1 2 3 4 5
@ 300 NS ns.example.net.
utf8 300 TXT "caf\195\169" "ex\228mple"
ctl 300 TXT "tab\009nul\000del\127 \"q\" \\"
spf 300 SPF "v=spf1 \255"
naptr 300 NAPTR 100 10 "u" "E2U+sip" "!^.*$!sip:caf\195\169@example.com!" .
`)
	providertest.Push(t, p, d)
	want := map[string]string{
		"utf8.example.com. TXT":    `"caf\303\251" "ex\344mple"`,
		"ctl.example.com. TXT":     `"tab\011nul\000del\177 \"q\" \\"`,
		"spf.example.com. SPF":     `"v=spf1 \377"`,
		"naptr.example.com. NAPTR": `100 10 "u" "E2U+sip" "!^.*$!sip:caf\303\251@example.com!" .`,
	}
	for _, set := range s.Sets(id) {
		if w, ok := want[set.Name+" "+set.Type]; ok {
			if got := set.Values(); len(got) != 1 || got[0] != w {
				t.Errorf("%s %s held as %q, want %q", set.Name, set.Type, got, w)
			}
			delete(want, set.Name+" "+set.Type)
		}
	}
	if len(want) > 0 {
		t.Errorf("not held: %v", want)
	}
	providertest.ReadBack(t, p, d)
	providertest.Noop(t, p, d, func() int { return s.Count("ChangeResourceRecordSets") })
}

// TestSeveralZonesOfOneName: an account may hold several public hosted
// zones of one name, each with its own name servers; the parent delegates
// to one. The lookup took the first listed, so plan, push and the
// cutover's old-complete gate read a zone no resolver asks, and the
// names only the served one held vanished at a flip. Now the one whose
// name servers are the configured delegation's is the zone; without a
// delegation that tells, the lookup is an error naming each (zone_id
// chooses).
func TestSeveralZonesOfOneName(t *testing.T) {
	s := newServer(t)
	stale := s.AddZone("example.com", false)
	served := s.AddZone("example.com", false)
	s.SetNameservers(served, "ns-101.awsdns-12.com", "ns-202.awsdns-25.net", "ns-303.awsdns-37.org", "ns-404.awsdns-50.co.uk")
	s.Seed(served, r53test.RRSet{Name: "only-served.example.com.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.7")})
	s.AddZone("example.org", false)
	mk := func(delegation []string, zoneID string) *route53.Provider {
		p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "old", Type: "route53", Delegation: delegation,
			Settings: &route53.Settings{URL: s.URL, ZoneID: zoneID, AWS: config.AWS{AccessKeyID: keyID, SecretAccessKey: secret}}}, providertest.FastRetry)
		if err != nil {
			t.Fatal(err)
		}
		p.SetRateLimit(400, 1)
		return p
	}
	ctx := context.Background()
	// No delegation to tell: an error naming both, never the first.
	_, err := mk(nil, "").Records(ctx, "example.com.")
	if err == nil || !strings.Contains(err.Error(), "2 public hosted zones are named example.com.") || !strings.Contains(err.Error(), stale) || !strings.Contains(err.Error(), served) || !strings.Contains(err.Error(), "zone_id") {
		t.Errorf("two public hosted zones of the name, no delegation configured: %v", err)
	}
	// The configured delegation names the served one's name servers.
	z, err := mk([]string{"NS-101.awsdns-12.com.", "ns-202.awsdns-25.net", "ns-303.awsdns-37.org", "ns-404.awsdns-50.co.uk"}, "").Records(ctx, "example.com.")
	if err != nil || z.Get("only-served.example.com.", dns.TypeA) == nil {
		t.Errorf("the zone with the delegation's name servers: %v, %v", z, err)
	}
	// A delegation neither has (vanity names): an error.
	if _, err := mk([]string{"ns1.example.net.", "ns2.example.net."}, "").Records(ctx, "example.com."); err == nil || !strings.Contains(err.Error(), "none has exactly the configured delegation's name servers") {
		t.Errorf("a delegation no zone of the name has: %v", err)
	}
	// zone_id chooses.
	if z, err := mk(nil, served).Records(ctx, "example.com."); err != nil || z.Get("only-served.example.com.", dns.TypeA) == nil {
		t.Errorf("zone_id of the served zone: %v, %v", z, err)
	}
	// A name found on an earlier lookup's page: one zone of that name is
	// taken as before.
	p := mk(nil, "")
	_, _ = p.Records(ctx, "example.com.")
	if _, err := p.Records(ctx, "example.org."); err != nil {
		t.Errorf("example.org. (one zone, on the page read for example.com.): %v", err)
	}
}

// TestSeveralZonesOfOneNameAcrossPages: a name whose two public hosted
// zones straddle a page of ListHostedZonesByName read for another zone
// (the first zone last on that page, the second first on the next) is
// not taken as one zone from that page: the lookup of it sees both. The
// page cache took the first one (the stale zone) without a lookup, as
// the first listed was taken before several zones of a name were known.
func TestSeveralZonesOfOneNameAcrossPages(t *testing.T) {
	s := newServer(t)
	for i := range 99 {
		s.AddZone(fmt.Sprintf("a%02d.test", i), false)
	}
	stale := s.AddZone("b.test", false)
	served := s.AddZone("b.test", false)
	s.SetNameservers(served, "ns-101.awsdns-12.com", "ns-202.awsdns-25.net")
	s.Seed(served, r53test.RRSet{Name: "only-served.b.test.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.7")})
	p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "old", Type: "route53", Delegation: []string{"ns-101.awsdns-12.com", "ns-202.awsdns-25.net"},
		Settings: &route53.Settings{URL: s.URL, AWS: config.AWS{AccessKeyID: keyID, SecretAccessKey: secret}}}, providertest.FastRetry)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRateLimit(400, 1)
	ctx := context.Background()
	if _, err := p.Records(ctx, "a00.test."); err != nil { // reads the page ending with b.test.'s first zone
		t.Fatal(err)
	}
	z, err := p.Records(ctx, "b.test.")
	if err != nil || z.Get("only-served.b.test.", dns.TypeA) == nil {
		t.Errorf("b.test. (zones %s and %s across a page boundary; the delegation names %s's servers): read the zone without only-served.b.test. (the stale one?), error %v", stale, served, served, err)
	}
}

// TestSeveralZonesOfOneNameRedacted: the error naming each public hosted
// zone of one name quotes the API's name servers as server text: the
// run's secrets taken out, nothing unprintable written as it came. On the
// code before, both came through.
func TestSeveralZonesOfOneNameRedacted(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	odd := s.AddZone("example.com", false)
	s.SetNameservers(odd, "ns-1.awsdns\x1b[2J.com", "ns-"+secret+".awsdns-02.net")
	p := newProvider(t, s, keyID, secret)
	run := &redact.Secrets{}
	run.Add(secret)
	_, err := p.Records(redact.WithSecrets(context.Background(), run), "example.com.")
	if err == nil || !strings.Contains(err.Error(), "2 public hosted zones are named example.com.") {
		t.Fatalf("two public hosted zones of the name: %v", err)
	}
	if msg := err.Error(); strings.Contains(msg, secret) || strings.Contains(msg, "\x1b") {
		t.Errorf("the error quotes the API's text unredacted: %q", msg)
	}
}

// TestSeveralZonesOfOneNameFullPage: a name with a full page of public
// hosted zones (100), the next page starting at another name: the lookup
// reads on with the API's NextDNSName and NextHostedZoneId, as the API
// Reference says. It asked for the next page with the zone's own name
// and the other name's id (the fake refuses that pair: InvalidInput).
func TestSeveralZonesOfOneNameFullPage(t *testing.T) {
	s := newServer(t)
	s.SetLimit(&fakeapi.Window{Limit: 500, Period: 5 * time.Millisecond})
	var served string
	for i := range 100 {
		id := s.AddZone("x.test", false)
		if i == 37 {
			served = id
			s.SetNameservers(id, "ns-137.awsdns-12.com", "ns-237.awsdns-25.net")
			s.Seed(id, r53test.RRSet{Name: "only-served.x.test.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.7")})
		}
	}
	s.AddZone("y.test", false)
	p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "old", Type: "route53", Delegation: []string{"ns-137.awsdns-12.com", "ns-237.awsdns-25.net"},
		Settings: &route53.Settings{URL: s.URL, AWS: config.AWS{AccessKeyID: keyID, SecretAccessKey: secret}}}, providertest.FastRetry)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRateLimit(100000, 100)
	z, err := p.Records(context.Background(), "x.test.")
	if err != nil || z.Get("only-served.x.test.", dns.TypeA) == nil {
		t.Errorf("x.test. (100 zones of the name, %s the delegation's): %v", served, err)
	}
}

// TestBackoffPastDeadline: throttled on every try with no Retry-After,
// the SDK's retries wait the policy's backoff, doubling (300 ms, 600 ms,
// 1.2 s); the wait that would end past the request's deadline (2 s) is
// not started: the request fails at once, naming that wait
// (httpretry.ErrWaitTooLong), before the deadline. Each try's wait is
// its own: a retryer that took every wait for the first (300 ms) would
// sleep into the deadline.
func TestBackoffPastDeadline(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	p := newProviderRetry(t, s, keyID, secret, httpretry.Policy{Attempts: 6, Base: 300 * time.Millisecond, Max: 10 * time.Second})
	s.AddFault(r53test.Fault{Method: "GET", Path: "/hostedzonesbyname", Times: 100, Status: 400, Code: "Throttling"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := p.Records(ctx, "example.com.")
	if !errors.Is(err, httpretry.ErrWaitTooLong) || !strings.Contains(err.Error(), "1.2s before another try") {
		t.Errorf("throttled past the deadline: %v, want %v naming the 1.2s wait", err, httpretry.ErrWaitTooLong)
	}
	if ctx.Err() != nil {
		t.Error("the request ended with its deadline, not before the wait past it")
	}
	if n := s.Count("ListHostedZonesByName"); n != 3 {
		t.Errorf("%d tries, want 3 (the waits of 300 ms and 600 ms fit)", n)
	}
}

// TestAmzRetryAfterWithinDeadline: throttled answers carrying
// X-Amz-Retry-After (whole milliseconds), which aws-sdk-go-v2 adds to the
// retryer's wait, up to 5 s more (aws/retry, adjustForRetryAfterHeader):
// the deadline check counts the wait the SDK will sleep, so a wait past
// the request's deadline (2 s) fails at once naming it
// (httpretry.ErrWaitTooLong), never ending with the deadline mid-sleep
// ("request canceled"); one that fits is waited and the request lands.
func TestAmzRetryAfterWithinDeadline(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		times        int
		wait         string        // the wait named, "" when the request lands
		least        time.Duration // the time the waits took at least
	}{
		{"fits", "300", 2, "", 600 * time.Millisecond},
		{"past the deadline", "3000", 100, "3s before another try", 0},
		// The SDK keeps the wait within 5 s of the retryer's (100 ms).
		{"past the deadline, cut to 5 s more", "60000", 100, "5.1s before another try", 0},
		{"not a number: the retryer's wait", "soon", 2, "", 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			s.AddZone("example.com", false)
			p := newProviderRetry(t, s, keyID, secret, httpretry.Policy{Attempts: 6, Base: 100 * time.Millisecond, Max: 10 * time.Second})
			s.AddFault(r53test.Fault{Method: "GET", Path: "/hostedzonesbyname", Times: tc.times, Status: 400, Code: "Throttling",
				Header: http.Header{"X-Amz-Retry-After": {tc.header}}})
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			start := time.Now()
			_, err := p.Records(ctx, "example.com.")
			took := time.Since(start)
			if tc.wait == "" {
				if err != nil {
					t.Fatalf("throttled %d times, waits within the deadline: %v", tc.times, err)
				}
				if took < tc.least {
					t.Errorf("the request took %v, less than the %v the waits asked", took, tc.least)
				}
				return
			}
			if !errors.Is(err, httpretry.ErrWaitTooLong) || !strings.Contains(err.Error(), tc.wait) {
				t.Errorf("X-Amz-Retry-After %s past the deadline: %v, want %v naming %q", tc.header, err, httpretry.ErrWaitTooLong, tc.wait)
			}
			if ctx.Err() != nil {
				t.Error("the request ended with its deadline, not before the wait past it")
			}
			if n := s.Count("ListHostedZonesByName"); n != 1 {
				t.Errorf("%d tries, want 1 (the first wait is past the deadline)", n)
			}
		})
	}
}

// TestPendingPastDeadline: every change batch accepted, the last still
// PENDING when the push's deadline (300 ms) comes, long before the
// provider's own wait for INSYNC (10 minutes) would end: the error says
// the changes were accepted and applied (the Result lists them all), and
// names what ended the wait and how long it waited, never "after 10m0s"
// it did not wait.
func TestPendingPastDeadline(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	pl, res, err := pushWhilePending(t, s, newProvider(t, s, keyID, secret))
	if err == nil {
		t.Fatal("no error while the change is PENDING past the deadline")
	}
	if len(res.Applied) != len(pl.Changes) {
		t.Errorf("%d of %d changes reported applied, want all (Route 53 accepted every batch)", len(res.Applied), len(pl.Changes))
	}
	for _, want := range []string{"all " + fmt.Sprint(len(pl.Changes)) + " changes accepted", "still PENDING", "the push's deadline"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "10m0s") {
		t.Errorf("error %q names a wait that did not happen", err)
	}
}

// TestPriorRequestNotComplete: two pushes change one hosted zone at once;
// Route 53 refuses a change batch that arrives while another of the zone
// is processed (PriorRequestNotComplete, r53test.ChangeTime), which the
// push refused tries again after waits of increasing duration (the other
// push's change is another writer's to it): both pushes land. Another zone is not held up.
func TestPriorRequestNotComplete(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com", false)
	s.ChangeTime = 100 * time.Millisecond
	pol := httpretry.Policy{Attempts: 6, Base: 50 * time.Millisecond, Max: time.Second}
	newP := func() *route53.Provider {
		p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "new", Type: "route53", Settings: &route53.Settings{URL: s.URL,
			AWS: config.AWS{AccessKeyID: config.Secret(keyID), SecretAccessKey: config.Secret(secret)}}}, pol)
		if err != nil {
			t.Fatal(err)
		}
		p.SetRateLimit(400, 4)
		p.SetSyncPoll(time.Millisecond, 5*time.Second)
		return p
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		p := newP()
		name := fmt.Sprintf("only%d.example.com.", i)
		d := desired(t, zoneFile+fmt.Sprintf("only%d 300 A 192.0.2.%d\n", i, 100+i))
		cs := []provider.Change{{Action: provider.Create, Name: name, Type: dns.TypeA, New: d.Get(name, dns.TypeA)}}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = p.Apply(context.Background(), "example.com.", cs, nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("push %d: %v", i, err)
		}
	}
	if n := s.Count("PriorRequestNotComplete"); n == 0 {
		t.Error("no change batch was refused while the other was processed: the fake does not hold them to one at a time")
	}
	held := 0
	for _, rs := range s.Sets(id) {
		if strings.HasPrefix(rs.Name, "only") {
			held++
		}
	}
	if held != 2 {
		t.Errorf("%d of the 2 pushed record sets held", held)
	}
}

// TestPriorRequestOthersChange: the first change batch of a push arrives
// while Route 53 processes a change of the zone that another writer sent
// (r53test.OthersChange: no change id of ours to wait for). The API
// Reference recommends waiting "in intervals of increasing duration"
// before trying again: the push waits so (a few refusals, not a try
// every 50 ms) for as long as the change takes, and lands; a change that
// outlasts the push's deadline ends the push before it, at once, saying
// why (PriorRequestNotComplete, another writer's change), that nothing
// of the batch was applied and the wait it did not start.
func TestPriorRequestOthersChange(t *testing.T) {
	for _, tc := range []struct {
		name     string
		others   time.Duration
		deadline time.Duration // 0: none
		lands    bool
	}{
		// Past the 6 tries (1.55 s of waits) the SDK would make.
		{"waited out", 2500 * time.Millisecond, 0, true},
		{"past the deadline", 10 * time.Second, time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			id := s.AddZone("example.com", false)
			p := newProviderRetry(t, s, keyID, secret, httpretry.Policy{Attempts: 6, Base: 50 * time.Millisecond, Max: time.Second})
			d := desired(t, zoneFile)
			pl := providertest.Plan(t, p, d)
			ctx := context.Background()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			s.OthersChange(id, tc.others)
			res, err := p.Apply(ctx, d.Origin, pl.Changes, nil)
			refusals := s.Count("PriorRequestNotComplete")
			t.Logf("%d refusals; the push says: %v", refusals, err)
			if refusals == 0 || refusals > 8 {
				t.Errorf("%d refusals, want a few (waits of increasing duration)", refusals)
			}
			if tc.lands {
				if err != nil {
					t.Fatalf("push after another writer's change: %v", err)
				}
				if again := providertest.Plan(t, p, d); !again.Empty() {
					t.Errorf("not converged: %v", again.Changes)
				}
				return
			}
			for _, want := range []string{"change batch 1 of", "nothing of it applied", "PriorRequestNotComplete", "not this push's", "before another try, past the deadline"} {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("error %v does not say %q", err, want)
				}
			}
			if !errors.Is(err, httpretry.ErrWaitTooLong) {
				t.Errorf("error %v is not %v", err, httpretry.ErrWaitTooLong)
			}
			if ctx.Err() != nil {
				t.Error("the push ended with its deadline, not before the wait past it")
			}
			if len(res.Applied) != 0 || len(s.Batches) != 0 {
				t.Errorf("%d changes reported applied, %d batches taken: want none", len(res.Applied), len(s.Batches))
			}
		})
	}
}

// TestPriorWhilePending: where Route 53 refuses a change batch while the
// zone's last change is still PENDING (r53test.PriorWhilePending, the
// strictest reading of PriorRequestNotComplete), a push of several
// batches waits for its own last batch to be INSYNC when the next is
// refused, then sends that one again: every batch lands, and no batch is
// tried again before the one before it is INSYNC.
func TestPriorWhilePending(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	s.PriorWhilePending = true
	s.PendingPolls = 3
	p := newProvider(t, s, keyID, secret)
	p.SetLimits(12, 0) // several batches
	d := desired(t, zoneFile)
	pl := providertest.Plan(t, p, d)
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	if len(res.Applied) != len(pl.Changes) {
		t.Errorf("%d of %d changes applied", len(res.Applied), len(pl.Changes))
	}
	batches := len(s.Batches)
	if batches < 3 {
		t.Fatalf("%d change batches: the test needs several", batches)
	}
	// One refusal at most per batch after the first: the provider waits
	// for INSYNC on the first, not by retrying blind.
	if n := s.Count("PriorRequestNotComplete"); n > batches-1 {
		t.Errorf("%d refusals for %d batches: batches were tried again while the one before was PENDING", n, batches)
	}
	if again := providertest.Plan(t, p, d); !again.Empty() {
		t.Errorf("not converged: %v", again.Changes)
	}
}

// TestPriorWhilePendingPastDeadline: the batch before is still PENDING
// when the push's deadline comes: the refused batch is reported not
// applied, the ones before applied, and the error says what it waited
// for.
func TestPriorWhilePendingPastDeadline(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	s.PriorWhilePending = true
	p := newProvider(t, s, keyID, secret)
	p.SetLimits(12, 0)
	pl, res, err := pushWhilePending(t, s, p)
	for _, want := range []string{"change batch 2 of", "nothing of it applied", "PriorRequestNotComplete", "still PENDING", "the push's deadline came first"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
	if len(res.Applied) == 0 || len(res.Applied) >= len(pl.Changes) {
		t.Errorf("%d of %d changes reported applied, want the first batch's", len(res.Applied), len(pl.Changes))
	}
}

// pushWhilePending pushes zoneFile to example.com. at s through p with a
// deadline of 300 ms while every change of s stays PENDING, the
// provider's own wait for INSYNC 10 minutes.
func pushWhilePending(t *testing.T, s *r53test.Server, p *route53.Provider) (*plan.Plan, provider.Result, error) {
	t.Helper()
	s.PendingPolls = 1 << 30
	p.SetSyncPoll(20*time.Millisecond, 10*time.Minute)
	d := desired(t, zoneFile)
	pl := providertest.Plan(t, p, d)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := p.Apply(ctx, d.Origin, pl.Changes, nil)
	t.Logf("the push says: %v", err)
	return pl, res, err
}
