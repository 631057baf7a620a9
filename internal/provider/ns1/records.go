package ns1

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"
	nsdns "gopkg.in/ns1/ns1-go.v2/rest/model/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// supported are the types this provider writes and reads (NS1 also has
// ALIAS, URLFWD and REDIRECT: provider-only, reported as features).
var supported = map[uint16]bool{
	dns.TypeA: true, dns.TypeAAAA: true, dns.TypeCNAME: true, dns.TypeNS: true,
	dns.TypePTR: true, dns.TypeMX: true, dns.TypeTXT: true, dns.TypeSPF: true,
	dns.TypeSRV: true, dns.TypeCAA: true, dns.TypeDS: true, dns.TypeTLSA: true,
	dns.TypeSSHFP: true, dns.TypeNAPTR: true, dns.TypeHTTPS: true, dns.TypeSVCB: true,
	dns.TypeDNAME: true,
	// DHCID (RFC 4701): one answer field, its base64 digest, as
	// dnscontrol's NS1 provider sends it and reads it back from the live
	// API (providers/ns1/ns1Provider.go at commit e0e32ca1:
	// providers.CanUseDHCID, buildRecord's strings.Fields of the target;
	// "NS1: add support for DNAME and DHCID record types", pull request
	// 2951, run against NS1).
	dns.TypeDHCID: true,
}

// omitted: records without a zone-file form (ALIAS, URLFWD, REDIRECT,
// and records linked to another record, which answer with its data).
func omitted(r *nsdns.ZoneRecord) bool {
	return r.Type == "ALIAS" || r.Type == "URLFWD" || r.Type == "REDIRECT" || r.Link != ""
}

// rdata is the answer's rdata fields for rr (NS1 keeps each field as one
// array element; a TXT's text as one string it splits at 255 on the wire).
func rdata(rr dns.RR) ([]string, error) {
	switch v := rr.(type) {
	case *dns.TXT:
		return []string{provider.Text(v.Txt)}, nil
	case *dns.SPF:
		return []string{provider.Text(v.Txt)}, nil
	case *dns.CAA:
		return []string{strconv.Itoa(int(v.Flag)), v.Tag, provider.Unescape(v.Value)}, nil
	case *dns.NAPTR:
		u := provider.Unescape
		return []string{strconv.Itoa(int(v.Order)), strconv.Itoa(int(v.Preference)), u(v.Flags), u(v.Service), u(v.Regexp), v.Replacement}, nil
	}
	if v := provider.SVCBOf(rr); v != nil {
		return svcbRdata(v), nil
	}
	if !supported[rr.Header().Rrtype] {
		return nil, fmt.Errorf("type %s is not supported by NS1", dns.Type(rr.Header().Rrtype))
	}
	return strings.Fields(zone.RdataString(rr)), nil
}

// toRR reads one answer (a record summary's short answer: the rdata fields
// joined by spaces) back into an RR.
func toRR(domain, typ string, ttl int, short string) (dns.RR, error) {
	var pres string
	switch typ {
	case "TXT", "SPF":
		pres = provider.SplitText(short)
	case "CAA":
		f := strings.SplitN(short, " ", 3)
		if len(f) != 3 {
			return nil, fmt.Errorf("CAA answer %q: want flags, tag and value", short)
		}
		pres = fmt.Sprintf("%s %s %s", f[0], f[1], zone.Quote(f[2]))
	case "NAPTR":
		f, err := naptrFields(short)
		if err != nil {
			return nil, err
		}
		q := zone.Quote
		pres = fmt.Sprintf("%s %s %s %s %s %s", f[0], f[1], q(f[2]), q(f[3]), q(f[4]), provider.FQDN(f[5]))
	case "CNAME", "DNAME", "NS", "PTR":
		pres = provider.FQDN(short)
	case "MX":
		f := strings.Fields(short)
		if len(f) != 2 {
			return nil, fmt.Errorf("MX answer %q", short)
		}
		pres = f[0] + " " + provider.FQDN(f[1])
	case "SRV":
		f := strings.Fields(short)
		if len(f) != 4 {
			return nil, fmt.Errorf("SRV answer %q", short)
		}
		pres = strings.Join(f[:3], " ") + " " + provider.FQDN(f[3])
	default:
		pres = short
	}
	if err := provider.PlainName(domain); err != nil {
		return nil, err
	}
	rr, err := zone.NewRR(fmt.Sprintf("%s %d IN %s %s", provider.FQDN(domain), ttl, typ, pres))
	if err != nil || rr == nil {
		return nil, fmt.Errorf("answer %q: cannot read: %v", short, err)
	}
	return rr, nil
}

