package parity

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
	"golang.org/x/time/rate"
)

// Run asks every question about z of every old and new server and compares
// the answers. The error is for runs that could not be done (a server that
// does not answer at all, bad targets, a resolver that is not an address);
// differences are findings. When ctx ends while the questions are asked
// (Ctrl-C), Run compares the questions every server answered and returns
// that partial report (Partial, Compared, Error set) with the error.
func Run(ctx context.Context, z *zone.Zone, old, new []Target, opts Options) (*Report, error) {
	start := time.Now() // Seconds is the wall time of the whole run
	opts.defaults()
	if z == nil || z.Get(z.Origin, dns.TypeSOA) == nil {
		return nil, errors.New("parity: the zone has no SOA at its origin")
	}
	if opts.Resolver != "" {
		addr, err := query.ParseAddr(opts.Resolver)
		if err != nil {
			return nil, fmt.Errorf("parity: resolver: %w", err)
		}
		opts.Resolver = addr
	}
	olds, err := resolveTargets(ctx, "old", old, opts.Resolver, opts.Timeout)
	if err != nil {
		return nil, err
	}
	news, err := resolveTargets(ctx, "new", new, opts.Resolver, opts.Timeout)
	if err != nil {
		return nil, err
	}
	r := &runner{
		z: z, v: newView(z), opts: opts,
		servers: append(append([]*query.Server{}, olds...), news...),
		nOld:    len(olds),
	}
	r.cmp = &comparer{v: r.v}
	switch {
	case opts.Engine != nil:
		r.limiter = opts.Engine.limiter
	case opts.Rate > 0:
		r.limiter = newLimiter(opts.Rate)
	}
	for _, s := range r.servers {
		c := &query.Client{Server: s, Timeout: opts.Timeout, Retries: opts.Retries, Limiter: r.limiter, Queries: &r.queries, Batch: true}
		if opts.Engine != nil {
			c.Pool = opts.Engine.pool(s.Addr)
		}
		r.ex = append(r.ex, c)
	}
	if err := r.probe(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("parity: %w", ctx.Err())
		}
		return nil, err
	}
	label := opts.Label
	if label == "" {
		label = randomLabel()
	}
	r.qs = r.v.questions(label)
	var pre []Finding
	if opts.AXFR {
		r.qs, pre = r.axfrQuestions(ctx, r.qs)
	}
	for _, q := range r.qs {
		if _, err := query.PackQuery(q.Name, q.Type); err != nil {
			return nil, err
		}
	}

	r.res = make([][]*query.Answer, len(r.servers))
	var wg sync.WaitGroup
	for i, e := range r.ex {
		r.res[i] = make([]*query.Answer, len(r.qs))
		e.Keep = r.keep
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.AskAll(ctx, len(r.qs), r.question, r.res[i], opts.Concurrency)
		}()
	}
	stop := r.reportProgress(start)
	wg.Wait()
	stop()
	var partial error
	total := len(r.qs)
	if r.anyCanceled() {
		// The rate limiter gives up on a wait that would pass ctx's
		// deadline: the deadline is near, and the run is interrupted.
		<-ctx.Done()
	}
	if err := ctx.Err(); err != nil {
		partial = fmt.Errorf("parity: interrupted (%w)", err)
		if r.keepAnswered() == 0 {
			return nil, partial
		}
	}
	for i, s := range r.servers {
		if none(r.res[i]) {
			return nil, fmt.Errorf("%s did not answer any question (%d tries each, timeout %s)", s, opts.Retries+1, opts.Timeout)
		}
	}
	findings := append(pre, r.compareAll()...)
	lateStop := false
	if partial == nil {
		late := append(r.mail(ctx), r.dnssec(ctx)...)
		if err := ctx.Err(); err != nil {
			// Interrupted during the mail and DNSSEC checks: their
			// findings rest on lookups that were cut short.
			partial, lateStop = fmt.Errorf("parity: interrupted (%w)", err), true
		} else {
			findings = append(findings, late...)
		}
	}
	seconds := time.Since(start).Seconds()
	SortFindings(findings)
	rep := &Report{
		Zone:     z.Origin,
		File:     z.File,
		Findings: findings,
		Queries:  int(r.queries.Load()),
		Seconds:  seconds,
	}
	switch {
	case lateStop:
		rep.Partial, rep.Compared = true, len(r.qs)
		rep.Error = fmt.Sprintf("interrupted during the mail and DNSSEC checks: all %d questions compared; SPF, DKIM, DMARC and DNSSEC not checked", len(r.qs))
	case partial != nil:
		rep.Partial, rep.Compared = true, len(r.qs)
		rep.Error = fmt.Sprintf("interrupted: %d of %d questions compared (those every server answered); the mail and DNSSEC checks did not run", len(r.qs), total)
	}
	if rep.Findings == nil {
		rep.Findings = []Finding{}
	}
	for _, s := range olds {
		rep.OldServers = append(rep.OldServers, s.Addr)
	}
	for _, s := range news {
		rep.NewServers = append(rep.NewServers, s.Addr)
	}
	return rep, partial
}

