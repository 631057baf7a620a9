package parity

import (
	"context"
	"encoding/base64"
	"fmt"
	"github.com/dnsparity/dnsparity/internal/query"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// spfLimit is RFC 7208 §4.6.4's limit on DNS-querying terms; voidLimit the
// limit on lookups that return nothing.
const (
	spfLimit  = 10
	voidLimit = 2
)

// txtSource answers the mail checks' questions for one side: in-zone names
// (not below a zone cut) from that side's server (the run's answers when
// the question was asked), other names from the resolver, if any.
type txtSource struct {
	r        *runner
	si       int // server index
	resolver *query.Client
	index    map[zone.Key]int
	cache    map[zone.Key]*query.Answer
}

// lookup answers (name, t); known is false when the name could not be
// asked (out of zone, or below a zone cut, without a resolver).
func (t *txtSource) lookup(ctx context.Context, name string, qt uint16) (a *query.Answer, known bool) {
	name = zone.CanonicalName(name)
	k := zone.Key{Name: name, Type: qt}
	if a, ok := t.cache[k]; ok {
		return a, a != nil
	}
	switch {
	case t.r.z.InZone(name) && t.r.v.cut(name) == "":
		if qi, ok := t.index[k]; ok {
			a = t.r.ans(t.si, qi)
		} else if q, err := query.PackQuery(name, qt); err == nil {
			a = t.r.ex[t.si].Ask(ctx, q)
		}
	case t.resolver != nil:
		if q, err := query.PackQuery(name, qt); err == nil {
			a = t.resolver.Ask(ctx, q)
		}
	}
	t.cache[k] = a
	return a, a != nil
}

// txt returns the concatenated TXT strings at name; known is false when
// the name could not be asked (out of zone without a resolver).
func (t *txtSource) txt(ctx context.Context, name string) (recs []string, a *query.Answer, known bool) {
	name = zone.CanonicalName(name)
	a, known = t.lookup(ctx, name, dns.TypeTXT)
	if !known {
		return nil, nil, false
	}
	for _, rr := range a.Answer {
		if rr.Type == dns.TypeTXT && rr.Name == name {
			recs = append(recs, strings.Join(zone.TXTStrings(rr.Rdata), ""))
		}
	}
	sort.Strings(recs)
	return recs, a, true
}

// unknownSPF is an include or redirect target whose record could not be
// read: its lookups are not counted.
type unknownSPF struct {
	name, why string
}

// spfNode is one evaluated SPF record.
type spfNode struct {
	name     string
	own      int // DNS-querying terms of this record
	total    int // own plus all below
	voids    int // lookups answering NXDOMAIN or NODATA, here and below
	voidAt   []string
	children []*spfNode
	unknown  []unknownSPF
	problems []string // permerrors
}

func spfRecord(recs []string) (string, int) {
	var found []string
	for _, r := range recs {
		l := strings.ToLower(r)
		if l == "v=spf1" || strings.HasPrefix(l, "v=spf1 ") {
			found = append(found, r)
		}
	}
	if len(found) == 0 {
		return "", 0
	}
	return found[0], len(found)
}

// spfTerm is one term of an SPF record: mechanism or modifier name (lower
// case, without qualifier and CIDR length) and its domain-spec.
type spfTerm struct {
	mech, arg string
}

func spfTerms(rec string) []spfTerm {
	var out []spfTerm
	for _, term := range strings.Fields(rec)[1:] {
		t := strings.TrimLeft(term, "+-~?")
		mech, arg := strings.ToLower(t), ""
		if i := strings.IndexAny(t, ":="); i >= 0 {
			mech, arg = strings.ToLower(t[:i]), t[i+1:]
		}
		if i := strings.IndexByte(mech, '/'); i >= 0 {
			mech = mech[:i] // a/24, mx//64
		}
		if mech == "a" || mech == "mx" {
			if i := strings.IndexByte(arg, '/'); i >= 0 {
				arg = arg[:i] // a:host/24
			}
		}
		out = append(out, spfTerm{mech, arg})
	}
	return out
}

// voidClass reports whether an answer is a void lookup (RFC 7208 §4.6.4:
// RCODE 0 with no answer, or NXDOMAIN).
func voidClass(a *query.Answer) bool {
	c := a.Class()
	return c == query.ClassNoData || c == query.ClassNXDomain
}

// evalSPF evaluates the SPF record at name the way RFC 7208 §4.6.4 counts:
// include, a, mx, ptr, exists and redirect cost one DNS lookup each (all,
// ip4, ip6 and exp none); include and redirect are followed; the a, mx and
// exists targets are looked up (A for a and exists, as for an IPv4
// sender; MX for mx) to count void lookups; an mx target with more than
// 10 MX records is a permerror. Arguments with macros are counted, not
// looked up; ptr is counted only (its lookup depends on the sender).
func evalSPF(ctx context.Context, src *txtSource, name string, depth int, path map[string]bool) *spfNode {
	n := &spfNode{name: zone.CanonicalName(name)}
	if depth > spfLimit || path[n.name] {
		n.problems = append(n.problems, "include loop at "+n.name)
		return n
	}
	recs, a, known := src.txt(ctx, n.name)
	if !known {
		n.unknown = append(n.unknown, unknownSPF{n.name, "outside the zone and no resolver is set (--resolver)"})
		return n
	}
	if c := a.Class(); c == query.ClassFailure || c == query.ClassReferral {
		n.unknown = append(n.unknown, unknownSPF{n.name, "its TXT lookup answered " + a.Status()})
		return n
	}
	rec, count := spfRecord(recs)
	if count == 0 {
		if voidClass(a) {
			n.voids++
			n.voidAt = append(n.voidAt, n.name)
		}
		if depth > 0 {
			n.problems = append(n.problems, "no SPF record at "+strings.TrimSuffix(n.name, ".")+" ("+a.Status()+"): an include or redirect of it is a permerror")
		}
		return n
	}
	if count > 1 {
		n.problems = append(n.problems, fmt.Sprintf("%d SPF records at %s (permerror)", count, strings.TrimSuffix(n.name, ".")))
	}
	path[n.name] = true
	defer delete(path, n.name)
	terms := spfTerms(rec)
	hasAll := false
	for _, t := range terms {
		if t.mech == "all" {
			hasAll = true
		}
	}
	void := func(target string, qt uint16) *query.Answer {
		a, known := src.lookup(ctx, target, qt)
		if !known {
			return nil
		}
		if voidClass(a) {
			n.voids++
			n.voidAt = append(n.voidAt, zone.CanonicalName(target))
		}
		return a
	}
	for _, t := range terms {
		target := t.arg
		if target == "" {
			target = n.name
		}
		macro := strings.Contains(t.arg, "%")
		switch t.mech {
		case "ptr":
			n.own++
		case "a", "exists":
			n.own++
			if !macro && (t.mech == "a" || t.arg != "") {
				void(target, dns.TypeA)
			}
		case "mx":
			n.own++
			if macro {
				continue
			}
			if a := void(target, dns.TypeMX); a != nil {
				mx := 0
				for _, rr := range a.Answer {
					if rr.Type == dns.TypeMX {
						mx++
					}
				}
				if mx > spfLimit {
					n.problems = append(n.problems, fmt.Sprintf("mx:%s has %d MX records; more than %d address lookups for one mx is a permerror (RFC 7208 §4.6.4)", strings.TrimSuffix(zone.CanonicalName(target), "."), mx, spfLimit))
				}
			}
		case "include", "redirect":
			if t.mech == "redirect" && hasAll {
				continue // ignored next to an all mechanism (RFC 7208 §6.1)
			}
			n.own++
			if t.arg == "" || macro {
				continue // counted, not followed
			}
			c := evalSPF(ctx, src, t.arg, depth+1, path)
			n.children = append(n.children, c)
		}
	}
	n.total = n.own
	for _, c := range n.children {
		n.total += c.total
		n.voids += c.voids
		n.voidAt = append(n.voidAt, c.voidAt...)
		n.unknown = append(n.unknown, c.unknown...)
		n.problems = append(n.problems, c.problems...)
	}
	return n
}

// chainText names the include chain that costs the most lookups.
func (n *spfNode) chainText() string {
	parts := []string{strings.TrimSuffix(n.name, ".")}
	for cur := n; len(cur.children) > 0; {
		best := cur.children[0]
		for _, c := range cur.children[1:] {
			if c.total > best.total {
				best = c
			}
		}
		parts = append(parts, strings.TrimSuffix(best.name, "."))
		cur = best
	}
	return strings.Join(parts, " → ")
}

func (n *spfNode) summary() string {
	s := fmt.Sprintf("%d DNS lookups (%s)", n.total, n.chainText())
	if len(n.unknown) > 0 {
		s += fmt.Sprintf(", %d include(s) not counted", len(n.unknown))
	}
	return s
}

// mail runs the SPF, DKIM and DMARC checks.
func (r *runner) mail(ctx context.Context) []Finding {
	index := make(map[zone.Key]int, len(r.qs))
	for i, q := range r.qs {
		index[zone.Key{Name: q.Name, Type: q.Type}] = i
	}
	var resolver *query.Client
	if r.opts.Resolver != "" {
		addr, err := query.ParseAddr(r.opts.Resolver)
		if err == nil {
			resolver = &query.Client{Server: &query.Server{Label: "resolver", Addr: addr}, Timeout: r.opts.Timeout, Retries: r.opts.Retries, Queries: &r.queries, RD: true}
		}
	}
	if r.rep[0] < 0 || r.rep[1] < 0 {
		return nil // a whole side is broken: reported once
	}
	srcs := []*txtSource{
		{r: r, si: r.rep[0], resolver: resolver, index: index, cache: map[zone.Key]*query.Answer{}},
		{r: r, si: r.rep[1], resolver: resolver, index: index, cache: map[zone.Key]*query.Answer{}},
	}
	var out []Finding
	out = append(out, r.spf(ctx, srcs)...)
	out = append(out, r.dkim(srcs, index)...)
	out = append(out, r.dmarc(ctx, srcs)...)
	return out
}

// spfRoots are the owners with an SPF record that no other in-zone SPF
// record includes.
func (r *runner) spfRoots() []*zone.RRSet {
	var roots []*zone.RRSet
	targets := map[string]bool{}
	for _, s := range r.z.Sets {
		if s.Type != dns.TypeTXT {
			continue
		}
		var recs []string
		for _, rec := range s.Records {
			recs = append(recs, strings.Join(zone.TXTStrings(rec.Rdata), ""))
		}
		rec, n := spfRecord(recs)
		if n == 0 {
			continue
		}
		roots = append(roots, s)
		for _, term := range strings.Fields(rec)[1:] {
			t := strings.ToLower(strings.TrimLeft(term, "+-~?"))
			for _, p := range []string{"include:", "redirect="} {
				if strings.HasPrefix(t, p) {
					targets[zone.CanonicalName(t[len(p):])] = true
				}
			}
		}
	}
	var out []*zone.RRSet
	for _, s := range roots {
		if !targets[s.Name] {
			out = append(out, s)
		}
	}
	return out
}

func (r *runner) spf(ctx context.Context, srcs []*txtSource) []Finding {
	var out []Finding
	for _, s := range r.spfRoots() {
		p := s.Pos()
		base := Finding{Name: s.Name, Type: "TXT", File: p.File, Line: p.Line}
		o := evalSPF(ctx, srcs[0], s.Name, 0, map[string]bool{})
		n := evalSPF(ctx, srcs[1], s.Name, 0, map[string]bool{})
		if o.total > spfLimit || n.total > spfLimit || o.total != n.total {
			f := base
			f.Kind, f.Severity = "spf-lookups", SevError
			f.Old, f.New = o.summary(), n.summary()
			worse := n
			if o.total > n.total {
				worse = o
			}
			switch {
			case o.total != n.total:
				f.Detail = fmt.Sprintf("SPF needs %d DNS lookups on old and %d on new (limit %d, RFC 7208 §4.6.4): %s", o.total, n.total, spfLimit, worse.chainText())
			default:
				f.Detail = fmt.Sprintf("SPF needs %d DNS lookups (limit %d, RFC 7208 §4.6.4), receivers return permerror: %s", o.total, spfLimit, worse.chainText())
			}
			out = append(out, f)
		}
		if o.voids > voidLimit || n.voids > voidLimit {
			f := base
			f.Kind, f.Severity = "spf-void", SevError
			f.Old, f.New = voidText(o), voidText(n)
			f.Detail = fmt.Sprintf("more than %d SPF lookups answer NXDOMAIN or NODATA (void lookups, RFC 7208 §4.6.4): receivers return permerror", voidLimit)
			out = append(out, f)
		}
		if ps := dedupe(sortCopy(append(append([]string{}, o.problems...), n.problems...))); len(ps) > 0 {
			f := base
			f.Kind, f.Severity = "spf-permerror", SevError
			f.Old, f.New = strings.Join(dedupe(sortCopy(o.problems)), "\n"), strings.Join(dedupe(sortCopy(n.problems)), "\n")
			f.Detail = "SPF evaluation fails (permerror): " + strings.Join(ps, "; ")
			out = append(out, f)
		}
		seen := map[string]bool{}
		for _, u := range append(append([]unknownSPF{}, o.unknown...), n.unknown...) {
			if seen[u.name] {
				continue
			}
			seen[u.name] = true
			f := base
			f.Kind, f.Severity = "spf-unknown", SevInfo
			f.Detail = fmt.Sprintf("include %s is %s: its lookups are not counted", strings.TrimSuffix(u.name, "."), u.why)
			out = append(out, f)
		}
	}
	return out
}

func voidText(n *spfNode) string {
	s := fmt.Sprintf("%d void lookups", n.voids)
	if len(n.voidAt) > 0 {
		var names []string
		for _, v := range n.voidAt {
			names = append(names, strings.TrimSuffix(v, "."))
		}
		s += " (" + strings.Join(names, ", ") + ")"
	}
	return s
}

func sortCopy(xs []string) []string {
	sort.Strings(xs)
	return xs
}

// checkDKIM parses a DKIM key record (RFC 6376 §3.6.1); revoked is true for
// an empty p=.
func checkDKIM(rec string) (key string, revoked bool, err error) {
	tags := strings.Split(rec, ";")
	seen := map[string]string{}
	for i, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			return "", false, fmt.Errorf("tag %q has no '='", t)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "v" {
			if i != 0 {
				return "", false, fmt.Errorf("v= must be the first tag")
			}
			if v != "DKIM1" {
				return "", false, fmt.Errorf("v=%s, want DKIM1", v)
			}
		}
		seen[k] = v
	}
	p, ok := seen["p"]
	if !ok {
		return "", false, fmt.Errorf("no p= tag")
	}
	p = strings.Join(strings.Fields(p), "")
	if p == "" {
		return "", true, nil
	}
	if _, err := base64.StdEncoding.DecodeString(p); err != nil {
		return "", false, fmt.Errorf("p= is not valid base64: %v", err)
	}
	return p, false, nil
}

