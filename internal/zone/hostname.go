package zone

import (
	"fmt"
	"net"
	"strings"
)

// HostnameProblem says why the name n (absolute or not, in presentation
// form) is not a host name, or "": the one host-name rule of dnsparity.
// `check` (CheckNames, BIND's check-names) takes the part BIND enforces,
// hostLabels; the delegation gate's ns-syntax (Zonemaster SYNTAX04, the
// flip's NS names) all of it:
//
//   - each label holds letters, digits and hyphens only and neither
//     starts nor ends with a hyphen (RFC 952, RFC 1123 §2.1; BIND's
//     dns_name_ishostname);
//   - escapes stand for the octets they name (RFC 1035 §5.1: ns\065 is
//     nsA, a host name, as BIND loads it; a\.b one label holding a dot,
//     ns\032x one holding a space, neither a host name's);
//   - lengths count those octets (RFC 1035 §2.3.4: 63 a label, 255 the
//     name on the wire, 253 written out); an empty label makes no domain
//     name at all;
//   - the top label is not all digits, so that an IP address is never a
//     name (RFC 1123 §2.1, RFC 3696 §2), which BIND does not check.
func HostnameProblem(n string) string {
	if ip := net.ParseIP(Unescape(strings.TrimSuffix(n, "."))); ip != nil {
		return fmt.Sprintf("it is the IP address %s written as a name (an NS record names a host; its address goes in glue)", ip)
	}
	if n == "." || n == "" {
		return "it is the root"
	}
	fault, top, size := hostLabels(n, false)
	if fault.kind != faultNone {
		return fault.String()
	}
	if size > 253 {
		return fmt.Sprintf("it is %d characters long (at most 253)", size)
	}
	if strings.Trim(top, "0123456789") == "" {
		return fmt.Sprintf("its last label %q is all digits", top)
	}
	return ""
}

// labelFault is why a label breaks the host-name rule (hostLabels): its
// kind (0: none), the label's octets and, for a character, the first
// octet refused and whether the label held an escape.
type labelFault struct {
	kind    int
	label   string
	c       byte
	escaped bool
}

// The kinds of labelFault.
const (
	faultNone = iota
	faultEmpty
	faultLong
	faultHyphen
	faultChar
)

// String says why, for HostnameProblem; the words are built only for a
// name refused, so that isHostname allocates nothing.
func (f labelFault) String() string {
	shown := strings.ReplaceAll(f.label, ".", `\.`)
	switch f.kind {
	case faultEmpty:
		return "it holds an empty label (a dot at its start or two in a row): it is no domain name"
	case faultLong:
		return fmt.Sprintf("the label %q is %d octets long (at most 63)", shown, len(f.label))
	case faultHyphen:
		return fmt.Sprintf("the label %q starts or ends with a hyphen", shown)
	case faultChar:
		if f.escaped {
			return fmt.Sprintf("the label %q holds the escaped character %q (a dot or octet other than a letter, digit or hyphen)", shown, f.c)
		}
		i := strings.IndexByte(f.label, f.c)
		return fmt.Sprintf("the label %q holds %q (only letters, digits and hyphens)", shown, []rune(f.label[i:])[0])
	}
	return ""
}

// hostLabels walks the labels of the presentation name n, split at its
// unescaped dots (one trailing dot ends an absolute name), each as the
// octets it stands for, and gives the first label that breaks BIND's
// dns_name_ishostname (letters, digits and hyphens, no hyphen at a
// label's ends), is empty, or is over 63 octets; with wildcard, a first
// label "*" is allowed. It gives the top label's octets and the name's
// length written without escapes (labels and the dots between them). A
// name without escapes allocates nothing.
func hostLabels(n string, wildcard bool) (fault labelFault, top string, size int) {
	first := true
	for start := 0; start < len(n) || first; first = false {
		end, escaped := start, false
		for end < len(n) && n[end] != '.' {
			if n[end] == '\\' {
				escaped = true
				end++
			}
			end++
		}
		end = min(end, len(n))
		l := Unescape(n[start:end])
		start = end + 1
		if size > 0 {
			size++ // the dot before this label
		}
		size += len(l)
		top = l
		switch {
		case first && wildcard && l == "*":
			continue
		case l == "":
			return labelFault{kind: faultEmpty}, top, size
		case len(l) > 63:
			return labelFault{kind: faultLong, label: l}, top, size
		case l[0] == '-' || l[len(l)-1] == '-':
			return labelFault{kind: faultHyphen, label: l}, top, size
		}
		for j := 0; j < len(l); j++ {
			if r := l[j]; !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return labelFault{kind: faultChar, label: l, c: r, escaped: escaped}, top, size
			}
		}
	}
	return labelFault{}, top, size
}
