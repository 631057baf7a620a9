package parity

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
	"golang.org/x/time/rate"
)

// Run asks every question about z of every old and new server and compares
// the answers. The error is for runs that could not be done (a server that
// does not answer at all, bad targets, a resolver that is not an address,
// a transfer asked for that a side does not give: *AXFRError);
// differences are findings. When ctx ends while the questions are asked
// (Ctrl-C), Run compares the questions every server answered and returns
// that partial report (Partial, Compared, Error set) with the error.
func Run(ctx context.Context, z *zone.Zone, old, new []Target, opts Options) (*Report, error) {
	start := time.Now() // Seconds is the wall time of the whole run
	opts.defaults()
	if z == nil || z.Get(z.Origin, dns.TypeSOA) == nil {
		return nil, errors.New("parity: the zone has no SOA at its origin")
	}
	r, notAsked, err := newRunner(ctx, z, old, new, opts)
	if err != nil {
		return nil, err
	}
	if err := r.probe(ctx); err != nil {
		return nil, canceledOr(ctx, err)
	}
	// The providers' own features: reported, and asked from every client
	// subnet without waiting for the first probe.
	feats, featNames := opts.Features.Findings(ctx, z.Origin)
	if len(featNames) > 0 {
		r.opts.ClientDependent = append(append([]string(nil), opts.ClientDependent...), featNames...)
	}
	replayed, err := r.prepareQuestions(ctx)
	if err != nil {
		return nil, err
	}
	// Progress goes on through the client subnets' stages; stop ends it
	// (once) before the mail and DNSSEC checks, or at any return.
	stop := r.startProgress()
	defer stop(nil)
	wait := r.askAll(ctx)
	wait()
	total := len(r.qs)
	partial, err := r.settle(ctx)
	if err != nil {
		stop(err)
		return nil, err
	}
	var above *TTLsAbove
	if opts.TTLAbove > 0 {
		above = r.ttlsAbove(opts.TTLAbove)
	}
	findings, lateStop, partial := r.findings(ctx, partial, stop)
	findings = append(append(findings, feats...), notAsked...)
	rep := r.newReport(time.Since(start).Seconds(), findings, replayed)
	rep.TTLsAbove = above
	switch {
	case lateStop:
		rep.Partial, rep.Compared = true, len(r.qs)
		rep.Error = fmt.Sprintf("interrupted during the mail and DNSSEC checks: all %d questions compared; SPF, DKIM, DMARC and DNSSEC not checked", len(r.qs))
	case partial != nil:
		rep.Partial, rep.Compared = true, len(r.qs)
		rep.Error = fmt.Sprintf("interrupted: %d of %d questions compared (those every server answered); the mail and DNSSEC checks did not run", len(r.qs), total)
	}
	return rep, partial
}

// canceledOr is err, or ctx's own error when ctx ended (the run was
// interrupted, which is why err happened).
func canceledOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("parity: %w", ctx.Err())
	}
	return err
}

// newRunner resolves the old and new targets to the servers asked from
// here (opts.Resolver parsed first) and sets up one query client per
// server; notAsked are the findings naming the servers left out.
func newRunner(ctx context.Context, z *zone.Zone, old, new []Target, opts Options) (r *runner, notAsked []Finding, err error) {
	if opts.Resolver != "" {
		addr, err := query.ParseAddr(opts.Resolver)
		if err != nil {
			return nil, nil, fmt.Errorf("parity: resolver: %w", err)
		}
		opts.Resolver = addr
	}
	olds, err := resolveTargets(ctx, opts.Engine, "old", old, opts.Resolver, opts.Timeout)
	if err != nil {
		return nil, nil, err
	}
	news, err := resolveTargets(ctx, opts.Engine, "new", new, opts.Resolver, opts.Timeout)
	if err != nil {
		return nil, nil, err
	}
	// Servers this machine does not ask: left out on purpose (IPv6 with
	// NoIPv6) and named, or, without a route to them, the run stops.
	olds, notAsked, err = fromHere(ctx, opts.Engine, z.Origin, "old", olds, opts.NoIPv6)
	if err != nil {
		return nil, nil, err
	}
	news, notAskedNew, err := fromHere(ctx, opts.Engine, z.Origin, "new", news, opts.NoIPv6)
	if err != nil {
		return nil, nil, err
	}
	notAsked = append(notAsked, notAskedNew...)
	r = &runner{
		z: z, v: newView(z), opts: opts,
		servers: append(append([]*query.Server{}, olds...), news...),
		nOld:    len(olds),
	}
	r.secrets = redact.FromContext(ctx)
	r.cmp = &comparer{v: r.v}
	switch {
	case opts.Engine != nil:
		r.limiter = opts.Engine.limiter
	case opts.Rate > 0:
		r.limiter = newLimiter(opts.Rate)
	}
	for _, s := range r.servers {
		c := &query.Client{Server: s, Timeout: opts.Timeout, Retries: opts.Retries, Limiter: r.limiter, Queries: &r.queries, NSID: true, DO: true, Batch: true}
		if opts.Engine != nil {
			c.Pool = opts.Engine.pool(s.Addr)
		}
		r.ex = append(r.ex, c)
	}
	r.nodes = make([]nodes, len(r.servers))
	r.ecs = make([]ecsUse, len(r.servers))
	return r, notAsked, nil
}

