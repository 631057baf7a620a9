package dnssec

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// ErrParentDisagree is wrapped by ParentDS when the parent's servers hold
// different DS sets (a change still propagating among them).
var ErrParentDisagree = errors.New("the parent's servers disagree on the DS set")

// ParentDS asks each of the parent's authoritative servers (host:port, or
// host for port 53) directly for zone's DS RRset, DO=1, and returns the DS
// RDATA in presentation form (sorted, digests upper case) and its TTL (the
// smallest seen). No DS at the parent (an authoritative NODATA from the
// parent zone) gives an empty list and TTL 0. Every server must answer
// authoritatively (AA) from the parent zone, and all must hold the same
// set; otherwise the error names them.
func ParentDS(ctx context.Context, zone string, parentServers []string, timeout time.Duration) ([]string, uint32, error) {
	zone = dns.CanonicalName(zone)
	if len(parentServers) == 0 {
		return nil, 0, fmt.Errorf("dnssec: DS of %s: no parent servers", zone)
	}
	parentServers, err := query.ParseAddrs("parent server", parentServers)
	if err != nil {
		return nil, 0, fmt.Errorf("dnssec: DS of %s: %w", zone, err)
	}
	a := asker{timeout: timeout}
	var (
		first   []string
		ttl     uint32
		haveTTL bool
		seen    []string
	)
	for i, addr := range parentServers {
		ds, t, err := parentDSAt(ctx, a, zone, addr)
		if err != nil {
			return nil, 0, fmt.Errorf("dnssec: DS of %s: %w", zone, err)
		}
		seen = append(seen, fmt.Sprintf("%s: %s", addr, dsSetText(ds)))
		if i == 0 {
			first = ds
		} else if !slices.Equal(first, ds) {
			return nil, 0, fmt.Errorf("dnssec: DS of %s: %w (%s)", zone, ErrParentDisagree, strings.Join(seen, "; "))
		}
		if len(ds) > 0 && (!haveTTL || t < ttl) {
			ttl, haveTTL = t, true
		}
	}
	return first, ttl, nil
}

// parentDSAt reads the DS RRset from one parent server.
func parentDSAt(ctx context.Context, a asker, zone, addr string) ([]string, uint32, error) {
	r, err := a.ask(ctx, addr, zone, dns.TypeDS)
	if err != nil {
		return nil, 0, err
	}
	if r.Rcode != dns.RcodeSuccess {
		return nil, 0, fmt.Errorf("%s answered the DS query with %s", addr, rcodeText(r))
	}
	var out []string
	var ttl uint32
	for _, rr := range r.Answer {
		ds, ok := rr.(*dns.DS)
		if !ok || !equalName(ds.Hdr.Name, zone) {
			continue
		}
		if len(out) == 0 || ds.Hdr.Ttl < ttl {
			ttl = ds.Hdr.Ttl
		}
		out = append(out, dsRDATA(ds))
	}
	if !r.Authoritative {
		// A DS set read from a server that is not the parent's (a
		// referral, a cache) could be stale or absent: never trust it.
		return nil, 0, fmt.Errorf("%s answered the DS query of %s without AA: not an authoritative server of the parent zone", addr, zone)
	}
	if len(out) == 0 {
		for _, rr := range r.Ns {
			if soa, ok := rr.(*dns.SOA); ok && equalName(soa.Hdr.Name, zone) {
				// The child's own server answers NODATA for its apex DS.
				return nil, 0, fmt.Errorf("%s answered the DS query from %s itself (its SOA): a server of the zone, not of the parent", addr, zone)
			}
		}
	}
	if err := VerifyParentDS(ctx, addr, zone, r, a.timeout); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", addr, err)
	}
	slices.Sort(out)
	return slices.Compact(out), ttl, nil
}

func dsSetText(ds []string) string {
	if len(ds) == 0 {
		return "no DS"
	}
	return strings.Join(ds, ", ")
}

