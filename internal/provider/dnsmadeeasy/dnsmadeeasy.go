// Package dnsmadeeasy is a provider for DNS Made Easy (REST API v2.0), on
// net/http: it finds the domain by name (or zone_id), lists its records
// page by page, and applies a plan with the multi-record calls
// (records/updateMulti, records/createMulti, DELETE records?ids=…), at
// most MaxBatch records per call. Every request is signed (x-dnsme-apiKey,
// x-dnsme-requestDate, x-dnsme-hmac: HMAC-SHA1 of the date under the
// secret key); the x-dnsme-requestLimit / x-dnsme-requestsRemaining
// headers pace requests, and a "Rate limit exceeded" refusal, a 429 or a
// 5xx is retried within a bounded policy.
//
// Config (dnsparity.yaml):
//
//	type: dnsmadeeasy
//	api_key_env: DME_API_KEY
//	secret_key_env: DME_SECRET_KEY
//	zone_id: 1119443                          # optional: else found by name
//	url: https://api.dnsmadeeasy.com/V2.0     # optional (sandbox, proxy, test server)
//
// It is tested against an httptest server that follows the documented API
// shapes (dmetest), not against DNS Made Easy itself.
package dnsmadeeasy

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
)

func init() {
	provider.Register[Settings]("dnsmadeeasy", func(cfg *config.Provider) (*Provider, error) { return New(cfg, nil) })
}

// DefaultURL is DNS Made Easy's API v2.0 endpoint.
const DefaultURL = "https://api.dnsmadeeasy.com/V2.0"

// DefaultBatch is the most records one multi-record call carries.
const DefaultBatch = 100

// The account's request window: 150 requests per 5 minutes (API V2.0
// documentation, "Rate Limiting"), paced by the x-dnsme-* headers.
const window = 5 * time.Minute

// Limits keep a burst of zones within the window before the first
// answers' headers arrive: a bucket of 10 refilled at 140 per 5 minutes
// never sends 151 in any window, nor do 151 reach the API in one
// (each request counted until its answer).
var Limits = httpretry.Limits{PerSecond: 140.0 / 300, Burst: 10, Count: 150, Window: window}

// Provider talks to the DNS Made Easy API for one API key.
type Provider struct {
	base        string
	key, secret string
	zones       provider.Zones[domain]
	batch       int
	pageSize    int
	client      httpretry.Client
	window      time.Duration // the rate limit's window
	now         func() time.Time

	// holdings list the domain's records (list) and read them (held).
	holdings provider.Holdings[domain, record]
	// ListingReader reads the zone from one listing: Records, Features
	// and Read (provider.Reader). ANAME and HTTPRED records and Global
	// Traffic Director answers for a region other than DEFAULT have no
	// zone-file form: Records leaves them out and Features reports them.
	provider.ListingReader[record]

	writes atomic.Int64
}

// Settings are dnsmadeeasy's own keys under providers.NAME: the API
// (url, api_key_env), the variable holding the secret key that signs
// requests, and, optionally, the zone's id.
type Settings struct {
	provider.APISettings `yaml:",inline"`
	SecretKeyEnv         string `yaml:"secret_key_env"`
	// ZoneID is the domain's id (default: found by name).
	ZoneID string `yaml:"zone_id"`
	// SecretKey is read by config.Resolve.
	SecretKey config.Secret `yaml:"-"`
}

// Vars are the API key's and the secret key's variables.
func (s *Settings) Vars() []config.Var {
	return append(s.APISettings.Vars(), config.SecretVar("secret_key_env", s.SecretKeyEnv, "the key", &s.SecretKey))
}

// New makes a provider; hc nil means a default HTTP client.
func New(cfg *config.Provider, hc *http.Client) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	base, _, err := provider.APIBase("dnsmadeeasy", st.URL, DefaultURL)
	if err != nil {
		return nil, err
	}
	if st.APIKey.Value() == "" || st.SecretKey.Value() == "" {
		return nil, errors.New("dnsmadeeasy: no API key pair (set api_key_env and secret_key_env to the names of the variables holding them)")
	}
	hc = provider.HTTPClient(hc, st.APIKey.Value(), st.SecretKey.Value())
	p := &Provider{
		base: base, key: st.APIKey.Value(), secret: st.SecretKey.Value(),
		batch: DefaultBatch, pageSize: 1000, now: time.Now, window: window,
	}
	p.zones = provider.Zones[domain]{Type: "dnsmadeeasy", ID: st.ZoneID, Configured: cfg.Nameservers,
		ByID: p.zoneByID, ByName: p.zoneByName, Name: func(d domain) string { return d.Name }, Servers: domain.servers}
	p.client = httpretry.Client{HTTP: hc, Policy: httpretry.Default, Observe: p.observe, Throttled: rateLimited,
		Limiter: httpretry.Account("dnsmadeeasy", base, p.key, Limits)}
	p.holdings = provider.Holdings[domain, record]{What: "dnsmadeeasy", List: p.list, Held: provider.Held(omitted, toRR), Label: label, Shown: shown}
	p.ListingReader = p.holdings.Reader(features)
	return p, nil
}

