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

// atHint says what to write for name when a label of it is "@" (written
// "mail.@": "@" is the origin only as a whole name, RFC 1035 §5.1): the
// name without those labels; "" for any other name.
func atHint(name, origin string) string {
	if !strings.Contains(name, `\@`) {
		return ""
	}
	var keep []string
	labels := dns.SplitDomainName(name)
	for _, l := range labels {
		if l != `\@` {
			keep = append(keep, l)
		}
	}
	if len(keep) == len(labels) {
		return "" // an @ within a label (user\@x): no label '@'
	}
	meant := dns.Fqdn(strings.Join(keep, "."))
	rel := meant
	if meant == origin {
		rel = "@"
	} else if r, ok := strings.CutSuffix(meant, "."+origin); ok {
		rel = r
	}
	return "'@' inside a name is a label '@', not the origin (@ stands for the origin only as a whole name): write " + rel + " (or " + meant + ")"
}

// writtenHint is doubledHint, else atHint: a name written otherwise than
// meant.
func writtenHint(name, origin string) string {
	if h := doubledHint(name, origin); h != "" {
		return h
	}
	return atHint(name, origin)
}

// doubledNames warns of an owner, and of a CNAME, DNAME or PTR target,
// written otherwise than meant (writtenHint: the zone's name without a
// final dot, "@" inside a name). MX, NS and SRV targets say it in their
// own check (relativeHint). An owner is not warned of where its records
// were read under an $ORIGIN written without its final dot (that
// $ORIGIN's warning says it: Zone.relSpans), nor where it was written
// with its final dot ("test.test." in test.'s file: a name of its own,
// which BIND loads as written; Zone.saidElse). Whether a record that
// points to the name makes it meant cannot be told: an owner and its
// pointer written the same way without their final dots ("mail.example.com
// A", "@ MX 10 mail.example.com") agree with each other and both miss
// the name meant, so that is no reason to keep quiet.
func (v *validator) doubledNames(sets []*RRSet) {
	origin := v.z.Origin
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
	if h := writtenHint(sets[0].Name, origin); h != "" {
		if at, ok := v.z.writtenAt(sets); ok {
			v.add(at, Warning, "%s: %s", sets[0].Name, h)
		}
	}
	for _, s := range sets {
		if s.Type != dns.TypeCNAME && s.Type != dns.TypeDNAME && s.Type != dns.TypePTR {
			continue
		}
		for _, r := range s.Records {
			// A label "@" is the octets 1 '@' in wire form.
			if !strings.HasSuffix(r.Rdata, v.doubled) && !strings.Contains(r.Rdata, "\x01@") {
				continue
			}
			target := rdataName(r.Rdata, 0)
			if h := writtenHint(target, origin); h != "" {
				v.add(v.z.FieldPos(r.Pos, 1), Warning, "%s %s '%s': %s", s.Name, TypeName(s.Type), target, h)
			}
		}
	}
}

// writtenAt is where the owner of sets (one name's RRsets) was written
// without its final dot on its own: its first record (sets[0]'s first,
// else the first in order) neither read under an $ORIGIN written without
// its final dot that the name is at or below (Zone.relSpans) nor noted
// as written otherwise (Zone.saidElse); ok false when there is none.
func (z *Zone) writtenAt(sets []*RRSet) (Pos, bool) {
	for _, s := range sets {
		for _, r := range s.Records {
			if !z.saidElse[r.Pos] && !z.underRelOrigin(r.Pos, s.Name) {
				return r.Pos, true
			}
		}
	}
	return Pos{}, false
}

// noteOwner notes, for the record line l at p, when its owner is not
// written there without its final dot (feeder.saidElse): written with it
// and the zone's name twice ("test.test." or "www.Test.test." in test.'s
// file: doubledNames does not ask whether the dot was left out), or a
// blank owner taking one written relative under an $ORIGIN without its
// final dot (that $ORIGIN says it, though the line is past its span). A
// blank owner is the previous line's that is not a $GENERATE's (owned:
// the line names one that later blank owners take). Without allocating:
// this runs on every record line.
func (f *feeder) noteOwner(l []byte, p Pos, owned bool) {
	abs, rel := f.ownerAbs, f.ownerRel
	if len(l) > 0 && l[0] != ' ' && l[0] != '\t' {
		tok, twice := ownerToken(l), f.twice
		abs = twice != "" && foldSuffix(tok, twice) && (len(tok) == len(twice) || tok[len(tok)-len(twice)-1] == '.')
		rel = f.rel != "" && !(len(tok) > 0 && tok[len(tok)-1] == '.' && (len(tok) < 2 || tok[len(tok)-2] != '\\'))
		if owned {
			f.ownerAbs, f.ownerRel = abs, rel
		}
	}
	if abs || rel && f.openSpan == 0 {
		if f.saidElse == nil {
			f.saidElse = map[Pos]bool{}
		}
		f.saidElse[p] = true
	}
}

// foldSuffix: b ends with suf (lower case), ASCII letters in any case.
func foldSuffix(b []byte, suf string) bool {
	if len(b) < len(suf) {
		return false
	}
	b = b[len(b)-len(suf):]
	for i := range len(suf) {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != suf[i] {
			return false
		}
	}
	return true
}

// underRelOrigin: a record at p owned by name was read where an $ORIGIN
// written without its final dot was in effect, at or below it.
func (z *Zone) underRelOrigin(p Pos, name string) bool {
	for _, s := range z.relSpans {
		if s.holds(p, name) {
			return true
		}
	}
	return false
}