// prepareQuestions sets the questions of the run: the zone's, the names
// the zone transfers hold (Options.AXFR) and the replayed ones
// (Options.Queries); each must pack into a query.
func (r *runner) prepareQuestions(ctx context.Context) (*Replayed, error) {
	label := r.opts.Label
	if label == "" {
		label = randomLabel()
	}
	r.qs = r.v.questions(label)
	var err error
	if r.opts.AXFR {
		if r.qs, err = r.axfrQuestions(ctx, r.qs); err != nil {
			return nil, canceledOr(ctx, err)
		}
	}
	var replayed *Replayed
	if r.opts.Queries != "" {
		if r.qs, replayed, err = r.replayQuestions(r.qs); err != nil {
			return nil, err
		}
	}
	for qi := range r.qs {
		if _, err := query.PackQuery(r.question(qi)); err != nil {
			return nil, err
		}
	}
	return replayed, nil
}

// askAll starts asking every server every question, one goroutine per
// server; wait returns when all are answered (or ctx ended).
func (r *runner) askAll(ctx context.Context) (wait func()) {
	r.res = make([][]*query.Answer, len(r.servers))
	var wg sync.WaitGroup
	for i, e := range r.ex {
		r.res[i] = make([]*query.Answer, len(r.qs))
		e.Keep = func(qi int, a *query.Answer) *query.Answer { return r.keep(i, qi, a) }
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.AskAll(ctx, len(r.qs), r.question, r.res[i], r.opts.Concurrency)
		}()
	}
	return wg.Wait
}

// settle looks at the answers once asking is over. An interrupted run
// (ctx ended) keeps the questions every server answered and returns
// partial; err is for a run with nothing to compare: interrupted before
// any question was answered by all, or a server that answered none.
func (r *runner) settle(ctx context.Context) (partial, err error) {
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
		silent := none(r.res[i])
		if r.opts.Engine != nil && partial == nil {
			r.opts.Engine.hear(s.Addr, !silent)
		}
		if silent {
			return nil, fmt.Errorf("%s did not answer any question (%d tries each, timeout %s)", s, r.opts.Retries+1, r.opts.Timeout)
		}
	}
	return partial, nil
}

// findings compares the answers, then (a run not interrupted) asks the
// client subnets' questions, stops the progress (failed when the run was
// interrupted), and runs the mail and DNSSEC checks. lateStop: ctx ended
// during those checks, whose findings are left out, and the error
// returned is set (else it is partial).
func (r *runner) findings(ctx context.Context, partial error, stopProgress func(error)) (findings []Finding, lateStop bool, _ error) {
	findings = append(append(r.compareAll(ctx), r.oversizeFindings()...), r.denialFindings()...)
	if partial == nil && (len(r.opts.Subnets) > 0 || len(r.logged) > 0) {
		findings = append(findings, r.ecsPhase(ctx, r.broken)...)
	}
	if partial != nil {
		stopProgress(partial)
	} else {
		stopProgress(ctx.Err()) // interrupted during a client subnet's stage
	}
	if partial == nil {
		late := append(r.mail(ctx), r.dnssec(ctx)...)
		if err := ctx.Err(); err != nil {
			// Interrupted during the mail and DNSSEC checks: their
			// findings rest on lookups that were cut short.
			return findings, true, fmt.Errorf("parity: interrupted (%w)", err)
		}
		findings = append(findings, late...)
	}
	return findings, false, partial
}

// newReport is the report of the run: its findings sorted, the servers
// of each side asked.
func (r *runner) newReport(seconds float64, findings []Finding, replayed *Replayed) *Report {
	r.redactFindings(findings)
	SortFindings(findings)
	rep := &Report{
		Zone:     r.z.Origin,
		File:     r.z.File,
		Findings: findings,
		Queries:  int(r.queries.Load()),
		Seconds:  seconds,
		Replayed: replayed,
	}
	if rep.Findings == nil {
		rep.Findings = []Finding{}
	}
	for si, s := range r.servers {
		if si < r.nOld {
			rep.OldServers = append(rep.OldServers, s.Addr)
		} else {
			rep.NewServers = append(rep.NewServers, s.Addr)
		}
	}
	return rep
}