func (r *runner) dkim(srcs []*txtSource, index map[zone.Key]int) []Finding {
	var out []Finding
	for _, s := range r.z.Sets {
		if s.Type != dns.TypeTXT || !strings.Contains(s.Name, "._domainkey.") {
			continue
		}
		qi, ok := index[s.Key()]
		if !ok {
			continue
		}
		p := s.Pos()
		base := Finding{Name: s.Name, Type: "TXT", File: p.File, Line: p.Line}
		keys := [2][]string{}
		for side, src := range srcs {
			a := r.ans(src.si, qi)
			name := [2]string{"old", "new"}[side]
			for _, rr := range a.Answer {
				if rr.Type != dns.TypeTXT || rr.Name != s.Name {
					continue
				}
				rec := strings.Join(zone.TXTStrings(rr.Rdata), "")
				key, revoked, err := checkDKIM(rec)
				switch {
				case err != nil:
					f := base
					f.Kind, f.Severity = "dkim", SevError
					f.Detail = fmt.Sprintf("the DKIM key record on %s does not parse: %v", name, err)
					f.Old, f.New = r.ans(r.rep[0], qi).Text(), r.ans(r.rep[1], qi).Text()
					out = append(out, f)
				case revoked:
					keys[side] = append(keys[side], "")
					if side == 0 {
						f := base
						f.Kind, f.Severity = "dkim", SevInfo
						f.Detail = "the DKIM key is revoked (empty p=)"
						out = append(out, f)
					}
				default:
					keys[side] = append(keys[side], key)
				}
			}
		}
		sort.Strings(keys[0])
		sort.Strings(keys[1])
		if strings.Join(keys[0], ",") != strings.Join(keys[1], ",") && len(keys[0]) > 0 && len(keys[1]) > 0 {
			f := base
			f.Kind, f.Severity = "dkim", SevError
			f.Detail = "the concatenated DKIM keys (p=) differ between old and new"
			f.Old, f.New = r.ans(r.rep[0], qi).Text(), r.ans(r.rep[1], qi).Text()
			out = append(out, f)
		}
	}
	return out
}

func (r *runner) dmarc(ctx context.Context, srcs []*txtSource) []Finding {
	name := "_dmarc." + r.z.Origin
	s := r.z.Get(name, dns.TypeTXT)
	if s == nil {
		return nil
	}
	p := s.Pos()
	var out []Finding
	for side, src := range srcs {
		recs, a, _ := src.txt(ctx, name)
		ok := false
		for _, rec := range recs {
			if strings.HasPrefix(rec, "v=DMARC1") {
				ok = true
			}
		}
		if !ok {
			f := Finding{Name: name, Type: "TXT", File: p.File, Line: p.Line, Kind: "dmarc", Severity: SevError}
			f.Detail = fmt.Sprintf("no DMARC record (v=DMARC1) on %s", [2]string{"old", "new"}[side])
			if a != nil {
				f.Detail += " (" + a.Status() + ")"
			}
			f.Old, f.New = srcs[0].text(ctx, name), srcs[1].text(ctx, name)
			out = append(out, f)
		}
	}
	return out
}

func (t *txtSource) text(ctx context.Context, name string) string {
	_, a, _ := t.txt(ctx, name)
	return a.Text()
}
