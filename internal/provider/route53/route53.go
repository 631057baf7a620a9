// Package route53 is a provider for Amazon Route 53 hosted zones, through
// the official aws-sdk-go-v2: it finds the public hosted zone by name (or
// zone_id), lists its record sets page by page, and applies a plan with
// ChangeResourceRecordSets, each call one atomic change batch within the
// documented limits (1,000 records, 32,000 value characters, an UPSERT
// counted twice), then waits for the change to be INSYNC.
//
// Config (dnsparity.yaml):
//
//	type: route53
//	zone_id: Z0123456789ABCDEFGHIJ    # optional: else found by name
//	region: us-east-1                 # optional
//	access_key_id_env: AWS_ACCESS_KEY_ID_OLD        # optional: else the
//	secret_access_key_env: AWS_SECRET_ACCESS_KEY_OLD # standard AWS chain
//	url: https://route53.amazonaws.com   # optional; AWS_ENDPOINT_URL_ROUTE_53 works too
//
// It is tested against an httptest server that follows the documented
// REST/XML API shapes (r53test), not against AWS.
package route53

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/awsconf"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.Register[Settings]("route53", func(cfg *config.Provider) (*Provider, error) { return New(context.Background(), cfg) })
}

// Provider talks to Route 53 for one set of credentials.
type Provider struct {
	client      *r53.Client
	pageSize    int32
	maxRecords  int
	maxChars    int
	poll        time.Duration
	syncTimeout time.Duration

	// zones are the hosted zones found, by the configured zone_id
	// (found by name when there is none), with the configured nameservers.
	zones provider.Zones[hostedZone]

	mu sync.Mutex
	// paged are the ids of public zones by name on the pages of
	// ListHostedZonesByName read so far (not read one by one yet); a name
	// whose id is "" is looked up (several public zones of it seen, or
	// zones of it on the next page).
	paged map[string]string
	// choice chooses among several public hosted zones of one name
	// (lookup).
	choice provider.ZoneChoice
	// listed keeps the record sets of the last listing, exactly as Route
	// 53 gave them: a DELETE must repeat the current values. held keeps
	// the others (alias, routing-policy and traffic-policy sets, which
	// Records leaves out) by name and type, all of each: a replace over
	// an alias DELETEs it as listed, and no change writes over one the
	// plan did not show.
	listed map[string]map[zone.Key]types.ResourceRecordSet
	held   map[string]map[zone.Key][]types.ResourceRecordSet

	// limiter keeps to Route 53's five API requests per second per
	// account, shared by every provider of the account in the process.
	limiter *httpretry.Limiter

	// ListingReader reads the zone from one listing: Records (zoneOf),
	// Features and Read (provider.Reader). Alias record sets and
	// routing-policy record sets have no zone-file form: Records leaves
	// them out and Features reports them.
	provider.ListingReader[types.ResourceRecordSet]

	requests atomic.Int64 // HTTP requests, retries included
	writes   atomic.Int64 // ChangeResourceRecordSets calls
}

type hostedZone struct {
	id, name    string // name as a zone file writes it
	nameservers []string
	count       int64 // its ResourceRecordSetCount when read
}

// RequestsPerSecond is Route 53's API rate limit per account ("Quotas on
// API requests": five requests per second); the provider never sends
// faster (retries included).
const RequestsPerSecond = 5

// Limits are Route 53's as a bucket: one token, refilled 4 times a
// second, never lets more than 5 requests through in any second; and as
// the API counts them: never 6 in a second, each request counted until
// its answer (one sent on time may reach the API late).
var Limits = httpretry.Limits{PerSecond: RequestsPerSecond - 1, Burst: 1, Count: RequestsPerSecond, Window: time.Second}

// Settings are route53's own keys under providers.NAME: the API's
// endpoint (default: the SDK's, or AWS_ENDPOINT_URL_ROUTE_53), the
// hosted zone's id (default: found by name), the region of the signing
// scope (default us-east-1) and, optionally, static keys by variable
// name; without them the standard AWS credential chain is used
// (environment, shared files, web identity for GitHub OIDC, ...).
type Settings struct {
	URL        string `yaml:"url"`
	ZoneID     string `yaml:"zone_id"`
	config.AWS `yaml:",inline"`
}

