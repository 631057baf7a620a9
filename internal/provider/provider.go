// Package provider defines what dnsparity needs from a DNS provider — list a
// zone, apply changes to it, say what it can hold — and a registry in which
// each provider sub-package (rfc2136, powerdns, ...) registers itself from
// init(), like CoreDNS plugins or dnscontrol providers.
//
// A provider is chosen by the type in dnsparity.yaml; cmd/dnsparity
// blank-imports the sub-packages so that they register.
package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/registry"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Provider is one DNS provider holding zones.
type Provider interface {
	// Nameservers are the authoritative servers it assigns to or serves
	// the zone from.
	Nameservers(ctx context.Context, zone string) ([]string, error)
	// Records lists the zone's current contents in canonical form. A zone
	// the provider does not hold gives an error wrapping ErrZoneNotFound.
	Records(ctx context.Context, zone string) (*zone.Zone, error)
	// Apply makes the changes. The Result says which changes are known to
	// be done, also when err is not nil (a batch failed half-way). After
	// each change request that succeeded Apply tells task how many of cs
	// are done (Result.Done); task may be nil (nobody listens). Apply only
	// calls task's Update, never Stop: the caller owns the task.
	Apply(ctx context.Context, zone string, cs []Change, task progress.Updater) (Result, error)
	// Capabilities say what the provider can hold.
	Capabilities() Capabilities
}

// OwnTransferred is a provider whose servers transfer records of types
// of its own (PowerDNS's ALIAS and LUA, in the private-use range of RFC
// 6895), which no resolver asks for: each answers queries of other types
// with what the provider computes. Answers gives, for such a record as a
// transfer holds it, the types it answers (ok); ok is false for any other
// record, or one whose data does not say.
type OwnTransferred interface {
	Answers(rr dns.RR) (types []uint16, ok bool)
}

// ZoneCreator is a provider that can create a zone it does not hold yet.
type ZoneCreator interface {
	CreateZone(ctx context.Context, zone string, nameservers []string) error
}

// ApexCreator is a ZoneCreator that can also give a new zone the apex
// desired holds: its SOA (names and timers; the provider may rewrite the
// serial) and the TTL of its apex NS. push passes the apex its plan shows
// (git's SOA with the side's own primary name as MNAME). Without it a new zone starts with
// the provider's default SOA (e.g. PowerDNS's
// a.misconfigured.dns.server.invalid. with a 3600 s negative TTL), which
// push never changes afterwards and parity reports as a warning.
type ApexCreator interface {
	CreateZoneApex(ctx context.Context, desired *zone.Zone, nameservers []string) error
}

// Primary is a provider whose data comes from one primary server (RFC
// 2136: the server it transfers from and sends UPDATEs to), as IP:port.
type Primary interface {
	Primary() string
}

// Conditional is a provider whose server refuses a change when the RRset
// is not what the change's Old says (RFC 2136 prerequisites): push need
// not read the zone again before applying.
type Conditional interface {
	Provider
	// ChecksOld is a marker.
	ChecksOld()
}

// RRsetConditional is a Conditional provider that can also apply changes
// whose only prerequisites are the changed RRsets' own (an RRset to
// create must not exist, one to replace or delete must hold exactly the
// records the change's Old says), leaving out what Apply also requires
// of the rest of the zone (RFC 2136: the zone's SOA as the plan's
// transfer saw it). The parent registrar changes one child's delegation
// in a parent zone that other children's changes move meanwhile (a
// wave): it requires that child's delegation RRsets as it read them, not
// the whole parent zone's serial.
//
// kept are RRsets the changes leave alone and require all the same, as
// each one's Old says (nil: the RRset must not exist): the DS set a new
// NS set goes live under. The server checks them with the changes' own
// in the same message (RFC 2136 §3.2: prerequisites are evaluated and
// the update applied atomically), so another writer's change to them
// after the caller's last read refuses the write, ErrConflict.
// ApplyRRsets applies cs whole or not at all: changes it cannot make in
// one atomic step (more than one UPDATE message) are refused before
// anything is sent.
type RRsetConditional interface {
	Conditional
	ApplyRRsets(ctx context.Context, zone string, cs, kept []Change, task progress.Updater) (Result, error)
}

// Transactional is a provider whose server applies each batch Apply
// sends (up to hundreds of RRsets) as one transaction, all of it or
// nothing: an RFC 2136 UPDATE message (§3.2: prerequisites and update
// are one atomic step), a PowerDNS API PATCH of the zone's RRsets
// (https://doc.powerdns.com/authoritative/http-api/zone.html: one
// transaction). A change of a few RRsets (a delegation's NS set, glue
// and DS) is never half made; a provider that writes record by record
// (one API call each) could stop midway.
type Transactional interface {
	Provider
	// AppliesInTransactions is a marker.
	AppliesInTransactions()
}