// SetBatch sets the most records per multi-record call (n > 0).
func (p *Provider) SetBatch(n int) { p.batch = cmp.Or(max(n, 0), p.batch) }

// SetPageSize sets the rows of a listing page (n > 0).
func (p *Provider) SetPageSize(n int) { p.pageSize = cmp.Or(max(n, 0), p.pageSize) }

// SetRetry sets the retry policy (tests shorten the waits).
func (p *Provider) SetRetry(r httpretry.Policy) { p.client.SetRetry(r) }

// SetRateLimit gives this provider a limiter of its own (tests); by
// default every provider of one API key shares the account's.
func (p *Provider) SetRateLimit(l httpretry.Limits) { p.client.SetRateLimit(l) }

// SetRateWindow sets the length of the rate-limit window the headers
// count in (tests: a fake with a shorter window than the 5 minutes).
func (p *Provider) SetRateWindow(d time.Duration) { p.window = d }

// Limiter is the account's API budget this provider draws from.
func (p *Provider) Limiter() *httpretry.Limiter { return p.client.Limiter }

// Writes is the number of write requests sent (tries included).
func (p *Provider) Writes() int64 { return p.writes.Load() }

// Capabilities: the record types DNS Made Easy holds as this provider
// maps them.
func (p *Provider) Capabilities() provider.Capabilities {
	return provider.Capabilities{Types: supported, LongTXT: true, MaxBatch: p.batch, CheckName: checkName, Check: check,
		NoApexSOA:    "DNS Made Easy serves the SOA of the domain's custom SOA record, which push does not change: create one with git's TTL and negative cache TTL in the control panel (or the API's /dns/soa) and assign it to the domain",
		ServedApexNS: p.servedApexNS}
}

// servedApexNS are the apex NS names DNS Made Easy's servers answer for
// the domain of origin whatever its records say: its nameServers (the
// system name servers, or the vanity ones assigned), which the records
// listing does not show and no record id deletes (dmetest). nil until the
// domain has been looked up (a listing looks it up first).
func (p *Provider) servedApexNS(origin string) []string {
	d, ok := p.zones.Known(origin)
	if !ok {
		return nil
	}
	var out []string
	for _, n := range d.NameServers {
		if n.FQDN != "" {
			out = append(out, provider.FQDN(n.FQDN))
		}
	}
	return out
}

// observe paces requests by the account's announced budget.
func (p *Provider) observe(h http.Header) {
	rem, err := strconv.Atoi(h.Get("x-dnsme-requestsRemaining"))
	if err != nil {
		return
	}
	limit, _ := strconv.Atoi(h.Get("x-dnsme-requestLimit"))
	p.client.Limiter.Observe("", limit, rem, p.window)
}

// rateLimited: DNS Made Easy refuses a request over the limit with HTTP
// 400 and the error "Rate limit exceeded".
func rateLimited(status int, body []byte) bool {
	return status == http.StatusBadRequest && bytes.Contains(body, []byte("Rate limit exceeded"))
}

// sign sets the authentication headers for a request made at t.
func (p *Provider) sign(h http.Header, t time.Time) {
	date := t.UTC().Format(http.TimeFormat)
	mac := hmac.New(sha1.New, []byte(p.secret))
	mac.Write([]byte(date))
	h.Set("x-dnsme-apiKey", p.key)
	h.Set("x-dnsme-requestDate", date)
	h.Set("x-dnsme-hmac", hex.EncodeToString(mac.Sum(nil)))
}

// errNotFound is a 404 answer (zone lookups make it ErrZoneNotFound).
var errNotFound = errors.New("HTTP 404")

// apiError is the body of an error answer.
type apiError struct {
	Error []string `json:"error"`
}

