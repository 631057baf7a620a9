package action

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/push"
	"github.com/dnsparity/dnsparity/internal/report"
)

// sync pushes the zone files to both providers, one provider at a time
// (a provider that fails stops the sync before the next is touched, so the
// pair is never half-synced by this run; the next run converges), then
// proves parity. After an emergency step (the audit trail's last move of
// the delegation: cutover.LeftBehind) the zones it concerns go to the
// side the delegation points to first, then to the side it left behind
// if that one answers (push.Passes): the new side after flip --emergency,
// the old side after rollback --emergency; while it is down that is a
// warning and parity is skipped. With --provider in the args input only
// the providers named are pushed, in order.
func (ac *invocation) sync(ctx context.Context) outcome {
	cfgPath, cfg, res, ok := ac.loadConfig(ctx)
	if !ok {
		return res
	}
	// The dry run's plans are the ones pushed: each zone is read and
	// planned once per provider (push.Kept).
	ctx = push.WithKept(ctx, &push.Kept{})
	c := composed{planTitle: planTitle("sync")}
	js := composedJSON{}
	chk := ac.checkZones(ctx, cfgPath, cfg, &c)
	js.Check = &chk
	done := func() outcome {
		js.Plans = c.plans
		return c.report(js)
	}
	named := argValues(ac.r.Input("args"), "provider")
	provs := syncProviders(cfg, named)
	if len(provs) == 0 {
		c.parts = append(c.parts, part{"push", "error", "could not run: the config has no provider old or new (or none the args name)"})
		return done()
	}
	if c.parts[0].Status == "problems" {
		ac.pushAfterZoneErrors(ctx, &c, cfgPath, provs)
		return done()
	}
	if c.parts[0].Status != "ok" {
		c.parts = append(c.parts, part{"push", "skipped", "nothing was pushed: the zone files have errors (see check)"})
		return done()
	}
	// Which provider each zone goes to, in which order, and which
	// failures stop the sync: push.Passes, from the Steps `dnsparity push`
	// follows too. Normally one pass per provider, old then new, every
	// failure stopping. After an emergency step of a zone (the audit
	// trail says so) the side it left behind last, only if it answers
	// (--if-up): still down, it is a warning and the next run tries again;
	// it stops nothing.
	var names []string
	for _, z := range ac.scope(cfg) {
		names = append(names, z.Name)
	}
	passes, err := push.Passes(cfg, names, provs, len(named) > 0, false)
	if err != nil {
		c.parts = append(c.parts, part{"push", "error", "could not run: " + err.Error()})
		return done()
	}
	pushArgs := func(ps ...push.Pass) []string {
		args := []string{"--config", cfgPath, "--format", "json"}
		if len(ps) == 1 {
			return append(args, ps[0].Args()...)
		}
		for _, p := range ps {
			args = append(args, "--provider", p.Provider)
		}
		return args
	}
	for _, ps := range policyChecks(passes) {
		args := append(pushArgs(ps...), "--dry-run")
		if pre := ac.sub(ctx, "push", ac.withZones(args)...); pre.code != cli.ExitOK {
			// Its report is the part: the providers are not read again.
			ac.planPartOf(&c, "push (dry run)", "push", pre)
			c.parts = append(c.parts, part{"push", "skipped", "nothing was pushed: the plans were refused or could not be made"})
			return done()
		}
	}
	parityOff := ""
	for i, ps := range passes {
		d := ac.planPart(ctx, &c, "push "+ps.Provider, "push", pushArgs(ps)...)
		last := &c.parts[len(c.parts)-1]
		if ps.IfUp {
			// The side an emergency step left behind: the side the
			// delegation points to is synced whatever happens here.
			if down := notSynced(d); down > 0 {
				parityOff = fmt.Sprintf("not run: the %s provider is still down after the emergency %s (not synced; the next sync tries again)", ps.Provider, cutover.Leaving(ps.Provider))
				if last.Status == "ok" && down == len(d.Plans) {
					last.Status, last.Detail = "skipped", fmt.Sprintf("%s provider still down: not synced; will be retried on the next scheduled sync (%s)", ps.Provider, plural.N(down, "zone", "zones"))
				} else if last.Status == "ok" {
					last.Detail += fmt.Sprintf("; %s not synced: %s provider still down, will be retried on the next scheduled sync", plural.N(down, "zone", "zones"), ps.Provider)
				}
			}
			if last.Status != "ok" && last.Status != "skipped" {
				parityOff = "not run: the push did not complete"
			}
			continue
		}
		if last.Status != "ok" {
			for _, q := range passes[i+1:] {
				c.parts = append(c.parts, part{"push " + q.Provider, "skipped", fmt.Sprintf("not touched: provider %s failed first (the next run converges)", ps.Provider)})
			}
			c.parts = append(c.parts, part{"parity", "skipped", "not run: the push did not complete"})
			return done()
		}
	}
	for _, p := range []string{"old", "new"} {
		if !slices.Contains(provs, p) && (p == "old" || cfg.Providers[p] != nil) {
			// Parity needs both sides; this one was left out by the args
			// (down, typically: the step back to it requires it to hold
			// git).
			parityOff = fmt.Sprintf("not run: the %s provider was skipped (it is brought back in sync before a %s)", p, cutover.Toward(p))
		}
	}
	if parityOff != "" {
		c.parts = append(c.parts, part{"parity", "skipped", parityOff})
		return done()
	}
	js.Parity = ac.parityPart(ctx, &c, cfgPath)
	return done()
}

