package rfc2136

import (
	"fmt"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns/qtype"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// flavorNames are the server implementations whose quirks are known; the
// flavor is declared in the config, never sniffed, so that capabilities
// do not depend on what was called before.
var flavorNames = []string{"bind", "generic", "knot", "nsd", "powerdns"}

type flavor struct {
	// unknownTypes: the server stores RFC 3597 types sent by UPDATE.
	unknownTypes bool
	// noValuePrereq are types whose value-dependent prerequisite the
	// server never matches; for them the RRset's existence is required
	// instead (RFC 2136 §2.4.1), a weaker check.
	noValuePrereq map[uint16]bool
	// noUpdate: the server takes no RFC 2136 UPDATE at all (NSD): its
	// zone can be read and compared, not pushed.
	noUpdate bool
	// checkNames: the server refuses, in an UPDATE, a record with a name
	// BIND's check-names refuses (zone.CheckNames: "primary fail" by
	// default).
	checkNames bool
	// checkMX: the server refuses, in an UPDATE, an added MX whose target
	// in the zone is a CNAME or has no address (checkMX).
	checkMX bool
	// dnameData: the server refuses, in an UPDATE, a change that leaves
	// data below a DNAME (dnameData).
	dnameData bool
	// typeCheck, when set, says why the server refuses an UPDATE holding
	// an RRset of this type ("" when it takes it).
	typeCheck func(t uint16) string
	// rrCheck, when set, says why the server does not keep a record sent
	// by UPDATE as it is ("" when it does).
	rrCheck provider.RRCheck
}

// lookupFlavor gives a flavor's quirks.
func lookupFlavor(name string) (flavor, bool) {
	switch name {
	case "generic":
		return flavor{unknownTypes: true}, true
	case "knot":
		return flavor{unknownTypes: true, dnameData: true}, true
	case "bind":
		return flavor{unknownTypes: true, checkNames: true, checkMX: true}, true
	case "nsd":
		return flavor{unknownTypes: true, noUpdate: true}, true
	case "powerdns":
		// 4.7: FORMERR "failed prescan" on RFC 3597 types and on every
		// type it has no name for (pdnsUpdateType); NXRRSET for
		// any value-dependent prerequisite on SVCB or HTTPS, and on a
		// NAPTR whose replacement is a name when the zone was loaded
		// from a file (TestNAPTRFromFile; the same record added by
		// UPDATE matches).
		// A CAA with an empty value (RFC 8659 §4.1.1 allows it) added by
		// UPDATE is stored as one NUL octet: PowerDNS 4.7.3 then serves
		// `0 issue "\000"` (TestCorpus/powerdns/caa-empty-value, read by
		// AXFR and by a query), where its API keeps the value empty.
		return flavor{unknownTypes: false, noValuePrereq: map[uint16]bool{dns.TypeSVCB: true, dns.TypeHTTPS: true, dns.TypeNAPTR: true}, typeCheck: pdnsUpdateType,
			rrCheck: provider.CAAEmpty("PowerDNS 4.7's UPDATE", `it stores the empty value as one NUL octet and serves 0 issue "\000"; provider type powerdns, through its API, keeps it empty`)}, true
	}
	return flavor{}, false
}

// pdnsUpdateType says why PowerDNS 4.7 refuses an UPDATE holding type t
// ("" when it takes it): its prescan answers FORMERR to a message holding
// a type it has no name for (qtype.ZoneType), though miekg/dns may know
// it (RT, RESINFO, X25, ...).
func pdnsUpdateType(t uint16) string {
	if qtype.ZoneType(t) {
		return ""
	}
	return fmt.Sprintf("PowerDNS 4.7 answers an UPDATE holding type %s FORMERR, the whole message refused (it has no name for the type: QType::names); push it through PowerDNS's API (provider type powerdns, which sends it as TYPE%d in RFC 3597 form)", dns.Type(t), t)
}

// checkNames is BIND's check-names on an UPDATE (named refuses the whole
// message, REFUSED): the first name of s that zone.CheckNames, the rules
// `check` warns with, says BIND refuses.
func checkNames(s *zone.RRSet) string {
	const why = "BIND's check-names (primary fail, the default) refuses it in an update: set check-names primary ignore on the server, or rename it"
	for _, r := range s.Records {
		f, bad := zone.CheckNames(s.Name, s.Type, r.Rdata)
		switch {
		case !bad:
		case f.Owner:
			return fmt.Sprintf("owner %s is %s: %s", f.Name, f.Want(), why)
		default:
			return fmt.Sprintf("%s %s is %s: %s", f.Field, f.Name, f.Want(), why)
		}
	}
	return ""
}

// checkMX is BIND's check-integrity on an UPDATE (on by default for a
// primary zone): named judges every MX the update adds by the zone as the
// update leaves it, and refuses the whole message (REFUSED; its log:
// "MX '…' has no address records (A or AAAA)", "… is a CNAME (illegal)")
// when the target lies in the zone, above every cut, and is a CNAME, is
// below a DNAME, or has neither A nor AAAA there, directly or through a
// wildcard
// (zone.HostTargetProblem; TestCheckMXAgreesWithBIND: SRV targets are not
// judged so). git's zone is the zone the push leaves.
func checkMX(z *zone.Zone, s *zone.RRSet) string {
	if s.Type != dns.TypeMX {
		return ""
	}
	if why := z.HostTargetProblem(s); why != "" {
		return why + ": BIND's check-integrity (on by default for a primary zone) refuses an update adding such an MX; give the target an A or AAAA record in git, point the MX at a host that has one, or set check-integrity no on the server"
	}
	return ""
}

// dnameData is Knot's refusal of an UPDATE that leaves data below a DNAME
// (REFUSED, the whole message), whichever of the two it adds: git's
// RRset s is below a DNAME of git's zone z, or is a DNAME with data below
// it there (TestKnotDNAMEAgreesWithKnot; BIND takes both, the data
// occluded and never served, which `check` warns of).
func dnameData(z *zone.Zone, s *zone.RRSet) string {
	const why = "Knot refuses an update that leaves data below a DNAME (the data would be occluded and never served): take the data or the DNAME out of git"
	v := z.View()
	if d := v.DNAME(s.Name); d != "" {
		return fmt.Sprintf("%s is below the DNAME at %s: %s", s.Name, d, why)
	}
	if s.Type == dns.TypeDNAME {
		if b := v.Below(s.Name); b != nil {
			return fmt.Sprintf("the DNAME at %s has %s %s below it: %s", s.Name, b.Name, zone.TypeName(b.Type), why)
		}
	}
	return ""
}
