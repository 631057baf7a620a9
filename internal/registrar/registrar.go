// Package registrar is where a zone's delegation lives: the NS set, glue and
// DS records at the parent. A Registrar reads the delegation and replaces it;
// implementations (parent, manual, route53domains, ...) register themselves
// from init(), like providers do.
package registrar

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/registry"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Delegation is a zone's delegation as the parent holds it.
type Delegation struct {
	// NS are the nameserver names, absolute, lower case, sorted.
	NS    []string `json:"ns"`
	NSTTL uint32   `json:"ns_ttl"`
	// Glue maps an in-bailiwick NS name to its addresses.
	Glue map[string][]string `json:"glue,omitempty"`
	// GlueTTL is the largest TTL of the glue a parent server's referral
	// carries (Lookup; 0 when unknown: a registrar's API gives none).
	// Resolvers keep those addresses that long, which can be longer
	// than the NS set: the old delegation lasts for both.
	GlueTTL uint32 `json:"glue_ttl,omitempty"`
	// DS are the DS records in presentation form (RDATA only).
	DS    []string `json:"ds"`
	DSTTL uint32   `json:"ds_ttl"`
}

// Normalize writes the NS names in their canonical form
// (zone.CanonicalNames: absolute, folded for ASCII only as RFC 4343
// says, one spelling of each escape), in place, the glue's names too (so
// that an NS name finds its addresses; two spellings of one name merge),
// and the glue's addresses in one spelling each (CanonicalAddr: an IPv6
// address written two ways, by a config and a registrar's API, is one),
// and sorts the NS and DS sets, so that two delegations compare.
func (d *Delegation) Normalize() {
	zone.CanonicalNames(d.NS)
	if d.Glue != nil {
		glue := make(map[string][]string, len(d.Glue))
		merged := false
		for name, addrs := range d.Glue {
			k := zone.CanonicalName(name)
			if _, ok := glue[k]; ok {
				merged = true
			}
			for _, a := range addrs {
				a = CanonicalAddr(a)
				if !slices.Contains(glue[k], a) {
					glue[k] = append(glue[k], a)
				}
			}
		}
		if merged { // in an order a map's does not decide
			for _, addrs := range glue {
				slices.Sort(addrs)
			}
		}
		d.Glue = glue
	}
	sort.Strings(d.DS)
}

// Registrar reads and replaces a zone's delegation.
type Registrar interface {
	// Delegation reads what the registrar holds for zone.
	Delegation(ctx context.Context, zone string) (Delegation, error)
	// SetDelegation replaces the NS set (and glue, and DS when want.DS is
	// not nil) with want: never a merge of old and new. It returns when
	// the registrar has accepted the change (an API operation polled until
	// it completes); confirming it at the parent's servers is the caller's.
	SetDelegation(ctx context.Context, zone string, want Delegation) error
}

// Planner is a registrar that can say whether SetDelegation would take
// want, sending nothing: a dry run asks it what the step would run into
// (the parent registrar: glue a sibling relies on; Route 53 Domains: an
// operation pending, a status that holds the domain).
type Planner interface {
	Plan(ctx context.Context, zone string, want Delegation) error
}

// KeyTaker is a Registrar that takes a zone's DNSSEC keys as the DNSKEY
// (flags, algorithm, public key), not as a DS (Route 53 Domains'
// AssociateDelegationSignerToDomain): SetDelegation wants each entry of
// want.DS that the registry does not hold yet given as the key, "FLAGS 3
// ALGORITHM PUBLICKEY", whose DS the parent will serve. The caller
// converts each DS to the key it is made from; what it confirms at the
// parent stays the DS.
//
// Implementing it is the whole statement: TakesDNSKEY does nothing and
// returns nothing (a marker, as protobuf's ProtoMessage), since a
// registrar that takes DS has nothing to say here. The conversion is not
// the registrar's to do: it needs the keys the side moved to serves,
// which the cutover asks (internal/cutover/dskey.go).
type KeyTaker interface {
	Registrar
	TakesDNSKEY()
}

// OtherNSReader is a Registrar that reads the parent zone itself (the
// parent registrar): its NS RRsets other than zone's (sibling
// delegations, the parent's own NS set) and the addresses it holds for
// their names. Finish checks that none of them reaches a server of the
// old side only; a registrar without it cannot say which other zones the
// parent delegates to those servers.
type OtherNSReader interface {
	OtherNS(ctx context.Context, zone string) (OtherDelegations, error)
}

// OtherDelegations are the parent zone's NS RRsets other than a zone's
// (OtherNSReader).
type OtherDelegations struct {
	// NS are the NS names by owner, folded and absolute.
	NS map[string][]string
	// Glue are the addresses (A, AAAA) the parent zone holds for a name
	// one of NS lists, by name: the glue its referrals carry, which
	// resolvers follow whatever the name's own A and AAAA say.
	Glue map[string][]string
}

// StaleGlueRemover is a Registrar that changes the parent zone itself
// (the parent registrar): RemoveStaleGlue removes the glue at or below
// zone's cut that no NS set of the parent zone names (left by a change
// cut short after its delegation was set, or by another zone's change
// in one wave), and returns the names it removed (with dryRun, would
// remove: nothing is changed). A flip or rollback that finds the
// delegation already in place asks it, so that a re-run converges.
type StaleGlueRemover interface {
	RemoveStaleGlue(ctx context.Context, zone string, dryRun bool) ([]string, error)
}

