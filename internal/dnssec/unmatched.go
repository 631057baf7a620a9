package dnssec

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// Unmatched returns the DS records of ds (RDATA, as Input.DS) that match
// no DNSKEY any of servers serves for zone (zone flag set, not revoked,
// digest computed: matchesDS), and the key tags those servers serve:
// after a migration, the DS the old provider's keys left at the parent
// (RFC 8901's last step removes it). A DS of a digest type not computed
// here (GOST, or one assigned later) whose key tag and algorithm are those
// of a served key is neither: it may be that key's, so it is returned in
// unknown, not in stale (removing it on the word "matches no key" could
// remove the only DS of the key that signs). Every server must answer the
// DNSKEY question authoritatively; otherwise the error names it.
func Unmatched(ctx context.Context, zone string, ds, servers []string, timeout time.Duration) (stale, unknown []string, served string, err error) {
	zone = dns.CanonicalName(zone)
	if servers, err = query.ParseAddrs("server", servers); err != nil {
		return nil, nil, "", fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	dss, err := parseDS(zone, ds)
	if err != nil {
		return nil, nil, "", fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	a := asker{timeout: timeout}
	var keys []*dns.DNSKEY
	for _, s := range servers {
		r, err := a.ask(ctx, s, zone, dns.TypeDNSKEY)
		if err != nil {
			return nil, nil, "", fmt.Errorf("dnssec: %s: DNSKEY at %s: %w", zone, s, err)
		}
		if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
			return nil, nil, "", fmt.Errorf("dnssec: %s: %s answers the DNSKEY query with %s, aa=%v", zone, s, rcodeText(r), r.Authoritative)
		}
		keys = append(keys, ApexKeys(r.Answer, zone)...)
	}
	for i, d := range dss {
		switch {
		case len(dsMatched(keys, []*dns.DS{d})) > 0:
		case !supportedDigest(d.DigestType) && slices.ContainsFunc(keys, func(k *dns.DNSKEY) bool {
			return k.KeyTag() == d.KeyTag && k.Algorithm == d.Algorithm && k.Flags&dns.ZONE != 0 && k.Flags&dns.REVOKE == 0
		}):
			unknown = append(unknown, ds[i])
		default:
			stale = append(stale, ds[i])
		}
	}
	return stale, unknown, keyTags(keys), nil
}
