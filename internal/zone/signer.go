package zone

import (
	"encoding/hex"
	"strings"

	"github.com/miekg/dns"
)

// The record types a signer or a provider's zone pipeline makes, and the
// one type only the wire carries, side by side: every package that must
// leave them out of a comparison, a push or a gate asks here.

// BINDSigningState is the type of BIND's signing-state records (its
// default sig-signing-type, a private-use type: RFC 6895 §3.1), which a
// BIND signing the zone (dnssec-policy, inline-signing) keeps at the
// apex, serves and transfers; it refuses an UPDATE of it.
const BINDSigningState = 65534

// SignatureType reports whether t is DNSSEC machinery a signer makes for
// every signed zone from its own keys: DNSKEY, RRSIG and NSEC (RFC 4034
// §2-4), NSEC3 and NSEC3PARAM (RFC 5155 §3-4). Two signers never hold
// them alike, so they are never data: not compared as answers, not
// pushed, not deleted (whether each side signs is the dnssec check's).
func SignatureType(t uint16) bool {
	switch t {
	case dns.TypeRRSIG, dns.TypeNSEC, dns.TypeNSEC3, dns.TypeDNSKEY, dns.TypeNSEC3PARAM:
		return true
	}
	return false
}

// SignerApexType reports whether t is a record a signer (or a provider's
// zone pipeline) adds at the apex of a zone it serves when git has none:
// CDS and CDNSKEY for the parent (RFC 7344 §3; Knot's automatic signing,
// PowerDNS, providers' DNSSEC), ZONEMD (RFC 8976 §2, a digest of the zone
// as served, serial included) and BIND's signing state
// (BINDSigningState). Where git has none, a side's are not asked as data.
// Git's are not pushed (NotPushed) nor asked (NotAsked) either: CDS,
// CDNSKEY and the signing state are Generated, and git's apex ZONEMD is
// a digest at git's SOA serial, which no provider serves.
func SignerApexType(t uint16) bool {
	switch t {
	case dns.TypeCDS, dns.TypeCDNSKEY, dns.TypeZONEMD, BINDSigningState:
		return true
	}
	return false
}

// Generated reports whether a signing provider makes the records of type
// t at name itself, so that they are never pushed, deleted, exported or
// weighed by a TTL gate: SignatureType anywhere, and at the apex
// (origin) CDS, CDNSKEY and BINDSigningState, which a signing provider
// keeps from its own keys and state. Below the apex a CDS or CDNSKEY is
// the zone's data (RFC 9615 §2: a DNS operator's signaling record for
// another zone's bootstrapping), pushed and asked like any record. ZONEMD
// is not Generated: a provider makes one only when told to (RFC 8976 §3
// leaves it to the zone publisher); a ZONEMD below the apex is data, and
// git's apex one is NotPushed; a provider's that git lacks is SignerMade.
func Generated(origin, name string, t uint16) bool {
	return SignatureType(t) || (name == origin && SignerApexType(t) && t != dns.TypeZONEMD)
}

// SignerMade reports whether a record of type t at name, one a provider
// holds or a server serves where git has none of that type there, is the
// signer's or the provider's pipeline's rather than the zone's data:
// Generated anywhere, SignerApexType at the apex (origin). A push leaves
// it (deleted, it comes back: Knot's zonemd-generate makes a new ZONEMD
// at the next serial), unless it is a StaleZONEMD, and no gate counts it
// as a record lost at a step (a zone without ZONEMD is no less valid:
// RFC 8976 §4).
func SignerMade(origin, name string, t uint16) bool {
	return Generated(origin, name, t) || (name == origin && SignerApexType(t))
}

// StaleZONEMD reports whether no apex ZONEMD record of z (a provider's
// listing, a transfer) verifies z as it stands (RFC 8976 §4): its serial
// is not the apex SOA's, or its digest (SIMPLE scheme, SHA-384 or
// SHA-512: ZONEMDDigest) is not z's. A validating consumer then refuses
// the zone over it. A provider that keeps its ZONEMD current (Knot's
// zonemd-generate) makes one of the new serial at every change; a stale
// one is nobody's, and a push deletes it (SignerMade leaves a current
// one). False when z has no ZONEMD or no apex SOA (an API's listing
// without one: cannot tell); a record of another scheme or hash
// algorithm, or a digest over a zone ZONEMDDigest cannot redo exactly
// (zonemdExact), is judged by its serial alone.
func StaleZONEMD(z *Zone) bool {
	soa, zonemd := z.Get(z.Origin, dns.TypeSOA), z.Get(z.Origin, dns.TypeZONEMD)
	if soa == nil || zonemd == nil {
		return false
	}
	var serial uint32
	for _, rr := range soa.RRs() {
		serial = rr.(*dns.SOA).Serial
	}
	exact := zonemdExact(z)
	for _, rr := range zonemd.RRs() {
		r, ok := rr.(*dns.ZONEMD)
		if !ok || r.Serial != serial {
			continue
		}
		if r.Scheme != zonemdSimple || !exact {
			return false
		}
		d, ok := ZONEMDDigest(z, r.Hash)
		if !ok || strings.EqualFold(hex.EncodeToString(d), r.Digest) {
			return false
		}
	}
	return true
}

// NotPushed reports whether push leaves git's RRset of type t at name
// unwritten: Generated, and the apex ZONEMD (origin). Git's apex ZONEMD
// is a digest of git's file at git's SOA serial, and push never sets the
// SOA: every provider serves its own serial, bumped by each change, so
// served it would verify nothing (RFC 8976 §4: a consumer checking it
// refuses the zone), and over a provider that makes its own (Knot's
// zonemd-generate) each push would write it back and the provider make
// its own again. The provider's apex ZONEMD is SignerMade.
func NotPushed(origin, name string, t uint16) bool {
	return Generated(origin, name, t) || (name == origin && t == dns.TypeZONEMD)
}

// WireOnly reports whether t is a pseudo-record that only the wire carries
// and no zone holds: OPT (RFC 6891 §6.1.1). An answer's OPT is its EDNS,
// never data.
func WireOnly(t uint16) bool { return t == dns.TypeOPT }

// NotAsked reports whether parity leaves git's RRset of type t at name
// out of its questions: NotData, and at the apex (origin) SignerApexType:
// no push writes git's (NotPushed), so no side holds them; a side's own
// are its signer's (CDS and CDNSKEY the dnssec check's: RFC 7344 §4 and
// RFC 8901 §8 have them published by each signer from its own keys; a
// ZONEMD of each side's own serial). Asked, a CDS in git was compared
// between two signers' own CDS sets, which never match. Below the apex a
// CDS or CDNSKEY is the zone's data (RFC 9615 §2: a signaling record for
// another zone's bootstrapping), asked.
func NotAsked(origin, name string, t uint16) bool {
	return NotData(t) || (name == origin && SignerApexType(t))
}

// NotData reports whether a record of type t in an answer or a transfer
// is out of the data comparison: SignatureType or WireOnly.
func NotData(t uint16) bool { return SignatureType(t) || WireOnly(t) }
