package action

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// prScope limits a pull request's run to the zones it changes: those whose
// zone file, or a file one of them $INCLUDEs, the pull request changes
// (GitHub's list of its files), and those whose entries in the config it
// changes (configScope). Every zone is taken when the config's settings
// besides zones changed, when the list cannot be had
// (no token, an error) or is cut at GitHub's 3,000 files, and outside a
// pull request. The part it returns says which, and how many zones were
// skipped and why.
func (ac *invocation) prScope(ctx context.Context, cfgPath string, cfg *config.Config) part {
	all := func(why string) part {
		ac.zones = nil
		return part{"zones", "ok", fmt.Sprintf("all %s: %s", plural.N(len(cfg.Zones), "zone", "zones"), why)}
	}
	pr, ok := ac.r.PullRequest()
	if !ok {
		return all("not a pull request")
	}
	changed, why := ac.changedFiles(ctx, pr)
	if changed == nil {
		return all(why)
	}
	hit := map[string]bool{}
	entries := 0
	if cf := filepath.ToSlash(ac.r.RelPath(cfgPath)); changed[cf] {
		zs, why := ac.configScope(ctx, cfgPath, cfg, pr)
		if zs == nil {
			return all(cf + " changes: " + why)
		}
		for z := range zs {
			hit[z] = true
		}
		entries = len(zs)
	}
	byFile := map[string][]string{}
	for _, z := range cfg.Zones {
		f := filepath.ToSlash(ac.r.RelPath(cfg.ZoneFile(z)))
		byFile[f] = append(byFile[f], z.Name)
	}
	var others []string
	for f := range changed {
		if zs, ok := byFile[f]; ok {
			for _, z := range zs {
				hit[z] = true
			}
			continue
		}
		if strings.HasPrefix(f, ".github/") || strings.HasSuffix(strings.ToLower(f), ".md") {
			continue // never a zone's $INCLUDE
		}
		others = append(others, f)
	}
	includes := 0
	if len(others) > 0 {
		// A changed file that is no zone file may be $INCLUDEd by some.
		for _, z := range includers(cfg, others, ac.r.RelPath) {
			if !hit[z] {
				hit[z] = true
				includes++
			}
		}
	}
	ac.zones = []string{}
	for _, z := range cfg.Zones {
		if hit[z.Name] {
			ac.zones = append(ac.zones, z.Name)
		}
	}
	skipped := len(cfg.Zones) - len(ac.zones)
	cf := filepath.ToSlash(ac.r.RelPath(cfgPath))
	detail := fmt.Sprintf("%d of %s: those whose files the pull request changes", len(ac.zones), plural.N(len(cfg.Zones), "zone", "zones"))
	var how []string
	if includes > 0 {
		how = append(how, fmt.Sprintf("%d through a changed $INCLUDE file", includes))
	}
	if entries > 0 {
		how = append(how, fmt.Sprintf("%s in %s", plural.N(entries, "through a changed entry", "through changed entries"), cf))
	}
	if len(how) > 0 {
		detail += " (" + strings.Join(how, ", ") + ")"
	}
	detail += fmt.Sprintf("; %d skipped: their files and their entries in %s did not change", skipped, cf)
	return part{"zones", "ok", detail}
}

// changedFiles are the paths (slash-separated, from the workspace) the
// pull request changes, from GitHub's list of its files, once per run;
// nil, and why, when there is no complete list (no token, an error, 3,000
// files or more).
func (ac *invocation) changedFiles(ctx context.Context, pr github.PullRequest) (map[string]bool, string) {
	if ac.changed == nil {
		ac.changed = &changedList{}
		ac.changed.files, ac.changed.why = ac.listChanged(ctx, pr)
	}
	return ac.changed.files, ac.changed.why
}

// changedList is changedFiles' answer.
type changedList struct {
	files map[string]bool
	why   string
}

func (ac *invocation) listChanged(ctx context.Context, pr github.PullRequest) (map[string]bool, string) {
	owner, repo := ac.r.Repo()
	if ac.token == "" || owner == "" {
		return nil, "no github-token to list the pull request's files"
	}
	client, err := ac.r.Client(ac.token)
	if err != nil {
		return nil, "GitHub API: " + err.Error()
	}
	files, complete, err := client.PullRequestFiles(ctx, owner, repo, pr.Number)
	if err != nil {
		return nil, "the pull request's files could not be listed (" + err.Error() + ")"
	}
	if !complete {
		return nil, "the pull request changes 3,000 files or more (GitHub lists no more)"
	}
	changed := map[string]bool{}
	for _, f := range files {
		changed[filepath.ToSlash(f)] = true
	}
	return changed, ""
}

// configScope is what a pull request's change to the config (at cfgPath,
// loaded as cfg) takes: every zone (nil, and why) when a setting besides
// zones changed (providers, registrar, policy, parity, cutover) or the
// base branch's config cannot be compared with it; else the zones whose
// entries changed (diffConfig), none for a change that leaves every
// entry as it was.
func (ac *invocation) configScope(ctx context.Context, cfgPath string, cfg *config.Config, pr github.PullRequest) (map[string]bool, string) {
	if ac.ws == "" || (pr.BaseSHA == "" && pr.BaseRef == "") {
		return nil, "the base branch's config is not known to compare it with"
	}
	ch := ac.configChange(ctx, cfgPath, pr)
	switch ch.failed {
	case atFind:
		return nil, "the base branch's config could not be found (" + ch.err.Error() + ")"
	case atBase:
		if errors.Is(ch.err, github.ErrNoFile) {
			return nil, "the base branch has none"
		}
		return nil, "the base branch's could not be read to compare it with (" + ch.err.Error() + ")"
	case atHead:
		return nil, ch.err.Error()
	case atDiff:
		return nil, "the base branch's could not be compared with it (" + ch.err.Error() + ")"
	}
	if ch.diff.settings {
		return nil, "its settings besides zones changed (providers, registrar, policy, parity or cutover)"
	}
	zones, err := changedZones(ch.base, cfg)
	if err != nil {
		return nil, "the base branch's could not be compared with it (" + err.Error() + ")"
	}
	return zones, ""
}

// includers are the zones that read one of files (relative to the
// workspace, as rel makes them) through $INCLUDE: each zone is loaded, a
// few at a time, and the files its $INCLUDEs read or would read
// (zone.Zone.Includes) compared, so that a change that breaks or deletes
// an included file takes the zone too.
func includers(cfg *config.Config, files []string, rel func(string) string) []string {
	want := map[string]bool{}
	for _, f := range files {
		want[f] = true
	}
	hit := make([]bool, len(cfg.Zones))
	cfg.LoadEach(func(i int, z *zone.Zone, err error) {
		if err != nil {
			return
		}
		// The files its $INCLUDEs read or would read: one the change
		// broke or deleted counts, though no record of it was loaded.
		for _, f := range z.Includes {
			if want[filepath.ToSlash(rel(f))] {
				hit[i] = true
				return
			}
		}
	})
	var out []string
	for i, h := range hit {
		if h {
			out = append(out, cfg.Zones[i].Name)
		}
	}
	sort.Strings(out)
	return out
}
