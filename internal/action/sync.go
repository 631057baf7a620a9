package action

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/cutover"
)

// sync pushes the zone files to both providers, one provider at a time
// (a provider that fails stops the sync before the next is touched, so the
// pair is never half-synced by this run; the next run converges), then
// proves parity. After an emergency flip (the audit trail says so) the old
// provider is skipped for the zones it concerns, and so is parity; with
// --provider in the args input only the providers named are pushed.

func (ac *invocation) sync(ctx context.Context) outcome {
	cfgPath, cfg, res, ok := ac.loadConfig()
	if !ok {
		return res
	}
	c := composed{planTitle: planTitle("sync")}
	js := composedJSON{}
	chk := ac.checkZones(ctx, cfgPath, cfg, &c)
	js.Check = &chk
	done := func() outcome {
		res := c.result()
		js.Parts, js.Plans, js.Exit = c.parts, c.plans, res.exit
		res.json, _ = json.MarshalIndent(js, "", "  ")
		return res
	}
	// The providers: old then new (or those the args input names, e.g.
	// --provider new while the old one is down).
	var provs []string
	named := argValues(ac.r.Input("args"), "provider")
	for _, p := range []string{"old", "new"} { // pushed in this order
		if cfg.Providers[p] != nil && (len(named) == 0 || slices.Contains(named, p)) {
			provs = append(provs, p)
		}
	}
	if len(provs) == 0 {
		c.parts = append(c.parts, part{"push", "error", "could not run: the config has no provider old or new (or none the args name)"})
		return done()
	}
	if c.parts[0].Status != "ok" {
		c.parts = append(c.parts, part{"push", "skipped", "nothing was pushed: the zone files have errors (see check)"})
		return done()
	}
	// After an emergency flip (the audit trail says so) the old provider
	// was down: the zones it served alone go to the new side only, and it
	// is brought back in sync by hand before a rollback (whose gates
	// require it). zones[p] limits a provider to some zones (nil: all).
	zones := map[string][]string{}
	if slices.Contains(provs, "old") && len(named) == 0 {
		var whys, keep []string
		for _, z := range ac.scope(cfg) {
			why, err := cutover.OldSkipped(cfg, z.Name)
			if err != nil {
				c.parts = append(c.parts, part{"push", "error", "could not run: " + err.Error()})
				return done()
			}
			if why != "" {
				whys = append(whys, why)
			} else {
				keep = append(keep, z.Name)
			}
		}
		if len(whys) > 0 {
			c.parts = append(c.parts, part{"push old", "skipped", strings.Join(whys, "; ")})
			if len(keep) == 0 {
				provs = slices.DeleteFunc(provs, func(p string) bool { return p == "old" })
			} else {
				zones["old"] = keep
			}
		}
	}
	pushArgs := func(ps ...string) []string {
		args := []string{"--config", cfgPath, "--format", "json"}
		for _, p := range ps {
			args = append(args, "--provider", p)
		}
		if len(ps) == 1 {
			for _, z := range zones[ps[0]] {
				args = append(args, "--zone", z)
			}
		}
		return args
	}
	// Every provider's plan is checked by the safety policy before
	// anything is sent to any of them (per provider when they push
	// different zones).
	checks := [][]string{provs}
	if len(zones) > 0 {
		checks = nil
		for _, p := range provs {
			checks = append(checks, []string{p})
		}
	}
	for _, ps := range checks {
		args := append(pushArgs(ps...), "--dry-run")
		if pre := ac.sub(ctx, "push", ac.withZones(args)...); pre.code != cli.ExitOK {
			ac.planPart(ctx, &c, "push (dry run)", "push", args...)
			c.parts = append(c.parts, part{"push", "skipped", "nothing was pushed: the plans were refused or could not be made"})
			return done()
		}
	}
	for i, p := range provs {
		ac.planPart(ctx, &c, "push "+p, "push", pushArgs(p)...)
		if last := c.parts[len(c.parts)-1]; last.Status != "ok" {
			for _, q := range provs[i+1:] {
				c.parts = append(c.parts, part{"push " + q, "skipped", fmt.Sprintf("not touched: provider %s failed first (the next run converges)", p)})
			}
			c.parts = append(c.parts, part{"parity", "skipped", "not run: the push did not complete"})
			return done()
		}
	}
	if !slices.Contains(provs, "old") || len(zones) > 0 {
		// Parity needs both sides; the old one is not in sync by design.
		c.parts = append(c.parts, part{"parity", "skipped", "not run: the old provider was skipped (it is brought back in sync before a rollback)"})
		return done()
	}
	js.Parity = ac.parityPart(ctx, &c, cfgPath)
	return done()
}

// drift reports, per provider, how it differs from git (plan
// --detect-drift) and keeps one labelled tracking issue open while it does.
func (ac *invocation) drift(ctx context.Context) outcome {
	cfgPath, _, res, ok := ac.loadConfig()
	if !ok {
		return res
	}
	c := composed{planTitle: planTitle("drift")}
	ac.planPart(ctx, &c, "drift", "plan", "--config", cfgPath, "--detect-drift", "--format", "json")
	drifted := c.addDrift()
	if len(c.parts) > 0 && c.parts[0].Status == "problems" {
		c.parts[0].Detail = fmt.Sprintf("%d of %d provider×zone differ from git", drifted, len(c.plans))
	}
	res = c.result()
	js := composedJSON{Parts: c.parts, Plans: c.plans, Exit: res.exit}
	res.json, _ = json.MarshalIndent(js, "", "  ")
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
