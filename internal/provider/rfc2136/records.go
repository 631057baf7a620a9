package rfc2136

import (
	"context"
	"errors"
	"fmt"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Nameservers are the configured ones, else the zone's apex NS.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.DefaultNameservers(ctx, p.nameservers, p, origin)
}

// Transfer reads the zone's records by AXFR as the server sends them
// (spelling kept, the closing SOA left out), complete or an error: for
// callers that compare wire data (parity) rather than plan.
func (p *Provider) Transfer(ctx context.Context, origin string) ([]dns.RR, error) {
	origin = zone.CanonicalName(origin)
	rrs, err := p.axfr(ctx, origin)
	if err != nil {
		if transfer.IsContextErr(err) {
			return nil, fmt.Errorf("rfc2136 %s: AXFR %s: %w", p.server, origin, err)
		}
		if rc, ok := p.refusedByServer(err); ok {
			// The answer verified (or no key is configured): the server
			// took the key and refused the transfer itself.
			return nil, p.notServed(ctx, origin, p.transferRefused(origin, rc, err))
		}
		return nil, p.notServed(ctx, origin, p.wrap("AXFR "+origin, err))
	}
	return rrs, nil
}

// Records transfers the zone (AXFR over TCP).
func (p *Provider) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	origin = zone.CanonicalName(origin)
	rrs, err := p.Transfer(ctx, origin)
	if err != nil {
		return nil, err
	}
	z, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, fmt.Errorf("rfc2136 %s: AXFR %s: %w", p.server, origin, err)
	}
	p.keepSpelling(origin, rrs)
	return z, nil
}

// errTransferRefused: the server answered the transfer REFUSED, signed
// with the configured key (or unsigned, none configured): not the
// credentials (a key it does not take gets NOTAUTH with BADKEY or BADSIG,
// or an unsigned answer, which transfer.Conn does not verify: ErrAuth).
var errTransferRefused = errors.New("the server refused the transfer")

// refusedByServer: err is a REFUSED answer that verified (transfer's
// RcodeError without a verification error), or, with no key configured,
// a REFUSED or NOTAUTH (Knot's answer to a transfer its ACL does not
// allow: with no key sent, no key was refused): the server's own
// refusal, and its rcode.
func (p *Provider) refusedByServer(err error) (int, bool) {
	var re *transfer.RcodeError
	if !errors.As(err, &re) || re.Err != nil {
		return 0, false
	}
	return re.Rcode, re.Rcode == dns.RcodeRefused || p.keyName == "" && re.Rcode == dns.RcodeNotAuth
}

// transferRefused says the server refused the transfer (with rcode) and
// where to allow it: its transfer policy, or the zone's configuration
// there.
func (p *Provider) transferRefused(origin string, rcode int, err error) error {
	who := "this machine's address (no TSIG key is configured)"
	if p.keyName != "" {
		who = fmt.Sprintf("key %s", p.keyName)
	}
	return fmt.Errorf("rfc2136 %s: AXFR %s: %w (%s%s): its transfer policy does not allow %s (BIND: allow-transfer; Knot: an acl with action transfer; PowerDNS: allow-axfr-ips, or the zone's TSIG-ALLOW-AXFR), or the zone is not configured there as expected; see its log: %v",
		p.server, origin, errTransferRefused, transfer.RcodeName(rcode), p.signedBy(), who, err)
}
