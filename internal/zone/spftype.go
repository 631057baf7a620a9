package zone

import (
	"strings"

	"github.com/miekg/dns"
)

// spfType warns, as named-checkzone does, when a name has an SPF-type
// record (type 99, RFC 7208 §3.1: not to be used) but no TXT record
// starting "v=spf1": receivers look up only TXT, so the policy is unseen.
func (v *validator) spfType(sets []*RRSet) {
	var spf, txt *RRSet
	for _, s := range sets {
		switch s.Type {
		case dns.TypeSPF:
			spf = s
		case dns.TypeTXT:
			txt = s
		}
	}
	if spf == nil {
		return
	}
	if txt != nil {
		for _, r := range txt.Records {
			if t := txtText(r.Rdata); len(t) >= 6 && Fold(t[:6]) == "v=spf1" {
				return
			}
		}
	}
	v.add(spf.Pos(), Warning, "%s: found type SPF record but no SPF TXT record found, add matching type TXT record (receivers look up TXT only: RFC 7208 §3.1)", spf.Name)
}

// txtText concatenates the character-strings of TXT RDATA in wire form.
func txtText(rdata string) string { return strings.Join(TXTStrings(rdata), "") }
