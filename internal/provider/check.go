package provider

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// The checks below are the pieces of Capabilities.Check and CheckName
// that several vendors share; each provider names its vendor and the
// values its API documents, so the differences stay in the provider's
// package.

// RRCheck says why an API cannot hold one record faithfully ("" when it
// can).
type RRCheck func(rr dns.RR) string

// EachRR is a Capabilities.Check made of per-record checks: the first
// reason a record of the set gives, the records in order.
func EachRR(checks ...RRCheck) func(s *zone.RRSet) string {
	return func(s *zone.RRSet) string {
		for _, rr := range s.RRs() {
			for _, c := range checks {
				if why := c(rr); why != "" {
					return why
				}
			}
		}
		return ""
	}
}

// CAATags refuses a CAA record whose tag is not one of tags (compared
// without case), or whose flags are other than 0 and 128 (issuer
// critical): what the vendor's API takes.
func CAATags(vendor string, tags ...string) RRCheck {
	return func(rr dns.RR) string {
		v, ok := rr.(*dns.CAA)
		if !ok {
			return ""
		}
		if !slices.Contains(tags, strings.ToLower(v.Tag)) {
			return fmt.Sprintf("CAA tag %q is not one %s accepts (%s)", v.Tag, vendor, strings.Join(tags, ", "))
		}
		if v.Flag != 0 && v.Flag != 128 {
			return fmt.Sprintf("CAA flags %d: %s keeps only 0 or 128 (issuer critical)", v.Flag, vendor)
		}
		return ""
	}
}

// SVCBKeys refuses an SVCB or HTTPS record with a SvcParamKey not among
// keys.
func SVCBKeys(vendor string, keys ...string) RRCheck {
	return func(rr dns.RR) string {
		v := SVCBOf(rr)
		if v == nil {
			return ""
		}
		for _, kv := range v.Value {
			if k := kv.Key().String(); !slices.Contains(keys, k) {
				return fmt.Sprintf("SVCB parameter %s is not one %s accepts", k, vendor)
			}
		}
		return ""
	}
}

// SVCBOf is rr's SVCB data when rr is an SVCB or an HTTPS record (an
// HTTPS is an SVCB of another type), else nil.
func SVCBOf(rr dns.RR) *dns.SVCB {
	switch t := rr.(type) {
	case *dns.SVCB:
		return t
	case *dns.HTTPS:
		return &t.SVCB
	}
	return nil
}

// TXTLength refuses a TXT or SPF record whose value (its strings in
// presentation form, quotes included) is longer than most characters.
func TXTLength(vendor string, most int) RRCheck {
	return func(rr dns.RR) string {
		if txtStrings(rr) == nil {
			return ""
		}
		if n := len(zone.RdataString(rr)); n > most {
			return fmt.Sprintf("a TXT value of %d characters; %s takes at most %d", n, vendor, most)
		}
		return ""
	}
}

// OneText refuses a TXT or SPF record whose strings are split other than
// at 255 octets, for an API that keeps the record as one text and splits
// it there on the wire (SplitElsewhere).
func OneText(vendor string) RRCheck {
	return func(rr dns.RR) string {
		if SplitElsewhere(txtStrings(rr)) {
			return vendor + " keeps a TXT record as one text and splits it at 255 octets: strings split elsewhere change"
		}
		return ""
	}
}

// TextForm is how an API takes a TXT record's strings (UTF8Text).
type TextForm int

const (
	// TXTStrings: each string as text of its own (a JSON string, or
	// presentation text whose \DDD escapes the API does not document):
	// each must be UTF-8.
	TXTStrings TextForm = iota
	// TXTOneText: the strings' text as one (Text), split at 255 octets by
	// the API itself (OneText): that text is what must be UTF-8, not each
	// string, since a character-string is octets (RFC 1035 §3.3) and a
	// text split at 255 octets may part a character between two.
	TXTOneText
	// TXTEscaped: RFC 1035 presentation text, any octet written \DDD
	// (§5.1), which the API documents: any octets.
	TXTEscaped
)

