package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// Gate names of issue 16 (docs/ARCHITECTURE.md, the cutover's gates: those added for safety).
const (
	// GateDelegation: the delegation a flip, rollback or emergency flip
	// installs is sound (internal/delegation); status shows it for both
	// sides.
	GateDelegation = "delegation"
	// GateOldUnreferenced: finish only when nothing names a server of the
	// old side alone.
	GateOldUnreferenced = "old-unreferenced"
)

// delegationTarget is what a step that points the delegation to s would
// install: s's NS set and glue (or, for a rollback, the set recorded
// before the flip: set), with the DS set ds. With set the side's servers
// are the old side's as finish finds them (oldServers: the configured
// ones, then the addresses set's names lead to, in-zone names by glue,
// the others resolved): it was the live delegation, and resolvers ask
// each of them once it is back.
func (c *Config) delegationTarget(ctx context.Context, s *Side, set *registrar.Delegation, ds []string) delegation.Target {
	want := s.Want(c.Zone.Origin, 0)
	servers := slices.Clone(s.Servers)
	if set != nil {
		// set is the recorded delegation (c.restore, the DS aside):
		// only a rollback, to the old side, restores it.
		want = copyDelegation(*set)
		servers = slices.Clone(c.oldServers(ctx).servers)
	}
	t := delegation.Target{Zone: c.Zone.Origin, Side: s.Name, NS: want.NS, Glue: want.Glue, DS: ds, Recorded: set != nil, NSFromGit: s.NSFromGit, Servers: servers,
		ParentZone: c.ParentZone, ParentServers: c.ParentServers, Resolvers: c.nameResolvers(), Policy: c.Delegation, Timeout: c.Timeout,
		// child-ns judges the step's answer, as every other gate
		// (apexNSSeen).
		ApexNS: func(ctx context.Context, server string) (*dns.Msg, error) {
			a := c.apexSeen.apexNSOf(ctx, c, []string{server})[0]
			return a.msg, a.askErr
		}}
	if set != nil {
		t.RecordedAddrs, t.Configured = c.restoreAddrs, slices.Clone(s.Servers)
	}
	if s.Provider != nil {
		caps := s.Provider.Capabilities()
		t.ProviderNS = caps.FoldedServedApexNS(c.Zone.Origin)
		if caps.OwnApexNSOnly != nil {
			t.ProviderNSOnly = caps.OwnApexNSOnly(c.Zone.Origin)
		}
	}
	for _, o := range []*Side{&c.Old, &c.New} {
		if o.Name != s.Name {
			t.Others = append(t.Others, delegation.Other{Name: o.Name, NS: o.Delegation, Servers: o.Servers})
		}
	}
	return t
}

