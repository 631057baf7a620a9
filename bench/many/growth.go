package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// growthShards is the matrix the growth phase's merges run over.
const growthShards = 4

// growth runs every command at n and at 4n zones of perZone RRsets, where
// every zone has errors (the new side serves each zone with its A
// records changed: a finding and a planned change per A record), and
// prints each one's wall, CPU, peak RSS and output at both and their
// ratios, from one run: a ratio over ~4.5x at 4n grows faster than the
// zones. The commands: check, plan, push --dry-run, parity (JSON and
// Markdown), parity of each of growthShards shards and their merge, the
// Action's pull_request report (pr) of every zone, its pr of each shard
// and their merge (pr-many.yml), and (cutoverPhase, no delay) status and
// the Action's status of every zone.
func growth(n int, bin string) {
	type fig struct {
		name string
		at   [2]result
	}
	var figs []fig
	idx := map[string]int{}
	for k, m := range []int{n, 4 * n} {
		add := func(name string, r result) {
			i, ok := idx[name]
			if !ok {
				i = len(figs)
				idx[name] = i
				figs = append(figs, fig{name: name})
			}
			figs[i].at[k] = r
		}
		growthAt(m, bin, add)
		steps := cutoverPhase(m, perZone, bin, 1, 0, []string{"status", "action"}, "")
		for _, step := range slices.Sorted(maps.Keys(steps)) { // one order every run
			add(step, steps[step])
		}
	}
	fmt.Printf("\n## growth: each command at %d and %d zones (every zone with errors); ratio 4N/N (over 4.5x: grows faster than the zones)\n\n", n, 4*n)
	fmt.Printf("| command | wall N | wall 4N | wall | CPU | peak RSS N | peak RSS 4N | RSS | output 4N | output | exit |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, f := range figs {
		a, b := f.at[0], f.at[1]
		ratio := func(x, y float64) string { return fmt.Sprintf("%.2fx", y/max(x, 0.01)) }
		flag := func(x, y float64) string {
			if y/max(x, 0.01) > 4.5 {
				return " **over**"
			}
			return ""
		}
		fmt.Printf("| %s | %.2f s | %.2f s | %s%s | %s%s | %.1f MiB | %.1f MiB | %s%s | %d KiB | %s%s | %d, %d |\n", f.name,
			a.wall, b.wall, ratio(a.wall, b.wall), flag(a.wall, b.wall), ratio(a.cpu, b.cpu), flag(a.cpu, b.cpu),
			a.rss, b.rss, ratio(a.rss, b.rss), flag(a.rss, b.rss),
			len(b.out)>>10, ratio(float64(len(a.out)), float64(len(b.out))), flag(float64(len(a.out)), float64(len(b.out))), a.exit, b.exit)
	}
}

// changedA gives the new side's copy of a zone: its body's A records
// (192.0.x.y) moved to 198.51.x.y, each an error finding of parity and a
// change in the new side's plan.
var changedA = regexp.MustCompile(`(?m)( IN A )192\.0\.`)

