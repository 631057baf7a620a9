package dnssec

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// setKey names one RRset of a message section.
type setKey struct {
	name string // folded
	typ  uint16
}

func (k setKey) String() string { return k.name + " " + dns.TypeToString[k.typ] }

// section is a message section grouped into RRsets (in order of first
// appearance) and the RRSIGs covering each.
type section struct {
	order []setKey
	sets  map[setKey][]dns.RR
	sigs  map[setKey][]*dns.RRSIG
}

func groupSection(rrs []dns.RR) section {
	s := section{sets: map[setKey][]dns.RR{}, sigs: map[setKey][]*dns.RRSIG{}}
	for _, rr := range rrs {
		h := rr.Header()
		if sig, ok := rr.(*dns.RRSIG); ok {
			k := setKey{zone.Fold(dns.Fqdn(h.Name)), sig.TypeCovered}
			s.sigs[k] = append(s.sigs[k], sig)
			continue
		}
		if h.Rrtype == dns.TypeOPT {
			continue
		}
		k := setKey{zone.Fold(dns.Fqdn(h.Name)), h.Rrtype}
		if _, seen := s.sets[k]; !seen {
			s.order = append(s.order, k)
		}
		s.sets[k] = append(s.sets[k], rr)
	}
	return s
}

// verifySet checks that one of sigs is a signature of set by the zone
// origin, made by one of keys, valid at now, and returns the key it
// verifies with (not only its tag: another key of keys may carry the
// same tag, RFC 4034 appendix B). The error says why none is:
// no RRSIG at all, key tags not in keys, outside the validity period, or a
// signature that does not verify.
func verifySet(set []dns.RR, sigs []*dns.RRSIG, keys []*dns.DNSKEY, origin string, now time.Time) (*dns.DNSKEY, error) {
	if len(sigs) == 0 {
		return nil, errors.New("no RRSIG")
	}
	// why are the failures of signatures by one of keys; other those of
	// signatures by keys outside keys, reported only when no signature
	// was made by one of keys.
	var why, other []string
	for _, sig := range sigs {
		if !equalName(sig.SignerName, origin) {
			other = append(other, fmt.Sprintf("RRSIG key tag %d signed by %s, not %s", sig.KeyTag, sig.SignerName, origin))
			continue
		}
		var candidates []*dns.DNSKEY
		for _, k := range keys {
			if k.KeyTag() == sig.KeyTag && k.Algorithm == sig.Algorithm {
				candidates = append(candidates, k)
			}
		}
		if len(candidates) == 0 {
			other = append(other, fmt.Sprintf("RRSIG by key tag %d (algorithm %s), which is not among the trusted keys (%s)", sig.KeyTag, dns.AlgorithmToString[sig.Algorithm], keyTags(keys)))
			continue
		}
		var signer *dns.DNSKEY
		var lastErr error
		for _, k := range candidates {
			if err := sig.Verify(k, set); err != nil {
				lastErr = err
				continue
			}
			signer = k
			break
		}
		if signer == nil {
			why = append(why, fmt.Sprintf("RRSIG by key tag %d does not verify: %v", sig.KeyTag, lastErr))
			continue
		}
		if !sig.ValidityPeriod(now) {
			why = append(why, fmt.Sprintf("RRSIG by key tag %d is valid only from %s to %s, not at %s",
				sig.KeyTag, sigTime(sig.Inception, now), sigTime(sig.Expiration, now), now.UTC().Format(time.RFC3339)))
			continue
		}
		return signer, nil
	}
	if len(why) == 0 {
		why = other
	}
	return nil, errors.New(strings.Join(why, "; "))
}

// sigTime turns an RRSIG timestamp (RFC 1982 serial arithmetic on 32-bit
// seconds) into the instant nearest to now.
func sigTime(v uint32, now time.Time) string {
	return sigInstant(v, now).Format(time.RFC3339)
}

// sigInstant is sigTime's instant.
func sigInstant(v uint32, now time.Time) time.Time {
	const span = int64(1) << 32
	t := int64(v)
	u := now.Unix()
	for t+span/2 < u {
		t += span
	}
	return time.Unix(t, 0).UTC()
}

// verifyResponse checks that every RRset the zone signs in the answer and
// authority sections of r carries a valid signature by one of keys; a
// negative answer must carry NSEC or NSEC3 records. Delegation NS sets
// and glue are not signed by the zone and are left out. It returns one
// problem per RRset that fails, the keys the signatures that verified
// were made with, and the RRsets that verified (for the algorithm rule,
// algorithms.go).
func verifyResponse(r *dns.Msg, origin string, keys []*dns.DNSKEY, now time.Time) (problems []string, signers []*dns.DNSKEY, verified []sigSet) {
	// one verifies one RRset of a section (where: "" or " (authority)").
	one := func(s section, k setKey, where string) {
		key, err := verifySet(s.sets[k], s.sigs[k], keys, origin, now)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s%s: %v", k, where, err))
			return
		}
		signers = append(signers, key)
		verified = append(verified, sigSet{k.String(), s.sets[k], s.sigs[k]})
	}
	ans := groupSection(r.Answer)
	for _, k := range ans.order {
		if !inZone(k.name, origin) || synthesized(k, ans) {
			continue
		}
		one(ans, k, "")
	}
	auth := groupSection(r.Ns)
	denial := false
	for _, k := range auth.order {
		if !inZone(k.name, origin) {
			continue
		}
		if k.typ == dns.TypeNS && !equalName(k.name, origin) {
			continue // a delegation: the child's NS set is not signed here
		}
		if k.typ == dns.TypeNSEC || k.typ == dns.TypeNSEC3 {
			denial = true
		}
		one(auth, k, " (authority)")
	}
	negative := r.Rcode == dns.RcodeNameError || (r.Rcode == dns.RcodeSuccess && len(r.Answer) == 0 && r.Authoritative)
	if negative && !denial {
		problems = append(problems, fmt.Sprintf("%s answer without NSEC or NSEC3 records", rcodeText(r)))
	}
	return problems, signers, verified
}

// synthesized reports whether k is a CNAME a server made up from a DNAME
// of the same answer (RFC 6672 section 5.3.1: such a CNAME is unsigned;
// the DNAME's signature covers it).
func synthesized(k setKey, ans section) bool {
	if k.typ != dns.TypeCNAME {
		return false
	}
	for _, d := range ans.order {
		if d.typ == dns.TypeDNAME && !equalName(d.name, k.name) && inZone(k.name, d.name) && len(ans.sigs[k]) == 0 {
			return true
		}
	}
	return false
}

// delegates reports whether r is a referral to a zone cut below origin
// (an NS RRset in authority owned by a name under origin).
func delegates(r *dns.Msg, origin string) bool {
	for _, rr := range r.Ns {
		h := rr.Header()
		if h.Rrtype == dns.TypeNS && inZone(h.Name, origin) && !equalName(h.Name, origin) {
			return true
		}
	}
	return false
}

func rcodeText(r *dns.Msg) string {
	if r.Rcode == dns.RcodeSuccess && len(r.Answer) == 0 {
		return "NODATA"
	}
	if s, ok := dns.RcodeToString[r.Rcode]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", r.Rcode)
}
