// Package cutover moves a zone's delegation from the old provider to the
// new one, and back, only when that is safe: the preflight gates
// (parity, TTLs pre-staged and expired, the new side authoritative, no
// drift, DNSSEC), the registrar change confirmed at every parent server,
// the propagation watch through resolvers, the overlap and finish, and an
// audit trail of every step. Live DNS is the truth; the trail is the
// record.
package cutover

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Gate names (the cutover contract, docs/ARCHITECTURE.md).
const (
	GateParity           = "parity"
	GateTTLPrestaged     = "ttl-prestaged"
	GateTTLExpired       = "ttl-expired"
	GateNewAuthoritative = "new-authoritative"
	GateDrift            = "drift"
	GateDNSSEC           = "dnssec"
	GateOverlap          = "overlap"
	GateOldDown          = "old-down"
	GateNewMatchesGit    = "new-matches-git"
	GateOldParity        = "old-parity"
	// The emergency rollback's (`rollback --emergency`: the new provider
	// is down), the mirror of old-down, new-matches-git and
	// new-authoritative.
	GateNewDown          = "new-down"
	GateOldMatchesGit    = "old-matches-git"
	GateOldAuthoritative = "old-authoritative"
	// GateParentServers: cutover.parent_servers are the parent zone's
	// servers (its SOA with AA, a referral for the zone) and serve what
	// the registrar holds (NS and DS): every parent-side gate reads them.
	GateParentServers = "parent-servers"
	// GateHiddenMaster is status only: every public server of a side
	// serves its primary's SOA serial.
	GateHiddenMaster = "hidden-master"
)

// CheckServedTTL is ttl-prestaged's check: an RRset a server served above
// policy.prestage_ttl.
const CheckServedTTL = "served-ttl"

// Results of a step.
const (
	ResultDone     = "done"
	ResultRefused  = "refused"
	ResultError    = "error"
	ResultNothing  = "nothing-to-do"
	ResultObserved = "observed"
	ResultDryRun   = "dry-run"
)

// Side is one provider as the cutover sees it.
type Side struct {
	Name string // "old" or "new"
	// Servers are its authoritative servers (IP:port), asked directly.
	Servers []string
	// Primary is the server the provider's data comes from (rfc2136:
	// its server), when it is not one of Servers: the hidden master.
	Primary string
	// Delegation are the NS names the parent gets for this side, and
	// Glue the addresses of the in-bailiwick ones.
	Delegation []string
	Glue       map[string][]string
	// NSFromGit says where Delegation comes from when no config names
	// it and git's zone file decides it (the apex NS the side serves,
	// which push writes from git with manage_apex): "" otherwise. The
	// delegation gate's ns-source check reads it.
	NSFromGit string
	// Provider lists what the side holds (TTLs, drift); nil when it
	// cannot be listed.
	Provider   provider.Provider
	ManageApex bool
	// fromDelegation are the servers of Servers a step added because the
	// parent's delegation sends resolvers to them (askFromServers), or,
	// for the side a rollback restores, the delegation recorded before
	// the flip does (Config.oldServersAsked): what they serve is not
	// known to be what Provider lists (listingServed).
	fromDelegation []string
}

// Want is the delegation of zone that points to the side (DS left alone).
func (s *Side) Want(zone string, nsTTL uint32) registrar.Delegation {
	d := registrar.Delegation{NS: append([]string(nil), s.Delegation...), NSTTL: nsTTL, Glue: map[string][]string{}}
	for n, as := range s.Glue {
		if registrar.InBailiwick(n, zone) {
			d.Glue[n] = append([]string(nil), as...)
		}
	}
	d.Normalize()
	return d
}