// New makes a provider. ctx bounds loading the AWS configuration only.
func New(ctx context.Context, cfg *config.Provider) (*Provider, error) {
	return NewWithRetry(ctx, cfg, httpretry.Default)
}

// NewWithRetry makes a provider with its own retry policy (tests shorten
// the waits).
func NewWithRetry(ctx context.Context, cfg *config.Provider, pol httpretry.Policy) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	if st.URL != "" {
		if _, _, err := provider.APIBase("route53", st.URL, ""); err != nil {
			return nil, err
		}
	}
	ac, err := awsconf.Load(ctx, st.AWS, pol)
	if err != nil {
		return nil, fmt.Errorf("route53: %w", err)
	}
	p := &Provider{
		pageSize:    300,
		maxRecords:  MaxRecords,
		maxChars:    MaxValueChars,
		poll:        5 * time.Second,
		syncTimeout: 10 * time.Minute,
		paged:       map[string]string{},
		listed:      map[string]map[zone.Key]types.ResourceRecordSet{},
		held:        map[string]map[zone.Key][]types.ResourceRecordSet{},
	}
	p.choice = provider.ZoneChoice{Type: "route53", Noun: "public hosted zone", IDKey: "zone_id", Delegation: cfg.Delegation}
	p.zones = provider.Zones[hostedZone]{Type: "route53", ID: strings.TrimPrefix(st.ZoneID, "/hostedzone/"), Configured: cfg.Nameservers,
		ByID: p.hostedZone, ByName: p.zoneByName, Reread: func(ctx context.Context, hz hostedZone) (hostedZone, error) { return p.zoneAt(ctx, hz.id, hz.name) },
		Name: func(hz hostedZone) string { return hz.name }, Servers: func(hz hostedZone) []string { return hz.nameservers }}
	// One budget per account: the access key when configured, else the
	// credential chain's (one account per process and endpoint).
	account := "default credential chain"
	if k := st.AccessKeyID.Value(); k != "" {
		account = k
	}
	p.limiter = httpretry.Account("route53", st.URL, account, Limits)
	p.client = r53.NewFromConfig(ac, func(o *r53.Options) {
		if st.URL != "" {
			o.BaseEndpoint = aws.String(strings.TrimRight(st.URL, "/"))
		}
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("dnsparityCount",
				func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
					done, err := p.limiter.Wait(ctx, "")
					if err != nil {
						return middleware.FinalizeOutput{}, middleware.Metadata{}, err
					}
					p.requests.Add(1)
					if n, ok := ctx.Value(triesKey{}).(*int64); ok {
						*n++
					}
					out, md, err := next.HandleFinalize(ctx, in)
					done()
					var ae smithy.APIError
					if errors.As(err, &ae) && (ae.ErrorCode() == "Throttling" || ae.ErrorCode() == "ThrottlingException") {
						// The whole account waits a second, not only this
						// request's retry.
						p.limiter.Throttled(time.Second) // capped by SetRateLimit's limiter
					}
					return out, md, err
				}), middleware.After)
		})
	})
	p.ListingReader = provider.ListingReader[types.ResourceRecordSet]{List: p.list, ZoneOf: p.zoneOf, FeaturesOf: features}
	return p, nil
}

// triesKey carries a counter of the HTTP tries of one call.
type triesKey struct{}

// withTries counts the tries (retries included) of the calls made with the
// context in n.
func withTries(ctx context.Context, n *int64) context.Context {
	return context.WithValue(ctx, triesKey{}, n)
}

// SetLimits sets the most records and value characters of one change
// batch (defaults: Route 53's 1,000 and 32,000).
func (p *Provider) SetLimits(records, chars int) {
	if records > 0 {
		p.maxRecords = records
	}
	if chars > 0 {
		p.maxChars = chars
	}
}

// SetRateLimit gives this provider a limiter of its own at perSec
// (tests); by default every provider of one account shares the account's.
func (p *Provider) SetRateLimit(perSec float64, burst int) {
	p.SetLimiter(httpretry.NewLimiter(httpretry.Limits{PerSecond: perSec, Burst: burst}))
	p.limiter.SetMax(min(time.Second, time.Duration(float64(5*time.Second)/perSec)))
}

// SetLimiter makes the provider draw from l (tests; or several providers
// of one account made apart, which Account already joins).
func (p *Provider) SetLimiter(l *httpretry.Limiter) {
	p.limiter = l
}

