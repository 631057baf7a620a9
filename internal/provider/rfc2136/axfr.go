package rfc2136

import (
	"context"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// options are the connection settings: signed with the provider's key
// when one is configured.
func (p *Provider) options(signed bool) transfer.Options {
	o := transfer.Options{Timeout: p.timeout, Fudge: p.fudge, BusyRetries: transfer.BusyRetries}
	if signed && p.keyName != "" {
		o.Key = &transfer.Key{Name: p.keyName, Algorithm: p.algorithm, Secret: p.secret}
	}
	return o
}

// dial connects to the server; close the connection when done.
func (p *Provider) dial(ctx context.Context) (*transfer.Conn, error) {
	return transfer.Dial(ctx, p.server, p.options(true))
}

// axfr reads the zone by AXFR through the project's strict reader
// (internal/transfer): complete only with its closing SOA, answers without
// QR or with another ID discarded, every message's TSIG verified. CAA
// values and URI targets are given the presentation form miekg/dns packs
// (zone.Unpacked): a backslash in them would be lost otherwise.
func (p *Provider) axfr(ctx context.Context, origin string) ([]dns.RR, error) {
	rrs, err := transfer.AXFR(ctx, p.server, origin, p.options(true))
	for _, rr := range rrs {
		zone.Unpacked(rr)
	}
	return rrs, err
}
