package powerdns

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider/powerdns/qtype"
)

// pdnsListedOnly are the names PowerDNS's API lists a type by that
// miekg/dns has no name for: A6, a name of QType::names with no text
// form, whose records it takes as TYPE38 (typeName) and lists as "A6",
// their data in RFC 3597's \# form (seen on the lab's PowerDNS 4.7.3).
// SIG, the other such name, miekg/dns reads.
var pdnsListedOnly = map[string]uint16{"A6": 38}

// listedType is the type PowerDNS's API names name in a listing: a name
// miekg/dns knows, TYPEnnn, or pdnsListedOnly's; false for another
// (PowerDNS's own types: ALIAS, LUA).
func listedType(name string) (uint16, bool) {
	u := strings.ToUpper(name)
	if t, ok := dns.StringToType[u]; ok {
		return t, true
	}
	if t, ok := pdnsListedOnly[u]; ok {
		return t, true
	}
	if !strings.HasPrefix(u, "TYPE") {
		return 0, false
	}
	n, err := strconv.ParseUint(u[len("TYPE"):], 10, 16)
	return uint16(n), err == nil
}

// typeName is type t as PowerDNS 4.7 names it: its name when it has a
// text form (qtype.TextName), else TYPEnnn (RFC 3597 §5).
func typeName(t uint16) string {
	if n, ok := qtype.TextName(t); ok {
		return n
	}
	return fmt.Sprintf("TYPE%d", t)
}

// unknownContent is rr in RFC 3597's form (\# length hex), the one
// PowerDNS takes for a type it has no text form for.
func unknownContent(rr dns.RR) (string, error) {
	u := new(dns.RFC3597)
	if err := u.ToRFC3597(rr); err != nil {
		return "", fmt.Errorf("%s %s: RFC 3597 form: %w", rr.Header().Name, dns.Type(rr.Header().Rrtype), err)
	}
	return fmt.Sprintf("\\# %d %s", len(u.Rdata)/2, u.Rdata), nil
}

// bitmapFields are the fields before the type bitmap of each type that
// ends in one.
var bitmapFields = map[string]int{"NSEC": 1, "NSEC3": 5, "CSYNC": 2}

// bitmapFromContent writes the types of a type bitmap in PowerDNS's
// content as TYPEnnn, which miekg/dns reads for every type: PowerDNS
// names type 0 ENT, and its own types ALIAS and LUA, as miekg/dns does
// not.
func bitmapFromContent(typ, c string) string {
	n, ok := bitmapFields[strings.ToUpper(typ)]
	if !ok {
		return c
	}
	f := strings.Fields(c)
	for i := n; i < len(f); i++ {
		if t, ok := qtype.TextType(f[i]); ok {
			f[i] = fmt.Sprintf("TYPE%d", t)
		}
	}
	return strings.Join(f, " ")
}
