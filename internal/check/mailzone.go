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
// §4.3.2): CNAMEs and DNAMEs (RFC 6672) followed inside the zone,
// wildcards (RFC 4592), empty
// non-terminals (NODATA), NXDOMAIN. A name outside the zone, at or below
// a zone cut, or behind a CNAME that leaves the zone is not asked
// (mailauth.ErrNotAsked: check asks no server); a name whose records
// could not be read is a failed lookup (not counted).
type zoneResolver struct{ z *zone.Zone }

// tree is the zone's View: its cuts, which names exist, its wildcards.
func (r zoneResolver) tree() *zone.View { return r.z.View() }

// maxCNAMEHops bounds a chain of CNAMEs and DNAMEs inside the zone (a
// loop is a failed lookup; check reports a CNAME loop itself).
const maxCNAMEHops = 8

func (r zoneResolver) Lookup(_ context.Context, name string, qt uint16) (mailauth.Result, error) {
	name = zone.CanonicalName(name)
	for hop := 0; hop < maxCNAMEHops; hop++ {
		if !r.z.InZone(name) {
			return mailauth.Result{}, mailauth.ErrNotAsked
		}
		cut, dname := r.tree().Boundary(name)
		if cut != "" {
			return mailauth.Result{}, mailauth.ErrNotAsked
		}
		if dname != "" {
			// RFC 6672 §3.2: the DNAME above name substitutes its
			// suffix, and the lookup goes on at the new name (the data
			// below the DNAME is occluded).
			next, ok := r.substitute(name, dname)
			if !ok {
				return mailauth.Result{Status: "a DNAME substitution that is too long (YXDOMAIN)", Failed: true}, nil
			}
			name = next
			continue
		}
		if r.z.Unread(name) {
			return mailauth.Result{Status: "a record that could not be read", Failed: true}, nil
		}
		sets := r.z.Lookup(name)
		if len(sets) == 0 {
			if r.tree().Exists(name) {
				return mailauth.Result{Status: "NODATA"}, nil // an empty non-terminal
			}
			// The wildcard at the closest encloser; one that is an
			// empty non-terminal answers NODATA (RFC 4592 §4.2).
			w := r.tree().Wildcard(name)
			if w == "" {
				return mailauth.Result{Status: "NXDOMAIN"}, nil
			}
			if sets = r.z.Lookup(w); len(sets) == 0 {
				return mailauth.Result{Status: "NODATA"}, nil
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

// substitute is name with the suffix owner replaced by the target of the
// DNAME at owner; ok is false when the result would be longer than a name
// can be (255 octets on the wire).
func (r zoneResolver) substitute(name, owner string) (string, bool) {
	rrs := r.z.Get(owner, dns.TypeDNAME).RRs()
	if len(rrs) == 0 {
		return "", false
	}
	next := name[:len(name)-len(owner)] + zone.CanonicalName(rrs[0].(*dns.DNAME).Target)
	return next, zone.WireLen(next) <= 255
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
