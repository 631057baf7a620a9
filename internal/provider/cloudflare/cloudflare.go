// Package cloudflare is a provider for Cloudflare DNS (API v4, through the
// official cloudflare-go SDK's dns, zones and option packages only: the
// root package would build every Cloudflare service): it finds the zone by name (or zone_id),
// lists its records page by page, and applies a plan with the batch
// endpoint (POST /zones/{zone_id}/dns_records/batch: one database
// transaction per call), at most MaxBatch record operations per call.
//
// Config (dnsparity.yaml):
//
//	type: cloudflare
//	api_key_env: CLOUDFLARE_API_TOKEN   # an API token with DNS Write
//	zone_id: 023e105f4ecef8ad9ca31a8372d0c353   # optional: else found by name
//	url: https://api.cloudflare.com/client/v4    # optional (proxy, test server)
//
// It is tested against an httptest server that follows the documented API
// shapes (cftest), not against Cloudflare itself.
package cloudflare

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	cfdns "github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/zones"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// DefaultURL is Cloudflare's API v4 endpoint.
const DefaultURL = "https://api.cloudflare.com/client/v4/"

// DefaultBatch is the most record operations one batch call carries: the
// Free plan's limit (paid plans take 3,500).
const DefaultBatch = 200

// Limits: Cloudflare allows 1,200 requests per 5 minutes per user (API
// docs, "Rate limits"): a bucket of 300 refilled at 3 per second never
// sends more in any 5-minute window, and the count per window, each
// request counted until its answer, keeps a request that reaches the
// API late from making 1,201 there.
var Limits = httpretry.Limits{PerSecond: 3, Burst: 300, Count: 1200, Window: 5 * time.Minute}

var _ provider.Guarded = (*Provider)(nil)

// Provider talks to the Cloudflare API for one account token.
type Provider struct {
	records  *cfdns.RecordService
	settings *cfdns.SettingZoneService
	zonesvc  *zones.ZoneService
	base     string
	token    string // the API token, taken out of the API's errors
	zones    provider.Zones[apiZone]
	batch    int
	pageSize int
	// pace holds the retry policy and the account's limiter that bound
	// and pace the SDK's requests (call).
	pace httpretry.Client

	mu sync.Mutex
	// proxied are the RRsets seen proxied by the last Records, so that
	// the capability check can refuse a TTL they cannot have.
	proxied map[zone.Key]bool
	// held are the records the last Records saw at each name, by
	// origin, then name, then type (counts and a digest, not the
	// records: a zone of many names costs a map entry a name), so that
	// the capability check can count the operations a name's changes
	// take (heldOverBatch).
	held map[string]map[string]map[uint16]heldSet
	// multi are the zones' multi-provider DNS settings read
	// (ReadApexNSSetting), by folded origin.
	multi map[string]bool

	// HeldZone lists the zone's records (list) and reads them (held):
	// Records (zoneOf), Features and Read (provider.Reader) from one
	// listing, Apply and ApplyGuarded (provider.Guarded) sending through
	// apply. Records without a zone-file form (an apex CNAME, a record
	// this provider cannot read) are left out of Records and reported by
	// Features.
	provider.HeldZone[apiZone, record]

	requests atomic.Int64 // HTTP requests (tries included)
	writes   atomic.Int64 // batch requests
}

// SetBatch sets the most record operations per batch call (n > 0).
func (p *Provider) SetBatch(n int) { p.batch = cmp.Or(max(n, 0), p.batch) }

// RecordPageSizes are the per_page List DNS Records takes: the OpenAPI
// schema dns-records_per_page, "minimum": 1, "maximum": 5e+06
// (github.com/cloudflare/api-schemas; cftest refuses others as the API
// does).
var RecordPageSizes = provider.PageSizes{Least: 1, Most: 5_000_000, Doc: "List DNS Records per_page, schema dns-records_per_page"}

// SetPageSize sets per_page of record listings: one of RecordPageSizes,
// else an error naming them, the page size unchanged.
func (p *Provider) SetPageSize(n int) error {
	if err := RecordPageSizes.Check("cloudflare", n); err != nil {
		return err
	}
	p.pageSize = n
	return nil
}

// SetRetry sets the retry policy (tests shorten the waits).
func (p *Provider) SetRetry(r httpretry.Policy) { p.pace.SetRetry(r) }