// naptrFields are the six rdata fields of a NAPTR answer as the zone's
// record summary shows it: joined by single spaces (short_answers), a
// field empty or holding spaces as it is. Order, preference, flags and
// service are the first four (none holds a space: plan refuses flags and
// service with one, spacedNAPTR), the replacement is after the last space
// (a domain name, which holds none raw), the regexp what lies between,
// spaces and all (RFC 3403 §4.1: a character-string). Split at the first
// five spaces, as octodns-ns1 reads it (_data_for_NAPTR), a regexp with a
// space was cut there and the rest taken for the replacement.
func naptrFields(short string) ([6]string, error) {
	var f [6]string
	head := strings.SplitN(short, " ", 5)
	cut := strings.LastIndexByte(short, ' ')
	if len(head) != 5 || cut < len(short)-len(head[4]) {
		return f, fmt.Errorf("NAPTR answer %q: want six fields", short)
	}
	rest := head[4] // regexp, a space, replacement
	cut -= len(short) - len(rest)
	copy(f[:4], head[:4])
	f[4], f[5] = rest[:cut], rest[cut+1:]
	return f, nil
}

// spacedNAPTR refuses a NAPTR whose flags or service hold a space: NS1's
// zone listing gives an answer as its fields joined by spaces, and such a
// field could not be told from the next one when it is read back
// (naptrFields). RFC 3403 §4.1 makes both alphanumeric.
func spacedNAPTR(rr dns.RR) string {
	v, ok := rr.(*dns.NAPTR)
	if !ok {
		return ""
	}
	for _, fd := range []struct{ name, value string }{{"flags", v.Flags}, {"service", v.Service}} {
		if strings.Contains(provider.Unescape(fd.value), " ") {
			return fmt.Sprintf("NAPTR %s %s holds a space: NS1 lists an answer as its fields joined by spaces, so it could not be read back as it is (RFC 3403 makes the field alphanumeric)", fd.name, zone.Quote(provider.Unescape(fd.value)))
		}
	}
	return ""
}

// svcbRdata are an SVCB's or HTTPS's three rdata fields: its priority,
// its target with the final dot, its parameters as key=value pairs
// joined by spaces, a key whose value is empty alone. NS1 keeps these
// types and lists an answer so, the fields joined by single spaces,
// values unquoted ("1 test.com. alpn=h2 port=99", "0 test.com. " for an
// AliasMode record: dnscontrol's recording of the live listing,
// github.com/DNSControl/dnscontrol providers/ns1/test_data/
// recorded_torc_input_convert_dnscontrolintegration.io.json at commit
// b2c380f5, indexes 56 to 75; its providers/ns1/records.go, buildRecord,
// sends the same three fields). A value that could not be read back from
// that form is refused by plan (svcbPlain).
func svcbRdata(v *dns.SVCB) []string {
	params := make([]string, 0, len(v.Value))
	for _, kv := range v.Value {
		p := kv.Key().String()
		if val := kv.String(); val != "" {
			p += "=" + val
		}
		params = append(params, p)
	}
	return []string{strconv.Itoa(int(v.Priority)), v.Target, strings.Join(params, " ")}
}

// svcbPlain refuses an SVCB or HTTPS parameter value holding a space, a
// quote or a backslash (an escape): NS1 lists the parameters unquoted,
// joined by spaces (svcbRdata), so such a value could not be read back
// as it was.
func svcbPlain(rr dns.RR) string {
	v := provider.SVCBOf(rr)
	if v == nil {
		return ""
	}
	for _, kv := range v.Value {
		if val := kv.String(); strings.ContainsAny(val, ` "\`) {
			return fmt.Sprintf("SVCB parameter %s=%s holds a space, a quote or an escape: NS1 lists parameters unquoted, joined by spaces, so it could not be read back as it is", kv.Key(), val)
		}
	}
	return ""
}

// shortAnswer is an answer as the zone's record summary shows it.
func shortAnswer(a *nsdns.Answer) string { return strings.Join(a.Rdata, " ") }

// check says why NS1 cannot hold s faithfully ("" when it can): TXT
// strings split other than at 255 (it keeps an answer's text as one);
// text that is not UTF-8 (its API is JSON: an answer's rdata are JSON
// strings).
var check = provider.EachRR(provider.OneText("NS1"), provider.UTF8Text("NS1", "they would be stored as U+FFFD", provider.TXTOneText),
	provider.TXTEmpty("NS1", "dnscontrol's NS1 provider refuses it: providers/ns1/auditrecords.go"), spacedNAPTR,
	// The keys dnscontrol's recording of the live API shows listed back
	// in presentation form as sent (alpn, port, ech); RFC 9460's others
	// (mandatory, no-default-alpn, ipv4hint, ipv6hint) and an unnamed
	// keyNNNNN are not known to round trip, so plan refuses them rather
	// than a push that never converges.
	provider.SVCBKeys("NS1", "alpn", "port", "ech"), svcbPlain)

// minTTL is the lowest TTL written as sent: ns1-go's Record has
// `json:"ttl,omitempty"` (rest/model/dns/record.go), so a TTL of 0 is
// never sent, and NS1 gives a record sent without a TTL the zone's
// default.
const minTTL = 1

// checkName refuses owner names the API cannot write (a '/' too: the
// owner is a segment of the record's URL path).
var checkName = provider.PlainNames("NS1", "/")
