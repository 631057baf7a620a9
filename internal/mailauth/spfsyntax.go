package mailauth

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Term is one term of an SPF record (RFC 7208 §12): a directive
// (qualifier and mechanism) or a modifier.
type Term struct {
	// Mech is the mechanism or modifier name, lower case: all, include, a,
	// mx, ptr, ip4, ip6, exists; redirect, exp, or an unknown modifier.
	Mech string
	// Modifier is true for name=value terms.
	Modifier bool
	// Qualifier is '+', '-', '~' or '?' ('+' when none is written).
	Qualifier byte
	// Arg is the domain-spec (or network for ip4/ip6), without CIDR
	// lengths; "" when none is written.
	Arg string
	// Text is the term as written.
	Text string
}

// Macro reports whether the argument holds a macro (%{...}): such a term
// is counted, not looked up.
func (t Term) Macro() bool { return strings.Contains(t.Arg, "%") }

// follows reports whether the term evaluates another SPF record: the
// include mechanism or the redirect modifier. An unknown modifier named
// include ("include=_spf.example.com", a slip for include:) is not one:
// receivers ignore unknown modifiers (RFC 7208 §6), it neither costs a
// lookup nor brings in the record.
func (t Term) follows() bool {
	return !t.Modifier && t.Mech == "include" || t.Modifier && t.Mech == "redirect"
}

// SPF is a parsed SPF record.
type SPF struct {
	Terms []Term
}

// IsSPF reports whether a TXT record (its strings concatenated) is an SPF
// record: "v=spf1" alone or followed by a space (RFC 7208 §4.5, case
// insensitive).
func IsSPF(rec string) bool {
	if len(rec) < 6 || zone.Fold(rec[:6]) != "v=spf1" {
		return false
	}
	return len(rec) == 6 || rec[6] == ' '
}

// SelectSPF picks the SPF record among the TXT records of a name (RFC 7208
// §4.5): n is how many there are (more than one is a permerror).
func SelectSPF(recs []string) (rec string, n int) {
	for _, r := range recs {
		if IsSPF(r) {
			if n == 0 {
				rec = r
			}
			n++
		}
	}
	return rec, n
}

// ParseSPF parses an SPF record per the grammar of RFC 7208 §12. An
// unknown mechanism, a malformed term, or a redirect or exp modifier
// written twice is an error (a permerror for receivers).
func ParseSPF(rec string) (*SPF, error) {
	s := &SPF{}
	err := eachTerm(rec, func(t Term) { s.Terms = append(s.Terms, t) })
	if err != nil {
		return nil, err
	}
	return s, nil
}

