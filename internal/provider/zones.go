package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Zones finds a hosted provider's zones at its API and keeps what it
// found for the provider's life (a zone's id and assigned nameservers do
// not change under a push): by the zone id the config gives, checking
// that it is the zone asked for, else by name (ByName, which Choose
// helps: the zone of a name among several). Z is the API's zone object.
// Its Nameservers is the provider's: the configured ones, else the
// zone's as the API assigns them.
type Zones[Z any] struct {
	// Type names the provider in errors ("cloudflare"); Noun what its API
	// calls a zone ("zone", "public hosted zone").
	Type, Noun string
	// ID is the configured zone id (zone_id); "" looks zones up by name.
	ID string
	// Configured are the configured nameservers; Delegation the
	// configured delegation's name servers (providers.NAME.delegation):
	// the names the parent delegates to.
	Configured, Delegation []string
	// ByID reads the zone of an id; ByName finds the zone of an absolute,
	// canonical name (an error wrapping ErrZoneNotFound when the API has
	// none). Their errors say what failed, with the provider's name.
	ByID, ByName func(ctx context.Context, key string) (Z, error)
	// Name is the zone's name as the API gives it; Servers the names of
	// the nameservers it assigns the zone (nil: Nameservers is not used).
	Name    func(Z) string
	Servers func(Z) []string
	// Reread reads a zone found before anew, for Read (nil: Read is not
	// used).
	Reread func(ctx context.Context, z Z) (Z, error)
	// All, when set, lists every zone of the account at once and returns
	// the zone of a name in that listing (as ByName would choose it; an
	// error wrapping ErrZoneNotFound when the listing holds none), and
	// AllCost, from one request, how many requests that listing takes. A
	// run that announces more zones to look up than that (Expect) lists
	// the account's zones once and finds each there, not by a lookup per
	// zone; a zone the listing lacks (one created since) is still looked
	// up by name, and a listing that fails leaves every zone to ByName.
	All     func(ctx context.Context) (func(ctx context.Context, origin string) (Z, error), error)
	AllCost func(ctx context.Context) (int, error)

	mu     sync.Mutex
	found  map[string]Z
	expect int // the zones a run announced it will look up (Expect)

	listMu sync.Mutex // held while the account's zones are listed (listed)
	listed bool       // whether All was considered
	inList func(ctx context.Context, origin string) (Z, error)
}

// Expect announces that a run will look up n zones (plan, push: the
// zones of the run, several at a time): the first lookup then lists the
// account's zones once (All) when that takes fewer requests than n
// lookups by name.
func (zs *Zones[Z]) Expect(n int) {
	zs.mu.Lock()
	defer zs.mu.Unlock()
	zs.expect = max(zs.expect, n)
}

// ZonesAhead is a provider that finds many zones at less than a lookup
// each when told how many a run will read (Zones.Expect): plan and push
// tell it before the first.
type ZonesAhead interface {
	ExpectZones(n int)
}

// SettledCost is the fewest requests Settled takes to read a listing of
// pages pages, each reading perReading more (a count of pages asked
// first): one reading of one page, two of more.
func SettledCost(pages, perReading int) int {
	if pages < 2 {
		return max(pages, 1) + perReading
	}
	return 2 * (pages + perReading)
}

// fromList is the finder in the account's listing of zones, listing them
// first when a run announced more lookups than the listing takes
// (Expect, All); nil: look zones up by name. Lookups meanwhile wait for
// the listing.
func (zs *Zones[Z]) fromList(ctx context.Context) func(ctx context.Context, origin string) (Z, error) {
	if zs.All == nil || zs.AllCost == nil {
		return nil
	}
	zs.listMu.Lock()
	defer zs.listMu.Unlock()
	if !zs.listed {
		zs.mu.Lock()
		want := zs.expect - len(zs.found)
		zs.mu.Unlock()
		if want > 1 {
			zs.listed = true
			// A listing that cannot be costed or read leaves each zone to
			// its own lookup, which says what is wrong, if anything.
			if cost, err := zs.AllCost(ctx); err == nil && cost < want {
				if f, err := zs.All(ctx); err == nil {
					zs.inList = f
				}
			}
		}
	}
	return zs.inList
}

