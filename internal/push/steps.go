package push

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
)

// Step is one provider a zone is pushed to, in the order Steps gives.
type Step struct {
	Provider string
	// IfUp: the provider goes last, and only if it answers. When it is
	// down (provider.Down: unreachable, timed out, an API 5xx) it is not
	// synced, which is a note (NotSynced, a warning), not a failure; any
	// other failure of it counts in the exit code as usual, and none of
	// its failures stops another step or zone.
	IfUp bool
	// Why says why the step is IfUp (cutover.LeftBehind).
	Why string
}

// Steps is the one place that decides which providers a zone is pushed
// to, in which order, and which failures stop the run; push, plan and the
// Action's sync (through Passes) all follow it. provs are the run's
// providers in config order (named with --provider, else the config's);
// named says they were named.
//
//   - Normally every provider in order (old, then new), each failure
//     stopping the run: the pair never differs further than one step.
//   - After an emergency step of the zone (the audit trail's last move of
//     the delegation; cutover.LeftBehind) the side it left behind goes
//     last and IfUp, every other provider first in order, each failure
//     stopping: after `flip --emergency` the new side, then the old one;
//     after `rollback --emergency` the old side, then the new one. The
//     delegation points to the side that goes first; resolvers that
//     cached the delegation before the emergency still ask the side left
//     behind, so it is brought up to date as soon as it answers, and while
//     it is down the other side still gets git.
//   - Providers named (`push --provider old`: a person bringing a side
//     back) are pushed in order, each failure stopping, unless ifUp
//     (`--if-up`, what the Action's sync passes for an IfUp pass) asks for
//     the emergency's order.
func Steps(cfg *config.Config, zoneName string, provs []string, named, ifUp bool) ([]Step, error) {
	steps := make([]Step, 0, len(provs))
	for _, p := range provs {
		steps = append(steps, Step{Provider: p})
	}
	if (!slices.Contains(provs, "old") && !slices.Contains(provs, "new")) || (named && !ifUp) {
		return steps, nil
	}
	side, why, err := cutover.LeftBehind(cfg, zoneName)
	if err != nil || side == "" || !slices.Contains(provs, side) {
		return steps, err
	}
	steps = slices.DeleteFunc(steps, func(s Step) bool { return s.Provider == side })
	return append(steps, Step{Provider: side, IfUp: true, Why: why}), nil
}

// Pass is one push of one provider over some zones: the Action's sync
// pushes provider by provider (every zone to one provider, then to the
// next), so that its report has a part per provider.
type Pass struct {
	Provider string
	// Zones limits the pass (nil: every zone of the run).
	Zones []string
	// IfUp: the pass is the zones' IfUp step (see Step); its push is run
	// with --if-up, and its failure stops no later pass.
	IfUp bool
}

// Args are the push arguments of the pass (the providers and zones).
func (p Pass) Args() []string {
	args := []string{"--provider", p.Provider}
	for _, z := range p.Zones {
		args = append(args, "--zone", z)
	}
	if p.IfUp {
		args = append(args, "--if-up")
	}
	return args
}

// Passes turns every zone's Steps into passes, provider by provider: the
// steps that stop a run first, in provider order, then the IfUp steps.
// Each zone's steps keep their order (old then new normally; new then old
// after its emergency flip; old then new, the new side IfUp, after its
// emergency rollback). Without an emergency there is one pass per
// provider over every zone, as the sync always did.
func Passes(cfg *config.Config, zones, provs []string, named, ifUpOrder bool) ([]Pass, error) {
	stop, ifUp := map[string][]string{}, map[string][]string{}
	for _, z := range zones {
		steps, err := Steps(cfg, z, provs, named, ifUpOrder)
		if err != nil {
			return nil, fmt.Errorf("zone %s: %w", z, err)
		}
		for _, s := range steps {
			if s.IfUp {
				ifUp[s.Provider] = append(ifUp[s.Provider], z)
			} else {
				stop[s.Provider] = append(stop[s.Provider], z)
			}
		}
	}
	var out []Pass
	if len(ifUp) == 0 {
		for _, p := range provs {
			out = append(out, Pass{Provider: p})
		}
		return out, nil
	}
	only := func(zs []string) []string {
		if len(zs) == len(zones) {
			return nil
		}
		return zs
	}
	for _, p := range provs {
		if len(stop[p]) > 0 {
			out = append(out, Pass{Provider: p, Zones: only(stop[p])})
		}
	}
	for _, p := range provs {
		if len(ifUp[p]) > 0 {
			out = append(out, Pass{Provider: p, Zones: only(ifUp[p]), IfUp: true})
		}
	}
	return out, nil
}

// notSynced is the note for an IfUp step whose provider is down (err).
func notSynced(st Step, zoneName string, err error) string {
	why := strings.TrimPrefix(st.Why, "zone "+zoneName+": ")
	return fmt.Sprintf("zone %s: %s provider still down: not synced; will be retried on the next scheduled sync (the %s provider is skipped while it does not answer: %v); %s",
		zoneName, st.Provider, st.Provider, err, why)
}
