// Target checks: NS, MX and SRV targets in the zone (address, CNAME,
// DNAME, glue), resolved through wildcards as BIND's checks resolve them.

package zone

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// relativeHint is what to say about a target without addresses that was
// likely written without its final dot: "mx.example.net" in the file of
// example.com. is mx.example.net.example.com., a name of two labels or
// more below the apex whose top label (net.example.com.) holds nothing
// in the zone. "" for any other name.
func (v *validator) relativeHint(target string) string {
	origin := v.z.Origin
	if h := atHint(CanonicalName(target), origin); h != "" {
		return " (" + h + ")"
	}
	n := dns.CountLabel(origin)
	labels := dns.SplitDomainName(CanonicalName(target))
	if origin == "." || len(labels) < n+2 {
		return ""
	}
	if h := doubledHint(CanonicalName(target), origin); h != "" {
		// Even where the top label holds names: an owner written the
		// same way made them.
		return " (" + h + ")"
	}
	rel := labels[:len(labels)-n]
	if v.t.Exists(rel[len(rel)-1] + "." + origin) {
		return ""
	}
	if _, err := netip.ParseAddr(strings.Join(rel, ".")); err == nil {
		return " (an address written as a target? A target is a host name: name a host that has this address)"
	}
	return fmt.Sprintf(" (written without a final dot? Then it is inside %s; for the name outside the zone, write %s.)", origin, strings.Join(rel, "."))
}

func (v *validator) hasAddress(name string) bool {
	return v.z.idx.get(name, dns.TypeA) != nil || v.z.idx.get(name, dns.TypeAAAA) != nil
}

// HostTarget is the host name an NS, MX or SRV record (canonical RDATA)
// names; "" for another type.
func HostTarget(t uint16, rdata string) string {
	switch t {
	case dns.TypeNS:
		return rdataName(rdata, 0)
	case dns.TypeMX:
		return rdataName(rdata, 2) // preference, exchange
	case dns.TypeSRV:
		return rdataName(rdata, 6) // priority, weight, port, target
	}
	return ""
}

// rdataName decodes the uncompressed domain name at off in canonical RDATA.
func rdataName(rdata string, off int) string {
	if off >= len(rdata) {
		return ""
	}
	n, _, err := dns.UnpackDomainName([]byte(rdata[off:]), 0)
	if err != nil {
		return ""
	}
	return n
}

func (v *validator) nsTargets(s *RRSet, apex bool) {
	z := v.z
	for _, r := range s.Records {
		target := rdataName(r.Rdata, 0)
		if target == "" || !z.InZone(target) || z.unread[target] {
			continue
		}
		pos := z.FieldPos(r.Pos, 1) // the target
		cut, d := v.t.above(target)
		if d != "" {
			v.add(pos, Error, "%s NS '%s' is below a DNAME '%s' (illegal)", s.Name, target, d)
			continue
		}
		if apex {
			if cut != "" {
				continue // BIND does not check these
			}
			src, via := v.resolve(target)
			if z.idx.get(src, dns.TypeCNAME) != nil {
				v.add(pos, Error, "NS '%s' is a CNAME%s (illegal)", target, via)
			} else if !v.hasAddress(src) {
				v.add(pos, Error, "NS '%s' has no address records (A or AAAA)%s%s", target, via, v.relativeHint(target))
			}
			continue
		}
		src, via := v.resolve(target)
		switch {
		case cut == s.Name:
			if !v.hasAddress(target) {
				v.add(pos, Error, "%s NS '%s' has no REQUIRED GLUE address records (A or AAAA): resolvers cannot reach the child zone", s.Name, target)
			}
		case cut != "":
			if !v.hasAddress(target) {
				v.add(pos, Warning, "%s NS '%s' has no SIBLING GLUE address records (A or AAAA)", s.Name, target)
			}
		case z.idx.get(src, dns.TypeCNAME) != nil:
			v.add(pos, Warning, "%s NS '%s' is a CNAME%s (illegal)", s.Name, target, via)
		case !v.hasAddress(src):
			v.add(pos, Warning, "%s NS '%s' has no address records (A or AAAA)%s%s", s.Name, target, via, v.relativeHint(target))
		}
	}
}

// addressTargets warns on an NS or MX target written as an IP address
// with a final dot ("192.0.2.1."): it is a name (under the top-level
// domain "1."), not an address, and nothing resolves it. named-checkzone
// warns too ("MX is an address", "NS record ... appears to be an
// address").
func (v *validator) addressTargets(s *RRSet) {
	off, field := 0, 1 // NS: the target
	if s.Type == dns.TypeMX {
		off, field = 2, 2 // preference, target
	}
	for _, r := range s.Records {
		target := rdataName(r.Rdata, off)
		if len(target) < 2 {
			continue
		}
		if _, err := netip.ParseAddr(target[:len(target)-1]); err != nil {
			continue
		}
		pos := v.z.FieldPos(r.Pos, field)
		if s.Type == dns.TypeMX {
			v.add(pos, Warning, "%s MX '%s' is an address, not a host name: mail delivery to %s fails (an MX target must be a host name with A/AAAA records)", s.Name, target, s.Name)
		} else {
			v.add(pos, Warning, "%s NS '%s' appears to be an address, not a name server's host name: resolvers look it up as a name and fail", s.Name, target)
		}
	}
}