// call sends one signed request and decodes a 2xx answer into out.
func (p *Provider) call(ctx context.Context, method, path string, query url.Values, body, out any) (int, error) {
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			return 0, err
		}
	}
	target := p.base + "/" + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	write := method != http.MethodGet
	a, err := p.client.Do(ctx, !write, func(ctx context.Context) (*http.Request, error) {
		if write {
			p.writes.Add(1)
		}
		req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		p.sign(req.Header, p.now())
		return req, nil
	})
	what := method + " /" + path
	if err != nil {
		if errors.Is(err, httpretry.ErrTransport) {
			return a.Tries, fmt.Errorf("%s: %w: %v", what, provider.ErrUnavailable, err)
		}
		return a.Tries, fmt.Errorf("%s: %w", what, err)
	}
	if a.Status >= 200 && a.Status < 300 {
		if out != nil && len(bytes.TrimSpace(a.Body)) > 0 {
			if err := json.Unmarshal(a.Body, out); err != nil {
				return a.Tries, fmt.Errorf("%s: bad JSON answer: %w", what, err)
			}
		}
		return a.Tries, nil
	}
	text := errorText(a.Status, a.Body) // the keys taken out (provider.HTTPClient)
	switch {
	case a.Status == http.StatusUnauthorized || a.Status == http.StatusForbidden:
		return a.Tries, provider.AuthError("%s: credentials refused: the API key pair (HTTP %d: %s)", what, a.Status, text)
	case a.Status == http.StatusNotFound:
		return a.Tries, fmt.Errorf("%s: %w: %s", what, errNotFound, text)
	case httpretry.Retryable(a.Status) || rateLimited(a.Status, a.Body):
		return a.Tries, provider.StatusErrorf(a.Status, "%s: HTTP %d after %d tries: %s", what, a.Status, a.Tries, text)
	}
	return a.Tries, fmt.Errorf("%s: HTTP %d: %s", what, a.Status, text)
}

func errorText(status int, body []byte) string {
	var e apiError
	if err := json.Unmarshal(body, &e); err == nil && len(e.Error) > 0 {
		return strings.Join(e.Error, "; ")
	}
	return http.StatusText(status)
}

// domain is a managed domain as the API shows it.
type domain struct {
	ID                  int          `json:"id"`
	Name                string       `json:"name"`
	NameServers         []nameServer `json:"nameServers"`
	DelegateNameServers []string     `json:"delegateNameServers"`
	GtdEnabled          bool         `json:"gtdEnabled"`
}

type nameServer struct {
	FQDN string `json:"fqdn"`
	IPv4 string `json:"ipv4,omitempty"`
	IPv6 string `json:"ipv6,omitempty"`
}

// zoneByID reads the configured domain: GET /dns/managed/{id}.
func (p *Provider) zoneByID(ctx context.Context, id string) (domain, error) {
	var d domain
	if _, err := p.call(ctx, http.MethodGet, "dns/managed/"+url.PathEscape(id), nil, nil, &d); err != nil {
		return d, fmt.Errorf("dnsmadeeasy: zone_id %s: %w", id, zoneErr(err))
	}
	return d, nil
}

// zoneByName finds the domain: GET /dns/managed/name?domainname=.
func (p *Provider) zoneByName(ctx context.Context, origin string) (domain, error) {
	var d domain
	q := url.Values{"domainname": {apiName(origin)}}
	if _, err := p.call(ctx, http.MethodGet, "dns/managed/name", q, nil, &d); err != nil {
		return d, fmt.Errorf("dnsmadeeasy: find domain %s: %w", origin, zoneErr(err))
	}
	if provider.FQDN(d.Name) != origin || d.ID == 0 {
		return d, fmt.Errorf("dnsmadeeasy: domain %s: %w", origin, provider.ErrZoneNotFound)
	}
	return d, nil
}

// servers are the domain's assigned (vanity or system) name servers, else
// the ones it is delegated to.
func (d domain) servers() []string {
	var out []string
	for _, n := range d.NameServers {
		out = append(out, n.FQDN)
	}
	if len(out) == 0 {
		out = d.DelegateNameServers
	}
	return out
}

// zoneErr makes a 404 of a zone lookup ErrZoneNotFound.
func zoneErr(err error) error {
	if errors.Is(err, errNotFound) {
		return fmt.Errorf("%w (%v)", provider.ErrZoneNotFound, err)
	}
	return err
}

// page is a listing page.
type page[T any] struct {
	TotalRecords int `json:"totalRecords"`
	TotalPages   int `json:"totalPages"`
	Page         int `json:"page"`
	Data         []T `json:"data"`
}