// asGit marks a stored answer that is exactly the git answer.
var asGit = &query.Answer{}

// keep is what the run stores for server si's answer a to question qi:
// asGit when a is exactly what git expects (see query.Same), so that the
// answers of a clean run are not kept; a otherwise. It runs in the
// workers, as the answers come in, and notes the answering node (NSID).
func (r *runner) keep(si, qi int, a *query.Answer) *query.Answer {
	if answered(a) { // a question left unasked when ctx ended is not an answer
		r.answered.Add(1)
	}
	if a.Oversize > 0 {
		r.over.note(si, qi, a.Oversize)
	}
	r.nodes[si].see(a.NSID)
	if a.Denial != nil {
		r.judgeDenial(si, a.Denial)
		a.Denial = nil // judged: not kept with the answer
	}
	q := r.qs[qi]
	if exp, _ := r.v.lookup(q.Name, q.Type); query.Same(a, exp) {
		return asGit
	}
	return a
}

// question is the name and type of question qi as asked (a replayed
// name with its case as logged), for the query engine.
func (r *runner) question(qi int) (string, uint16) {
	if r.cased != nil {
		if n, ok := r.cased[qi]; ok {
			return n, r.qs[qi].Type
		}
	}
	return r.qs[qi].Name, r.qs[qi].Type
}

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
	// secrets are the run's set (redact.FromContext; nil: none): what a
	// finding shows of the records (text, compare) is rendered from
	// records whose plain values it redacted (shown).
	secrets *redact.Secrets
	z       *zone.Zone
	v       *view
	cmp     *comparer
	opts    Options
	servers []*query.Server
	nOld    int
	ex      []*query.Client
	limiter *rate.Limiter
	queries atomic.Int64
	// answered counts (question, server) answers of the stage under way,
	// for progress (startProgress); task shows it (nil without
	// Options.Progress), progMu held.
	answered atomic.Int64
	progMu   sync.Mutex
	task     progress.Task
	qs       []Question
	// res holds the answers, [server][question]; asGit stands for an
	// answer that is exactly what git expects (read them through ans).
	res [][]*query.Answer
	// rep is each side's representative: its first server that is not
	// broken for most questions (-1: none).
	rep [2]int
	// axfr holds the (owner, type) pairs each side's zone transfer held.
	axfr [2]map[zone.Key]bool
	// covered maps each question coveredQuestions added to the name
	// found by AXFR, not in git, that git's wildcard answers (its own
	// name, or one below it).
	covered map[string]string
	// coveredOn says which sides' transfers hold each node of covered
	// ("old", "new", "old and new"; nodeSides).
	coveredOn map[string]string
	// broken marks the servers that are lame or fail for most questions
	// (set by compareAll).
	broken []bool
	// flat holds the resolver's answers at the ends of CNAME chains a
	// side flattens (flatten.go), asked once per run.
	flat map[zone.Key]*query.Answer
	// hostTargets maps each host name git's NS, MX and SRV records name
	// to the first such record (hostTargetUse).
	hostTargets map[string]string
	// srcs are the mail checks' lookups per server (source), qidx the
	// question index they read the run's answers by.
	srcs map[int]*txtSource
	qidx *qindex
	// cased holds the name as logged of a replayed question whose name
	// is not in canonical case; logged the replayed questions per client
	// subnet the log gave (asked in the ECS phase).
	cased  map[int]string
	logged map[netip.Prefix][]int
	// nodes are the NSIDs each server answered with; ecs what each
	// server did with ECS queries.
	nodes []nodes
	ecs   []ecsUse
	// cutQs indexes the NS question of each delegation (cutNS); cutSeen
	// the answers below a cut reported (cutFindings, disagree).
	cutQs   map[string]int
	cutSeen map[string]bool
	// over notes the UDP answers larger than the size asked; denied
	// the denial records that deny git's names or types.
	over   oversized
	denied denied
}

// nodes is the set of NSIDs a server answered with (anycast nodes).
type nodes struct {
	first atomic.Pointer[string]
	mu    sync.Mutex
	all   map[string]bool
}