// Guarded is a provider whose Apply lists the zone itself (for the ids
// of the records it changes; an API without server-side prerequisites):
// ApplyGuarded hands guard the zone and features that listing holds, as
// Reader's Read would, before anything is sent, and sends nothing when
// guard refuses. The caller's check that the zone is still what the plan
// was made against (push: the plan made again from it must be the plan
// pushed) is then that one listing, not a listing of its own just
// before Apply's: a changed zone is listed once at the push, not twice
// (each zone's listings share the account's rate limit).
type Guarded interface {
	ApplyGuarded(ctx context.Context, zone string, cs []Change, task progress.Updater, guard Guard) (Result, error)
}

// Reread is err from reading a zone again just before a push (the
// listing a Guard judges, or push's own read when the provider is not
// Guarded), saying so the same way wherever the read is made.
func Reread(err error) error {
	return fmt.Errorf("reading the zone again before the push: %w", err)
}

// Guard judges a zone as listed just before a change (its records and
// provider-only features): an error refuses the change, and is what
// ApplyGuarded returns.
type Guard func(cur *zone.Zone, features []Feature) error

// Errors a provider wraps so that callers can tell them apart.
var (
	// ErrZoneNotFound: the provider does not hold the zone.
	ErrZoneNotFound = errors.New("zone not found at the provider")
	// ErrAuth: the credentials were refused (bad TSIG key, bad API key).
	ErrAuth = errors.New("credentials refused")
	// ErrUnavailable: the provider could not be reached.
	ErrUnavailable = errors.New("provider unreachable")
	// ErrConflict: the provider's data is not what the plan was made
	// against (another writer changed it in between); the request that
	// found out was refused as a whole and applied nothing.
	ErrConflict = errors.New("the zone changed at the provider since the plan")
	// ErrEarlierTry: a write failed after an earlier try of it was
	// answered with a server error (5xx), which the API may have applied
	// all the same (a gateway's error while the API behind it did the
	// work): the later try's refusal (a record already there, one to
	// delete gone) may be that try's doing.
	ErrEarlierTry = errors.New("an earlier try of it, answered with a server error, may have been applied")
)

// PerhapsApplied reports whether a failed write may have been applied
// all the same: its answer was lost (ErrUnavailable), an earlier try of
// it was answered 5xx (ErrEarlierTry), or it was sent and no answer that
// could be trusted came back (Unanswered). A re-run converges either
// way.
// An error NotSent marks is never PerhapsApplied, whatever it wraps.
func PerhapsApplied(err error) bool {
	if errors.Is(err, errNotSent) {
		return false
	}
	return errors.Is(err, ErrUnavailable) || errors.Is(err, ErrEarlierTry) || errors.Is(err, errUnanswered)
}

// errNotSent is in the chain of an error NotSent marks.
var errNotSent = errors.New("nothing of it was sent")

// notSent is err, marked not PerhapsApplied; its text is err's.
type notSent struct{ err error }

func (e notSent) Error() string   { return e.err.Error() }
func (e notSent) Unwrap() []error { return []error{e.err, errNotSent} }

// NotSent marks err, a write's, as one that never reached the provider
// (the connection could not be made, the request not sent whole): not
// PerhapsApplied, though err may wrap ErrUnavailable (the provider could
// not be reached, which Down still tells). The text is err's.
func NotSent(err error) error { return notSent{err} }

// errUnanswered is in the chain of an error Unanswered marks.
var errUnanswered = errors.New("sent, and no answer that could be trusted came back")

// unanswered is err, marked PerhapsApplied; its text is err's.
type unanswered struct{ err error }

func (e unanswered) Error() string   { return e.err.Error() }
func (e unanswered) Unwrap() []error { return []error{e.err, errUnanswered} }

// Unanswered marks err, a write's, as one sent whole to which no answer
// that could be trusted came back (the wait for it stopped, or it did not
// verify): the provider may have acted on it (PerhapsApplied). The text
// is err's.
func Unanswered(err error) error { return unanswered{err} }

// Action is what a Change does to an RRset.
type Action int

const (
	Create Action = iota + 1
	Replace
	Delete
)

func (a Action) String() string {
	switch a {
	case Create:
		return "create"
	case Replace:
		return "replace"
	case Delete:
		return "delete"
	}
	return "?"
}

// Symbol is the one-character mark of the action (+ ~ -).
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Replace:
		return "~"
	case Delete:
		return "-"
	}
	return "?"
}

