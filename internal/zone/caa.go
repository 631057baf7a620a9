package zone

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// A CAA record's value is the rest of its RDATA, not a character-string:
// "The value field, expressed as a contiguous set of characters without
// interior spaces, or as a quoted string" of any length (RFC 8659 §4.1.1),
// as BIND and Knot load it. miekg/dns reads it as character-strings and
// refuses one of over 255 octets ("bad CAA Value"), though it packs,
// unpacks and prints it whole. So such a value is read in the RFC 3597
// form (caaGeneric), which miekg/dns unpacks into a CAA record: from a
// zone file (caaGenericLine) and from one record's text (NewRR).

// NewRR reads one record in presentation form, as dns.NewRR does, and a
// CAA whose value is over 255 octets too: every record an API lists back
// or a file holds is read by it.
func NewRR(s string) (dns.RR, error) {
	rr, err := dns.NewRR(s)
	if err == nil {
		return rr, nil
	}
	toks := fields([]byte(s))
	if n := len(toks); n >= 4 && strings.EqualFold(toks[n-4], "CAA") {
		if rd, _, ok := caaGeneric(toks[n-3:]); ok {
			head := strings.Join(toks[:n-3], " ")
			if g, gerr := dns.NewRR(head + " " + rd); gerr == nil && g != nil {
				return Unpacked(g), nil
			}
		}
	}
	return nil, err
}

// caaGeneric is a CAA's RDATA (flag, tag, value tokens in presentation
// form) in the RFC 3597 form, and its length in octets; ok only for a
// value of over 255 octets (miekg/dns reads the others itself) with a
// flag and tag it would read.
func caaGeneric(toks []string) (rdata string, n int, ok bool) {
	if len(toks) != 3 || toks[0] == `\#` {
		return "", 0, false
	}
	flag, err := strconv.ParseUint(toks[0], 10, 8)
	tag := toks[1]
	if err != nil || tag == "" || len(tag) > 255 || strings.ContainsAny(tag, `"\`) {
		return "", 0, false
	}
	value := Unescape(unquote(toks[2]))
	if len(value) <= 255 {
		return "", 0, false
	}
	wire := make([]byte, 0, 2+len(tag)+len(value))
	wire = append(append(append(wire, byte(flag), byte(len(tag))), tag...), value...)
	return fmt.Sprintf(`\# %d %s`, len(wire), hex.EncodeToString(wire)), len(wire), true
}

// caaGenericLine rewrites a zone-file line's CAA RDATA (from i) whose
// value is over 255 octets in the RFC 3597 form (caaGeneric), its length
// kept in m as for one written so.
func caaGenericLine(l []byte, i int, m *meta) []byte {
	rd, n, ok := caaGeneric(fields(l[i:]))
	if !ok {
		return l
	}
	s := tokAt(l, i, 0)
	_, e := nextTok(l, tokAt(l, i, 2))
	m.genericLen = n + 1
	return append(append(append([]byte(nil), l[:s]...), rd...), l[e:]...)
}

// Unescape is a character-string in presentation form (TXT strings, NAPTR
// fields, a CAA value: \" \\ and \DDD escapes, RFC 1035 §5.1) as the
// octets it stands for.
func Unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		v, w := OctetAt(s, i)
		b = append(b, byte(v))
		i += w
	}
	return string(b)
}
