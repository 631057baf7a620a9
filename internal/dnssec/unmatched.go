package dnssec

import (
	"context"
	"fmt"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// Unmatched returns the DS records of ds (RDATA, as Input.DS) that match
// no DNSKEY any of servers serves for zone (zone flag set, not revoked,
// digest computed: matchesDS), and the key tags those servers serve:
// after a migration, the DS the old provider's keys left at the parent
// (RFC 8901's last step removes it). Every server must answer the DNSKEY
// question authoritatively; otherwise the error names it.
func Unmatched(ctx context.Context, zone string, ds, servers []string, timeout time.Duration) (stale []string, served string, err error) {
	zone = dns.CanonicalName(zone)
	if servers, err = query.ParseAddrs("server", servers); err != nil {
		return nil, "", fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	dss, err := parseDS(zone, ds)
	if err != nil {
		return nil, "", fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	a := asker{timeout: timeout}
	var keys []*dns.DNSKEY
	for _, s := range servers {
		r, err := a.ask(ctx, s, zone, dns.TypeDNSKEY)
		if err != nil {
			return nil, "", fmt.Errorf("dnssec: %s: DNSKEY at %s: %w", zone, s, err)
		}
		if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
			return nil, "", fmt.Errorf("dnssec: %s: %s answers the DNSKEY query with %s, aa=%v", zone, s, rcodeText(r), r.Authoritative)
		}
		keys = append(keys, apexKeys(r.Answer, zone)...)
	}
	for i, d := range dss {
		if len(dsMatched(keys, []*dns.DS{d})) == 0 {
			stale = append(stale, ds[i])
		}
	}
	return stale, keyTags(keys), nil
}
