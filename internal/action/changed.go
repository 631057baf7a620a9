package action

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// prScope limits a pull request's run to the zones it changes: those whose
// zone file, or a file one of them $INCLUDEs, the pull request changes
// (GitHub's list of its files). Every zone is taken when the config itself
// changed (its providers, policy or zones), when the list cannot be had
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
	owner, repo := ac.r.Repo()
	if ac.token == "" || owner == "" {
		return all("no github-token to list the pull request's files")
	}
	client, err := ac.r.Client(ac.token)
	if err != nil {
		return all("GitHub API: " + err.Error())
	}
	files, complete, err := client.PullRequestFiles(ctx, owner, repo, pr.Number)
	if err != nil {
		return all("the pull request's files could not be listed (" + err.Error() + ")")
	}
	if !complete {
		return all("the pull request changes 3,000 files or more (GitHub lists no more)")
	}
	changed := map[string]bool{}
	for _, f := range files {
		changed[filepath.ToSlash(f)] = true
	}
	if cf := filepath.ToSlash(ac.r.RelPath(cfgPath)); changed[cf] {
		return all(cf + " changes (its providers, policy or zones)")
	}
	hit := map[string]bool{}
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
	detail := fmt.Sprintf("%d of %s: those whose files the pull request changes", len(ac.zones), plural.N(len(cfg.Zones), "zone", "zones"))
	if includes > 0 {
		detail += fmt.Sprintf(" (%d through a changed $INCLUDE file)", includes)
	}
	detail += fmt.Sprintf("; %d skipped: their files and %s did not change", skipped, filepath.ToSlash(ac.r.RelPath(cfgPath)))
	return part{"zones", "ok", detail}
}

// includers are the zones that read one of files (relative to the
// workspace, as rel makes them) through $INCLUDE: each zone is loaded, a
// few at a time, and the files of its records compared.
func includers(cfg *config.Config, files []string, rel func(string) string) []string {
	want := map[string]bool{}
	for _, f := range files {
		want[f] = true
	}
	hit := make([]bool, len(cfg.Zones))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, zc := range cfg.Zones {
		g.Go(func() error {
			z, err := zone.Load(cfg.ZoneFile(zc), zone.Options{Origin: zc.Name, MaxProblems: 1})
			if err != nil {
				return nil
			}
			seen := map[string]bool{}
			for _, s := range z.Sets {
				for _, r := range s.Records {
					if f := r.Pos.File; !seen[f] {
						seen[f] = true
						if want[filepath.ToSlash(rel(f))] {
							hit[i] = true
							return nil
						}
					}
				}
			}
			return nil
		})
	}
	g.Wait()
	var out []string
	for i, h := range hit {
		if h {
			out = append(out, cfg.Zones[i].Name)
		}
	}
	sort.Strings(out)
	return out
}
