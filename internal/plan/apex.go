package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// apexChanges are the TTL-only changes of the apex the provider's records
// keep: the apex NS (when not managed) takes git's TTL with the provider's
// names; the SOA takes git's TTL and timers (refresh, retry, expire,
// minimum) with the provider's MNAME and RNAME and its serial plus one (RFC
// 2136 §3.4.2.2: a server takes an SOA only with a greater serial; APIs
// that rewrite the serial do so anyway). Resolvers cache both, and the SOA
// bounds negative caching, so a TTL pre-staged in git must reach them. A
// provider that cannot set them gives a warning instead.
func apexChanges(desired, current *zone.Zone, o Options) ([]Change, []string) {
	origin := desired.Origin
	var out []Change
	var warns []string
	if !o.ManageApex {
		d, c := desired.Get(origin, dns.TypeNS), current.Get(origin, dns.TypeNS)
		if d != nil && c == nil && o.Caps.NoApexNSTTL != "" {
			warns = append(warns, fmt.Sprintf("%s NS: the provider does not list it; git's TTL is %d: %s", origin, d.TTL, o.Caps.NoApexNSTTL))
		}
		// A listed apex NS with mixed TTLs (a TTL per record) differs
		// from git's one TTL, as any listed RRset (differs).
		if d != nil && c != nil && ttlDiffers(c, d.TTL) {
			if o.Caps.NoApexNSTTL != "" {
				warns = append(warns, fmt.Sprintf("%s NS: %s at the provider, %d in git: %s", origin, ttlText(c), d.TTL, o.Caps.NoApexNSTTL))
			} else {
				out = append(out, Change{Action: provider.Replace, Name: origin, Type: dns.TypeNS, Old: c, New: withTTL(c, d.TTL, d.Pos())})
			}
		}
	}
	d, c := soaOf(desired), soaOf(current)
	if d != nil && c == nil && o.Caps.NoApexSOA != "" {
		warns = append(warns, fmt.Sprintf("%s SOA: the provider does not list it; git's TTL is %d, minimum %d: %s", origin, d.set.TTL, d.rr.Minttl, o.Caps.NoApexSOA))
	}
	if d == nil || c == nil {
		return out, warns
	}
	if diff := soaDiff(c, d); diff != "" {
		if o.Caps.NoApexSOA != "" {
			warns = append(warns, fmt.Sprintf("%s SOA: %s: %s", origin, diff, o.Caps.NoApexSOA))
			return out, warns
		}
		n := *c.rr
		n.Hdr.Ttl = d.set.TTL
		n.Serial = c.rr.Serial + 1
		n.Refresh, n.Retry, n.Expire, n.Minttl = d.rr.Refresh, d.rr.Retry, d.rr.Expire, d.rr.Minttl
		ns := zone.New(origin)
		if _, err := ns.AddRR(&n, d.set.Pos()); err == nil { // git's TTL and timers: git's line
			out = append(out, Change{Action: provider.Replace, Name: origin, Type: dns.TypeSOA, Old: c.set, New: ns.Get(origin, dns.TypeSOA)})
		}
	}
	return out, warns
}

type soa struct {
	set *zone.RRSet
	rr  *dns.SOA
}

func soaOf(z *zone.Zone) *soa {
	s := z.Get(z.Origin, dns.TypeSOA)
	if s == nil || len(s.Records) != 1 {
		return nil
	}
	rr, ok := s.RRs()[0].(*dns.SOA)
	if !ok {
		return nil
	}
	return &soa{set: s, rr: rr}
}

// soaDiff says how git's SOA (d) differs from the provider's (c) in what
// push sets ("TTL 3600 → 300, minimum 3600 → 300"), "" when it does not.
func soaDiff(c, d *soa) string {
	var parts []string
	add := func(what string, a, b uint32) {
		if a != b {
			parts = append(parts, fmt.Sprintf("%s %d → %d", what, a, b))
		}
	}
	add("TTL", c.set.TTL, d.set.TTL)
	add("refresh", c.rr.Refresh, d.rr.Refresh)
	add("retry", c.rr.Retry, d.rr.Retry)
	add("expire", c.rr.Expire, d.rr.Expire)
	add("minimum", c.rr.Minttl, d.rr.Minttl)
	return strings.Join(parts, ", ")
}

