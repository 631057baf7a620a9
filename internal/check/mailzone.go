package check

import (
	"context"
	"sort"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// zoneResolver answers an SPF evaluation's lookups (mailauth.Resolver)
// from the zone file, as the zone's authoritative servers would (RFC 1034
// §4.3.2): CNAMEs followed inside the zone, wildcards (RFC 4592), empty
// non-terminals (NODATA), NXDOMAIN. A name outside the zone, at or below
// a zone cut, or behind a CNAME that leaves the zone is not asked
// (mailauth.ErrNotAsked: check asks no server); a name whose records
// could not be read is a failed lookup (not counted).
type zoneResolver struct{ z *zone.Zone }

// maxCNAMEHops bounds a CNAME chain inside the zone (a loop is a failed
// lookup; check reports the loop itself).
const maxCNAMEHops = 8

func (r zoneResolver) Lookup(_ context.Context, name string, qt uint16) (mailauth.Result, error) {
	name = zone.CanonicalName(name)
	for hop := 0; hop < maxCNAMEHops; hop++ {
		if !r.z.InZone(name) || r.belowCut(name) {
			return mailauth.Result{}, mailauth.ErrNotAsked
		}
		if r.z.Unread(name) {
			return mailauth.Result{Status: "a record that could not be read", Failed: true}, nil
		}
		sets := r.z.Lookup(name)
		if len(sets) == 0 {
			if r.hasBelow(name) {
				return mailauth.Result{Status: "NODATA"}, nil
			}
			w := "*." + r.closestEncloser(name)
			if sets = r.z.Lookup(w); len(sets) == 0 {
				// A wildcard that is an empty non-terminal still
				// exists: it answers NODATA (RFC 4592 §4.2).
				if r.hasBelow(w) {
					return mailauth.Result{Status: "NODATA"}, nil
				}
				return mailauth.Result{Status: "NXDOMAIN"}, nil
			}
		}
		var next string
		for _, s := range sets {
			switch s.Type {
			case qt:
				return mailauth.Result{Status: "NOERROR", Records: records(s)}, nil
			case dns.TypeCNAME:
				if rrs := s.RRs(); len(rrs) > 0 {
					next = zone.CanonicalName(rrs[0].(*dns.CNAME).Target)
				}
			}
		}
		if next == "" {
			return mailauth.Result{Status: "NODATA"}, nil
		}
		name = next
	}
	return mailauth.Result{Status: "a CNAME loop", Failed: true}, nil
}

// records are s's records as mailauth reads them (mailauth.FromAnswer's
// forms): TXT the strings joined, MX the exchange, others their RDATA in
// presentation form; sorted.
func records(s *zone.RRSet) []string {
	out := make([]string, 0, len(s.Records))
	switch s.Type {
	case dns.TypeTXT:
		for _, r := range s.Records {
			out = append(out, mailauth.TXTText(r.Rdata))
		}
	default:
		for _, rr := range s.RRs() {
			if mx, ok := rr.(*dns.MX); ok {
				out = append(out, zone.Fold(mx.Mx))
			} else {
				out = append(out, zone.RdataString(rr))
			}
		}
	}
	sort.Strings(out)
	return out
}

// belowCut reports whether name is at or below a delegation of the zone
// (an NS RRset below the apex): the child's servers answer it.
func (r zoneResolver) belowCut(name string) bool {
	for n := name; n != r.z.Origin && n != "."; n = zone.Parent(n) {
		if r.z.Get(n, dns.TypeNS) != nil {
			return true
		}
	}
	return false
}

// hasBelow reports whether some owner of the zone is below name (name is
// then an empty non-terminal when it owns nothing): in canonical order
// the first owner after name's own RRsets is its first descendant, if it
// has one.
func (r zoneResolver) hasBelow(name string) bool {
	sets := r.z.Sets
	i := sort.Search(len(sets), func(i int) bool { return zone.CompareNames(sets[i].Name, name) > 0 })
	return i < len(sets) && dns.IsSubDomain(name, sets[i].Name)
}

// closestEncloser is the longest existing ancestor of name (RFC 4592
// §3.3.1; an empty non-terminal exists).
func (r zoneResolver) closestEncloser(name string) string {
	n := zone.Parent(name)
	for n != r.z.Origin && n != "." && len(r.z.Lookup(n)) == 0 && !r.hasBelow(n) {
		n = zone.Parent(n)
	}
	return n
}
