package mailauth

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Mail transport security records: MTA-STS (RFC 8461), SMTP TLS
// Reporting (RFC 8460) and DANE for SMTP (RFC 7672). A DNS move that
// loses one of them makes senders deliver without TLS, or refuse to
// deliver, and nobody sees it until mail is lost.

// MTASTSName is the owner of domain's MTA-STS record (RFC 8461 §3.1),
// PolicyHost the host senders fetch the policy from (§3.3).
func MTASTSName(domain string) string { return "_mta-sts." + domain }

// PolicyHost is the host of domain's MTA-STS policy (RFC 8461 §3.3:
// https://mta-sts.DOMAIN/.well-known/mta-sts.txt).
func PolicyHost(domain string) string { return "mta-sts." + domain }

// IsMTASTSName reports whether name (lower case) is the owner of an
// MTA-STS record.
func IsMTASTSName(name string) bool { return strings.HasPrefix(name, "_mta-sts.") }

// IsTLSRPTName reports whether name (lower case) is the owner of an SMTP
// TLS Reporting record (_smtp._tls.DOMAIN, RFC 8460 §3).
func IsTLSRPTName(name string) bool { return strings.HasPrefix(name, "_smtp._tls.") }

// IsSMTPTLSAName reports whether name (lower case) is the owner of the
// TLSA records of an SMTP server (_25._tcp.MXHOST, RFC 7672 §2.2).
func IsSMTPTLSAName(name string) bool { return strings.HasPrefix(name, "_25._tcp.") }

// ErrNoMTASTS and ErrNoTLSRPT: none of a name's TXT records is one.
var (
	ErrNoMTASTS = errors.New("no MTA-STS record (v=STSv1)")
	ErrNoTLSRPT = errors.New("no TLSRPT record (v=TLSRPTv1)")
)

// versioned reports whether rec starts with the version field v (case
// sensitive, %s in RFC 8461 §3.1 and RFC 8460 §3) followed by the field
// delimiter (*WSP ";") or the end.
func versioned(rec, v string) bool {
	rest, ok := strings.CutPrefix(rec, v)
	if !ok {
		return false
	}
	rest = strings.TrimLeft(rest, " \t")
	return rest == "" || rest[0] == ';'
}

// IsMTASTS reports whether rec is an MTA-STS record: it starts with
// v=STSv1 and a ";" (RFC 8461 §3.1; other records at the name are
// discarded).
func IsMTASTS(rec string) bool { return versioned(rec, "v=STSv1") }

// IsTLSRPT reports whether rec is a TLSRPT record: it starts with
// v=TLSRPTv1 and a ";" (RFC 8460 §3).
func IsTLSRPT(rec string) bool { return versioned(rec, "v=TLSRPTv1") }

// field is one name=value field of an MTA-STS or TLSRPT record.
type field struct{ name, value string }

// parseFields reads the fields after the version (RFC 8461 §3.1, RFC
// 8460 §3: version 1*(field-delim field) [field-delim], field-delim =
// *WSP ";" *WSP, a field name (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" /
// "-" / "."), a value 1*(%x21-3A / %x3C / %x3E-7E)); value, if set,
// says which characters a field's value may hold besides these (TLSRPT's
// rua= holds WSP around its commas).
func parseFields(rec, version string, value func(name string, c byte) bool) ([]field, error) {
	rest := strings.TrimPrefix(rec, version)
	var out []field
	for {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			break
		}
		if rest[0] != ';' {
			return nil, fmt.Errorf("%s where a ';' must separate the fields", quote(rest))
		}
		rest = strings.TrimLeft(rest[1:], " \t")
		if rest == "" {
			break // a trailing ";"
		}
		end := strings.IndexByte(rest, ';')
		if end < 0 {
			end = len(rest)
		}
		spec := strings.TrimRight(rest[:end], " \t")
		rest = rest[end:]
		name, val, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, fmt.Errorf("field %s has no '='", quote(spec))
		}
		if !isFieldName(name) {
			return nil, fmt.Errorf("bad field name %s (letters, digits, '_', '-', '.', at most 32)", quote(name))
		}
		if val == "" {
			return nil, fmt.Errorf("field %s= is empty", name)
		}
		for i := 0; i < len(val); i++ {
			c := val[i]
			if (c < 0x21 || c > 0x7e || c == ';' || c == '=') && !(value != nil && value(name, c)) {
				return nil, fmt.Errorf("field %s=: character %q not allowed", name, c)
			}
		}
		out = append(out, field{name, val})
	}
	if len(out) == 0 {
		return nil, errors.New("no field after the version")
	}
	return out, nil
}

