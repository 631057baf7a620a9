// Package cloudns is a provider for ClouDNS (its HTTP API, on net/http):
// it checks the zone (get-zone-info), lists its records page by page
// (get-records-pages-count, then records.json per page, each page checked
// against that count: a listing that comes back short is an error, never a
// smaller zone), and applies a plan with as few calls as the
// API allows: new RRsets as BIND text through records-import (adding, never
// deleting), the rest one record per call (mod-record edits in place,
// add-record, delete-record). Every request is a
// POST whose form carries auth-id (or sub-auth-id) and auth-password, so
// the password never appears in a URL; 429 and 5xx answers are retried
// within a bounded policy honouring Retry-After.
//
// Config (dnsparity.yaml):
//
//	type: cloudns
//	auth_id: "1234"             # or sub_auth_id: "5678"
//	api_key_env: CLOUDNS_PASSWORD  # the API user's auth-password
//	url: https://api.cloudns.net   # optional (proxy, test server)
//
// It is tested against an httptest server that follows the documented API
// shapes (cloudnstest), not against ClouDNS itself.
package cloudns

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.Register[Settings]("cloudns", func(cfg *config.Provider) (*Provider, error) { return New(cfg, nil) })
}

// DefaultURL is the ClouDNS API endpoint.
const DefaultURL = "https://api.cloudns.net"

// ClouDNS blocks an address that sends more than 20 requests a second
// (HTTP 200, "Request blocked, … is sending more than 20 requests per
// second."): the account's requests are kept at 10 a second, and at 20
// in any second as the API counts them (each request until its answer).
var Limits = httpretry.Limits{PerSecond: 10, Burst: 10, Count: 20, Window: time.Second}

// ImportJobAt is the size of a records-import that ClouDNS runs as a
// background job ("If the records you are trying to import are equal or
// above 100, a job for the import will be created", API help, "Import
// records"): its records appear later, so push waits for them.
const ImportJobAt = 100

// DefaultImportBatch is the most records one records-import call adds.
const DefaultImportBatch = 1000

// Provider talks to the ClouDNS API for one API user.
type Provider struct {
	base        string
	authKey     string // "auth-id" or "sub-auth-id"
	authID      string
	password    string
	nameservers []string
	pageSize    int
	importBatch int
	client      httpretry.Client
	// jobWait bounds the wait for an import job; jobPoll is the first
	// interval between looks (it doubles, at most 10 s).
	jobWait, jobPoll time.Duration

	zones provider.Zones[string]
	// holdings list the zone's records (list) and read them (toRR,
	// without those omitted); ClouDNS has no zone object (nor ids),
	// hence struct{}.
	holdings provider.Holdings[struct{}, record]
	// ListingReader reads the zone from one listing: Records, Features
	// and Read (provider.Reader). ALIAS and WR records and GeoDNS answers
	// for a location other than the default have no zone-file form:
	// Records leaves them out and Features reports them.
	provider.ListingReader[record]

	writes atomic.Int64

	// ttls are the TTLs the account's plan allows its records
	// (dns/get-available-ttl.json), asked once, by the first listing
	// (askTTLs), the other listings waiting for its answer (ttlDone);
	// ttlWarning says why the documented list stands in.
	ttlMu      sync.Mutex
	ttlAsked   bool
	ttlDone    chan struct{}
	ttls       []uint32
	ttlWarning string
}

// Settings are cloudns's own keys under providers.NAME: the API (url,
// api_key_env: the auth-password) and its user, auth_id or sub_auth_id,
// written or (the *_env forms) from a variable, so that a read-only
// sub-user (pull requests, drift) and a write user (sync, cutover) share
// one config. Ids, not secrets.
type Settings struct {
	provider.APISettings `yaml:",inline"`
	AuthID               string `yaml:"auth_id"`
	SubAuthID            string `yaml:"sub_auth_id"`
	AuthIDEnv            string `yaml:"auth_id_env"`
	SubAuthIDEnv         string `yaml:"sub_auth_id_env"`
}

// Check: each id written or from a variable, not both.
func (s *Settings) Check() error {
	var errs []error
	for _, kv := range [][3]string{{"auth_id", s.AuthID, s.AuthIDEnv}, {"sub_auth_id", s.SubAuthID, s.SubAuthIDEnv}} {
		if kv[1] != "" && kv[2] != "" {
			errs = append(errs, fmt.Errorf("%s and %s_env: give one of them", kv[0], kv[0]))
		}
	}
	return errors.Join(errs...)
}

