package dnsmadeeasy

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// record is a record as the API shows it (GET …/records) and takes it
// (createMulti, updateMulti). Names are relative to the domain ("" is the
// apex); target names without a final dot are relative too.
type record struct {
	ID          int    `json:"id,omitempty"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	Value       string `json:"value"`
	TTL         uint32 `json:"ttl"`
	GtdLocation string `json:"gtdLocation,omitempty"`
	// MX
	MxLevel *uint16 `json:"mxLevel,omitempty"`
	// SRV
	Priority *uint16 `json:"priority,omitempty"`
	Weight   *uint16 `json:"weight,omitempty"`
	Port     *uint16 `json:"port,omitempty"`
	// CAA
	CaaType        string `json:"caaType,omitempty"`
	IssuerCritical *uint8 `json:"issuerCritical,omitempty"`
	// HTTPRED
	RedirectType string `json:"redirectType,omitempty"`
	HardLink     bool   `json:"hardLink,omitempty"`
}

// supported are the types this provider writes and reads (DNS Made Easy
// also has ANAME and HTTPRED: provider-only, reported as features).
var supported = map[uint16]bool{
	dns.TypeA: true, dns.TypeAAAA: true, dns.TypeCNAME: true, dns.TypeNS: true,
	dns.TypePTR: true, dns.TypeMX: true, dns.TypeTXT: true, dns.TypeSPF: true,
	dns.TypeSRV: true, dns.TypeCAA: true,
}

// defaultLocation is the Global Traffic Director region every resolver
// gets unless a regional answer exists.
const defaultLocation = "DEFAULT"

// omitted: records without a zone-file form.
func omitted(r record) bool {
	return r.Type == "ANAME" || r.Type == "HTTPRED" || (r.GtdLocation != "" && r.GtdLocation != defaultLocation)
}

func u16(v uint16) *uint16 { return &v }

// apiName is a name without its final dot.
func apiName(n string) string { return strings.TrimSuffix(n, ".") }

// target reads a target name: absolute with a final dot, else relative.
func target(origin, v string) string {
	if v == "" || v == "@" {
		return origin
	}
	if strings.HasSuffix(v, ".") {
		return provider.FQDN(v)
	}
	return provider.FQDN(v + "." + origin)
}

// toRecord is the API form of rr (the id is the caller's).
func toRecord(origin string, rr dns.RR) (record, error) {
	h := rr.Header()
	r := record{Name: provider.Relative(origin, zone.CanonicalName(h.Name)), Type: dns.TypeToString[h.Rrtype], TTL: h.Ttl, GtdLocation: defaultLocation}
	switch v := rr.(type) {
	case *dns.A, *dns.AAAA:
		r.Value = zone.RdataString(v) // presentation form: ::ffff:192.0.2.1 stays IPv6 text (net.IP prints it as 192.0.2.1)
	case *dns.CNAME:
		r.Value = v.Target
	case *dns.NS:
		r.Value = v.Ns
	case *dns.PTR:
		r.Value = v.Ptr
	case *dns.MX:
		r.Value, r.MxLevel = v.Mx, u16(v.Preference)
	case *dns.TXT:
		r.Value = txtValue(v.Txt)
	case *dns.SPF:
		r.Value = txtValue(v.Txt)
	case *dns.SRV:
		r.Value, r.Priority, r.Weight, r.Port = v.Target, u16(v.Priority), u16(v.Weight), u16(v.Port)
	case *dns.CAA:
		// Sent as it is; DNS Made Easy lists it in quotation marks
		// (presentation reads either): dnscontrol and octodns-dnsmadeeasy
		// send it so and read it back quoted (dmetest).
		f := v.Flag
		r.Value, r.CaaType, r.IssuerCritical = provider.Unescape(v.Value), v.Tag, &f
	default:
		return r, fmt.Errorf("type %s is not supported by DNS Made Easy", r.Type)
	}
	return r, nil
}

// txtValue is a TXT or SPF record's strings (presentation form, as
// miekg/dns holds them) as DNS Made Easy's value takes them: each string
// quoted, its octets as they are (UTF-8 in the JSON string) with only '\'
// and '"' escaped, never an RFC 1035 \DDD escape. octodns-dnsmadeeasy
// sends TXT text as it is, UTF-8 included ("DNSMadeEasy does not want
// values escaped", _params_for_TXT); dnscontrol sends zone-file text
// (miekg/dns), '\' escaped as its "TXT backslashes" integration test
// checks, but none of its tests holds an octet miekg/dns writes \DDD; the
// API documentation says nothing of \DDD, which zone.RdataString writes
// for every octet outside printable ASCII ("café" as "caf\195\169"). The
// octets with no form here but \DDD (control octets, octets that are not
// UTF-8) are refused by check.
func txtValue(strs []string) string {
	parts := make([]string, len(strs))
	for i, s := range strs {
		parts[i] = `"` + quotedText.Replace(provider.Unescape(s)) + `"`
	}
	return strings.Join(parts, " ")
}

var quotedText = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// literalEscapes is a listed TXT value with the backslash of each \DDD
// escape in it doubled, so that it reads back as the four characters it
// holds. txtValue never sends one, so a \DDD in a listing is text DNS
// Made Easy kept as it was sent earlier (this client sent "café" as
// "caf\195\169" before): read as the escape, it would match git and the
// record would never be sent again in the form that holds what git means.
// An escaped backslash ("\\") and "\"" are kept as they are.
func literalEscapes(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 >= len(v) {
			b.WriteByte(c)
			continue
		}
		if _, ok := zone.DecimalEscape(v, i); ok {
			b.WriteString(`\\`)
			continue
		}
		b.WriteByte(c)
		b.WriteByte(v[i+1])
		i++
	}
	return b.String()
}

// controlOctets are the octets a quoted string writes only as \DDD (RFC
// 1035 §5.1; zone.Quote): C0 controls and DEL.
const controlOctets = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"

// toRR reads an API record back into an RR of origin.
func toRR(origin string, r record) (dns.RR, error) {
	rdata, err := presentation(origin, r)
	return provider.ReadRR(r.Name, r.Type, provider.Owner(origin, r.Name), fmt.Sprint(r.TTL), rdata, err)
}

func presentation(origin string, r record) (string, error) {
	n := func(p *uint16) uint16 {
		if p == nil {
			return 0
		}
		return *p
	}
	switch r.Type {
	case "A", "AAAA":
		return r.Value, nil
	case "CNAME", "NS", "PTR":
		return target(origin, r.Value), nil
	case "MX":
		return fmt.Sprintf("%d %s", n(r.MxLevel), target(origin, r.Value)), nil
	case "SRV":
		return fmt.Sprintf("%d %d %d %s", n(r.Priority), n(r.Weight), n(r.Port), target(origin, r.Value)), nil
	case "TXT", "SPF":
		return provider.TXTValue(literalEscapes(r.Value)), nil
	case "CAA":
		var f uint8
		if r.IssuerCritical != nil {
			f = *r.IssuerCritical
		}
		v := r.Value
		if !strings.HasPrefix(v, `"`) {
			v = zone.Quote(v)
		}
		return fmt.Sprintf("%d %s %s", f, r.CaaType, v), nil
	}
	return "", fmt.Errorf("type not supported by this provider")
}

