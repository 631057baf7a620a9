// Package powerdns is a provider for the PowerDNS Authoritative Server's HTTP
// API (/api/v1/servers/{id}/zones): it creates zones, lists them (GET zone,
// rrsets) and applies changes as PATCH requests of rrsets (changetype
// REPLACE or DELETE), one per batch.
//
// Idempotent calls are retried on 429 and 5xx answers and on lost
// connections, with exponential backoff, honouring Retry-After, at most
// maxAttempts times. GET is idempotent; so is PATCH here: PowerDNS applies a
// PATCH in one transaction, and its REPLACE (the RRset becomes exactly
// these records) and DELETE (the RRset is gone) leave the same zone
// whether they run once or twice, so a retry after an answer that was
// lost cannot do anything the first attempt would not have. POST (create
// a zone) is not: a second one is a 409, so it is never retried.
//
// Config (dnsparity.yaml):
//
//	type: powerdns
//	url: http://127.0.0.1:8081
//	server_id: localhost
//	api_key_env: PDNS_API_KEY
//	nameservers: [ns1.example.net.]
package powerdns

import (
	"bytes"
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

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.Register[Settings]("powerdns", func(cfg *config.Provider) (*Provider, error) { return New(cfg, nil) })
}

// DefaultBatch is the most RRsets one PATCH carries. PowerDNS applies a
// PATCH in one transaction: all of it or nothing.
const DefaultBatch = 5000

// Provider talks to one PowerDNS server's API.
type Provider struct {
	base        string // .../api/v1/servers/{id}
	shown       string // base as messages show it: without the userinfo the url may carry (redact.URL)
	apiKey      string
	nameservers []string
	client      *http.Client
	batch       int

	requests atomic.Int64 // HTTP requests
	patches  atomic.Int64 // PATCH requests

	mu sync.Mutex
	// disabled are, per zone, the disabled records of each RRset (their
	// content as PowerDNS listed it) in the last listing: a PATCH
	// replaces an RRset whole, so Apply sends them back, disabled.
	disabled map[string]map[zone.Key][]string

	// sleep waits between attempts (tests record the waits).
	sleep func(ctx context.Context, d time.Duration) error
	// backoff is the first retry's wait; each next one doubles it.
	backoff time.Duration
}

// Retry bounds: at most maxAttempts tries of one call, no single wait over
// maxWait (a longer Retry-After ends the retries).
const (
	maxAttempts = 4
	maxWait     = 30 * time.Second
)

// Settings are powerdns's own keys under providers.NAME: the HTTP API
// (url, api_key_env) and the server's id in it.
type Settings struct {
	provider.APISettings `yaml:",inline"`
	// ServerID is the API's server id (default localhost).
	ServerID string `yaml:"server_id"`
}

// New makes a provider; client nil means a default one.
func New(cfg *config.Provider, client *http.Client) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	if st.URL == "" {
		return nil, errors.New("powerdns: url is required")
	}
	base, _, err := provider.APIBase("powerdns", st.URL, "")
	if err != nil {
		return nil, err
	}
	if st.APIKey.Value() == "" {
		return nil, fmt.Errorf("powerdns: no API key (set api_key_env)")
	}
	id := st.ServerID
	if id == "" {
		id = "localhost"
	}
	client = provider.HTTPClient(client, st.APIKey.Value())
	if !strings.HasSuffix(base, "/api/v1") {
		base += "/api/v1"
	}
	base += "/servers/" + url.PathEscape(id)
	return &Provider{
		base:        base,
		shown:       redact.URL(base),
		apiKey:      st.APIKey.Value(),
		nameservers: cfg.Nameservers,
		client:      client,
		batch:       DefaultBatch,
		sleep:       httpretry.Sleep,
		backoff:     500 * time.Millisecond,
		disabled:    map[string]map[zone.Key][]string{},
	}, nil
}

// SetBatch sets the most RRsets one PATCH carries (default DefaultBatch).
func (p *Provider) SetBatch(n int) {
	if n > 0 {
		p.batch = n
	}
}

// Requests is the number of HTTP requests sent; Patches the PATCH requests
// among them.
func (p *Provider) Requests() int64 { return p.requests.Load() }
func (p *Provider) Patches() int64  { return p.patches.Load() }

// Capabilities of PowerDNS 4.7.
func (p *Provider) Capabilities() provider.Capabilities {
	return provider.Capabilities{LongTXT: true, UnknownTypes: true, MaxBatch: p.batch, CreateZone: true, CheckName: checkName, CheckDeleteName: checkDeleteName, Check: check}
}

