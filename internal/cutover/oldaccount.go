package cutover

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// ZoneStage is a zone of the config and the stage its trail says.
type ZoneStage struct {
	Zone  string `json:"zone"`
	Stage string `json:"stage"`
	// Error is why its trail could not be read (Stage "unknown").
	Error string `json:"error,omitempty"`
}

// OldProviderUse is what else still needs the old provider when one
// zone's finish passes (Report.OldProviderInUse): a finish proves that
// its own zone no longer needs the old provider, not that the provider
// (one account for every zone of the config: providers.old) can go.
type OldProviderUse struct {
	// Zones are the config's other zones whose trail does not say
	// finished (not-started, flipped, rolled-back), or cannot be read:
	// closing the old account takes each down, or whatever resolvers
	// still send there.
	Zones []ZoneStage `json:"zones"`
	// Held are the zones the old provider's account lists that the
	// config does not name (every zone: provider.AccountLister; where
	// the provider lists only a page, provider.ZoneLister, those of that
	// page, and Listed is false): closing the account deletes them, and
	// any NS, MX, SRV or CNAME target in git that lies in one goes dark.
	Held []string `json:"held"`
	// Targets are the NS, MX, SRV and CNAME records in git (the zone's
	// and the config's other zones') whose target lies in a zone of Held,
	// each "FILE:LINE NAME TYPE TARGET": they go dark with the account.
	Targets []string `json:"targets"`
	// Listed says whether every zone of the old provider's account was
	// read (provider.AccountLister: every page); when not, ListError
	// says why ("" for a provider that cannot list its zones) and
	// Partial whether a first page was read (provider.ZoneLister: its
	// zones are in Held, the account may hold more).
	Listed    bool   `json:"listed"`
	Partial   bool   `json:"partial,omitempty"`
	ListError string `json:"list_error,omitempty"`
	// partialWhy is why a listing read whole holds only some of the
	// account's zones, as the credentials tell it
	// (provider.ZoneListPartial: a ClouDNS API sub-user): Partial.
	partialWhy string
}

// oldZoneListing is the old provider's account's zones as a step reads
// them (listOldZones): every page where the provider is a
// provider.AccountLister (allPages), else the page a
// provider.ZoneLister gives for a "did you mean" (its zones are held, the
// account may hold more); partialWhy, for a listing read whole, why the
// credentials see only some of the account's zones
// (provider.ZoneListPartial: a ClouDNS API sub-user). can is false for a
// provider that cannot list its zones.
type oldZoneListing struct {
	names         []string
	can, allPages bool
	partialWhy    string
	err           error
}

// whole reports whether the listing holds every zone of the account.
func (l oldZoneListing) whole() bool { return l.can && l.allPages && l.partialWhy == "" }

// listOldZones lists the zones of p, the old side's provider: the one
// reading of its account that finish's old-provider use
// (oldProviderUse) and old-unreferenced's ns-zone and cut-zone checks
// (oldHeldZones) judge.
func listOldZones(ctx context.Context, p provider.Provider) oldZoneListing {
	var out oldZoneListing
	if l, ok := p.(provider.AccountLister); ok {
		out.can, out.allPages = true, true
		out.names, out.err = l.AccountZones(ctx)
		if pl, ok := p.(provider.ZoneListPartial); ok && out.err == nil {
			out.partialWhy = pl.ZoneListPartial()
		}
	} else if l, ok := p.(provider.ZoneLister); ok {
		out.can = true
		out.names, out.err = l.ZoneNames(ctx)
	}
	return out
}

// listsZones reports whether p lists its zones (listOldZones reads them).
func listsZones(p provider.Provider) bool {
	_, page := p.(provider.ZoneLister)
	_, all := p.(provider.AccountLister)
	return page || all
}

// oldProviderUse is what else needs the old provider besides the step's
// zone: the config's other zones (ConfigZones) whose trail, beside the
// step's own (TrailPath's folder, cutover.state_dir), is not finished,
// and the zones the old provider's account holds outside the config
// where it can list them. Every zone of the config has the same old
// provider (providers.old).
func (c *Config) oldProviderUse(ctx context.Context) OldProviderUse {
	u := OldProviderUse{Zones: []ZoneStage{}, Held: []string{}, Targets: []string{}}
	own := zone.CanonicalName(c.Zone.Origin)
	inConfig := map[string]bool{own: true}
	stages := c.Stages // a wave's, shared; else this step's own
	if stages == nil {
		stages = &TrailStages{}
	}
	for _, gz := range c.ConfigZones {
		name := zone.CanonicalName(gz.Origin)
		if inConfig[name] {
			continue
		}
		inConfig[name] = true
		if c.TrailPath == "" {
			// No folder to read its trail from (a Config built without
			// cutover.state_dir: Setup always sets it): its stage is not
			// known, so it counts as needing the old provider. Before,
			// it was skipped, and finish called the old provider safe to
			// decommission while that zone might still be delegated to it.
			u.Zones = append(u.Zones, ZoneStage{Zone: name, Stage: "unknown", Error: "no audit trail folder (cutover.state_dir) to read its stage from"})
			continue
		}
		stage, err := stages.of(TrailPath(filepath.Dir(c.TrailPath), name), name)
		if err != nil {
			u.Zones = append(u.Zones, ZoneStage{Zone: name, Stage: "unknown", Error: err.Error()})
			continue
		}
		if stage != StageFinished {
			u.Zones = append(u.Zones, ZoneStage{Zone: name, Stage: stage})
		}
	}
	ls := listOldZones(ctx, c.Old.Provider)
	names, err := ls.names, ls.err
	if err == nil && ls.can {
		u.Listed, u.Partial, u.partialWhy = ls.whole(), !ls.whole(), ls.partialWhy
	}
	if err != nil {
		u.ListError = err.Error()
		if c.Redact != nil {
			u.ListError = c.Redact(u.ListError)
		}
		return u
	}
	for _, n := range names {
		if n = zone.CanonicalName(n); !inConfig[n] && !slices.Contains(u.Held, n) {
			u.Held = append(u.Held, n)
		}
	}
	slices.Sort(u.Held)
	u.Targets = c.targetsInto(u.Held)
	return u
}