// check says why DNS Made Easy cannot hold s faithfully ("" when it
// can): CAA tags other than issue, issuewild and iodef (its caaType).
var check = provider.EachRR(provider.CAATags("DNS Made Easy", "issue", "issuewild", "iodef"), caaPlain,
	// A CAA's value goes in value, which a record requires: DNS Made
	// Easy's own Terraform provider makes it Required and never sends it
	// empty (DNSMadeEasy/terraform-provider-dme, dme/
	// resource_dme_dns_records.go: "value" Required, set only when
	// GetOk); createMulti would refuse the batch after updateMulti ran.
	provider.CAAEmpty("DNS Made Easy", "a record's value is required: DNSMadeEasy/terraform-provider-dme, dme_dns_record"),
	// Values go as JSON text (txtValue), where an octet that is not
	// UTF-8 becomes U+FFFD; \DDD, the one other form, no document or
	// client shows DNS Made Easy reading: refused rather than risked.
	provider.UTF8Text("DNS Made Easy", "sent as JSON text, where such octets become U+FFFD (a \\DDD escape, the one other form, its API documentation does not mention)", provider.TXTStrings),
	// A '"' inside TXT text is not kept as sent (dnscontrol's DNS Made
	// Easy provider refuses it, last verified against the API
	// 2021-03-11: providers/dnsmadeeasy/auditrecords.go).
	provider.TXTChars("DNS Made Easy", `"`, "dnscontrol's DNS Made Easy provider refuses it, verified against the API: providers/dnsmadeeasy/auditrecords.go"),
	// A control octet (a tab, a NUL, DEL) has no form in a quoted value
	// but a \DDD escape, whose reading DNS Made Easy documents nowhere
	// (txtValue).
	provider.TXTChars("DNS Made Easy", controlOctets, "it could go only as a \\DDD escape, which its API documentation does not mention"),
	// A value of "." alone is refused ("Record value may not be a
	// standalone dot.", the API's error as octodns-dnsmadeeasy quotes it:
	// octodns_dnsmadeeasy/__init__.py, DnsMadeEasyProvider.supports): a
	// push would fail at createMulti after the batch's updateMulti.
	provider.RootTarget("DNS Made Easy", `its API answers "Record value may not be a standalone dot." (octodns-dnsmadeeasy, DnsMadeEasyProvider.supports)`))

// caaPlain refuses a CAA value with '"' or '\': it goes unquoted and
// comes back in quotation marks, with no escaping documented, so such a
// value could not be read back as it was (RFC 8659 parameters may hold
// both).
func caaPlain(rr dns.RR) string {
	if v, ok := rr.(*dns.CAA); ok && strings.ContainsAny(provider.Unescape(v.Value), `"\`) {
		return fmt.Sprintf("CAA value %s holds '\"' or '\\': DNS Made Easy takes the value unquoted and lists it in quotation marks, with no escaping documented", zone.Quote(provider.Unescape(v.Value)))
	}
	return ""
}

// checkName refuses owner names the API cannot write.
var checkName = provider.PlainNames("DNS Made Easy", "")

// label names a record in an error.
func label(r record) string { return fmt.Sprint(r.ID) }

// shown is a listed record as a feature shows it (one dnsparity cannot
// read: provider.Unreadable).
func shown(origin string, r record) provider.Feature {
	return provider.Feature{Name: provider.Owner(origin, r.Name), Type: r.Type, Value: r.Value}
}