// asGit marks a stored answer that is exactly the git answer.
var asGit = &query.Answer{}

// keep is what the run stores for an answer a to question qi: asGit when
// a is exactly what git expects (see query.Same), so that the answers of
// a clean run are not kept; a otherwise. It runs in the workers, as the
// answers come in.
func (r *runner) keep(qi int, a *query.Answer) *query.Answer {
	r.answered.Add(1)
	q := r.qs[qi]
	if exp, _ := r.v.lookup(q.Name, q.Type); query.Same(a, exp) {
		return asGit
	}
	return a
}

// question is the name and type of question qi (for the query engine).
func (r *runner) question(qi int) (string, uint16) { return r.qs[qi].Name, r.qs[qi].Type }

// ans is server si's answer to question qi.
func (r *runner) ans(si, qi int) *query.Answer {
	a := r.res[si][qi]
	if a == asGit {
		q := r.qs[qi]
		a, _ = r.v.lookup(q.Name, q.Type)
	}
	return a
}

// asGitAll reports whether every server that is not broken answered
// question qi exactly as git expects: then no per-question finding is
// possible (see compareAll).
func (r *runner) asGitAll(qi int, broken []bool) bool {
	for si := range r.servers {
		if !broken[si] && r.res[si][qi] != asGit {
			return false
		}
	}
	return true
}

func none(as []*query.Answer) bool {
	for _, a := range as {
		if a != nil && a.Err == "" {
			return false
		}
	}
	return len(as) > 0
}

type runner struct {
	z       *zone.Zone
	v       *view
	cmp     *comparer
	opts    Options
	servers []*query.Server
	nOld    int
	ex      []*query.Client
	limiter *rate.Limiter
	queries atomic.Int64
	// answered counts (question, server) answers, for progress.
	answered atomic.Int64
	qs       []Question
	// res holds the answers, [server][question]; asGit stands for an
	// answer that is exactly what git expects (read them through ans).
	res [][]*query.Answer
	// rep is each side's representative: its first server that is not
	// broken for most questions (-1: none).
	rep [2]int
	// axfr holds the (owner, type) pairs each side's zone transfer held.
	axfr [2]map[zone.Key]bool
}

// probe asks every server for the apex SOA; a server that does not answer
// at all stops the run with an error naming it.
func (r *runner) probe(ctx context.Context) error {
	q, err := query.PackQuery(r.z.Origin, dns.TypeSOA)
	if err != nil {
		return err
	}
	errs := make([]error, len(r.ex))
	var wg sync.WaitGroup
	for i, e := range r.ex {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if a := e.Ask(ctx, q); a.Err != "" {
				errs[i] = fmt.Errorf("%s does not answer (%d tries, timeout %s): %s", e.Server, r.opts.Retries+1, r.opts.Timeout, a.Err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (r *runner) side(i int) string {
	if i < r.nOld {
		return "old"
	}
	return "new"
}