// eachTerm parses rec as ParseSPF does, calling fn with each term, and
// allocates nothing itself on a valid record (check reads a zone's every
// SPF record with it).
func eachTerm(rec string, fn func(Term)) error {
	if !IsSPF(rec) {
		return errors.New("not an SPF record (v=spf1)")
	}
	var redirect, exp bool
	for rest := rec[6:]; rest != ""; {
		text := rest
		if i := strings.IndexByte(rest, ' '); i >= 0 {
			text, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if text == "" {
			continue // 1*SP between terms
		}
		t, err := parseTerm(text)
		if err != nil {
			return fmt.Errorf("term %s: %w", quote(text), err)
		}
		if t.Modifier && (t.Mech == "redirect" || t.Mech == "exp") {
			seen := &redirect
			if t.Mech == "exp" {
				seen = &exp
			}
			if *seen {
				return fmt.Errorf("%s= appears more than once (RFC 7208 §6)", t.Mech)
			}
			*seen = true
		}
		fn(t)
	}
	return nil
}

func parseTerm(text string) (Term, error) {
	t := Term{Text: text, Qualifier: '+'}
	// modifier: name "=" macro-string, name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
	if i := strings.IndexByte(text, '='); i > 0 && isName(text[:i]) {
		t.Modifier = true
		t.Mech = zone.Fold(text[:i])
		t.Arg = text[i+1:]
		switch t.Mech {
		case "redirect", "exp":
			if err := checkDomainSpec(t.Arg); err != nil {
				return t, err
			}
		default:
			if _, err := checkMacroString(t.Arg, false); err != nil {
				return t, err
			}
		}
		return t, nil
	}
	rest := text
	if strings.ContainsRune("+-~?", rune(rest[0])) {
		t.Qualifier = rest[0]
		rest = rest[1:]
	}
	name, arg, hasArg := rest, "", false
	if i := strings.IndexAny(rest, ":/"); i >= 0 {
		name = rest[:i]
		if rest[i] == ':' {
			arg, hasArg = rest[i+1:], true
		} else {
			arg = rest[i:] // a CIDR length right after the name: a/24, mx//64
		}
	}
	t.Mech = zone.Fold(name)
	switch t.Mech {
	case "all":
		if arg != "" || hasArg {
			return t, errors.New("all takes no argument")
		}
	case "include", "exists":
		if !hasArg {
			return t, fmt.Errorf("%s needs a domain (%s:DOMAIN)", t.Mech, t.Mech)
		}
		t.Arg = arg
		return t, checkDomainSpec(arg)
	case "ptr":
		if hasArg {
			t.Arg = arg
			return t, checkDomainSpec(arg)
		}
		if arg != "" {
			return t, errors.New("ptr takes no CIDR length")
		}
	case "a", "mx":
		// a = "a" [ ":" domain-spec ] [ dual-cidr-length ]: the lengths
		// are only at the end, since a domain-spec may itself hold ':'
		// and '/' (macro-literal, RFC 7208 §7.1): a:foo:bar/baz.example.com
		// is the domain foo:bar/baz.example.com.
		spec, cidr := cutDualCIDR(rest[len(name):])
		switch {
		case strings.HasPrefix(spec, ":"):
			if err := checkDomainSpec(spec[1:]); err != nil {
				return t, err
			}
			t.Arg = spec[1:]
		case spec != "":
			return t, fmt.Errorf("bad CIDR length %s", quote(spec))
		}
		return t, checkDualCIDR(cidr)
	case "ip4", "ip6":
		if !hasArg {
			return t, fmt.Errorf("%s needs a network", t.Mech)
		}
		network, length, _ := strings.Cut(arg, "/")
		ip, err := netip.ParseAddr(network)
		if err != nil || (t.Mech == "ip4") != ip.Is4() || ip.Zone() != "" {
			return t, fmt.Errorf("%s is not an %s address", quote(network), map[string]string{"ip4": "IPv4", "ip6": "IPv6"}[t.Mech])
		}
		t.Arg = network
		if strings.Contains(arg, "/") {
			maxLen := 32
			if t.Mech == "ip6" {
				maxLen = 128
			}
			if err := checkCIDR(length, maxLen); err != nil {
				return t, err
			}
		}
	case "redirect", "exp":
		// A modifier written as a mechanism (redirect:x.example): no
		// mechanism has the name.
		instead := t.Mech + "=DOMAIN"
		if hasArg {
			instead = word(t.Mech + "=" + arg)
		}
		return t, fmt.Errorf("unknown mechanism %s (RFC 7208 §12: a permerror); %s is a modifier: write %s", quote(name), t.Mech, instead)
	default:
		return t, fmt.Errorf("unknown mechanism %s (RFC 7208 §12: a permerror)", quote(name))
	}
	return t, nil
}

func isName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// cutDualCIDR splits a trailing dual-cidr-length ("/24", "//64",
// "/24//64") off s: the lengths are digits, checked by checkDualCIDR.
func cutDualCIDR(s string) (rest, cidr string) {
	rest = s
	if i := strings.LastIndex(rest, "//"); i >= 0 && isDigits(rest[i+2:]) {
		rest, cidr = rest[:i], rest[i:]
	}
	if i := strings.LastIndexByte(rest, '/'); i >= 0 && isDigits(rest[i+1:]) {
		rest, cidr = rest[:i], rest[i:]+cidr
	}
	return rest, cidr
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// checkDualCIDR: [ "/" ip4-cidr-length ] [ "//" ip6-cidr-length ].
func checkDualCIDR(s string) error {
	if s == "" {
		return nil
	}
	v4, v6, dual := strings.Cut(s, "//")
	if v4 != "" {
		if v4[0] != '/' {
			return fmt.Errorf("bad CIDR length %s", quote(s))
		}
		if err := checkCIDR(v4[1:], 32); err != nil {
			return err
		}
	}
	if dual {
		return checkCIDR(v6, 128)
	}
	return nil
}

// checkCIDR: a decimal length without leading zeros, at most maxLen.
func checkCIDR(s string, maxLen int) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxLen || s != strconv.Itoa(n) {
		return fmt.Errorf("bad CIDR length %s (0-%d)", quote(s), maxLen)
	}
	return nil
}

// checkDomainSpec: domain-spec = macro-string domain-end, domain-end =
// ( "." toplabel [ "." ] ) / macro-expand.
func checkDomainSpec(s string) error {
	if s == "" {
		return errors.New("empty domain")
	}
	expandEnd, err := checkMacroString(s, true)
	if err != nil {
		return err
	}
	if expandEnd {
		return nil
	}
	d := strings.TrimSuffix(s, ".")
	i := strings.LastIndexByte(d, '.')
	if i < 0 {
		return fmt.Errorf("%s is not a domain (no dot before the top label)", quote(s))
	}
	if !isTopLabel(d[i+1:]) {
		return fmt.Errorf("%s: bad top label %s", quote(s), quote(d[i+1:]))
	}
	return nil
}

// isTopLabel: ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).
func isTopLabel(l string) bool {
	if l == "" {
		return false
	}
	alpha := false
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case isAlpha(c):
			alpha = true
		case isDigit(c):
		case c == '-' && i > 0 && i < len(l)-1:
			alpha = true // the second form
		default:
			return false
		}
	}
	return alpha
}

