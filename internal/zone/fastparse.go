package zone

import (
	"net/netip"
	"strconv"

	"github.com/miekg/dns"
)

// The feeder has already cut each record line into tokens (its owner, TTL,
// class and type); lexing it again with miekg/dns's zone parser was the
// largest part of loading. fastRR builds the record of the plainest lines
// of the most common types itself, with the same functions miekg/dns's
// parsers call on the same tokens (net.ParseIP, strconv.ParseUint,
// dns.IsDomainName and its rules for relative names), and hands it to
// parsed like any other: the canonical form, the RDATA checks and the
// packing stay one path. Any line it does not fully recognize (escapes,
// parentheses, comments, a quote outside TXT, another class or type, an
// unusual TTL, extra or missing fields, anything the feeder flagged) goes
// to miekg/dns as before (TestFastRRSameAsZoneParser).

// maxFastTokens bounds the tokens of a line fastRR reads.
const maxFastTokens = 12

// fastScratch holds one record of each type fastRR builds, and the
// address octets, reused line after line by one worker: parsed reads the
// record and keeps nothing of it but its canonical RDATA.
type fastScratch struct {
	a     dns.A
	aaaa  dns.AAAA
	cname dns.CNAME
	ns    dns.NS
	mx    dns.MX
	srv   dns.SRV
	soa   dns.SOA
	txt   dns.TXT
	ip4   [4]byte
	ip6   [16]byte
}

// fastRR returns the record of job j's line (b.buf[j.bstart:j.tend]:
// the owner, written out by the feeder for a blank one, then the line),
// built in sc, or nil when miekg/dns is to parse it.
func fastRR(b *batch, j *job, sc *fastScratch) dns.RR {
	m := &j.m
	if m.skip || m.noRdata || m.genericLen > 0 || j.tend-j.tstart > 250 {
		return nil
	}
	var toks [maxFastTokens][]byte
	n, quoted, ok := fastTokens(b.buf[j.bstart:j.tend], &toks)
	if !ok || n < 3 || toks[0][0] == '"' {
		return nil
	}
	owner, ok := fastName(toks[0], j.origin)
	if !ok {
		return nil
	}
	k := 1
	for ttl, class := false, false; k < n; k++ {
		t := toks[k]
		if !ttl && isDigit(t[0]) {
			if len(t) > 9 || !allDigits(t) {
				return nil // units or a large TTL: miekg/dns's own reading
			}
			ttl = true
			continue
		}
		if !class && asciiEqualFold(t, "IN") {
			class = true
			continue
		}
		break
	}
	if k >= n {
		return nil
	}
	typ, data := toks[k], toks[k+1:n]
	if quoted && !asciiEqualFold(typ, "TXT") {
		return nil
	}
	return fastRdata(sc, dns.RR_Header{Name: owner, Class: dns.ClassINET}, typ, data, j.origin)
}

// fastTokens cuts a record's line into toks: words of printable ASCII
// without quotes, escapes, parentheses or ';', and quoted strings of
// printable ASCII without escapes (quoted: there is one). ok is false for
// anything else, a line joined from several, or more than maxFastTokens
// tokens.
func fastTokens(text []byte, toks *[maxFastTokens][]byte) (n int, quoted, ok bool) {
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '\n':
			if i != len(text)-1 {
				return 0, false, false // a line joined from several
			}
			i++
			continue
		}
		if n == maxFastTokens {
			return 0, false, false
		}
		s := i
		if c == '"' {
			// A quoted string without escapes, of printable ASCII.
			i++
			for i < len(text) && text[i] != '"' {
				if t := text[i]; t < 0x20 || t > 0x7e || t == '\\' {
					return 0, false, false
				}
				i++
			}
			if i == len(text) {
				return 0, false, false
			}
			i++
			if i < len(text) && text[i] != ' ' && text[i] != '\t' && text[i] != '\n' {
				return 0, false, false
			}
			quoted = true
		} else {
			for i < len(text) && text[i] != ' ' && text[i] != '\t' && text[i] != '\n' {
				if t := text[i]; t <= 0x20 || t > 0x7e || t == '"' || t == '\\' || t == '(' || t == ')' || t == ';' {
					return 0, false, false
				}
				i++
			}
		}
		toks[n] = text[s:i]
		n++
	}
	return n, quoted, true
}