// Config is everything a cutover step needs.
type Config struct {
	Zone     *zone.Zone // the zone as git has it
	Old, New Side

	Registrar registrar.Registrar // nil for status (StatusFromConfig), which reads the parent's servers only
	// Cuts are the child zones whose delegation in Zone the cutover owns
	// (config.CutoverCuts): a push leaves them as served, and so does
	// every plan a gate shows (pushPlan).
	Cuts          []string
	ParentZone    string
	ParentServers []string // the parent's authoritative servers, IP:port
	Resolvers     []string // the propagation watch asks these

	PrestageTTL uint32
	Overlap     time.Duration
	Watch       time.Duration // bound of the propagation watch
	Interval    time.Duration // between watch polls (0: suited to the NS TTL)
	Confirm     time.Duration // how long the change may take to reach every parent server
	// Every is how often a wait for the parent's servers (Confirm) says
	// on Log which servers it still waits for (0: every 30 s).
	Every time.Duration
	// MovedAfter is how many consecutive polls a resolver must answer
	// from the target side before the watch counts it as moved, and every
	// parent server serve a registrar change before it is confirmed (0:
	// DefaultMovedAfter). One address can stand for several caches or
	// nodes (anycast, a pool behind a load balancer) that move one by one.
	MovedAfter int

	TrailPath string
	Actor     string
	// LockWait bounds the wait for another step on the zone to end
	// (default DefaultLockWait).
	LockWait time.Duration
	// EmergencyListWait bounds the listing of the side an emergency step
	// leaves partly down (downComplete), whose API is usually down too
	// (default DefaultEmergencyListWait).
	EmergencyListWait time.Duration
	// Redact, when set, takes secrets out of every text of an entry
	// before it is written to the trail (the Action's redaction).
	Redact func(string) string

	Parity  parity.Options
	Timeout time.Duration // per query of status, gates and watch

	// FromCurrent (flip --from-current) takes the delegation the parent
	// holds as the one a rollback restores, when it is not the expected
	// old one (gate points-to-old).
	FromCurrent bool

	Now func() time.Time
	// Log is the step's log: a line for each thing it checks and does
	// ("registrar: replacing ...", the gates' results, the watch); nil:
	// none. cmd/dnsparity passes stderr.
	Log io.Writer
	// Progress is shown the step's long work as it goes (nil: nothing):
	// the parity gates' answers (parity.Options.Progress).
	Progress progress.Progress
	// DNSSEC is the dnssec gate (default dnssec.Gate).
	DNSSEC func(context.Context, dnssec.Input) (dnssec.Result, error)
	// Delegation is policy.registry and policy.delegation (gate
	// delegation).
	Delegation delegation.Policy
	// Root is the repository root (the config's directory): zone-file
	// positions in reports are relative to it.
	Root string
	// ConfigZones are the config's zones (fromConfig: one list for
	// every step that shares a Shared), the step's own among them, which
	// finish skips: its old-unreferenced scans the other zones' targets in
	// git as well as Zone's (a zone that names a server of the old side
	// goes dark with it).
	ConfigZones []GitZone
	// GitZones, when set, holds the other zones as loaded for every
	// step that shares it (Shared: the zones of a wave, each zone file
	// read once); nil: the step loads them itself.
	GitZones *GitZones
	// Stages, when set, keeps the stage of the other zones' trails for
	// every step that shares it (Shared: finish's oldProviderUse reads
	// each file once, and again only when it changed); nil: each step
	// reads them.
	Stages *TrailStages
	// Referrals, when set, keeps the grandparent's referral for each
	// parent zone read for every step that shares it (Shared: a wave,
	// and a step's gate and confirmation alike); nil: read each time.
	Referrals *Referrals

	// The step's own state: each field below but unlock is set as a
	// step starts (startStep; a new per-step field is set there too),
	// never carried from one step to the next.

	// restore is the delegation recorded before the last flip (the trail),
	// set when a step reads the trail.
	restore *registrar.Delegation
	// restoreAddrs are the addresses restore's NS names outside the
	// zone had when that flip ran (its before_ns_addrs; nil: a trail
	// that recorded none), set with restore.
	restoreAddrs map[string][]string
	// restoreForeign are the names of restore nothing vouches for as
	// the old side's (foreignOld), set with restore: a rollback does
	// not restore it.
	restoreForeign []string
	// lastDS is the DS set the trail saw last (nil: none), set with
	// restore.
	lastDS *DSSeen
	// oldNS is the old side's apex NS as the step saw it (begin).
	oldNS *OldApexNS
	// newNS is the new side's apex NS as a rollback, or status while
	// rolled back, saw it (observeNewNS; nil: not asked).
	newNS *OldApexNS
	// settledNow is the step's count of settles (nil: not yet;
	// newObservation drops it).
	settledNow *settledFor
	// apexSeen is the apex NS each side's server served in the step,
	// asked once (newObservation: as the step starts, and finish after
	// its parity gate; nil: each gate asks).
	apexSeen *apexNSSeen
	// soaSeen is the apex SOA each server served in the step, asked
	// once, beside apexSeen (newObservation sets both; nil: each gate
	// asks).
	soaSeen *apexSOASeen
	// oldOnlyNow is the old side's servers that are not the new side's,
	// as the step found them once (Config.oldOnly; nil: not yet;
	// sidesChanged drops it).
	oldOnlyNow *sideOnlySet
	// newOnlyNow is the same of the new side (Config.onlySet; nil: not
	// yet; sidesChanged drops it).
	newOnlyNow *sideOnlySet
	// oldServersNow is the old side's servers as the step found them once
	// (Config.oldServers; nil: not yet; sidesChanged drops it).
	oldServersNow *sideServerSet
	// newServersNow is the new side's servers after a move as the step
	// found them (Config.newServers), by the move's entry and the
	// trail's length then (nil: none yet; sidesChanged drops it).
	newServersNow map[newServersKey]*sideServerSet
	// pending is the step's own registrar change an earlier run made and
	// did not see served by every parent server, which this run confirms
	// (confirmPending); set by begin, nil otherwise.
	pending *ownChange
	// entryAfter is the time the step's trail entries are dated at the
	// earliest (record; zero: c.Now's): set by trailClock for an emergency step
	// on a clock behind the trail's last entry by more than
	// TrailClockSkew, which goes on (the way out of an outage) while its
	// gates keep this clock.
	entryAfter time.Time
	// dates is the clock of each HTTPS server the step asked
	// (watchDates; nil: not watched), which serverClock judges.
	dates *httpretry.Dates
	// unlock releases the zone's lock a step holds.
	unlock func()
}

