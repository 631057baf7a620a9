package check

import "github.com/dnsparity/dnsparity/internal/zone"

// Result is what checking the targets found.
type Result struct {
	Problems []zone.Problem // every file's, in the targets' order
	Failed   []error        // files that could not be read, in order
	Records  int
	Tally    zone.Tally
}

// Run checks the targets a few at a time (one zone in memory per core),
// each keeping at most maxProblems problems (0: all); their problems come
// in the targets' order. Each zone's SPF, DKIM and DMARC records are
// judged too (mailProblems). A zone whose cuts the cutover owns also gets
// a warning for each cut whose delegation in git is not what the child's
// last flip or rollback set (heldCuts). Neither is left out by
// maxProblems.
func Run(targets []Target, maxProblems int) Result {
	type checked struct {
		problems []zone.Problem
		tally    zone.Tally
		records  int
		err      error
	}
	results := make([]checked, len(targets))
	zone.LoadEach(len(targets), func(i int) (string, zone.Options) {
		return targets[i].Path, zone.Options{Origin: targets[i].Origin, MaxProblems: maxProblems}
	}, func(i int, z *zone.Zone, err error) {
		if err != nil {
			results[i].err = err
			return
		}
		// The mail records are judged beside the zone checks (both only
		// read z): on a large zone the checks leave a core idle at times.
		mail := make(chan []zone.Problem, 1)
		go func() { mail <- mailProblems(z) }()
		ps, tl := zone.CheckCount(z)
		more := <-mail
		if h := targets[i].held; h != nil {
			more = append(more, h.problems(targets[i].Path, z)...)
		}
		ps = append(ps, more...)
		count(&tl, more)
		results[i] = checked{problems: ps, tally: tl, records: z.Records()}
	})
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
		res.Tally.Infos += r.tally.Infos
		res.Tally.Hidden += r.tally.Hidden
	}
	return res
}

// count adds ps to t by severity.
func count(t *zone.Tally, ps []zone.Problem) {
	for _, p := range ps {
		switch p.Severity {
		case zone.Error:
			t.Errors++
		case zone.Warning:
			t.Warnings++
		default:
			t.Infos++
		}
	}
}