// Find is the zone of origin.
func (zs *Zones[Z]) Find(ctx context.Context, origin string) (Z, error) {
	origin = zone.CanonicalName(origin)
	if z, ok := zs.known(origin); ok {
		return z, nil
	}
	return zs.find(ctx, origin)
}

// Read is the zone of origin as the API has it now: the zone found
// before read anew (Reread), else found as Find finds it. What it reads
// is kept for Find.
func (zs *Zones[Z]) Read(ctx context.Context, origin string) (Z, error) {
	origin = zone.CanonicalName(origin)
	z, ok := zs.known(origin)
	if !ok {
		return zs.find(ctx, origin)
	}
	z, err := zs.Reread(ctx, z)
	if err != nil {
		return z, err
	}
	zs.keep(origin, z)
	return z, nil
}

// Known is the zone found before for origin (no request: ok false
// when it was not looked up yet).
func (zs *Zones[Z]) Known(origin string) (Z, bool) {
	return zs.known(zone.CanonicalName(origin))
}

// known is the zone found before for origin (canonical).
func (zs *Zones[Z]) known(origin string) (Z, bool) {
	zs.mu.Lock()
	defer zs.mu.Unlock()
	z, ok := zs.found[origin]
	return z, ok
}

// keep keeps z as origin's zone.
func (zs *Zones[Z]) keep(origin string, z Z) {
	zs.mu.Lock()
	defer zs.mu.Unlock()
	if zs.found == nil {
		zs.found = map[string]Z{}
	}
	zs.found[origin] = z
}

// find finds the zone of origin (canonical) at the API and keeps it.
func (zs *Zones[Z]) find(ctx context.Context, origin string) (Z, error) {
	var z Z
	var err error
	if zs.ID != "" {
		if z, err = zs.ByID(ctx, zs.ID); err != nil {
			return z, err
		}
		if name := zs.Name(z); FQDN(name) != origin {
			return z, fmt.Errorf("%s: %s %s is %s, not %s: %w", zs.Type, idKey, zs.ID, name, origin, ErrZoneNotFound)
		}
	} else if z, err = zs.byName(ctx, origin); err != nil {
		return z, err
	}
	zs.keep(origin, z)
	return z, nil
}

// byName finds the zone of origin (canonical) in the account's listing
// of zones when it was listed (fromList), else, and when the listing
// lacks it, by ByName.
func (zs *Zones[Z]) byName(ctx context.Context, origin string) (Z, error) {
	if f := zs.fromList(ctx); f != nil {
		z, err := f(ctx, origin)
		if err == nil || !errors.Is(err, ErrZoneNotFound) {
			return z, err
		}
	}
	return zs.ByName(ctx, origin)
}

// Nameservers are the configured ones, else the zone's.
func (zs *Zones[Z]) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return Nameservers(ctx, zs.Configured, func(ctx context.Context) ([]string, error) {
		z, err := zs.Find(ctx, origin)
		if err != nil {
			return nil, err
		}
		return zs.Servers(z), nil
	})
}

// Nameservers is what a provider's Nameservers is: the configured ones,
// else those assigned reports (the API's names, made absolute and
// canonical).
func Nameservers(ctx context.Context, configured []string, assigned func(ctx context.Context) ([]string, error)) ([]string, error) {
	if len(configured) > 0 {
		return configured, nil
	}
	names, err := assigned(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = FQDN(n)
	}
	return out, nil
}

// ZoneCandidate is one zone a lookup by name found at a provider's API.
type ZoneCandidate struct {
	// ID is the API's id of the zone (what the provider's zone id key
	// takes); Name its name as the API gives it.
	ID, Name string
	// Servers are the name servers the API assigns the zone.
	Servers []string
	// State is the API's word for the zone, shown in errors ("active",
	// "pending"); "" shows none.
	State string
	// Active: the API says the zone answers for its name now (Cloudflare:
	// status active; Route 53: every public hosted zone, which has no
	// pending state).
	Active bool
	// Private: the zone never answers the public delegation (a Route 53
	// private hosted zone, answered only inside the VPCs associated with
	// it): it is never chosen.
	Private bool
}

// idKey is the key of providers.NAME that names a hosted provider's zone
// by its id (Zones.ID).
const idKey = "zone_id"