// GitZone is a zone of the config: its name and its file.
type GitZone struct{ Origin, File string }

// now is c.Now(), or the time now for a Config that did not go through
// defaults (a gate asked on its own).
func (c *Config) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

func (c *Config) defaults() {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.DNSSEC == nil {
		c.DNSSEC = dnssec.Gate
	}
	if c.PrestageTTL == 0 {
		c.PrestageTTL = config.Policy{}.Prestage() // policy.prestage_ttl's default
	}
	if c.Overlap == 0 {
		c.Overlap = 168 * time.Hour
	}
	if c.Watch == 0 {
		c.Watch = 15 * time.Minute
	}
	if c.Confirm == 0 {
		c.Confirm = 5 * time.Minute
	}
	if c.Timeout == 0 {
		c.Timeout = 2 * time.Second
	}
	if c.LockWait == 0 {
		c.LockWait = DefaultLockWait
	}
	if c.EmergencyListWait <= 0 {
		c.EmergencyListWait = DefaultEmergencyListWait
	}
}

// Gate is one preflight condition.
type Gate struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	// Err: the gate could not be checked (counts as not met; the step
	// could not run).
	Err bool `json:"could_not_run,omitempty"`
	// Plan is what to do, in order, when the gate is not met.
	Plan []string `json:"plan,omitempty"`
	// Side a delegation gate checks; Checks its checks (and
	// old-unreferenced's places).
	Side   string             `json:"side,omitempty"`
	Checks []delegation.Check `json:"checks,omitempty"`
	// Offer is the emergency step this gate's plan offers as its last
	// entry (a side does not answer: offerEmergency), nil when none.
	Offer *Offer `json:"emergency_offer,omitempty"`
	// next are the plan's steps that have an earliest time.
	next []Next
	// unproven: parity could not be proven because a server did not
	// answer (see offerEmergency); an authoritative gate failed only on
	// servers that give no answer (gateAuthoritative).
	unproven bool
	// differs: a parity gate failed on findings, every server having
	// answered (the side serves other data).
	differs bool
	// keys: what the dnssec gate saw of each side's DNSKEY sets
	// (Entry.DNSKEY).
	keys map[string]dnssec.KeySet
	// keysAsked: the servers whose DNSKEY sets keys holds, by side
	// (keysMoved asks them again right before the registrar change).
	keysAsked map[string][]string
	// signedUntil: the dnssec gate's dnssec.Result.SignedUntil, per
	// server of the side it checked (judgeSignatures).
	signedUntil map[string]time.Time
	// warnings: the dnssec gate's findings that do not refuse the step
	// (dnssec.Result.Warnings), for the report's top-level warnings.
	warnings []string
}

