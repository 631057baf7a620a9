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
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Provider talks to Route 53 for one set of credentials.
type Provider struct {
	client      *r53.Client
	pageSize    int32
	maxRecords  int
	maxChars    int
	poll        time.Duration
	syncTimeout time.Duration
	// pol is the retry policy (its backoff for a batch refused while
	// another writer's change is processed: othersChange).
	pol httpretry.Policy

	// zones are the hosted zones found, by the configured zone_id
	// (found by name when there is none), with the configured nameservers.
	zones provider.Zones[hostedZone]

	mu sync.Mutex
	// paged are the public zones by name on the pages of
	// ListHostedZonesByName read so far (not read one by one yet), each
	// with its id and count as the page gave them; a name whose id is ""
	// is looked up (several public zones of it seen, or zones of it on
	// the next page).
	paged map[string]hostedZone
	// lookupMu is held while a name is looked up (zoneByName): zones
	// planned at once that fall on the page being read wait for it.
	lookupMu sync.Mutex
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

// RequestsPerSecond is Route 53's sustained API request rate per account:
// "Throttling for Amazon Route 53 API requests"
// (docs.aws.amazon.com/Route53/latest/DeveloperGuide/
// throttling-api-requests.html) gives a token bucket per account, "All
// Amazon Route 53 API operations combined (account level)", of maximum
// capacity BucketCapacity refilled at 10 a second (5 before July 2026),
// and one per operation of the same size for the operations the provider
// calls (none is listed apart); a request past either is answered HTTP
// 400, Throttling, "Rate exceeded".
const RequestsPerSecond = 10

// BucketCapacity is the account bucket's maximum capacity (its burst).
const BucketCapacity = 50

// Limits keep within that bucket whatever the account's other clients
// (the console, other tools) take of it: never more than RequestsPerSecond
// in any second, each request counted until its answer (one sent on time
// may reach the API late), and a bucket of as many refilled as fast. In
// any d at most RequestsPerSecond·(d+1) reach the API, 40 under the
// BucketCapacity + RequestsPerSecond·d the bucket lets through: those
// 40 tokens are left to the account's other clients. A Throttling answer
// still pauses the account a second (register.go).
var Limits = httpretry.Limits{PerSecond: RequestsPerSecond, Burst: RequestsPerSecond, Count: RequestsPerSecond, Window: time.Second}

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

// RecordPageSizes are the maxitems ListResourceRecordSets takes: at
// least 1, and "ListResourceRecordSets returns up to 300 resource record
// sets at a time" (aws-sdk-go-v2 service/route53,
// api_op_ListResourceRecordSets.go; the Route 53 API Reference): asked
// for more, a page holds 300.
var RecordPageSizes = provider.PageSizes{Least: 1, Most: 300, Doc: "ListResourceRecordSets returns up to 300 resource record sets at a time"}

// SetPageSize sets maxitems of record set listings: one of
// RecordPageSizes, else an error naming them, the page size unchanged.
func (p *Provider) SetPageSize(n int) error {
	if err := RecordPageSizes.Check("route53", n); err != nil {
		return err
	}
	p.pageSize = int32(n)
	return nil
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
	return provider.Capabilities{Types: supported, LongTXT: true, MaxBatch: p.maxRecords, Check: p.check}
}

// check says why Route 53 cannot hold s ("" when it can): the checks of
// each record (check), an RRset of more records than a record set holds,
// and an RRset too large for the UPSERT that creates
// or replaces it, whose ResourceRecord elements and Value characters
// count twice against one change batch's limits ("Quotas", Maximums on
// API requests: "When the value of the Action element is UPSERT, each
// ResourceRecord element is counted twice", and each character of a
// Value: docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html).
// Apply would refuse the whole push with nothing sent.
func (p *Provider) check(s *zone.RRSet) string {
	if why := check(s); why != "" {
		return why
	}
	if n := len(s.Records); n > maxInSet {
		return fmt.Sprintf("an RRset of %d records; Route 53 holds at most %d records in a record set", n, maxInSet)
	}
	up := types.Change{Action: types.ChangeActionUpsert, ResourceRecordSet: &types.ResourceRecordSet{ResourceRecords: values(s)}}
	if r, n := cost([]types.Change{up}); r > p.maxRecords || n > p.maxChars {
		return fmt.Sprintf("the RRset's UPSERT counts %d records and %d value characters (each counted twice), over one change batch's %d and %d", r, n, p.maxRecords, p.maxChars)
	}
	return ""
}
