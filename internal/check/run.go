package check

import (
	"fmt"
	"sort"

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
// in the targets' order. Each zone's SPF, DKIM and DMARC records are
// judged too (mailProblems). A zone whose cuts the cutover owns also gets
// a warning for each cut whose delegation in git is not what the child's
// last flip or rollback set (heldCuts; never left out by maxProblems);
// at most maxProblems mail problems are kept too. Run on every zone of a
// config, a zone file beside them that no entry names is a warning
// (unnamedFiles), so is an entry whose name is one typo from its file's
// (nameTypos), and so is a nameserver of old or new given as a name
// with no parity.resolver to look it up (config.Config.ServerNames).
func Run(targets []Target, maxProblems int) Result {
	type checked struct {
		problems []zone.Problem
		tally    zone.Tally
		records  int
		includes []string
		err      error
	}
	results := make([]checked, len(targets))
	zone.LoadEach(len(targets), func(i int) (string, zone.Options) {
		return targets[i].Path, zone.Options{Origin: targets[i].Origin, MaxProblems: maxProblems, Named: targets[i].named}
	}, func(i int, z *zone.Zone, err error) {
		if err != nil {
			results[i].err = err
			return
		}
		// A secret that stands in a record would be shown by where its
		// mask falls: the zone is refused before any of it is shown.
		if c := targets[i].cfg; c != nil {
			if err := c.ShownSecret(z.Texts()); err != nil {
				results[i].err = fmt.Errorf("zone %s: %w", z.Origin, err)
				return
			}
		}
		ps, tl := Zone(z, maxProblems)
		ps, tl, _ = targets[i].cfg.OriginCheckedCount(z, targets[i].name, targets[i].Path, ps, tl)
		if h := targets[i].held; h != nil {
			more := h.problems(targets[i].Path, z)
			ps = append(ps, more...)
			count(&tl, more)
		}
		results[i] = checked{problems: ps, tally: tl, records: z.Records(), includes: z.Includes}
	})
	var res Result
	var included []string
	for _, r := range results {
		if r.err != nil {
			res.Failed = append(res.Failed, r.err)
			continue
		}
		included = append(included, r.includes...)
		res.Records += r.records
		res.Problems = append(res.Problems, r.problems...)
		res.Tally.Add(r.tally)
	}
	if len(targets) > 0 && targets[0].every != nil {
		cfg := targets[0].every
		more := append(append(unnamedFiles(cfg, included), nameTypos(cfg)...), cfg.ServerNames(cfg.Parity.Resolver)...)
		res.Problems = append(res.Problems, more...)
		count(&res.Tally, more)
	}
	return res
}

// Zone is the checks of `dnsparity check` on one loaded zone file: the
// zone's own (zone.CheckCount: syntax, and what BIND checks) and its SPF,
// DKIM and DMARC records (mailProblems), at most maxProblems of each (0:
// all), with their tally. push refuses a zone on the errors of the same
// checks.
func Zone(z *zone.Zone, maxProblems int) ([]zone.Problem, zone.Tally) {
	// The mail records are judged beside the zone checks (both only
	// read z): on a large zone the checks leave a core idle at times.
	mail := make(chan []zone.Problem, 1)
	go func() { mail <- mailProblems(z) }()
	ps, tl := zone.CheckCount(z)
	more, hidden := bound(<-mail, maxProblems)
	count(&tl, more)
	ps, tl = z.Hide(ps, tl, hidden, maxProblems)
	return byLine(append(ps, more...)), tl
}

// byLine orders one file's problems by line (stable: what one line gets
// keeps its order; a line-0 problem, one that counts what was left out,
// stays last), so the zone's own problems and its mail records' are read
// in the file's order, as report.ErrorsFirst expects them to be given.
func byLine(ps []zone.Problem) []zone.Problem {
	key := func(p zone.Problem) int {
		if p.Pos.Line == 0 {
			return int(^uint(0) >> 1)
		}
		return p.Pos.Line
	}
	sort.SliceStable(ps, func(i, j int) bool { return key(ps[i]) < key(ps[j]) })
	return ps
}

// bound keeps at most max (0: all) of the mail problems, errors first,
// then warnings, each in line order, and returns the rest (counted in the
// zone's line of problems not shown: zone.Zone.Hide): the bound
// --max-problems puts on each file's problems.
func bound(ps []zone.Problem, max int) (kept, hidden []zone.Problem) {
	if max <= 0 || len(ps) <= max {
		return ps, nil
	}
	rank := map[zone.Severity]int{zone.Error: 0, zone.Warning: 1}
	sort.SliceStable(ps, func(i, j int) bool {
		if ri, rj := rank[ps[i].Severity], rank[ps[j].Severity]; ri != rj {
			return ri < rj
		}
		return ps[i].Pos.Line < ps[j].Pos.Line
	})
	return ps[:max], ps[max:]
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