// hostTargets checks MX and SRV targets in the zone (BIND warns).
func (v *validator) hostTargets(s *RRSet) {
	z := v.z
	field := 2 // MX: preference, target
	if s.Type == dns.TypeSRV {
		field = 4 // priority, weight, port, target
	}
	tn := TypeName(s.Type)
	for _, r := range s.Records {
		target, find, d, via := v.hostTarget(s.Type, r.Rdata)
		if find == targetFine {
			continue
		}
		pos := z.FieldPos(r.Pos, field)
		switch find {
		case targetBelowDNAME:
			// Substituted: an alias, as a CNAME is (RFC 6672 §2.3).
			v.add(pos, Warning, "%s %s '%s' is below a DNAME '%s' (illegal: RFC 2181 §10.3)", s.Name, tn, target, d)
		case targetCNAME:
			v.add(pos, Warning, "%s %s '%s' is a CNAME%s (illegal: RFC 2181 §10.3)", s.Name, tn, target, via)
		case targetNoAddress:
			if !v.out.drops(pos, Warning) {
				v.add(pos, Warning, "%s %s '%s' has no address records (A or AAAA)%s%s", s.Name, tn, target, via, v.relativeHint(target))
			}
		}
	}
}

// targetFind is what an MX's or SRV's target finds in its zone.
type targetFind int

const (
	targetFine       targetFind = iota // outside the zone, the root, delegated, or with an address
	targetBelowDNAME                   // below a DNAME (d names it)
	targetCNAME                        // a CNAME
	targetNoAddress                    // neither A nor AAAA
)

// hostTarget is the target of an MX or SRV record (t, its canonical
// RDATA) and what it finds in the zone, resolved through wildcards as
// BIND's checks resolve it (via says through which); d is the DNAME it is
// below.
func (v *validator) hostTarget(t uint16, rdata string) (target string, find targetFind, d, via string) {
	off := 2 // MX: preference, target
	if t == dns.TypeSRV {
		off = 6 // priority, weight, port, target
	}
	z := v.z
	target = rdataName(rdata, off)
	if target == "" || target == "." || !z.InZone(target) || z.unread[target] {
		return target, targetFine, "", ""
	}
	cut, d := v.t.above(target)
	switch {
	case d != "":
		return target, targetBelowDNAME, d, ""
	case cut != "":
		return target, targetFine, "", "" // delegated
	}
	src, via := v.resolve(target)
	switch {
	case z.idx.get(src, dns.TypeCNAME) != nil:
		return target, targetCNAME, "", via
	case !v.hasAddress(src):
		return target, targetNoAddress, "", via
	}
	return target, targetFine, "", ""
}

// HostTargetProblem says what is wrong with the targets of s, an MX or
// SRV RRset of z, inside z ("" when nothing): the first that is below a
// DNAME, is a CNAME, or has no A or AAAA record, directly or through a
// wildcard, above every zone cut (the rules Validate warns by, as BIND's
// checks judge them).
func (z *Zone) HostTargetProblem(s *RRSet) string {
	if s.Type != dns.TypeMX && s.Type != dns.TypeSRV {
		return ""
	}
	v := &validator{z: z, t: z.View()}
	tn := TypeName(s.Type)
	for _, r := range s.Records {
		target, find, d, via := v.hostTarget(s.Type, r.Rdata)
		switch find {
		case targetBelowDNAME:
			return fmt.Sprintf("%s '%s' is below a DNAME '%s'", tn, target, d)
		case targetCNAME:
			return fmt.Sprintf("%s '%s' is a CNAME%s", tn, target, via)
		case targetNoAddress:
			return fmt.Sprintf("%s '%s' has no address records (A or AAAA)%s", tn, target, via)
		}
	}
	return ""
}

// resolve returns the name whose data answers a query for name: name itself
// when it exists, else the wildcard at its closest encloser when there is one
// (RFC 4592 §4.3.3, as BIND's own checks find it); via says which wildcard.
func (v *validator) resolve(name string) (src, via string) {
	if !v.t.HasWildcard() || v.t.Exists(name) {
		return name, ""
	}
	if w := v.t.Wildcard(name); w != "" {
		return w, fmt.Sprintf(" (through the wildcard %s)", w)
	}
	return name, ""
}