// see notes an NSID; the common case (the first node again) takes no lock.
func (n *nodes) see(id string) {
	if id == "" {
		return
	}
	if p := n.first.Load(); p != nil && *p == id {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.first.Load() == nil {
		n.first.Store(&id)
	}
	if n.all == nil {
		n.all = map[string]bool{}
	}
	n.all[id] = true
}

// String is the one NSID seen, "one of a, b" for several, "" for none.
func (n *nodes) String() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	ids := slices.Sorted(maps.Keys(n.all))
	if len(ids) <= 1 {
		return strings.Join(ids, "")
	}
	return "one of " + strings.Join(ids, ", ")
}

// node is the NSID of server si's answer a: its own, else (an answer
// stored as git's, which keeps none) the server's nodes.
func (r *runner) node(si int, a *query.Answer) string {
	if si < 0 {
		return ""
	}
	if a != nil && a.NSID != "" {
		return a.NSID
	}
	return r.nodes[si].String()
}

// probe asks every server for the apex SOA; a server that does not answer
// at all stops the run with an error naming it. Over many zones (an
// Engine) a server that answered another zone's questions is not probed:
// the zone's own SOA question asks it, and a server that answers none of
// them is an error all the same (and probed again by the next zones).
func (r *runner) probe(ctx context.Context) error {
	errs := make([]error, len(r.ex))
	var wg sync.WaitGroup
	for i, e := range r.ex {
		if r.opts.Engine != nil && r.opts.Engine.heard(e.Server.Addr) {
			continue // it answered another zone; this zone's SOA question asks it
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := e.Exchange(ctx, r.z.Origin, dns.TypeSOA)
			r.nodes[i].see(a.NSID)
			switch {
			case strings.HasSuffix(a.Err, "connection refused"):
				// ICMP port unreachable: no server there at all, which
				// retries and timeouts do not explain.
				errs[i] = fmt.Errorf("%s does not answer: nothing listens on that address and port (connection refused): a wrong address or port, or the server is down", e.Server)
			case a.Err != "":
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

// shown is what redacts the plain values of the records a finding shows
// (the run's set's ReplaceStrings), nil while the set holds no secret (a
// secret the run learns as it goes is added to the set).
func (r *runner) shown() func([]string) []string {
	if r.secrets == nil || r.secrets.Len() == 0 {
		return nil
	}
	return r.secrets.ReplaceStrings
}

// redactFindings replaces, in place, the secrets of the run's set in
// what each finding says of what the servers serve (Old, New, Detail,
// the NSIDs), once the checks are over, before any renderer escapes
// them: a detail quotes what a check parsed of a served record (an SPF
// include's name, a DKIM tag; mailauth quotes it Go's way, a tab as \t),
// a zone cut's names, the DNSKEY records keysText writes, none of which
// went through Answer.Redacted. Each finding's values are read one
// after another (a secret split between Old and Detail).
func (r *runner) redactFindings(findings []Finding) {
	shown := r.shown()
	if shown == nil {
		return
	}
	for i := range findings {
		f := &findings[i]
		rs := shown([]string{f.Old, f.New, f.Detail, f.NSIDOld, f.NSIDNew})
		f.Old, f.New, f.Detail, f.NSIDOld, f.NSIDNew = rs[0], rs[1], rs[2], rs[3], rs[4]
	}
}

// text is a's presentation form (Answer.Text) as a finding shows it
// (Old, New, Git): its records' plain values redacted before they are
// rendered (Answer.Redacted), where a TXT string's tab or non-ASCII
// bytes are still the bytes a secret's pieces stand between, not the
// \009 or \194\160 the presentation form writes.
func (r *runner) text(a *query.Answer) string {
	return a.Redacted(r.shown()).Text()
}

// compare is r.cmp.compare of a and b (the answers as served: two
// different secrets are a difference), with each difference's detail
// written from a's and b's records redacted (Answer.Redacted), as text
// renders them. A difference the redacted records no longer show (both
// sides' values masked alike) says so without them.
func (r *runner) compare(q Question, a, b *query.Answer, an, bn string) []diff {
	ds := r.cmp.compare(q, a, b, an, bn)
	shown := r.shown()
	if len(ds) == 0 || shown == nil {
		return ds
	}
	rs := r.cmp.compare(q, a.Redacted(shown), b.Redacted(shown), an, bn)
	for i := range ds {
		if i < len(rs) && rs[i].kind == ds[i].kind {
			ds[i].detail, ds[i].set = rs[i].detail, rs[i].set
			continue
		}
		ds[i].detail = fmt.Sprintf("%s and %s differ in %s records that hold a secret this run knows (masked)", an, bn, dns.Type(q.Type))
	}
	return ds
}