// list reads every record of the domain, page by page (pages).
func (p *Provider) list(ctx context.Context, origin string) (domain, []record, error) {
	d, err := p.zones.Find(ctx, origin)
	if err != nil {
		return d, nil, err
	}
	l := provider.Listing[record]{What: "dnsmadeeasy: zone " + origin + ": list records", Unit: "records", Count: "totalRecords",
		Key: func(r record) string { return "record " + label(r) }}
	rs, err := pages(ctx, p, fmt.Sprintf("dns/managed/%d/records", d.ID), &l)
	return d, rs, err
}

// pages reads a listing page by page and checks it against the
// totalRecords the API reports: a listing that comes back short (or
// changes its total on the way) is an error, never a smaller one. Pages
// are asked for from 0 and followed in the numbering the server answers
// with ("page"): the V2.0 document's paging text could not be consulted,
// and the check makes either convention safe: a page read twice is seen
// twice (duplicate keys), a page skipped leaves the count short.
func pages[T any](ctx context.Context, p *Provider, path string, l *provider.Listing[T]) ([]T, error) {
	for n, i := 0, 0; ; i++ {
		var pg page[T]
		q := url.Values{"page": {strconv.Itoa(n)}, "rows": {strconv.Itoa(p.pageSize)}}
		if _, err := p.call(ctx, http.MethodGet, path, q, nil, &pg); err != nil {
			return nil, fmt.Errorf("%s (page %d): %w", l.What, n, err)
		}
		if err := l.Add(pg.Page, pg.Data, pg.TotalRecords); err != nil {
			return nil, err
		}
		if l.Len() >= pg.TotalRecords || len(pg.Data) == 0 || i > pg.TotalPages {
			break
		}
		n = max(pg.Page, n) + 1
	}
	return l.Whole()
}

// SubZones lists the account's domains strictly below origin
// (provider.SubZoneLister): GET /dns/managed/ ("Managed DNS", API V2.0
// documentation: every managed domain of the account, paged as a
// domain's records are, totalRecords counting them). Every domain of an
// account is answered by DNS Made Easy's name servers (the system ones,
// ns0 to ns4.dnsmadeeasy.com, or the account's vanity ones: the domain's
// nameServers), and no DNS Made Easy page says that a domain below
// another one is kept from its parent's servers (as Route 53 and
// Cloudflare say of theirs): a server holding both answers a name below
// the sub-domain from it (RFC 1034, section 4.3.2, step 2: the zone
// nearest the name), with or without a delegation in the parent. In
// doubt it counts: a zone reported that is not served costs a look, a
// zone served and not reported loses its names at the move.
func (p *Provider) SubZones(ctx context.Context, origin string) ([]string, error) {
	return provider.AllZones(p.allDomains).SubZones(ctx, origin)
}

// ZoneNames lists the account's domains for a "did you mean"
// (provider.ZoneLister): the first page of GET /dns/managed/, at most
// provider.MaxListedZones rows, one request (DNS Made Easy allows 150
// requests in 5 minutes: a suggestion is not worth reading every page of
// a large account).
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	var pg page[domain]
	q := url.Values{"page": {"0"}, "rows": {strconv.Itoa(min(p.pageSize, provider.MaxListedZones))}}
	if _, err := p.call(ctx, http.MethodGet, "dns/managed/", q, nil, &pg); err != nil {
		return nil, fmt.Errorf("dnsmadeeasy: list domains: %w", err)
	}
	return provider.Listed(pg.Data, func(d domain) string { return d.Name }), nil
}

// allDomains is every managed domain of the account (GET /dns/managed/,
// every page, checked by totalRecords).
func (p *Provider) allDomains(ctx context.Context) ([]string, error) {
	l := provider.Listing[domain]{What: "dnsmadeeasy: list domains", Unit: "domains", Count: "totalRecords",
		Key: func(d domain) string { return fmt.Sprintf("domain %s (id %d)", d.Name, d.ID) }}
	ds, err := pages(ctx, p, "dns/managed/", &l)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.Name
	}
	return names, nil
}

// ZoneListAccess: DNS Made Easy lists the domains the API key's user may
// see (provider.ZoneListScope).
func (p *Provider) ZoneListAccess() string {
	return "GET /dns/managed/ lists the domains the API key pair's user may see: a user limited to some folders or domains cannot see the others; in DNS Made Easy's control panel (Config → Account Information → Users) give the user read access to every folder holding a domain below this one, or use the keys of the account's owner"
}

// DNS Made Easy does not tell a user's keys which folders they are
// limited to: no provider.ZoneListPartial.

// Nameservers are the configured ones, else the domain's assigned
// (vanity or system) name servers.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return p.zones.Nameservers(ctx, origin)
}
