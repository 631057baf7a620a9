package zone

import (
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// Normalize returns rr in canonical form, changing it in place: the owner
// and the domain names in RDATA in lower case (RFC 4343; the names RFC
// 4034 §6.2 lists, and those of later types: SVCB/HTTPS, LP, TALINK, HIP,
// IPSECKEY, AMTRELAY), the fields that their RFC makes case-insensitive
// too (foldCaseless); RFC 3597 records of a known type turned into that
// type. This is the one definition of "the same record": two records are
// the same exactly when their canonical wire RDATA is (plan, parity, drift
// and import all compare it).
func Normalize(rr dns.RR) (dns.RR, error) {
	if u, ok := rr.(*dns.RFC3597); ok {
		if _, known := dns.TypeToRR[u.Hdr.Rrtype]; known {
			typed, err := retype(u)
			if err != nil {
				return nil, err
			}
			rr = typed
		}
	}
	h := rr.Header()
	h.Name = canonicalEscapes(Fold(h.Name))
	lowerRdataNames(rr)
	foldCaseless(rr)
	sortBitmaps(rr)
	return rr, nil
}

// sortBitmaps puts type bitmaps in order (miekg/dns refuses to pack an
// unsorted list; the zone file may list the types in any order).
func sortBitmaps(rr dns.RR) {
	switch r := rr.(type) {
	case *dns.NSEC:
		r.TypeBitMap = sortTypes(r.TypeBitMap)
	case *dns.NSEC3:
		r.TypeBitMap = sortTypes(r.TypeBitMap)
		// miekg/dns's parser sets HashLength to 20 whatever the hash is.
		if b, err := b32hex.DecodeString(strings.ToUpper(r.NextDomain)); err == nil && len(b) < 256 {
			r.HashLength = uint8(len(b))
		}
	case *dns.CSYNC:
		r.TypeBitMap = sortTypes(r.TypeBitMap)
	}
}

func sortTypes(ts []uint16) []uint16 {
	if slices.IsSorted(ts) {
		return slices.Compact(ts)
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

func retype(u *dns.RFC3597) (dns.RR, error) {
	buf := make([]byte, dns.Len(u)+16)
	off, err := dns.PackRR(u, buf, 0, nil, false)
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", dns.TypeToString[u.Hdr.Rrtype], err)
	}
	rr, _, err := dns.UnpackRR(buf[:off], 0)
	if err != nil {
		return nil, fmt.Errorf("bad RDATA for %s in \\# form: %w", dns.TypeToString[u.Hdr.Rrtype], err)
	}
	return Unpacked(rr), nil
}

// Unpacked makes an RR that miekg/dns unpacked from wire data hold its
// octet fields (the CAA value, the URI target) as its parser does: in
// presentation form, '"' and '\' escaped and octets outside printable
// ASCII as \DDD. miekg/dns unpacks them as the bare octets but packs and
// prints them as presentation text, so a value holding a backslash would
// otherwise lose it (or turn \DDD into another octet) on the next pack or
// print. rr is changed in place and returned.
func Unpacked(rr dns.RR) dns.RR {
	switch r := rr.(type) {
	case *dns.CAA:
		r.Value = escapeOctets(r.Value)
	case *dns.URI:
		r.Target = escapeOctets(r.Target)
	}
	return rr
}

// Quote is octets as one quoted character-string in presentation form:
// '"' and '\' escaped, and octets outside printable ASCII as \DDD (RFC
// 1035 §5.1), which Go's %q does not write.
func Quote(s string) string {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < ' ' || c > '~':
			b = append(b, '\\', '0'+c/100, '0'+c/10%10, '0'+c%10)
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '"'))
}

// escapeOctets is octets as the inside of a quoted character-string in
// presentation form (Quote without its quotes).
func escapeOctets(s string) string {
	q := Quote(s)
	return q[1 : len(q)-1]
}