// SetRateLimit gives this provider a limiter of its own (tests); by
// default every provider of one token shares the account's.
func (p *Provider) SetRateLimit(l httpretry.Limits) { p.pace.SetRateLimit(l) }

// Limiter is the account's API budget this provider draws from.
func (p *Provider) Limiter() *httpretry.Limiter { return p.pace.Limiter }

// Requests is the number of HTTP requests sent; Writes the batch calls.
func (p *Provider) Requests() int64 { return p.requests.Load() }
func (p *Provider) Writes() int64   { return p.writes.Load() }

// Capabilities: Cloudflare's record types as this provider maps them.
func (p *Provider) Capabilities() provider.Capabilities {
	return provider.Capabilities{
		Types: supported, LongTXT: true, UnknownTypes: false, MaxBatch: p.batch,
		MinTTL: enterpriseTTL, Check: p.check, CheckName: checkName, CheckIn: p.checkIn,
		NoApexSOA:   "Cloudflare keeps the SOA in the zone's DNS settings, which push does not change: set soa.ttl, soa.min_ttl (and refresh, retry, expire) in the dashboard (DNS → Settings) or with PATCH /zones/ZONE_ID/dns_settings",
		NoApexNSTTL: "Cloudflare keeps its NS TTL in the zone's DNS settings, which push does not change: set ns_ttl in the dashboard (DNS → Settings) or with PATCH /zones/ZONE_ID/dns_settings",
		// Cloudflare refuses a CNAME beside an A, AAAA or CNAME of its
		// name, nothing else ("Records with the same name": "Create a
		// CNAME record with a Name matching the name of an existing
		// A/AAAA or CNAME record. Create an A/AAAA record with a Name
		// matching the name of an existing CNAME record", errors 81053
		// and 81054, developers.cloudflare.com/dns/manage-dns-records/
		// troubleshooting/records-with-same-name/); MX, TXT and the rest
		// stand beside a flattened apex CNAME ("CNAME Flattening":
		// "a CNAME for your root ... but also ... MX records for mail
		// delivery", support.cloudflare.com/hc/en-us/articles/200169056).
		CNAMEConflicts: map[uint16]bool{dns.TypeA: true, dns.TypeAAAA: true, dns.TypeCNAME: true},
		// The dns_settings defaults (API schema): ns_ttl 86400, soa.ttl 3600.
		HiddenApexTTL: map[uint16]uint32{dns.TypeNS: 86400, dns.TypeSOA: 3600},
		ServedApexNS:  p.servedApexNS,
		OwnApexNSOnly: p.ownApexNSOnly,
	}
}

// ReadApexNSSetting reads whether multi-provider DNS is on for the zone
// of origin (provider.ApexNSSetting): GET /zones/{zone_id}/dns_settings,
// result.multi_provider ("Show DNS settings for a zone",
// developers.cloudflare.com/api/resources/dns/subresources/settings/;
// cloudflare-go dns.SettingZoneGetResponse.MultiProvider), once per zone.
// Off, Cloudflare ignores an NS record created at the apex and answers
// its assigned name servers alone; on, it answers both ("Nameserver
// options", developers.cloudflare.com/dns/nameservers/nameserver-options/).
func (p *Provider) ReadApexNSSetting(ctx context.Context, origin string) error {
	key := zone.Fold(provider.FQDN(origin))
	p.mu.Lock()
	_, known := p.multi[key]
	p.mu.Unlock()
	if known {
		return nil
	}
	z, err := p.zones.Find(ctx, origin)
	if err != nil {
		return err
	}
	var st struct {
		MultiProvider bool `json:"multi_provider"`
	}
	params := cfdns.SettingZoneGetParams{}
	params.ZoneID.Value, params.ZoneID.Present = z.ID, true
	if _, err := p.call(ctx, true, "GET zones/"+z.ID+"/dns_settings", &st, func(opts ...option.RequestOption) error {
		_, err := p.settings.Get(ctx, params, opts...)
		return err
	}); err != nil {
		return fmt.Errorf("cloudflare: zone %s: reading whether multi-provider DNS is on: %w", origin, err)
	}
	p.mu.Lock()
	p.multi[key] = st.MultiProvider
	p.mu.Unlock()
	return nil
}