// Choose chooses the zone of a name among the zones of that name a
// provider's API holds. An account may hold several: Cloudflare lets a
// domain be added to several accounts a token sees (one active, the
// others pending or moved: "in case there are conflicts, you may get
// different nameserver names", developers.cloudflare.com/dns/
// nameservers/nameserver-options/), Route 53 several hosted zones of one
// name ("You can create a hosted zone that has the same name as an
// existing hosted zone", Route 53 API Reference, CreateHostedZone), each
// on name servers of its own: the parent delegates to one, and the others
// answer no resolver. The rule never picks one of several by
// the API's order, as a lookup that keeps the first or last listed does
// (dnscontrol keeps the last zone of a name and has a zone_id key to
// choose): plan, push and the cutover's completeness gates would read and
// write a zone nobody asks, and the names only the served one holds
// would vanish at a flip unseen.
//
// The zone of origin (absolute, canonical) is chosen among cands, the
// zones a lookup of that name found (others of another name are left
// out, private ones never chosen):
//
//   - none: an error wrapping ErrZoneNotFound;
//   - one: it, whatever its state (a pending zone is the one a cutover
//     delegates to);
//   - several, and a delegation configured: the one whose name servers
//     are exactly the delegation's, else an error;
//   - several, no delegation: the one active zone among them
//     (Cloudflare's active zone beside pending ones), else an error.
//
// Each error names the zones (their ids, states and name servers, the
// API's text made safe to show: the run's secrets and own taken out,
// nothing unprintable) and how to choose: the zone id key, or the
// delegation.
func (zs *Zones[Z]) Choose(ctx context.Context, origin string, cands []ZoneCandidate, own ...string) (ZoneCandidate, error) {
	var named, private []ZoneCandidate
	for _, z := range cands {
		switch {
		case FQDN(z.Name) != origin:
		case z.Private:
			private = append(private, z)
		default:
			named = append(named, z)
		}
	}
	switch {
	case len(named) == 1:
		return named[0], nil
	case len(named) == 0 && len(private) > 0:
		ids := make([]string, len(private))
		for i, z := range private {
			ids[i] = redact.Name(redact.ServerText(ctx, z.ID, own...))
		}
		return ZoneCandidate{}, fmt.Errorf("%s: zone %s: %w (only %s of that name (%s), never answering the public delegation)",
			zs.Type, origin, ErrZoneNotFound, plural.N(len(private), "private zone", "private zones"), strings.Join(ids, " "))
	case len(named) == 0:
		return ZoneCandidate{}, fmt.Errorf("%s: zone %s: %w (no %s of that name for these credentials)", zs.Type, origin, ErrZoneNotFound, zs.Noun)
	}
	var why string
	if len(zs.Delegation) > 0 {
		want := zone.CanonicalNames(slices.Clone(zs.Delegation))
		var match []ZoneCandidate
		for _, z := range named {
			if slices.Equal(zone.CanonicalNames(slices.Clone(z.Servers)), want) {
				match = append(match, z)
			}
		}
		if len(match) == 1 {
			return match[0], nil
		}
		have := "none has"
		if len(match) > 1 {
			have = plural.N(len(match), "has", "have")
		}
		why = fmt.Sprintf("%s exactly the configured delegation's name servers (%s): set %s to the one the parent delegates to",
			have, strings.Join(want, " "), idKey)
	} else {
		var active []ZoneCandidate
		for _, z := range named {
			if z.Active {
				active = append(active, z)
			}
		}
		if len(active) == 1 {
			return active[0], nil
		}
		why = fmt.Sprintf("set %s to the one the parent delegates to, or the side's delegation to its name servers", idKey)
	}
	each := make([]string, len(named))
	for i, z := range named {
		state := z.State
		if state != "" {
			state += ", "
		}
		each[i] = redact.Name(redact.ServerText(ctx, fmt.Sprintf("%s (%s%s)", z.ID, state, strings.Join(z.Servers, " ")), own...))
	}
	return ZoneCandidate{}, fmt.Errorf("%s: %s named %s, each with its own name servers: %s; the parent delegates to one: %s",
		zs.Type, plural.N(len(named), zs.Noun+" is", zs.Noun+"s are"), origin, strings.Join(each, "; "), why)
}
