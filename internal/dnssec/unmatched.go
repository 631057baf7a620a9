package dnssec

import (
	"context"
	"fmt"
	"slices"
	"strings"
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
		rrsetSigners(r.Answer, zone, dns.TypeDNSKEY, signing)
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

// rrsetSigners adds to signing the keys (by tag and algorithm) whose
// RRSIG over zone's apex RRset of type qt answer holds: over the DNSKEY
// set, the keys a DS must name for a validator to trust it; over it and
// the SOA, the keys whose private half the server's provider holds.
func rrsetSigners(answer []dns.RR, zone string, qt uint16, signing map[tagAlg]bool) {
	for _, rr := range answer {
		if sig, ok := rr.(*dns.RRSIG); ok && sig.TypeCovered == qt && equalName(sig.Hdr.Name, zone) && equalName(sig.SignerName, zone) {
			signing[tagAlg{sig.KeyTag, sig.Algorithm}] = true
		}
	}
}

// Kept returns the keys of zone's DNSKEY set at newServers whose private
// half the provider behind oldServers holds: a key a server of oldServers
// signs its DNSKEY set or its apex SOA with (an RRSIG's key tag and
// algorithm, and that public key in its own DNSKEY set) that no server of
// newServers signs its DNSKEY set or SOA with, each named "key tag T
// (algorithm A, flags F)", and the key tags newServers serve. A
// validator trusts every zone key of a DNSKEY set a DS vouches for, and
// an RRSIG by any of them verifies (RFC 4035 section 5.3.1): once the old
// provider is decommissioned it (and whoever takes its keys) can still
// sign any answer that validates, whether or not a DS names that key (RFC
// 8901 section 8 removes the leaving signer's keys from the other's set).
// A key both sides sign with (one moved from the old provider to the new
// one) is not returned: the new side uses it. Every server must answer
// both questions authoritatively; otherwise the error names it.
func Kept(ctx context.Context, zone string, oldServers, newServers []string, timeout time.Duration) (kept []string, served string, err error) {
	zone = dns.CanonicalName(zone)
	a := asker{timeout: timeout}
	oldKeys, oldSigning, err := a.sideKeys(ctx, zone, "old server", oldServers)
	if err != nil {
		return nil, "", fmt.Errorf("dnssec: %s: the old side: %w", zone, err)
	}
	newKeys, newSigning, err := a.sideKeys(ctx, zone, "new server", newServers)
	if err != nil {
		return nil, "", fmt.Errorf("dnssec: %s: the new side: %w", zone, err)
	}
	var held []*dns.DNSKEY
	for _, o := range oldKeys {
		if oldSigning[tagAlg{o.KeyTag(), o.Algorithm}] {
			held = append(held, o)
		}
	}
	return keptIn(newKeys, newSigning, held), keyTags(newKeys), nil
}

// KeptOf is Kept with the old side's keys as the trail recorded them
// (held: KeySet.Signers, each key's RDATA), not asked: an old side that
// has stopped signing, or serving, before finish no longer names them,
// but its provider still holds their private halves. Every new server
// must answer; a record that is no DNSKEY RDATA is an error.
func KeptOf(ctx context.Context, zone string, held, newServers []string, timeout time.Duration) (kept []string, served string, err error) {
	zone = dns.CanonicalName(zone)
	var keys []*dns.DNSKEY
	for _, h := range held {
		rr, err := dns.NewRR(zone + " IN DNSKEY " + h)
		k, ok := rr.(*dns.DNSKEY)
		if err != nil || !ok {
			return nil, "", fmt.Errorf("dnssec: %s: a recorded key is no DNSKEY RDATA (%q): %v", zone, h, err)
		}
		keys = append(keys, k)
	}
	newKeys, newSigning, err := asker{timeout: timeout}.sideKeys(ctx, zone, "new server", newServers)
	if err != nil {
		return nil, "", fmt.Errorf("dnssec: %s: the new side: %w", zone, err)
	}
	return keptIn(newKeys, newSigning, keys), keyTags(newKeys), nil
}

// keptIn are the zone keys of newKeys (not revoked: RFC 5011) that the
// new side does not sign with (newSigning) and that are among held (the
// same public key and algorithm): each named "key tag T (algorithm A,
// flags F)", once.
func keptIn(newKeys []*dns.DNSKEY, newSigning map[tagAlg]bool, held []*dns.DNSKEY) []string {
	same := func(x, y *dns.DNSKEY) bool {
		return x.Algorithm == y.Algorithm && x.Protocol == y.Protocol && strings.Join(strings.Fields(x.PublicKey), "") == strings.Join(strings.Fields(y.PublicKey), "")
	}
	var seen []*dns.DNSKEY
	var kept []string
	for _, k := range newKeys {
		ta := tagAlg{k.KeyTag(), k.Algorithm}
		if k.Flags&dns.ZONE == 0 || k.Flags&dns.REVOKE != 0 || newSigning[ta] || slices.ContainsFunc(seen, func(x *dns.DNSKEY) bool { return same(x, k) }) {
			continue
		}
		if slices.ContainsFunc(held, func(o *dns.DNSKEY) bool { return same(o, k) }) {
			seen = append(seen, k)
			kept = append(kept, fmt.Sprintf("key tag %d (algorithm %s, flags %d)", k.KeyTag(), dns.AlgorithmToString[k.Algorithm], k.Flags))
		}
	}
	return kept
}

// sideKeys is what servers (one side's, named what in errors) serve for zone:
// their DNSKEY sets, and the keys (by tag and algorithm) their RRSIGs
// over the DNSKEY set and the apex SOA name. Every server must answer
// both questions authoritatively; otherwise the error names it.
func (a asker) sideKeys(ctx context.Context, zone, what string, servers []string) (keys []*dns.DNSKEY, signing map[tagAlg]bool, err error) {
	if servers, err = query.ParseAddrs(what, servers); err != nil {
		return nil, nil, err
	}
	signing = map[tagAlg]bool{}
	for _, s := range servers {
		for _, qt := range []uint16{dns.TypeDNSKEY, dns.TypeSOA} {
			r, err := a.ask(ctx, s, zone, qt)
			if err != nil {
				return nil, nil, fmt.Errorf("%s at %s: %w", dns.Type(qt), s, err)
			}
			if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
				return nil, nil, fmt.Errorf("%s answers the %s query with %s, aa=%v", s, dns.Type(qt), rcodeText(r), r.Authoritative)
			}
			if qt == dns.TypeDNSKEY {
				keys = append(keys, ApexKeys(r.Answer, zone)...)
			}
			rrsetSigners(r.Answer, zone, qt, signing)
		}
	}
	return keys, signing, nil
}

