package cutover

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// summarize counts rep's findings and keeps the first five of severities
// sev as examples, the zone file's positions in them ("old deviates from
// git (FILE:LINE)") relative to root, as `dnsparity parity` and the other
// gates name them.
func summarize(rep *parity.Report, root string, sev ...string) *ParitySummary {
	s := &ParitySummary{Errors: rep.Count(parity.SevError), Warnings: rep.Count(parity.SevWarning),
		Info: rep.Count(parity.SevInfo), Queries: rep.Queries, Seconds: rep.Seconds}
	rel := func(d string) string { return d }
	if root != "" {
		if abs, err := filepath.Abs(root); err == nil {
			rel = strings.NewReplacer(abs+string(filepath.Separator), "").Replace
		}
	}
	for _, f := range rep.Findings {
		for _, want := range sev {
			if f.Severity == want && len(s.Examples) < 5 {
				s.Examples = append(s.Examples, fmt.Sprintf("%s %s %s: %s", f.Name, f.Type, f.Kind, rel(f.Detail)))
			}
		}
	}
	return s
}

// paritySummary is the parity gates' detail: the findings by severity and
// the queries.
func paritySummary(sum *ParitySummary) string {
	return fmt.Sprintf("%s, %s, %d info findings in %s", plural.N(sum.Errors, "error", "errors"), plural.N(sum.Warnings, "warning", "warnings"), sum.Info, plural.N(sum.Queries, "query", "queries"))
}

// gateParity proves parity between two sets of servers: no error finding.
// A side that does not answer is a refusal, not an error: nothing can be
// proven against it. With ttlAbove over 0 the summary also holds the
// RRsets the servers served above it (parity.Options.TTLAbove: read from
// the answers parity compares, nothing asked twice).
func gateParity(ctx context.Context, c *Config, name string, old, new []string, ttlAbove uint32) (Gate, *ParitySummary) {
	fmt.Fprintf(c.Log, "%s: gate %s: asking old (%s) and new (%s) every question...\n", c.Zone.Origin, name, strings.Join(old, " "), strings.Join(new, " "))
	o := c.Parity
	o.TTLAbove = ttlAbove
	o.Progress = c.Progress // a large zone's answers take seconds
	rep, err := parity.Run(ctx, c.Zone, parity.Targets(old), parity.Targets(new), o)
	if err != nil {
		if ctx.Err() != nil {
			return Gate{Name: name, Detail: "could not run: " + err.Error(), Err: true}, nil
		}
		var na *parity.NotAskedError
		if errors.As(err, &na) {
			// Not a server that is down: this machine cannot ask it.
			return Gate{Name: name, Detail: "parity cannot be proven: " + err.Error(), unproven: true,
				Plan: []string{na.Hint, "run the step again"}}, nil
		}
		return Gate{Name: name, Detail: "parity cannot be proven: " + err.Error(), unproven: true,
			Plan: []string{"bring every server of both providers back (each must answer the zone's SOA)", "run the step again"}}, nil
	}
	sum := summarize(rep, c.Root, parity.SevError)
	sum.above = rep.TTLsAbove
	fmt.Fprintf(c.Log, "%s: parity: %s in %.1f s, %s\n", c.Zone.Origin, plural.N(rep.Queries, "query", "queries"), rep.Seconds, plural.N(sum.Errors, "error", "errors"))
	g := Gate{Name: name, OK: rep.OK(), differs: !rep.OK()}
	g.Detail = paritySummary(sum)
	if !g.OK {
		g.Detail += "; e.g. " + strings.Join(sum.Examples, "; ")
		g.Plan = []string{"run " + zoneCmd(c.Zone.Origin, "parity") + " for every finding", "push the zone from git to the side that deviates (" + providerCmd("push", "old", c.Zone.Origin) + " or " + providerCmd("push", "new", c.Zone.Origin) + ")", "run the step again"}
		if p := c.notServingPlan(rep.Findings); p != nil {
			g.Plan = p
		}
	}
	return g, sum
}