// dsRDATA is a DS record's RDATA in the one spelling DS sets are read,
// compared and recorded in (key tag, algorithm, digest type, the digest
// in upper case): the parent's, and those CDS and CDNSKEY ask for.
func dsRDATA(ds *dns.DS) string {
	return fmt.Sprintf("%d %d %d %s", ds.KeyTag, ds.Algorithm, ds.DigestType, strings.ToUpper(ds.Digest))
}

// VerifyParentDS checks r, server's answer (asked with the DO bit) to
// the DS query of zone, against the parent zone's own signatures: the
// one check of both readers of the parent's DS (ParentDS, the gates' DS
// set; registrar.Lookup, each parent server's delegation). When the
// parent zone is signed (its apex DNSKEY set, asked of server, holds zone
// keys), the DS RRset must carry an RRSIG that verifies under that set,
// itself signed by one of its keys (RFC 4035 section 5.2), and an answer
// of no DS must carry its signed NSEC or NSEC3 proof (RFC 4035 section
// 3.1.4.1; an opt-out NSEC3 cover is an insecure delegation, RFC 5155
// section 6). An answer carrying the parent's signatures from a server
// that serves no DNSKEY set fails too. nil for an unsigned parent.
//
// What it stops: a DS answer forged or altered on the path (no TSIG
// protects these queries) under a parent whose DNSKEY answer is genuine,
// and a parent serving a DS set its signer did not sign. What it cannot:
// with no trust anchor for the parent, an attacker forging the DNSKEY
// answer too (a parent made to look unsigned, or a DNSKEY set of its
// own) is not told apart; that needs the chain from the root, which a
// validating resolver the user runs has and this check does not.
func VerifyParentDS(ctx context.Context, server, zone string, r *dns.Msg, timeout time.Duration) error {
	zone = dns.CanonicalName(zone)
	a := asker{timeout: timeout}
	// The zone whose keys judge the answer is the one server says
	// encloses zone (parentKeys, from the name above zone), not the one
	// the answer names (a negative answer's SOA owner, an RRSIG's
	// signer): taken at its word, a forged answer names a zone whose
	// keys are not the parent's, one the server does not serve or an
	// unsigned one, and the parent passes for unsigned
	// (TestParentDSNamedZoneLab). A zone the answer names must be that
	// one: an authoritative answer's SOA is the zone holding the name
	// (RFC 2308 section 3), an RRSIG's signer the zone holding the RRset
	// (RFC 4035 section 5.3.1).
	named, claims := parentOf(r, zone) // claims: named, and DNSSEC records of it
	above := zone[strings.IndexByte(zone, '.')+1:]
	if above == "" {
		above = "."
	}
	parent, keys, set, sigs, err := parentKeys(ctx, a, server, above)
	if err != nil {
		if named != "" {
			// The answer names the zone it comes from (an SOA, DNSSEC
			// records: claims), whose signing is then to be known.
			return fmt.Errorf("the parent zone's signatures: the DS answer of %s names %s as its zone, and %s's DNSKEY set was not read: %w", zone, named, above, err)
		}
		// The parent's signing is not known: an unsigned answer is
		// taken as before.
		return nil
	}
	if named != "" && !equalName(named, parent) {
		return fmt.Errorf("the parent zone's signatures: the DS answer of %s names %s as its zone, but %s serves %s as the zone above it: forged or altered on the way", zone, named, server, parent)
	}
	// Keys of an algorithm this check cannot verify (ED448, GOST, one
	// assigned later) are left out: a zone signed with none other is,
	// to a validator that cannot verify it, insecure (RFC 4035 section
	// 5.2), and so it is taken here.
	keys = slices.DeleteFunc(keys, func(k *dns.DNSKEY) bool { return !verifiable[k.Algorithm] })
	if len(keys) == 0 {
		if claims && len(set) == 0 {
			return fmt.Errorf("the parent zone's signatures: the DS answer of %s carries %s's DNSSEC records, but %s serves no DNSKEY set for %s", zone, parent, server, parent)
		}
		return nil
	}
	now := time.Now()
	if _, err := verifySet(set, sigs, keys, parent, now); err != nil {
		return fmt.Errorf("the parent zone's signatures: %s's DNSKEY set does not verify under its own keys: %w", parent, err)
	}
	ans := groupSection(r.Answer)
	k := setKey{name: foldName(zone), typ: dns.TypeDS}
	if ds := ans.sets[k]; len(ds) > 0 {
		if _, err := verifySet(ds, ans.sigs[k], keys, parent, now); err != nil {
			return fmt.Errorf("the parent zone's signatures: the DS set of %s does not verify under %s's DNSKEY set (key tags %s): forged or altered on the way, or not signed by the parent: %w", zone, parent, keyTags(keys), err)
		}
		return nil
	}
	problems, _, _ := verifyResponse(r, parent, keys, now)
	problems = append(problems, proofProblems(r, parent, zone, dns.TypeDS)...)
	if len(problems) > 0 {
		return fmt.Errorf("the parent zone's signatures: its answer of no DS for %s is not proven under %s's DNSKEY set (key tags %s): forged or altered on the way, or not signed by the parent: %s", zone, parent, keyTags(keys), strings.Join(problems, "; "))
	}
	return nil
}

