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
// (RFC 8901's last step removes it). published are the DS records that
// match a key the servers serve but that signs none of their DNSKEY sets
// (no RRSIG over DNSKEY by it): a key they only publish, as the other
// signer's KSK is kept in a multi-signer's set until its DS is gone (RFC
// 8901 section 8 removes the DS first), or a standby key; the parent
// vouches for it all the same, and whoever holds its private half signs
// with it. A DS of a digest type not computed
// here (GOST, or one assigned later) whose key tag and algorithm are those
// of a served key is neither: it may be that key's, so it is returned in
// unknown, not in stale (removing it on the word "matches no key" could
// remove the only DS of the key that signs). Every server must answer the
// DNSKEY question authoritatively; otherwise the error names it.
func Unmatched(ctx context.Context, zone string, ds, servers []string, timeout time.Duration) (stale, published, unknown []string, served string, err error) {
	zone = dns.CanonicalName(zone)
	if servers, err = query.ParseAddrs("server", servers); err != nil {
		return nil, nil, nil, "", fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	dss, err := parseDS(zone, ds)
	if err != nil {
		return nil, nil, nil, "", fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	a := asker{timeout: timeout}
	var keys []*dns.DNSKEY
	signing := map[tagAlg]bool{}
	for _, s := range servers {
		r, err := a.ask(ctx, s, zone, dns.TypeDNSKEY)
		if err != nil {
			return nil, nil, nil, "", fmt.Errorf("dnssec: %s: DNSKEY at %s: %w", zone, s, err)
		}
		if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
			return nil, nil, nil, "", fmt.Errorf("dnssec: %s: %s answers the DNSKEY query with %s, aa=%v", zone, s, rcodeText(r), r.Authoritative)
		}
		keys = append(keys, ApexKeys(r.Answer, zone)...)
		dnskeySigners(r.Answer, zone, signing)
	}
	for i, d := range dss {
		matched := dsMatched(keys, []*dns.DS{d})
		switch {
		case slices.ContainsFunc(matched, func(k *dns.DNSKEY) bool { return signing[tagAlg{k.KeyTag(), k.Algorithm}] }):
		case len(matched) > 0:
			published = append(published, ds[i])
		case !supportedDigest(d.DigestType) && slices.ContainsFunc(keys, func(k *dns.DNSKEY) bool {
			return k.KeyTag() == d.KeyTag && k.Algorithm == d.Algorithm && k.Flags&dns.ZONE != 0 && k.Flags&dns.REVOKE == 0
		}):
			unknown = append(unknown, ds[i])
		default:
			stale = append(stale, ds[i])
		}
	}
	return stale, published, unknown, keyTags(keys), nil
}

// tagAlg names a key as an RRSIG does: its key tag and algorithm.
type tagAlg struct {
	tag uint16
	alg uint8
}

// dnskeySigners adds to signing the keys (by tag and algorithm) whose
// RRSIG over zone's DNSKEY set answer holds: the keys the server signs
// that set with, which a DS must name for a validator to trust it.
func dnskeySigners(answer []dns.RR, zone string, signing map[tagAlg]bool) {
	for _, rr := range answer {
		if sig, ok := rr.(*dns.RRSIG); ok && sig.TypeCovered == dns.TypeDNSKEY && equalName(sig.Hdr.Name, zone) && equalName(sig.SignerName, zone) {
			signing[tagAlg{sig.KeyTag, sig.Algorithm}] = true
		}
	}
}
