package parity

import (
	"context"
	"errors"
	"fmt"
	"github.com/dnsparity/dnsparity/internal/query"
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
		servers: append(append([]*query.Server{}, olds...), news...),
		nOld:    len(olds),
	}
	r.cmp = &comparer{v: r.v}
	if opts.Rate > 0 {
		r.limiter = rate.NewLimiter(rate.Limit(opts.Rate), max(1, int(opts.Rate/10)))
	}
	for _, s := range r.servers {
		r.ex = append(r.ex, &query.Client{Server: s, Timeout: opts.Timeout, Retries: opts.Retries, Limiter: r.limiter, Queries: &r.queries})
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
		e.Batch = true
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
	if partial == nil {
		findings = append(findings, r.mail(ctx)...)
		findings = append(findings, r.dnssec(ctx)...)
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
	if partial != nil {
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

// answered reports whether a is an answer that came back (not a question
// left when the run was interrupted).
func answered(a *query.Answer) bool { return a != nil && a.Err != query.ErrCanceled }

// anyCanceled reports whether a question was left unasked because the
// context ended (or would end before the rate limit allowed it).
func (r *runner) anyCanceled() bool {
	for si := range r.servers {
		for _, a := range r.res[si] {
			if a == nil || a.Err == query.ErrCanceled {
				return true
			}
		}
	}
	return false
}

// keepAnswered drops the questions some server has no answer to (after an
// interruption) and returns how many are left.
func (r *runner) keepAnswered() int {
	n := 0
	for qi := range r.qs {
		all := true
		for si := range r.servers {
			all = all && answered(r.res[si][qi])
		}
		if !all {
			continue
		}
		r.qs[n] = r.qs[qi]
		for si := range r.servers {
			r.res[si][n] = r.res[si][qi]
		}
		n++
	}
	r.qs = r.qs[:n]
	for si := range r.servers {
		r.res[si] = r.res[si][:n]
	}
	return n
}

// reportProgress calls opts.Progress every ProgressEvery until the
// returned function is called, which reports once more.
func (r *runner) reportProgress(start time.Time) (stop func()) {
	if r.opts.Progress == nil {
		return func() {}
	}
	every := r.opts.ProgressEvery
	if every <= 0 {
		every = 250 * time.Millisecond
	}
	report := func() {
		r.opts.Progress(Progress{Questions: len(r.qs), Servers: len(r.servers), Answered: int(r.answered.Load()),
			Queries: int(r.queries.Load()), Elapsed: time.Since(start)})
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				report()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		report()
	}
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

// Aggregation: a server that is lame or fails for most questions, and a
// kind of difference found on most questions, give one finding with a
// count and examples instead of one per question. A kind is also
// aggregated past aggregateCap findings, whatever the share.
const (
	aggregateMin = 10   // never aggregate fewer findings than this
	aggregateCap = 1000 // always aggregate more findings than this
	examples     = 3
)

// badness says how a server's answer to question qi is broken for an
// authoritative server of the zone: "lame" (no AA bit, REFUSED, NOTAUTH,
// or a referral where the zone has data), "failure" (no response,
// SERVFAIL and other rcodes), or "" when it is not.
func (r *runner) badness(si, qi int) string {
	if r.res[si][qi] == asGit {
		return "" // git's answer is never broken
	}
	a := r.ans(si, qi)
	switch a.Class() {
	case query.ClassAnswer, query.ClassNoData, query.ClassNXDomain:
		if !a.AA {
			return "lame"
		}
	case query.ClassReferral:
		q := r.qs[qi]
		if exp, _ := r.v.lookup(q.Name, q.Type); exp.Class() != query.ClassReferral {
			return "lame"
		}
	case query.ClassFailure:
		if a.Err == "" && (a.Rcode == dns.RcodeRefused || a.Rcode == dns.RcodeNotAuth) {
			return "lame"
		}
		return "failure"
	}
	return ""
}

// brokenServers finds the servers that are lame or fail for more than
// half of the questions (and at least aggregateMin of them when there are
// that many questions) and returns one finding per such server.
func (r *runner) brokenServers() (broken []bool, out []Finding) {
	broken = make([]bool, len(r.servers))
	need := max(len(r.qs)/2+1, min(aggregateMin, len(r.qs)))
	for si, s := range r.servers {
		counts := map[string]int{}
		var ex []string
		for qi, q := range r.qs {
			b := r.badness(si, qi)
			if b == "" {
				continue
			}
			counts[b]++
			if len(ex) < examples {
				ex = append(ex, fmt.Sprintf("%s %s: %s", q.Name, dns.Type(q.Type), r.ans(si, qi).Status()+aaNote(r.ans(si, qi))))
			}
		}
		n := counts["lame"] + counts["failure"]
		if n < need {
			continue
		}
		broken[si] = true
		kind := "lame"
		what := "is lame for the zone (answers without the AA bit, REFUSED, NOTAUTH or referrals)"
		if counts["failure"] > counts["lame"] {
			kind = "failure"
			what = "fails (no response, SERVFAIL or another error rcode)"
		}
		f := Finding{Name: r.z.Origin, Type: "ANY", Kind: kind, Severity: SevError}
		f.Detail = fmt.Sprintf("%s %s for %d of %d questions, e.g. %s; its per-question differences are not listed",
			s, what, n, len(r.qs), strings.Join(ex, "; "))
		// Old and New: this server's answer to the apex SOA next to the
		// first server of the other side.
		other := r.nOld
		if si >= r.nOld {
			other = 0
		}
		f.Old, f.New = r.ans(si, 0).Text(), r.ans(other, 0).Text()
		if si >= r.nOld {
			f.Old, f.New = f.New, f.Old
		}
		f.group = "server " + s.Addr
		out = append(out, f)
	}
	return broken, out
}

func aaNote(a *query.Answer) string {
	switch a.Class() {
	case query.ClassAnswer, query.ClassNoData, query.ClassNXDomain:
		if !a.AA {
			return " without AA"
		}
	}
	return ""
}

// compareAll turns the answers into findings: lame servers, servers of one
// provider that disagree, old vs new, and each side vs git. Servers that
// are broken for most questions are reported once and left out of the
// per-question comparisons; each side is represented by its first server
// that is not broken.
func (r *runner) compareAll() []Finding {
	broken, out := r.brokenServers()
	r.rep = [2]int{-1, -1}
	for si := range r.servers {
		side := 0
		if si >= r.nOld {
			side = 1
		}
		if !broken[si] && r.rep[side] < 0 {
			r.rep[side] = si
		}
	}
	oi, ni := r.rep[0], r.rep[1]
	var per []Finding
	referrals := map[string]bool{}
	for qi, q := range r.qs {
		if r.asGitAll(qi, broken) {
			continue
		}
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
			if broken[si] {
				continue
			}
			a := r.ans(si, qi)
			switch a.Class() {
			case query.ClassAnswer, query.ClassNoData, query.ClassNXDomain:
				if !a.AA {
					f := base
					f.Kind, f.Severity = "lame", SevError
					f.Detail = fmt.Sprintf("%s answered without the AA bit (lame)", s)
					f.Old, f.New = r.answerOf(0, qi, si), r.answerOf(1, qi, si)
					f.group = "server " + s.Addr
					per = append(per, f)
				}
			}
		}
		// servers of one provider that disagree
		for side, rng := range [][2]int{{0, r.nOld}, {r.nOld, len(r.servers)}} {
			first := r.rep[side]
			if first < 0 {
				continue
			}
			for si := rng[0]; si < rng[1]; si++ {
				if si == first || broken[si] {
					continue
				}
				ds := r.cmp.compare(q, r.ans(first, qi), r.ans(si, qi), r.servers[first].Addr, r.servers[si].Addr)
				if len(ds) == 0 {
					continue
				}
				f := base
				f.Kind, f.Severity = "disagree-within-provider", worst(ds)
				f.Detail = fmt.Sprintf("%s servers %s and %s disagree: %s", r.side(si), r.servers[first].Addr, r.servers[si].Addr, ds[0].detail)
				// Old and New hold the two disagreeing servers' answers.
				f.Old, f.New = r.ans(first, qi).Text(), r.ans(si, qi).Text()
				f.group = "pair " + r.servers[first].Addr + " " + r.servers[si].Addr
				per = append(per, f)
			}
		}
		if oi < 0 || ni < 0 {
			continue // a whole side is broken: reported once above
		}
		o, n := r.ans(oi, qi), r.ans(ni, qi)
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
		if q.Probe == probeAXFR {
			note = r.axfrNote(q) // git has nothing at (owner, type)
		}
		for _, d := range ds {
			if o.Class() == query.ClassReferral && n.Class() == query.ClassReferral {
				// Every question at or below a zone cut gets the same
				// referral: report each difference of a delegation once.
				k := d.kind + "\x00" + d.detail
				if referrals[k] {
					continue
				}
				referrals[k] = true
			}
			f := base
			f.Kind, f.Severity, f.Detail = d.kind, d.sev, d.detail+note
			f.about, f.core = d.set, d.detail
			r.sides(&f, qi)
			per = append(per, f)
		}
		if len(ds) > 0 {
			continue
		}
		if o.Class() == query.ClassFailure {
			f := base
			f.Kind = "failure"
			if o.Err != "" || n.Err != "" {
				// Nothing came back: nothing could be compared.
				f.Severity = SevError
				f.Detail = "could not verify: no answer from either side (" + o.Status() + ")"
			} else {
				// Both answer the same error: a zone defect both sides
				// agree on (a CNAME or DNAME loop makes BIND SERVFAIL).
				f.Severity = SevWarning
				f.Detail = "both sides answer " + o.Status() + ": a defect of the zone that both agree on, not a difference (e.g. a CNAME or DNAME loop); `dnsparity check` lists the zone's defects" + at
			}
			r.sides(&f, qi)
			per = append(per, f)
			continue
		}
		if len(devOld) > 0 {
			f := base
			f.Kind, f.Severity = "git-drift", SevWarning
			f.Detail = "old and new agree but deviate from git" + at + ": " + devOld[0].detail
			if q.Probe == probeAXFR {
				f.Detail = "old and new agree but git has no such records: " + devOld[0].detail + r.axfrNote(q)
			}
			r.sides(&f, qi)
			per = append(per, f)
		}
	}
	// Aggregation counts questions; merging chained findings comes after.
	per = mergeChained(r.aggregate(mailKinds(per)))
	return append(out, per...)
}

// mergeChained reports a difference in an RRset once: findings of questions
// whose CNAME chain reaches that RRset are folded into the finding of the
// question that asks for the RRset itself (or, when none was asked, into
// the first of them), which then names them ("also reached through ...").
func mergeChained(fs []Finding) []Finding {
	key := func(f Finding) string { return f.Kind + "\x00" + f.about + "\x00" + f.core }
	self := func(f Finding) bool { return f.about == f.Name+" "+f.Type }
	home := map[string]int{}
	for i, f := range fs {
		if f.about != "" && self(f) {
			if _, ok := home[key(f)]; !ok {
				home[key(f)] = i
			}
		}
	}
	also := map[int][]string{}
	drop := make([]bool, len(fs))
	for i, f := range fs {
		if f.about == "" || self(f) {
			continue
		}
		k := key(f)
		h, ok := home[k]
		if !ok {
			home[k] = i // the first chained finding stands for the rest
			continue
		}
		also[h] = append(also[h], f.Name+" "+f.Type)
		drop[i] = true
	}
	out := fs[:0]
	for i, f := range fs {
		if drop[i] {
			continue
		}
		if names := also[i]; len(names) > 0 {
			f.Detail += "; also reached through the CNAME chain of " + strings.Join(names, ", ")
		}
		out = append(out, f)
	}
	return out
}

// answerOf is the answer to question qi of side's representative, or of
// server si when si is on that side.
func (r *runner) answerOf(side, qi, si int) string {
	if (si < r.nOld) == (side == 0) {
		return r.ans(si, qi).Text()
	}
	if r.rep[side] < 0 {
		return ""
	}
	return r.ans(r.rep[side], qi).Text()
}

// aggregate replaces every group of per-question findings (same kind, and
// for lame and disagreeing servers the same servers) that covers most
// questions, or more than aggregateCap, by one finding with the count and
// a few examples.
func (r *runner) aggregate(fs []Finding) []Finding {
	type key struct{ kind, group string }
	groups := map[key][]int{}
	for i, f := range fs {
		k := key{f.Kind, f.group}
		groups[k] = append(groups[k], i)
	}
	drop := make([]bool, len(fs))
	var out []Finding
	for k, idx := range groups {
		n := len(idx)
		if n < aggregateMin || (n <= len(r.qs)/2 && n <= aggregateCap) {
			continue
		}
		first := fs[idx[0]]
		f := Finding{Name: r.z.Origin, Type: "ANY", Kind: k.kind, Severity: SevInfo, Old: first.Old, New: first.New, group: k.group}
		var ex []string
		for _, i := range idx {
			drop[i] = true
			if sevRank[fs[i].Severity] < sevRank[f.Severity] {
				f.Severity = fs[i].Severity
			}
			if len(ex) < examples {
				e := fmt.Sprintf("%s %s: %s", fs[i].Name, fs[i].Type, fs[i].Detail)
				if p := fs[i].Pos(); p != "" && !strings.Contains(e, p) {
					e += " (" + p + ")"
				}
				ex = append(ex, e)
			}
		}
		f.Detail = fmt.Sprintf("%d of %d questions have a %s difference (listed once), e.g. %s; Old and New show the first",
			n, len(r.qs), k.kind, strings.Join(ex, "; "))
		out = append(out, f)
	}
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return out
}

func (r *runner) sides(f *Finding, qi int) {
	f.Old = r.ans(r.rep[0], qi).Text()
	f.New = r.ans(r.rep[1], qi).Text()
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
