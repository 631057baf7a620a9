package cutover

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// Finish ends the migration after the overlap, when old and new still
// agree.
func Finish(ctx context.Context, c *Config) *Report {
	defer c.release()
	ctx = c.watchDates(ctx)
	rep, tr, ok := begin(ctx, c, "finish", agreedView)
	if !ok {
		return rep
	}
	if rep.Stage == StageFinished {
		rep.Result = ResultNothing
		rep.Actions = append(rep.Actions, "already finished")
		return rep
	}
	parent := gateParentServers(ctx, c, rep, nil, nil)
	c.finishPending(ctx, tr, rep, &parent)
	pg, sum := finishParity(ctx, c)
	rep.Parity = sum
	// Parity may run for minutes: the old side's apex NS, asked as the
	// step began, is asked again after it. old-unreferenced judges the
	// second answer, the overlap gate both (mergeOldNS: a set naming an
	// old server at either ask holds finish; a TTL a cache in front of
	// the server counts down refuses nothing), and the trail records
	// both.
	c.newObservation()
	c.oldNS = mergeOldNS(c.oldNS, observeOldNS(ctx, c))
	// The one count of when finish may run (finishWhen): status's and
	// the flip's next finish name the same time. One instant, read once
	// after the second observation: the gate's refusal and the time to
	// run again are judged at it (two readings could refuse at the first
	// and find the time past at the second, naming none).
	now := c.Now()
	g, at := c.gateOverlap(ctx, tr, c.oldNS, rep.Delegation.NSTTL, now)
	if g.OK && rep.Delegation.PointsTo != "new" {
		g.OK = false
		g.Detail += fmt.Sprintf("; but the parent delegates to %s (NS %s), not to the new side", rep.Delegation.PointsTo, strings.Join(rep.Delegation.NS, " "))
	}
	rep.stepAgainAt("finish", at, now, "")
	rep.Gates = append(rep.Gates, g, parent, pg, gateOldUnreferenced(ctx, c, tr, rep, at))
	if !verdict(rep) {
		c.record(ctx, tr, rep, c.entry("finish", rep))
		return rep
	}
	// The zone no longer needs the old provider; the provider (one
	// account for every zone of the config) may still serve others.
	// Listed before the clock is judged: the listing's HTTPS answers
	// count too, so a host first asked there cannot refuse the record
	// after the report says finished.
	use := c.oldProviderUse(ctx)
	if err := c.clockStops(rep); err != nil {
		return clockRefused(rep, err, "the migration is not finished")
	}
	rep.Result = ResultDone
	rep.Stage = StageFinished
	finished := c.Now()
	rep.StageSince, rep.Next = &finished, []Next{} // nothing comes next
	rep.OldProviderInUse = &use
	warn, act := use.advice()
	if warn != "" {
		rep.Warnings = append(rep.Warnings, warn)
	}
	rep.Actions = append(rep.Actions,
		"the migration of "+c.Zone.Origin+" is finished: the zone no longer needs the old provider (no parent server, no apex NS and no target in git names it, and the overlap has passed)",
		act,
		"restore normal TTLs (3,600-86,400 s): revert the commit that capped them with `dnsparity ttl --cap` (git log -- ZONEFILE; git revert COMMIT), then push",
		"remove providers.old from dnsparity.yaml once it is gone")
	if names, _ := c.oldOnly(ctx); len(names) > 0 {
		if _, read := c.Registrar.(registrar.OtherNSReader); !read {
			rep.Actions = append(rep.Actions, fmt.Sprintf("before decommissioning, make sure no other zone is delegated to %s (at its registrar): finish cannot read the parent zone's other delegations, so it did not check", strings.Join(slices.Sorted(maps.Keys(names)), " ")))
		}
	}
	if c.record(ctx, tr, rep, c.entry("finish", rep)) {
		rep.Changed++ // the migration is marked finished
	}
	return rep
}

// finishParity is finish's parity gate: the old side's servers
// (oldServers: those the delegation recorded before the flip sends
// resolvers to as well, each this machine can ask) against the new
// side's. Configured old servers that are all the new side's would have
// parity compare the new side with itself: the gate fails, saying so.
func finishParity(ctx context.Context, c *Config) (Gate, *ParitySummary) {
	oldServers, recorded, notAsked := c.oldServersAsked(ctx, false)
	pg, sum := gateParity(ctx, c, GateParity, oldServers, c.New.Servers, 0)
	if len(recorded) > 0 {
		pg.Detail += "; old servers asked as the delegation recorded before the flip names them (providers.old.nameservers does not list them): " + strings.Join(recorded, " ")
	}
	if len(notAsked) > 0 {
		pg.Detail += "; servers of the recorded delegation not asked from here: " + strings.Join(notAsked, "; ")
	}
	if sameServers(c.Old.Servers, c.New.Servers) {
		pg.OK = false
		pg.Detail += fmt.Sprintf("; but providers.old.nameservers (%s) are the new side's servers: parity compared the new side with itself, and nothing here was asked of the old provider's servers", strings.Join(c.Old.Servers, " "))
		pg.Plan = []string{"set providers.old.nameservers to the old provider's servers (those the delegation before the flip named), then run " + zoneCmd(c.Zone.Origin, "finish") + " again"}
	}
	return pg, sum
}

// sameServers reports whether every server of old (at least one) is one
// of new's (IP and port: one server, one copy of the zone).
func sameServers(old, new []string) bool {
	canon := func(s string) string {
		if a, err := query.ParseAddr(s); err == nil {
			return a
		}
		return s
	}
	have := map[string]bool{}
	for _, s := range new {
		have[canon(s)] = true
	}
	for _, s := range old {
		if !have[canon(s)] {
			return false
		}
	}
	return len(old) > 0
}
