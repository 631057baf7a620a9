package route53

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// supported are the record types Route 53 holds.
var supported = map[uint16]bool{
	dns.TypeA: true, dns.TypeAAAA: true, dns.TypeCAA: true, dns.TypeCNAME: true,
	dns.TypeDS: true, dns.TypeHTTPS: true, dns.TypeMX: true, dns.TypeNAPTR: true,
	dns.TypeNS: true, dns.TypePTR: true, dns.TypeSOA: true, dns.TypeSPF: true,
	dns.TypeSRV: true, dns.TypeSSHFP: true, dns.TypeSVCB: true, dns.TypeTLSA: true,
	dns.TypeTXT: true,
}

// Route 53's documented limits on one ChangeResourceRecordSets request
// (an UPSERT counts twice in both) and on one TXT value.
const (
	MaxRecords    = 1000
	MaxValueChars = 32000
	maxValue      = 4000
	// maxInSet is the most records a record set holds: "Records in a
	// record set: 400 per record set" (Developer Guide, "Quotas", Quotas
	// on records).
	maxInSet = 400
)

// check says why Route 53 cannot hold s faithfully ("" when it can): the
// CAA tags and SvcParamKeys it takes, and at most 4,000 characters in a
// record's value (valueLength).
var check = provider.EachRR(
	provider.CAATags("Route 53", "issue", "issuewild", "iodef", "issuemail", "contactemail", "contactphone"),
	provider.SVCBKeys("Route 53", "mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ipv6hint", "ech"),
	valueLength,
)

// valueLength refuses a record whose Value, as it is sent (toAPIValue),
// is over 4,000 characters, whatever its type: "The current or new DNS
// record value, not to exceed 4,000 characters [...] Length Constraints:
// Maximum length of 4000" (API Reference, ResourceRecord:
// docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecord.html).
// A TXT of many strings reaches it, and so does a TLSA holding a whole
// certificate (usage 3, selector 0, matching type 0); the request
// carrying it is refused whole.
func valueLength(rr dns.RR) string {
	t := rr.Header().Rrtype
	if n := len(toAPIValue(t, zone.RdataString(rr))); n > maxValue {
		return fmt.Sprintf("a %s value of %d characters; Route 53 takes at most %d in one record's value", dns.TypeToString[t], n, maxValue)
	}
	return ""
}

// values are the Value elements of an RRset: each record's RDATA in
// presentation form, with the escapes of quoted strings as Route 53 takes
// them (toAPIValue).
func values(s *zone.RRSet) []types.ResourceRecord {
	out := make([]types.ResourceRecord, 0, len(s.Records))
	for _, rr := range s.RRs() {
		v := toAPIValue(rr.Header().Rrtype, zone.RdataString(rr))
		out = append(out, types.ResourceRecord{Value: &v})
	}
	return out
}

// octalTypes hold quoted strings whose escapes Route 53 reads as OCTAL:
// "If your TXT record contains any of the following characters, you must
// specify the characters by using escape codes in the format
// \three-digit octal code: Characters 000 to 040 octal [...] Characters
// 177 to 377 octal [...] if the value of your TXT record is "exämple.com",
// you specify "ex\344mple.com"" (Developer Guide, "Supported DNS record
// types", TXT record type; SPF takes TXT's values); for a NAPTR Regexp
// "Specify all other values, such as internationalized domain names, in
// octal format". A zone file (RFC 1035 §5.1, miekg/dns) writes \DDD in
// DECIMAL: "caf\195\169" sent as it is would be stored as other text.
var octalTypes = map[uint16]bool{dns.TypeTXT: true, dns.TypeSPF: true, dns.TypeNAPTR: true}

// toAPIValue is a value of type t in presentation form (decimal \DDD) as
// Route 53 takes it: the escapes in its quoted strings octal.
func toAPIValue(t uint16, v string) string {
	if !octalTypes[t] {
		return v
	}
	return requote(v, 10, "\\%03o")
}

