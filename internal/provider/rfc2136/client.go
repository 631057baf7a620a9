package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// notServed tells a zone the server does not serve from refused
// credentials or a refused transfer: servers answer all three alike
// (NOTAUTH, REFUSED), so such an error is checked with a plain SOA query
// for the zone. When the server is not authoritative for it, the error
// wraps ErrZoneNotFound instead.
func (p *Provider) notServed(ctx context.Context, origin string, err error) error {
	if !errors.Is(err, provider.ErrAuth) && !errors.Is(err, errTransferRefused) {
		return err
	}
	m := new(dns.Msg)
	m.SetQuestion(origin, dns.TypeSOA)
	m.RecursionDesired = false
	r, qerr := p.query(ctx, m)
	if qerr != nil {
		return err
	}
	if r.Rcode == dns.RcodeSuccess && r.Authoritative {
		for _, rr := range r.Answer {
			if rr.Header().Rrtype == dns.TypeSOA && zone.Fold(rr.Header().Name) == zone.Fold(origin) {
				return err // the zone is there: the key or the transfer was refused
			}
		}
	}
	return fmt.Errorf("rfc2136 %s: AXFR %s: the server does not serve the zone (SOA query: %s, AA=%v): %w",
		p.server, origin, dns.RcodeToString[r.Rcode], r.Authoritative, provider.ErrZoneNotFound)
}

// wrap classifies an exchange error.
func (p *Provider) wrap(what string, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("rfc2136 %s: %s: stopped: %w", p.server, what, err)
	case errors.Is(err, transfer.ErrIncomplete):
		return fmt.Errorf("rfc2136 %s: %s: %w", p.server, what, err)
	case strings.Contains(msg, "BADTIME"):
		return fmt.Errorf("rfc2136 %s: %s: TSIG time refused: this machine's clock and the server's differ by more than the %d s fudge: %w: %v", p.server, what, p.fudge, provider.ErrAuth, err)
	case p.keyName == "" && (strings.Contains(msg, "NOTAUTH") || strings.Contains(msg, "REFUSED")):
		// No key was sent, so none was refused: the server allows this
		// only by key, or from other addresses.
		return fmt.Errorf("rfc2136 %s: %s: refused, and no TSIG key is configured: the server allows it only with a key (give the provider a tsig key the server knows) or from other addresses (BIND: allow-update, allow-transfer; Knot: an acl with action update or transfer): %w: %v", p.server, what, provider.ErrAuth, err)
	case errors.Is(err, dns.ErrSig), errors.Is(err, dns.ErrAuth), errors.Is(err, dns.ErrNoSig), errors.Is(err, dns.ErrSecret), errors.Is(err, dns.ErrKey),
		strings.Contains(msg, "NOTAUTH"), strings.Contains(msg, "BADSIG"), strings.Contains(msg, "BADKEY"):
		return fmt.Errorf("rfc2136 %s: %s: TSIG key %s refused (wrong secret or key name?): %w: %v", p.server, what, p.keyName, provider.ErrAuth, err)
	case strings.Contains(msg, "REFUSED"):
		// A REFUSED whose answer verified is the server's own refusal
		// (update.go, refusedByServer): here it did not verify (unsigned,
		// or a bad signature), so the key is what was refused.
		return fmt.Errorf("rfc2136 %s: %s: refused by the server, and its answer did not verify with key %q (the key is not known there, or its secret differs): %w: %v", p.server, what, p.keyName, provider.ErrAuth, err)
	case strings.Contains(msg, "NOTAUTH") || strings.Contains(msg, "NOTZONE"):
		return fmt.Errorf("rfc2136 %s: %s: %w: %v", p.server, what, provider.ErrZoneNotFound, err)
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, net.ErrClosed) || strings.Contains(msg, "connection refused") || strings.Contains(msg, "EOF") {
		return fmt.Errorf("rfc2136 %s: %s: %w: %v", p.server, what, provider.ErrUnavailable, err)
	}
	return fmt.Errorf("rfc2136 %s: %s: %w", p.server, what, err)
}

// query sends m unsigned over a new connection and returns the answer.
func (p *Provider) query(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	c, err := transfer.Dial(ctx, p.server, p.options(false))
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.Exchange(ctx, m)
}
