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
	"sync"
	"sync/atomic"
	"time"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// ImportJobAt is the size of a records-import that ClouDNS runs as a
// background job ("If the records you are trying to import are equal or
// above 100, a job for the import will be created", API help, "Import
// records"): its records appear later, so push waits for them.
const ImportJobAt = 100

var _ provider.Guarded = (*Provider)(nil)

// Provider talks to the ClouDNS API for one API user.
type Provider struct {
	base     string
	authKey  string // "auth-id" or "sub-auth-id"
	authID   string
	password string
	// own are the password and the credentials the url: carries
	// (provider.Credentials): what a 2xx answer's text is read without
	// (an error answer's: HTTPClient's transport).
	own         []string
	nameservers []string
	pageSize    int
	importBatch int
	client      httpretry.Client
	// jobWait bounds the wait for an import job; jobPoll is the first
	// interval between looks (it doubles, at most 10 s).
	jobWait, jobPoll time.Duration

	zones provider.Zones[string]
	// HeldZone lists the zone's records (list) and reads them (toRR,
	// without those omitted): Records, Features and Read
	// (provider.Reader) from one listing, Apply and ApplyGuarded
	// (provider.Guarded) sending through apply. ClouDNS has no zone
	// object (nor ids), hence struct{}. ALIAS and WR records and GeoDNS
	// answers for a location other than the default have no zone-file
	// form: Records leaves them out and Features reports them.
	provider.HeldZone[struct{}, record]

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
	return provider.Capabilities{Types: supported, LongTXT: true, MaxBatch: max(p.importBatch, 1), CheckName: checkName, Check: p.check, CheckIn: dsAlone,
		NoApexSOA: "ClouDNS keeps the SOA apart from the records, which push does not change: set its TTL and default TTL (minimum) in the control panel or with the API's dns/modify-soa.json",
		Warnings:  warns}
}