// Vars are the auth-password's and the ids' variables.
func (s *Settings) Vars() []config.Var {
	id := func(key, env string, dst *string) config.Var {
		return config.Var{Key: key, Env: env, Holds: "the id", Set: func(v config.Secret) error { *dst = v.Value(); return nil }}
	}
	return append(s.APISettings.Vars(), id("auth_id_env", s.AuthIDEnv, &s.AuthID), id("sub_auth_id_env", s.SubAuthIDEnv, &s.SubAuthID))
}

// New makes a provider; hc nil means a default HTTP client.
func New(cfg *config.Provider, hc *http.Client) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	base, _, err := provider.APIBase("cloudns", st.URL, DefaultURL)
	if err != nil {
		return nil, err
	}
	p := &Provider{base: base, nameservers: cfg.Nameservers, pageSize: 100, importBatch: DefaultImportBatch,
		jobWait: 5 * time.Minute, jobPoll: 2 * time.Second, ttlDone: make(chan struct{})}
	switch {
	case st.AuthID != "" && st.SubAuthID != "":
		return nil, errors.New("cloudns: set auth_id or sub_auth_id, not both")
	case st.AuthID != "":
		p.authKey, p.authID = "auth-id", st.AuthID
	case st.SubAuthID != "":
		p.authKey, p.authID = "sub-auth-id", st.SubAuthID
	default:
		return nil, errors.New("cloudns: no API user (set auth_id or sub_auth_id)")
	}
	if p.password = st.APIKey.Value(); p.password == "" {
		return nil, errors.New("cloudns: no auth-password (set api_key_env to the name of the variable holding it)")
	}
	p.zones = provider.Zones[string]{Type: "cloudns", ByName: p.zoneInfo}
	p.holdings = provider.Holdings[struct{}, record]{What: "cloudns", Held: provider.Held(omitted, toRR), Label: label, Shown: shown,
		List: func(ctx context.Context, origin string) (struct{}, []record, error) {
			rs, err := p.list(ctx, origin)
			return struct{}{}, rs, err
		}}
	p.ListingReader = p.holdings.Reader(features)
	hc = provider.HTTPClient(hc, p.password)
	p.client = httpretry.Client{HTTP: hc, Policy: httpretry.Default, Throttled: blocked,
		Limiter: httpretry.Account("cloudns", base, p.authKey+"="+p.authID, Limits)}
	return p, nil
}

// SetPageSize sets rows-per-page of listings (ClouDNS takes 10, 20, 30,
// 50 or 100).
func (p *Provider) SetPageSize(n int) { p.pageSize = cmp.Or(max(n, 0), p.pageSize) }

// SetImportBatch sets the most records per records-import call (0: no
// import; every record by add-record).
func (p *Provider) SetImportBatch(n int) {
	if n >= 0 {
		p.importBatch = n
	}
}

// SetRetry sets the retry policy (tests shorten the waits).
func (p *Provider) SetRetry(r httpretry.Policy) { p.client.SetRetry(r) }

// SetRateLimit gives this provider a limiter of its own (tests); by
// default every provider of one API user shares the account's.
func (p *Provider) SetRateLimit(l httpretry.Limits) { p.client.SetRateLimit(l) }

// Limiter is the account's API budget this provider draws from.
func (p *Provider) Limiter() *httpretry.Limiter { return p.client.Limiter }

// SetImportWait bounds the wait for an import job and sets the first
// interval between looks (tests shorten them).
func (p *Provider) SetImportWait(bound, poll time.Duration) {
	p.jobWait, p.jobPoll = bound, poll
}

// blocked: ClouDNS's rate-limit refusal comes as HTTP 200 with a failure
// status in the body.
func blocked(status int, body []byte) bool {
	return status == http.StatusOK && bytes.Contains(body, []byte(`"Failed"`)) && bytes.Contains(body, []byte("requests per second"))
}

// Writes is the number of write requests sent (tries included).
func (p *Provider) Writes() int64 { return p.writes.Load() }

// Capabilities: ClouDNS's record types as this provider maps them, and
// the TTLs the account's plan allows (check; the documented list, with a
// warning, when they could not be read).
func (p *Provider) Capabilities() provider.Capabilities {
	p.ttlMu.Lock()
	var warns []string
	if p.ttlWarning != "" {
		warns = []string{p.ttlWarning}
	}
	p.ttlMu.Unlock()
	return provider.Capabilities{Types: supported, LongTXT: true, MaxBatch: max(p.importBatch, 1), CheckName: checkName, Check: p.check,
		NoApexSOA: "ClouDNS keeps the SOA apart from the records, which push does not change: set its TTL and default TTL (minimum) in the control panel or with the API's dns/modify-soa.json",
		Warnings:  warns}
}

