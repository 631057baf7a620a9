// Package rfc2136 is a provider for any primary server that takes RFC 2136
// dynamic updates and allows zone transfers (BIND, Knot, PowerDNS, NSD
// behind a signer, ...): it lists a zone by AXFR and changes it by UPDATE,
// both TSIG-signed, over TCP. Every UPDATE carries prerequisites (RFC 2136
// §2.4) stating what the plan was made against, so a change another
// writer made in between is refused, never overwritten.
//
// Config (dnsparity.yaml):
//
//	type: rfc2136
//	server: 127.0.0.1:53
//	flavor: bind              # bind | knot | powerdns | nsd | generic (default)
//	tsig: {name: update-key., algorithm: hmac-sha256, secret_env: TSIG_SECRET}
//	# or the key's name from the environment, so that a transfer-only key
//	# (pull requests, drift) and an update key (sync, cutover) share it:
//	# tsig: {name_env: TSIG_NAME, secret_env: TSIG_SECRET}
//	nameservers: [ns1.example.com.]
package rfc2136

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// defaultMaxMessage is the budget for one UPDATE message (TCP allows
// 65535; room is left for the header, zone section and TSIG).
const defaultMaxMessage = 60000

// maxRRset is the largest RRset (wire octets, owner names uncompressed)
// a replace can carry: its old version as prerequisite and its new
// version as update in one message. Larger ones are reported by the plan
// before anything is sent.
const maxRRset = (defaultMaxMessage - 2048) / 2

// defaultFudge is the TSIG fudge (seconds of clock difference the server
// accepts).
const defaultFudge = 300

// Provider talks RFC 2136 to one primary server.
type Provider struct {
	server      string
	nameservers []string
	keyName     string
	algorithm   string
	secret      string
	timeout     time.Duration
	fudge       uint16
	maxMessage  int
	flavor      string
	caps        flavor

	updates atomic.Int64 // UPDATE messages sent

	// asRead keeps, per zone, the RRsets whose RDATA the last transfer
	// gave with upper-case names, as the server spelled them: servers
	// compare value-dependent prerequisites case-sensitively, and the
	// canonical form is lower case.
	mu     sync.Mutex
	asRead map[string]map[zone.Key][]dns.RR
	// soa is, per zone, the SOA of the last transfer, until an UPDATE
	// changes it: the first UPDATE after a transfer requires it unchanged,
	// which also catches what RRset prerequisites cannot (a TTL changed).
	soa map[string]dns.RR
}

// Updates is the number of UPDATE messages this provider has sent.
func (p *Provider) Updates() int64 { return p.updates.Load() }

// Capabilities: a primary server holds anything on the wire, except what
// its declared flavor says it refuses (PowerDNS takes no RFC 3597 type
// through UPDATE). They never change after New.
func (p *Provider) Capabilities() provider.Capabilities {
	c := provider.Capabilities{LongTXT: true, UnknownTypes: p.caps.unknownTypes, MaxRRsetSize: maxRRset}
	var checks []func(*zone.RRSet) string
	if p.caps.checkNames {
		checks = append(checks, checkNames)
	}
	var inZone []func(*zone.Zone, *zone.RRSet) string
	if p.caps.checkMX {
		inZone = append(inZone, checkMX)
	}
	if p.caps.dnameData {
		inZone = append(inZone, dnameData)
	}
	if len(inZone) > 0 {
		c.CheckIn = func(z *zone.Zone, s *zone.RRSet) string {
			for _, check := range inZone {
				if why := check(z, s); why != "" {
					return why
				}
			}
			return ""
		}
	}
	if tc := p.caps.typeCheck; tc != nil {
		checks = append(checks, func(s *zone.RRSet) string { return tc(s.Type) })
	}
	if rc := p.caps.rrCheck; rc != nil {
		checks = append(checks, provider.EachRR(rc))
	}
	if len(checks) > 0 {
		c.Check = func(s *zone.RRSet) string {
			for _, check := range checks {
				if why := check(s); why != "" {
					return why
				}
			}
			return ""
		}
	}
	if p.caps.noUpdate {
		c.ReadOnly = "NSD takes no dynamic updates (flavor: nsd); change its zone file and reload it"
	}
	if p.flavor == "powerdns" {
		// PowerDNS's UPDATE takes a new SOA's content but keeps its TTL.
		c.NoApexSOA = "PowerDNS keeps the SOA's TTL on a DNS UPDATE: set it through its API (provider type powerdns does it on push) or with `pdnsutil edit-zone ZONE`"
	}
	return c
}
