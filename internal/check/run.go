package check

import (
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Result is what checking the targets found.
type Result struct {
	Problems []zone.Problem // every file's, in the targets' order
	Failed   []error        // files that could not be read, in order
	Records  int
	Tally    zone.Tally
}

// Run checks the targets a few at a time (one zone in memory per core),
// each keeping at most maxProblems problems (0: all); their problems come
// in the targets' order.
func Run(targets []Target, maxProblems int) Result {
	type checked struct {
		problems []zone.Problem
		tally    zone.Tally
		records  int
		err      error
	}
	results := make([]checked, len(targets))
	var trees confine.Trees // each folder's repository (what $INCLUDE may read) resolved once
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, t := range targets {
		g.Go(func() error {
			z, err := zone.Load(t.Path, zone.Options{Origin: t.Origin, MaxProblems: maxProblems, Tree: trees.Of(t.Path)})
			if err != nil {
				results[i].err = err
				return nil
			}
			ps, tl := zone.CheckCount(z)
			results[i] = checked{problems: ps, tally: tl, records: z.Records()}
			return nil
		})
	}
	g.Wait()
	var res Result
	for _, r := range results {
		if r.err != nil {
			res.Failed = append(res.Failed, r.err)
			continue
		}
		res.Records += r.records
		res.Problems = append(res.Problems, r.problems...)
		res.Tally.Errors += r.tally.Errors
		res.Tally.Warnings += r.tally.Warnings
		res.Tally.Hidden += r.tally.Hidden
	}
	return res
}