// Label is the gate's name, with the side a delegation gate checks.
func (g Gate) Label() string {
	if g.Side != "" {
		return g.Name + " (" + g.Side + ")"
	}
	return g.Name
}

// Next is the earliest time of a next step.
type Next struct {
	Step     string    `json:"step"`
	Earliest time.Time `json:"earliest"`
	Detail   string    `json:"detail,omitempty"`
	// Now: the step can be taken when the report was made (Earliest had
	// come); the writers say "now", not a time already past when read.
	Now bool `json:"now,omitempty"`
}

// DelegationView is the delegation as the parent's servers serve it.
type DelegationView struct {
	NS       []string            `json:"ns"`
	NSTTL    uint32              `json:"ns_ttl"`
	DS       []string            `json:"ds"`
	DSTTL    uint32              `json:"ds_ttl"`
	PointsTo string              `json:"points_to"` // old, new, mixed, unknown
	Glue     map[string][]string `json:"glue,omitempty"`
	// GlueTTL is the largest TTL of that glue the servers serving the
	// delegation served (registrar.Delegation.GlueTTL).
	GlueTTL uint32 `json:"glue_ttl,omitempty"`
}

// StaleGlue is a parent server's glue for an in-bailiwick NS name of the
// zone that the zone itself contradicts (status).
type StaleGlue struct {
	Name   string   `json:"name"`
	Server string   `json:"server"` // the parent server serving the glue
	Glue   []string `json:"glue"`
	// Child are the addresses ChildServer, a server of the side the
	// delegation points to, serves for Name (none: NXDOMAIN or NODATA).
	Child       []string `json:"child"`
	ChildServer string   `json:"child_server"`
	// Side is the side a glue address is a server of when it is not
	// the one the delegation points to ("old", "new"; "" otherwise).
	Side string `json:"side,omitempty"`
	// Unreferenced: glue the parent zone holds at or below the zone's cut,
	// or at a name of a delegation the zone left, that no NS set of the
	// parent zone names (the parent serves it in no referral; read from a
	// transfer of the parent zone, when one of its servers gives one).
	Unreferenced bool   `json:"unreferenced,omitempty"`
	Detail       string `json:"detail"`
}

// Change is the registrar change a step makes (or, dry, would make).
type Change struct {
	Before registrar.Delegation `json:"before"`
	After  registrar.Delegation `json:"after"`
	// At is when the registrar accepted it (zero for a dry run).
	At        time.Time `json:"at,omitzero"`
	Confirmed bool      `json:"confirmed"`
}