// availableTTLs are the TTLs a plan checks: the account's (askTTLs; read
// true), else the documented list (not asked yet, or the call failed).
func (p *Provider) availableTTLs() (ttls []uint32, read bool) {
	p.ttlMu.Lock()
	defer p.ttlMu.Unlock()
	if p.ttls != nil {
		return p.ttls, true
	}
	return documentedTTLs, false
}

// askTTLs asks ClouDNS which TTLs the account's plan allows its records
// ("Get available TTLs", dns/get-available-ttl.json with domain-name: a
// JSON array of seconds; ClouDNS refuses any other TTL on add-record,
// mod-record and records-import), once per provider whatever the zones:
// the list is the plan's, and a run's zones share one account. A call
// that fails, or an answer that is not a list of TTLs, is not asked
// again: the documented list stands in, and every plan says so
// (Capabilities.Warnings). Other failures of the listing are its own.
// Listings of other zones meanwhile (push reads several at once) wait for
// the answer, so that no plan checks a list the account's may replace.
func (p *Provider) askTTLs(ctx context.Context, origin string) {
	p.ttlMu.Lock()
	asked := p.ttlAsked
	p.ttlAsked = true
	p.ttlMu.Unlock()
	if asked {
		select {
		case <-p.ttlDone:
		case <-ctx.Done(): // the listing stops on it too
		}
		return
	}
	defer close(p.ttlDone)
	var raw json.RawMessage
	_, err := p.call(ctx, "/dns/get-available-ttl.json", url.Values{"domain-name": {apiName(origin)}}, false, &raw)
	var ttls []uint32
	if err == nil {
		if ttls, err = parseTTLs(raw); err != nil {
			// The answer quoted as the server's other texts are: the
			// password taken out whatever its encoding.
			err = fmt.Errorf("%w: %s", err, redact.Excerpt(redact.ServerText(ctx, string(raw), p.password), 64, 64))
		}
	}
	p.ttlMu.Lock()
	defer p.ttlMu.Unlock()
	if err != nil {
		p.ttlWarning = fmt.Sprintf("cloudns: the TTLs this account's plan allows could not be read (dns/get-available-ttl.json: %v): TTLs are checked against ClouDNS's documented list (%s), which a plan may narrow; a TTL the account does not allow fails the push", err, ttlList(documentedTTLs))
		return
	}
	p.ttls = ttls
}

