package cloudflare

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// record is a DNS record as the Cloudflare API shows it
// (GET /zones/{zone_id}/dns_records). Simple types carry their value in
// content; structured ones in data (content is then Cloudflare's
// presentation of data and is not sent).
type record struct {
	ID       string          `json:"id,omitempty"`
	Name     string          `json:"name,omitempty"`
	Type     string          `json:"type,omitempty"`
	Content  string          `json:"content,omitempty"`
	Data     json.RawMessage `json:"data,omitempty"`
	TTL      uint32          `json:"ttl,omitempty"`
	Priority *uint16         `json:"priority,omitempty"`
	Proxied  *bool           `json:"proxied,omitempty"`
	Settings *settings       `json:"settings,omitempty"`
}

type settings struct {
	FlattenCNAME bool `json:"flatten_cname,omitempty"`
}

// Per-type data objects (the API reference's "data" of each type).
type (
	srvData struct {
		Priority uint16 `json:"priority"`
		Weight   uint16 `json:"weight"`
		Port     uint16 `json:"port"`
		Target   string `json:"target"`
	}
	caaData struct {
		Flags uint8  `json:"flags"`
		Tag   string `json:"tag"`
		Value string `json:"value"`
	}
	svcbData struct {
		Priority uint16 `json:"priority"`
		Target   string `json:"target"`
		Value    string `json:"value"`
	}
	tlsaData struct {
		Usage        uint8  `json:"usage"`
		Selector     uint8  `json:"selector"`
		MatchingType uint8  `json:"matching_type"`
		Certificate  string `json:"certificate"`
	}
	sshfpData struct {
		Algorithm   uint8  `json:"algorithm"`
		Type        uint8  `json:"type"`
		Fingerprint string `json:"fingerprint"`
	}
	dsData struct {
		KeyTag     uint16 `json:"key_tag"`
		Algorithm  uint8  `json:"algorithm"`
		DigestType uint8  `json:"digest_type"`
		Digest     string `json:"digest"`
	}
	uriData struct {
		Weight uint16 `json:"weight"`
		Target string `json:"target"`
	}
	certData struct {
		Type        uint16 `json:"type"`
		KeyTag      uint16 `json:"key_tag"`
		Algorithm   uint8  `json:"algorithm"`
		Certificate string `json:"certificate"`
	}
	// locData is a LOC's data as the live API lists it (dnscontrol's
	// recording of 2026-08-04, github.com/DNSControl/dnscontrol
	// providers/cloudflare/test_data/recorded_torc_input_nativeToRecord_
	// dnscontroltest-cf.org.json at commit b2c380f5, indexes 146-152):
	// degrees, minutes and a direction as numbers and a letter, seconds,
	// altitude, size and the precisions in metres as numbers; its content
	// "42 21 54.000 N 71 6 18.000 W -24.05 30.00 0.00 0.00".
	locData struct {
		Altitude      float64 `json:"altitude"`
		LatDegrees    uint8   `json:"lat_degrees"`
		LatDirection  string  `json:"lat_direction"`
		LatMinutes    uint8   `json:"lat_minutes"`
		LatSeconds    float64 `json:"lat_seconds"`
		LongDegrees   uint8   `json:"long_degrees"`
		LongDirection string  `json:"long_direction"`
		LongMinutes   uint8   `json:"long_minutes"`
		LongSeconds   float64 `json:"long_seconds"`
		PrecisionHorz float64 `json:"precision_horz"`
		PrecisionVert float64 `json:"precision_vert"`
		Size          float64 `json:"size"`
	}
	naptrData struct {
		Order       uint16 `json:"order"`
		Preference  uint16 `json:"preference"`
		Flags       string `json:"flags"`
		Service     string `json:"service"`
		Regex       string `json:"regex"`
		Replacement string `json:"replacement"`
	}
)