// Limiter is the account's API budget this provider draws from.
func (p *Provider) Limiter() *httpretry.Limiter { return p.limiter }

// SetPageSize sets maxitems of listings (Route 53 allows up to 300).
func (p *Provider) SetPageSize(n int32) {
	if n > 0 {
		p.pageSize = n
	}
}

// SetSyncPoll sets how often and how long Apply waits for INSYNC.
func (p *Provider) SetSyncPoll(every, timeout time.Duration) {
	p.poll, p.syncTimeout = every, timeout
}

// Requests is the number of HTTP requests sent; Writes the change batches.
func (p *Provider) Requests() int64 { return p.requests.Load() }
func (p *Provider) Writes() int64   { return p.writes.Load() }

// Capabilities of Route 53 (MaxBatch: records per change batch).
func (p *Provider) Capabilities() provider.Capabilities {
	return provider.Capabilities{Types: supported, LongTXT: true, MaxBatch: p.maxRecords, Check: check}
}

// wrap turns an SDK error into one that says what failed, with the
// provider's sentinel errors (never the signed request), and the API's
// messages (awsconf.Message; awsconf's HTTP client took the run's secrets
// out of the error answer they come from).
func (p *Provider) wrap(what string, err error) error {
	code := awsconf.Code(err)
	msg := awsconf.Message(err)
	switch {
	case code == "" && awsconf.NoCredentials(err):
		return fmt.Errorf("route53: %s: %w: %s", what, provider.ErrAuth, awsconf.NoCredentialsHelp)
	case awsconf.AuthCodes[code]:
		return provider.AuthError("route53: %s: credentials refused (%s)", what, msg)
	case code == "NoSuchHostedZone":
		return fmt.Errorf("route53: %s: %w (%s)", what, provider.ErrZoneNotFound, msg)
	case code == "":
		var oe interface{ Operation() string }
		if errors.As(err, &oe) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("route53: %s: %w: %s", what, provider.ErrUnavailable, msg)
		}
	}
	var icb *types.InvalidChangeBatch
	if errors.As(err, &icb) && len(icb.Messages) > 0 {
		msg = "InvalidChangeBatch: " + strings.Join(icb.Messages, "; ")
	}
	return fmt.Errorf("route53: %s: %w", what, &sdkError{msg, err})
}

// sdkError shows a short message and keeps the SDK error for errors.As.
type sdkError struct {
	msg string
	err error
}

func (e *sdkError) Error() string { return e.msg }
func (e *sdkError) Unwrap() error { return e.err }

// hostedZone reads the hosted zone of an id as it is now (GetHostedZone):
// its name, name servers and the count of its record sets.
func (p *Provider) hostedZone(ctx context.Context, id string) (hostedZone, error) {
	out, err := p.client.GetHostedZone(ctx, &r53.GetHostedZoneInput{Id: aws.String(id)})
	if err != nil {
		return hostedZone{}, p.wrap("hosted zone "+id, err)
	}
	hz := hostedZone{id: id, name: fromAPIName(aws.ToString(out.HostedZone.Name)), count: aws.ToInt64(out.HostedZone.ResourceRecordSetCount)}
	if out.DelegationSet != nil {
		hz.nameservers = out.DelegationSet.NameServers
	}
	return hz, nil
}

// zoneAt reads the hosted zone of an id that must be origin's.
func (p *Provider) zoneAt(ctx context.Context, id, origin string) (hostedZone, error) {
	hz, err := p.hostedZone(ctx, id)
	if err == nil && hz.name != origin {
		return hostedZone{}, fmt.Errorf("route53: zone_id %s is %s, not %s: %w", id, hz.name, origin, provider.ErrZoneNotFound)
	}
	return hz, err
}

// zoneByName reads the public hosted zone of origin: its id is the one
// on a page of ListHostedZonesByName read for an earlier zone (100 zones
// a page in name order: zones worked on in order cost one lookup per
// page, not one each), else looked up.
func (p *Provider) zoneByName(ctx context.Context, origin string) (hostedZone, error) {
	p.mu.Lock()
	id := p.paged[origin]
	p.mu.Unlock()
	if id == "" {
		return p.lookup(ctx, origin)
	}
	hz, err := p.zoneAt(ctx, id, origin)
	if errors.Is(err, provider.ErrZoneNotFound) {
		// The page is older than the zone (deleted, made again): look
		// the name up.
		p.mu.Lock()
		delete(p.paged, origin)
		p.mu.Unlock()
		return p.lookup(ctx, origin)
	}
	return hz, err
}

