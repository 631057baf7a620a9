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
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	cfdns "github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/zones"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.Register[Settings]("cloudflare", func(cfg *config.Provider) (*Provider, error) { return New(cfg, nil) })
}

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

// Provider talks to the Cloudflare API for one account token.
type Provider struct {
	records  *cfdns.RecordService
	zonesvc  *zones.ZoneService
	base     string
	token    string // the API token, taken out of the API's errors
	zones    provider.Zones[apiZone]
	batch    int
	pageSize int
	// pace holds the retry policy and the account's limiter that bound
	// and pace the SDK's requests (call).
	pace httpretry.Client

	// choice chooses among several zones of one name (zoneByName).
	choice provider.ZoneChoice

	mu sync.Mutex
	// proxied are the RRsets seen proxied by the last Records, so that
	// the capability check can refuse a TTL they cannot have.
	proxied map[zone.Key]bool

	// holdings list the zone's records (list) and read them (held).
	holdings provider.Holdings[apiZone, record]
	// ListingReader reads the zone from one listing: Records (zoneOf),
	// Features and Read (provider.Reader). Records without a zone-file
	// form (an apex CNAME, a record this provider cannot read) are left
	// out of Records and reported by Features.
	provider.ListingReader[record]

	requests atomic.Int64 // HTTP requests (tries included)
	writes   atomic.Int64 // batch requests
}

// Settings are cloudflare's own keys under providers.NAME: the API
// (url, api_key_env: the API token) and, optionally, the zone's id.
type Settings struct {
	provider.APISettings `yaml:",inline"`
	// ZoneID is the zone's id (default: found by name).
	ZoneID string `yaml:"zone_id"`
}

// New makes a provider; hc nil means a default HTTP client.
func New(cfg *config.Provider, hc *http.Client) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	base, _, err := provider.APIBase("cloudflare", st.URL, DefaultURL)
	if err != nil {
		return nil, err
	}
	if st.APIKey.Value() == "" {
		return nil, errors.New("cloudflare: no API token (set api_key_env to the name of the variable holding it)")
	}
	hc = provider.HTTPClient(hc, st.APIKey.Value())
	p := &Provider{
		base:     base,
		token:    st.APIKey.Value(),
		batch:    DefaultBatch,
		pageSize: 500,
		pace:     httpretry.Client{Policy: httpretry.Default, Limiter: httpretry.Account("cloudflare", base, st.APIKey.Value(), Limits)},
		proxied:  map[zone.Key]bool{},
	}
	p.choice = provider.ZoneChoice{Type: "cloudflare", Noun: "zone", IDKey: "zone_id", Delegation: cfg.Delegation}
	p.zones = provider.Zones[apiZone]{Type: "cloudflare", ID: st.ZoneID, Configured: cfg.Nameservers,
		ByID: p.zoneByID, ByName: p.zoneByName,
		Name: func(z apiZone) string { return z.Name }, Servers: func(z apiZone) []string { return z.NameServers }}
	// A bare client: no CLOUDFLARE_* variables from the environment, no
	// SDK retries (ours honour Retry-After and are bounded the same way
	// for every call).
	opts := []option.RequestOption{
		option.WithBaseURL(p.base + "/"),
		option.WithAPIToken(st.APIKey.Value()),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(0),
		option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
			p.requests.Add(1)
			return next(r)
		}),
	}
	p.records, p.zonesvc = cfdns.NewRecordService(opts...), zones.NewZoneService(opts...)
	p.holdings = provider.Holdings[apiZone, record]{What: "cloudflare", List: p.list, Held: held, Label: func(r record) string { return r.ID }}
	p.ListingReader = provider.ListingReader[record]{List: p.holdings.Records, ZoneOf: p.zoneOf, FeaturesOf: features}
	return p, nil
}

// SetBatch sets the most record operations per batch call (n > 0).
func (p *Provider) SetBatch(n int) { p.batch = cmp.Or(max(n, 0), p.batch) }