// HeldTags are the key tags of the keys whose private half the provider
// behind servers may hold: each zone key of zone's DNSKEY set they
// publish, and each key their RRSIGs over that set or the apex SOA name
// (sideKeys). A key tag names no key alone (RFC 4034 appendix B): a
// caller that takes a tag found here for that provider's key errs
// towards refusing. Every server must answer authoritatively; otherwise
// the error names it.
func HeldTags(ctx context.Context, zone string, servers []string, timeout time.Duration) (map[uint16]bool, error) {
	zone = dns.CanonicalName(zone)
	keys, signing, err := asker{timeout: timeout}.sideKeys(ctx, zone, "server", servers)
	if err != nil {
		return nil, fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	tags := map[uint16]bool{}
	for _, k := range keys {
		tags[k.KeyTag()] = true
	}
	for ta := range signing {
		tags[ta.tag] = true
	}
	return tags, nil
}

// PublishedCDS is the DS set the CDS and CDNSKEY records servers publish
// for zone ask a parent for (RFC 7344, 8078): each CDS as it stands,
// each CDNSKEY as its SHA-256 DS, in presentation form, once each; a
// record of algorithm 0 (the delete record, zone.DeleteCDS, or a
// malformed one: judgeServer) asks for no DS and is left out. A parent that follows them
// (automated DS maintenance) puts those DS in place, so a finished
// migration must not ask for the old provider's key. Every server must
// answer both questions with authority; otherwise the error names it.
func PublishedCDS(ctx context.Context, zone string, servers []string, timeout time.Duration) ([]string, error) {
	zone = dns.CanonicalName(zone)
	if _, err := query.ParseAddrs("server", servers); err != nil {
		return nil, fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	a := asker{timeout: timeout}
	var out []string
	add := func(d *dns.DS) {
		if d == nil || d.Algorithm == 0 {
			return
		}
		if text := dsRDATA(d); !slices.Contains(out, text) {
			out = append(out, text)
		}
	}
	for _, s := range servers {
		var sets []cdsRRset
		for _, qt := range []uint16{dns.TypeCDS, dns.TypeCDNSKEY} {
			r, err := a.ask(ctx, s, zone, qt)
			if err != nil {
				return nil, fmt.Errorf("dnssec: %s: %s at %s: %w", zone, dns.Type(qt), s, err)
			}
			if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
				return nil, fmt.Errorf("dnssec: %s: %s answers the %s query with %s, aa=%v", zone, s, dns.Type(qt), rcodeText(r), r.Authoritative)
			}
			sets = append(sets, apexRRset(r, zone, qt))
		}
		cds, cdnskey := records(sets...)
		for _, d := range cds {
			add(d)
		}
		for _, k := range cdnskey {
			add(k.ToDS(dns.SHA256))
		}
	}
	return out, nil
}
