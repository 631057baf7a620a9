package parity

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
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

// txtSource answers TXT questions for one side: in-zone names from that
// side's first server (the run's answers when the question was asked),
// other names from the resolver, if any.
type txtSource struct {
	r        *runner
	si       int // server index
	resolver *exchanger
	index    map[zone.Key]int
	cache    map[string]*Answer
}

// txt returns the concatenated TXT strings at name; known is false when
// the name could not be asked (out of zone without a resolver).
func (t *txtSource) txt(ctx context.Context, name string) (recs []string, a *Answer, known bool) {
	name = zone.CanonicalName(name)
	if a = t.cache[name]; a == nil {
		switch {
		case t.r.z.InZone(name):
			if qi, ok := t.index[zone.Key{Name: name, Type: dns.TypeTXT}]; ok {
				a = t.r.res[t.si][qi]
			} else if q, err := packQuery(name, dns.TypeTXT); err == nil {
				a = t.r.ex[t.si].ask(ctx, q)
			}
		case t.resolver != nil:
			if q, err := packQuery(name, dns.TypeTXT); err == nil {
				q[2] |= 1 // RD
				a = t.resolver.ask(ctx, q)
			}
		}
		if a == nil {
			return nil, nil, false
		}
		t.cache[name] = a
	}
	for _, rr := range a.Answer {
		if rr.Type == dns.TypeTXT && rr.Name == name {
			recs = append(recs, strings.Join(zone.TXTStrings(rr.Rdata), ""))
		}
	}
	sort.Strings(recs)
	return recs, a, true
}

// spfNode is one evaluated SPF record.
type spfNode struct {
	name     string
	own      int // DNS-querying terms of this record
	total    int // own plus all below
	voids    int
	children []*spfNode
	unknown  []string
	problems []string
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

// evalSPF counts the lookups of the SPF record at name, following include
// and redirect.
func evalSPF(ctx context.Context, src *txtSource, name string, depth int, path map[string]bool) *spfNode {
	n := &spfNode{name: zone.CanonicalName(name)}
	if depth > spfLimit || path[n.name] {
		n.problems = append(n.problems, "include loop at "+n.name)
		return n
	}
	recs, a, known := src.txt(ctx, n.name)
	if !known {
		n.unknown = append(n.unknown, n.name)
		return n
	}
	rec, count := spfRecord(recs)
	if count == 0 {
		if a.Class() == ClassNXDomain || a.Class() == ClassNoData {
			n.voids++
		}
		n.problems = append(n.problems, "no SPF record at "+n.name+" ("+a.Status()+")")
		return n
	}
	if count > 1 {
		n.problems = append(n.problems, fmt.Sprintf("%d SPF records at %s (permerror)", count, n.name))
	}
	path[n.name] = true
	defer delete(path, n.name)
	for _, term := range strings.Fields(rec)[1:] {
		t := strings.ToLower(strings.TrimLeft(term, "+-~?"))
		mech, arg := t, ""
		if i := strings.IndexAny(t, ":="); i >= 0 {
			mech, arg = t[:i], term[len(term)-len(t)+i+1:]
		}
		if i := strings.IndexByte(mech, '/'); i >= 0 {
			mech = mech[:i]
		}
		switch mech {
		case "a", "mx", "ptr", "exists":
			n.own++
		case "include", "redirect":
			n.own++
			if arg == "" || strings.Contains(arg, "%") {
				continue // macros: counted, not followed
			}
			c := evalSPF(ctx, src, arg, depth+1, path)
			n.children = append(n.children, c)
		}
	}
	n.total = n.own
	for _, c := range n.children {
		n.total += c.total
		n.voids += c.voids
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
	var resolver *exchanger
	if r.opts.Resolver != "" {
		addr := r.opts.Resolver
		if _, _, err := net.SplitHostPort(addr); err != nil {
			addr = net.JoinHostPort(strings.Trim(addr, "[]"), "53")
		}
		resolver = &exchanger{srv: &server{side: "resolver", addr: addr}, timeout: r.opts.Timeout, retries: r.opts.Retries, queries: &r.queries}
	}
	srcs := []*txtSource{
		{r: r, si: 0, resolver: resolver, index: index, cache: map[string]*Answer{}},
		{r: r, si: r.nOld, resolver: resolver, index: index, cache: map[string]*Answer{}},
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
			f.Old, f.New = fmt.Sprintf("%d void lookups", o.voids), fmt.Sprintf("%d void lookups", n.voids)
			f.Detail = fmt.Sprintf("more than %d SPF lookups return nothing (RFC 7208 §4.6.4): permerror", voidLimit)
			out = append(out, f)
		}
		unknown := dedupe(sortCopy(append(append([]string{}, o.unknown...), n.unknown...)))
		for _, u := range unknown {
			f := base
			f.Kind, f.Severity = "spf-unknown", SevInfo
			f.Detail = fmt.Sprintf("include %s is outside the zone and no resolver is set (--resolver): its lookups are not counted", strings.TrimSuffix(u, "."))
			out = append(out, f)
		}
	}
	return out
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
			a := r.res[src.si][qi]
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
					f.Old, f.New = r.res[0][qi].Text(), r.res[r.nOld][qi].Text()
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
			f.Old, f.New = r.res[0][qi].Text(), r.res[r.nOld][qi].Text()
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