// Change is a change of one RRset. Old is nil for Create, New is nil for
// Delete.
type Change struct {
	Action Action
	Name   string // absolute, lower case
	Type   uint16
	Old    *zone.RRSet
	New    *zone.RRSet
	// Over is, for a Replace or a Delete whose Old is nil, the record
	// the provider holds at this name and type that no zone file
	// expresses (a Feature.Replaceable, as listed when the plan was
	// made): the provider's Apply replaces exactly that record with New
	// in one request applied whole, or deletes it in the request that
	// carries git's RRsets at its name (a CNAME of git that cannot stand
	// beside it), or refuses when it is no longer there as listed.
	Over *Feature
}

// Key is the RRset the change is about.
func (c Change) Key() zone.Key { return zone.Key{Name: c.Name, Type: c.Type} }

func (c Change) String() string {
	return fmt.Sprintf("%s %s %s", c.Action.Symbol(), c.Name, dns.TypeToString[c.Type])
}

// Describe names the RRsets of cs ("www.example.com. A, ..."), the first
// most of them and then how many more: for error messages about a request.
func Describe(cs []Change, most int) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Name + " " + dns.Type(c.Type).String()
	}
	return strings.Join(plural.FirstN(parts, most), ", ")
}

// Result of Apply.
type Result struct {
	// Applied are the changes known to be done, in the order sent.
	Applied []Change
	// Requests is the number of change requests sent (UPDATE messages,
	// HTTP PATCH requests), failed ones included.
	Requests int
	// Left is, of a push that failed, what became of the changes not in
	// Applied (perhaps applied, partly applied, not applied): the error
	// says it in Left's words (Unfinished.String).
	Left Unfinished
}

// Capabilities say what a provider can hold.
type Capabilities struct {
	// Types it holds; nil means any type.
	Types map[uint16]bool
	// LongTXT: TXT records whose text is longer than one 255-octet string
	// (several strings, kept as split).
	LongTXT bool
	// UnknownTypes: RFC 3597 types it has no name for (TYPE65000).
	UnknownTypes bool
	// MaxBatch is the most RRset changes one request carries (0: no
	// limit); for APIs that count smaller units it is theirs (cloudflare:
	// record operations, route53: records with UPSERTs counted twice).
	MaxBatch int
	// CreateZone: it can create a zone it does not hold.
	CreateZone bool
	// MaxRRsetSize is the most wire octets one RRset may take (an RFC
	// 2136 UPDATE replaces an RRset in one message); 0: no limit.
	MaxRRsetSize int
	// CheckName, when set, says why the provider cannot hold an RRset at
	// this owner name ("" when it can).
	CheckName func(name string) string
	// CheckDeleteName, when set, says why the provider cannot delete an
	// RRset at this owner name ("" when it can): an API that addresses
	// RRsets by a name it refuses (PowerDNS: the names CheckName
	// refuses) cannot delete one put there by other means. Plan then
	// reports the RRset instead of sending a request that fails.
	CheckDeleteName func(name string) string
	// MinTTL is the lowest TTL the provider keeps (0: any).
	MinTTL uint32
	// Check, when set, says why the provider cannot hold this RRset
	// faithfully ("" when it can): RDATA it rewrites or refuses (CAA
	// tags and flags, SVCB parameters, ...).
	Check func(s *zone.RRSet) string
	// CheckIn, when set, says why the provider refuses to take git's
	// RRset s as a create or replace within git's zone z ("" when it
	// takes it): a server's check that judges an added record by the zone
	// it lands in (BIND's check-integrity on an UPDATE's MX). An RRset
	// the plan leaves as it is is not judged.
	CheckIn func(z *zone.Zone, s *zone.RRSet) string
	// NoApexSOA, when set, says why push cannot set the apex SOA's TTL
	// and timers at this provider and what to do instead; NoApexNSTTL
	// likewise for the apex NS TTL. Plan then warns instead of changing
	// them.
	NoApexSOA, NoApexNSTTL string
	// CNAMEConflicts are the types the provider refuses at a name beside
	// a CNAME, and a CNAME beside: nil is every type (a CNAME stands
	// alone, RFC 1034 §3.6.2, RFC 2181 §10.1). Plan refuses git's RRset
	// that a blocking feature (Feature.Blocks) at its name conflicts with
	// so, which the API would refuse on every push.
	CNAMEConflicts map[uint16]bool
	// Warnings are what the provider could not learn of the account
	// and what it assumed instead (ClouDNS: the TTLs the account's plan
	// allows could not be read, the documented list is checked): every
	// plan gives them.
	Warnings []string
	// ServedApexNS, when set, are the names (absolute) of the NS records
	// the provider's servers answer at the apex of zone origin whatever
	// its records say, and which its listing does not show: DNS Made
	// Easy's system (or vanity) name servers, Cloudflare's assigned
	// ones. nil when not known (the
	// zone not read yet). A plan never creates one of them as a record
	// (with manage_apex, git's apex NS less these names is what it
	// manages: a custom record would make the name stand twice), warns
	// when git's apex NS lacks one (no push removes it), and counts them
	// in the apex NS the zone serves after the push (plan.Plan.ApexNS).
	ServedApexNS func(origin string) []string
	// OwnApexNSOnly, when set, says why the provider's servers answer
	// no apex NS record of zone origin but ServedApexNS's names ("" when
	// they answer its other apex NS records too, or when that is not
	// known: ApexNSSetting not read). Plan then counts only those names
	// in the apex NS the zone serves (plan.Plan.ApexNS) and warns which
	// of git's, or the listing's, are not served.
	OwnApexNSOnly func(origin string) string
	// HiddenApexTTL are the TTLs the provider documents for apex records
	// its API does not list (its own SOA and NS), by type: what the
	// cutover assumes resolvers cache when no server of the side tells.
	HiddenApexTTL map[uint16]uint32
	// ReadOnly, when set, says why the provider takes no changes at all
	// (its zone can be read and compared only).
	ReadOnly string
	// ZoneReadOnly, when set, says why the provider takes no changes to
	// zone origin, which it holds as a copy of another ("" when it takes
	// them, or when that is not known: the zone not read yet): a
	// secondary zone, kept by zone transfers from its primary (NS1).
	// Plan refuses every change to the zone then, as for ReadOnly.
	ZoneReadOnly func(origin string) string
}