// apiError is an HTTP error answer.
type apiError struct {
	Status int
	Text   string
}

func (e *apiError) Error() string {
	if e.Text == "" {
		return fmt.Sprintf("HTTP %d", e.Status)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, e.Text)
}

// HTTPStatus is the answer's status (provider.Down counts a 5xx as down).
func (e *apiError) HTTPStatus() int { return e.Status }

// idempotent says whether a call may be sent again after a failure that
// leaves its outcome unknown (see the package comment).
func idempotent(method string) bool {
	return method == http.MethodGet || method == http.MethodPatch
}

// retryable is an answer worth trying again: rate limited or a server
// error.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// do sends one API call, retrying idempotent ones (see the package
// comment).
func (p *Provider) do(ctx context.Context, method, path string, body, out any) error {
	var payload []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		payload = b
	}
	for attempt := 1; ; attempt++ {
		retry, wait, err := p.once(ctx, method, path, payload, out)
		if err == nil || !retry || !idempotent(method) || attempt == maxAttempts {
			if err != nil && retry && idempotent(method) {
				return fmt.Errorf("%w (gave up after %d attempts)", err, attempt)
			}
			return err
		}
		if wait < 0 {
			wait = p.backoff << (attempt - 1)
		}
		if wait > maxWait {
			return fmt.Errorf("%w (the server asks to wait %s before retrying, more than %s)", err, wait, maxWait)
		}
		if serr := p.sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w (while waiting to retry: %w)", err, serr)
		}
	}
}

// once sends one HTTP request. retry says whether the failure may pass
// (429, 5xx, a lost connection); wait is the server's Retry-After, or -1.
func (p *Provider) once(ctx context.Context, method, path string, payload []byte, out any) (retry bool, wait time.Duration, err error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, rd)
	if err != nil {
		return false, -1, err
	}
	req.Header.Set("X-API-Key", p.apiKey)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	p.requests.Add(1)
	if method == http.MethodPatch {
		p.patches.Add(1)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, -1, ctx.Err()
		}
		// url.Error carries the URL (never the key header), and of a
		// userinfo in it net/http hides only the password.
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = redact.URL(ue.URL)
		}
		return true, -1, fmt.Errorf("%w: %v", provider.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return true, -1, fmt.Errorf("%s %s: reading answer: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		ae := &apiError{Status: resp.StatusCode}
		var e struct {
			Error string `json:"error"`
		}
		// The key was taken out of the body, whatever its encoding, before
		// it is read here (provider.HTTPClient).
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			ae.Text = e.Error
		} else {
			ae.Text = strings.TrimSpace(string(b))
			if len(ae.Text) > 300 {
				ae.Text = ae.Text[:300] + "..."
			}
		}
		switch resp.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			return false, -1, provider.AuthError("API key refused (%v)", ae)
		case http.StatusNotFound:
			return false, -1, fmt.Errorf("%w (%v)", provider.ErrZoneNotFound, ae)
		}
		wait, ok := httpretry.RetryAfter(resp.Header, time.Now())
		if !ok {
			wait = -1
		}
		return retryable(resp.StatusCode), wait, ae
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return false, -1, fmt.Errorf("%s %s: bad JSON answer: %w", method, path, err)
		}
	}
	return false, -1, nil
}

func zonePath(origin string) string {
	return "/zones/" + url.PathEscape(zone.CanonicalName(origin))
}

type record struct {
	Content  string `json:"content"`
	Disabled bool   `json:"disabled"`
}

type rrset struct {
	Name       string   `json:"name"`
	Type       string   `json:"type"`
	TTL        uint32   `json:"ttl"` // 0 is a TTL, sent as such
	ChangeType string   `json:"changetype,omitempty"`
	Records    []record `json:"records"`
}

type apiZone struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind,omitempty"`
	Nameservers []string `json:"nameservers,omitempty"`
	RRsets      []rrset  `json:"rrsets,omitempty"`
}

// zone reads the zone with its rrsets (GET zone; origin is canonical).
func (p *Provider) zone(ctx context.Context, origin string) (apiZone, error) {
	var z apiZone
	if err := p.do(ctx, http.MethodGet, zonePath(origin), nil, &z); err != nil {
		return z, fmt.Errorf("powerdns %s: GET zone %s: %w", p.shown, origin, err)
	}
	return z, nil
}

