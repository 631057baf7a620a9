// Package ns1 is a provider for NS1 (IBM NS1 Connect), through its
// official Go SDK (gopkg.in/ns1/ns1-go.v2): it reads the zone with its
// record summaries (GET /v1/zones/:zone, following the Link header's next
// pages), and applies a plan one record (RRset) per call: PUT creates,
// POST replaces the answers (keeping the metadata of answers that stay),
// DELETE removes; NS1 has no call that changes several records short of
// replacing the zone. The X-Ratelimit-Limit / -Remaining / -Period headers
// pace requests per endpoint family (reads and writes of each top-level
// resource), and 429 and 5xx answers are retried within a bounded policy.
//
// Config (dnsparity.yaml):
//
//	type: ns1
//	api_key_env: NS1_API_KEY
//	url: https://api.nsone.net/v1     # optional (private deployment, proxy, test server)
//
// It is tested against an httptest server that follows the documented API
// shapes (ns1test), not against NS1 itself.
package ns1

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
	"gopkg.in/ns1/ns1-go.v2/rest"
	nsdns "gopkg.in/ns1/ns1-go.v2/rest/model/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.Register[Settings]("ns1", func(cfg *config.Provider) (*Provider, error) { return New(cfg, nil) })
}

// DefaultURL is NS1's API endpoint.
const DefaultURL = "https://api.nsone.net/v1"

// Provider talks to the NS1 API for one API key.
type Provider struct {
	client      *rest.Client
	https       bool
	nameservers []string
	pageSize    int // records a zone page asks for (0: the API's default)
	// pace holds the retry policy and the account's limiter that bound
	// and pace the SDK's requests (call, doer).
	pace httpretry.Client

	writes atomic.Int64
}

// Settings are ns1's own keys under providers.NAME: the API (url,
// api_key_env).
type Settings struct {
	provider.APISettings `yaml:",inline"`
}

// New makes a provider; hc nil means a default HTTP client.
func New(cfg *config.Provider, hc *http.Client) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	base, u, err := provider.APIBase("ns1", st.URL, DefaultURL)
	if err != nil {
		return nil, err
	}
	if st.APIKey.Value() == "" {
		return nil, errors.New("ns1: no API key (set api_key_env to the name of the variable holding it)")
	}
	hc = provider.HTTPClient(hc, st.APIKey.Value())
	p := &Provider{https: u.Scheme == "https", nameservers: cfg.Nameservers,
		pace: httpretry.Client{Policy: httpretry.Default, Limiter: httpretry.Account("ns1", base, st.APIKey.Value(), Limits)}}
	p.client = rest.NewClient(&doer{hc: hc, p: p},
		rest.SetAPIKey(st.APIKey.Value()),
		rest.SetEndpoint(base+"/"),
		rest.SetUserAgent("dnsparity"),
		rest.SetFollowPagination(false)) // followed here, with the context
	return p, nil
}

// Limits: NS1 documents no fixed rate for the account; it announces each
// endpoint family's budget in X-Ratelimit-Limit / -Remaining / -Period,
// which pace requests (Limiter.Observe). The bucket only keeps a burst of
// many zones from outrunning the first answers' headers.
var Limits = httpretry.Limits{PerSecond: 20, Burst: 20}

// SetRetry sets the retry policy (tests shorten the waits).
func (p *Provider) SetRetry(r httpretry.Policy) { p.pace.SetRetry(r) }

// SetPageSize sets the records one zone page asks for (limit=); 0 leaves
// it to NS1.
func (p *Provider) SetPageSize(n int) { p.pageSize = max(n, 0) }

// SetRateLimit gives this provider a limiter of its own (tests); by
// default every provider of one API key shares the account's.
func (p *Provider) SetRateLimit(l httpretry.Limits) { p.pace.SetRateLimit(l) }

// Limiter is the account's API budget this provider draws from.
func (p *Provider) Limiter() *httpretry.Limiter { return p.pace.Limiter }

// Writes is the number of write requests sent (tries included).
func (p *Provider) Writes() int64 { return p.writes.Load() }

