// Package dnsmadeeasy is a provider for DNS Made Easy (REST API v2.0), on
// net/http: it finds the domain by name (or zone_id), lists its records
// page by page, and applies a plan with the multi-record calls
// (records/updateMulti, records/createMulti, DELETE records?ids=…), at
// most MaxBatch records per call. Every request is signed (x-dnsme-apiKey,
// x-dnsme-requestDate, x-dnsme-hmac: HMAC-SHA1 of the date under the
// secret key); the x-dnsme-requestLimit / x-dnsme-requestsRemaining
// headers pace requests, and a refusal for rate (400 with no requests
// remaining, or "Rate limit exceeded"), a 429 or a
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
	"fmt"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
)

var _ provider.Guarded = (*Provider)(nil)

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

	// HeldZone lists the domain's records (list) and reads them (held):
	// Records, Features and Read (provider.Reader) from one listing,
	// Apply and ApplyGuarded (provider.Guarded) sending through apply.
	// ANAME and HTTPRED records and Global Traffic Director answers for
	// a region other than DEFAULT have no zone-file form: Records leaves
	// them out and Features reports them.
	provider.HeldZone[domain, record]

	writes atomic.Int64
}

// Capabilities: the record types DNS Made Easy holds as this provider
// maps them.
func (p *Provider) Capabilities() provider.Capabilities {
	return provider.Capabilities{Types: supported, LongTXT: true, MaxBatch: p.batch, CheckName: checkName, Check: check,
		NoApexSOA:     "DNS Made Easy serves the SOA of the domain's custom SOA record, which push does not change: create one with git's TTL and negative cache TTL in the control panel (or the API's /dns/soa) and assign it to the domain",
		NoApexNSTTL:   fmt.Sprintf("DNS Made Easy serves the domain's system name servers at a fixed TTL of %d, which no API call changes (dnscontrol, providers/dnsmadeeasy/types.go: fixedNameServerRecordTTL; StackExchange/dnscontrol pull request #1167: \"the system nameserver TTL is always 86400 and is not able to be altered\"); give git's apex NS that TTL", systemNSTTL),
		HiddenApexTTL: map[uint16]uint32{dns.TypeNS: systemNSTTL},
		ServedApexNS:  p.servedApexNS}
}

// systemNSTTL is the TTL DNS Made Easy's servers answer the system name
// servers with at the apex: fixed, not listed, not changed by any call
// (dmetest.SystemNSTTL).
const systemNSTTL = 86400

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