// SetPageSize sets per_page of listings (n > 0).
func (p *Provider) SetPageSize(n int) { p.pageSize = cmp.Or(max(n, 0), p.pageSize) }

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
		MinTTL: minTTL, Check: p.check, CheckName: checkName,
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
	}
}

// check is the static capability check, and for an RRset the last
// listing saw proxied: its TTL is automatic (300).
func (p *Provider) check(s *zone.RRSet) string {
	if why := check(s); why != "" {
		return why
	}
	p.mu.Lock()
	proxied := p.proxied[s.Key()]
	p.mu.Unlock()
	if proxied && s.TTL != autoAnswerTTL {
		return fmt.Sprintf("TTL %d on a proxied record: Cloudflare answers it with an automatic TTL (300); write 300, or turn the proxy off", s.TTL)
	}
	return ""
}

// envelope is every API answer's frame.
type envelope struct {
	Success    bool            `json:"success"`
	Errors     []apiMessage    `json:"errors"`
	Result     json.RawMessage `json:"result"`
	ResultInfo *resultInfo     `json:"result_info"`
}

type apiMessage struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type resultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

// answer is the HTTP answer of one try, as the SDK's transport saw it.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// capture is a per-call middleware keeping the answer: the SDK's error
// type lives in an internal package, and the envelope's result_info is
// read here whatever the SDK decodes.
func capture(a *answer) option.RequestOption {
	return option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		resp, err := next(r)
		if err != nil || resp == nil {
			return resp, err
		}
		b, rerr := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		*a = answer{status: resp.StatusCode, header: resp.Header, body: b}
		return resp, rerr
	})
}

// query makes URL query values request options.
func query(q url.Values) []option.RequestOption {
	var opts []option.RequestOption
	for k, vs := range q {
		for _, v := range vs {
			opts = append(opts, option.WithQueryAdd(k, v))
		}
	}
	return opts
}

// call sends one API request through the SDK service method send (given
// the options of this try), retrying 429 and 5xx answers (and connection
// errors of reads) within the policy, and decodes the envelope's result
// into out. what names the request in errors.
func (p *Provider) call(ctx context.Context, read bool, what string, out any, send func(opts ...option.RequestOption) error) (*envelope, error) {
	for attempt := 1; ; attempt++ {
		done, err := p.pace.Limiter.Wait(ctx, "")
		if err != nil {
			return nil, err
		}
		var a answer
		var sink json.RawMessage
		err = send(capture(&a), option.WithResponseBodyInto(&sink))
		done()
		if a.status == 0 {
			if err == nil {
				err = errors.New("no answer")
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// Transport error: only a read is safe to repeat blindly.
			if read && attempt < p.pace.Policy.Attempts {
				if err := httpretry.Sleep(ctx, p.pace.Policy.Delay(attempt, nil, time.Now())); err != nil {
					return nil, err
				}
				continue
			}
			return nil, fmt.Errorf("%s: %w: %v", what, provider.ErrUnavailable, stripURL(err))
		}
		status := a.status
		if status < 400 {
			var env envelope
			if err := json.Unmarshal(a.body, &env); err != nil {
				return nil, fmt.Errorf("%s: bad JSON answer: %w", what, err)
			}
			if !env.Success {
				// A failure in a 2xx answer: not redacted under the
				// provider (provider.HTTPClient), so here, whatever the
				// encoding a message quotes the token in.
				return nil, fmt.Errorf("%s: %s", what, redact.ServerText(ctx, messages(env.Errors), p.token))
			}
			if out != nil && len(env.Result) > 0 {
				if err := json.Unmarshal(env.Result, out); err != nil {
					return nil, fmt.Errorf("%s: bad result: %w", what, err)
				}
			}
			return &env, nil
		}
		if httpretry.Retryable(status) && attempt < p.pace.Policy.Attempts {
			delay := p.pace.Policy.Delay(attempt, a.header, time.Now())
			if status == http.StatusTooManyRequests {
				p.pace.Limiter.Throttled(delay)
			}
			if err := httpretry.Sleep(ctx, delay); err != nil {
				return nil, err
			}
			continue
		}
		text := errorText(a)
		switch {
		case status == http.StatusUnauthorized || status == http.StatusForbidden:
			return nil, provider.AuthError("%s: credentials refused: the API token (HTTP %d: %s)", what, status, text)
		case status == http.StatusNotFound:
			return nil, fmt.Errorf("%s: %w (HTTP 404: %s)", what, provider.ErrZoneNotFound, text)
		case httpretry.Retryable(status):
			return nil, provider.StatusErrorf(status, "%s: HTTP %d after %d tries: %s", what, status, attempt, text)
		}
		return nil, fmt.Errorf("%s: HTTP %d: %s", what, status, text)
	}
}

// errorText is the errors array of an error answer (never the request:
// its headers carry the token), whose body came redacted
// (provider.HTTPClient).
func errorText(a answer) string {
	var env envelope
	if err := json.Unmarshal(a.body, &env); err == nil && len(env.Errors) > 0 {
		return messages(env.Errors)
	}
	return http.StatusText(a.status)
}

// messages are the API's error messages, one text.
func messages(ms []apiMessage) string {
	if len(ms) == 0 {
		return "unsuccessful answer without errors"
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%d %s", m.Code, m.Message)
	}
	return strings.Join(parts, "; ")
}

// stripURL keeps a transport error's message without its query string.
func stripURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// apiZone is a zone as GET /zones shows it.
type apiZone struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Status      string   `json:"status"`
	NameServers []string `json:"name_servers"`
}