// Capabilities: NS1's record types as this provider maps them.
func (p *Provider) Capabilities() provider.Capabilities {
	return provider.Capabilities{Types: supported, LongTXT: true, MaxBatch: 1, CheckName: checkName, Check: check,
		NoApexSOA: "NS1 keeps the SOA in the zone's settings, which push does not change: set the zone's ttl, refresh, retry, expiry and nx_ttl in the NS1 portal or with POST /v1/zones/ZONE"}
}

// family is the rate-limit family of a request: reads or writes of one
// top-level resource (zones, …).
func family(r *http.Request) string {
	seg := strings.TrimPrefix(r.URL.Path, "/")
	if i := strings.Index(seg, "v1/"); i >= 0 {
		seg = seg[i+3:]
	}
	seg, _, _ = strings.Cut(seg, "/")
	if r.Method == http.MethodGet {
		return "read " + seg
	}
	return "write " + seg
}

// doer is the SDK's HTTP client: it waits on the family's budget before
// a request and reads the rate-limit headers of its answer.
type doer struct {
	hc *http.Client
	p  *Provider
}

func (d *doer) Do(r *http.Request) (*http.Response, error) {
	fam := family(r)
	done, err := d.p.pace.Limiter.Wait(r.Context(), fam)
	if err != nil {
		return nil, err
	}
	if r.Method != http.MethodGet {
		d.p.writes.Add(1)
	}
	resp, err := d.hc.Do(r)
	defer done() // answered, its headers observed
	if err != nil {
		return nil, err
	}
	if rem, err := strconv.Atoi(resp.Header.Get("X-Ratelimit-Remaining")); err == nil {
		limit, _ := strconv.Atoi(resp.Header.Get("X-Ratelimit-Limit"))
		period, _ := strconv.Atoi(resp.Header.Get("X-Ratelimit-Period"))
		d.p.pace.Limiter.Observe(fam, limit, rem, time.Duration(period)*time.Second)
	}
	return resp, nil
}

// call sends one request through the SDK, retrying 429 and 5xx answers
// (and lost answers of reads) within the policy; out receives the JSON
// answer. It returns the tries and the last answer's headers.
func (p *Provider) call(ctx context.Context, method, path string, body, out any) (int, http.Header, error) {
	what := method + " " + strings.SplitN(path, "?", 2)[0]
	for attempt := 1; ; attempt++ {
		req, err := p.client.NewRequest(method, path, body)
		if err != nil {
			return attempt - 1, nil, fmt.Errorf("%s: %w", what, err)
		}
		resp, err := p.client.Do(req.WithContext(ctx), out)
		if err == nil {
			return attempt, resp.Header, nil
		}
		if ctx.Err() != nil {
			return attempt, nil, ctx.Err()
		}
		var re *rest.Error
		if !errors.As(err, &re) || re.Resp == nil {
			if method == http.MethodGet && attempt < p.pace.Policy.Attempts {
				if err := httpretry.Sleep(ctx, p.pace.Policy.Delay(attempt, nil, time.Now())); err != nil {
					return attempt, nil, err
				}
				continue
			}
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return attempt, nil, fmt.Errorf("%s: %w: %v", what, provider.ErrUnavailable, err)
		}
		status := re.Resp.StatusCode
		if httpretry.Retryable(status) && attempt < p.pace.Policy.Attempts {
			delay := p.pace.Policy.Delay(attempt, re.Resp.Header, time.Now())
			if status == http.StatusTooManyRequests {
				p.pace.Limiter.Throttled(delay)
			}
			if err := httpretry.Sleep(ctx, delay); err != nil {
				return attempt, nil, err
			}
			continue
		}
		// The SDK's message is the answer's, or its whole body: the key
		// was taken out before the SDK read it (provider.HTTPClient).
		msg := re.Message
		if msg == "" {
			msg = http.StatusText(status)
		}
		switch {
		case status == http.StatusUnauthorized || status == http.StatusForbidden:
			return attempt, nil, provider.AuthError("%s: credentials refused: the API key (HTTP %d: %s)", what, status, msg)
		case status == http.StatusNotFound && strings.Contains(msg, "zone not found"):
			return attempt, nil, fmt.Errorf("%s: %w (HTTP 404: %s)", what, provider.ErrZoneNotFound, msg)
		case httpretry.Retryable(status):
			return attempt, nil, provider.StatusErrorf(status, "%s: HTTP %d after %d tries: %s", what, status, attempt, msg)
		}
		return attempt, nil, fmt.Errorf("%s: HTTP %d: %s", what, status, msg)
	}
}