func isFieldName(s string) bool {
	if s == "" || len(s) > 32 || !(isAlpha(s[0]) || isDigit(s[0])) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '_' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// MTASTS is a parsed MTA-STS record.
type MTASTS struct {
	// ID is the policy's id= (senders fetch the policy again when it
	// changes, RFC 8461 §3.3).
	ID string
}

// ParseMTASTS parses an MTA-STS record (RFC 8461 §3.1): v=STSv1 first,
// an id= of 1 to 32 letters and digits; other fields (extensions) are
// ignored. A record that does not parse is one senders take as no
// policy.
func ParseMTASTS(rec string) (*MTASTS, error) {
	if !IsMTASTS(rec) {
		return nil, fmt.Errorf("does not start with v=STSv1; (RFC 8461 §3.1)")
	}
	fs, err := parseFields(rec, "v=STSv1", nil)
	if err != nil {
		return nil, fmt.Errorf("does not parse (RFC 8461 §3.1): %w", err)
	}
	m := &MTASTS{}
	for _, f := range fs {
		if f.name != "id" {
			continue
		}
		if m.ID != "" {
			return nil, fmt.Errorf("id= is written twice (RFC 8461 §3.1: one id)")
		}
		if len(f.value) > 32 || !alnum(f.value) {
			return nil, fmt.Errorf("id=%s is not 1 to 32 letters and digits (RFC 8461 §3.1); write for example id=20260101T000000", quote(f.value))
		}
		m.ID = f.value
	}
	if m.ID == "" {
		return nil, fmt.Errorf("has no id= (RFC 8461 §3.1: required); write v=STSv1; id=20260101T000000")
	}
	return m, nil
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlpha(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// SelectMTASTS is the MTA-STS record among a name's TXT records: records
// that are not one are discarded; none is ErrNoMTASTS; more than one, or
// one that does not parse, and senders take the domain as having no
// policy (RFC 8461 §3.1).
func SelectMTASTS(recs []string) (*MTASTS, error) {
	return selectOne(recs, IsMTASTS, ParseMTASTS, ErrNoMTASTS, "%d MTA-STS records (RFC 8461 §3.1: the number of records must be one); keep one v=STSv1 record")
}

// SendersIgnore is what senders do with a domain whose MTA-STS record
// is none, several or one that does not parse (RFC 8461 §3.1, §5.1):
// for a message's wording.
const SendersIgnore = "senders take the domain as having no MTA-STS policy (RFC 8461 §3.1): those that cached one keep enforcing it until its max_age, the others deliver without requiring TLS"

// ReportersIgnore is what senders do with a domain whose TLSRPT record
// is none, several or one that does not parse (RFC 8460 §3): for a
// message's wording.
const ReportersIgnore = "senders take the domain as not implementing TLSRPT (RFC 8460 §3)"

// TLSRPT is a parsed SMTP TLS Reporting record.
type TLSRPT struct {
	// RUA are the report URIs of rua= (mailto: or https:) reporters can
	// use.
	RUA []string
	// Warnings: what reporters skip in a record that stands (a rua=
	// entry that is not a mailto: or https: URI next to one that is).
	Warnings []string
}

// ParseTLSRPT parses a TLSRPT record (RFC 8460 §3): v=TLSRPTv1 first,
// rua= a comma-separated list of mailto: or https: URIs; other fields are
// ignored. No usable rua= URI and reporters send no report: an error.
func ParseTLSRPT(rec string) (*TLSRPT, error) {
	if !IsTLSRPT(rec) {
		return nil, fmt.Errorf("does not start with v=TLSRPTv1; (RFC 8460 §3)")
	}
	fs, err := parseFields(rec, "v=TLSRPTv1", func(name string, c byte) bool {
		return name == "rua" && (c == ' ' || c == '\t')
	})
	if err != nil {
		return nil, fmt.Errorf("does not parse (RFC 8460 §3): %w", err)
	}
	t := &TLSRPT{}
	var rua string
	for _, f := range fs {
		if f.name != "rua" {
			continue
		}
		if rua != "" {
			return nil, fmt.Errorf("rua= is written twice (RFC 8460 §3: list the URIs in one rua=, separated by commas)")
		}
		rua = f.value
	}
	if rua == "" {
		return nil, fmt.Errorf("has no rua= (RFC 8460 §3): reporters have nowhere to send reports; write rua=mailto:tlsrpt@DOMAIN")
	}
	var bad []string
	for _, u := range strings.Split(rua, ",") {
		u = strings.Trim(u, " \t")
		if reportURI(u) {
			t.RUA = append(t.RUA, u)
		} else {
			bad = append(bad, u)
		}
	}
	if len(t.RUA) == 0 {
		return nil, fmt.Errorf("rua=%s holds no mailto: or https: URI (RFC 8460 §3): reporters send no report; write rua=mailto:tlsrpt@DOMAIN", quote(rua))
	}
	for _, u := range bad {
		t.Warnings = append(t.Warnings, fmt.Sprintf("rua= entry %s is not a mailto: or https: URI (RFC 8460 §3): reporters skip it", quote(u)))
	}
	return t, nil
}

// reportURI reports whether u is a TLSRPT report URI: mailto: with an
// address, or https: with a host (RFC 8460 §3).
func reportURI(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "mailto":
		local, domain, ok := strings.Cut(p.Opaque, "@")
		return ok && local != "" && domain != ""
	case "https":
		return p.Host != ""
	}
	return false
}

// SelectTLSRPT is the TLSRPT record among a name's TXT records: records
// that are not one are discarded; none is ErrNoTLSRPT; more than one, or
// one that does not parse, and senders take the domain as not
// implementing TLSRPT (RFC 8460 §3).
func SelectTLSRPT(recs []string) (*TLSRPT, error) {
	return selectOne(recs, IsTLSRPT, ParseTLSRPT, ErrNoTLSRPT, "%d TLSRPT records (RFC 8460 §3: the number of records must be one); keep one v=TLSRPTv1 record")
}

// tlsaMatching is the length in octets of the certificate association
// data of each matching type (RFC 6698 §2.1.3: 1 SHA-256, 2 SHA-512).
var tlsaMatching = map[uint8]struct {
	name string
	n    int
}{1: {"SHA-256", 32}, 2: {"SHA-512", 64}}

// SMTPTLSA judges one TLSA record of an SMTP server (usage, matching
// type, certificate association data in hex, as miekg/dns holds it):
// err when it can match no certificate (data whose length does not fit
// the matching type, RFC 6698 §2.1.3), warn for usages 0 and 1
// (PKIX-TA, PKIX-EE), which RFC 7672 §3.1.3 says SHOULD NOT be
// published for SMTP (senders may treat them as unusable).
func SMTPTLSA(usage, matching uint8, data string) (err, warn string) {
	if m, ok := tlsaMatching[matching]; ok && len(data) != 2*m.n {
		err = fmt.Sprintf("TLSA certificate association data of %d octets, but matching type %d (%s) needs %d (RFC 6698 §2.1.3): it can match no certificate; write the %d hex digits of the %s digest", len(data)/2, matching, m.name, m.n, 2*m.n, m.name)
	}
	if usage == 0 || usage == 1 {
		names := [2]string{"PKIX-TA", "PKIX-EE"}
		warn = fmt.Sprintf("TLSA usage %d (%s) SHOULD NOT be used for SMTP (RFC 7672 §3.1.3): DANE senders may treat it as unusable; write usage 2 (DANE-TA) or 3 (DANE-EE), e.g. 3 1 1 and the SHA-256 of the server's public key", usage, names[usage])
	}
	return err, warn
}