// notServingPlan is the parity gate's plan when its only errors are
// servers that do not serve the zone (findings of kind lame or failure:
// down, or answering without the zone), which no push of git changes
// where the side's provider is its hidden primary (providers.SIDE.server:
// the push goes there); nil otherwise.
func (c *Config) notServingPlan(findings []parity.Finding) []string {
	sides := map[*Side]bool{}
	for _, f := range findings {
		if f.Severity != parity.SevError {
			continue
		}
		if f.Kind != "lame" && f.Kind != "failure" {
			return nil
		}
		// The detail begins with the server, named with its side
		// (parity.Target: "old server ADDR").
		s := &c.New
		if strings.HasPrefix(f.Detail, "old ") {
			s = &c.Old
		}
		if s.Primary == "" {
			return nil
		}
		sides[s] = true
	}
	var primaries []string
	for _, s := range []*Side{&c.Old, &c.New} {
		if sides[s] {
			primaries = append(primaries, fmt.Sprintf("providers.%s.server %s", s.Name, s.Primary))
		}
	}
	if len(primaries) == 0 {
		return nil
	}
	return []string{
		"the servers the findings name do not serve the zone (down, or answering without it), and a push goes to their primary, which does: bring each back, answering the zone with authority; " + transferFromPrimary(strings.Join(primaries, ", ")),
		"run the step again",
	}
}

// fiveNames shows the first five of names, then how many more there are.
func fiveNames(names []string) string {
	return examples(names, 5, func(x string) string { return x })
}

// examples shows the first n of xs, then how many more there are.
func examples[T any](xs []T, n int, show func(T) string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = show(x)
	}
	return strings.Join(plural.FirstN(out, n), "; ")
}

// gateDrift: the new provider holds what git says.
func gateDrift(c *Config, l *listing) Gate {
	g := Gate{Name: GateDrift}
	cur, err := l.new, l.newErr
	if err != nil {
		g.Err = !errors.Is(err, provider.ErrZoneNotFound)
		g.Detail = "cannot list the new provider: " + err.Error()
		return g
	}
	p := c.pushPlan(&c.New, cur, l.newBlocks)
	if len(p.Unsupported) > 0 {
		// An RRset of git at a name (or of a type) the new provider
		// cannot hold is not there, and no push puts it there; one it
		// holds and cannot delete stays. Neither is "exactly git".
		g.Detail = fmt.Sprintf("the new provider cannot hold %d RRsets as git has them (push refuses them): %s", len(p.Unsupported), examples(p.Unsupported, 3, plan.Unsupported.String))
		g.Plan = []string{providerCmd("plan", "new", c.Zone.Origin) + " lists them with the reason", "change those records in git (or at the provider, as the reason says), push", "run the step again"}
		return g
	}
	if len(l.newUnread) > 0 {
		// Records the new provider lists that dnsparity cannot read, or
		// serves as its own kind where git has nothing (servedBeyond),
		// are in no listing git is compared with; git lacks them all the
		// same, and they appear at the flip.
		g.Detail = fmt.Sprintf("the new provider holds %s that git lacks and dnsparity cannot read or compare (records of its own kind that its servers answer, or zones of its own below the zone, which its servers answer for), which would appear at the flip: %s", plural.N(len(l.newUnread), "record", "records"),
			examples(l.newUnread, 3, func(f provider.Feature) string { return fmt.Sprintf("%s %s (%s)", f.Name, f.Type, f.Detail) }))
		g.Plan = []string{"recreate them at the new provider in a form a zone file holds and put that in git, or delete them there", "run the step again"}
		return g
	}
	if p.Empty() {
		g.OK = true
		g.Detail = fmt.Sprintf("the new provider holds exactly the %d RRsets of git", p.Desired)
		return g
	}
	var ex []string
	for i, ch := range p.Changes {
		if i == 3 {
			break
		}
		ex = append(ex, ch.String())
	}
	g.Detail = fmt.Sprintf("the new provider differs from git in %d RRsets (a push would do: %s)", len(p.Changes), strings.Join(ex, ", "))
	g.Plan = []string{providerCmd("plan", "new", c.Zone.Origin) + " to see the drift", providerCmd("push", "new", c.Zone.Origin), "run the step again"}
	return g
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
