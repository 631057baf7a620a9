package parity

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
	"golang.org/x/time/rate"
)

// Run asks every question about z of every old and new server and compares
// the answers. The error is for runs that could not be done (a server that
// does not answer at all, bad targets); differences are findings.
func Run(ctx context.Context, z *zone.Zone, old, new []Target, opts Options) (*Report, error) {
	opts.defaults()
	if z == nil || z.Get(z.Origin, dns.TypeSOA) == nil {
		return nil, errors.New("parity: the zone has no SOA at its origin")
	}
	olds, err := resolveTargets(ctx, "old", old)
	if err != nil {
		return nil, err
	}
	news, err := resolveTargets(ctx, "new", new)
	if err != nil {
		return nil, err
	}
	r := &runner{
		z: z, v: newView(z), opts: opts,
		servers: append(append([]*server{}, olds...), news...),
		nOld:    len(olds),
	}
	r.cmp = &comparer{v: r.v}
	if opts.Rate > 0 {
		r.limiter = rate.NewLimiter(rate.Limit(opts.Rate), max(1, int(opts.Rate/10)))
	}
	for _, s := range r.servers {
		r.ex = append(r.ex, &exchanger{srv: s, timeout: opts.Timeout, retries: opts.Retries, limiter: r.limiter, queries: &r.queries})
	}
	if err := r.probe(ctx); err != nil {
		return nil, err
	}
	label := opts.Label
	if label == "" {
		label = randomLabel()
	}
	r.qs = r.v.questions(label)
	packed := make([][]byte, len(r.qs))
	for i, q := range r.qs {
		if packed[i], err = packQuery(q.Name, q.Type); err != nil {
			return nil, err
		}
	}

	start := time.Now()
	r.res = make([][]*Answer, len(r.servers))
	var wg sync.WaitGroup
	for i, e := range r.ex {
		r.res[i] = make([]*Answer, len(r.qs))
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.askAll(ctx, packed, r.res[i], opts.Concurrency)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("parity: %w", err)
	}
	for i, s := range r.servers {
		if none(r.res[i]) {
			return nil, fmt.Errorf("%s did not answer any question (%d tries each, timeout %s)", s, opts.Retries+1, opts.Timeout)
		}
	}
	findings := r.compareAll()
	findings = append(findings, r.mail(ctx)...)
	seconds := time.Since(start).Seconds()
	sortFindings(findings)
	rep := &Report{
		Zone:     z.Origin,
		File:     z.File,
		Findings: findings,
		Queries:  int(r.queries.Load()),
		Seconds:  seconds,
	}
	if rep.Findings == nil {
		rep.Findings = []Finding{}
	}
	for _, s := range olds {
		rep.OldServers = append(rep.OldServers, s.addr)
	}
	for _, s := range news {
		rep.NewServers = append(rep.NewServers, s.addr)
	}
	return rep, nil
}

func none(as []*Answer) bool {
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
	servers []*server
	nOld    int
	ex      []*exchanger
	limiter *rate.Limiter
	queries atomic.Int64
	qs      []Question
	res     [][]*Answer // [server][question]
}