// lowerRdataNames lower-cases the domain names in rr's RDATA: a type
// added here that RFC 4034 §6.2 (RFC 6840 §5.1) does not list goes into
// zonemdExact too.
func lowerRdataNames(rr dns.RR) {
	l := foldName
	switch r := rr.(type) {
	case *dns.NS:
		r.Ns = l(r.Ns)
	case *dns.CNAME:
		r.Target = l(r.Target)
	case *dns.DNAME:
		r.Target = l(r.Target)
	case *dns.PTR:
		r.Ptr = l(r.Ptr)
	case *dns.MX:
		r.Mx = l(r.Mx)
	case *dns.SRV:
		r.Target = l(r.Target)
	case *dns.SOA:
		r.Ns, r.Mbox = l(r.Ns), l(r.Mbox)
	case *dns.NAPTR:
		r.Replacement = l(r.Replacement)
	case *dns.RP:
		r.Mbox, r.Txt = l(r.Mbox), l(r.Txt)
	case *dns.AFSDB:
		r.Hostname = l(r.Hostname)
	case *dns.RT:
		r.Host = l(r.Host)
	case *dns.KX:
		r.Exchanger = l(r.Exchanger)
	case *dns.PX:
		r.Map822, r.Mapx400 = l(r.Map822), l(r.Mapx400)
	case *dns.MINFO:
		r.Rmail, r.Email = l(r.Rmail), l(r.Email)
	case *dns.MB:
		r.Mb = l(r.Mb)
	case *dns.MG:
		r.Mg = l(r.Mg)
	case *dns.MR:
		r.Mr = l(r.Mr)
	case *dns.MD:
		r.Md = l(r.Md)
	case *dns.MF:
		r.Mf = l(r.Mf)
	case *dns.NSEC:
		r.NextDomain = l(r.NextDomain)
	case *dns.RRSIG:
		r.SignerName = l(r.SignerName)
	case *dns.SIG:
		r.SignerName = l(r.SignerName)
	case *dns.SVCB:
		r.Target = l(r.Target)
	case *dns.HTTPS:
		r.Target = l(r.Target)
	case *dns.LP:
		r.Fqdn = l(r.Fqdn)
	case *dns.TALINK:
		r.PreviousName, r.NextName = l(r.PreviousName), l(r.NextName)
	case *dns.NSAPPTR:
		r.Ptr = l(r.Ptr)
	case *dns.HIP:
		for i, n := range r.RendezvousServers {
			r.RendezvousServers[i] = l(n)
		}
	case *dns.IPSECKEY:
		if r.GatewayType == dns.IPSECGatewayHost {
			r.GatewayHost = l(r.GatewayHost)
		}
	case *dns.AMTRELAY:
		if r.GatewayType == dns.AMTRELAYHost {
			r.GatewayHost = l(r.GatewayHost)
		}
	}
}

// foldCaseless lower-cases the text fields whose RFC makes their case
// insignificant: the CAA tag ("Matching of tags is case insensitive", RFC
// 8659 §4.1) and the NAPTR flags ("The case of the alphabetic characters
// is not significant", RFC 3403 §4.1). All other text (TXT, the CAA value,
// NAPTR services and regexp, HINFO, URI targets, SVCB values) is compared
// octet by octet.
func foldCaseless(rr dns.RR) {
	switch r := rr.(type) {
	case *dns.CAA:
		r.Tag = foldText(r.Tag)
	case *dns.NAPTR:
		r.Flags = foldText(r.Flags)
	}
}

// foldText lower-cases the ASCII letters of a character-string in
// presentation form, letters written as escapes (\085, \U) included.
func foldText(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return Fold(s)
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		v, w := OctetAt(s, i)
		switch {
		case w == 1:
			b = append(b, lower(byte(v)))
		case w == 2:
			b = append(b, '\\', lower(byte(v)))
		case v >= 'A' && v <= 'Z': // \DDD of a capital letter
			b = append(b, byte(v)+'a'-'A')
		default:
			b = append(b, s[i:i+w]...)
		}
		i += w
	}
	return string(b)
}

// foldName lower-cases a domain name of RDATA, letters written as escapes
// (\077) included: the name is packed as it is spelled, so an escaped
// upper-case letter would stay upper case on the wire.
func foldName(name string) string {
	return canonicalEscapes(Fold(name))
}

// PackRdata packs rr (canonicalize it first with Normalize) and returns its
// uncompressed wire RDATA. buf is scratch space, reused when large enough;
// the RDATA is a slice of the returned scratch, valid until it is reused.
func PackRdata(rr dns.RR, buf []byte) (rdata, scratch []byte, err error) {
	h := rr.Header()
	name := h.Name
	h.Name = "." // header is then 11 octets
	n := dns.Len(rr) + 16
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	off, err := dns.PackRR(rr, buf, 0, nil, false)
	h.Name = name
	if err != nil {
		return nil, buf, fmt.Errorf("pack %s %s: %w", name, dns.Type(h.Rrtype), err)
	}
	return buf[11:off], buf, nil
}

