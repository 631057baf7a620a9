package zone

import (
	"strings"

	"github.com/miekg/dns"
)

// A name written with the zone's name but without its final dot
// ("www.example.com" in example.com.'s file) is relative: it is
// www.example.com.example.com. (RFC 1035 §5.1). BIND loads it without a
// word, and the record is served at, or points to, a name nobody means.

// doubledHint says what to write for name when it ends with the zone's
// name twice (the origin's labels, then the origin): "the zone's name
// twice: www.example.com written without its final dot? Then write
// www.example.com. (or www)"; "" for any other name.
func doubledHint(name, origin string) string {
	if origin == "." {
		return ""
	}
	// Without allocating: this runs on every owner name.
	once := origin[:len(origin)-1]
	if len(name) <= len(origin) || !strings.HasSuffix(name, origin) || name[len(name)-len(origin)-1] != '.' {
		return ""
	}
	written := name[:len(name)-len(origin)-1] // as written, without the dot
	if !(written == once || strings.HasSuffix(written, once) && written[len(written)-len(once)-1] == '.') {
		return ""
	}
	rel := strings.TrimSuffix(strings.TrimSuffix(written, once), ".")
	if rel == "" {
		rel = "@"
	}
	return "the zone's name twice: " + written + " written without its final dot? Then write " + written + ". (or " + rel + ")"
}

// doubledNames warns of an owner, and of a CNAME, DNAME or PTR target,
// written with the zone's name and no final dot (doubledHint). MX, NS and
// SRV targets say it in their own check (relativeHint).
func (v *validator) doubledNames(sets []*RRSet) {
	origin := v.z.Origin
	if h := doubledHint(sets[0].Name, origin); h != "" {
		v.add(sets[0].Pos(), Warning, "%s: %s", sets[0].Name, h)
	}
	if v.doubled == "" {
		// The doubled origin in wire form, as canonical RDATA (lower
		// case, uncompressed) ends with it: a suffix test per record
		// rather than a name unpacked.
		wire := make([]byte, 2*len(origin)+2)
		n, err := dns.PackDomainName(CanonicalName(strings.TrimSuffix(origin, ".")+"."+origin), wire, 0, nil, false)
		if err != nil || origin == "." {
			v.doubled = "-"
		} else {
			v.doubled = string(wire[:n])
		}
	}
	for _, s := range sets {
		if s.Type != dns.TypeCNAME && s.Type != dns.TypeDNAME && s.Type != dns.TypePTR {
			continue
		}
		for _, r := range s.Records {
			if !strings.HasSuffix(r.Rdata, v.doubled) {
				continue
			}
			target := rdataName(r.Rdata, 0)
			if h := doubledHint(target, origin); h != "" {
				v.add(v.z.FieldPos(r.Pos, 1), Warning, "%s %s '%s': %s", s.Name, TypeName(s.Type), target, h)
			}
		}
	}
}
