package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/suggest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// ZoneLister is a provider that can list the zones its account holds in
// a few requests (at most MaxListedZones of them, in its own order): the
// "did you mean" of a zone it does not hold (NotHeld). Names are
// absolute and canonical.
type ZoneLister interface {
	ZoneNames(ctx context.Context) ([]string, error)
}

// AccountLister is a provider that can list every zone its account holds,
// every page of its API's listing read (each checked as a record listing
// is): an error when it could not read them all. Where ZoneNames is a
// page for a "did you mean", AccountZones is the whole account: what a
// step that would call the account empty reads (cutover's finish, on
// whether the old provider may be decommissioned). Names are absolute
// and canonical.
type AccountLister interface {
	AccountZones(ctx context.Context) ([]string, error)
}

// MaxListedZones bounds what a ZoneLister reads: a suggestion is not
// worth more requests than the failed call itself cost.
const MaxListedZones = 200

// Listed is a ZoneLister's answer from one page of a listing: the first
// MaxListedZones of rows, each named by name, canonical, in the page's
// order (a new slice: rows is left as it is).
func Listed[T any](rows []T, name func(T) string) []string {
	out := make([]string, min(len(rows), MaxListedZones))
	for i := range out {
		out[i] = zone.CanonicalName(name(rows[i]))
	}
	return out
}

// NotHeld is the error of a zone that the provider configured as name (of
// type typ) does not hold (err wraps ErrZoneNotFound): it says so, naming
// the zone and the provider, and, where the provider lists its zones
// (ZoneLister), the zone one edit away from origin that was probably
// meant ("did you mean example.com.?"), else the zones it holds (a few).
// The provider's own error follows; the result wraps it. Any other
// error is err with the provider named.
func NotHeld(ctx context.Context, p Provider, name, typ, origin string, err error) error {
	if !errors.Is(err, ErrZoneNotFound) {
		return fmt.Errorf("provider %s: %w", name, err)
	}
	origin = zone.CanonicalName(origin)
	msg := fmt.Sprintf("zone %s is not at provider %s (%s)", origin, name, typ)
	if l, ok := p.(ZoneLister); ok {
		if names, lerr := l.ZoneNames(ctx); lerr == nil {
			return fmt.Errorf("%s%s (%w)", msg, heldHint(origin, names), err)
		}
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// heldHint is what NotHeld adds from the zones the provider holds: the
// one a typo of origin was meant to be, else those zones (up to 5). A
// name is the provider's text: one with a blank or a character that is
// not printable ASCII is not shown (nor counted).
func heldHint(origin string, all []string) string {
	var names []string
	for _, n := range all {
		if plain(n) {
			names = append(names, n)
		}
	}
	if s := suggest.Closest(origin, nil, names); s != "" {
		return ": did you mean " + s + "?"
	}
	if len(names) == 0 {
		return ", which holds no zone for these credentials"
	}
	shown := names
	more := ""
	if len(shown) > 5 {
		shown, more = shown[:5], fmt.Sprintf(", and %d more", len(names)-5)
	}
	return fmt.Sprintf(", which holds %s: %s%s", plural.N(len(names), "zone", "zones"), strings.Join(shown, " "), more)
}

// plain reports whether s is printable ASCII without blanks, as a zone
// name a provider lists is.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return s != ""
}