// supported are the types this provider writes and reads (Cloudflare also
// has DNSKEY, which dnsparity never pushes; it has no SPF type and no RFC
// 3597 unknown types). A LOC is written as data (locFrom) and read from
// its content.
var supported = map[uint16]bool{
	dns.TypeA: true, dns.TypeAAAA: true, dns.TypeCNAME: true, dns.TypeNS: true,
	dns.TypePTR: true, dns.TypeMX: true, dns.TypeTXT: true, dns.TypeSRV: true,
	dns.TypeCAA: true, dns.TypeHTTPS: true, dns.TypeSVCB: true, dns.TypeTLSA: true,
	dns.TypeSSHFP: true, dns.TypeDS: true, dns.TypeURI: true, dns.TypeNAPTR: true,
	dns.TypeCERT: true, dns.TypeSMIMEA: true, dns.TypeOPENPGPKEY: true,
	dns.TypeLOC: true,
}

// Cloudflare's TTL limits: 1 is "automatic", else 60 (30 on Enterprise) to
// 86400. An automatic TTL is answered as 300, and read as 300: a zone file
// holds what resolvers get. Proxied records always have an automatic TTL.
const (
	minTTL        = 60
	enterpriseTTL = 30 // the least TTL of an Enterprise zone's records
	maxTTL        = 86400
	autoTTL       = 1
	autoAnswerTTL = 300
	// maxContent is the most characters of a record's content.
	maxContent = 2048
)

// host is a target name in the API's form ("." stays ".").
func host(n string) string { return provider.APIName(n) }

// toRecord is the API form of rr (id, proxied and comment are the caller's).
func toRecord(rr dns.RR) (record, error) {
	h := rr.Header()
	r := record{Name: provider.APIName(h.Name), Type: dns.TypeToString[h.Rrtype], TTL: h.Ttl}
	var data any
	switch v := rr.(type) {
	case *dns.A, *dns.AAAA:
		r.Content = zone.RdataString(v) // presentation form: ::ffff:192.0.2.1 stays IPv6 text (net.IP prints it as 192.0.2.1)
	case *dns.CNAME:
		r.Content = host(v.Target)
	case *dns.NS:
		r.Content = host(v.Ns)
	case *dns.PTR:
		r.Content = host(v.Ptr)
	case *dns.MX:
		r.Content = host(v.Mx)
		r.Priority = &v.Preference
	case *dns.TXT:
		r.Content = zone.RdataString(v)
	case *dns.SRV:
		data = srvData{v.Priority, v.Weight, v.Port, host(v.Target)}
	case *dns.CAA:
		data = caaData{v.Flag, v.Tag, provider.Unescape(v.Value)}
	case *dns.HTTPS:
		data = svcbFrom(&v.SVCB)
	case *dns.SVCB:
		data = svcbFrom(v)
	case *dns.TLSA:
		data = tlsaData{v.Usage, v.Selector, v.MatchingType, v.Certificate}
	case *dns.SSHFP:
		data = sshfpData{v.Algorithm, v.Type, v.FingerPrint}
	case *dns.DS:
		data = dsData{v.KeyTag, v.Algorithm, v.DigestType, v.Digest}
	case *dns.URI:
		data = uriData{v.Weight, provider.Unescape(v.Target)}
		r.Priority = &v.Priority
	case *dns.NAPTR:
		u := provider.Unescape
		data = naptrData{v.Order, v.Preference, u(v.Flags), u(v.Service), u(v.Regexp), host(v.Replacement)}
	case *dns.CERT:
		data = certData{v.Type, v.KeyTag, v.Algorithm, v.Certificate}
	case *dns.SMIMEA:
		data = tlsaData{v.Usage, v.Selector, v.MatchingType, v.Certificate}
	case *dns.OPENPGPKEY:
		r.Content = v.PublicKey
	case *dns.LOC:
		d, err := locFrom(v)
		if err != nil {
			return r, err
		}
		data = d
	default:
		return r, fmt.Errorf("type %s is not supported by Cloudflare", r.Type)
	}
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			return r, err
		}
		r.Data = b
	}
	return r, nil
}