// zone reads the zone with every record summary, page by page (the Link
// header's rel="next").
func (p *Provider) zone(ctx context.Context, origin string) (*nsdns.Zone, error) {
	origin = zone.CanonicalName(origin)
	var z nsdns.Zone
	path := "zones/" + url.PathEscape(apiName(origin))
	if p.pageSize > 0 {
		path += "?limit=" + strconv.Itoa(p.pageSize)
	}
	// NS1 says no total; what can be checked is checked: every page that
	// has a next one holds as many records as the first, the last no
	// more, and no record comes twice. A short page is an error, never a
	// smaller zone.
	full := 0
	l := provider.Listing[*nsdns.ZoneRecord]{What: "ns1: zone " + origin, Key: func(r *nsdns.ZoneRecord) string {
		return fmt.Sprintf("record %s %s (id %s)", r.Domain, r.Type, r.ID)
	}}
	for page := 1; path != ""; page++ {
		var part nsdns.Zone
		_, h, err := p.call(ctx, http.MethodGet, path, nil, &part)
		if err != nil {
			return nil, fmt.Errorf("ns1: zone %s (page %d): %w", origin, page, err)
		}
		if page == 1 {
			z = part
		}
		next := rest.ParseLink(h.Get("Link"), p.https).Next()
		if page == 1 {
			full = len(part.Records)
		}
		if err := pageFull(page, len(part.Records), full, next); err != nil {
			return nil, fmt.Errorf("ns1: zone %s: %w", origin, err)
		}
		if err := l.Add(page, part.Records, -1); err != nil {
			return nil, err
		}
		path = next
	}
	z.Records, _ = l.Whole() // no total to check it against
	if provider.FQDN(z.Zone) != origin {
		return nil, fmt.Errorf("ns1: zone %s: %w (the API answered for %q)", origin, provider.ErrZoneNotFound, z.Zone)
	}
	return &z, nil
}

// pageFull checks page n of a listing NS1 pages by the Link header: with
// no total to check against, every page that has a next one must hold as
// many entries (n of them) as the first (full), and the last no more.
func pageFull(page, n, full int, next string) error {
	if (next != "" && n != full) || n > full || (next != "" && full == 0) {
		return fmt.Errorf("page %d of the list holds %d entries where the pages before it held %d: the listing is incomplete (it changed while it was read?); nothing was concluded from it, try again", page, n, full)
	}
	return nil
}

// SubZones lists the account's zones strictly below origin
// (provider.SubZoneLister): GET /v1/zones ("View a list of active zones",
// developer.ibm.com/apis/catalog/ns1--ibm-ns1-connect-api; paged by the
// Link header's rel="next" past 2500 zones). NS1 serves every zone of the
// account from the account's name servers, and where it holds a zone and
// one below it, "NS1 will use the child zone for that namespace and just
// ignore the same namespace in the parent zone" ("Subdelegations and
// child zones", Scenario C, ibm.com/docs/en/ns1-connect?topic=zones-
// subdelegations-child): its servers answer for the child zone's names
// with no delegation in the parent.
func (p *Provider) SubZones(ctx context.Context, origin string) ([]string, error) {
	return provider.AllZones(p.allZones).SubZones(ctx, origin)
}

// ZoneNames lists the account's zones for a "did you mean"
// (provider.ZoneLister): the first page of GET /v1/zones (one request, up
// to 2500 zones), at most provider.MaxListedZones of it; a suggestion is
// not worth reading every page of a large account.
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	var part []*nsdns.Zone
	if _, _, err := p.call(ctx, http.MethodGet, "zones", nil, &part); err != nil {
		return nil, fmt.Errorf("ns1: list zones: %w", err)
	}
	return provider.Listed(part, func(z *nsdns.Zone) string { return z.Zone }), nil
}

