package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Feature is provider-only behaviour on a record that a BIND zone file
// cannot express and that another provider will not reproduce: a proxied
// record answering with the provider's addresses, an alias or ANAME, a
// flattened apex CNAME, geo/latency/weighted answers, a web redirect, TTL
// "automatic". plan, parity and import report each one; none is a silent
// difference.
type Feature struct {
	Name    string `json:"name"` // owner, absolute, lower case
	Type    string `json:"type"` // the record type as the provider shows it (A, ALIAS, ...)
	Feature string `json:"feature"`
	// Detail says what the provider does with it; Advice what the user
	// should decide before migrating.
	Detail string `json:"detail"`
	Advice string `json:"advice"`
	// Value is the record as the provider shows it (e.g. an alias
	// target), for import's comments.
	Value string `json:"value,omitempty"`
	// Omitted: Records leaves this record out because a zone file cannot
	// express it (an alias, a flattened apex CNAME, one answer of a
	// routing policy); import lists it as not written.
	Omitted bool `json:"omitted,omitempty"`
	// Blocks: a push cannot write an RRset of git at this Name and Type
	// beside the record, nor replace it safely (an upsert would
	// overwrite it unseen, the API refuses one beside it): a record
	// dnsparity cannot read (Unreadable), a Route 53 routing-policy or
	// traffic-policy set, Cloudflare's flattened apex CNAME. The plan
	// refuses git's RRset there (plan.Options.Unreadable); and where the
	// provider refuses a CNAME and other data at one name
	// (Capabilities.CNAMEConflicts), a blocking CNAME also blocks git's
	// other types at its name (but the apex SOA and NS), and a blocking
	// record of another type blocks git's CNAME there. Not every omitted
	// record blocks: a located answer (Geo) stands beside git's answer
	// for everyone.
	Blocks bool `json:"-"`
	// Replaceable: the provider's Apply can replace the record with
	// git's RRset of this Name and Type in one request it applies whole
	// or not at all (a Route 53 alias: one change batch DELETEs the
	// alias exactly as listed and CREATEs git's set), so the plan shows
	// a replace over it (Change.Over), which max_change_percent counts,
	// instead of refusing git's RRset. Never set with Blocks.
	Replaceable bool `json:"-"`
	// Unserved: the provider's servers do not answer with the record (a
	// record held disabled or inactive): no resolver gets it, so the
	// cutover's completeness gates do not count it among what a side
	// serves beyond git (an omitted record they otherwise do).
	Unserved bool `json:"-"`
}

// Unrepresentable is the Feature of a record a provider lists that
// dnsparity cannot read (its name or value has no zone-file form it can
// make out): Records leaves it out, so it is in no comparison with git;
// the cutover's completeness gates count it as held beyond git.
const Unrepresentable = "unrepresentable"

// Unreadable is f (a listed record's Name, Type and Value) as the
// feature of a record dnsparity cannot read, err saying why: one wording
// for every provider. Records leaves such a record out, so no plan
// creates, replaces or deletes it (a provider's Apply leaves it as it
// is), parity and plan report it, and the cutover's completeness gates
// count it as held beyond git.
func Unreadable(f Feature, err error) Feature {
	f.Feature, f.Omitted, f.Blocks = Unrepresentable, true, true
	f.Detail = fmt.Sprintf("dnsparity cannot read this record (%v), so it is not compared or pushed", err)
	f.Advice = "recreate it by hand at the new provider, or leave it out"
	return f
}

// FeatureReporter is a provider that can list the provider-only features
// used in a zone it holds.
type FeatureReporter interface {
	Features(ctx context.Context, zone string) ([]Feature, error)
}

// Geo is how a vendor answers per location (ClouDNS's GeoDNS, DNS Made
// Easy's Global Traffic Director), for the features of located answers:
// an answer for one location has no zone-file form (left out of
// Records), and the answer every other location gets is kept as records
// with a note.
type Geo struct {
	Feature string // "geodns"
	Service string // "GeoDNS"
	Where   string // what the vendor calls a location ("location", "region")
	Default string // its name for the answer everyone else gets ("the default")
}

