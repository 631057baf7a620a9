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
	"sync"
	"sync/atomic"

	"gopkg.in/ns1/ns1-go.v2/rest"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
)

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
	// parallel is how many write calls a push has under way at once (0:
	// Writers).
	parallel int

	mu sync.Mutex
	// secondaries are, by zone read (canonical), why NS1 takes no record
	// changes to it: a secondary zone (secondary); "" for a primary one.
	secondaries map[string]string
}

// Capabilities: NS1's record types as this provider maps them; a zone
// read as a secondary takes no changes (ZoneReadOnly).
func (p *Provider) Capabilities() provider.Capabilities {
	return provider.Capabilities{Types: supported, LongTXT: true, MaxBatch: 1, MinTTL: minTTL, CheckName: checkName, Check: check,
		NoApexSOA:    "NS1 keeps the SOA in the zone's settings, which push does not change: set the zone's ttl, refresh, retry, expiry and nx_ttl in the NS1 portal or with POST /v1/zones/ZONE",
		ZoneReadOnly: p.secondaryOf}
}

// secondaryOf is why NS1 takes no record changes to zone origin, as the
// last reading of it found ("" when it does, or was not read).
func (p *Provider) secondaryOf(origin string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.secondaries[origin]
}