// UTF8Text refuses a record whose text (TXT and SPF strings, a CAA value,
// a URI target, NAPTR flags, service and regexp) holds octets that are not
// UTF-8: the vendor's JSON API carries text in JSON strings, which hold
// only UTF-8 (encoding/json writes U+FFFD for such octets), so they would
// be stored as other text. how says what the API would do with them;
// form how it takes a TXT's strings.
func UTF8Text(vendor, how string, form TextForm) RRCheck {
	return func(rr dns.RR) string {
		var texts []string
		switch v := rr.(type) {
		case *dns.CAA:
			texts = []string{v.Value}
		case *dns.URI:
			texts = []string{v.Target}
		case *dns.NAPTR:
			texts = []string{v.Flags, v.Service, v.Regexp}
		default:
			texts = txtStrings(rr)
		}
		txt := txtStrings(rr) != nil
		if txt && form == TXTEscaped {
			return ""
		}
		octets := make([]string, len(texts))
		for i, t := range texts {
			octets[i] = Unescape(t)
		}
		if txt && form == TXTOneText {
			octets = []string{Text(texts)}
		}
		for _, o := range octets {
			if utf8.ValidString(o) {
				continue
			}
			if txt && utf8.ValidString(Text(texts)) {
				// The text is UTF-8; its strings part a character.
				return fmt.Sprintf("%s strings split inside a UTF-8 character (%s): each string goes to %s's API as text of its own, and a string ending inside a character is not UTF-8; %s", dns.TypeToString[rr.Header().Rrtype], zone.Quote(o), vendor, how)
			}
			return fmt.Sprintf("%s %s holds octets that are not UTF-8: %s's API carries text as JSON strings, which hold only UTF-8; %s", dns.TypeToString[rr.Header().Rrtype], zone.Quote(o), vendor, how)
		}
		return ""
	}
}

// TXTEmpty refuses a TXT or SPF record whose text is empty (every
// string ""), which the vendor's API does not take; source says who
// found that out.
func TXTEmpty(vendor, source string) RRCheck {
	return func(rr dns.RR) string {
		if ss := txtStrings(rr); ss != nil && Text(ss) == "" {
			return fmt.Sprintf("an empty TXT text: %s does not take one (%s)", vendor, source)
		}
		return ""
	}
}

// CAAEmpty refuses a CAA whose value is empty (RFC 8659 §4.1.1 allows
// `0 issue ""`), which the vendor's API does not take: why says what it
// answers or who found that out. For the issue tags (issue, issuewild,
// RFC 9495's issuemail) the value ";" says the same (RFC 8659 §4.2: no
// CA may issue) and has one; another tag's empty value (an iodef with no
// URL) reports nowhere: drop the record or give it its value.
func CAAEmpty(vendor, why string) RRCheck {
	return func(rr dns.RR) string {
		v, ok := rr.(*dns.CAA)
		if !ok || Unescape(v.Value) != "" {
			return ""
		}
		msg := fmt.Sprintf("a CAA %s with an empty value: %s takes none (%s)", v.Tag, vendor, why)
		switch strings.ToLower(v.Tag) {
		case "issue", "issuewild", "issuemail":
			return msg + fmt.Sprintf(`; write %d %s ";", which says the same (RFC 8659 §4.2)`, v.Flag, v.Tag)
		}
		return msg + "; remove the record or give it its value"
	}
}

// TXTChars refuses a TXT or SPF record whose text holds one of chars,
// which the vendor's API does not keep as they are; source says who found
// that out.
func TXTChars(vendor, chars, source string) RRCheck {
	return func(rr dns.RR) string {
		ss := txtStrings(rr)
		if ss == nil {
			return ""
		}
		if t := Text(ss); strings.ContainsAny(t, chars) {
			i := strings.IndexAny(t, chars)
			return fmt.Sprintf("TXT text with %q: %s does not keep it as it is (%s)", t[i:i+1], vendor, source)
		}
		return ""
	}
}

// TXTTrailingSpace refuses a TXT or SPF record whose text ends in a
// space, which the vendor's API does not keep; source says who found
// that out.
func TXTTrailingSpace(vendor, source string) RRCheck {
	return func(rr dns.RR) string {
		if ss := txtStrings(rr); ss != nil && strings.HasSuffix(Text(ss), " ") {
			return fmt.Sprintf("TXT text ending in a space: %s does not keep it (%s)", vendor, source)
		}
		return ""
	}
}

// RootTarget refuses a record whose target name is the root "." (an MX
// to the root: null MX, RFC 7505; an SRV to the root: "no service", RFC
// 2782; a CNAME, NS or PTR to it), which the vendor's API does not take;
// source says who found that out.
func RootTarget(vendor, source string) RRCheck {
	return func(rr dns.RR) string {
		if target, ok := zone.Target(rr); !ok || target != "." {
			return ""
		}
		return fmt.Sprintf("%s with the root \".\" as its target: %s does not take one (%s)", dns.TypeToString[rr.Header().Rrtype], vendor, source)
	}
}

// txtStrings are the strings of a TXT or SPF record (nil for another
// type).
func txtStrings(rr dns.RR) []string {
	switch v := rr.(type) {
	case *dns.TXT:
		return v.Txt
	case *dns.SPF:
		return v.Txt
	}
	return nil
}

// PlainNames is a Capabilities.CheckName refusing owner names with
// characters a zone file writes escaped (backslash, space, quote) and the
// characters in also, which the vendor's API cannot write.
func PlainNames(vendor, also string) func(name string) string {
	return func(name string) string {
		if strings.ContainsAny(name, `\ "`+also) {
			return vendor + "'s API cannot hold an owner name with escaped characters"
		}
		return ""
	}
}
