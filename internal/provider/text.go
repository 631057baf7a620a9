package provider

import "strings"

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
		parts[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p) + `"`
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

// SplitElsewhere reports whether TXT strings are split other than at 255
// octets, which a provider that keeps one text cannot reproduce.
func SplitElsewhere(strs []string) bool {
	for i, s := range strs {
		if i < len(strs)-1 && len(s) != 255 {
			return true
		}
	}
	return false
}