// allZones is every zone of the account as GET /v1/zones lists it, every
// page, each checked as the record list is.
func (p *Provider) allZones(ctx context.Context) ([]string, error) {
	l := provider.Listing[*nsdns.Zone]{What: "ns1: list zones", Key: func(z *nsdns.Zone) string { return "zone " + z.Zone }}
	path, full := "zones", 0
	for page := 1; path != ""; page++ {
		var part []*nsdns.Zone
		_, h, err := p.call(ctx, http.MethodGet, path, nil, &part)
		if err != nil {
			return nil, fmt.Errorf("ns1: list zones (page %d): %w", page, err)
		}
		next := rest.ParseLink(h.Get("Link"), p.https).Next()
		if page == 1 {
			full = len(part)
		}
		if err := pageFull(page, len(part), full, next); err != nil {
			return nil, fmt.Errorf("ns1: list zones: %w", err)
		}
		if err := l.Add(page, part, -1); err != nil {
			return nil, err
		}
		path = next
	}
	zs, _ := l.Whole() // no total to check it against
	names := make([]string, len(zs))
	for i, z := range zs {
		names[i] = z.Zone
	}
	return names, nil
}

// ZoneListAccess: an NS1 API key lists the zones its permissions allow
// (provider.ZoneListScope).
func (p *Provider) ZoneListAccess() string {
	return "GET /v1/zones lists only the zones the NS1 API key may view (its DNS permission \"View zones\" and its zone allow and deny lists, zones_allow_by_default, zones_allow, zones_deny): a key scoped to some zones cannot see the others; in the NS1 portal (Account settings → Users & teams → API keys) give the key \"View zones\" for every zone of the account, or at least those below this one, or use a key that has it"
}

// NS1 lists a key scoped to some zones only those, without saying so, and
// gives a key no way to read its own scope: no provider.ZoneListPartial.

// Records lists the zone from its record summaries. ALIAS, URLFWD and
// linked records have no zone-file form, and a record with an answer
// dnsparity cannot read has none it knows: they are left out and
// reported by Features. A record with a filter chain is listed with all its
// answers (what it answers without filters).
func (p *Provider) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	origin = zone.CanonicalName(origin)
	z, err := p.zone(ctx, origin)
	if err != nil {
		return nil, err
	}
	return records(origin, z)
}

func records(origin string, z *nsdns.Zone) (*zone.Zone, error) {
	var rrs []dns.RR
	// The zone's SOA fields, as NS1 serves them.
	if len(z.DNSServers) > 0 && z.Hostmaster != "" {
		mbox := strings.Replace(z.Hostmaster, "@", ".", 1)
		soa := fmt.Sprintf("%s %d IN SOA %s %s %d %d %d %d %d", origin, z.TTL, provider.FQDN(z.DNSServers[0]), provider.FQDN(mbox), z.Serial, z.Refresh, z.Retry, z.Expiry, z.NxTTL)
		if rr, err := dns.NewRR(soa); err == nil {
			rrs = append(rrs, rr)
		}
	}
	for _, r := range z.Records {
		if omitted(r) {
			continue
		}
		got, err := answers(r)
		if err != nil {
			continue // Features reports it as unrepresentable
		}
		rrs = append(rrs, got...)
	}
	out, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, fmt.Errorf("ns1: zone %s: %w", origin, err)
	}
	return out, nil
}

// answers reads every answer of a record (an NS1 record is an RRset): an
// answer it cannot read makes the whole record unreadable, so no plan
// replaces or deletes the answers it could read along with it.
func answers(r *nsdns.ZoneRecord) ([]dns.RR, error) {
	out := make([]dns.RR, 0, len(r.ShortAns))
	for _, a := range r.ShortAns {
		rr, err := toRR(r.Domain, r.Type, r.TTL, a)
		if err != nil {
			return nil, err
		}
		out = append(out, rr)
	}
	return out, nil
}

// Nameservers are the configured ones, else the zone's assigned
// dns_servers.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.Nameservers(ctx, p.nameservers, func(ctx context.Context) ([]string, error) {
		z, err := p.zone(ctx, origin)
		if err != nil {
			return nil, err
		}
		return z.DNSServers, nil
	})
}