// packRdata is PackRdata as a string.
func packRdata(rr dns.RR, buf []byte) (string, error) {
	rd, _, err := PackRdata(rr, buf)
	return string(rd), err
}

// CanonicalRdata is the canonical wire RDATA of rr (rr is not changed).
func CanonicalRdata(rr dns.RR) (string, error) {
	c, err := Normalize(dns.Copy(rr))
	if err != nil {
		return "", err
	}
	return packRdata(c, nil)
}

// FromRdata builds an RR from a header and canonical wire RDATA.
func FromRdata(h dns.RR_Header, rdata string) (dns.RR, error) {
	h.Rdlength = uint16(len(rdata))
	msg := []byte(rdata)
	rr, _, err := dns.UnpackRRWithHeader(h, msg, 0)
	if err != nil {
		return nil, fmt.Errorf("unpack %s %s: %w", h.Name, dns.TypeToString[h.Rrtype], err)
	}
	return Unpacked(rr), nil
}

// canonicalRecord canonicalizes rr in place (Normalize) and packs its
// RDATA (buf is scratch space, as for PackRdata): rr's header and its
// record, at pos.
func canonicalRecord(rr dns.RR, pos Pos, buf []byte) (*dns.RR_Header, Record, error) {
	rr, err := Normalize(rr)
	if err != nil {
		return nil, Record{}, err
	}
	rdata, err := packRdata(rr, buf)
	if err != nil {
		return nil, Record{}, err
	}
	h := rr.Header()
	return h, Record{Rdata: rdata, TTL: h.Ttl, Pos: pos}, nil
}

// emptySet is the RRset, still without records, of h's owner, type and
// class, with h's TTL.
func emptySet(h *dns.RR_Header) *RRSet {
	return &RRSet{Name: h.Name, Type: h.Rrtype, Class: h.Class, TTL: h.Ttl}
}

// NewRRSet builds a canonical RRset from RRs of one owner and type (TTL of
// the first; duplicates dropped). Positions are left empty.
func NewRRSet(rrs []dns.RR) (*RRSet, error) {
	if len(rrs) == 0 {
		return nil, fmt.Errorf("empty RRset")
	}
	var s *RRSet
	for _, rr := range rrs {
		h, rec, err := canonicalRecord(dns.Copy(rr), Pos{}, nil)
		if err != nil {
			return nil, err
		}
		if s == nil {
			s = emptySet(h)
		} else if h.Name != s.Name || h.Rrtype != s.Type {
			return nil, fmt.Errorf("RRset mixes %s %s and %s %s", s.Name, dns.TypeToString[s.Type], h.Name, dns.TypeToString[h.Rrtype])
		}
		s.Add(rec)
	}
	return s, nil
}

// FromRRs builds a zone from a list of RRs (as read by AXFR or from an API).
func FromRRs(origin string, rrs []dns.RR) (*Zone, error) {
	z := New(origin)
	buf := make([]byte, 0, 512)
	for _, rr := range rrs {
		if _, err := z.addRR(dns.Copy(rr), Pos{}, buf); err != nil {
			return nil, err
		}
	}
	z.Sort()
	return z, nil
}

// TXTStrings splits canonical TXT (or SPF) RDATA into its character-strings.
func TXTStrings(rdata string) []string {
	var out []string
	for i := 0; i < len(rdata); {
		n := int(rdata[i])
		i++
		if i+n > len(rdata) {
			n = len(rdata) - i
		}
		out = append(out, rdata[i:i+n])
		i += n
	}
	return out
}

// Target is the name a record points to: an NS, MX, SRV, CNAME, PTR
// or DNAME's target; ok false for other types.
func Target(rr dns.RR) (name string, ok bool) {
	switch v := rr.(type) {
	case *dns.DNAME:
		return v.Target, true
	case *dns.NS:
		return v.Ns, true
	case *dns.MX:
		return v.Mx, true
	case *dns.SRV:
		return v.Target, true
	case *dns.CNAME:
		return v.Target, true
	case *dns.PTR:
		return v.Ptr, true
	}
	return "", false
}