// Located is a listed record: owner (absolute), type, value, and the
// location it answers ("" for every location).
type Located struct{ Name, Type, Value, Location string }

// Features are the features of rs's located answers, by index: each
// answer for one location, and the first answer for every location of
// an RRset that also has located ones; nil where a record has none.
func (g Geo) Features(rs []Located) []*Feature {
	located := map[string][]string{} // "name type" → locations
	for _, r := range rs {
		if r.Location != "" {
			k := r.Name + " " + r.Type
			located[k] = append(located[k], r.Location)
		}
	}
	out := make([]*Feature, len(rs))
	noted := map[string]bool{}
	for i, r := range rs {
		f := &Feature{Name: r.Name, Type: r.Type, Value: r.Value, Feature: g.Feature}
		k := r.Name + " " + r.Type
		switch {
		case r.Location != "":
			f.Omitted = true
			f.Value = fmt.Sprintf("%s (%s %s)", r.Value, g.Where, r.Location)
			f.Detail = fmt.Sprintf("%s answers resolvers in %s %s with %s instead of %s answer", g.Service, g.Where, r.Location, r.Value, g.Default)
			f.Advice = fmt.Sprintf("another provider answers every %s with %s records: set up its geo routing, or accept one answer", g.Where, g.Default)
		case len(located[k]) > 0 && !noted[k]:
			noted[k] = true
			f.Detail = fmt.Sprintf("%s answer of a %s record; %ss %v get other answers (parity may see either)", g.Default, g.Service, g.Where, located[k])
			f.Advice = fmt.Sprintf("another provider answers every %s with these records: set up its geo routing, or accept one answer", g.Where)
		default:
			continue
		}
		out[i] = f
	}
	return out
}

// ListingFeatures are the features of a vendor's listing, in its order:
// a record's own feature (own: an alias, a redirect; ok false when it
// has none; f is the record's Name, Type and Value) before the feature of
// its located answer; a record has at most one.
func (g Geo) ListingFeatures(rs []Located, own func(i int, f Feature) (Feature, bool)) []Feature {
	located := g.Features(rs)
	var out []Feature
	for i, r := range rs {
		if f, ok := own(i, Feature{Name: r.Name, Type: r.Type, Value: r.Value}); ok {
			out = append(out, f)
		} else if located[i] != nil {
			out = append(out, *located[i])
		}
	}
	return out
}

// GeoFeatures are g's ListingFeatures of a vendor's listing rs: at is
// where a record stands (its Located), own its own feature as for
// ListingFeatures.
func GeoFeatures[R any](g Geo, rs []R, at func(r R) Located, own func(r R, f Feature) (Feature, bool)) []Feature {
	located := make([]Located, len(rs))
	for i, r := range rs {
		located[i] = at(r)
	}
	return g.ListingFeatures(located, func(i int, f Feature) (Feature, bool) { return own(rs[i], f) })
}

// Alias is f as the feature of an alias record (kind: ALIAS, ANAME),
// which the vendor answers with the current addresses of target.
func Alias(f Feature, vendor, kind, target string) Feature {
	f.Feature, f.Omitted = strings.ToLower(kind), true
	f.Detail = fmt.Sprintf("%s answers A/AAAA questions with the current addresses of %s; a zone file cannot hold an %s", vendor, target, kind)
	f.Advice = fmt.Sprintf("put the addresses of %s (A/AAAA) in git, or use the new provider's ALIAS/ANAME, before the flip", target)
	return f
}

// Redirect is f as the feature (feature: its name) of a web redirect,
// which the vendor answers with its redirect servers' addresses, sending
// HTTP clients to to.
func Redirect(f Feature, feature, vendor, to string) Feature {
	f.Feature, f.Omitted = feature, true
	f.Detail = fmt.Sprintf("%s answers with its redirect servers' addresses and sends HTTP clients to %s", vendor, to)
	f.Advice = "run the redirect elsewhere (a web server or the new provider's redirect service) and put its address in git"
	return f
}