// SubZones lists the zones the server holds strictly below origin (GET
// zones; provider.SubZoneLister), canonical and sorted.
func (p *Provider) SubZones(ctx context.Context, origin string) ([]string, error) {
	return provider.AllZones(p.allZones).SubZones(ctx, origin)
}

// ZoneNames lists the zones the server holds (GET zones, one request;
// provider.ZoneLister), canonical and sorted, at most
// provider.MaxListedZones.
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	return provider.AllZones(p.allZones).ZoneNames(ctx)
}

// allZones is every zone the server holds (GET zones), canonical and
// sorted.
func (p *Provider) allZones(ctx context.Context) ([]string, error) {
	var zs []apiZone
	if err := p.do(ctx, http.MethodGet, "/zones", nil, &zs); err != nil {
		return nil, fmt.Errorf("powerdns %s: GET zones: %w", p.shown, err)
	}
	out := make([]string, 0, len(zs))
	for _, z := range zs {
		out = append(out, zone.CanonicalName(z.Name))
	}
	slices.Sort(out)
	return out, nil
}

// ZoneListAccess: PowerDNS's API key (api-key, or webserver-password's
// key) is the server's, for every zone (provider.ZoneListScope).
func (p *Provider) ZoneListAccess() string {
	return "GET /api/v1/servers/localhost/zones needs the server's API key (pdns.conf api-key), which reads every zone of the server: set api_key_env to the variable holding that key (a key put in front of the API by a proxy that allows only some zones cannot list the others: allow GET zones through it)"
}

// The API key is the server's; nothing tells of a listing of some zones
// only: no provider.ZoneListPartial.

// Records reads the zone (GET zone with its rrsets). Disabled records are
// left out (PowerDNS does not serve them; Features lists them and Apply
// keeps them), and so are PowerDNS's own types (ALIAS, LUA, ADDR) and
// RRsets holding a record dnsparity cannot read, which Features lists.
func (p *Provider) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	z, _, err := p.Read(ctx, origin)
	return z, err
}

// Read lists the zone once (GET zone with its rrsets) for its records and
// its features (provider.Reader).
func (p *Provider) Read(ctx context.Context, origin string) (*zone.Zone, []provider.Feature, error) {
	origin = zone.CanonicalName(origin)
	z, err := p.zone(ctx, origin)
	if err != nil {
		return nil, nil, err
	}
	out, unread, err := p.records(origin, z)
	if err != nil {
		return nil, nil, err
	}
	return out, append(append(features(z), unread...), disabledFeatures(z)...), nil
}

// records is the zone in z, and the feature of each RRset it holds
// with a record dnsparity cannot read: PowerDNS lists only what its own
// parser reads, in its presentation, but that is not always one
// miekg/dns reads (PowerDNS 4.7 writes an SvcParam it has no name for,
// dohpath, as key7="..."). Such an RRset is left out whole (a PATCH
// replaces an RRset whole); a plan never changes it (plan.Options.Unreadable).
func (p *Provider) records(origin string, z apiZone) (*zone.Zone, []provider.Feature, error) {
	var rrs []dns.RR
	var unread []provider.Feature
	off := map[zone.Key][]string{}
	for _, s := range z.RRsets {
		if k, ok := rrsetKey(s); ok && !pdnsType(s.Type) {
			for _, r := range s.Records {
				if r.Disabled {
					off[k] = append(off[k], r.Content)
				}
			}
		}
		got, err := rrsetRRs(s)
		if err != nil {
			var vals []string
			for _, r := range s.Records {
				if !r.Disabled {
					vals = append(vals, r.Content)
				}
			}
			unread = append(unread, provider.Unreadable(provider.Feature{Name: zone.CanonicalName(provider.FQDN(s.Name)), Type: strings.ToUpper(s.Type),
				Value: strings.Join(vals, " | ")}, err))
			continue
		}
		rrs = append(rrs, got...)
	}
	out, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, nil, fmt.Errorf("powerdns %s: zone %s: %w", p.shown, origin, err)
	}
	p.mu.Lock()
	p.disabled[origin] = off
	p.mu.Unlock()
	return out, unread, nil
}