// zoneByID reads the configured zone: GET /zones/{zone_id}.
func (p *Provider) zoneByID(ctx context.Context, id string) (apiZone, error) {
	var z apiZone
	params := zones.ZoneGetParams{}
	params.ZoneID.Value, params.ZoneID.Present = id, true
	if _, err := p.call(ctx, true, "GET zones/"+id, &z, func(opts ...option.RequestOption) error {
		_, err := p.zonesvc.Get(ctx, params, opts...)
		return err
	}); err != nil {
		return z, fmt.Errorf("cloudflare: zone_id %s: %w", id, err)
	}
	return z, nil
}

// zoneByName finds the zone: GET /zones?name=. A token may see several
// zones of one name (the same domain added to several accounts, one
// active, others pending or moved), each on name servers of its own: the
// zone is the one provider.ZoneChoice chooses (the one whose
// name_servers are the configured delegation's, else the one active
// zone; else an error naming each, for zone_id to choose).
func (p *Provider) zoneByName(ctx context.Context, origin string) (apiZone, error) {
	var zs []apiZone
	q := url.Values{"name": {apiName(origin)}, "per_page": {strconv.Itoa(zonesPerPage)}}
	if _, err := p.call(ctx, true, "GET zones", &zs, func(opts ...option.RequestOption) error {
		_, err := p.zonesvc.List(ctx, zones.ZoneListParams{}, append(query(q), opts...)...)
		return err
	}); err != nil {
		return apiZone{}, fmt.Errorf("cloudflare: find zone %s: %w", origin, err)
	}
	cands := make([]provider.ZoneCandidate, len(zs))
	for i, z := range zs {
		cands[i] = provider.ZoneCandidate{ID: z.ID, Name: z.Name, Servers: z.NameServers, State: z.Status, Active: z.Status == "active"}
	}
	c, err := p.choice.Choose(ctx, origin, cands, p.token)
	if err != nil {
		return apiZone{}, err
	}
	return zs[slices.IndexFunc(zs, func(z apiZone) bool { return z.ID == c.ID })], nil
}

// ZoneNames lists the zones the token sees from one request
// (provider.ZoneLister): the first page of GET /zones, 50 zones, the most
// a page holds (List Zones: per_page "maximum: 50", developers.cloudflare.com/
// api/resources/zones/methods/list/), canonical, in the API's order
// (provider.Listed).
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	var zs []apiZone
	q := url.Values{"page": {"1"}, "per_page": {strconv.Itoa(zonesPerPage)}}
	if _, err := p.call(ctx, true, "GET zones", &zs, func(opts ...option.RequestOption) error {
		_, err := p.zonesvc.List(ctx, zones.ZoneListParams{}, append(query(q), opts...)...)
		return err
	}); err != nil {
		return nil, fmt.Errorf("cloudflare: list zones: %w", err)
	}
	return provider.Listed(zs, func(z apiZone) string { return z.Name }), nil
}

