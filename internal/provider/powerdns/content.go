package powerdns

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider/powerdns/qtype"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// PowerDNS's API checks that a record's content is exactly the text
// PowerDNS itself prints for it ("Not in expected format (parsed as ...)"),
// so content writes each type the way PowerDNS 4.7 does, where that differs
// from miekg/dns: CERT with numbers, LOC with PowerDNS's decimals, SVCB and
// HTTPS parameters unquoted, and names with \DDD for what is not printable.

// checkName says why PowerDNS 4.7 refuses an owner name: its API accepts
// only labels of letters, digits, '-', '_' and '/', and '*' as the
// leftmost label (a wildcard); a '*' label further right is "Name ...
// contains unsupported characters" (HTTP 422), to create an RRset and to
// delete one alike.
func checkName(name string) string {
	for i, l := range dns.SplitDomainName(name) {
		if l == "*" && i == 0 {
			continue
		}
		if l == "*" {
			return fmt.Sprintf("PowerDNS's API refuses owner names with a '*' label that is not the leftmost (%s is a literal '*', not a wildcard)", name)
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '/') {
				return fmt.Sprintf("PowerDNS's API refuses owner names with characters other than letters, digits, '-', '_' and '/' (label %q)", l)
			}
		}
	}
	return ""
}

// checkDeleteName says why PowerDNS 4.7 cannot delete an RRset at name
// through its API: a PATCH with changetype DELETE names the RRset, and the
// API refuses the names checkName refuses, whatever the change. Such an
// RRset was put there by other means (pdnsutil, a zone loaded, an UPDATE)
// and is deleted by them.
func checkDeleteName(name string) string {
	if why := checkName(name); why != "" {
		return why + "; delete it with `pdnsutil delete-rrset ZONE NAME TYPE`"
	}
	return ""
}

// content is the presentation form PowerDNS takes: absolute names, TXT
// quoted, types it has no text form for (qtype.TextName) as \# (RFC 3597), a
// type bitmap with its type names, each type as PowerDNS prints it.
func content(rr dns.RR) (string, error) {
	switch r := rr.(type) {
	case *dns.RFC3597:
		return unknownContent(r)
	case *dns.CERT:
		return fmt.Sprintf("%d %d %d %s", r.Type, r.KeyTag, r.Algorithm, r.Certificate), nil
	case *dns.LOC:
		return locString(r), nil
	case *dns.SVCB:
		return svcbString(r.Priority, r.Target, r.Value), nil
	case *dns.HTTPS:
		return svcbString(r.Priority, r.Target, r.Value), nil
	case *dns.AAAA:
		if r.AAAA.To4() != nil {
			// An IPv4-mapped address (RFC 4291 §2.5.5.2): PowerDNS
			// 4.7's API refuses it written with its dotted quad
			// (::ffff:192.0.2.1, 422 "Invalid IPv6 address"), and
			// takes it in hexadecimal groups.
			a, _ := netip.AddrFromSlice(r.AAAA.To16())
			return a.StringExpanded(), nil
		}
	}
	if _, named := qtype.TextName(rr.Header().Rrtype); !named {
		return unknownContent(rr)
	}
	return pdnsEscapes(zone.RdataStringTypes(rr, typeName)), nil
}

// pdnsEscapes rewrites the escapes of miekg/dns outside quoted strings (in
// names) the way PowerDNS prints names: \. and \\ kept, other printable
// characters bare, the rest (space included) as \DDD.
func pdnsEscapes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			inQuote = !inQuote
		}
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		if inQuote {
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i++
			continue
		}
		d, w := zone.OctetAt(s, i)
		v := byte(d)
		switch {
		case v == '.' || v == '\\':
			b.WriteByte('\\')
			b.WriteByte(v)
		case v > 0x20 && v < 0x7f:
			b.WriteByte(v)
		default:
			fmt.Fprintf(&b, "\\%03d", v)
		}
		i += w - 1
	}
	return b.String()
}

// locString is PowerDNS's LOCRecordContent::getZoneRepresentation.
func locString(r *dns.LOC) string {
	lat := float64(int32(r.Latitude-1<<31)) / 3600000.0
	lon := float64(int32(r.Longitude-1<<31)) / 3600000.0
	alt := float64(int32(r.Altitude))/100.0 - 100000
	size := func(v uint8) float64 {
		x := 0.01 * float64((v>>4)&0xf)
		for n := v & 0xf; n > 0; n-- {
			x *= 10
		}
		return x
	}
	remlat := 60.0 * (lat - float64(int(lat)))
	remlon := 60.0 * (lon - float64(int(lon)))
	ns, ew := 'S', 'W'
	if lat > 0 {
		ns = 'N'
	}
	if lon > 0 {
		ew = 'E'
	}
	iabs := func(x int) int {
		if x < 0 {
			return -x
		}
		return x
	}
	return fmt.Sprintf("%d %d %2.3f %c %d %d %2.3f %c %.2fm %.2fm %.2fm %.2fm",
		iabs(int(lat)), iabs(int((lat-float64(int(lat)))*60)), math.Abs((remlat-float64(int(remlat)))*60.0), ns,
		iabs(int(lon)), iabs(int((lon-float64(int(lon)))*60)), math.Abs((remlon-float64(int(remlon)))*60.0), ew,
		alt, size(r.Size), size(r.HorizPre), size(r.VertPre))
}

// svcbString writes SVCB/HTTPS as PowerDNS does: values bare, keys without
// a value bare.
func svcbString(prio uint16, target string, kvs []dns.SVCBKeyValue) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", prio, pdnsEscapes(target))
	for _, kv := range kvs {
		b.WriteByte(' ')
		b.WriteString(kv.Key().String())
		v := kv.String()
		switch kv.(type) {
		case *dns.SVCBNoDefaultAlpn:
			continue
		case *dns.SVCBLocal:
			v = `"` + v + `"`
		case *dns.SVCBECHConfig:
			v = `"` + v + `"`
		}
		if v != "" {
			b.WriteByte('=')
			b.WriteString(v)
		}
	}
	return b.String()
}

// fromContent makes PowerDNS's content readable by miekg/dns: PowerDNS
// prints ';', '(' and ')' in names bare, which miekg/dns would take for a
// comment or a parenthesis.
func fromContent(s string) string {
	if !strings.ContainsAny(s, ";()") {
		return s
	}
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i++
			continue
		case c == '"':
			inQuote = !inQuote
		case !inQuote && (c == ';' || c == '(' || c == ')'):
			fmt.Fprintf(&b, "\\%03d", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// locFromContent normalizes PowerDNS's LOC text for miekg/dns: PowerDNS's
// floating point arithmetic prints "151 11 60.000 E" for 151°12'; the
// seconds are carried into the minutes and degrees again.
func locFromContent(s string) string {
	f := strings.Fields(s)
	if len(f) < 8 {
		return s
	}
	for _, i := range []int{0, 4} {
		d, err1 := strconv.Atoi(f[i])
		m, err2 := strconv.Atoi(f[i+1])
		sec, err3 := strconv.ParseFloat(f[i+2], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return s
		}
		ms := int64(math.Round(sec * 1000))
		total := (int64(d)*3600+int64(m)*60)*1000 + ms
		f[i] = strconv.FormatInt(total/3600000, 10)
		f[i+1] = strconv.FormatInt(total/60000%60, 10)
		f[i+2] = fmt.Sprintf("%d.%03d", total/1000%60, total%1000)
	}
	return strings.Join(f, " ")
}