// ReadOnlyFor says why the provider takes no changes to zone origin
// (ReadOnly, else ZoneReadOnly), "" when it does.
func (c Capabilities) ReadOnlyFor(origin string) string {
	if c.ReadOnly != "" || c.ZoneReadOnly == nil {
		return c.ReadOnly
	}
	return c.ZoneReadOnly(origin)
}

// Holds reports whether the provider can hold the set; when not, why.
func (c Capabilities) Holds(s *zone.RRSet) (bool, string) {
	if _, known := dns.TypeToString[s.Type]; !known {
		if !c.UnknownTypes {
			return false, fmt.Sprintf("unknown type %s (RFC 3597) is not supported", dns.Type(s.Type))
		}
	} else if c.Types != nil && !c.Types[s.Type] {
		return false, fmt.Sprintf("type %s is not supported", dns.Type(s.Type))
	}
	if c.CheckName != nil {
		if why := c.CheckName(s.Name); why != "" {
			return false, why
		}
	}
	if !c.LongTXT && (s.Type == dns.TypeTXT || s.Type == dns.TypeSPF) {
		for _, r := range s.Records {
			if len(r.Rdata) > 256 {
				return false, "TXT longer than one 255-octet string is not supported"
			}
		}
	}
	if c.MinTTL > 0 && s.TTL < c.MinTTL {
		return false, fmt.Sprintf("TTL %d is below the provider's minimum of %d", s.TTL, c.MinTTL)
	}
	if c.Check != nil {
		if why := c.Check(s); why != "" {
			return false, why
		}
	}
	if c.MaxRRsetSize > 0 {
		size := 0
		for _, rr := range s.RRs() {
			size += dns.Len(rr)
		}
		if size > c.MaxRRsetSize {
			return false, fmt.Sprintf("the RRset takes %d octets, more than the %d one change message can carry", size, c.MaxRRsetSize)
		}
	}
	return true, ""
}

// Factory makes a provider from its config (secrets already resolved).
type Factory func(cfg *config.Provider) (Provider, error)

// Type is a registered provider type: its own config keys under
// providers.NAME and how to make it.
type Type struct {
	// Settings returns an empty block of the type's own keys (a struct
	// with yaml tags): the config decodes the file into it, refusing
	// unknown keys, checks it and reads the secrets it names.
	Settings func() config.Settings
	// New makes the provider; cfg.Settings is the block Settings made.
	New Factory
	// Impl is a nil pointer of the provider's Go type: which optional
	// interfaces (FeatureReporter, ...) the type has is known without
	// making one, which would read its secrets (Has).
	Impl Provider
}

var factories = registry.New[Type]("provider")

