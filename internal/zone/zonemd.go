package zone

import (
	"bytes"
	"crypto/sha512"
	"encoding/binary"
	"hash"
	"slices"

	"github.com/miekg/dns"
)

// ZONEMD hash algorithms (RFC 8976 §5.3) and the one scheme (§5.2).
const (
	zonemdSimple = 1
	zonemdSHA384 = 1
	zonemdSHA512 = 2
)

// ZONEMDDigest is the digest of z by the SIMPLE scheme (RFC 8976 §3.3.1)
// with hash algorithm alg (1: SHA-384, 2: SHA-512), or false for another
// algorithm: every record of z in canonical order (RFC 4034 §6.1, 6.3),
// each in canonical wire form (§6.2: owner uncompressed in lower case,
// type, class, its own TTL, RDATA length, canonical RDATA), duplicates
// once, without the apex ZONEMD RRset and the apex RRSIGs that cover it
// (§3.3.1.2). miekg/dns v1.1.73 has no ZONEMD digest. The RDATA is the
// zone's (Normalize), which lower-cases more than RFC 4034 §6.2 does (an
// SVCB target, a CAA tag, an NSEC's next name: RFC 6840 §5.1); on a zone
// holding any of those types in mixed case the digest is not the
// publisher's (zonemdExact says whether z holds such a type: Knot and
// ldns keep their case).
func ZONEMDDigest(z *Zone, alg uint8) ([]byte, bool) {
	var h hash.Hash
	switch alg {
	case zonemdSHA384:
		h = sha512.New384()
	case zonemdSHA512:
		h = sha512.New()
	default:
		return nil, false
	}
	sets := slices.Clone(z.Sets)
	slices.SortFunc(sets, compareSets)
	owner := make([]byte, 256)
	var fixed [10]byte
	for _, s := range sets {
		if s.Name == z.Origin && s.Type == dns.TypeZONEMD {
			continue
		}
		n, err := dns.PackDomainName(s.Name, owner, 0, nil, false)
		if err != nil {
			return nil, false
		}
		recs := slices.Clone(s.Records)
		slices.SortFunc(recs, func(a, b Record) int { return bytes.Compare([]byte(a.Rdata), []byte(b.Rdata)) })
		recs = slices.CompactFunc(recs, func(a, b Record) bool { return a.Rdata == b.Rdata })
		for _, r := range recs {
			if s.Name == z.Origin && s.Type == dns.TypeRRSIG && len(r.Rdata) >= 2 && binary.BigEndian.Uint16([]byte(r.Rdata)) == dns.TypeZONEMD {
				continue // an RRSIG covering the apex ZONEMD
			}
			binary.BigEndian.PutUint16(fixed[0:], s.Type)
			binary.BigEndian.PutUint16(fixed[2:], dns.ClassINET)
			binary.BigEndian.PutUint32(fixed[4:], r.TTL)
			binary.BigEndian.PutUint16(fixed[8:], uint16(len(r.Rdata)))
			h.Write(owner[:n])
			h.Write(fixed[:])
			h.Write([]byte(r.Rdata))
		}
	}
	return h.Sum(nil), true
}

// zonemdExact reports whether ZONEMDDigest of z is the publisher's
// whatever the case the records were written in: z holds no type whose
// canonical RDATA (Normalize) folds case that RFC 4034 §6.2, as RFC 6840
// §5.1 amends it, keeps (Knot and ldns-signzone digest "Svc.Example." in
// an HTTPS target and "Issue" as a CAA tag as written, Knot an NSAP-PTR's
// name too). It names each type lowerRdataNames and foldCaseless fold
// that the RFC's list does not.
func zonemdExact(z *Zone) bool {
	for _, s := range z.Sets {
		switch s.Type {
		case dns.TypeSVCB, dns.TypeHTTPS, dns.TypeLP, dns.TypeTALINK, dns.TypeHIP, dns.TypeIPSECKEY,
			dns.TypeAMTRELAY, dns.TypeNSAPPTR, dns.TypeCAA, dns.TypeNAPTR, dns.TypeNSEC:
			return false
		}
	}
	return true
}