// lookup reads the public hosted zone of that name: every hosted zone of
// it (ListHostedZonesByName from the name on), the one
// provider.ZoneChoice chooses (private hosted zones never: they answer
// only inside their VPCs, never the public delegation; of several public
// ones, the one whose name servers are the configured delegation's,
// else an error naming each for zone_id to choose), read once
// (GetHostedZone). It remembers the public zone of every other name on
// the pages read: paged holds its id, or "" for a name that must be
// looked up (several public zones of it seen, or its zones running on
// past the page).
func (p *Provider) lookup(ctx context.Context, origin string) (hostedZone, error) {
	name, marker := aws.String(apiName(origin)), (*string)(nil)
	var cands []provider.ZoneCandidate
	for {
		out, err := p.client.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{
			DNSName: name, HostedZoneId: marker, MaxItems: aws.Int32(zonesPerPage)})
		if err != nil {
			return hostedZone{}, p.wrap("find hosted zone "+origin, err)
		}
		past := false
		p.mu.Lock()
		for _, z := range out.HostedZones {
			name := fromAPIName(aws.ToString(z.Name))
			zid := strings.TrimPrefix(aws.ToString(z.Id), "/hostedzone/")
			private := z.Config != nil && z.Config.PrivateZone
			if name == origin && !slices.ContainsFunc(cands, func(c provider.ZoneCandidate) bool { return c.ID == zid }) {
				cands = append(cands, provider.ZoneCandidate{ID: zid, Name: name, Active: !private, Private: private})
			}
			if name != origin {
				past = true // sorted by name: past it
			}
			if private {
				continue
			}
			if first, seen := p.paged[name]; !seen {
				p.paged[name] = zid
			} else if first != zid {
				p.paged[name] = "" // several: looked up
			}
		}
		if out.IsTruncated {
			// The next page starts with a zone of this name: those of
			// it on this page may not be all (a name is one zone only
			// when a lookup of it saw every zone of it).
			p.paged[fromAPIName(aws.ToString(out.NextDNSName))] = ""
		}
		p.mu.Unlock()
		if past || !out.IsTruncated {
			break
		}
		// The next page as the API names it: NextDNSName with
		// NextHostedZoneId, the pair ListHostedZonesByName documents.
		name, marker = out.NextDNSName, out.NextHostedZoneId
	}
	public := 0
	for _, c := range cands {
		if !c.Private {
			public++
		}
	}
	if public == 1 {
		c, err := p.choice.Choose(ctx, origin, cands)
		if err != nil {
			return hostedZone{}, err
		}
		return p.zoneAt(ctx, c.ID, origin)
	}
	// Several public zones: the choice needs the name servers of each
	// (GetHostedZone; ListHostedZonesByName shows none), and the one
	// chosen is read already.
	read := map[string]hostedZone{}
	for i, c := range cands {
		if c.Private {
			continue
		}
		hz, err := p.hostedZone(ctx, c.ID)
		if err != nil {
			return hostedZone{}, err
		}
		read[c.ID], cands[i].Servers = hz, hz.nameservers
	}
	c, err := p.choice.Choose(ctx, origin, cands)
	if err != nil {
		return hostedZone{}, err
	}
	return read[c.ID], nil
}

// ZoneNames lists the public hosted zones of these credentials from one
// request (provider.ZoneLister): the first page of ListHostedZonesByName,
// 100 zones, the most a page holds ("If you specify a value greater than
// 100, Route 53 returns only the first 100 hosted zones", MaxItems, Route
// 53 API Reference, ListHostedZonesByName), the private ones left out,
// canonical, in the API's order (provider.Listed).
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	page, err := p.client.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{MaxItems: aws.Int32(zonesPerPage)})
	if err != nil {
		return nil, p.wrap("list hosted zones", err)
	}
	public := slices.DeleteFunc(page.HostedZones, func(z types.HostedZone) bool { return z.Config != nil && z.Config.PrivateZone })
	return provider.Listed(public, func(z types.HostedZone) string { return fromAPIName(aws.ToString(z.Name)) }), nil
}

