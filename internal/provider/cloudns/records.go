package cloudns

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// record is a record as records.json lists it (every field a string).
// host is relative to the zone ("" is the apex); record holds the value
// (an address, a target name without its final dot, the text of a TXT).
type record struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Host   string `json:"host"`
	Record string `json:"record"`
	TTL    string `json:"ttl"`
	// Status is 1 for an active record, 0 for one deactivated ("Change
	// record's status"), which ClouDNS does not serve (inactive).
	Status   *int   `json:"status"`
	Priority string `json:"priority,omitempty"`
	Weight   string `json:"weight,omitempty"`
	Port     string `json:"port,omitempty"`
	// CAA
	CaaFlag  string `json:"caa_flag,omitempty"`
	CaaType  string `json:"caa_type,omitempty"`
	CaaValue string `json:"caa_value,omitempty"`
	// TLSA
	TlsaUsage        string `json:"tlsa_usage,omitempty"`
	TlsaSelector     string `json:"tlsa_selector,omitempty"`
	TlsaMatchingType string `json:"tlsa_matching_type,omitempty"`
	// SSHFP
	Algorithm string `json:"algorithm,omitempty"`
	FpType    string `json:"fp_type,omitempty"`
	// DS: key_tag and digest_type; its algorithm in "algorithm" (as an
	// SSHFP's) and its digest in "record", as dnscontrol's ClouDNS
	// provider reads them from the live API (providers/cloudns/
	// cloudnsProvider.go, toRc: "SshFpAlgorithm and DsAlgorithm both use
	// json field \"algorithm\"", rc.DsDigest = r.Target; DS support
	// tested against ClouDNS in StackExchange/dnscontrol PR #1018). Its
	// struct also names dsalgorithm and dsdigest, which it never reads:
	// read here when listed, else algorithm and record (dsValues).
	KeyTag      string `json:"key_tag,omitempty"`
	DsAlgorithm string `json:"dsalgorithm,omitempty"`
	DigestType  string `json:"digest_type,omitempty"`
	DsDigest    string `json:"dsdigest,omitempty"`
	// HINFO, CERT, SMIMEA: records.json lists a HINFO's text in cpu
	// and os, a CERT's type in cert_type (its key tag and algorithm in
	// key_tag and algorithm, as a DS's, its certificate in record), an
	// SMIMEA's in smimea_usage, smimea_selector and
	// smimea_matching_type (its data in record); an OPENPGPKEY's key is
	// its record. So ClouDNS's own WHMCS module reads each listed row
	// (github.com/ClouDNS/whmcs-dns-provisioning-module at commit
	// 010e07f, src/cloudns_core/actions.php, getRecords:
	// $row['cert_type'].' '.$row['key_tag'].' '.$row['algorithm'].' '.
	// $row['record'], $row['cpu'].' '.$row['os'], $row['smimea_usage']
	// ... $row['record']; the row is dns/records.json's,
	// src/cloudns_core/records.php) and sends add-record's cpu, os,
	// cert-type, cert-key-tag, cert-algorithm, smimea-usage,
	// smimea-selector and smimea-matching-type (src/cloudns.php,
	// add-record). Not RP: the module labels its mail field
	// "Responsible person (E-mail)" (add-new-record.tpl) and passes it
	// through as typed, so whether ClouDNS takes and lists a mailbox as
	// a name (mbox.example.com.) or as an address (mbox@example.com) is
	// not shown: RP stays refused by plan.
	CPU                string `json:"cpu,omitempty"`
	OS                 string `json:"os,omitempty"`
	CertType           string `json:"cert_type,omitempty"`
	SmimeaUsage        string `json:"smimea_usage,omitempty"`
	SmimeaSelector     string `json:"smimea_selector,omitempty"`
	SmimeaMatchingType string `json:"smimea_matching_type,omitempty"`
	// WR (web redirect)
	RedirectType string `json:"redirect_type,omitempty"`
	// GeoDNS: the location a record answers ("" or "DEFAULT" for every
	// location). records.json names it geodns-location-code (beside
	// geodns-location, its id, and geodns-location-name); geodns-code is
	// add-record's parameter, never listed (StackExchange/dnscontrol PR
	// #3944: {"geodns-location":"2","geodns-location-name":"Africa",
	// "geodns-location-code":"AFR"} from the real API). Read as
	// geodns-code, a located answer was taken for every location's.
	GeoCode string `json:"geodns-location-code,omitempty"`
	// Fields are a NAPTR's or a LOC's fields as records.json lists
	// them (UnmarshalJSON; every other type's are in the fields above).
	Fields map[string]string `json:"-"`
}