// Report is the result of status, flip, rollback and finish.
type Report struct {
	Zone       string               `json:"zone"`
	Command    string               `json:"command"`
	Result     string               `json:"result"`
	Emergency  bool                 `json:"emergency,omitempty"`
	DryRun     bool                 `json:"dry_run,omitempty"`
	Errors     []string             `json:"errors"`
	Warnings   []string             `json:"warnings"`
	Stage      string               `json:"stage"`
	StageSince *time.Time           `json:"stage_since,omitempty"`
	Delegation DelegationView       `json:"delegation"`
	Gates      []Gate               `json:"gates"`
	Change     *Change              `json:"change,omitempty"`
	Watch      *WatchResult         `json:"watch,omitempty"`
	TTL        *TTLs                `json:"ttl,omitempty"`
	Parity     *ParitySummary       `json:"parity,omitempty"`
	Resolvers  []ResolverView       `json:"resolvers,omitempty"`
	Parent     []registrar.AtServer `json:"parent_servers,omitempty"`
	// StaleGlue (status) is the glue a parent server serves for the
	// zone's in-bailiwick NS names that is not what the side the
	// delegation points to serves for them.
	StaleGlue []StaleGlue `json:"stale_glue,omitempty"`
	Actions   []string    `json:"actions"`
	// Changed counts what this run changed (the Action's changes
	// output): the registrar's delegation replaced, a move found in live
	// DNS recorded in the audit trail, the migration marked finished.
	// Not a dry run, a refusal, nor a change an earlier run made that
	// this one confirms; Actions holds advice and observations too.
	Changed int    `json:"changed"`
	Next    []Next `json:"next"`
	Trail   string `json:"trail,omitempty"`
	// OldProviderInUse (finish done) is what else still needs the old
	// provider: the config's other zones not finished, the zones its
	// account holds outside the config (oldProviderUse).
	OldProviderInUse *OldProviderUse `json:"old_provider_in_use,omitempty"`
	// CopyExpires: when the copy of the zone that servers of the side a
	// step moves to (status: of the side the delegation points to) serve
	// expires, where one counts down (a secondary not refreshed from its
	// primary; judgeCopy).
	CopyExpires *CopyExpiry `json:"copy_expires,omitempty"`

	// LeftDown (status only; not in the JSON) is the side an emergency
	// step left behind ("old" after `flip --emergency`, "new" after
	// `rollback --emergency`) while it is still down, as that step's
	// down gate judges it (judgeDown); "" otherwise. The next steps
	// (finish, the step back) need it answering again.
	LeftDown string `json:"-"`

	// Propagation is status's view after a flip or rollback;
	// DelegationTable its table of both sides' delegation checks.
	Propagation     *Propagation `json:"propagation,omitempty"`
	DelegationTable *Table       `json:"delegation_table,omitempty"`

	// serials: each server's SOA serial when the step's gates began; the
	// registrar is changed only while they are still served.
	serials map[string]uint32
	// trailLen is how many entries the audit trail held when the step's
	// gates began (-1: not read): a push appended since makes the step
	// refuse (pushedSince).
	trailLen int
	// listed is what the providers listed for the step's gates (both
	// in a planned step; in an emergency the side it moves to): a
	// listing that differs right before the registrar change makes the
	// step refuse (listingMoved).
	listed *listing
	// unlisted: what the parent zone's servers that
	// cutover.parent_servers leaves out served (those that answered as
	// servers of the parent zone: gate parent-servers' parent-unlisted
	// checks). Resolvers ask them too: the trail's delegated_to and
	// parent_ns_ttl count them (Config.sidesSeen).
	unlisted []registrar.AtServer
	// dsServed: while the parent's servers serve different DS sets (a
	// DS change half-published) and the step is one out of an incident
	// (rollback, flip --emergency), each set with the servers serving it
	// and its largest TTL: resolvers hold whichever their server gave, so
	// the dnssec gate checks the side moved to under each (servedDS);
	// and the DS set the registrar holds when the servers serve more
	// (registrarCheck: a removal not published yet, unless the registry
	// adds DS itself), which the step's change would leave to be
	// published with the nameservers.
	dsServed []servedDS
}

// servedDS is a DS set some of the parent's servers serve, or the one the
// registrar holds (registrar: not served yet).
type servedDS struct {
	DSSeen
	servers   []string
	registrar bool
}

