package zone

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/suggest"
)

// Hints for likely typos in type names and directives.

// commonTypes are tried first, so that a typo gets the everyday type
// ("AAA" → AAAA, not A6).
var commonTypes = []string{"A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA", "PTR", "SOA", "TLSA",
	"HTTPS", "SVCB", "DS", "DNSKEY", "NAPTR", "SPF", "SSHFP", "DNAME", "LOC", "HINFO"}

// unknownTypeMessage explains a token miekg/dns does not know as a type.
func unknownTypeMessage(tok string) string {
	msg := "unknown RR type " + redact.Word(tok)
	if s := suggest.Closest(strings.ToUpper(tok), commonTypes, allTypeNames()); s != "" {
		return msg + fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg + " (write a type dnsparity cannot read in RFC 3597 form: TYPEnnn \\# LEN HEX)"
}

// unknownDirectiveMessage explains an unknown $ directive.
func unknownDirectiveMessage(tok string) string {
	msg := "unknown directive " + redact.Word(tok)
	if s := suggest.Closest(strings.ToUpper(tok), []string{"$TTL", "$ORIGIN", "$INCLUDE", "$GENERATE"}, nil); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg
}

func allTypeNames() []string {
	out := make([]string, 0, len(dns.StringToType)+len(extraTypes))
	for n, t := range dns.StringToType {
		if _, ok := dns.TypeToRR[t]; ok && !isMetaType(t) {
			out = append(out, n)
		}
	}
	for _, x := range extraTypes {
		out = append(out, x.name)
	}
	return out
}