// rrsetKey is the name and type of an RRset as the API lists it (a type
// PowerDNS has no name for as TYPEnnn).
func rrsetKey(s rrset) (zone.Key, bool) {
	t, ok := dns.StringToType[strings.ToUpper(s.Type)]
	if !ok {
		n, err := strconv.ParseUint(strings.TrimPrefix(strings.ToUpper(s.Type), "TYPE"), 10, 16)
		if err != nil || !strings.HasPrefix(strings.ToUpper(s.Type), "TYPE") {
			return zone.Key{}, false
		}
		t = uint16(n)
	}
	return zone.Key{Name: zone.CanonicalName(provider.FQDN(s.Name)), Type: t}, true
}

// disabledOf are the disabled records of the zone by RRset, from the last
// listing, else from one read now (GET zone): Apply needs them before it
// replaces an RRset.
func (p *Provider) disabledOf(ctx context.Context, origin string) (map[zone.Key][]string, error) {
	p.mu.Lock()
	off, ok := p.disabled[origin]
	p.mu.Unlock()
	if ok {
		return off, nil
	}
	z, err := p.zone(ctx, origin)
	if err != nil {
		return nil, err
	}
	if _, _, err := p.records(origin, z); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.disabled[origin], nil
}

// rrsetRRs reads an RRset's enabled records (none for PowerDNS's own
// types, which Features lists).
func rrsetRRs(s rrset) ([]dns.RR, error) {
	var rrs []dns.RR
	// PowerDNS writes a name's '.' and '\' escaped and other octets
	// outside printable ASCII as \DDD, as a zone file does, but '@',
	// '(', ')', ';' and '"' raw: in the text below they would be the
	// origin, a group, a comment, a string. The canonical name
	// escapes them.
	name := provider.FQDN(s.Name)
	for _, r := range s.Records {
		if r.Disabled || pdnsType(s.Type) {
			continue // PowerDNS-only (ALIAS, LUA): Features lists it
		}
		c := fromContent(r.Content)
		if s.Type == "LOC" {
			c = locFromContent(c)
		}
		rr, err := dns.NewRR(fmt.Sprintf("%s %d IN %s %s", name, s.TTL, s.Type, c))
		if err != nil || rr == nil {
			return nil, fmt.Errorf("%s %s %q: cannot read: %v", s.Name, s.Type, r.Content, err)
		}
		rrs = append(rrs, rr)
	}
	return rrs, nil
}

// Nameservers are the configured ones, else the zone's apex NS.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.DefaultNameservers(ctx, p.nameservers, p, origin)
}

// CreateZone creates a Native zone with these NS names (the configured
// nameservers when none are given).
func (p *Provider) CreateZone(ctx context.Context, origin string, nameservers []string) error {
	origin = zone.CanonicalName(origin)
	if len(nameservers) == 0 {
		nameservers = p.nameservers
	}
	ns := make([]string, 0, len(nameservers))
	for _, n := range nameservers {
		ns = append(ns, dns.Fqdn(n))
	}
	body := apiZone{Name: origin, Kind: "Native", Nameservers: ns}
	if err := p.do(ctx, http.MethodPost, "/zones", body, nil); err != nil {
		return fmt.Errorf("powerdns %s: create zone %s: %w", p.shown, origin, err)
	}
	return nil
}

// CreateZoneApex creates a Native zone whose SOA (all but the serial,
// which SOA-EDIT-API rewrites) and apex NS TTL are those of desired; the NS
// names are nameservers, else the configured ones. The zone file's apex
// NS are never taken silently: a caller that wants them passes them.
func (p *Provider) CreateZoneApex(ctx context.Context, desired *zone.Zone, nameservers []string) error {
	origin := zone.CanonicalName(desired.Origin)
	if len(nameservers) == 0 {
		nameservers = p.nameservers
	}
	if len(nameservers) == 0 {
		return fmt.Errorf("powerdns %s: create zone %s: no NS names to create it with (set nameservers)", p.shown, origin)
	}
	nsTTL := uint32(3600)
	if s := desired.Get(origin, dns.TypeNS); s != nil {
		nsTTL = s.TTL
	}
	ns := rrset{Name: origin, Type: "NS", TTL: nsTTL, Records: []record{}}
	for _, n := range nameservers {
		ns.Records = append(ns.Records, record{Content: zone.CanonicalName(n)})
	}
	body := apiZone{Name: origin, Kind: "Native", RRsets: []rrset{ns}}
	if s := desired.Get(origin, dns.TypeSOA); s != nil {
		soa := rrset{Name: origin, Type: "SOA", TTL: s.TTL, Records: []record{}}
		for _, rr := range s.RRs() {
			soa.Records = append(soa.Records, record{Content: content(rr)})
		}
		body.RRsets = append(body.RRsets, soa)
	}
	if err := p.do(ctx, http.MethodPost, "/zones", body, nil); err != nil {
		return fmt.Errorf("powerdns %s: create zone %s: %w", p.shown, origin, err)
	}
	return nil
}