// Operation is a change a registrar accepted and has not completed yet
// (an API operation SUBMITTED or IN_PROGRESS): it may still change the
// delegation, whatever the parent's servers serve now.
type Operation struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`   // the API's, e.g. UPDATE_NAMESERVER
	Status    string    `json:"status"` // the API's, e.g. IN_PROGRESS
	Submitted time.Time `json:"submitted"`
	// Leaving: the operation takes the domain away from the account
	// (deleted, expiring, transferred out): waiting for it does not
	// help, it is cancelled or the delegation moved where the domain goes.
	Leaving bool `json:"leaving,omitempty"`
}

func (o Operation) String() string {
	return fmt.Sprintf("operation %s (%s, %s, submitted %s)", o.ID, o.Type, o.Status, o.Submitted.UTC().Format(time.RFC3339))
}

// PendingLister is a Registrar whose changes complete after it accepted
// them (route53domains): Pending lists zone's delegation operations
// (nameservers, DS or keys) not complete yet. A step that finds nothing
// to do asks it first: such an operation moves the delegation later.
type PendingLister interface {
	Pending(ctx context.Context, zone string) ([]Operation, error)
}

// Env is what a Registrar factory gets: the whole config (the parent
// registrar uses a provider from it) and the environment for secrets.
type Env struct {
	Config *config.Config
	Getenv func(string) string
}

// Factory makes a Registrar from the config's registrar section.
type Factory func(r *config.Registrar, env Env) (Registrar, error)

var factories = registry.New[Factory]("registrar")

// Register makes a registrar type available; call it from init().
// Registering a type twice panics.
func Register(typ string, f Factory) { factories.Register(typ, f) }

// Types lists the registered registrar types.
func Types() []string { return factories.Types() }

// New makes the registrar the config describes.
func New(r *config.Registrar, env Env) (Registrar, error) {
	if r == nil {
		return nil, fmt.Errorf("registrar: not configured (add a registrar: section to %s)", config.FileName)
	}
	f, ok := factories.Lookup(r.Type)
	if !ok {
		return nil, KnownType(r)
	}
	reg, err := f(r, env)
	if err != nil {
		return nil, fmt.Errorf("registrar %s: %w", r.Type, err)
	}
	return reg, nil
}

// KnownType checks, without making it, that the registrar r describes
// (nil: none configured) has a registered type: New's error when not.
func KnownType(r *config.Registrar) error {
	if r == nil {
		return nil
	}
	if _, ok := factories.Lookup(r.Type); !ok {
		return config.UnknownType(r.TypePos, "registrar", r.Type, Types())
	}
	return nil
}

// foldName folds a name's ASCII letters only (RFC 4343), for the
// functions whose zone parameter hides the zone package.
func foldName(s string) string { return zone.Fold(s) }

// Kept is what SetDelegation returns when the registrar took the change
// but keeps part of it otherwise than asked, on a rule of its own that
// no other writer had a hand in: a parent server that caps TTLs (BIND
// max-zone-ttl) stores the step's records under its cap. The delegation
// is the one asked; callers report Kept as a warning, with the TTLs the
// parent keeps (the propagation watch waits for those).
type Kept struct {
	Zone   string   // the child zone whose delegation changed
	Parent string   // who keeps it otherwise (the parent zone)
	Asked  []uint32 // the TTLs asked for, as many as RRsets
	NSTTL  uint32   // the TTL the parent keeps (its cap)
	RRsets []string // "name TYPE" of each RRset stored under the cap
}

func (k *Kept) Error() string {
	var parts []string
	for i, r := range k.RRsets {
		parts = append(parts, fmt.Sprintf("%s (TTL %d asked)", r, k.Asked[i]))
	}
	return fmt.Sprintf("the delegation of %s is set, and %s keeps it with TTL %d, its cap (e.g. BIND max-zone-ttl), lower than asked: %s; resolvers cache it for at most %d s",
		k.Zone, k.Parent, k.NSTTL, strings.Join(parts, ", "), k.NSTTL)
}

// WithKept is what SetDelegation returns when the parent kept the change
// under a TTL cap (kept) and then something else in the same call failed
// (err: the delegation is set, a later part of the step is not): an error
// whose text is err's, from which errors.As still finds the *Kept, so the
// cap's warning survives the failure (SplitKept). nil kept: err; nil err:
// kept (or nil).
func WithKept(err error, kept *Kept) error {
	switch {
	case kept == nil:
		return err
	case err == nil:
		return kept
	}
	return &keptThen{err: err, kept: kept}
}

// keptThen is a failure after a change the parent kept under its cap.
type keptThen struct {
	err  error
	kept *Kept
}

func (k *keptThen) Error() string   { return k.err.Error() }
func (k *keptThen) Unwrap() []error { return []error{k.err, k.kept} }

// SplitKept splits what SetDelegation returned into the TTL cap the
// parent keeps the change under (nil: none said) and the failure beside
// it (nil: none; the change was made as a cap allows). The caller reports
// both: the failure as an error, the cap as a warning.
func SplitKept(err error) (*Kept, error) {
	var kept *Kept
	if !errors.As(err, &kept) {
		return nil, err
	}
	var then *keptThen
	if errors.As(err, &then) {
		return kept, then.err
	}
	return kept, nil // the *Kept itself (or with context only): the cap, nothing failed
}
