package zone

import (
	"bytes"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// RDATA checks after parsing: what miekg/dns reads without complaint but
// BIND 9.18 refuses to load, per type, each against its RFC. checkRdata
// returns the first problem of a record, or "", and the field it is in.

// rdataField is where in a record's RDATA, as written, a check's problem
// is (meta.fieldPos finds its line): the n-th field (1-based; a field
// written as several tokens, a digest in pieces, by its first), or with
// n < 0 the SvcParam of key param (with again, its second occurrence);
// n == 0: the record as a whole.
type rdataField struct {
	n     int
	param dns.SVCBKey
	again bool
}

// svcParam is the field of an SvcParam.
func svcParam(k dns.SVCBKey) rdataField { return rdataField{n: -1, param: k} }

// rdataChecks holds one check per type (table-driven: add a type here).
var rdataChecks = map[uint16]func(dns.RR) (string, rdataField){
	dns.TypeDS:       checkDS,
	dns.TypeCDS:      checkDS,
	dns.TypeDLV:      checkDS,
	dns.TypeTA:       checkDS,
	dns.TypeSSHFP:    checkSSHFP,
	dns.TypeZONEMD:   checkZONEMD,
	dns.TypeCAA:      checkCAA,
	dns.TypeSVCB:     checkSVCB,
	dns.TypeHTTPS:    checkSVCB,
	dns.TypeNSEC:     checkNSEC,
	dns.TypeAMTRELAY: checkAMTRELAY,
	dns.TypeNXT:      checkNXT,
	dns.TypeX25:      checkX25,
	dns.TypeNAPTR:    checkNAPTR,
	dns.TypeDNSKEY:   checkKey,
	dns.TypeCDNSKEY:  checkKey,
	dns.TypeKEY:      checkKey,
	dns.TypeRRSIG:    checkSig,
	dns.TypeSIG:      checkSig,
	dns.TypeIPSECKEY: checkIPSECKEY,
}

func checkRdata(rr dns.RR) (string, rdataField) {
	if c := rdataChecks[rr.Header().Rrtype]; c != nil {
		return c(rr)
	}
	return "", rdataField{}
}

// digestLen is a digest's required length in octets for an algorithm.
type digestLen struct {
	name string
	n    int
}

// dsDigests: RFC 4034 §5.1.4 (SHA-1), RFC 4509 (SHA-256), RFC 5933 (GOST),
// RFC 6605 (SHA-384). Other digest types: any length (BIND too).
var dsDigests = map[uint8]digestLen{1: {"SHA-1", 20}, 2: {"SHA-256", 32}, 3: {"GOST R 34.11-94", 32}, 4: {"SHA-384", 48}}

// sshfpDigests: RFC 4255 §3.1 (SHA-1), RFC 6594 (SHA-256).
var sshfpDigests = map[uint8]digestLen{1: {"SHA-1", 20}, 2: {"SHA-256", 32}}

// zonemdDigests: RFC 8976 §2.2.3 (SHA-384, SHA-512); other hash
// algorithms: at least 12 octets (§2.2.4).
var zonemdDigests = map[uint8]digestLen{1: {"SHA-384", 48}, 2: {"SHA-512", 64}}

// zonemdMinDigest is the shortest ZONEMD digest (RFC 8976 §2.2.4).
const zonemdMinDigest = 12

func digestProblem(typ string, field string, alg uint8, hexDigest string, table map[uint8]digestLen) string {
	d, ok := table[alg]
	if !ok {
		return ""
	}
	if got := len(hexDigest) / 2; got != d.n {
		return fmt.Sprintf("%s digest is %d octets, but %s %d (%s) needs %d", typ, got, field, alg, d.name, d.n)
	}
	return ""
}

func checkDS(rr dns.RR) (string, rdataField) {
	var (
		alg uint8
		dg  string
	)
	switch r := rr.(type) {
	case *dns.DS:
		alg, dg = r.DigestType, r.Digest
	case *dns.CDS:
		if deleteRecord(r) {
			return "", rdataField{}
		}
		alg, dg = r.DigestType, r.Digest
	case *dns.DLV:
		alg, dg = r.DigestType, r.Digest
	case *dns.TA:
		alg, dg = r.DigestType, r.Digest
	default:
		return "", rdataField{}
	}
	// key tag, algorithm, digest type, digest
	return digestProblem(TypeName(rr.Header().Rrtype), "digest type", alg, dg, dsDigests), rdataField{n: 4}
}

func checkSSHFP(rr dns.RR) (string, rdataField) {
	r := rr.(*dns.SSHFP)
	// algorithm, fingerprint type, fingerprint
	return digestProblem("SSHFP", "fingerprint type", r.Type, r.FingerPrint, sshfpDigests), rdataField{n: 3}
}

func checkZONEMD(rr dns.RR) (string, rdataField) {
	r := rr.(*dns.ZONEMD)
	digest := rdataField{n: 4} // serial, scheme, hash algorithm, digest
	if msg := digestProblem("ZONEMD", "hash algorithm", r.Hash, r.Digest, zonemdDigests); msg != "" {
		return msg, digest
	}
	if n := len(r.Digest) / 2; n < zonemdMinDigest {
		return fmt.Sprintf("ZONEMD digest is %d octets, under the %d a digest needs (RFC 8976 §2.2.4)", n, zonemdMinDigest), digest
	}
	return "", rdataField{}
}

// checkCAA: the tag is letters and digits only (RFC 8659 §4.1).
func checkCAA(rr dns.RR) (string, rdataField) {
	tag := rr.(*dns.CAA).Tag
	at := rdataField{n: 2} // flags, tag, value
	if tag == "" {
		return "CAA tag is empty (RFC 8659 §4.1: letters and digits)", at
	}
	for i := 0; i < len(tag); i++ {
		c := tag[i] | 0x20
		if !(c >= 'a' && c <= 'z' || isDigit(tag[i])) {
			return fmt.Sprintf("CAA tag %s: only letters and digits are allowed (RFC 8659 §4.1)", redact.Quote(tag)), at
		}
	}
	return "", rdataField{}
}

// checkSVCB: the consistency rules of RFC 9460 §7 and §8 for a ServiceMode
// record: each key once, mandatory keys present and not "mandatory" itself
// nor listed twice, no-default-alpn only with alpn, alpn IDs not empty.
func checkSVCB(rr dns.RR) (string, rdataField) {
	var (
		kv  []dns.SVCBKeyValue
		typ = TypeName(rr.Header().Rrtype)
	)
	switch r := rr.(type) {
	case *dns.SVCB:
		kv = r.Value
	case *dns.HTTPS:
		kv = r.Value
	}
	have := map[dns.SVCBKey]bool{}
	for _, e := range kv {
		if have[e.Key()] {
			return fmt.Sprintf("%s: key %s given twice (RFC 9460 §2.2)", typ, e.Key()), rdataField{n: -1, param: e.Key(), again: true}
		}
		have[e.Key()] = true
	}
	for _, e := range kv {
		switch p := e.(type) {
		case *dns.SVCBMandatory:
			at := svcParam(dns.SVCB_MANDATORY)
			if len(p.Code) == 0 {
				return fmt.Sprintf("%s: mandatory lists no key (RFC 9460 §8: one or more)", typ), at
			}
			listed := map[dns.SVCBKey]bool{}
			for _, k := range p.Code {
				switch {
				case k == dns.SVCB_MANDATORY:
					return fmt.Sprintf("%s: mandatory lists itself (RFC 9460 §8)", typ), at
				case listed[k]:
					return fmt.Sprintf("%s: mandatory lists key %s twice (RFC 9460 §8)", typ, k), at
				case !have[k]:
					return fmt.Sprintf("%s: mandatory key %s is missing from the record (RFC 9460 §8)", typ, k), at
				}
				listed[k] = true
			}
		case *dns.SVCBDoHPath:
			if !dohTemplate(p.Template) {
				return fmt.Sprintf("%s: dohpath %s is not a relative URI template with a \"dns\" variable (RFC 9461 §5)", typ, redact.Quote(p.Template)), svcParam(dns.SVCB_DOHPATH)
			}
		case *dns.SVCBAlpn:
			if len(p.Alpn) == 0 {
				return fmt.Sprintf("%s: alpn has no protocol ID (RFC 9460 §7.1.1)", typ), svcParam(dns.SVCB_ALPN)
			}
			for _, id := range p.Alpn {
				if id == "" {
					return fmt.Sprintf("%s: alpn holds an empty protocol ID (RFC 9460 §7.1.1)", typ), svcParam(dns.SVCB_ALPN)
				}
			}
		}
	}
	if have[dns.SVCB_NO_DEFAULT_ALPN] && !have[dns.SVCB_ALPN] {
		return fmt.Sprintf("%s: no-default-alpn without alpn (RFC 9460 §7.1.1: the record would offer no protocol)", typ), svcParam(dns.SVCB_NO_DEFAULT_ALPN)
	}
	return "", rdataField{}
}

// escapeProblem finds a malformed \DDD escape in the text of a record line
// (RFC 1035 §5.1: \ and three decimal digits, at most 255), in names and
// character-strings alike; miekg/dns reads "\1" as "1" and "\256" as a
// wrapped octet, BIND refuses both.
func escapeProblem(l []byte) (msg string, at int) {
	for i := 0; i < len(l); i++ {
		if l[i] != '\\' {
			continue
		}
		if i+1 >= len(l) || !isDigit(l[i+1]) {
			i++ // an escaped character
			continue
		}
		n := 1
		for n < 3 && i+1+n < len(l) && isDigit(l[i+1+n]) {
			n++
		}
		esc := string(l[i : i+1+n])
		if n < 3 {
			return fmt.Sprintf("bad escape %s: \\DDD needs three decimal digits (write \\%03s)", esc, esc[1:]), i
		}
		if v := int(l[i+1]-'0')*100 + int(l[i+2]-'0')*10 + int(l[i+3]-'0'); v > 255 {
			return fmt.Sprintf("bad escape %s: \\DDD is an octet, %d is over 255", esc, v), i
		}
		i += 3
	}
	return "", 0
}

// nulProblem finds a NUL byte outside quotes in the text of a record line:
// BIND ends the token there ("syntax error"), miekg/dns kept it as an
// octet of the name or string. Inside quotes both keep it.
func nulProblem(l []byte) (msg string, at int) {
	for i := 0; ; {
		s, e := nextTok(l, i)
		if s == e {
			return "", 0
		}
		if l[s] != '"' && bytes.IndexByte(l[s:e], 0) >= 0 {
			return "a NUL byte outside quotes (BIND: syntax error): write it as \\000", s
		}
		i = e
	}
}

// svcbIPv6HintProblem finds an IPv4-mapped address in an ipv6hint (valid
// in RFC 9460 §7.3, BIND loads it): miekg/dns v1.1.73 cannot pack it, and
// said only "bad RDATA".
func svcbIPv6HintProblem(toks []string) (msg string, tok int) {
	for k, t := range toks {
		v, ok := strings.CutPrefix(strings.ToLower(t), "ipv6hint=")
		if !ok {
			continue
		}
		at := k
		if v == "" && k+1 < len(toks) {
			v, at = unquote(toks[k+1]), k+1
		}
		for _, a := range strings.Split(v, ",") {
			if ip, err := netip.ParseAddr(a); err == nil && ip.Is4In6() {
				return fmt.Sprintf("SVCB ipv6hint %s is an IPv4-mapped address: dnsparity's DNS library cannot encode it; not supported (put %s in ipv4hint)", a, ip.Unmap()), at
			}
		}
	}
	return "", 0
}

// svcbKeyProblem finds a keyNNNNN SvcParamKey written with a leading zero
// (RFC 9460 §2.1: "key" and the number without leading zeros).
func svcbKeyProblem(toks []string) (msg string, tok int) {
	for n, t := range toks {
		k, v, _ := strings.Cut(t, "=")
		if len(k) > 4 && strings.EqualFold(k[:3], "key") && k[3] == '0' && isDigit(k[4]) {
			return fmt.Sprintf("SVCB key %s: the key number has a leading zero (RFC 9460 §2.1)", k), n
		}
		// A list with an empty item: miekg/dns drops it, BIND refuses it
		// (RFC 9460 §7.1.1, §7.3, §7.4: each item is a key or an address).
		switch strings.ToLower(k) {
		case "mandatory", "ipv4hint", "ipv6hint", "alpn":
			if v = unquote(v); v != "" && slices.Contains(strings.Split(v, ","), "") {
				return fmt.Sprintf("SVCB %s=%s: an empty item in the list (a comma too many)", k, v), n
			}
		}
	}
	return "", 0
}

// checkNSEC: an NSEC's owner has at least the NSEC type itself, so its
// type bitmap is never empty (RFC 4034 §4.1.2; BIND: FORMERR).
func checkNSEC(rr dns.RR) (string, rdataField) {
	if r, ok := rr.(*dns.NSEC); ok && len(r.TypeBitMap) == 0 {
		return "NSEC record with no types: its owner has at least NSEC (RFC 4034 §4.1.2)", rdataField{}
	}
	return "", rdataField{}
}

// locProblem checks the numbers of a LOC record's text that miekg/dns
// reads without complaint and stores otherwise (RFC 1876 §3): seconds
// with at most three decimals, an altitude in metres with at most two,
// from -100000.00 to 42849672.95 (miekg/dns wraps 42849672.96m to
// -100000m), and nothing after the vertical precision. toks is the RDATA;
// a structure it does not recognise is left to miekg/dns.
func locProblem(toks []string) (msg string, tok int) {
	// d1 [m1 [s1]] {N|S} d2 [m2 [s2]] {E|W} alt[m] [siz[m] [hp[m] [vp[m]]]]
	i := 0
	for _, hemi := range []string{"NS", "EW"} {
		j := i + 1
		for j < len(toks) && j <= i+3 && !(len(toks[j]) == 1 && strings.ContainsAny(strings.ToUpper(toks[j]), hemi)) {
			j++
		}
		if j >= len(toks) || j > i+3 {
			return "", 0
		}
		if h := toks[j]; h != strings.ToUpper(h) {
			return fmt.Sprintf("LOC hemisphere %s: write N, S, E or W in capitals (RFC 1876 §3; BIND and Knot refuse lower case)", redact.Quote(h)), j
		}
		if j == i+3 && !decimal(toks[i+2], 3, false) {
			return fmt.Sprintf("LOC seconds %s: at most three decimals (RFC 1876 §3)", redact.Quote(toks[i+2])), i + 2
		}
		i = j + 1
	}
	rest := toks[i:]
	if len(rest) == 0 {
		return "", 0
	}
	if len(rest) > 4 {
		return fmt.Sprintf("LOC record: %s after the vertical precision (BIND: extra input text)", redact.Quote(strings.Join(rest[4:], " "))), i + 4
	}
	alt := strings.TrimSuffix(strings.TrimSuffix(rest[0], "m"), "M")
	if !decimal(alt, 2, true) {
		return fmt.Sprintf("LOC altitude %s: metres with at most two decimals (RFC 1876 §3)", redact.Quote(rest[0])), i
	}
	if v, err := strconv.ParseFloat(alt, 64); err != nil || v < -100000 || v > 42849672.95 {
		return fmt.Sprintf("LOC altitude %s is out of range: -100000.00m to 42849672.95m (RFC 1876 §3)", redact.Quote(rest[0])), i
	}
	return "", 0
}

// decimal reports whether s is digits with at most frac decimals after a
// point, with a leading '-' if signed.
func decimal(s string, frac int, signed bool) bool {
	if signed {
		s = strings.TrimPrefix(s, "-")
	}
	whole, f, dot := strings.Cut(s, ".")
	if whole == "" || (dot && (f == "" || len(f) > frac)) {
		return false
	}
	for _, c := range whole + f {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// checkAMTRELAY refuses an AMTRELAY with the discovery bit and a relay
// (RFC 8777 §4.2-4.3): miekg/dns (v1.1.73) packs the relay by the type
// octet with the D bit in it, matches no relay type and leaves the relay
// out ("255 1 2 2001:db8::1" packs as ff82), so push would send, and plan
// and parity compare, a record without its relay; and it cannot read such
// a record from a server (TestGuardMiekgPack). BIND loads it.
func checkAMTRELAY(rr dns.RR) (string, rdataField) {
	if r, ok := rr.(*dns.AMTRELAY); ok && r.GatewayType&0x80 != 0 && r.GatewayType&0x7f != 0 {
		// precedence, D bit, relay type, relay
		return fmt.Sprintf("AMTRELAY with the discovery bit (D=1) and a relay of type %d: dnsparity's DNS library drops the relay from such a record, so it cannot be pushed or compared; not supported (D=0 is)", r.GatewayType&0x7f), rdataField{n: 2}
	}
	return "", rdataField{}
}

// checkNXT refuses NXT (RFC 2535, obsoleted by RFC 3755 with SIG and KEY
// for DNSSEC): miekg/dns packs its type bitmap in NSEC's windowed form
// (A NS as 000160, where NXT's bitmap is 60), so push would send, and plan
// and parity compare, other octets. BIND loads it.
func checkNXT(dns.RR) (string, rdataField) {
	return "NXT (obsolete, RFC 3755): dnsparity's DNS library writes its type bitmap in NSEC's form, not NXT's, so it cannot be pushed or compared; not supported", rdataField{}
}

// dohTemplate reports whether t is a dohpath as RFC 9461 §5 has it, and
// as BIND checks it: a relative URI template (starting with '/') with a
// variable "dns" in one of its expressions ({?dns}, {dns}, {?x,dns}).
func dohTemplate(t string) bool {
	if !strings.HasPrefix(t, "/") {
		return false
	}
	for rest := t; ; {
		_, after, ok := strings.Cut(rest, "{")
		if !ok {
			return false
		}
		expr, tail, ok := strings.Cut(after, "}")
		if !ok {
			return false
		}
		// An operator (RFC 6570 §2.2), then variables with modifiers.
		expr = strings.TrimLeft(expr, "+#./;?&=,!@|")
		for _, v := range strings.Split(expr, ",") {
			v, _, _ = strings.Cut(v, ":")
			if strings.TrimSuffix(v, "*") == "dns" {
				return true
			}
		}
		rest = tail
	}
}

// checkKey: a DNSKEY, CDNSKEY or KEY holds its public key (RFC 4034
// §2.2; miekg/dns reads none as empty, BIND says "unexpected end of
// input"), but a KEY whose flags say no key (both high bits, RFC 2535
// §3.1.2) holds none (BIND: "extra input text").
func checkKey(rr dns.RR) (string, rdataField) {
	var key string
	switch r := rr.(type) {
	case *dns.DNSKEY:
		key = r.PublicKey
	case *dns.CDNSKEY:
		key = r.PublicKey
	case *dns.KEY:
		key = r.PublicKey
		if r.Flags&0xc000 == 0xc000 {
			if key != "" {
				return fmt.Sprintf("KEY with the no-key flags (%d: both high bits, RFC 2535 §3.1.2) and a public key: leave the key out, or the flags", r.Flags), rdataField{n: 4}
			}
			return "", rdataField{}
		}
	default:
		return "", rdataField{}
	}
	if key == "" {
		return fmt.Sprintf("%s record without its public key (RFC 4034 §2.2)", TypeName(rr.Header().Rrtype)), rdataField{}
	}
	return "", rdataField{}
}

// checkSig: an RRSIG or SIG holds its signature (RFC 4034 §3.2; miekg/dns
// reads none as empty, BIND says "unexpected end of input").
func checkSig(rr dns.RR) (string, rdataField) {
	switch r := rr.(type) {
	case *dns.RRSIG:
		if r.Signature == "" {
			return "RRSIG record without its signature (RFC 4034 §3.2)", rdataField{}
		}
	case *dns.SIG:
		if r.Signature == "" {
			return "SIG record without its signature (RFC 2535 §4.1)", rdataField{}
		}
	}
	return "", rdataField{}
}

// checkIPSECKEY: gateway types 0 to 3 (RFC 4025 §2.3: none, IPv4, IPv6,
// a name); BIND refuses others ("out of range").
func checkIPSECKEY(rr dns.RR) (string, rdataField) {
	if r, ok := rr.(*dns.IPSECKEY); ok && r.GatewayType > 3 {
		return fmt.Sprintf("IPSECKEY gateway type %d: 0 (none), 1 (IPv4), 2 (IPv6) or 3 (a name), RFC 4025 §2.3", r.GatewayType), rdataField{n: 2}
	}
	return "", rdataField{}
}

// checkX25: the PSDN address is an X.121 number, decimal digits starting
// with the four of its DNIC (RFC 1183 §3.1); BIND refuses fewer digits or
// others.
func checkX25(rr dns.RR) (string, rdataField) {
	r, ok := rr.(*dns.X25)
	if !ok {
		return "", rdataField{}
	}
	if len(r.PSDNAddress) < 4 || strings.IndexFunc(r.PSDNAddress, func(c rune) bool { return c < '0' || c > '9' }) >= 0 {
		return fmt.Sprintf("X25 address %s: decimal digits, at least the four of the DNIC (RFC 1183 §3.1)", redact.Quote(r.PSDNAddress)), rdataField{n: 1}
	}
	return "", rdataField{}
}

// checkNAPTR checks the regexp (RFC 3402 §3.2), as BIND does: empty, or
// delim-char ERE delim-char repl delim-char flags, with a delimiter that
// is not a digit, a backslash or "i", the flag "i" only, and
// back-references \1-\9 in repl to groups the ERE has.
func checkNAPTR(rr dns.RR) (string, rdataField) {
	rd, _, err := PackRdata(rr, nil)
	if err != nil || len(rd) < 4 {
		return "", rdataField{}
	}
	// order, preference, then flags, services and regexp as
	// character-strings (their octets, escapes decoded).
	off := 4
	var re []byte
	for k := 0; k < 3; k++ {
		if off >= len(rd) || off+1+int(rd[off]) > len(rd) {
			return "", rdataField{}
		}
		re = rd[off+1 : off+1+int(rd[off])]
		off += 1 + int(rd[off])
	}
	if msg := naptrRegexpProblem(re); msg != "" {
		// order, preference, flags, services, regexp
		return fmt.Sprintf("NAPTR regexp %s: %s (RFC 3402 §3.2)", redact.Quote(string(re)), msg), rdataField{n: 5}
	}
	return "", rdataField{}
}

// naptrRegexpProblem is BIND's txt_valid_regex (naptr_35.c) on the octets
// of a NAPTR regexp; the ERE's syntax is checked with Go's
// regexp.CompilePOSIX (a little looser than BIND's: "a**" passes).
func naptrRegexpProblem(re []byte) string {
	if len(re) == 0 {
		return ""
	}
	delim := re[0]
	if isDigit(delim) || delim == '\\' || delim == 'i' || delim == 0 {
		return fmt.Sprintf("the delimiter %q cannot be a digit, a backslash or i", delim)
	}
	var ere []byte
	replace, flags := false, false
	nsub := 0
	for i := 1; i < len(re); i++ {
		c := re[i]
		switch {
		case c == 0:
			return "a NUL octet"
		case c == delim && !replace:
			replace = true
			if len(ere) == 0 {
				return "the expression is empty"
			}
			p, err := regexp.CompilePOSIX(string(ere))
			if err != nil {
				return "the expression is not a POSIX extended regular expression"
			}
			nsub = p.NumSubexp()
			continue
		case c == delim && !flags:
			flags = true
			continue
		case c == delim:
			return "more than three delimiters"
		case flags:
			if c != 'i' {
				return fmt.Sprintf("flag %q (only i)", c)
			}
			continue
		}
		if !replace {
			ere = append(ere, c)
		}
		if c == '\\' {
			i++
			if i >= len(re) || re[i] == 0 {
				return "a backslash at the end"
			}
			c = re[i]
			if replace && isDigit(c) {
				if c == '0' || int(c-'0') > nsub {
					return fmt.Sprintf("back-reference \\%c, and the expression has %d group(s)", c, nsub)
				}
				continue
			}
			if !replace {
				// BIND takes \ and any character as that character;
				// Go's POSIX syntax refuses \d or \w: validate those as
				// the letter.
				if c < 0x80 && (isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z') {
					ere = ere[:len(ere)-1]
				}
				ere = append(ere, c)
			}
		}
	}
	if !flags {
		return "not delim expression delim replacement delim"
	}
	return ""
}
