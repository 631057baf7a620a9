package zone

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// Hints for likely typos in type names and directives.

// commonTypes are tried first, so that a typo gets the everyday type
// ("AAA" → AAAA, not A6).
var commonTypes = []string{"A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA", "PTR", "SOA", "TLSA",
	"HTTPS", "SVCB", "DS", "DNSKEY", "NAPTR", "SPF", "SSHFP", "DNAME", "LOC", "HINFO"}

// unknownTypeMessage explains a token miekg/dns does not know as a type.
func unknownTypeMessage(tok string) string {
	msg := "unknown RR type " + redact.Word(tok)
	if s := closest(strings.ToUpper(tok), commonTypes, allTypeNames()); s != "" {
		return msg + fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg + " (write a type dnsparity cannot read in RFC 3597 form: TYPEnnn \\# LEN HEX)"
}

// unknownDirectiveMessage explains an unknown $ directive.
func unknownDirectiveMessage(tok string) string {
	msg := "unknown directive " + redact.Word(tok)
	if s := closest(strings.ToUpper(tok), []string{"$TTL", "$ORIGIN", "$INCLUDE", "$GENERATE"}, nil); s != "" {
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

// closest returns the first name in first, else the alphabetically first in
// rest, one edit (insert, delete, change, or swap of neighbours) from s.
func closest(s string, first, rest []string) string {
	for _, n := range first {
		if oneEdit(s, n) {
			return n
		}
	}
	best := ""
	for _, n := range rest {
		if oneEdit(s, n) && (best == "" || n < best) {
			best = n
		}
	}
	return best
}

// oneEdit reports whether a and b differ by exactly one edit.
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := len(a), len(b)
	switch {
	case la == lb:
		diff := -1
		for i := 0; i < la; i++ {
			if a[i] != b[i] {
				if diff >= 0 {
					// a swap of two neighbours
					return i == diff+1 && a[diff] == b[i] && a[i] == b[diff] && a[i+1:] == b[i+1:]
				}
				diff = i
			}
		}
		return true
	case la == lb+1:
		a, b = b, a
		fallthrough
	case la+1 == lb:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}