// locFrom is a LOC's data, from its presentation form (RFC 1876 §3:
// "d1 m1 s1 N|S d2 m2 s2 E|W alt[m] siz[m] hp[m] vp[m]", which miekg/dns
// writes with every field).
func locFrom(v *dns.LOC) (locData, error) {
	f := strings.Fields(zone.RdataString(v))
	if len(f) != 12 {
		return locData{}, fmt.Errorf("LOC %q: want 12 fields", strings.Join(f, " "))
	}
	var n [12]float64
	for i, s := range f {
		if i == 3 || i == 7 {
			continue
		}
		x, err := strconv.ParseFloat(strings.TrimSuffix(s, "m"), 64)
		if err != nil {
			return locData{}, fmt.Errorf("LOC field %q: %w", s, err)
		}
		n[i] = x
	}
	return locData{Altitude: n[8], LatDegrees: uint8(n[0]), LatDirection: f[3], LatMinutes: uint8(n[1]), LatSeconds: n[2],
		LongDegrees: uint8(n[4]), LongDirection: f[7], LongMinutes: uint8(n[5]), LongSeconds: n[6],
		Size: n[9], PrecisionHorz: n[10], PrecisionVert: n[11]}, nil
}

func svcbFrom(v *dns.SVCB) svcbData {
	params := make([]string, 0, len(v.Value))
	for _, kv := range v.Value {
		params = append(params, kv.Key().String()+"="+quoteParam(kv.String()))
	}
	return svcbData{Priority: v.Priority, Target: host(v.Target), Value: strings.Join(params, " ")}
}

func quoteParam(s string) string {
	if strings.HasPrefix(s, `"`) {
		return s
	}
	return `"` + s + `"`
}

// answerTTL is the TTL resolvers get for r (automatic: 300).
func answerTTL(r record) uint32 {
	if r.TTL == autoTTL {
		return autoAnswerTTL
	}
	return r.TTL
}

func isProxied(r record) bool { return r.Proxied != nil && *r.Proxied }

// toRR reads an API record back into an RR of origin.
func toRR(r record) (dns.RR, error) {
	t, ok := dns.StringToType[r.Type]
	if !ok {
		return nil, fmt.Errorf("%s: unknown type %q", r.Name, r.Type)
	}
	rdata, err := presentation(t, r)
	return provider.ReadRR(r.Name, r.Type, provider.FQDN(r.Name), fmt.Sprint(answerTTL(r)), rdata, err)
}

// presentation is the zone-file RDATA of an API record.
func presentation(t uint16, r record) (string, error) {
	prio := uint16(0)
	if r.Priority != nil {
		prio = *r.Priority
	}
	switch t {
	case dns.TypeA, dns.TypeAAAA, dns.TypeOPENPGPKEY:
		return r.Content, nil
	case dns.TypeCNAME, dns.TypeNS, dns.TypePTR:
		return provider.FQDN(r.Content), nil
	case dns.TypeMX:
		return fmt.Sprintf("%d %s", prio, provider.FQDN(r.Content)), nil
	case dns.TypeTXT:
		return provider.TXTValue(r.Content), nil
	}
	if len(r.Data) == 0 {
		// Cloudflare's content is the presentation form of the data.
		if r.Content != "" {
			return r.Content, nil
		}
		return "", fmt.Errorf("neither data nor content")
	}
	switch t {
	case dns.TypeSRV:
		return fromData(r, func(d srvData) string {
			return fmt.Sprintf("%d %d %d %s", d.Priority, d.Weight, d.Port, provider.FQDN(d.Target))
		})
	case dns.TypeCAA:
		return fromData(r, func(d caaData) string { return fmt.Sprintf("%d %s %s", d.Flags, d.Tag, zone.Quote(d.Value)) })
	case dns.TypeHTTPS, dns.TypeSVCB:
		return fromData(r, func(d svcbData) string {
			return strings.TrimSpace(fmt.Sprintf("%d %s %s", d.Priority, provider.FQDN(d.Target), d.Value))
		})
	case dns.TypeTLSA, dns.TypeSMIMEA:
		return fromData(r, func(d tlsaData) string {
			return fmt.Sprintf("%d %d %d %s", d.Usage, d.Selector, d.MatchingType, d.Certificate)
		})
	case dns.TypeSSHFP:
		return fromData(r, func(d sshfpData) string { return fmt.Sprintf("%d %d %s", d.Algorithm, d.Type, d.Fingerprint) })
	case dns.TypeDS:
		return fromData(r, func(d dsData) string {
			return fmt.Sprintf("%d %d %d %s", d.KeyTag, d.Algorithm, d.DigestType, d.Digest)
		})
	case dns.TypeURI:
		return fromData(r, func(d uriData) string { return fmt.Sprintf("%d %d %s", prio, d.Weight, zone.Quote(d.Target)) })
	case dns.TypeCERT:
		return fromData(r, func(d certData) string {
			return fmt.Sprintf("%d %d %d %s", d.Type, d.KeyTag, d.Algorithm, d.Certificate)
		})
	case dns.TypeNAPTR:
		return fromData(r, func(d naptrData) string {
			q := zone.Quote
			return fmt.Sprintf("%d %d %s %s %s %s", d.Order, d.Preference, q(d.Flags), q(d.Service), q(d.Regex), provider.FQDN(d.Replacement))
		})
	}
	if r.Content != "" {
		return r.Content, nil
	}
	return "", fmt.Errorf("type not mapped by this provider and no content")
}