// fastRdata builds in sc the record of type typ with the RDATA tokens
// data and the header h (its owner and class), or returns nil when
// miekg/dns is to parse it: A, AAAA, CNAME, NS, MX, SRV, SOA and TXT.
func fastRdata(sc *fastScratch, h dns.RR_Header, typ []byte, data [][]byte, origin string) dns.RR {
	switch {
	case asciiEqualFold(typ, "A") && len(data) == 1:
		// miekg/dns: an IPv4 address is net.ParseIP's (netip.ParseAddr's
		// without a zone), without ':'; parseIPv4 reads that form.
		ip4, ok := parseIPv4(data[0])
		if !ok {
			return nil
		}
		h.Rrtype = dns.TypeA
		sc.ip4 = ip4
		sc.a = dns.A{Hdr: h, A: sc.ip4[:]}
		return &sc.a
	case asciiEqualFold(typ, "AAAA") && len(data) == 1:
		// An IPv6 address (with ':'), an IPv4-mapped one included.
		ip, err := netip.ParseAddr(string(data[0]))
		if err != nil || !ip.Is6() || ip.Zone() != "" {
			return nil
		}
		h.Rrtype = dns.TypeAAAA
		sc.ip6 = ip.As16()
		sc.aaaa = dns.AAAA{Hdr: h, AAAA: sc.ip6[:]}
		return &sc.aaaa
	case (asciiEqualFold(typ, "CNAME") || asciiEqualFold(typ, "NS")) && len(data) == 1:
		// One name: a CNAME's target or an NS's server.
		t, ok := fastName(data[0], origin)
		if !ok {
			return nil
		}
		if asciiEqualFold(typ, "NS") {
			h.Rrtype = dns.TypeNS
			sc.ns = dns.NS{Hdr: h, Ns: t}
			return &sc.ns
		}
		h.Rrtype = dns.TypeCNAME
		sc.cname = dns.CNAME{Hdr: h, Target: t}
		return &sc.cname
	case asciiEqualFold(typ, "MX") && len(data) == 2:
		pref, err := strconv.ParseUint(string(data[0]), 10, 16)
		t, ok := fastName(data[1], origin)
		if err != nil || !ok {
			return nil
		}
		h.Rrtype = dns.TypeMX
		sc.mx = dns.MX{Hdr: h, Preference: uint16(pref), Mx: t}
		return &sc.mx
	case asciiEqualFold(typ, "SRV") && len(data) == 4:
		// miekg/dns: priority, weight and port as MX's preference, the
		// target as MX's exchange.
		var v [3]uint16
		for k := range v {
			n, err := strconv.ParseUint(string(data[k]), 10, 16)
			if err != nil {
				return nil
			}
			v[k] = uint16(n)
		}
		t, ok := fastName(data[3], origin)
		if !ok {
			return nil
		}
		h.Rrtype = dns.TypeSRV
		sc.srv = dns.SRV{Hdr: h, Priority: v[0], Weight: v[1], Port: v[2], Target: t}
		return &sc.srv
	case asciiEqualFold(typ, "SOA") && len(data) == 7:
		// A SOA on one line, its five numbers in seconds (miekg/dns reads
		// the serial with strconv.ParseUint, and the others too when they
		// have no unit; a unit goes to miekg/dns).
		ns, ok1 := fastName(data[0], origin)
		mbox, ok2 := fastName(data[1], origin)
		if !ok1 || !ok2 {
			return nil
		}
		var v [5]uint32
		for k := range v {
			n, err := strconv.ParseUint(string(data[2+k]), 10, 32)
			if err != nil {
				return nil
			}
			v[k] = uint32(n)
		}
		h.Rrtype = dns.TypeSOA
		sc.soa = dns.SOA{Hdr: h, Ns: ns, Mbox: mbox, Serial: v[0], Refresh: v[1], Retry: v[2], Expire: v[3], Minttl: v[4]}
		return &sc.soa
	case asciiEqualFold(typ, "TXT") && len(data) > 0:
		txt := sc.txt.Txt[:0]
		for _, d := range data {
			if d[0] != '"' || len(d)-2 > 255 {
				return nil // a long string: split, and flagged by the feeder
			}
			txt = append(txt, string(d[1:len(d)-1]))
		}
		h.Rrtype = dns.TypeTXT
		sc.txt = dns.TXT{Hdr: h, Txt: txt}
		return &sc.txt
	}
	return nil
}

// fastName is absName for a plain name token of a line: "@" is the
// origin, a relative name gets the origin appended (withOrigin). ok is
// false for anything but letters, digits, '-', '_', '*' and dots in labels
// of 1 to 63 octets (names dns.IsDomainName accepts): those go to
// miekg/dns. One allocation: the name itself.
func fastName(t []byte, origin string) (string, bool) {
	if len(t) == 1 && t[0] == '@' {
		return origin, true
	}
	if len(t) == 0 || len(t) > 253 {
		return "", false
	}
	label := 0
	for i, c := range t {
		switch {
		case c == '.':
			if label == 0 && !(i == 0 && len(t) == 1) {
				return "", false // an empty label
			}
			label = 0
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '-' || c == '_' || c == '*':
			if label++; label > 63 {
				return "", false
			}
		default:
			return "", false
		}
	}
	return withOrigin(t, origin), true
}

func allDigits(t []byte) bool {
	for _, c := range t {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// parseIPv4 reads a dotted-quad IPv4 address as netip.ParseAddr does
// (four decimal fields of 0 to 255, no leading zero, nothing else), from
// the line's bytes without making a string of them.
func parseIPv4(t []byte) (ip [4]byte, ok bool) {
	field, val, digits := 0, 0, 0
	for i := 0; i <= len(t); i++ {
		if i == len(t) || t[i] == '.' {
			if digits == 0 || field > 3 {
				return ip, false
			}
			ip[field] = byte(val)
			field, val, digits = field+1, 0, 0
			continue
		}
		c := t[i]
		if !isDigit(c) || digits > 0 && val == 0 {
			return ip, false // not a digit, or a leading zero
		}
		val = val*10 + int(c-'0')
		digits++
		if val > 255 {
			return ip, false
		}
	}
	return ip, field == 4
}