// toRRset is the PATCH rrset of c, where PowerDNS holds off (the
// content of the RRset's disabled records, not served): a REPLACE sends
// them back disabled beside git's records (a PATCH replaces the RRset
// whole: without them they would go with no plan line), but for one whose
// data is among git's records, which is then served (once) as git says;
// a delete of the served records of an RRset that has disabled ones is a
// REPLACE with those alone.
func toRRset(c provider.Change, off []string) rrset {
	t := dns.Type(c.Type).String()
	if c.Action == provider.Delete {
		if len(off) == 0 {
			return rrset{Name: c.Name, Type: t, ChangeType: "DELETE", Records: []record{}}
		}
		s := rrset{Name: c.Name, Type: t, TTL: c.Old.TTL, ChangeType: "REPLACE", Records: []record{}}
		for _, d := range off {
			s.Records = append(s.Records, record{Content: d, Disabled: true})
		}
		return s
	}
	s := rrset{Name: c.Name, Type: t, TTL: c.New.TTL, ChangeType: "REPLACE", Records: []record{}}
	rrs := c.New.RRs()
	sent := map[string]bool{}
	for _, rr := range rrs {
		s.Records = append(s.Records, record{Content: content(rr)})
		sent[content(rr)] = true
	}
	for _, d := range off {
		if sent[d] || servedAs(c.Name, t, d, rrs) {
			continue
		}
		s.Records = append(s.Records, record{Content: d, Disabled: true})
	}
	return s
}

// servedAs reports whether the disabled record of that content holds the
// data of one of rrs (git's records of its RRset).
func servedAs(name, typ, content string, rrs []dns.RR) bool {
	got, err := rrsetRRs(rrset{Name: name, Type: typ, Records: []record{{Content: content}}})
	if err != nil || len(got) != 1 {
		return false
	}
	for _, rr := range rrs {
		if dns.IsDuplicate(got[0], rr) {
			return true
		}
	}
	return false
}

// Apply sends the changes as PATCH requests of up to MaxBatch RRsets
// (provider.Packer), all changes of one owner name in the same PATCH (a
// delete travels with the add it makes room for). A PATCH is all or
// nothing at the server; the first that fails stops the push and the
// error names the RRsets in it.
func (p *Provider) Apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater) (provider.Result, error) {
	origin = zone.CanonicalName(origin)
	var res provider.Result
	off, err := p.disabledOf(ctx, origin)
	if err != nil {
		return res, fmt.Errorf("powerdns %s: zone %s: reading its disabled records, which a PATCH must send back (nothing was sent): %w", p.base, origin, err)
	}
	defer func() {
		p.mu.Lock()
		delete(p.disabled, origin) // stale now
		p.mu.Unlock()
	}()
	batches, _ := provider.Packer[rrset]{Limits: []int{p.batch}, Ops: func(c provider.Change) (rrset, []int, error) {
		return toRRset(c, off[c.Key()]), []int{1}, nil
	}}.Pack(cs)
	for i, b := range batches {
		body := apiZone{RRsets: b.Ops}
		res.Requests++
		if err := p.do(ctx, http.MethodPatch, zonePath(origin), body, nil); err != nil {
			return res, fmt.Errorf("powerdns %s: PATCH zone %s (batch %d of %d, %d RRsets: %s): %w",
				p.shown, origin, i+1, len(batches), len(b.Changes), culprit(err, b.Changes), err)
		}
		res.Done(task, b.Changes...)
	}
	return res, nil
}

// culprit names the RRsets of a failed batch: the one PowerDNS names in
// its error text when it does, else the batch (up to 5).
func culprit(err error, b []provider.Change) string {
	var ae *apiError
	if errors.As(err, &ae) {
		text := strings.ToLower(ae.Text)
		for _, c := range b {
			n, t := c.Name, strings.ToLower(dns.Type(c.Type).String())
			if strings.Contains(text, n+"/"+t) || strings.Contains(text, n+" in "+t+":") || strings.Contains(text, n+" in "+t+" ") {
				return "failed RRset " + c.Name + " " + dns.Type(c.Type).String()
			}
		}
	}
	return "RRsets " + provider.Describe(b, 5)
}