// zonesPerPage is the most zones a page of GET /zones holds.
const zonesPerPage = 50

// list reads every record of the zone, page by page, and checks the
// listing against the result_info the API sends (total_count,
// total_pages, count): a listing that comes back short is an error, never
// a smaller zone.
func (p *Provider) list(ctx context.Context, origin string) (apiZone, []record, error) {
	z, err := p.zones.Find(ctx, origin)
	if err != nil {
		return z, nil, err
	}
	params := cfdns.RecordListParams{}
	params.ZoneID.Value, params.ZoneID.Present = z.ID, true
	what := "GET zones/" + z.ID + "/dns_records"
	l := provider.Listing[record]{What: "cloudflare: zone " + origin + ": list records", Unit: "records", Count: "result_info.total_count"}
	for page := 1; ; page++ {
		var rs []record
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(p.pageSize)}}
		env, err := p.call(ctx, true, what, &rs, func(opts ...option.RequestOption) error {
			_, err := p.records.List(ctx, params, append(query(q), opts...)...)
			return err
		})
		if err != nil {
			return z, nil, fmt.Errorf("cloudflare: zone %s: list records (page %d): %w", origin, page, err)
		}
		ri := env.ResultInfo
		if ri == nil {
			return z, nil, fmt.Errorf("cloudflare: zone %s: list records (page %d): the answer has no result_info: cannot tell whether the listing is whole", origin, page)
		}
		if err := l.Add(page, rs, ri.TotalCount); err != nil {
			return z, nil, err
		}
		if page >= ri.TotalPages || len(rs) == 0 {
			break
		}
	}
	out, err := l.Whole()
	return z, out, err
}

// omitted reports whether a record has no zone-file form in origin: a
// CNAME at the apex (Cloudflare flattens it).
func omitted(origin string, r record) bool {
	return r.Type == "CNAME" && provider.FQDN(r.Name) == origin
}

// zoneOf is the zone in its listing.
func (p *Provider) zoneOf(origin string, rs []record) (*zone.Zone, error) {
	rrs := make([]dns.RR, 0, len(rs))
	for _, r := range rs {
		if omitted(origin, r) {
			continue
		}
		rr, err := toRR(r)
		if err != nil {
			continue // Features reports it as unrepresentable
		}
		rrs = append(rrs, rr)
		if isProxied(r) {
			p.mu.Lock()
			p.proxied[zone.Key{Name: zone.CanonicalName(rr.Header().Name), Type: rr.Header().Rrtype}] = true
			p.mu.Unlock()
		}
	}
	z, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, fmt.Errorf("cloudflare: zone %s: %w", origin, err)
	}
	return z, nil
}

// No SubZones (provider.SubZoneLister): GET /zones lists the account's
// zones, but a child zone never shares its parent's name servers: "Get
// the nameserver names for the child domain ... [they] will not be the
// same nameservers as the parent domain", and the child is active only
// once the parent holds NS records for it ("Parent domain on full setup",
// developers.cloudflare.com/dns/zone-setups/subdomain-setup/setup/
// parent-on-full/); account custom nameservers too: a subdomain zone "can
// use account custom nameservers as long as they use a different
// nameserver set (ns_set) than their parent, child, or any other zone in
// their direct hierarchy tree" (developers.cloudflare.com/dns/
// nameservers/custom-nameservers/account-custom-nameservers/). The
// parent's servers never answer from the child: its names are reached
// only through NS records in the parent, which the listing shows and the
// completeness gates count.

// Nameservers are the configured ones, else the names Cloudflare assigned
// to the zone.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return p.zones.Nameservers(ctx, origin)
}
