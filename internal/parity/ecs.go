package parity

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// The ECS phase (RFC 7871): after the plain questions, every question
// whose answer depends on the client is asked again from each client
// subnet, of every server of both sides, and compared per subnet.

// probeChunk is how many questions the first probe asks at a time (its
// answers are looked at as they come and not kept; only the slice of
// pointers for a chunk is held).
const probeChunk = 1 << 15

// noScope marks an answer without an ECS option.
const noScope = 255

// vantage is a client subnet and the questions asked from it.
type vantage struct {
	Subnet
	qis []int
	// res[si][k] is server si's answer to question qis[k] (asPlain: the
	// same as its plain answer); scope[si][k] its ECS scope (noScope:
	// none).
	res   [][]*query.Answer
	scope [][]uint8
}

// asPlain marks a subnet's answer that is the same as the server's plain
// answer to the question.
var asPlain = &query.Answer{}

// probed marks a first-probe answer that was looked at (not kept).
var probed = &query.Answer{}

// ecsUse is what a server did with the ECS queries: how many it
// answered, and whether any answer had a scope over 0.
type ecsUse struct {
	answered atomic.Int64
	scoped   atomic.Bool
}

func (u *ecsUse) see(a *query.Answer) {
	if a.Err != "" {
		return
	}
	u.answered.Add(1)
	if a.ECS && a.Scope > 0 {
		u.scoped.Store(true)
	}
}

// client is a query client of server si for the ECS phase.
func (r *runner) client(si int, subnet netip.Prefix, keep func(int, *query.Answer) *query.Answer) *query.Client {
	return &query.Client{Server: r.servers[si], Timeout: r.opts.Timeout, Retries: r.opts.Retries, Limiter: r.limiter,
		Queries: &r.queries, Batch: true, NSID: true, DO: true, Subnet: subnet, Keep: keep}
}

// dependent finds the client-dependent questions: those at the names of
// Options.ClientDependent, and at every name whose answer, in a first
// probe from the first two subnets of each side's representative, has a
// scope over 0 or differs from the plain answer. It returns the question
// indices (every question at such a name, NODATA probes too).
func (r *runner) dependent(ctx context.Context) []int {
	dep := map[string]bool{}
	for _, n := range r.opts.ClientDependent {
		dep[zone.CanonicalName(n)] = true
	}
	subs := r.opts.Subnets
	if len(subs) > 2 {
		subs = subs[:2]
	}
	var idx []int
	for qi, q := range r.qs {
		if q.Probe != probeNoData && !dep[q.Name] {
			idx = append(idx, qi)
		}
	}
	probes := 0
	for _, si := range r.rep {
		if si >= 0 {
			probes += len(subs)
		}
	}
	r.setStage("client subnets: first probe", len(idx), probes)
	var mu sync.Mutex
	var wg sync.WaitGroup
	// Each side's representative from each subnet, all at once (as the
	// plain questions ask every server at once).
	for _, si := range r.rep {
		if si < 0 {
			continue
		}
		for _, s := range subs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.probeFrom(ctx, si, s, idx, func(name string) {
					mu.Lock()
					dep[name] = true
					mu.Unlock()
				})
			}()
		}
	}
	wg.Wait()
	var qis []int
	if len(dep) > 0 {
		// A replayed question in another case than a zone question (they
		// come after the zone's) would repeat its difference.
		asked := map[zone.Key]bool{}
		for qi, q := range r.qs {
			if !dep[q.Name] {
				continue
			}
			k := zone.Key{Name: q.Name, Type: q.Type}
			if q.Probe == probeReplay && asked[k] {
				continue
			}
			asked[k] = true
			qis = append(qis, qi)
		}
	}
	return qis
}

// probeFrom asks server si the questions idx from subnet s, in chunks
// whose answers are looked at as they arrive and not kept, and calls
// found with the owner of each question whose answer has a scope over 0
// or differs from the server's plain answer.
func (r *runner) probeFrom(ctx context.Context, si int, s Subnet, idx []int, found func(name string)) {
	out := make([]*query.Answer, min(probeChunk, len(idx)))
	for lo := 0; lo < len(idx) && ctx.Err() == nil; lo += probeChunk {
		chunk := idx[lo:min(lo+probeChunk, len(idx))]
		clear(out)
		c := r.client(si, s.Prefix, func(k int, a *query.Answer) *query.Answer {
			r.answered.Add(1)
			r.ecs[si].see(a)
			qi := chunk[k]
			q := r.qs[qi]
			if a.Err == "" && (a.ECS && a.Scope > 0 || len(r.cmp.compare(q, r.ans(si, qi), a, "plain", "subnet")) > 0) {
				found(q.Name)
			}
			return probed
		})
		c.AskAll(ctx, len(chunk), func(k int) (string, uint16) { return r.question(chunk[k]) }, out[:len(chunk)], r.opts.Concurrency)
	}
}

