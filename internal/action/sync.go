package action

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// syncReportJSON is the JSON report of `command: sync` and `command: drift`.
type syncReportJSON struct {
	Parts  []part      `json:"parts"`
	Check  *checkDoc   `json:"check,omitempty"`
	Plans  []planDoc   `json:"plans,omitempty"`
	Parity []parityDoc `json:"parity,omitempty"`
	Exit   int         `json:"exit"`
}

// sync pushes the zone files to both providers, one provider at a time
// (a provider that fails stops the sync before the next is touched, so the
// pair is never half-synced by this run; the next run converges), then
// proves parity.
func (ac *invocation) sync(ctx context.Context) outcome {
	cfgPath, cfg, res, ok := ac.loadConfig()
	if !ok {
		return res
	}
	c := composed{planTitle: "Pushed"}
	js := syncReportJSON{}
	chk := ac.checkZones(ctx, cfg, &c)
	js.Check = &chk
	done := func() outcome {
		res := c.result()
		js.Parts, js.Plans, js.Exit = c.parts, c.plans, res.exit
		res.json, _ = json.MarshalIndent(js, "", "  ")
		return res
	}
	var provs []string
	for _, p := range []string{"old", "new"} { // pushed in this order
		if cfg.Providers[p] != nil {
			provs = append(provs, p)
		}
	}
	if len(provs) == 0 {
		c.parts = append(c.parts, part{"push", "error", "could not run: the config has no provider old or new"})
		return done()
	}
	if c.parts[0].Status != "ok" {
		c.parts = append(c.parts, part{"push", "skipped", "nothing was pushed: the zone files have errors (see check)"})
		return done()
	}
	// Every provider's plan is checked by the safety policy before
	// anything is sent to any of them.
	args := []string{"--config", cfgPath, "--format", "json"}
	for _, p := range provs {
		args = append(args, "--provider", p)
	}
	pre := ac.sub(ctx, "push", append(args, "--dry-run")...)
	if pre.code != exitOK {
		ac.planPart(ctx, &c, "push (dry run)", "push", append(args, "--dry-run")...)
		c.parts = append(c.parts, part{"push", "skipped", "nothing was pushed: the plans were refused or could not be made"})
		return done()
	}
	for i, p := range provs {
		ac.planPart(ctx, &c, "push "+p, "push", "--config", cfgPath, "--format", "json", "--provider", p)
		if last := c.parts[len(c.parts)-1]; last.Status != "ok" {
			for _, q := range provs[i+1:] {
				c.parts = append(c.parts, part{"push " + q, "skipped", fmt.Sprintf("not touched: provider %s failed first (the next run converges)", p)})
			}
			c.parts = append(c.parts, part{"parity", "skipped", "not run: the push did not complete"})
			return done()
		}
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
	c := composed{planTitle: "Drift: what a push would change to bring each provider back to git"}
	ac.planPart(ctx, &c, "drift", "plan", "--config", cfgPath, "--detect-drift", "--format", "json")
	drifted := 0
	for _, p := range c.plans {
		if n := p.count(); n > 0 {
			drifted++
			c.rows = append(c.rows, row{"error", "drift", "drift", p.Provider + " " + p.Zone,
				fmt.Sprintf("provider %s differs from git: %d to create, %d to replace, %d to delete", p.Provider, p.Summary["create"], p.Summary["replace"], p.Summary["delete"])})
		}
	}
	if len(c.parts) > 0 && c.parts[0].Status == "problems" {
		c.parts[0].Detail = fmt.Sprintf("%d of %d provider×zone differ from git", drifted, len(c.plans))
	}
	res = c.result()
	js := syncReportJSON{Parts: c.parts, Plans: c.plans, Exit: res.exit}
	res.json, _ = json.MarshalIndent(js, "", "  ")
	st := c.parts[0].Status
	if st == "ok" || st == "problems" {
		res.track = &tracking{label: "dnsparity-drift", title: "DNS drift: a provider differs from git", open: drifted > 0}
	} else if st == "skipped" {
		// Zone errors: drift is unknown; the issue stays as it is.
		res.exit = max(res.exit, exitProblem)
	}
	if drifted > 0 && res.exit == exitProblem {
		res.verdict = fmt.Sprintf("❌ drift at %d provider×zone (%s", drifted, strings.TrimPrefix(res.verdict, "❌ problems found ("))
	}
	return res
}