// checkMacroString: *( macro-expand / macro-literal ), macro-literal =
// %x21-24 / %x26-7E, macro-expand = ( "%{" macro-letter transformers
// *delimiter "}" ) / "%%" / "%_" / "%-". In a domain-spec the letters c,
// r and t are errors: they are allowed only in exp text (RFC 7208 §7.2).
// A DIGIT transformer of zero (%{d0}) is an error (§7.3).
// expandEnd reports whether s ends with a macro-expand.
func checkMacroString(s string, domain bool) (expandEnd bool, err error) {
	letters := "slodiphcrtvSLODIPHCRTV"
	if domain {
		letters = "slodiphvSLODIPHV"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		expandEnd = c == '%'
		if c != '%' {
			if c < 0x21 || c > 0x7e {
				return false, fmt.Errorf("character %q not allowed", c)
			}
			continue
		}
		if i+1 >= len(s) {
			return false, errors.New("'%' at the end")
		}
		switch s[i+1] {
		case '%', '_', '-':
			i++
			continue
		case '{':
		default:
			return false, fmt.Errorf("bad macro %s", quote(s[i:min(i+2, len(s))]))
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return false, errors.New("macro without '}'")
		}
		body := s[i+2 : i+end]
		switch {
		case body == "" || !strings.ContainsRune("slodiphcrtvSLODIPHCRTV", rune(body[0])):
			return false, fmt.Errorf("bad macro letter in %s", quote(s[i:i+end+1]))
		case !strings.ContainsRune(letters, rune(body[0])):
			return false, fmt.Errorf("macro %s outside exp text: c, r and t are allowed only there (RFC 7208 §7.2)", quote(s[i:i+end+1]))
		}
		j := 1
		for j < len(body) && isDigit(body[j]) {
			j++
		}
		// transformers = *DIGIT [ "r" ] (§7.1), and "If a DIGIT is
		// specified, the value MUST be nonzero" (§7.3): %{d0} is an
		// error, as Mail::SPF judges it ("Illegal selection of 0 (zero)
		// right-hand parts": permerror). The openspf suite has no
		// scenario for it; pyspf takes it (and drops the leftmost part).
		if j > 1 && strings.Trim(body[1:j], "0") == "" {
			return false, fmt.Errorf("macro %s: the number of right-hand parts must be nonzero (RFC 7208 §7.3)", quote(s[i:i+end+1]))
		}
		if j < len(body) && (body[j] == 'r' || body[j] == 'R') {
			j++
		}
		for ; j < len(body); j++ {
			if !strings.ContainsRune(".-+,/_=", rune(body[j])) {
				return false, fmt.Errorf("bad macro transformer or delimiter in %s", quote(s[i:i+end+1]))
			}
		}
		i += end
	}
	return expandEnd, nil
}