// targetsInto are the NS, MX, SRV and CNAME records of git (the step's
// zone, then the config's other zones, each file as the wave's steps
// share it: GitZones) whose target is at or below one of zones, each
// "FILE:LINE NAME TYPE TARGET" (FILE relative to the repository), in
// zone order. A zone git cannot read is old-unreferenced's to report.
func (c *Config) targetsInto(zones []string) []string {
	out := []string{}
	if len(zones) == 0 {
		return out
	}
	gz := c.GitZones
	if gz == nil {
		gz = &GitZones{}
	}
	idxs, _ := gz.load(c.ConfigZones, zone.CanonicalName(c.Zone.Origin))
	for _, x := range append([]*targetIndex{indexTargets(c.Zone)}, idxs...) {
		if x == nil {
			continue
		}
		var recs []targetRecord
		for t, rs := range x.targets {
			if slices.ContainsFunc(zones, func(z string) bool { return dns.IsSubDomain(z, t) }) {
				recs = append(recs, rs...)
			}
		}
		slices.SortFunc(recs, func(a, b targetRecord) int { return a.ord - b.ord })
		for _, r := range recs {
			pos := r.pos
			if rel, err := filepath.Rel(c.Root, pos.File); c.Root != "" && err == nil && !strings.HasPrefix(rel, "..") {
				pos.File = rel
			}
			out = append(out, fmt.Sprintf("%s %s %s %s", pos, r.set.Name, dns.TypeToString[r.set.Type], r.target))
		}
	}
	return out
}

// advice is what finish says about the old provider after its zone
// passed: the warning when something else still needs it (""
// otherwise), and the action that says whether, and when, the
// provider may go.
func (u OldProviderUse) advice() (warning, action string) {
	var parts []string
	if len(u.Zones) > 0 {
		zs := make([]string, len(u.Zones))
		for i, z := range u.Zones {
			zs[i] = z.Zone + " (" + z.Stage + ")"
			if z.Error != "" {
				zs[i] = z.Zone + " (trail unreadable: " + z.Error + ")"
			}
		}
		parts = append(parts, fmt.Sprintf("other zones of the config are not finished and still need it: %s", strings.Join(zs, ", ")))
	}
	if len(u.Held) > 0 {
		more := ""
		if u.Partial {
			more = " (among " + u.listed() + "; it may hold more)"
		}
		parts = append(parts, fmt.Sprintf("its account also holds zones the config does not name%s, which closing it deletes: %s", more, strings.Join(u.Held, " ")))
	}
	if len(u.Targets) > 0 {
		parts = append(parts, fmt.Sprintf("records in git point into those zones, and go dark with them: %s", strings.Join(u.Targets, "; ")))
	}
	if len(parts) > 0 {
		warning = "do not decommission the old provider yet: " + strings.Join(parts, "; ")
		return warning, "decommission the old provider only when every zone of the config says finished and its account holds no zone still in use: " + strings.Join(parts, "; ")
	}
	switch {
	case u.Listed:
		return "", "every other zone of the config is finished and the old provider's account, read whole (every zone its credentials list: a token or key scoped to some zones lists only those), holds no other zone: the old provider is safe to decommission once you know those credentials see the whole account"
	case u.Partial:
		return "", "every other zone of the config is finished; the old provider's listing holds " + u.listed() + ", with no other zone, and the account was not read whole: decommission the old provider only once its account, read whole, holds no other zone in use"
	case u.ListError != "":
		return "", "every other zone of the config is finished; the old provider's zones could not be listed (" + u.ListError + "), and its account was not read whole: decommission the old provider only once its account holds no other zone in use"
	}
	return "", "every other zone of the config is finished; the old provider cannot list its zones, and its account was not read: decommission the old provider only once its account holds no other zone in use"
}

// listed is what a Partial listing held: the first page of the account's
// zones, or the zones the credentials may see (partialWhy).
func (u OldProviderUse) listed() string {
	if u.partialWhy != "" {
		return "only the zones these credentials see (" + u.partialWhy + ")"
	}
	return "only the first page of its account's zones"
}