// ownApexNSOnly says why Cloudflare answers no apex NS of origin but its
// assigned name servers: multi-provider DNS read off ("" when on or not
// read).
func (p *Provider) ownApexNSOnly(origin string) string {
	p.mu.Lock()
	multi, known := p.multi[zone.Fold(provider.FQDN(origin))]
	p.mu.Unlock()
	if !known || multi {
		return ""
	}
	return "multi-provider DNS is off for the zone (GET /zones/ZONE_ID/dns_settings: multi_provider false), so Cloudflare ignores NS records at the apex and answers its assigned name servers alone (\"Nameserver options\", developers.cloudflare.com/dns/nameservers/nameserver-options/); turn it on (DNS → Settings, or PATCH /zones/ZONE_ID/dns_settings with multi_provider true) or leave those names out"
}

// servedApexNS are the apex NS names Cloudflare's servers answer for the
// zone of origin whatever its records say: the zone's assigned name
// servers (name_servers), which GET dns_records does not list. An NS
// record created at the apex is ignored beside them, or answered with
// them once multi-provider DNS is on ("Nameserver options": "Cloudflare
// will no longer ignore NS records created on the zone apex [...]
// responses [...] will contain both Cloudflare's and your other DNS
// providers' nameservers", developers.cloudflare.com/dns/nameservers/
// nameserver-options/). nil until the zone has been looked up (a
// listing looks it up first).
func (p *Provider) servedApexNS(origin string) []string {
	z, ok := p.zones.Known(origin)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(z.NameServers))
	for _, n := range z.NameServers {
		if n != "" {
			out = append(out, provider.FQDN(n))
		}
	}
	return out
}

// checkIn is Capabilities.CheckIn: the TTL git's zone z may give s at
// its zone's plan (zoneTTL), the types beside an NS (nsBeside), then the
// operations its name's changes take (heldOverBatch).
func (p *Provider) checkIn(z *zone.Zone, s *zone.RRSet) string {
	if why := p.zoneTTL(z.Origin, s); why != "" {
		return why
	}
	if why := nsBeside(z, s); why != "" {
		return why
	}
	return p.heldOverBatch(z, s)
}

// nsBeside says why s cannot go to Cloudflare at a name below the apex
// where git's zone z holds NS records beside other types: "NS records
// cannot exist on the same name as any other record type"
// (cloudflare-go v6.10.0 dns/record.go, RecordService New, Update and
// Edit, "Notes"), a DS excepted ("If the delegated nameserver has DNSSEC
// enabled, add the DS record in the Cloudflare DNS app": Cloudflare
// support, "Delegating Subdomains Outside of Cloudflare"). The NS, the
// other types and a DS beside them are all refused: a pushed NS would
// meet a refused TXT Cloudflare already holds, the name's other data would
// be refused beside the NS, failing the batch after the calls before it,
// and a DS pushed alone would sit at a name Cloudflare answers itself, not
// the signed delegation git means.
func nsBeside(z *zone.Zone, s *zone.RRSet) string {
	if s.Name == z.Origin || z.Get(s.Name, dns.TypeNS) == nil {
		return ""
	}
	var others []string
	for _, o := range z.Lookup(s.Name) {
		if o.Type != dns.TypeNS && o.Type != dns.TypeDS {
			others = append(others, zone.TypeName(o.Type))
		}
	}
	if len(others) == 0 {
		return ""
	}
	return fmt.Sprintf("%s holds NS records beside %s: Cloudflare takes no type but DS beside an NS record below the apex (cloudflare-go RecordService.New: \"NS records cannot exist on the same name as any other record type\"); remove the %s from the delegation point, or the NS records", s.Name, strings.Join(others, ", "), strings.Join(others, ", "))
}

// zoneTTL says why the zone at origin refuses s's TTL: "Value must be
// between 60 and 86400, with the minimum reduced to 30 for Enterprise
// zones" (API reference, "DNS Records", ttl; cloudflare-go v6.10.0
// dns/record.go, TTL). Capabilities.MinTTL refuses below 30 in any zone;
// 30 to 59 only an Enterprise zone takes, by the plan its lookup found
// (p.zones; a zone not looked up yet is not taken to be one).
func (p *Provider) zoneTTL(origin string, s *zone.RRSet) string {
	if s.TTL >= minTTL {
		return ""
	}
	origin = zone.CanonicalName(origin)
	z, listed := p.zones.Known(origin)
	plan := z.Plan.LegacyID
	if plan == "enterprise" {
		return ""
	}
	was := "not known (the zone was not listed)"
	if listed {
		was = cmp.Or(plan, "not named by the API")
	}
	return fmt.Sprintf("TTL %d is below the provider's minimum of %d in zone %s: Cloudflare takes %d to %d in an Enterprise zone only (API reference, DNS Records, ttl), and zone %s's plan is %s", s.TTL, minTTL, origin, enterpriseTTL, minTTL-1, origin, was)
}