// SubZoneLister is a provider that can list the zones it holds below a
// zone (PowerDNS's API lists every zone of the server). A server that
// holds example.com. and dev.example.com. answers for dev.example.com.'s
// names from that zone even when example.com. has no delegation for it:
// resolvers that ask it get them, no listing of example.com. shows them,
// and a move of example.com. to another provider without that zone loses
// them. The cutover's completeness gates count each one git does not
// delegate (NestedZone).
//
// A provider implements it where its API lists the account's zones and
// its servers would answer a sub-zone's names without a delegation in
// the parent (PowerDNS, NS1, DNS Made Easy, ClouDNS); not where the vendor
// gives a sub-zone name servers of its own, apart from its parent's
// (Route 53, Cloudflare: each package says where the vendor says so).
type SubZoneLister interface {
	SubZones(ctx context.Context, zone string) ([]string, error)
}

// ZoneListScope is a SubZoneLister that says how far the credentials
// reach in the listing of the account's zones: ZoneListAccess is what
// access the listing needs and how to grant it (said when the listing is
// refused: a key scoped to some zones cannot see the others).
type ZoneListScope interface {
	ZoneListAccess() string
}

// ZoneListPartial is a SubZoneLister whose credentials or API tell why a
// listing that succeeded may hold only some of the account's zones (""
// for these credentials: every zone). One that does not implement it
// tells nothing of the kind.
type ZoneListPartial interface {
	ZoneListPartial() string
}

// Below are the names among zones strictly below origin, canonical, each
// once, sorted: the SubZones of a provider that lists all its zones.
func Below(origin string, zones []string) []string {
	origin = zone.CanonicalName(origin)
	var out []string
	for _, z := range zones {
		n := zone.CanonicalName(z)
		if n != origin && dns.IsSubDomain(origin, n) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// AllZones lists every zone of an account, each as the vendor writes it:
// a provider whose API lists them all has its SubZones (Below) and its
// ZoneNames (canonical, at most MaxListedZones, in the listing's order)
// from that one listing.
type AllZones func(ctx context.Context) ([]string, error)

// ZonesOf is the AllZones of a listing of the account's zones read whole
// (list: Listing's rows, every page), each row's zone as name gives it.
func ZonesOf[T any](list func(ctx context.Context) ([]T, error), name func(T) string) AllZones {
	return func(ctx context.Context) ([]string, error) {
		rows, err := list(ctx)
		if err != nil {
			return nil, err
		}
		return Names(rows, name), nil
	}
}

// SubZones are the zones strictly below origin (SubZoneLister).
func (all AllZones) SubZones(ctx context.Context, origin string) ([]string, error) {
	names, err := all(ctx)
	if err != nil {
		return nil, err
	}
	return Below(origin, names), nil
}

// ZoneNames are the zones for a "did you mean" (ZoneLister).
func (all AllZones) ZoneNames(ctx context.Context) ([]string, error) {
	names, err := all(ctx)
	if err != nil {
		return nil, err
	}
	return Listed(names, func(n string) string { return n }), nil
}

// AccountZones are every zone of the account, canonical, in the
// listing's order (AccountLister).
func (all AllZones) AccountZones(ctx context.Context) ([]string, error) {
	names, err := all(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = zone.CanonicalName(n)
	}
	return out, nil
}

// NestedZone is the feature of a zone the provider holds below the zone,
// named sub, which git does not delegate.
const NestedZone = "nested-zone"

// Reader is a provider that reads a zone's records and its provider-only
// features from one listing of the zone, where Records then Features
// would list it twice: an API provider's requests per zone halve, within
// the account's budget that many zones share.
type Reader interface {
	Read(ctx context.Context, zone string) (*zone.Zone, []Feature, error)
}

// Read reads a zone's records and features from p: one listing when p is
// a Reader, else Records then Features (none when p reports none). A
// zone p lacks is ErrZoneNotFound, as Records says it.
func Read(ctx context.Context, p Provider, origin string) (*zone.Zone, []Feature, error) {
	if r, ok := p.(Reader); ok {
		return r.Read(ctx, origin)
	}
	z, err := p.Records(ctx, origin)
	if err != nil {
		return nil, nil, err
	}
	fr, ok := p.(FeatureReporter)
	if !ok {
		return z, nil, nil
	}
	fs, err := fr.Features(ctx, origin)
	if err != nil {
		return nil, nil, err
	}
	return z, fs, nil
}
