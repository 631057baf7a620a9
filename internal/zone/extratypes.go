package zone

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// Types BIND 9.18 reads in presentation form and miekg/dns v1.1.73 does not:
// the feeder (compat.go) rewrites their records in RFC 3597 form
// (TYPEnnn \# LEN HEX), so that they load, compare and push like any other
// record of an unknown type. The encodings follow BIND's (named-rrchecker -u
// gives the same octets; TestExtraTypesAgainstBIND).

// extraType is one such type and its RDATA encoder: toks are the RDATA
// fields as written (quotes kept), origin completes relative names.
type extraType struct {
	name   string
	code   uint16
	encode func(toks []string, origin string) ([]byte, error)
}

var extraTypes = []extraType{
	{"WKS", 11, encodeWKS},        // RFC 1035 §3.4.2
	{"ATMA", 34, encodeATMA},      // ATM Forum af-dans-0152.000
	{"A6", 38, encodeA6},          // RFC 2874 (historic)
	{"SINK", 40, encodeSINK},      // draft-eastlake-kitchen-sink
	{"DSYNC", 66, encodeDSYNC},    // RFC 9859
	{"HHIT", 67, encodeBase64},    // draft-ietf-drip-registries
	{"BRID", 68, encodeBase64},    // draft-ietf-drip-registries
	{"DOA", 259, encodeDOA},       // draft-durand-doa-over-dns
	{"WALLET", 262, encodeWALLET}, // IANA, TXT syntax
}

// ExtraTypes names the types dnsparity reads beyond miekg/dns, with their
// numbers (for documentation and messages).
func ExtraTypes() map[string]uint16 {
	out := map[string]uint16{"NSAP": 22}
	for _, x := range extraTypes {
		out[x.name] = x.code
	}
	return out
}

// extraCode: code is a type dnsparity reads beyond miekg/dns (NSAP too).
func extraCode(code uint16) bool {
	if code == 22 {
		return true
	}
	for _, x := range extraTypes {
		if x.code == code {
			return true
		}
	}
	return false
}

func findExtra(typ []byte) *extraType {
	for i := range extraTypes {
		if asciiEqualFold(typ, extraTypes[i].name) {
			return &extraTypes[i]
		}
	}
	return nil
}

var errFields = errors.New("missing fields")

func need(toks []string, n int) error {
	if len(toks) < n {
		return fmt.Errorf("%w: %d given, %d needed", errFields, len(toks), n)
	}
	return nil
}

func uintField(tok string, bits int, what string) (uint64, error) {
	v, err := strconv.ParseUint(tok, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%s %s is not a number of %d bits", what, redact.Quote(tok), bits)
	}
	return v, nil
}

// nameWire is the uncompressed wire form of a name as written.
func nameWire(tok, origin string) ([]byte, error) {
	n, ok := absName(tok, origin)
	if !ok {
		return nil, fmt.Errorf("bad name %s", redact.Quote(tok))
	}
	buf := make([]byte, 256)
	off, err := dns.PackDomainName(n, buf, 0, nil, false)
	if err != nil || off > 255 {
		return nil, fmt.Errorf("bad name %s", redact.Quote(tok))
	}
	return buf[:off], nil
}

func base64Field(toks []string) ([]byte, error) {
	s := strings.Join(toks, "")
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("bad base64 %s", redact.Quote(s))
	}
	return b, nil
}

// appendBase64 is out with the octets toks spell in base64 (base64Field)
// after it.
func appendBase64(out []byte, toks []string) ([]byte, error) {
	data, err := base64Field(toks)
	if err != nil {
		return nil, err
	}
	return append(out, data...), nil
}

// charString is one <character-string> (RFC 1035 §5.1) in wire form.
func charString(tok string) ([]byte, error) {
	rr, err := dns.NewRR(". 0 IN TXT " + tok)
	if err != nil || rr == nil || len(rr.(*dns.TXT).Txt) != 1 {
		return nil, fmt.Errorf("bad character-string %s", redact.Quote(tok))
	}
	return txtWire(rr)
}

func txtWire(rr dns.RR) ([]byte, error) {
	rd, _, err := PackRdata(rr, nil)
	if err != nil {
		return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "dns: "))
	}
	return rd, nil
}

// encodeWALLET: one or more character-strings, as TXT.
func encodeWALLET(toks []string, _ string) ([]byte, error) {
	if err := need(toks, 1); err != nil {
		return nil, err
	}
	rr, err := dns.NewRR(". 0 IN TXT " + strings.Join(toks, " "))
	if err != nil || rr == nil {
		return nil, fmt.Errorf("bad character-strings")
	}
	return txtWire(rr)
}

// encodeDSYNC: RRtype Scheme Port Target (RFC 9859 §2.1); scheme NOTIFY = 1.
func encodeDSYNC(toks []string, origin string) ([]byte, error) {
	if err := need(toks, 4); err != nil {
		return nil, err
	}
	t, ok := dns.StringToType[strings.ToUpper(toks[0])]
	if !ok {
		if v, err := strconv.ParseUint(strings.TrimPrefix(strings.ToUpper(toks[0]), "TYPE"), 10, 16); err == nil && strings.HasPrefix(strings.ToUpper(toks[0]), "TYPE") {
			t, ok = uint16(v), true
		}
	}
	if !ok {
		return nil, fmt.Errorf("unknown RR type %s", redact.Quote(toks[0]))
	}
	var scheme uint64 = 1
	if !strings.EqualFold(toks[1], "NOTIFY") {
		var err error
		if scheme, err = uintField(toks[1], 8, "scheme"); err != nil {
			return nil, err
		}
	}
	port, err := uintField(toks[2], 16, "port")
	if err != nil {
		return nil, err
	}
	target, err := nameWire(toks[3], origin)
	if err != nil {
		return nil, err
	}
	out := binary.BigEndian.AppendUint16(nil, t)
	out = append(out, byte(scheme))
	out = binary.BigEndian.AppendUint16(out, uint16(port))
	return append(out, target...), nil
}

