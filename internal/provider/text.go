package provider

import (
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// ChangeNames lists the RRsets of changes for a message (up to five, then
// how many more; "none" when there are none).
func ChangeNames(cs []Change) string {
	if len(cs) == 0 {
		return "none"
	}
	return Describe(cs, 5)
}

// SplitText is one TXT text as quoted strings of 255 octets: how a
// provider that keeps a TXT record as one text (NS1, ClouDNS, DNS Made
// Easy's unquoted values) serves it.
func SplitText(text string) string {
	var parts []string
	for len(text) > 255 {
		parts = append(parts, text[:255])
		text = text[255:]
	}
	parts = append(parts, text)
	for i, p := range parts {
		parts[i] = zone.Quote(p)
	}
	return strings.Join(parts, " ")
}

// TXTValue is the presentation RDATA of a TXT value as an API that takes
// either form keeps it (Cloudflare's content, DNS Made Easy's value):
// quoted strings as written, else one unquoted text, which the API splits
// at 255 octets on the wire (SplitText).
func TXTValue(v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, `"`) {
		return v
	}
	return SplitText(v)
}

// SplitElsewhere reports whether TXT strings (presentation form, as
// miekg/dns gives them) are split other than at 255 octets, which a
// provider that keeps one text cannot reproduce. It counts octets: an
// escape (\" \\ \DDD) is one.
func SplitElsewhere(strs []string) bool {
	for i, s := range strs {
		if i < len(strs)-1 && len(Unescape(s)) != 255 {
			return true
		}
	}
	return false
}

// Unescape is zone.Unescape: a character-string in presentation form as
// the octets it stands for, what an API that keeps plain text takes
// (NS1's answers, ClouDNS's record). Sending the presentation form
// instead stores the escapes themselves, which read back as other text
// (a perpetual diff).
func Unescape(s string) string { return zone.Unescape(s) }

// Text is the octets of a TXT or SPF record's strings, joined: the one
// text an API that splits it at 255 octets keeps (SplitText reads it
// back).
func Text(strs []string) string {
	return Unescape(strings.Join(strs, ""))
}