// probe asks every server for the apex SOA; a server that does not answer
// at all stops the run with an error naming it.
func (r *runner) probe(ctx context.Context) error {
	q, err := packQuery(r.z.Origin, dns.TypeSOA)
	if err != nil {
		return err
	}
	errs := make([]error, len(r.ex))
	var wg sync.WaitGroup
	for i, e := range r.ex {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if a := e.ask(ctx, q); a.Err != "" {
				errs[i] = fmt.Errorf("%s does not answer (%d tries, timeout %s): %s", e.srv, r.opts.Retries+1, r.opts.Timeout, a.Err)
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

// compareAll turns the answers into findings: lame servers, servers of one
// provider that disagree, old vs new, and each side vs git.
func (r *runner) compareAll() []Finding {
	var out []Finding
	oi, ni := 0, r.nOld
	for qi, q := range r.qs {
		exp, src := r.v.lookup(q.Name, q.Type)
		base := Finding{Name: q.Name, Type: dns.Type(q.Type).String(), Git: exp.Text()}
		if src != nil {
			p := src.Pos()
			base.File, base.Line = p.File, p.Line
		}
		at := ""
		if base.File != "" {
			at = " (" + base.Pos() + ")"
		}
		// lame: an authoritative-looking answer without AA
		for si, s := range r.servers {
			a := r.res[si][qi]
			switch a.Class() {
			case ClassAnswer, ClassNoData, ClassNXDomain:
				if !a.AA {
					f := base
					f.Kind, f.Severity = "lame", SevError
					f.Detail = fmt.Sprintf("%s answered without the AA bit (lame)", s)
					r.sides(&f, qi)
					out = append(out, f)
				}
			}
		}
		// servers of one provider that disagree
		for _, rng := range [][2]int{{0, r.nOld}, {r.nOld, len(r.servers)}} {
			first := rng[0]
			for si := first + 1; si < rng[1]; si++ {
				ds := r.cmp.compare(q, r.res[first][qi], r.res[si][qi], r.servers[first].addr, r.servers[si].addr)
				if len(ds) == 0 {
					continue
				}
				f := base
				f.Kind, f.Severity = "disagree-within-provider", worst(ds)
				f.Detail = fmt.Sprintf("%s servers %s and %s disagree: %s", r.side(si), r.servers[first].addr, r.servers[si].addr, ds[0].detail)
				// Old and New hold the two disagreeing servers' answers.
				f.Old, f.New = r.res[first][qi].Text(), r.res[si][qi].Text()
				out = append(out, f)
			}
		}
		o, n := r.res[oi][qi], r.res[ni][qi]
		ds := r.cmp.compare(q, o, n, "old", "new")
		devOld := significant(r.cmp.compare(q, exp, o, "git", "old"))
		devNew := significant(r.cmp.compare(q, exp, n, "git", "new"))
		note := ""
		switch {
		case len(devOld) > 0 && len(devNew) == 0:
			note = "; old deviates from git" + at
		case len(devNew) > 0 && len(devOld) == 0:
			note = "; new deviates from git" + at
		case len(devNew) > 0 && len(devOld) > 0:
			note = "; both deviate from git" + at
		}
		for _, d := range ds {
			f := base
			f.Kind, f.Severity, f.Detail = d.kind, d.sev, d.detail+note
			r.sides(&f, qi)
			out = append(out, f)
		}
		if len(ds) > 0 {
			continue
		}
		if o.Class() == ClassFailure {
			f := base
			f.Kind, f.Severity = "failure", SevError
			f.Detail = "both sides fail: " + o.Status()
			r.sides(&f, qi)
			out = append(out, f)
			continue
		}
		if len(devOld) > 0 {
			f := base
			f.Kind, f.Severity = "git-drift", SevWarning
			f.Detail = "old and new agree but deviate from git" + at + ": " + devOld[0].detail
			r.sides(&f, qi)
			out = append(out, f)
		}
	}
	return mailKinds(out)
}

func (r *runner) sides(f *Finding, qi int) {
	f.Old = r.res[0][qi].Text()
	f.New = r.res[r.nOld][qi].Text()
}

// significant keeps differences above info.
func significant(ds []diff) []diff {
	var out []diff
	for _, d := range ds {
		if d.sev != SevInfo {
			out = append(out, d)
		}
	}
	return out
}

// mailKinds names data differences at DKIM and DMARC owners by what they
// break.
func mailKinds(fs []Finding) []Finding {
	for i := range fs {
		f := &fs[i]
		if f.Kind != "rdata" && f.Kind != "missing" {
			continue
		}
		switch {
		case strings.HasPrefix(f.Name, "_dmarc."):
			f.Kind = "dmarc"
		case strings.Contains(f.Name, "._domainkey."):
			f.Kind = "dkim"
		}
	}
	return fs
}