// naptrParams are a NAPTR's add-record parameters, which records.json
// lists under the same names (ClouDNS's own octoDNS provider,
// github.com/ClouDNS/octodns_cloudns, octodns_cloudns/__init__.py at
// commit b5382e70: record_create and _data_for_NAPTR; ClouDNS's PHP
// SDK, github.com/ClouDNS/cloudns-php-sdk, ClouDNS_SDK.php at commit
// ecca7033, dnsAddRecord): its order, preference, flags, service,
// regexp and replacement.
var naptrParams = [6]string{"order", "pref", "flag", "params", "regexp", "replace"}

// locParams are a LOC's add-record parameters, in the order of its
// presentation fields (RFC 1876 §3), metres without "m"; records.json
// lists them with "_" for "-" (lat_deg, ..., v_precision): dnscontrol's
// ClouDNS provider, run against the live API (providers/cloudns/api.go
// and cloudnsProvider.go, toReq and toRc, at commit e0e32ca1;
// CanUseLOC), and ClouDNS's octoDNS provider (_data_for_LOC), as above.
var locParams = [12]string{"lat-deg", "lat-min", "lat-sec", "lat-dir", "long-deg", "long-min", "long-sec", "long-dir", "altitude", "size", "h-precision", "v-precision"}

// listed is an add-record parameter's name in records.json.
func listed(param string) string { return strings.ReplaceAll(param, "-", "_") }