// fromAPIValue is a value of type t as Route 53 lists it (octal \ooo) in
// presentation form, for miekg/dns to read: the escapes in its quoted
// strings decimal.
func fromAPIValue(t uint16, v string) string {
	if !octalTypes[t] {
		return v
	}
	return requote(v, 8, "\\%03d")
}

// requote rewrites the quoted strings of v: a backslash and three digits
// in base is one octet, a backslash before any other character is that
// character; octets below 040 octal and from 177 octal on are written
// with format, '"' and '\' after a backslash, the rest (a space too: the
// Guide's own examples keep it inside quotation marks) as they are. Text
// outside quotation marks is kept.
func requote(v string, base int, format string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"':
			quoted = !quoted
			b.WriteByte(c)
			continue
		case !quoted:
			b.WriteByte(c)
			continue
		case c == '\\' && i+3 < len(v):
			if n, err := strconv.ParseUint(v[i+1:i+4], base, 8); err == nil {
				c = byte(n)
				i += 3
				break
			}
			fallthrough
		case c == '\\' && i+1 < len(v):
			i++
			c = v[i]
		}
		switch {
		case c < 0o40 || c >= 0o177:
			fmt.Fprintf(&b, format, c)
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// apiName is an owner name as Route 53 takes it: the final dot, and
// characters other than letters, digits, '-' and '_' as octal escapes
// (\ooo); '*' as a whole label stays as it is.
func apiName(n string) string {
	n = dns.Fqdn(n)
	if n == "." {
		return n
	}
	var b strings.Builder
	var label []byte
	flush := func() {
		writeLabel(&b, label, "\\%03o")
		label = label[:0]
	}
	for i := 0; i < len(n); {
		v, w := zone.OctetAt(n, i)
		if w == 1 && v == '.' {
			flush()
		} else {
			label = append(label, byte(v))
		}
		i += w
	}
	return b.String()
}

// writeLabel writes a label and its dot: '*' as a whole label as it is,
// letters, digits, '-' and '_' as they are, and any other octet as the
// three-digit escape of format ("\\%03o": Route 53's octal, "\\%03d": a
// zone file's decimal).
func writeLabel(b *strings.Builder, label []byte, format string) {
	if string(label) == "*" {
		b.WriteString("*.")
		return
	}
	for _, c := range label {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			b.WriteByte(c)
		default:
			fmt.Fprintf(b, format, c)
		}
	}
	b.WriteByte('.')
}

// fromAPIName reads a name as Route 53 lists it: it writes characters
// outside letters, digits, '-' and '_' as three-digit OCTAL escapes
// (\052 for '*'), where zone files use decimal. The result is in
// presentation form (decimal escapes where needed), lower case.
func fromAPIName(s string) string {
	var labels [][]byte
	var cur []byte
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+4 <= len(s):
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				cur = append(cur, byte(n))
				i += 3
				continue
			}
			cur = append(cur, s[i])
		case s[i] == '.':
			labels = append(labels, cur)
			cur = nil
		default:
			cur = append(cur, s[i])
		}
	}
	if len(cur) > 0 {
		labels = append(labels, cur)
	}
	var b strings.Builder
	for _, l := range labels {
		writeLabel(&b, l, "\\%03d")
	}
	if b.Len() == 0 {
		return "."
	}
	return zone.CanonicalName(b.String())
}

// toRRs reads a plain (non-alias) record set.
func toRRs(rs types.ResourceRecordSet) ([]dns.RR, error) {
	name := fromAPIName(aws.ToString(rs.Name))
	ttl := int64(0)
	if rs.TTL != nil {
		ttl = *rs.TTL
	}
	out := make([]dns.RR, 0, len(rs.ResourceRecords))
	t := dns.StringToType[string(rs.Type)]
	for _, r := range rs.ResourceRecords {
		text := fmt.Sprintf("%s %d IN %s %s", name, ttl, rs.Type, fromAPIValue(t, aws.ToString(r.Value)))
		rr, err := zone.NewRR(text)
		if err != nil || rr == nil {
			return nil, fmt.Errorf("%s %s: cannot read value %q: %v", name, rs.Type, aws.ToString(r.Value), err)
		}
		out = append(out, rr)
	}
	return out, nil
}
