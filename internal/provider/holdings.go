package provider

import (
	"context"
	"fmt"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// ApplyIn is how a provider's Apply begins: origin made canonical, and no
// change is no request at all (an empty Result); else the zone is found
// (find: Z is what the provider knows of it) and apply sends cs, telling
// task how far it got (Result.Done). A failed push ends in Settle: a
// zone not found lists every change not applied.
func ApplyIn[Z any](ctx context.Context, origin string, cs []Change, task progress.Updater, find func(ctx context.Context, origin string) (Z, error),
	apply func(ctx context.Context, origin string, cs []Change, task progress.Updater, z Z) (Result, error)) (Result, error) {
	if len(cs) == 0 {
		return Result{}, nil
	}
	origin = zone.CanonicalName(origin)
	z, err := find(ctx, origin)
	if err != nil {
		return Settle(cs, Result{}, err)
	}
	res, err := apply(ctx, origin, cs, task, z)
	return Settle(cs, res, err)
}

// Holdings are how an API provider reads the records it holds from a
// listing of the zone: Z is the API's zone object, R its record.
type Holdings[Z, R any] struct {
	// What names the provider in errors ("cloudflare").
	What string
	// List lists the zone (origin is canonical): the zone as the API
	// gives it, and its records.
	List func(ctx context.Context, origin string) (Z, []R, error)
	// Held reads the records of origin as RRs (nil, nil for one the
	// provider layer leaves out); Label names a record in an error.
	Held  func(origin string) func(R) (dns.RR, error)
	Label func(R) string
	// Shown is a record as a feature shows it (Name, absolute; Type;
	// Value). With it, a record Held cannot read is no error: the
	// listing goes on without it (Records, and the records Apply may
	// change) and the Reader's features report it (Unreadable). nil:
	// such a record stops the listing with an error.
	Shown func(origin string, r R) Feature
}

// readable is Held of origin, with a record it cannot read left out
// (nil, nil) when Shown reports it.
func (h Holdings[Z, R]) readable(origin string) func(R) (dns.RR, error) {
	held := h.Held(origin)
	if h.Shown == nil {
		return held
	}
	return func(r R) (dns.RR, error) {
		rr, err := held(r)
		if err != nil {
			return nil, nil // reported by Unread
		}
		return rr, nil
	}
}

// Unread splits a listing: the records Held reads (or leaves out as
// having no zone-file form), and the Unreadable feature of each it
// cannot read (none without Shown).
func (h Holdings[Z, R]) Unread(origin string, rs []R) ([]R, []Feature) {
	if h.Shown == nil {
		return rs, nil
	}
	held := h.Held(origin)
	ok := make([]R, 0, len(rs))
	var out []Feature
	for _, r := range rs {
		if _, err := held(r); err != nil {
			out = append(out, Unreadable(h.Shown(origin, r), err))
			continue
		}
		ok = append(ok, r)
	}
	return ok, out
}

// Records lists the zone's records (ListingReader's List).
func (h Holdings[Z, R]) Records(ctx context.Context, origin string) ([]R, error) {
	_, rs, err := h.List(ctx, origin)
	return rs, err
}

// ZoneOf is the zone of a listing (ListingReader's ZoneOf).
func (h Holdings[Z, R]) ZoneOf(origin string, rs []R) (*zone.Zone, error) {
	z, err := ZoneOf(origin, rs, h.readable(origin), h.Label)
	if err != nil {
		return nil, fmt.Errorf("%s: zone %s: %w", h.What, origin, err)
	}
	return z, nil
}

// Reader reads the zone from one listing: its records (ZoneOf) and the
// features features finds in the records Held reads, then the Unread
// features of those it cannot.
func (h Holdings[Z, R]) Reader(features func(origin string, rs []R) []Feature) ListingReader[R] {
	return ListingReader[R]{List: h.Records, ZoneOf: h.ZoneOf, FeaturesOf: func(origin string, rs []R) []Feature {
		ok, unread := h.Unread(origin, rs)
		return append(features(origin, ok), unread...)
	}}
}

// Apply is ApplyIn for a provider that changes the records it holds:
// the zone is listed and its records sorted by RRset (IndexRecords)
// before apply sends cs. When guard is not nil it judges that listing
// first (ListingReader.Guard): its error is returned and nothing is
// sent.
func (h Holdings[Z, R]) Apply(ctx context.Context, origin string, cs []Change, task progress.Updater, guard func(origin string, rs []R) error,
	apply func(ctx context.Context, origin string, cs []Change, task progress.Updater, z Z, cur map[zone.Key][]Current[R]) (Result, error)) (Result, error) {
	find := func(ctx context.Context, origin string) (held[Z, R], error) { return h.held(ctx, origin, guard) }
	return ApplyIn(ctx, origin, cs, task, find, func(ctx context.Context, origin string, cs []Change, task progress.Updater, hd held[Z, R]) (Result, error) {
		return apply(ctx, origin, cs, task, hd.zone, hd.cur)
	})
}

// held is a zone as listed: the API's zone and its records by RRset.
type held[Z, R any] struct {
	zone Z
	cur  map[zone.Key][]Current[R]
}

// held lists the zone, has guard (when not nil) judge the listing, and
// sorts its records by RRset.
func (h Holdings[Z, R]) held(ctx context.Context, origin string, guard func(origin string, rs []R) error) (held[Z, R], error) {
	var hd held[Z, R]
	z, rs, err := h.List(ctx, origin)
	if err != nil {
		if guard != nil {
			err = Reread(err)
		}
		return hd, err
	}
	if guard != nil {
		if err := guard(origin, rs); err != nil {
			return hd, err
		}
	}
	cur, err := IndexRecords(rs, h.readable(origin), h.Label)
	if err != nil {
		return hd, fmt.Errorf("%s: zone %s: %w", h.What, origin, err)
	}
	return held[Z, R]{z, cur}, nil
}

// HeldZone serves a provider that lists a zone whole and changes the
// records that listing holds (Cloudflare, ClouDNS, DNS Made Easy): the
// embedded ListingReader gives Records, Features and Read (Reader) from
// one listing, and Apply and ApplyGuarded (Guarded) list the zone
// through Holdings, have the guard judge that listing as Read would
// give it, and hand the provider's send the zone and its records by
// RRset (Holdings.Apply). A provider embeds one made by NewHeldZone;
// how it sends changes is documented on its send.
type HeldZone[Z, R any] struct {
	ListingReader[R]
	holdings Holdings[Z, R]
	send     func(ctx context.Context, origin string, cs []Change, task progress.Updater, z Z, cur map[zone.Key][]Current[R]) (Result, error)
}

// NewHeldZone is the HeldZone of h, reading the zone through r, sending
// changes through send.
func NewHeldZone[Z, R any](h Holdings[Z, R], r ListingReader[R],
	send func(ctx context.Context, origin string, cs []Change, task progress.Updater, z Z, cur map[zone.Key][]Current[R]) (Result, error)) HeldZone[Z, R] {
	return HeldZone[Z, R]{ListingReader: r, holdings: h, send: send}
}

// Apply is ApplyGuarded without a guard (Provider).
func (hz HeldZone[Z, R]) Apply(ctx context.Context, origin string, cs []Change, task progress.Updater) (Result, error) {
	return hz.ApplyGuarded(ctx, origin, cs, task, nil)
}

// ApplyGuarded is Apply, guard judging the zone as its listing holds it
// (Guarded) before anything is sent.
func (hz HeldZone[Z, R]) ApplyGuarded(ctx context.Context, origin string, cs []Change, task progress.Updater, guard Guard) (Result, error) {
	return hz.holdings.Apply(ctx, origin, cs, task, hz.Guard(guard), hz.send)
}