// growthAt runs the growth phase's commands at n zones with fresh
// servers and gives each run to add.
func growthAt(n int, bin string, add func(string, result)) {
	s := benchrun.New("many-growth", bin)
	defer s.Close()
	var old, new []lab.Zone
	for _, z := range writeZones(s, n) {
		old = append(old, z)
		new = append(new, lab.Zone{Origin: z.Origin, Text: changedA.ReplaceAllString(z.Text, "${1}198.51.")})
	}
	knot := lab.Knot(s, lab.Options{Zones: old})
	bind := lab.BIND(s, lab.Options{Zones: new})
	fmt.Printf("\n## growth at %d zones of %d RRsets, every zone with errors: Knot (old) %s, BIND (new) %s\n\n", n, perZone, knot.Addr, bind.Addr)
	cfg := s.Write("dnsparity.yaml", fmt.Sprintf("zones:\n  - files: zones/*.zone\nproviders:\n  old:\n    type: rfc2136\n    server: %s\n    nameservers: [%s]\n  new:\n    type: rfc2136\n    server: %s\n    nameservers: [%s]\npolicy: {max_change_percent: 100}\n",
		knot.Addr, knot.Addr, bind.Addr, bind.Addr))
	one := func(name string, args ...string) result {
		r := run(s, args...)
		fmt.Printf("%-28s %6.2f s wall, %6.2f s CPU, peak RSS %6.1f MiB, %d KiB out, exit %d\n", name+",", r.wall, r.cpu, r.rss, len(r.out)>>10, r.exit)
		add(name, r)
		return r
	}
	one("check json", "check", "--config", cfg, "--format", "json")
	one("check markdown", "check", "--config", cfg, "--format", "markdown")
	one("plan json", "plan", "--config", cfg, "--format", "json")
	one("plan markdown", "plan", "--config", cfg, "--format", "markdown")
	one("push --dry-run json", "push", "--dry-run", "--config", cfg, "--format", "json")
	one("parity json", "parity", "--config", cfg, "--format", "json")
	one("parity markdown", "parity", "--config", cfg, "--format", "markdown")
	merge := []string{"merge", "--config", cfg, "--format", "json", "--expect", fmt.Sprint(growthShards)}
	for i := 1; i <= growthShards; i++ {
		r := run(s, "parity", "--config", cfg, "--shard", fmt.Sprintf("%d/%d", i, growthShards), "--format", "json")
		merge = append(merge, s.Write(fmt.Sprintf("parity-%d.json", i), string(r.out)))
	}
	one("merge json", merge...)
	merge[4] = "text"
	one("merge text", merge...)
	actionPR(s, add)
}

// actionPR runs the Action's pr of a pull_request event (no token: every
// zone is the pull request's) over every zone, then each shard's pr and
// the merge of their reports, as pr-many.yml's jobs do; the output
// measured is the step summary.
func actionPR(s *benchrun.Bench, add func(string, result)) {
	env := s.Env
	defer func() { s.Env = env }()
	event := s.Write("event.json", `{"pull_request": {"number": 1, "head": {"sha": "abc", "repo": {"full_name": "o/r"}}, "base": {"repo": {"full_name": "o/r"}}}}`)
	summary, output := s.Write("summary.md", ""), s.Write("output", "")
	action := func(name string, vars ...string) {
		s.Env = append(append([]string{}, env...), "GITHUB_WORKSPACE="+s.Dir, "GITHUB_EVENT_NAME=pull_request", "GITHUB_EVENT_PATH="+event,
			"GITHUB_REPOSITORY=o/r", "GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+output, "INPUT_COMMENT=false")
		s.Env = append(s.Env, vars...)
		os.WriteFile(summary, nil, 0o644)
		r := run(s, "action")
		md, _ := os.ReadFile(summary)
		r.out = md
		fmt.Printf("%-28s %6.2f s wall, %6.2f s CPU, peak RSS %6.1f MiB, summary %d KiB, exit %d\n", name+",", r.wall, r.cpu, r.rss, len(md)>>10, r.exit)
		add(name, r)
	}
	action("action pr", "INPUT_COMMAND=pr")
	for i := 1; i <= growthShards; i++ {
		spec := fmt.Sprintf("%d/%d", i, growthShards)
		action("action pr shard "+spec, "INPUT_COMMAND=pr", "INPUT_SHARD="+spec)
		b, err := os.ReadFile(filepath.Join(s.Dir, ".dnsparity", "pr.json"))
		s.Must(err)
		s.Write(fmt.Sprintf("shards/dnsparity-shard-%d-of-%d/pr.json", i, growthShards), string(b))
	}
	action("action merge", "INPUT_COMMAND=merge", "INPUT_REPORTS=shards/*/pr.json", "INPUT_ARGS=--expect "+fmt.Sprint(growthShards))
}