// zonesPerPage is the most hosted zones a page of ListHostedZonesByName
// holds.
const zonesPerPage = 100

// list reads every record set, page by page (the SDK's paginator follows
// IsTruncated and the Next* markers), and checks the listing against the
// hosted zone's ResourceRecordSetCount read just before: a listing that
// comes back short is an error, never a smaller zone.
func (p *Provider) list(ctx context.Context, origin string) ([]types.ResourceRecordSet, error) {
	// The count the listing is checked against, read just before it (the
	// same request finds the zone the first time).
	hz, err := p.zones.Read(ctx, origin)
	if err != nil {
		return nil, err
	}
	want := hz.count
	pg := r53.NewListResourceRecordSetsPaginator(p.client, &r53.ListResourceRecordSetsInput{
		HostedZoneId: aws.String(hz.id), MaxItems: aws.Int32(p.pageSize)})
	l := provider.Listing[types.ResourceRecordSet]{What: "route53: zone " + origin + ": list record sets", Unit: "record sets",
		Count: "the hosted zone's ResourceRecordSetCount", Key: func(rs types.ResourceRecordSet) string {
			return aws.ToString(rs.Name) + " " + string(rs.Type) + " " + aws.ToString(rs.SetIdentifier)
		}}
	for n := 1; pg.HasMorePages(); n++ {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, p.wrap("list record sets of "+origin, err)
		}
		if page.IsTruncated && int32(len(page.ResourceRecordSets)) < p.pageSize {
			return nil, fmt.Errorf("route53: zone %s: list record sets: page %d holds %d record sets at maxitems %d and says IsTruncated: the listing is incomplete; nothing was concluded from it, try again", origin, n, len(page.ResourceRecordSets), p.pageSize)
		}
		if err := l.Add(n, page.ResourceRecordSets, int(want)); err != nil {
			return nil, err
		}
	}
	return l.Whole()
}

// plain reports whether a record set has a zone-file form: not an alias,
// not one answer of a routing policy, not a traffic policy's.
func plain(rs types.ResourceRecordSet) bool {
	return rs.AliasTarget == nil && rs.SetIdentifier == nil && rs.TrafficPolicyInstanceId == nil
}

// zoneOf is the zone in its listing.
func (p *Provider) zoneOf(origin string, sets []types.ResourceRecordSet) (*zone.Zone, error) {
	var rrs []dns.RR
	byKey := map[zone.Key]types.ResourceRecordSet{}
	held := map[zone.Key][]types.ResourceRecordSet{}
	for _, rs := range sets {
		if !plain(rs) {
			if t, ok := dns.StringToType[string(rs.Type)]; ok {
				k := zone.Key{Name: zone.CanonicalName(fromAPIName(aws.ToString(rs.Name))), Type: t}
				held[k] = append(held[k], rs)
			}
			continue
		}
		got, err := toRRs(rs)
		if err != nil {
			continue // Features reports it as unrepresentable
		}
		rrs = append(rrs, got...)
		if len(got) > 0 {
			h := got[0].Header()
			byKey[zone.Key{Name: zone.CanonicalName(h.Name), Type: h.Rrtype}] = rs
		}
	}
	z, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, fmt.Errorf("route53: zone %s: %w", origin, err)
	}
	p.mu.Lock()
	p.listed[origin], p.held[origin] = byKey, held
	p.mu.Unlock()
	return z, nil
}

// No SubZones (provider.SubZoneLister): ListHostedZones could list the
// account's hosted zones, but a hosted zone below another one never
// shares its name servers: "Two hosted zones that have the same name or
// that have a parent/child relationship (example.com and test.example.com)
// can't have any common name servers" (CreateHostedZone refuses it,
// ConflictingDomainExists; Route 53 API Reference, docs.aws.amazon.com/
// Route53/latest/APIReference/API_CreateHostedZone.html, DelegationSetId:
// "If you are using a reusable delegation set to create a public hosted
// zone for a subdomain, make sure that the parent hosted zone doesn't use
// one or more of the same name servers"). The parent's servers never
// answer from the child, a reusable delegation set or not: its names are
// reached only through NS records in the parent, which the listing shows
// and the completeness gates count.

// Nameservers are the configured ones, else the hosted zone's delegation
// set.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return p.zones.Nameservers(ctx, origin)
}