// drift reports, per provider, how it differs from git (plan
// --detect-drift) and keeps one labelled tracking issue open while it does.
func (ac *invocation) drift(ctx context.Context) outcome {
	cfgPath, _, res, ok := ac.loadConfig(ctx)
	if !ok {
		return res
	}
	c := composed{planTitle: planTitle("drift")}
	ac.planPart(ctx, &c, "drift", "plan", "--config", cfgPath, "--detect-drift", "--format", "json")
	drifted := c.addDrift()
	if len(c.parts) > 0 && c.parts[0].Status == "problems" {
		c.parts[0].Detail = fmt.Sprintf("%d of %d provider×zone differ from git", drifted, len(c.plans))
	}
	res = c.report(composedJSON{Plans: c.plans})
	st := c.parts[0].Status
	if st == "ok" || st == "problems" {
		res.track = &tracking{label: "dnsparity-drift", title: "DNS drift: a provider differs from git", open: drifted > 0}
	} else if st == "skipped" {
		// Zone errors: drift is unknown; the issue stays as it is.
		res.exit = max(res.exit, cli.ExitProblem)
	}
	if drifted > 0 && res.exit == cli.ExitProblem {
		res.verdict = fmt.Sprintf("❌ drift at %d provider×zone (%s", drifted, strings.TrimPrefix(res.verdict, "❌ problems found ("))
	}
	return res
}

// argValues are the values an args input gives flag name, in order, in
// the forms the commands' flags take: --name V, --name=V, -name V,
// -name=V.
func argValues(args, name string) []string {
	var out []string
	fs := strings.Fields(args)
	for i, f := range fs {
		switch {
		case (f == "--"+name || f == "-"+name) && i+1 < len(fs):
			out = append(out, fs[i+1])
		case strings.HasPrefix(f, "--"+name+"="), strings.HasPrefix(f, "-"+name+"="):
			out = append(out, f[strings.Index(f, "=")+1:])
		}
	}
	return out
}

// addDrift adds a drift row per provider × zone whose plan is not empty
// and returns how many there are.
func (c *composed) addDrift() int {
	drifted := 0
	for _, p := range c.plans {
		if n := p.Count(); n > 0 {
			drifted++
			c.rows = append(c.rows, row{sev: "error", part: "drift", kind: "drift", where: p.Provider + " " + p.Zone,
				what: fmt.Sprintf("provider %s differs from git: %d to create, %d to replace, %d to delete", p.Provider, p.Summary["create"], p.Summary["replace"], p.Summary["delete"]), zone: p.Zone})
		}
	}
	return drifted
}

// notSynced counts the plans of a push report whose provider was still
// down (an IfUp step: the side an emergency step left behind).
func notSynced(d *report.PlanJSON) int {
	n := 0
	if d != nil {
		for _, p := range d.Plans {
			if p.NotSynced != "" {
				n++
			}
		}
	}
	return n
}

// policyChecks are the dry runs sync makes before anything is sent to any
// provider: every plan whose refusal stops the sync is checked by the
// safety policy, in one run when each provider takes every zone, else one
// run per pass. An IfUp pass's plan refuses only itself (its own push
// says so), so it is in none.
func policyChecks(passes []push.Pass) [][]push.Pass {
	var stopping []push.Pass
	whole := true
	for _, ps := range passes {
		if !ps.IfUp {
			stopping = append(stopping, ps)
		}
		whole = whole && !ps.IfUp && ps.Zones == nil
	}
	switch {
	case len(stopping) == 0:
		return nil
	case whole:
		return [][]push.Pass{stopping}
	}
	var checks [][]push.Pass
	for _, ps := range stopping {
		checks = append(checks, []push.Pass{ps})
	}
	return checks
}

// syncProviders are the providers sync pushes, in order: old then new,
// or those the args input names (--provider new while the old one is
// down, --provider old while the new one is).
func syncProviders(cfg *config.Config, named []string) []string {
	var provs []string
	for _, p := range []string{"old", "new"} { // pushed in this order
		if cfg.Providers[p] != nil && (len(named) == 0 || slices.Contains(named, p)) {
			provs = append(provs, p)
		}
	}
	return provs
}

// pushAfterZoneErrors is sync's push part when the zone files have
// errors: those are check's; what else stops the push and needs no
// provider (a secret unset) is push's to say after them, as `dnsparity
// push` does (push.Setup: the zone files, then the variable): a dry run,
// which asks no provider while a zone file has errors.
func (ac *invocation) pushAfterZoneErrors(ctx context.Context, c *composed, cfgPath string, provs []string) {
	args := []string{"--config", cfgPath, "--format", "json", "--dry-run"}
	for _, p := range provs {
		args = append(args, "--provider", p)
	}
	ac.planPart(ctx, c, "push", "push", args...)
	if last := &c.parts[len(c.parts)-1]; last.Status != "error" {
		last.Status, last.Detail = "skipped", "nothing was pushed: the zone files have errors (see check)"
	}
}