// Register makes a provider type available, and its keys known to the
// config: S is the struct of its own keys (*S a config.Settings), P its
// Go type, newp its factory. A provider package calls it from init(), so a
// new provider is its folder plus one import line in
// cmd/dnsparity/providers.go. Registering a type twice panics.
func Register[S any, PS interface {
	*S
	config.Settings
}, P Provider](typ string, newp func(cfg *config.Provider) (P, error)) {
	var impl P
	t := Type{
		Settings: func() config.Settings { return PS(new(S)) },
		New:      func(cfg *config.Provider) (Provider, error) { return newp(cfg) },
		Impl:     impl,
	}
	factories.Register(typ, t)
	config.RegisterSettings(typ, t.Settings)
}

// RegisterHTTP is Register for a provider of an HTTP API whose factory
// takes the HTTP client (nil: a default one, as a run makes it).
func RegisterHTTP[S any, PS interface {
	*S
	config.Settings
}, P Provider](typ string, newp func(cfg *config.Provider, hc *http.Client) (P, error)) {
	Register[S, PS](typ, func(cfg *config.Provider) (P, error) { return newp(cfg, nil) })
}

// Types lists the registered provider types.
func Types() []string { return factories.Types() }

// Has reports whether providers of type typ implement I (FeatureReporter,
// DSReporter, ...), without making one: no secret is read.
func Has[I any](typ string) bool {
	t, ok := factories.Lookup(typ)
	if !ok {
		return false
	}
	_, ok = t.Impl.(I)
	return ok
}

// New makes the provider cfg describes.
func New(cfg *config.Provider) (Provider, error) {
	t, ok := factories.Lookup(cfg.Type)
	if !ok {
		return nil, unknownType(cfg)
	}
	p, err := t.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("providers.%s: %w", cfg.Name, err)
	}
	return p, nil
}

// unknownType is New's error for a provider whose type no package
// registered.
func unknownType(cfg *config.Provider) error {
	return config.UnknownType(cfg.TypePos, "providers."+cfg.Name, cfg.Type, Types())
}

// KnownTypes checks, without making any, that every provider of cfg has a
// registered type (New's error for each that has not, by name): what
// check can tell of the providers with no secret read.
func KnownTypes(cfg *config.Config) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(cfg.Providers)) {
		if p := cfg.Providers[name]; p != nil {
			if _, ok := factories.Lookup(p.Type); !ok {
				errs = append(errs, unknownType(p))
			}
		}
	}
	return errors.Join(errs...)
}

// ApexNS returns the NS names at the apex of z.
func ApexNS(z *zone.Zone) []string {
	var out []string
	if s := z.Get(z.Origin, dns.TypeNS); s != nil {
		for _, rr := range s.RRs() {
			if ns, ok := rr.(*dns.NS); ok {
				out = append(out, ns.Ns)
			}
		}
	}
	return out
}

// DefaultNameservers is what a provider's Nameservers usually is: the
// configured ones, else the apex NS of the zone as the provider holds it.
func DefaultNameservers(ctx context.Context, configured []string, p Provider, origin string) ([]string, error) {
	if len(configured) > 0 {
		return configured, nil
	}
	z, err := p.Records(ctx, origin)
	if err != nil {
		return nil, err
	}
	return ApexNS(z), nil
}

// ByName groups changes by owner name, each name's changes in their own
// order (deletes, replaces, creates when cs is in plan order), in the
// order they are to be applied: first the names that get records (in the
// order each first appears), then the names that only lose records. A
// provider sends a name's group in one request, so that a delete and the
// add it makes room for (an A replaced by a CNAME) are applied together or
// not at all; and no delete runs ahead of an add elsewhere that may need
// it gone first or still present (an MX moved off the name being
// deleted).
func ByName(cs []Change) [][]Change {
	idx := map[string]int{}
	var groups [][]Change
	for _, c := range cs {
		i, ok := idx[c.Name]
		if !ok {
			i = len(groups)
			idx[c.Name] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], c)
	}
	out := make([][]Change, 0, len(groups))
	var deletes [][]Change
	for _, g := range groups {
		add := false
		for _, c := range g {
			add = add || c.Action != Delete
		}
		if add {
			out = append(out, g)
		} else {
			deletes = append(deletes, g)
		}
	}
	return append(out, deletes...)
}

// authError is a refusal of credentials: its text says once what was
// refused, and it wraps ErrAuth for errors.Is.
type authError struct{ msg string }

func (e *authError) Error() string { return e.msg }
func (e *authError) Unwrap() error { return ErrAuth }

// AuthError is an error wrapping ErrAuth with the message format gives
// ("GET zones: credentials refused: the API key (HTTP 401: ...)"), without ErrAuth's own
// text repeated after it. The message must hold no secret.
func AuthError(format string, args ...any) error {
	return &authError{fmt.Sprintf(format, args...)}
}