// who says where the set comes from: the servers serving it, or the
// registrar.
func (sd servedDS) who() string {
	if sd.registrar {
		return "the registrar holds (the parent's servers serve more: a removal not published yet, unless the registry adds DS itself, CDS; if it does, have the registrar list the DS it publishes)"
	}
	return strings.Join(sd.servers, " ") + " serve"
}

func newReport(c *Config, command string) *Report {
	return &Report{Zone: c.Zone.Origin, Command: command, Errors: []string{}, Warnings: []string{},
		Gates: []Gate{}, Actions: []string{}, Next: []Next{}, Trail: c.TrailPath}
}

// ParitySummary is a parity run in short.
type ParitySummary struct {
	Errors   int      `json:"errors"`
	Warnings int      `json:"warnings"`
	Info     int      `json:"info"`
	Queries  int      `json:"queries"`
	Seconds  float64  `json:"seconds"`
	Examples []string `json:"examples,omitempty"`

	// above: the RRsets the run's answers held above the cap (nil when
	// not asked for, or when the run did not complete).
	above *parity.TTLsAbove
}

// servedAbove is what the parity run saw served above the cap (nil: not
// known).
func (s *ParitySummary) servedAbove() *parity.TTLsAbove {
	if s == nil {
		return nil
	}
	return s.above
}

// ResolverView is which provider a resolver answers from now.
type ResolverView struct {
	Resolver string `json:"resolver"`
	Provider string `json:"provider"` // old, new, unknown
	Detail   string `json:"detail,omitempty"`
}

// Failed reports whether a gate is unmet, and whether one could not run.
func (r *Report) Failed() (unmet, couldNotRun bool) {
	for _, g := range r.Gates {
		if !g.OK {
			unmet = true
		}
		if g.Err {
			couldNotRun = true
		}
	}
	return
}

// ExitCode is the contract's exit code for the report: 0 done (or every
// gate passes), 1 refused, 2 could not run. The code follows the report:
// a step (flip, rollback, finish; a dry run too) whose report holds an
// error never exits 0, whatever its result says (the trail and the
// parent disagreeing, a stale glue removal that failed): a workflow that
// gates the real step on its dry run must not go on past a report that
// says stop and look. status observes, and exits 0 with what it saw
// (docs/ARCHITECTURE.md, exit codes).
func (r *Report) ExitCode() int {
	switch r.Result {
	case ResultObserved:
		return 0
	case ResultDone, ResultNothing, ResultDryRun:
		if len(r.Errors) > 0 {
			return 2
		}
		return 0
	case ResultRefused:
		return 1
	}
	return 2
}

// WaveRanks is the number of ranks WaveRank gives.
const WaveRanks = 5

// WaveRankSkipped is the rank the zones a wave did not start (after a
// refusal, --stop-on-refusal) come before: after those refused.
const WaveRankSkipped = 2

// WaveRank is where a zone's report stands in a report over several
// zones, errors first: 0 could not run, 1 refused, 2 done or observed
// with errors or gates not met (status observes a zone whose parity
// fails and exits 0), 3 with warnings, 4 the rest. Every rendering of a
// step over several zones (the CLI's text and Markdown, the Action's)
// orders its zones by it, each rank in the order given, so that a report
// cut to GitHub's size keeps the worst zones.
func (r *Report) WaveRank() int {
	switch r.ExitCode() {
	case 2:
		return 0
	case 1:
		return 1
	}
	if unmet, _ := r.Failed(); unmet || len(r.Errors) > 0 {
		return 2
	}
	if len(r.Warnings) > 0 {
		return 3
	}
	return 4
}

// pushPlan is what a push of git to side s, which holds held, would do:
// the plan push computes (the side's manage_apex, its provider's
// capabilities, the cuts the cutover owns left as served, and the
// provider's features that block or are replaced, unreadable).
func (c *Config) pushPlan(s *Side, held *zone.Zone, unreadable []provider.Feature) *plan.Plan {
	return plan.Compute(c.Zone, held, plan.Options{ManageApex: s.ManageApex, Caps: s.Provider.Capabilities(), Cuts: c.Cuts, Unreadable: unreadable})
}