// vantages are the configured subnets, each with the client-dependent
// questions, and the subnets a query log had, each with the questions
// logged from it (merged into a configured subnet with the same prefix).
func (r *runner) vantages(dep []int) []*vantage {
	var vs []*vantage
	byPrefix := map[netip.Prefix]*vantage{}
	for _, s := range r.opts.Subnets {
		v := &vantage{Subnet: s, qis: dep}
		vs = append(vs, v)
		byPrefix[s.Prefix] = v
	}
	var logged []netip.Prefix
	for p := range r.logged {
		logged = append(logged, p)
	}
	slices.SortFunc(logged, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	for _, p := range logged {
		if v := byPrefix[p]; v != nil {
			v.qis = append(slices.Clone(v.qis), r.logged[p]...)
			slices.Sort(v.qis)
			v.qis = slices.Compact(v.qis)
			continue
		}
		v := &vantage{Subnet: Subnet{Prefix: p}, qis: r.logged[p]}
		vs = append(vs, v)
	}
	return vs
}

// ecsPhase asks the client-dependent and logged-subnet questions from
// each subnet and compares the answers per subnet. broken servers are
// left out.
func (r *runner) ecsPhase(ctx context.Context, broken []bool) []Finding {
	dep := r.dependent(ctx)
	vs := r.vantages(dep)
	var out []Finding
	for _, v := range vs {
		if len(v.qis) == 0 {
			continue
		}
		if ctx.Err() != nil {
			// Interrupted (in the first probe): no stage is started for
			// a subnet not asked, and the one under way ends failed.
			return nil
		}
		live := 0
		for si := range r.servers {
			if !broken[si] {
				live++
			}
		}
		r.setStage("client subnets: "+v.Subnet.String(), len(v.qis), live)
		v.res = make([][]*query.Answer, len(r.servers))
		v.scope = make([][]uint8, len(r.servers))
		var wg sync.WaitGroup
		for si := range r.servers {
			if broken[si] {
				continue
			}
			v.res[si] = make([]*query.Answer, len(v.qis))
			v.scope[si] = make([]uint8, len(v.qis))
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := r.client(si, v.Prefix, func(k int, a *query.Answer) *query.Answer {
					r.answered.Add(1)
					r.ecs[si].see(a)
					v.scope[si][k] = noScope
					if a.ECS {
						v.scope[si][k] = a.Scope
					}
					if query.Same(a, r.ans(si, v.qis[k])) {
						return asPlain
					}
					return a
				})
				c.AskAll(ctx, len(v.qis), func(k int) (string, uint16) { return r.question(v.qis[k]) }, v.res[si], r.opts.Concurrency)
			}()
		}
		wg.Wait()
		if ctx.Err() != nil {
			return nil
		}
		// Compared now and dropped: one subnet's answers are held at a
		// time.
		out = append(out, r.compareVantage(ctx, v, broken)...)
		v.res, v.scope = nil, nil
	}
	out = r.aggregate(mergeSubnets(oneFindingPerCause(out)))
	return append(out, r.ecsNotes(dep, broken)...)
}

// vans is server si's answer from vantage v to its question k.
func (r *runner) vans(v *vantage, si, k int) *query.Answer {
	a := v.res[si][k]
	if a == asPlain {
		return r.ans(si, v.qis[k])
	}
	return a
}

func scopeText(s uint8) string {
	if s == noScope {
		return "no ECS option"
	}
	return fmt.Sprintf("scope /%d", s)
}