// parseTTLs reads get-available-ttl.json's answer: a JSON array of
// TTLs, numbers or numeric strings (every field of ClouDNS's other
// answers is a string), each once, in order. The array of numbers is
// what dnscontrol's ClouDNS provider decodes from the live API
// (providers/cloudns/api.go, fetchAvailableTTLValues: json.Unmarshal into
// []uint32, called with domain-name), checked there on 2026-12-05. Its errors quote nothing
// of the answer (the caller does, through redact.ServerText).
func parseTTLs(raw []byte) ([]uint32, error) {
	var vs []json.Number
	if err := json.Unmarshal(raw, &vs); err != nil {
		return nil, errors.New("bad answer (not a list of TTLs)")
	}
	var out []uint32
	for i, v := range vs {
		n, err := strconv.ParseUint(v.String(), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("bad answer (its TTL %d is not a number of seconds)", i+1)
		}
		if !slices.Contains(out, uint32(n)) {
			out = append(out, uint32(n))
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the answer lists no TTL")
	}
	slices.Sort(out)
	return out, nil
}

// status is the frame of an answer that reports success or failure.
type status struct {
	Status      string `json:"status"`
	Description string `json:"statusDescription"`
}

// call POSTs one API call with the credentials in its form and decodes
// the answer into out. ClouDNS answers failures with HTTP 200 and
// {"status":"Failed","statusDescription":...}.
func (p *Provider) call(ctx context.Context, path string, form url.Values, write bool, out any) (int, error) {
	body := url.Values{}
	for k, v := range form {
		body[k] = v
	}
	body.Set(p.authKey, p.authID)
	body.Set("auth-password", p.password)
	enc := body.Encode()
	a, err := p.client.Do(ctx, !write, func(ctx context.Context) (*http.Request, error) {
		if write {
			p.writes.Add(1)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.base+path, strings.NewReader(enc))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req, nil
	})
	if err != nil {
		if errors.Is(err, httpretry.ErrTransport) {
			return a.Tries, fmt.Errorf("%s: %w: %v", path, provider.ErrUnavailable, err)
		}
		return a.Tries, fmt.Errorf("%s: %w", path, err)
	}
	var st status
	_ = json.Unmarshal(a.Body, &st)
	// Every message below quotes the description: the password taken
	// out whatever its encoding (redact.ServerText).
	st.Description = redact.ServerText(ctx, st.Description, p.password)
	if a.Status < 200 || a.Status > 299 {
		text := st.Description
		if text == "" {
			text = http.StatusText(a.Status)
		}
		if httpretry.Retryable(a.Status) {
			return a.Tries, provider.StatusErrorf(a.Status, "%s: HTTP %d after %d tries: %s", path, a.Status, a.Tries, text)
		}
		return a.Tries, fmt.Errorf("%s: HTTP %d: %s", path, a.Status, text)
	}
	if st.Status == "Failed" {
		if blocked(a.Status, a.Body) {
			return a.Tries, fmt.Errorf("%s: rate limit, still refused after %d tries: %s", path, a.Tries, st.Description)
		}
		if strings.Contains(st.Description, "Invalid authentication") {
			return a.Tries, provider.AuthError("%s: credentials refused: auth-id/auth-password (%s)", path, st.Description)
		}
		return a.Tries, &apiError{path, st.Description}
	}
	if out != nil {
		if err := json.Unmarshal(a.Body, out); err != nil {
			return a.Tries, fmt.Errorf("%s: bad JSON answer: %w", path, err)
		}
	}
	return a.Tries, nil
}

// apiError is a "Failed" answer.
type apiError struct{ path, text string }

func (e *apiError) Error() string { return e.path + ": " + e.text }

// zone checks that the account holds the zone, once per zone.
func (p *Provider) zone(ctx context.Context, origin string) error {
	_, err := p.zones.Find(ctx, origin)
	return err
}

// zoneInfo is the zone's name as get-zone-info answers it (ClouDNS has
// no zone ids).
func (p *Provider) zoneInfo(ctx context.Context, origin string) (string, error) {
	var info struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}
	_, err := p.call(ctx, "/dns/get-zone-info.json", url.Values{"domain-name": {apiName(origin)}}, false, &info)
	var ae *apiError
	if errors.As(err, &ae) {
		return "", fmt.Errorf("cloudns: zone %s: %w (%s)", origin, provider.ErrZoneNotFound, ae.text)
	}
	if err != nil {
		return "", fmt.Errorf("cloudns: zone %s: %w", origin, err)
	}
	if provider.FQDN(info.Name) != origin {
		return "", fmt.Errorf("cloudns: zone %s: %w (the API answered for %q)", origin, provider.ErrZoneNotFound, info.Name)
	}
	return info.Name, nil
}

// list reads every record of the zone, page by page: the number of pages
// from get-records-pages-count (records, not zones: get-pages-count counts
// pages of the zone list), then records.json for each (pages.read).
func (p *Provider) list(ctx context.Context, origin string) ([]record, error) {
	if err := p.zone(ctx, origin); err != nil {
		return nil, err
	}
	p.askTTLs(ctx, origin)
	return pages[record]{
		count:    "/dns/get-records-pages-count.json",
		list:     "/dns/records.json",
		query:    url.Values{"domain-name": {apiName(origin)}},
		what:     "cloudns: zone " + origin + ": list records",
		counting: "cloudns: zone " + origin + ": count pages of records",
		unit:     "record",
		units:    "records",
		changed:  "the zone changed",
		decode:   recordsAnswer,
	}.read(ctx, p)
}

// recordsAnswer reads a page of records.json: an object keyed by record
// id (an empty page is []), its records in the order of their ids.
func recordsAnswer(raw json.RawMessage) ([]record, error) {
	var m map[string]record
	if err := json.Unmarshal(raw, &m); err != nil {
		var empty []record
		if json.Unmarshal(raw, &empty) != nil || len(empty) != 0 {
			return nil, fmt.Errorf("bad answer: %w", err)
		}
	}
	page := make([]record, 0, len(m))
	for _, r := range m {
		page = append(page, r)
	}
	sort.Slice(page, func(i, j int) bool { return page[i].ID < page[j].ID })
	return page, nil
}