// nameResolvers resolve NS names outside the zone: parity.resolver, then
// cutover.resolvers (each once).
func (c *Config) nameResolvers() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range append([]string{c.Parity.Resolver}, c.Resolvers...) {
		if r == "" {
			continue
		}
		if a, err := query.ParseAddr(r); err == nil && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// gateDelegation checks the delegation a step pointing to s would install
// (its NS set and glue, or set when not nil, with the DS set ds).
func gateDelegation(ctx context.Context, c *Config, s *Side, set *registrar.Delegation, ds []string) Gate {
	t := c.delegationTarget(ctx, s, set, ds)
	fmt.Fprintf(c.Log, "%s: gate delegation: checking the %s side's NS %s on %d servers...\n", c.Zone.Origin, s.Name, strings.Join(t.NS, " "), len(t.Servers))
	res := delegation.Run(ctx, t)
	g := Gate{Name: GateDelegation, Side: s.Name, OK: res.OK(), Detail: res.Summary(), Checks: res.Checks}
	if ctx.Err() != nil {
		g.Err = true
		g.Detail = "could not run: " + ctx.Err().Error()
	}
	if !g.OK {
		g.Plan = append(res.Fixes(), "run the step again")
	}
	if res.NoneChecked() && ctx.Err() == nil {
		// Nothing the side serves was asked: the gate can neither vouch
		// for the delegation nor call it broken.
		g.OK, g.Err = false, true
		g.Detail = fmt.Sprintf("could not run: none of the %s side's %d servers can be checked from this machine: %s", s.Name, len(res.Servers), res.Summary())
		g.Plan = []string{fmt.Sprintf("run the step from a machine that can reach the %s side's servers (with IPv6 for IPv6 addresses; policy.delegation.ipv6 true)", s.Name)}
	}
	if set != nil && len(c.restoreForeign) > 0 {
		// foreignOld: an emergency flip of an earlier release recorded
		// the set it found (a third party's, or a flip made half-way):
		// restored, it sends resolvers to a server nobody configured, or
		// on to the side the rollback leaves.
		g.OK, g.Err = false, false
		g.Detail = fmt.Sprintf("the delegation recorded before the last flip (NS %s) names %s, which nothing vouches for as the old side's (not in providers.old.delegation, nor in a set a flip's points-to-old checked: an emergency flip recorded the set it found, or one made half-way): the rollback does not restore it; %s",
			strings.Join(t.NS, " "), strings.Join(c.restoreForeign, " "), g.Detail)
		g.Plan = c.foreignRestorePlan()
	} else if set != nil && !g.OK && !g.Err {
		g.Plan = append([]string{fmt.Sprintf("the rollback restores the delegation recorded before the last flip (NS %s) exactly: make the %s side serve it again as it did then (its apex NS, the names' addresses, every server answering), so that neither the registry's checks nor resolvers find a broken delegation", strings.Join(t.NS, " "), s.Name)}, g.Plan...)
	}
	fmt.Fprintf(c.Log, "%s: gate delegation (%s): %d checks in %.3f s, %d failing, %d servers not checked from here\n", c.Zone.Origin, s.Name, len(res.Checks), res.Seconds, len(res.Failed()), len(res.NotChecked()))
	return g
}

// foreignRestorePlan is what to do about a recorded delegation naming
// names nothing vouches for (restoreForeign): the delegation gate's plan
// and the rollback's refusal when the parent serves that set.
func (c *Config) foreignRestorePlan() []string {
	foreign := strings.Join(c.restoreForeign, " ")
	return []string{
		fmt.Sprintf("if %s is the old side's (a secondary the config does not list), add it to providers.old.delegation (its address to providers.old.nameservers), then run the step again", foreign),
		fmt.Sprintf("otherwise set the delegation at the registrar by hand to the old side's (%s), then move this zone's audit trail (%s) aside: its record of the delegation before the flip cannot be restored, and no step records a move to another set; the next flip starts a new trail", describeDelegation(c.Zone.Origin, c.Old.Want(c.Zone.Origin, 0)), c.TrailPath),
	}
}

// trailGates are the gates as the audit trail keeps them: a gate's checks
// only when they failed (the report has them all).
func trailGates(gs []Gate) []Gate {
	out := make([]Gate, len(gs))
	for i, g := range gs {
		out[i] = g
		if g.Checks == nil {
			continue
		}
		out[i].Checks = nil
		for _, ch := range g.Checks {
			if !ch.OK {
				out[i].Checks = append(out[i].Checks, ch)
			}
		}
	}
	return out
}

// statusDelegation is status's view of both sides' delegations: the side a
// next step would point to first (its gate says whether that step would
// pass), then the other. While the parent delegates to the new side, the
// old side's gate judges what a rollback would install, the delegation
// recorded before the flip (c.restore), as the rollback's does: a
// recorded name outside the zone that leads elsewhere since (ns-moved)
// is seen before the rollback is needed; after finish no rollback is
// run (the old provider may be gone, its names moved on).
func statusDelegation(ctx context.Context, c *Config, rep *Report, target, other *Side) []Gate {
	var set *registrar.Delegation
	if target == &c.Old && rep.Delegation.PointsTo == "new" && c.restore != nil && rep.Stage != StageFinished {
		set = c.restore
	}
	return []Gate{gateDelegation(ctx, c, target, set, rep.Delegation.DS), gateDelegation(ctx, c, other, nil, rep.Delegation.DS)}
}

// Propagation is status's comparison after a flip or rollback: per parent
// server the NS and glue it serves, the side's own NS at each of its
// servers, and what each resolver answers for the zone's NS and SOA.
type Propagation struct {
	// Target is the side the last step pointed the delegation to.
	Target string    `json:"target"`
	Since  time.Time `json:"since"`
	// ParentNSTTL is the TTL of the delegation the step replaced, and
	// ChildNSTTL the largest apex NS TTL either side serves with
	// authority (the side left with no such answer: what the step
	// recorded for it, else the trail's bound, as the step's watch
	// counts it): when both have passed since the step, and every
	// figure finish's overlap gate counts (settles: the step's watch's
	// old_delegation_expires, the referrals served before and after it,
	// the old side's apex NS naming old servers), SettledAt, no resolver
	// may still answer from the other side (Settled). WaitsFor names
	// each figure still ahead (Wait*: "ns-ttl", "delegation-ttl",
	// "referral-before", "referral-after", "old-apex-ns", after a
	// rollback "new-apex-ns" in its place (the sides swapped: the
	// referrals counted from the new side); after a flip also
	// "policy-overlap", which finish waits for and settled does not),
	// empty once settled and finish's overlap has passed.
	ParentNSTTL uint32          `json:"parent_ns_ttl"`
	ChildNSTTL  uint32          `json:"child_ns_ttl"`
	SettledAt   time.Time       `json:"settled_at"`
	Settled     bool            `json:"settled"`
	WaitsFor    []string        `json:"waits_for"`
	Parent      []ParentRow     `json:"parent"`
	Child       []ChildRow      `json:"child"`
	Resolvers   []PropagationRR `json:"resolvers"`
}

// ParentRow is one parent server's delegation.
type ParentRow struct {
	Server string              `json:"server"`
	NS     []string            `json:"ns"`
	Glue   map[string][]string `json:"glue,omitempty"`
	OK     bool                `json:"ok"`
	Detail string              `json:"detail"`
}

// ChildRow is the apex NS one server of the target side serves.
type ChildRow struct {
	Server string   `json:"server"`
	NS     []string `json:"ns"`
	OK     bool     `json:"ok"`
}

// PropagationRR is what one resolver answers now.
type PropagationRR struct {
	Resolver string   `json:"resolver"`
	NS       []string `json:"ns"`
	NSSide   string   `json:"ns_side"`
	SOA      string   `json:"soa"`
	SOASide  string   `json:"soa_side"`
	// Side is where a fresh name's answer comes from (the watch's test).
	Side   string `json:"side"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// sideByNS names the side whose NS set ns is ("old", "new", "mixed",
// "unknown").
func (c *Config) sideByNS(ns []string, childOld, childNew []string) string {
	j := strings.Join(ns, " ")
	switch {
	case len(ns) == 0:
		return "unknown"
	case j == strings.Join(sortedNames(c.New.Delegation), " ") || j == strings.Join(childNew, " "):
		return "new"
	case j == strings.Join(sortedNames(c.Old.Delegation), " ") || j == strings.Join(childOld, " "):
		return "old"
	}
	return PointsTo(ns, c.Old.Delegation, c.New.Delegation)
}

func sortedNames(xs []string) []string {
	d := registrar.Delegation{NS: append([]string(nil), xs...)}
	d.Normalize()
	return d.NS
}

// DelegationPolicy is the delegation gate's policy from the config
// (policy.registry, policy.delegation), errors naming the key.
func DelegationPolicy(cfg *config.Config) (delegation.Policy, error) {
	p := delegation.Policy{MinNS: cfg.Policy.Delegation.MinNS, Accept: cfg.Policy.Delegation.Accept,
		NoIPv6: cfg.Policy.Delegation.IPv6 != nil && !*cfg.Policy.Delegation.IPv6}
	prof, err := delegation.LookupProfile(cfg.Policy.Registry)
	if err != nil {
		return p, fmt.Errorf("%s: %w", cfg.Path, err)
	}
	p.Registry = prof
	if err := delegation.ValidatePolicy(p); err != nil {
		return p, fmt.Errorf("%s: %w", cfg.Path, err)
	}
	return p, nil
}
