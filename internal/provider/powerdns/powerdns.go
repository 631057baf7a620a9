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
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

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
	// secondaries are, per zone, why a push must not change it (a
	// secondary zone: secondary), from the last listing; "" when it may.
	secondaries map[string]string

	// sleep waits between attempts (tests record the waits).
	sleep func(ctx context.Context, d time.Duration) error
	// backoff is the first retry's wait; each next one doubles it.
	backoff time.Duration
}

// Capabilities of PowerDNS 4.7.
func (p *Provider) Capabilities() provider.Capabilities {
	return provider.Capabilities{LongTXT: true, UnknownTypes: true, MaxBatch: p.batch, CreateZone: true, CheckName: checkName, CheckDeleteName: checkDeleteName, Check: check,
		ZoneReadOnly: p.secondaryOf}
}