// compareVantage compares the answers from one subnet: the servers of
// each side with the side's representative, and old with new. A
// difference that the plain answers already show (the same answers) is
// not repeated.
func (r *runner) compareVantage(ctx context.Context, v *vantage, broken []bool) []Finding {
	oi, ni := r.rep[0], r.rep[1]
	var out []Finding
	from := "for clients in " + v.Subnet.String()
	for k, qi := range v.qis {
		q := r.qs[qi]
		base := r.base(qi)
		base.Subnet, base.Region = v.Prefix.String(), v.Region
		base.group = "ecs"
		out = append(out, r.disagree(ctx, q, base, from+": ", broken, func(si int) *query.Answer { return r.vans(v, si, k) },
			func(first, si int) bool { // the same as the plain answers: reported there
				return query.Same(r.vans(v, first, k), r.ans(first, qi)) && query.Same(r.vans(v, si, k), r.ans(si, qi))
			})...)
		if oi < 0 || ni < 0 {
			continue
		}
		o, n := r.vans(v, oi, k), r.vans(v, ni, k)
		if query.Same(o, r.ans(oi, qi)) && query.Same(n, r.ans(ni, qi)) {
			continue
		}
		for _, d := range r.differences(ctx, q, oi, ni, o, n, "old", "new") {
			f := base
			f.Kind, f.Severity, f.cause = d.kind, d.sev, d.cause
			f.core = d.detail
			f.about = fmt.Sprintf(" (old %s, new %s)", scopeText(v.scope[oi][k]), scopeText(v.scope[ni][k]))
			f.Detail = from + ": " + f.core + f.about
			f.Old, f.New = r.text(o), r.text(n)
			f.NSIDOld, f.NSIDNew = r.node(oi, o), r.node(ni, n)
			out = append(out, f)
		}
	}
	return out
}

// mergeSubnets reports a difference seen the same way from several
// subnets once (a TTL that differs for every region, say): the same
// question, kind and difference; the finding names every subnet (Subnet
// and Region list them, comma-separated) and shows the first one's
// answers and scopes.
func mergeSubnets(fs []Finding) []Finding {
	type key struct{ name, typ, kind, core, group string }
	first := map[key]int{}
	var from [][]Finding
	var out []Finding
	for _, f := range fs {
		k := key{f.Name, f.Type, f.Kind, f.core, f.group}
		if i, ok := first[k]; ok {
			from[i] = append(from[i], f)
			continue
		}
		first[k] = len(out)
		out = append(out, f)
		from = append(from, []Finding{f})
	}
	for i := range out {
		fs := from[i]
		if len(fs) == 1 {
			continue
		}
		var names, subnets, regions []string
		for _, f := range fs {
			s := Subnet{Region: f.Region, Prefix: netip.MustParsePrefix(f.Subnet)}
			names = append(names, s.String())
			subnets = append(subnets, f.Subnet)
			if f.Region != "" {
				regions = append(regions, f.Region)
			}
		}
		f := &out[i]
		f.Subnet = strings.Join(subnets, ", ")
		f.Region = ""
		if len(regions) == len(fs) {
			f.Region = strings.Join(regions, ", ")
		}
		f.Detail = fmt.Sprintf("for clients in %s (the same from each): %s%s; old and new show the answers from %s", strings.Join(names, ", "), f.core, f.about, names[0])
		for _, g := range fs {
			if sevRank[g.Severity] < sevRank[f.Severity] {
				f.Severity = g.Severity
			}
		}
	}
	return out
}

// ecsNotes: a server that answered ECS queries but never with a scope
// over 0 ignores ECS (or serves nothing client-dependent): noted once, as
// info, when client-dependent questions were found; and a note when the
// subnets found none.
func (r *runner) ecsNotes(dep []int, broken []bool) []Finding {
	if len(r.opts.Subnets) == 0 {
		return nil
	}
	if len(dep) == 0 {
		return []Finding{{Name: r.z.Origin, Type: "ANY", Severity: SevInfo, Kind: "ecs",
			Detail: fmt.Sprintf("no client-dependent answers found: no question's answer, asked from %s, had a scope over 0 or differed from the plain answer", r.opts.Subnets[0].String()+and(r.opts.Subnets))}}
	}
	var out []Finding
	for si, s := range r.servers {
		u := &r.ecs[si]
		if broken[si] || u.answered.Load() == 0 || u.scoped.Load() {
			continue
		}
		out = append(out, Finding{Name: r.z.Origin, Type: "ANY", Severity: SevInfo, Kind: "ecs", group: "server " + s.Addr,
			Detail: fmt.Sprintf("%s ignores EDNS Client Subnet: all %d of its answers to ECS queries had scope 0 or no ECS option, while %d questions are client-dependent; what it answers from each subnet is compared per name", s, u.answered.Load(), len(dep))})
	}
	return out
}

func and(subs []Subnet) string {
	if len(subs) < 2 {
		return ""
	}
	return " and " + subs[1].String()
}
