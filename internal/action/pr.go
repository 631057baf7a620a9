package action

import (
	"context"
	"encoding/json"

	"github.com/dnsparity/dnsparity/internal/config"
)

// prReportJSON is the JSON report of `command: pr`.
type prReportJSON struct {
	Parts  []part      `json:"parts"`
	Check  *checkDoc   `json:"check,omitempty"`
	Plan   *plansDoc   `json:"plan,omitempty"`
	Parity []parityDoc `json:"parity,omitempty"`
	Exit   int         `json:"exit"`
}

// pr checks the zone files, plans both providers (not on forks) and proves
// parity of what the providers serve against the pull request's files.
func (ac *invocation) pr(ctx context.Context) outcome {
	cfgPath, cfg, res, ok := ac.loadConfig()
	if !ok {
		return res
	}
	var c composed
	c.planTitle = "Plan (what a push after merge would change; nothing was pushed)"
	js := prReportJSON{}

	chk := ac.checkZones(ctx, cfg, &c)
	js.Check = &chk

	pr, _ := ac.r.PullRequest()
	if c.parts[0].Status != "ok" {
		why := "not run: the zone files have errors (see check)"
		if c.parts[0].Status == "error" {
			why = "not run: the check could not run"
		}
		c.parts = append(c.parts, part{"plan", "skipped", why}, part{"parity", "skipped", why})
	} else if pr.Fork {
		c.parts = append(c.parts, part{"plan", "skipped", "skipped: a pull request from a fork gets no secrets and a read-only token (the plan runs after merge, or from a branch of this repository)"})
	} else {
		js.Plan = ac.planPart(ctx, &c, "plan", "plan", "--config", cfgPath, "--format", "json")
	}
	if c.parts[0].Status == "ok" {
		var extra []string
		if pr.Fork {
			// No secrets on a fork: parity asks the public nameservers only,
			// without the config's signed zone transfers.
			extra = append(extra, "--axfr=false")
		}
		js.Parity = ac.parityPart(ctx, &c, cfgPath, extra...)
	}

	res = c.result()
	res.checkRun = true
	js.Parts, js.Exit = c.parts, res.exit
	res.json, _ = json.MarshalIndent(js, "", "  ")
	return res
}

// loadConfig loads the config for the composed commands.
func (ac *invocation) loadConfig() (string, *config.Config, outcome, bool) {
	p := ac.configPath()
	if p == "" {
		return "", nil, errorResult("no " + config.FileName + " (config input) in the workspace"), false
	}
	cfg, err := config.Load(p)
	if err != nil {
		return "", nil, errorResult(err.Error()), false
	}
	return p, cfg, outcome{}, true
}