// verifiable are the DNSKEY algorithms RRSIG.Verify (miekg/dns) checks.
var verifiable = map[uint8]bool{
	dns.RSASHA1: true, dns.RSASHA1NSEC3SHA1: true, dns.RSASHA256: true, dns.RSASHA512: true,
	dns.ECDSAP256SHA256: true, dns.ECDSAP384SHA384: true, dns.ED25519: true,
}

// parentOf is the zone r names as the one it comes from (an RRSIG's
// signer over the DS set or in the authority section, else the SOA of a
// negative answer), and whether r carries DNSSEC records of it: a claim
// VerifyParentDS holds to the zone the server serves above zone.
func parentOf(r *dns.Msg, zone string) (parent string, signed bool) {
	for _, rr := range append(append([]dns.RR{}, r.Answer...), r.Ns...) {
		switch v := rr.(type) {
		case *dns.RRSIG:
			if !equalName(v.SignerName, zone) {
				return dns.CanonicalName(v.SignerName), true
			}
		case *dns.NSEC, *dns.NSEC3:
			signed = true
		case *dns.SOA:
			if !equalName(v.Hdr.Name, zone) {
				parent = dns.CanonicalName(v.Hdr.Name)
			}
		}
	}
	return parent, signed && parent != ""
}

// parentKeys asks server parent's apex DNSKEY set (DO=1): the apex it
// was read at, its zone keys, the RRset and the RRSIGs over it. A server that answers with authority
// for an enclosing zone instead (parent is no zone apex: a delegation
// that skips a label) is asked that zone's, once.
func parentKeys(ctx context.Context, a asker, server, parent string) (apex string, keys []*dns.DNSKEY, set []dns.RR, sigs []*dns.RRSIG, err error) {
	for range 2 {
		r, err := a.ask(ctx, server, parent, dns.TypeDNSKEY)
		if err != nil {
			return "", nil, nil, nil, err
		}
		if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
			return "", nil, nil, nil, fmt.Errorf("%s answers the DNSKEY query of %s with %s, aa=%v", server, parent, rcodeText(r), r.Authoritative)
		}
		ans := groupSection(r.Answer)
		k := setKey{name: foldName(parent), typ: dns.TypeDNSKEY}
		if len(ans.sets[k]) > 0 {
			return parent, ApexKeys(r.Answer, parent), ans.sets[k], ans.sigs[k], nil
		}
		soa := ""
		for _, rr := range r.Ns {
			if s, ok := rr.(*dns.SOA); ok {
				soa = dns.CanonicalName(s.Hdr.Name)
			}
		}
		if soa == "" || equalName(soa, parent) {
			return parent, nil, nil, nil, nil
		}
		parent = soa
	}
	return parent, nil, nil, nil, nil
}