// UnmarshalJSON reads a listed record; a NAPTR's or a LOC's own fields
// go to Fields (strings, as records.json lists every field; a number
// taken as its text).
func (r *record) UnmarshalJSON(b []byte) error {
	type plain record
	if err := json.Unmarshal(b, (*plain)(r)); err != nil {
		return err
	}
	if r.Type != "NAPTR" && r.Type != "LOC" {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var all map[string]any
	if err := d.Decode(&all); err != nil {
		return err
	}
	r.Fields = map[string]string{}
	for k, v := range all {
		switch v := v.(type) {
		case string:
			r.Fields[k] = v
		case json.Number:
			r.Fields[k] = v.String()
		}
	}
	return nil
}

// supported are the types this provider writes and reads (ClouDNS also
// has ALIAS and WR: provider-only, reported as features; and SVCB,
// HTTPS and RP, not mapped: RP's mailbox form is not shown by any source).
var supported = map[uint16]bool{
	dns.TypeA: true, dns.TypeAAAA: true, dns.TypeCNAME: true, dns.TypeNS: true,
	dns.TypePTR: true, dns.TypeMX: true, dns.TypeTXT: true, dns.TypeSPF: true,
	dns.TypeSRV: true, dns.TypeCAA: true, dns.TypeTLSA: true, dns.TypeSSHFP: true,
	dns.TypeDS: true, dns.TypeDNAME: true, dns.TypeNAPTR: true, dns.TypeLOC: true,
	dns.TypeHINFO: true, dns.TypeCERT: true, dns.TypeSMIMEA: true,
	dns.TypeOPENPGPKEY: true,
}

// documentedTTLs are the TTLs ClouDNS's API help lists (article 188):
// what a plan checks when the account's own list (get-available-ttl.json,
// which depends on its plan) cannot be read.
var documentedTTLs = []uint32{60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000}

// geo reports whether a record answers only one GeoDNS location.
func geo(r record) bool { return r.GeoCode != "" && r.GeoCode != "0" && r.GeoCode != "DEFAULT" }

// inactive: a record deactivated at ClouDNS (status 0), which it does
// not serve.
func inactive(r record) bool { return r.Status != nil && *r.Status == 0 }

// omitted: records without a zone-file form, and inactive ones, which
// ClouDNS does not serve (a feature that blocks git's RRset of their name
// and type: features).
func omitted(r record) bool { return r.Type == "ALIAS" || r.Type == "WR" || geo(r) || inactive(r) }

func apiName(n string) string { return strings.TrimSuffix(n, ".") }

// form is the add-record / mod-record form of rr. A root target plan
// refuses (rootTarget) is refused here too, so that a push handed one
// fails when its calls are planned, before anything is sent, not at
// add-record's "Missing record" after the changes before it.
func form(origin string, rr dns.RR) (url.Values, error) {
	if why := rootTarget(rr); why != "" {
		return nil, errors.New(why)
	}
	h := rr.Header()
	f := url.Values{
		"record-type": {dns.TypeToString[h.Rrtype]},
		"host":        {provider.Relative(origin, zone.CanonicalName(h.Name))},
		"ttl":         {strconv.Itoa(int(h.Ttl))},
	}
	set := func(kv ...string) {
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
	}
	itoa := func(n int) string { return strconv.Itoa(n) }
	switch v := rr.(type) {
	case *dns.A, *dns.AAAA:
		set("record", zone.RdataString(v)) // presentation form: ::ffff:192.0.2.1 stays IPv6 text (net.IP prints it as 192.0.2.1)
	case *dns.CNAME:
		set("record", apiName(v.Target))
	case *dns.DNAME:
		set("record", apiName(v.Target))
	case *dns.NS:
		set("record", apiName(v.Ns))
	case *dns.PTR:
		set("record", apiName(v.Ptr))
	case *dns.MX:
		set("record", targetValue(v.Mx), "priority", itoa(int(v.Preference)))
	case *dns.TXT:
		set("record", provider.Text(v.Txt))
	case *dns.SPF:
		set("record", provider.Text(v.Txt))
	case *dns.SRV:
		set("record", targetValue(v.Target), "priority", itoa(int(v.Priority)), "weight", itoa(int(v.Weight)), "port", itoa(int(v.Port)))
	case *dns.CAA:
		// record is required for every type ("Add record", article 58):
		// a CAA's value goes there too, as dnscontrol's ClouDNS provider
		// sends it to the live API (providers/cloudns/cloudnsProvider.go,
		// toReq).
		val := provider.Unescape(v.Value)
		set("record", val, "caa_flag", itoa(int(v.Flag)), "caa_type", v.Tag, "caa_value", val)
	case *dns.TLSA:
		set("record", v.Certificate, "tlsa_usage", itoa(int(v.Usage)), "tlsa_selector", itoa(int(v.Selector)), "tlsa_matching_type", itoa(int(v.MatchingType)))
	case *dns.SSHFP:
		set("record", v.FingerPrint, "algorithm", itoa(int(v.Algorithm)), "fptype", itoa(int(v.Type)))
	case *dns.DS:
		set("record", v.Digest, "key-tag", itoa(int(v.KeyTag)), "algorithm", itoa(int(v.Algorithm)), "digest-type", itoa(int(v.DigestType)))
	case *dns.NAPTR:
		// No record: ClouDNS's own octoDNS provider sends a NAPTR's
		// fields alone (record_create).
		u := provider.Unescape
		for i, val := range [6]string{itoa(int(v.Order)), itoa(int(v.Preference)), u(v.Flags), u(v.Service), u(v.Regexp), targetValue(v.Replacement)} {
			set(naptrParams[i], val)
		}
	case *dns.HINFO:
		set("cpu", provider.Unescape(v.Cpu), "os", provider.Unescape(v.Os))
	case *dns.CERT:
		set("record", v.Certificate, "cert-type", itoa(int(v.Type)), "cert-key-tag", itoa(int(v.KeyTag)), "cert-algorithm", itoa(int(v.Algorithm)))
	case *dns.SMIMEA:
		set("record", v.Certificate, "smimea-usage", itoa(int(v.Usage)), "smimea-selector", itoa(int(v.Selector)), "smimea-matching-type", itoa(int(v.MatchingType)))
	case *dns.OPENPGPKEY:
		set("record", v.PublicKey)
	case *dns.LOC:
		f := strings.Fields(zone.RdataString(v)) // 52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m
		if len(f) != 12 {
			return nil, fmt.Errorf("LOC %q: want 12 fields", zone.RdataString(v))
		}
		for i, k := range locParams {
			set(k, locNumber(f[i]))
		}
	default:
		return nil, fmt.Errorf("type %s is not supported by ClouDNS", dns.TypeToString[h.Rrtype])
	}
	return f, nil
}

// targetValue is an MX's or SRV's target as add-record and mod-record
// take it: without its final dot, the root as "." (a null MX, RFC 7505;
// an SRV's "no service", RFC 2782), which ClouDNS takes and lists as
// "record": "" (dnscontrol sends "." and reads "" back as the root:
// providers/cloudns/cloudnsProvider.go, toReq and toRc; its recording of
// the live API's records.json, test_data/recorded_torc_input_toRc_
// cloudnstest.yesthattom.com.json at commit b2c380f5, lists "MX 0 ." and
// "SRV 15 65 75 ." so, indexes 62, 67 and 144; "CLOUDNS: allow SRV record
// with null target", dnscontrol pull request 3957, confirmed against
// ClouDNS). apiName gives the root as "", which add-record refuses
// ("Missing record").
func targetValue(n string) string {
	if n == "." {
		return n
	}
	return apiName(n)
}

// locNumber is a LOC presentation field as add-record takes it: a
// direction as it is, a number in its shortest form, metres without the
// "m" ("04" is "4", "2.50m" is "2.5", "0.00m" is "0"): ClouDNS takes
// "0.00" for the parameter's default ("API misbehaves with a parameter
// of \"0.00\" and treats it as the default": dnscontrol's ClouDNS
// provider, run against the live API, providers/cloudns/
// cloudnsProvider.go at commit e0e32ca1, formatLocParam), so a size or
// precision of 0 would be kept as 1 m, 10,000 m or 10 m.
func locNumber(f string) string {
	n, err := strconv.ParseFloat(strings.TrimSuffix(f, "m"), 64)
	if err != nil {
		return f // N, S, E or W
	}
	if n == 0 {
		n = 0 // not -0
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// toRR reads a listed record back into an RR of origin.
func toRR(origin string, r record) (dns.RR, error) {
	rdata, err := presentation(r)
	return provider.ReadRR(r.Host, r.Type, provider.Owner(origin, r.Host), r.TTL, rdata, err)
}

// presentation is r's data as zone-file text. A NAPTR or a LOC listed
// without one of its fields (fields) is shown with those it has, and
// the error names the missing.
func presentation(r record) (string, error) {
	switch r.Type {
	case "A", "AAAA":
		return r.Record, nil
	case "CNAME", "DNAME", "NS", "PTR":
		return provider.FQDN(r.Record), nil
	case "MX":
		return fmt.Sprintf("%s %s", r.Priority, provider.FQDN(r.Record)), nil
	case "SRV":
		return fmt.Sprintf("%s %s %s %s", r.Priority, r.Weight, r.Port, provider.FQDN(r.Record)), nil
	case "TXT", "SPF":
		return provider.SplitText(r.Record), nil
	case "CAA":
		return fmt.Sprintf("%s %s %s", r.CaaFlag, r.CaaType, zone.Quote(r.CaaValue)), nil
	case "TLSA":
		return fmt.Sprintf("%s %s %s %s", r.TlsaUsage, r.TlsaSelector, r.TlsaMatchingType, r.Record), nil
	case "SSHFP":
		return fmt.Sprintf("%s %s %s", r.Algorithm, r.FpType, r.Record), nil
	case "DS":
		alg, digest := dsValues(r)
		return fmt.Sprintf("%s %s %s %s", r.KeyTag, alg, r.DigestType, digest), nil
	case "HINFO":
		return fmt.Sprintf("%s %s", zone.Quote(r.CPU), zone.Quote(r.OS)), nil
	case "CERT":
		return fmt.Sprintf("%s %s %s %s", r.CertType, r.KeyTag, r.Algorithm, r.Record), nil
	case "SMIMEA":
		return fmt.Sprintf("%s %s %s %s", r.SmimeaUsage, r.SmimeaSelector, r.SmimeaMatchingType, r.Record), nil
	case "OPENPGPKEY":
		return r.Record, nil
	case "NAPTR":
		return fields(r, naptrParams[:], func(i int, v string) string {
			switch {
			case i == 5: // replacement: a name
				return provider.FQDN(v)
			case i >= 2: // flags, service, regexp: strings
				return zone.Quote(v)
			}
			return v
		})
	case "LOC":
		// Read back from any form ("23" or "23.000", "-2", "-2.00m").
		return fields(r, locParams[:], func(i int, v string) string {
			if i >= 8 { // altitude, size, precisions: metres
				v = strings.TrimSuffix(v, "m") + "m"
			}
			return v
		})
	}
	return "", fmt.Errorf("type not supported by this provider")
}

// fields is the presentation of r (a NAPTR, a LOC) from the values
// records.json lists for its add-record parameters params, in order,
// each as form gives it. A field not listed is shown "(no <name>)" and
// makes missing an error: the API lists every field of such a record, an
// empty one as "" (ClouDNS's own octoDNS provider reads record['flag'],
// ['params'], ['regexp'] and ['replace'] of every NAPTR, and every
// lat_deg ... v_precision of a LOC, as they are:
// github.com/ClouDNS/octodns_cloudns, octodns_cloudns/__init__.py at
// commit b5382e70, _data_for_NAPTR and _data_for_LOC), so a listing
// without one is one dnsparity cannot read (provider.Unreadable), never
// an empty field or the root.
func fields(r record, params []string, form func(i int, v string) string) (text string, missing error) {
	var f, absent []string
	for i, k := range params {
		v, ok := r.Fields[listed(k)]
		if !ok {
			absent = append(absent, listed(k))
			f = append(f, "(no "+listed(k)+")")
			continue
		}
		f = append(f, form(i, v))
	}
	if len(absent) > 0 {
		missing = fmt.Errorf("%s listed without its field %s", r.Type, strings.Join(absent, ", "))
	}
	return strings.Join(f, " "), missing
}

// dsValues are a listed DS's algorithm and digest: dsalgorithm and
// dsdigest when listed, else algorithm and record (see record).
func dsValues(r record) (alg, digest string) {
	alg, digest = r.DsAlgorithm, r.DsDigest
	if alg == "" {
		alg = r.Algorithm
	}
	if digest == "" {
		digest = r.Record
	}
	return alg, digest
}

// check says why ClouDNS cannot hold s faithfully ("" when it can): a
// TTL off the account's list (availableTTLs), TXT strings split other
// than at 255 (it keeps one text), CAA tags other than issue, issuewild
// and iodef.
func (p *Provider) check(s *zone.RRSet) string {
	ttls, read := p.availableTTLs()
	if !slices.Contains(ttls, s.TTL) {
		if read {
			return fmt.Sprintf("TTL %d is not one this ClouDNS account's plan allows (dns/get-available-ttl.json: %s)", s.TTL, ttlList(ttls))
		}
		return fmt.Sprintf("TTL %d is not one ClouDNS keeps (its documented list, as this account's own was not read: %s)", s.TTL, ttlList(ttls))
	}
	return checkRecords(s)
}

// ttlList is a list of TTLs as messages write it ("60, 300, 900").
func ttlList(ttls []uint32) string {
	out := make([]string, len(ttls))
	for i, t := range ttls {
		out[i] = strconv.FormatUint(uint64(t), 10)
	}
	return strings.Join(out, ", ")
}

var checkRecords = provider.EachRR(provider.OneText("ClouDNS"), provider.CAATags("ClouDNS", "issue", "issuewild", "iodef"),
	// A record whose "record" field would be empty: ClouDNS's add-record
	// takes none ("Missing record"), so the push would fail half-way: an
	// empty TXT text.
	provider.TXTEmpty("ClouDNS", `its API refuses an empty record value ("Missing record")`),
	// A CAA's value goes in record (beside caa_value, as dnscontrol
	// sends it to the live API), which add-record requires ("Add
	// record", article 58).
	provider.CAAEmpty("ClouDNS", `its add-record requires a record value, "Missing record"`),
	rootTarget, emptyField,
	provider.UTF8Text("ClouDNS", "records.json could not list them as they are (undocumented: refused rather than risked)", provider.TXTOneText),
	// What ClouDNS does not keep as sent (dnscontrol's ClouDNS provider
	// refuses them, each last verified against the API 2021-03-01:
	// providers/cloudns/auditrecords.go): a push would report success
	// and every later plan replace the record again.
	provider.TXTChars("ClouDNS", "`\"", "dnscontrol's ClouDNS provider refuses it, verified against the API: providers/cloudns/auditrecords.go"),
	provider.TXTTrailingSpace("ClouDNS", "dnscontrol's ClouDNS provider refuses it, verified against the API: providers/cloudns/auditrecords.go"))

// emptyField refuses a HINFO with an empty CPU or OS: its data goes in
// add-record's own parameters (cpu, os), which this provider
// would send empty, and no source shows ClouDNS taking an empty one
// (refused rather than risked, as a record value it refuses: "Missing
// record").
func emptyField(rr dns.RR) string {
	switch v := rr.(type) {
	case *dns.HINFO:
		if v.Cpu == "" || v.Os == "" {
			return "HINFO with an empty CPU or OS: ClouDNS's add-record takes them as cpu and os, and nothing shows it takes an empty one"
		}
	}
	return ""
}

// rootTarget refuses a CNAME, NS, PTR or DNAME to the root: an MX's and an SRV's
// root target go as "." (targetValue), which ClouDNS takes; nothing says
// it takes one for the other types, whose "." apiName would send empty.
func rootTarget(rr dns.RR) string {
	if t := rr.Header().Rrtype; t == dns.TypeMX || t == dns.TypeSRV {
		return ""
	}
	return anyRootTarget(rr)
}

var anyRootTarget = provider.RootTarget("ClouDNS", `only an MX's or an SRV's is known to be taken (as "."), and this provider would send this one as an empty record value, which its API refuses ("Missing record")`)

// dsAlone refuses, within git's zone z, a DS at a name holding records
// other than NS, and such a record at a name holding a DS: "ClouDNS
// requires NS records exist for any DS records. No other records for the
// same label may exist (A, MX, TXT, etc.)" (dnscontrol's ClouDNS provider
// documentation, Records). A delegation whose own name carries its glue
// (sub NS sub.example.com., sub A ...) is a valid zone, which ClouDNS
// cannot hold with a DS: the push would fail half-way.
func dsAlone(z *zone.Zone, s *zone.RRSet) string {
	const rule = "ClouDNS takes no record but NS beside a DS at one name (dnscontrol's ClouDNS provider documentation: \"No other records for the same label may exist\")"
	switch s.Type {
	case dns.TypeNS:
		return ""
	case dns.TypeDS:
		for _, t := range slices.Sorted(maps.Keys(supported)) {
			if t != dns.TypeNS && t != dns.TypeDS && z.Get(s.Name, t) != nil {
				return fmt.Sprintf("a DS beside the %s at %s: %s", dns.TypeToString[t], s.Name, rule)
			}
		}
	default:
		if z.Get(s.Name, dns.TypeDS) != nil {
			return fmt.Sprintf("a %s beside the DS at %s: %s", dns.TypeToString[s.Type], s.Name, rule)
		}
	}
	return ""
}

// checkName refuses owner names the API cannot write.
var checkName = provider.PlainNames("ClouDNS", "")

// label names a record in an error.
func label(r record) string { return r.ID }

// shown is a listed record as a feature shows it (one dnsparity cannot
// read: provider.Unreadable): its record, or, for a type whose data is
// in fields of its own (a NAPTR, a LOC: record is empty), those fields
// as presentation would join them.
func shown(origin string, r record) provider.Feature {
	v := r.Record
	if v == "" {
		v, _ = presentation(r) // its fields, any not listed shown "(no <name>)"
	}
	return provider.Feature{Name: provider.Owner(origin, r.Host), Type: r.Type, Value: v}
}
