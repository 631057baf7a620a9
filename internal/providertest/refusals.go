package providertest

import "maps"

// EscapedNameRefusals are the Cases whose owner names the canonical name
// writes with an escape (an at sign, a parenthesis, a semicolon, a quote,
// an apostrophe, octets outside ASCII, a space, a backslash and a dot
// inside a label), each refused with "escaped characters" by a provider
// whose API takes no escaped names.
var EscapedNameRefusals = map[string]string{
	"escaped-space": "escaped characters", "dot-in-label": "escaped characters", "backslash-in-label": "escaped characters",
	"at-in-label": "escaped characters", "paren-in-label": "escaped characters", "semicolon-in-label": "escaped characters",
	"quote-in-label": "escaped characters", "apostrophe-in-label": "escaped characters", "octets-in-label": "escaped characters",
	"dot-in-label-txt": "escaped characters",
}

// Refusals is EscapedNameRefusals with more (a provider's own refusals).
func Refusals(more map[string]string) map[string]string {
	all := maps.Clone(EscapedNameRefusals)
	maps.Copy(all, more)
	return all
}