// heldOverBatch refuses git's RRset s when the changes at its name,
// within git's zone z, could take more operations than one batch call
// carries, counting what the last listing saw held there (records made
// outside dnsparity: a name may hold more than git could ever put
// there). A name's operations go in one call, never split (apply), so
// that the name is swapped in one transaction; the API refuses a call
// over its limit, and the push failed there after the calls before it
// were applied. Each type at the name that changes counts the larger of
// git's records and the held ones (a change patches, posts or deletes
// each record once): an upper bound, so a refusal may be one the API
// would not have made (the safe side). A type git holds exactly as
// listed (the same records, each at git's TTL: sameHeld) is no change,
// and sends nothing: counted, a name holding more records than a call
// takes refused every change there for good, one TXT added beside 150 A
// and 100 AAAA records too (TestHeldOverBatchCountsChangesOnly). The
// apex SOA and NS are not records Cloudflare is sent.
func (p *Provider) heldOverBatch(z *zone.Zone, s *zone.RRSet) string {
	p.mu.Lock()
	have, listed := p.held[z.Origin][s.Name]
	_, read := p.held[z.Origin]
	p.mu.Unlock()
	if !read {
		return ""
	}
	apex := func(t uint16) bool { return s.Name == z.Origin && (t == dns.TypeSOA || t == dns.TypeNS) }
	ops, held := 0, 0
	want := map[uint16]int{}
	for _, set := range z.Lookup(s.Name) {
		if !apex(set.Type) && (set.Type == s.Type || !sameHeld(have[set.Type], set)) {
			want[set.Type] = len(set.Records)
		}
	}
	if listed {
		for t, h := range have {
			if apex(t) {
				continue
			}
			held += h.n
			if t == s.Type || !sameHeld(h, z.Get(s.Name, t)) {
				ops += max(h.n, want[t])
			}
		}
	}
	for t, n := range want {
		if have[t].n == 0 {
			ops += n
		}
	}
	if ops <= p.batch {
		return ""
	}
	return fmt.Sprintf("%s holds %d records at Cloudflare: the changes at the name take up to %d operations, which go in one batch call (a name is swapped in one transaction), and a call takes at most %d; delete the records there first (dashboard, or a push without the name, which deletes them in as many calls as they take)", s.Name, held, ops, p.batch)
}

// heldSet is an RRset as a listing held it: how many records, and a
// digest of them (zone.RRSet.Digest).
type heldSet struct {
	n   int
	sum [sha256.Size]byte
}

// sameHeld reports whether git's set d (nil: none) is what the listing
// held, h: then the plan leaves it alone, and nothing of it is sent.
func sameHeld(h heldSet, d *zone.RRSet) bool {
	return d != nil && h.n == len(d.Records) && h.n > 0 && h.sum == d.Digest()
}

// check is the static capability check, and for an RRset the last
// listing saw proxied: its TTL is automatic (300).
func (p *Provider) check(s *zone.RRSet) string {
	if why := check(s); why != "" {
		return why
	}
	// Its records are created in one batch call (a name's operations are
	// never split), which takes at most p.batch operations: "Batch record
	// changes", Availability and limits (Free: 200; Pro and above: 3,500),
	// developers.cloudflare.com/dns/manage-dns-records/how-to/batch-record-changes/.
	if n := len(s.Records); n > p.batch {
		return fmt.Sprintf("an RRset of %d records: Cloudflare creates them in one batch call, which takes at most %d operations", n, p.batch)
	}
	p.mu.Lock()
	proxied := p.proxied[s.Key()]
	p.mu.Unlock()
	if proxied && s.TTL != autoAnswerTTL {
		return fmt.Sprintf("TTL %d on a proxied record: Cloudflare answers it with an automatic TTL (300); write 300, or turn the proxy off", s.TTL)
	}
	return ""
}