// withTTL is s with every record at ttl, each placed at pos (the git
// record the TTL comes from).
func withTTL(s *zone.RRSet, ttl uint32, pos zone.Pos) *zone.RRSet {
	n := *s
	n.TTL = ttl
	n.Records = make([]zone.Record, len(s.Records))
	for i, r := range s.Records {
		r.TTL, r.Pos = ttl, pos
		n.Records[i] = r
	}
	return &n
}

// Explain says what a TTL-only change of the apex of zone origin does
// ("apex SOA: TTL 3600 → 300, minimum 3600 → 300") and what a replace
// over a provider-only record replaces (Change.Over), "" for any other
// change.
func Explain(origin string, c Change) string {
	switch {
	case c.Over != nil && c.Action == provider.Delete:
		return fmt.Sprintf("deletes the provider's %s record %s, which no zone file expresses and which cannot stand beside git's records at this name, in the request that writes them", c.Over.Feature, c.Over.Value)
	case c.Over != nil:
		return fmt.Sprintf("replaces the provider's %s record %s, which no zone file expresses (it goes), with git's records, in one request applied whole or not at all", c.Over.Feature, c.Over.Value)
	}
	if c.Action != provider.Replace || c.Old == nil || c.New == nil || c.Name != origin {
		return ""
	}
	switch {
	case c.Type == dns.TypeSOA:
		o, n := soaOf(setZone(c.Old)), soaOf(setZone(c.New))
		if o == nil || n == nil {
			return ""
		}
		return fmt.Sprintf("apex SOA: %s (serial %d → %d; MNAME and RNAME stay the provider's)", soaDiff(o, n), o.rr.Serial, n.rr.Serial)
	case c.Type == dns.TypeNS && TTLOnly(c) && ttlDiffers(c.Old, c.New.TTL):
		return fmt.Sprintf("apex NS: %s → %d (the provider's names kept)", ttlText(c.Old), c.New.TTL)
	}
	return ""
}

func setZone(s *zone.RRSet) *zone.Zone {
	z := zone.New(s.Name)
	z.AddSet(s)
	return z
}

// ownOnly says why the provider's servers answer no apex NS of origin
// but its own (Capabilities.OwnApexNSOnly), "" when they do or it is not
// known.
func ownOnly(origin string, o Options) string {
	if o.Caps.OwnApexNSOnly == nil {
		return ""
	}
	return o.Caps.OwnApexNSOnly(origin)
}

// apexFrom is where the apex NS names of a plan come from.
func apexFrom(manageApex bool) string {
	if manageApex {
		return "git's apex NS (manage_apex)"
	}
	return "the provider's apex NS records"
}

// withoutServed is git's apex NS set s less the records naming a server
// the provider answers at the apex of itself (served, folded and sorted):
// nil when none is left. lacks are the served names s does not hold.
// Such a record would be a second copy of the provider's own (a custom
// NS record beside DNS Made Easy's system one), so no plan creates it.
func withoutServed(s *zone.RRSet, served []string) (rest *zone.RRSet, lacks []string) {
	has := map[string]bool{}
	n := *s
	n.Records = nil
	for _, r := range s.Records {
		rr, err := zone.FromRdata(s.Header(), r.Rdata)
		ns, ok := rr.(*dns.NS)
		if err == nil && ok {
			if name := zone.Fold(ns.Ns); slices.Contains(served, name) {
				has[name] = true
				continue
			}
		}
		n.Records = append(n.Records, r)
	}
	for _, name := range served {
		if !has[name] {
			lacks = append(lacks, name)
		}
	}
	if len(n.Records) == 0 {
		return nil, lacks
	}
	n.TTL = n.Records[0].TTL
	return &n, lacks
}

// Redirects are the changes of p that send resolvers to other servers,
// each "NAME NS": an NS RRset created, deleted or given other names (not
// its TTL alone), at the apex (a side that manages it pushes git's:
// resolvers trust the child's NS set over the parent's referral, RFC
// 2181 §5.4.1) or at a delegation below it (its subtree is then answered
// by the servers it names). A report names them for review: a pull
// request that points one at servers of someone else's hands them the
// names below it. A new zone's own apex NS (p.WithZone) are not among
// them.
func Redirects(p *Plan) []string {
	var out []string
	for _, c := range p.Changes {
		if c.Type != dns.TypeNS || TTLOnly(c) {
			continue
		}
		out = append(out, c.Name+" NS")
	}
	return out
}
