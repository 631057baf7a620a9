package push

import (
	"context"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// sideNames are the providers the cutover moves between.
var sideNames = []string{"old", "new"}

// apexTrap says, for a plan of side old or new, where the apex NS that
// side serves after the push would not be its own delegation (issue 16):
// git names another provider's servers, or a name that does not resolve.
// Warnings go into the plan's report; notes are fine states worth knowing.
func apexTrap(ctx context.Context, cfg *config.Config, p *plan.Plan, desired *zone.Zone) (warnings, notes []string) {
	pc := cfg.Providers[p.Provider]
	if pc == nil || (p.Provider != "old" && p.Provider != "new") {
		return nil, nil
	}
	// With manage_apex, push writes git's apex NS, a new zone's too.
	a := delegation.Apex{Zone: p.Zone, Side: p.Provider, Delegation: pc.Delegation, From: delegation.Source{Git: pc.ManageApex}}
	switch {
	case p.NewZone:
		for _, c := range p.WithZone {
			if c.Type == dns.TypeNS && c.New != nil {
				a.After = plan.NSNames(c.New)
			}
		}
		a.From.Created, a.From.At = true, p.WithZoneNote
	case pc.ManageApex:
		a.After = p.ApexNS
		if s := desired.Get(p.Zone, dns.TypeNS); s != nil {
			a.From.At = s.Pos().String()
		}
	default:
		a.After = p.ApexNS
	}
	if s := desired.Get(p.Zone, dns.TypeNS); s != nil {
		a.Git = plan.NSNames(s)
	}
	for _, n := range sideNames {
		if o := cfg.Providers[n]; o != nil && n != p.Provider {
			a.Others = append(a.Others, delegation.Other{Name: n, NS: o.Delegation})
		}
	}
	a.Delegated = delegatedSide(cfg, p.Zone)
	a.Addrs = desired.Addrs
	via := delegation.Via{Timeout: 2 * time.Second}
	for _, r := range append([]string{cfg.Parity.Resolver}, cfg.Cutover.Resolvers...) {
		if a, err := query.ParseAddr(r); err == nil {
			via.Resolvers = append(via.Resolvers, a)
		}
	}
	if len(via.Resolvers) > 0 { // names are never looked up elsewhere
		a.Resolve = func(name string) ([]string, string) { return via.Addrs(ctx, name) }
	}
	return delegation.ApexTrap(a)
}

// delegatedSide is the side the audit trail says the parent delegates to
// ("" when the trail cannot be read).
func delegatedSide(cfg *config.Config, origin string) string {
	tr, err := cutover.ReadTrail(cutover.TrailPathFor(cfg, origin), origin)
	if err != nil {
		return ""
	}
	switch st, _ := tr.Stage(); st {
	case cutover.StageFlipped, cutover.StageFinished:
		return "new"
	}
	return "old"
}