// encodeBase64: the whole RDATA as base64 (HHIT, BRID).
func encodeBase64(toks []string, _ string) ([]byte, error) {
	if err := need(toks, 1); err != nil {
		return nil, err
	}
	return base64Field(toks)
}

// encodeSINK: meaning coding subcoding [base64 data].
func encodeSINK(toks []string, _ string) ([]byte, error) {
	if err := need(toks, 3); err != nil {
		return nil, err
	}
	var out []byte
	for i, what := range []string{"meaning", "coding", "subcoding"} {
		v, err := uintField(toks[i], 8, what)
		if err != nil {
			return nil, err
		}
		out = append(out, byte(v))
	}
	return appendBase64(out, toks[3:])
}

// encodeDOA: enterprise type location media-type data ("-": none).
func encodeDOA(toks []string, _ string) ([]byte, error) {
	if err := need(toks, 5); err != nil {
		return nil, err
	}
	ent, err := uintField(toks[0], 32, "enterprise")
	if err != nil {
		return nil, err
	}
	typ, err := uintField(toks[1], 32, "type")
	if err != nil {
		return nil, err
	}
	loc, err := uintField(toks[2], 8, "location")
	if err != nil {
		return nil, err
	}
	media, err := charString(toks[3])
	if err != nil {
		return nil, err
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(ent))
	out = binary.BigEndian.AppendUint32(out, uint32(typ))
	out = append(out, byte(loc))
	out = append(out, media...)
	if len(toks) == 5 && toks[4] == "-" {
		return out, nil
	}
	return appendBase64(out, toks[4:])
}

// encodeA6: prefix-length [address-suffix] [prefix-name] (RFC 2874 §3.1).
func encodeA6(toks []string, origin string) ([]byte, error) {
	if err := need(toks, 1); err != nil {
		return nil, err
	}
	plen, err := uintField(toks[0], 8, "prefix length")
	if err != nil || plen > 128 {
		return nil, fmt.Errorf("prefix length %s is not 0-128", redact.Quote(toks[0]))
	}
	out := []byte{byte(plen)}
	rest := toks[1:]
	if plen < 128 {
		if err := need(rest, 1); err != nil {
			return nil, err
		}
		a, err := netip.ParseAddr(rest[0])
		if err != nil || !a.Is6() || a.Is4In6() && strings.Contains(rest[0], ".") {
			return nil, fmt.Errorf("bad IPv6 address suffix %s", redact.Quote(rest[0]))
		}
		b := a.As16()
		out = append(out, b[plen/8:]...)
		rest = rest[1:]
	}
	if plen > 0 {
		if err := need(rest, 1); err != nil {
			return nil, err
		}
		n, err := nameWire(rest[0], origin)
		if err != nil {
			return nil, err
		}
		out = append(out, n...)
		rest = rest[1:]
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("extra input %s", redact.Quote(strings.Join(rest, " ")))
	}
	return out, nil
}

// wksServices are the service names BIND finds in /etc/services that zone
// files use; other services are written as port numbers.
var wksServices = map[string]uint16{
	"ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "http": 80, "www": 80,
	"kerberos": 88, "pop3": 110, "sunrpc": 111, "nntp": 119, "ntp": 123, "imap": 143, "imap2": 143,
	"snmp": 161, "ldap": 389, "https": 443, "submission": 587, "ldaps": 636, "imaps": 993, "pop3s": 995,
}

// encodeWKS: address protocol service... (RFC 1035 §3.4.2).
func encodeWKS(toks []string, _ string) ([]byte, error) {
	if err := need(toks, 2); err != nil {
		return nil, err
	}
	a, err := netip.ParseAddr(toks[0])
	if err != nil || !a.Is4() {
		return nil, fmt.Errorf("bad IPv4 address %s", redact.Quote(toks[0]))
	}
	var proto uint64
	switch strings.ToLower(toks[1]) {
	case "tcp":
		proto = 6
	case "udp":
		proto = 17
	default:
		if proto, err = uintField(toks[1], 8, "protocol"); err != nil {
			return nil, err
		}
	}
	var bitmap []byte
	for _, s := range toks[2:] {
		port, ok := wksServices[strings.ToLower(s)]
		if !ok {
			v, err := strconv.ParseUint(s, 10, 16)
			if err != nil {
				return nil, fmt.Errorf("unknown service %s (write its port number)", redact.Quote(s))
			}
			port = uint16(v)
		}
		for len(bitmap) <= int(port/8) {
			bitmap = append(bitmap, 0)
		}
		bitmap[port/8] |= 0x80 >> (port % 8)
	}
	b := a.As4()
	out := append(b[:], byte(proto))
	return append(out, bitmap...), nil
}

// encodeATMA: "+digits" (E.164) or hex digits (AESA), dots allowed.
func encodeATMA(toks []string, _ string) ([]byte, error) {
	if err := need(toks, 1); err != nil {
		return nil, err
	}
	s := toks[0]
	if strings.HasPrefix(s, "+") {
		d := strings.ReplaceAll(s[1:], ".", "")
		if d == "" || strings.Trim(d, "0123456789") != "" {
			return nil, fmt.Errorf("bad E.164 address %s", redact.Quote(s))
		}
		return append([]byte{1}, d...), nil
	}
	b, err := hex.DecodeString(strings.ReplaceAll(s, ".", ""))
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("bad ATM address %s", redact.Quote(s))
	}
	return append([]byte{0}, b...), nil
}