// pages is one of ClouDNS's paged listings (records.json, list-zones.json):
// the number of pages from one call (count) for the query and
// rows-per-page, then each page (list, the same with page). Every page
// but the last must be full and the last must not be empty, else the
// listing is short (what it lists changed meanwhile, or the API lost rows)
// and is an error: a smaller zone would make push create what exists and
// import drop records; fewer zones would hide a zone below another.
type pages[T any] struct {
	// count and list are the paths of the page count and of a page.
	count, list string
	// query says what is listed (domain-name, search); rows-per-page
	// and page are added.
	query url.Values
	// what names the listing in its errors, counting its page count.
	what, counting string
	// unit and units are what a page holds (one, several); changed is
	// what would have made a listing short.
	unit, units, changed string
	// key names a row, for the check that none comes twice (nil: no
	// check).
	key func(T) string
	// decode reads a page's answer; its errors are quoted after the
	// page's number.
	decode func(json.RawMessage) ([]T, error)
}

// read reads every page of the listing, in order.
func (l pages[T]) read(ctx context.Context, p *Provider) ([]T, error) {
	q := url.Values{"rows-per-page": {strconv.Itoa(p.pageSize)}}
	for k, v := range l.query {
		q[k] = v
	}
	var n int
	if _, err := p.call(ctx, l.count, q, false, &n); err != nil {
		return nil, fmt.Errorf("%s: %w", l.counting, err)
	}
	all := provider.Listing[T]{What: l.what, Key: l.key}
	for i := 1; i <= n; i++ {
		pq := url.Values{"page": {strconv.Itoa(i)}}
		for k, v := range q {
			pq[k] = v
		}
		var raw json.RawMessage
		_, err := p.call(ctx, l.list, pq, false, &raw)
		var page []T
		if err == nil {
			page, err = l.decode(raw)
		}
		if err != nil {
			return nil, fmt.Errorf("%s (page %d of %d): %w", l.what, i, n, err)
		}
		if len(page) > p.pageSize || (i < n && len(page) != p.pageSize) || (i == n && len(page) == 0) {
			return nil, fmt.Errorf("%s: page %d of %d holds %s at %d per page: the listing is incomplete (%s while it was read?); nothing was concluded from it, try again", l.what, i, n, plural.N(len(page), l.unit, l.units), p.pageSize, l.changed)
		}
		if err := all.Add(i, page, -1); err != nil {
			return nil, err
		}
	}
	return all.Whole()
}

// SubZones lists the account's zones strictly below origin
// (provider.SubZoneLister): "List zones" (www.cloudns.net/wiki/article/50/,
// dns/list-zones.json, paged: rows-per-page 10 to 100, the pages counted
// by get-pages-count.json for the same rows and search; search: "keyword
// to search for in the zone names", here the zone's name, which every
// name below it holds). ClouDNS answers every zone of an account from the
// same name servers (its apex NS records: ns1 to ns4.cloudns.net, or the
// premium pns ones), and no ClouDNS page says that a zone below another
// one is kept from its parent's servers (as Route 53 and Cloudflare say of
// theirs): a server holding both answers a name below the sub-zone from it
// (RFC 1034, section 4.3.2, step 2: the zone nearest the name), with or
// without a delegation in the parent. In doubt it counts: a zone reported
// that is not served costs a look, a zone served and not reported loses
// its names at the move. Every page but the last must be full and the
// last not empty, as for records.
func (p *Provider) SubZones(ctx context.Context, origin string) ([]string, error) {
	origin = zone.CanonicalName(origin)
	zs, err := pages[zoneRow]{
		count:    "/dns/get-pages-count.json",
		list:     "/dns/list-zones.json",
		query:    url.Values{"search": {apiName(origin)}},
		what:     "cloudns: list zones",
		counting: "cloudns: list zones: count pages",
		unit:     "zone",
		units:    "zones",
		changed:  "a zone added or deleted",
		key:      func(z zoneRow) string { return "zone " + z.Name },
		decode:   zonesAnswer,
	}.read(ctx, p)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(zs))
	for i, z := range zs {
		names[i] = z.Name
	}
	return provider.Below(origin, names), nil
}

// ZoneNames lists the account's zones for a "did you mean"
// (provider.ZoneLister): the first page of list-zones.json at its most
// rows (100), one request; an account with more zones is suggested from
// among those.
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	page, err := p.zonesPage(ctx, url.Values{"page": {"1"}, "rows-per-page": {"100"}})
	if err != nil {
		return nil, fmt.Errorf("cloudns: list zones: %w", err)
	}
	return provider.Listed(page, func(z zoneRow) string { return z.Name }), nil
}