// fromData is the presentation (pres) of r's data object, read as a T.
func fromData[T any](r record, pres func(d T) string) (string, error) {
	var d T
	if err := json.Unmarshal(r.Data, &d); err != nil {
		return "", err
	}
	return pres(d), nil
}

// check says why Cloudflare cannot hold s faithfully ("" when it can):
// a TTL above its maximum; CAA tags other than the three its CAA data
// takes, and flags other than 0 and 128; SvcParamKeys it does not take
// in HTTPS/SVCB data; TXT content over its 2,048 characters (API
// reference, "DNS Records": the data and content of each type).
func check(s *zone.RRSet) string {
	if s.TTL > maxTTL {
		return fmt.Sprintf("TTL %d is above Cloudflare's maximum of %d", s.TTL, maxTTL)
	}
	if why := checkRecords(s); why != "" {
		return why
	}
	return sizes(s)
}

// Record size limits, "DNS record types" (developers.cloudflare.com/dns/
// manage-dns-records/reference/dns-record-types/): "Each DNS record has a
// maximum wire format size of 4,096 bytes" and "If you have multiple
// records with the same name and type, their combined content length must
// not exceed 8,192 characters".
const (
	maxWire     = 4096
	maxCombined = 8192
)

// sizes refuses an RRset over those limits: a record over 4,096 octets in
// wire format (owner name, type, class, TTL and RDATA: dns.Len), or
// records whose contents add up to over 8,192 characters (a record's
// content as sent; for a type Cloudflare takes as data, its presentation
// RDATA, which is at least as long as the content Cloudflare makes of
// it).
func sizes(s *zone.RRSet) string {
	combined := 0
	for _, rr := range s.RRs() {
		if n := dns.Len(rr); n > maxWire {
			return fmt.Sprintf("a %s record of %d octets in wire format; Cloudflare takes at most %d", dns.TypeToString[s.Type], n, maxWire)
		}
		content := zone.RdataString(rr)
		if r, err := toRecord(rr); err == nil && r.Content != "" {
			content = r.Content
		}
		combined += len(content)
	}
	if combined > maxCombined {
		return fmt.Sprintf("%d records whose contents add up to %d characters; Cloudflare takes at most %d for the records of one name and type", len(s.Records), combined, maxCombined)
	}
	return ""
}

var checkRecords = provider.EachRR(
	provider.CAATags("Cloudflare", "issue", "issuewild", "iodef"),
	provider.SVCBKeys("Cloudflare", "mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ipv6hint", "ech"),
	provider.TXTLength("Cloudflare", maxContent),
	// A batch with one refused record applies nothing of it: refused up
	// front, in the plan, not by every push.
	provider.TXTEmpty("Cloudflare", "dnscontrol's Cloudflare provider refuses it, last verified against the API 2026-01-21: providers/cloudflare/auditrecords.go"),
	// CAA values, URI targets and NAPTR fields go in data as JSON strings.
	// A TXT goes in content as RFC 1035 presentation text: "quoted
	// character strings (RFC 1035), each with a length of up to 255
	// bytes" (API reference, TXTRecord content), printable ASCII only
	// (9051 "Record may only contain printable ASCII!"), any octet written
	// \DDD (RFC 1035 §5.1; libdns/cloudflare pull 33 round-trips any byte
	// so): octets that are not UTF-8, or strings parting a character, are
	// held.
	provider.UTF8Text("Cloudflare", "they would be stored as U+FFFD", provider.TXTEscaped),
)

// checkName refuses owner names the API cannot write: names with escaped
// octets (spaces, dots inside labels, non-printable bytes).
var checkName = provider.PlainNames("Cloudflare", "")
