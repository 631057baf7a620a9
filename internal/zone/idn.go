package zone

import (
	"strings"
	"unicode/utf8"

	"github.com/miekg/dns"
	"golang.org/x/net/idna"
)

// ALabels gives the presentation name n with each label written as
// Unicode text (raw UTF-8 octets, as an editor saves "bücher") in its
// ASCII form, the A-label ("xn--bcher-kva"), or "" when no label is
// such text. Resolvers, browsers and mail software never ask for the
// UTF-8 octets: they convert the name first (IDNA2008, RFC 5890 §2.3.2.1,
// RFC 5891 §5), so a record at the UTF-8 name is served to no one, while
// BIND loads it as written. A label IDNA does not map (one with a blank)
// and a DNS-SD service instance name ("Büro._ipp._tcp", RFC 6763 §4.1.1:
// serviceInstance) are kept: UTF-8 there is meant.
func ALabels(n string) string {
	labels := splitLabels(n)
	changed := false
	for i, l := range labels {
		u := Unescape(l)
		if !nonASCII(u) || !utf8.ValidString(u) || serviceInstance(labels, i) {
			continue
		}
		a, err := idna.Lookup.ToASCII(u)
		if err != nil || a == u {
			continue
		}
		labels[i], changed = a, true
	}
	if !changed {
		return ""
	}
	return strings.Join(labels, ".")
}

// serviceInstance reports whether labels[i] is a DNS-SD service instance
// name (<Instance>.<_Service>.<_tcp|_udp>.<Domain>, RFC 6763 §4.1): UTF-8
// there is meant and never converted (§4.1.1), whether or not IDNA would
// map it ("Büro", with no blank, too).
func serviceInstance(labels []string, i int) bool {
	if i+2 >= len(labels) || !strings.HasPrefix(labels[i+1], "_") {
		return false
	}
	proto := strings.ToLower(labels[i+2])
	return proto == "_tcp" || proto == "_udp"
}

// splitLabels splits the presentation name n at its unescaped dots (a
// final dot gives a last empty label, so that joining them again with
// dots gives n).
func splitLabels(n string) []string {
	var labels []string
	start := 0
	for i := 0; i < len(n); i++ {
		switch n[i] {
		case '\\':
			i++
		case '.':
			labels = append(labels, n[start:i])
			start = i + 1
		}
	}
	return append(labels, n[start:])
}

func nonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// idnNames warns on a name of the RRsets of one owner written in Unicode
// (ALabels): the zone's own name once, at its SOA; an owner for the
// labels it adds to the zone's name; a target (CNAME, DNAME, NS, MX,
// SRV, PTR) whole. Each message gives the name to write.
func (v *validator) idnNames(sets []*RRSet) {
	const why = "resolvers and browsers ask for its ASCII form (IDNA, RFC 5891 §5), never these UTF-8 octets, so nothing asks for what is written here"
	name, origin := sets[0].Name, v.z.Origin
	if name == origin {
		for _, s := range sets {
			if a := ALabels(origin); s.Type == dns.TypeSOA && a != "" {
				v.add(s.Pos(), Warning, "the zone's name %s (%s) is written in Unicode: %s; name the zone %s ($ORIGIN, the SOA owner, the config's zones entry)", origin, Unescape(origin), why, a)
			}
		}
	} else if rel := strings.TrimSuffix(name, "."+origin); rel != name || origin == "." {
		if ALabels(rel) != "" {
			v.add(sets[0].Pos(), Warning, "%s (%s): the name is written in Unicode: %s; write %s", name, Unescape(name), why, withOrigin(ALabels(rel), origin))
		}
	}
	originIDN := ALabels(origin) != ""
	for _, s := range sets {
		off := -1
		switch s.Type {
		case dns.TypeCNAME, dns.TypeDNAME, dns.TypeNS, dns.TypePTR:
			off = 0
		case dns.TypeMX:
			off = 2
		case dns.TypeSRV:
			off = 6
		}
		if off < 0 {
			continue
		}
		for _, r := range s.Records {
			t := rdataName(r.Rdata, off)
			// The zone's own name in a target was said at its SOA.
			if rel := strings.TrimSuffix(t, "."+origin); rel != t && originIDN && ALabels(rel) == "" || t == origin {
				continue
			}
			if a := ALabels(t); a != "" {
				v.add(r.Pos, Warning, "%s %s: the target %s (%s) is written in Unicode: %s; write %s", name, TypeName(s.Type), t, Unescape(t), why, a)
			}
		}
	}
}