// zoneRow is a zone as list-zones.json lists it (the fields read).
type zoneRow struct {
	Name string `json:"name"`
}

// zonesPage is one page of list-zones.json for q (page, rows-per-page,
// search).
func (p *Provider) zonesPage(ctx context.Context, q url.Values) ([]zoneRow, error) {
	var raw json.RawMessage
	if _, err := p.call(ctx, "/dns/list-zones.json", q, false, &raw); err != nil {
		return nil, err
	}
	return zonesAnswer(raw)
}

// zonesAnswer reads a page of list-zones.json: ClouDNS answers {} rather
// than [] when it finds no zone.
func zonesAnswer(raw json.RawMessage) ([]zoneRow, error) {
	var page []zoneRow
	if err := json.Unmarshal(raw, &page); err != nil {
		var none map[string]any
		if json.Unmarshal(raw, &none) != nil || len(none) != 0 {
			return nil, fmt.Errorf("bad answer: %w", err)
		}
	}
	return page, nil
}

// ZoneListAccess: ClouDNS's list-zones lists what the API user may
// manage (provider.ZoneListScope).
func (p *Provider) ZoneListAccess() string {
	return "dns/list-zones.json lists the zones the API user may manage: an API sub-user (sub_auth_id) sees only the zones delegated to it; in ClouDNS's control panel (API & Resellers → API users) delegate to the sub-user every zone below this one, or use the main API user (auth_id)"
}

// ZoneListPartial: an API sub-user lists only the zones delegated to it.
func (p *Provider) ZoneListPartial() string {
	if p.authKey != "sub-auth-id" {
		return ""
	}
	return "the credentials are an API sub-user's (sub_auth_id), which ClouDNS lets list only the zones delegated to it: a zone of the account below this one that is not delegated to it is not seen here, and its servers answer for it all the same; delegate every such zone to the sub-user (API & Resellers → API users), or use the main API user (auth_id)"
}

// Nameservers are the configured ones, else the zone's apex NS (ClouDNS
// lists its own nameservers as NS records).
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.DefaultNameservers(ctx, p.nameservers, p, origin)
}

// DSState reports whether ClouDNS signs the zone and the DS records it
// publishes for the parent (get-dnssec-ds-records). DNSSEC off is not an
// error: Active is false, and every DS at the parent is then stale.
func (p *Provider) DSState(ctx context.Context, origin string) (provider.DSState, error) {
	origin = zone.CanonicalName(origin)
	var st provider.DSState
	if err := p.zone(ctx, origin); err != nil {
		return st, err
	}
	var raw json.RawMessage
	_, err := p.call(ctx, "/dns/get-dnssec-ds-records.json", url.Values{"domain-name": {apiName(origin)}}, false, &raw)
	var ae *apiError
	if errors.As(err, &ae) && strings.Contains(ae.text, "not active") {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("cloudns: zone %s: DNSSEC DS records: %w", origin, err)
	}
	ds, err := parseDS(raw)
	if err != nil {
		return st, fmt.Errorf("cloudns: zone %s: DNSSEC DS records: %w", origin, err)
	}
	st.Active, st.DS = true, ds
	return st, nil
}

// parseDS reads the DS records of a get-dnssec-ds-records answer: "ds",
// DS lines (a record line or its RDATA: the last four fields count), and
// "ds_records", the same as objects; each DS once, in presentation form.
func parseDS(raw []byte) ([]string, error) {
	var ans struct {
		DS      []string `json:"ds"`
		Records []struct {
			KeyTag     json.Number `json:"key_tag"`
			Algorithm  json.Number `json:"algorithm"`
			DigestType json.Number `json:"digest_type"`
			Digest     string      `json:"digest"`
		} `json:"ds_records"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return nil, fmt.Errorf("bad answer: %w", err)
	}
	var out []string
	seen := map[string]bool{}
	add := func(d string) {
		if k := strings.ToUpper(d); !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	for _, line := range ans.DS {
		f := strings.Fields(line)
		if len(f) < 4 {
			return nil, fmt.Errorf("DS %q: want key tag, algorithm, digest type and digest", line)
		}
		add(strings.Join(f[len(f)-4:], " "))
	}
	for _, r := range ans.Records {
		add(fmt.Sprintf("%s %s %s %s", r.KeyTag, r.Algorithm, r.DigestType, r.Digest))
	}
	return out, nil
}
