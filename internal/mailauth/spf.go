package mailauth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// RFC 7208 §4.6.4: at most LookupLimit DNS-querying terms, at most
// VoidLimit lookups that return nothing, at most LookupLimit address
// lookups per mx or ptr.
const (
	LookupLimit = 10
	VoidLimit   = 2
)

// Result is the answer to one lookup, reduced to what the mail checks use.
type Result struct {
	// Status names the outcome: NOERROR, NODATA, NXDOMAIN, SERVFAIL,
	// timeout, referral, ...
	Status string
	// Failed: no usable answer (a server failure, a timeout, a referral).
	Failed bool
	// Records are the records of the asked type at the name: TXT each
	// record's strings concatenated, MX the exchange names, A and AAAA
	// the addresses.
	Records []string
}

// Void reports whether the lookup returned nothing: NXDOMAIN, or RCODE 0
// with no answer (RFC 7208 §4.6.4).
func (r Result) Void() bool { return !r.Failed && len(r.Records) == 0 }

// ErrNotAsked is what a Resolver returns for a name it cannot ask (outside
// the zone with no resolver configured).
var ErrNotAsked = errors.New("not asked")

// Resolver answers the lookups of an SPF evaluation.
type Resolver interface {
	Lookup(ctx context.Context, name string, qtype uint16) (Result, error)
}

// Unknown is an include or redirect target whose record could not be
// read: its lookups are not counted. Why completes "the target NAME is".
type Unknown struct {
	Name, Why string
}

// String says u as a report does: the target, why it was not read, and
// that its lookups are not counted.
func (u Unknown) String() string {
	return fmt.Sprintf("the include or redirect= target %s is %s: its lookups are not counted", strings.TrimSuffix(u.Name, "."), u.Why)
}

// Node is one evaluated SPF record and what it includes.
type Node struct {
	Name     string
	Own      int // DNS-querying terms of this record
	Total    int // Own plus everything below
	Voids    int // lookups answering NXDOMAIN or NODATA, here and below
	VoidAt   []string
	Children []*Node
	Unknown  []Unknown
	Problems []string // permerrors, here and below
	// Read: an SPF record was found at Name and parsed, so Own and Total
	// count its terms; false when there is none (a split unquoted record
	// receivers read as another word, RFC 7208 §3.3, or no TXT at all), it
	// does not parse, or its lookup failed: 0 lookups then is no record's
	// cost, not a cheaper record's.
	Read bool
}

// Evaluate evaluates the SPF record at name the way RFC 7208 §4.6.4
// counts, for a sender no term matches (every term is counted; a receiver
// stops at the first match): include, a, mx, ptr, exists and redirect cost one DNS lookup each
// (all, ip4, ip6 and exp none); include and redirect are followed (a
// redirect next to an all mechanism is ignored, §6.1); the a, mx and
// exists targets are looked up (A, as for an IPv4 sender; MX and then the
// A of every exchange for mx) to count void lookups; an mx target with
// more than 10 MX records is a permerror. Arguments with macros are
// counted; those whose macros are of the domain alone (%{d}) are expanded
// and looked up (expandDomainMacros), an include or redirect target with a
// macro of the sender is not and is reported in Unknown; ptr is counted
// only. An include or redirect
// loop, a record that does not parse (RFC 7208 §12), several SPF records
// at one name, an include or redirect target without an SPF record are
// permerrors.
func Evaluate(ctx context.Context, res Resolver, name string) *Node {
	return evaluate(ctx, res, zone.Fold(dns.Fqdn(name)), &evalPath{at: map[string]int{}}, "")
}

// evalPath is the chain of records an evaluation is in: the depth of
// each name on it, and the term that led to each depth ("include" or
// "redirect"; "" for the first).
type evalPath struct {
	at  map[string]int
	via []string
}

// loop says what a name met again on the path is, by the terms that lead
// from it back to itself (the last one via): an include loop, a redirect
// loop (RFC 7208 §6.1: each redirect= is evaluated as a new check_host(),
// so a chain of them that comes back never ends but at the lookup
// limit), or a loop of both.
func (p *evalPath) loop(name string, via string) string {
	include, redirect := via == "include", via == "redirect"
	for _, v := range p.via[p.at[name]+1:] {
		include = include || v == "include"
		redirect = redirect || v == "redirect"
	}
	switch {
	case include && redirect:
		return "include and redirect loop at " + trim(name) + " (an include of it or a redirect= to it leads back to itself through others)"
	case redirect:
		return "redirect loop at " + trim(name) + " (its redirect= leads back to itself, directly or through others)"
	}
	return "include loop at " + trim(name) + " (it includes itself, directly or through others)"
}

func trim(name string) string { return strings.TrimSuffix(name, ".") }

func evaluate(ctx context.Context, res Resolver, name string, path *evalPath, via string) *Node {
	n := &Node{Name: zone.Fold(dns.Fqdn(name))}
	depth := len(path.via)
	if _, ok := path.at[n.Name]; ok {
		n.Problems = append(n.Problems, path.loop(n.Name, via))
		return n
	}
	if depth > LookupLimit {
		n.Problems = append(n.Problems, "includes nested deeper than "+fmt.Sprint(LookupLimit)+" at "+trim(n.Name))
		return n
	}
	spf := n.read(ctx, res, depth)
	if spf == nil {
		return n
	}
	n.Read = true
	path.at[n.Name] = depth
	path.via = append(path.via, via)
	defer func() {
		delete(path.at, n.Name)
		path.via = path.via[:depth]
	}()
	hasAll := spf.hasAll()
	// lookup looks target up and counts it when void; ok is false when
	// it could not be asked or failed.
	lookup := func(target string, qt uint16) (Result, bool) {
		r, err := res.Lookup(ctx, target, qt)
		if err != nil || r.Failed {
			return r, false
		}
		if r.Void() {
			n.Voids++
			n.VoidAt = append(n.VoidAt, zone.Fold(dns.Fqdn(target))+" "+dns.Type(qt).String())
		}
		return r, true
	}
	for _, t := range spf.Terms {
		target := t.Arg
		if target == "" {
			target = n.Name
		}
		// A macro of the domain alone (%{d}, %{d2}, %{dr}) reads the
		// same for every message: it is expanded here and looked up; one
		// of the sender (%{i}, %{s}, %{l}, %{o}, %{h}, %{p}, %{v}) is
		// expanded per message, so its target is not known here.
		fixed := true
		if t.Macro() {
			target, fixed = expandDomainMacros(t.Arg, n.Name)
		}
		switch {
		case !t.Modifier && t.Mech == "ptr":
			n.Own++
		case !t.Modifier && (t.Mech == "a" || t.Mech == "exists"):
			n.Own++
			if fixed {
				lookup(target, dns.TypeA)
			}
		case !t.Modifier && t.Mech == "mx":
			n.Own++
			if !fixed {
				continue
			}
			r, ok := lookup(target, dns.TypeMX)
			if !ok {
				continue
			}
			if len(r.Records) > LookupLimit {
				n.Problems = append(n.Problems, fmt.Sprintf("mx:%s has %d MX records; more than %d address lookups for one mx is a permerror (RFC 7208 §4.6.4)", trim(zone.Fold(dns.Fqdn(target))), len(r.Records), LookupLimit))
				continue
			}
			// Each exchange's address lookup counts against the void
			// limit too (RFC 7208 §4.6.4).
			for _, ex := range r.Records {
				if ex != "." {
					lookup(ex, dns.TypeA)
				}
			}
		case t.follows():
			if t.Modifier && hasAll {
				continue // ignored next to an all mechanism (RFC 7208 §6.1)
			}
			n.Own++
			if !fixed {
				// Counted, and said: the lookups of its record are
				// not, where a receiver makes them per message.
				n.Unknown = append(n.Unknown, Unknown{t.Arg, "expanded per message by its macro (RFC 7208 §7.2, §7.3: the sender's address or name), so its record cannot be read here"})
				continue
			}
			n.Children = append(n.Children, evaluate(ctx, res, target, path, t.Mech))
		}
	}
	n.Total = n.Own
	for _, c := range n.Children {
		n.Total += c.Total
		n.Voids += c.Voids
		n.VoidAt = append(n.VoidAt, c.VoidAt...)
		n.Unknown = append(n.Unknown, c.Unknown...)
		n.Problems = append(n.Problems, c.Problems...)
	}
	return n
}

// read looks n's TXT records up and parses its SPF record (depth: how
// deep in the chain n is; at the top a name without one is no problem).
// nil when there is none to follow: n says why (a problem, a void lookup,
// or a name that could not be read).
func (n *Node) read(ctx context.Context, res Resolver, depth int) *SPF {
	r, err := res.Lookup(ctx, n.Name, dns.TypeTXT)
	if err != nil {
		n.Unknown = append(n.Unknown, Unknown{n.Name, "outside the zone (or a CNAME leads there) and no resolver is set (--resolver)"})
		return nil
	}
	if r.Failed {
		n.Unknown = append(n.Unknown, Unknown{n.Name, "unreadable (its TXT lookup answered " + r.Status + ")"})
		return nil
	}
	rec, count := SelectSPF(r.Records)
	if count == 0 {
		if r.Void() {
			n.Voids++
			n.VoidAt = append(n.VoidAt, n.Name)
		}
		if depth > 0 {
			n.Problems = append(n.Problems, "no SPF record at "+trim(n.Name)+" ("+r.Status+"): an include or redirect of it is a permerror")
		}
		return nil
	}
	if count > 1 {
		n.Problems = append(n.Problems, manyRecords(count, n.Name))
	}
	spf, err := ParseSPF(rec)
	if err != nil {
		n.Problems = append(n.Problems, notParsed(n.Name, err))
		return nil
	}
	return spf
}

// Chain names the include chain that costs the most lookups
// ("example.com → _spf.vendor.net → ...").
func (n *Node) Chain() string {
	parts := []string{trim(n.Name)}
	for cur := n; len(cur.Children) > 0; {
		best := cur.Children[0]
		for _, c := range cur.Children[1:] {
			if c.Total > best.Total {
				best = c
			}
		}
		if best.Total == 0 && len(cur.Children) > 1 {
			// Several includes and none costs a lookup of its own: the
			// count is this record's terms, and naming the first of
			// them (one that may not even exist) said the lookups came
			// from there. A lone include is the chain's next link.
			break
		}
		parts = append(parts, trim(best.Name))
		cur = best
	}
	return strings.Join(parts, " → ")
}

// Reached lists the names whose SPF records the evaluation read (n and
// every include and redirect target below it).
func (n *Node) Reached() []string {
	out := []string{n.Name}
	for _, c := range n.Children {
		out = append(out, c.Reached()...)
	}
	return out
}

// CountsDiffer names where two evaluations of one SPF record (a's and
// b's, the sides an and bn) count otherwise: each record (the root and
// every include or redirect target, in the order a then b reach them)
// whose own lookups differ or that one side reads and the other does
// not, "NAME (x on an, y on bn)"; at most 3. A total that differs
// between the sides is caused there, where a record differs (another
// text, or one split so that it reads otherwise, RFC 7208 §3.3).
func CountsDiffer(a, b *Node, an, bn string) []string {
	own := func(n *Node) (map[string]int, []string) {
		m := map[string]int{}
		var order []string
		var walk func(*Node)
		walk = func(x *Node) {
			if x.Read {
				if _, ok := m[x.Name]; !ok {
					order = append(order, x.Name)
				}
				m[x.Name] += x.Own
			}
			for _, c := range x.Children {
				walk(c)
			}
		}
		walk(n)
		return m, order
	}
	oa, na := own(a)
	ob, nb := own(b)
	count := func(m map[string]int, name string) string {
		if v, ok := m[name]; ok {
			return fmt.Sprint(v)
		}
		return "not read"
	}
	var out []string
	for _, name := range append(na, nb...) {
		va, okA := oa[name]
		vb, okB := ob[name]
		if okA == okB && va == vb || slices.Contains(out, name) || len(out) == 3 {
			continue
		}
		out = append(out, name)
	}
	for i, name := range out {
		out[i] = fmt.Sprintf("%s (%s on %s, %s on %s)", trim(name), count(oa, name), an, count(ob, name), bn)
	}
	return out
}

// Summary is the count and the costliest chain.
func (n *Node) Summary() string {
	s := fmt.Sprintf("%d DNS lookups (%s)", n.Total, n.Chain())
	if len(n.Unknown) > 0 {
		s += fmt.Sprintf(", %s not counted", plural.N(len(n.Unknown), "include", "includes"))
	}
	return s
}

// VoidText is the void lookup count and where they happened.
func (n *Node) VoidText() string {
	s := fmt.Sprintf("%d void lookups", n.Voids)
	if len(n.VoidAt) > 0 {
		var names []string
		for _, v := range n.VoidAt {
			names = append(names, strings.TrimSuffix(strings.Replace(v, ". ", " ", 1), "."))
		}
		s += " (" + strings.Join(names, ", ") + ")"
	}
	return s
}

// hasAll reports whether the record has an all mechanism (a redirect
// next to it is ignored, RFC 7208 §6.1).
func (s *SPF) hasAll() bool {
	for _, t := range s.Terms {
		if !t.Modifier && t.Mech == "all" {
			return true
		}
	}
	return false
}

// manyRecords and notParsed are the permerrors of the records at one
// name (name absolute, lower case); Permerror says they are ones.
func manyRecords(count int, name string) string {
	return fmt.Sprintf("%d SPF records at %s (RFC 7208 §4.5: at most one)", count, trim(name))
}

func notParsed(name string, err error) string {
	return fmt.Sprintf("the SPF record at %s does not parse: %v", trim(name), err)
}

// Lookups is what Evaluate counts for the record itself (Node.Own:
// include, a, mx, ptr, exists, and redirect unless next to all) and the
// names those terms look up: the argument (its %{d} macros expanded at
// owner), or owner for a and mx without one; none for ptr and for
// arguments with macros of the sender.
func (s *SPF) Lookups(owner string) (n int, names []string) {
	asks := func(name string) {
		if name == "" {
			name = owner
		}
		if strings.Contains(name, "%") {
			name, _ = expandDomainMacros(name, zone.Fold(dns.Fqdn(owner)))
		}
		names = append(names, name)
	}
	var c lookupCount
	for _, t := range s.Terms {
		c.add(t, asks)
	}
	return c.done(asks), names
}

// lookupCount counts the terms of a record, given one by one, as
// Evaluate counts them for the record itself, calling asks with each name
// they look up ("" for the owner), in the record's order (a redirect
// last: it counts only when the record has no all mechanism, RFC 7208
// §6.1).
type lookupCount struct {
	n           int
	hasAll      bool
	hasRedirect bool
	redirect    Term
}

func (c *lookupCount) add(t Term, asks func(name string)) {
	// The cases of evaluate's switch, in its order.
	switch {
	case !t.Modifier && t.Mech == "all":
		c.hasAll = true
		return
	case !t.Modifier && t.Mech == "ptr":
		c.n++
		return
	case !t.Modifier && (t.Mech == "a" || t.Mech == "exists" || t.Mech == "mx"):
	case t.Modifier && t.Mech == "redirect":
		c.hasRedirect, c.redirect = true, t
		return
	case !t.Modifier && t.Mech == "include":
	default:
		return
	}
	c.n++
	if fixedTarget(t) {
		asks(t.Arg)
	}
}

// fixedTarget reports whether t's argument names the same domain for
// every message: no macro, or macros of the domain alone (%{d}: asks
// gets the argument unexpanded, expandDomainMacros expands it at the
// record's owner), as Evaluate looks it up.
func fixedTarget(t Term) bool {
	if !t.Macro() {
		return true
	}
	_, ok := expandDomainMacros(t.Arg, "owner.invalid.")
	return ok
}

// done counts the redirect, if any, and returns the count.
func (c *lookupCount) done(asks func(name string)) int {
	if c.hasRedirect && !c.hasAll {
		c.n++
		if fixedTarget(c.redirect) {
			asks(c.redirect.Arg)
		}
	}
	return c.n
}

// The wording of what an evaluation finds, for every report of it (parity
// on each side, check on the zone file).

// OverLimit says the record needs more than LookupLimit lookups
// (n.Total > LookupLimit), and how to fix it.
func (n *Node) OverLimit() string {
	return fmt.Sprintf("SPF needs %d DNS lookups (limit %d, RFC 7208 §4.6.4), receivers return permerror: %s; %s", n.Total, LookupLimit, n.Chain(), LookupsAdvice)
}

// VoidsOverLimit says more than VoidLimit lookups returned nothing.
func VoidsOverLimit() string {
	return fmt.Sprintf("more than %d SPF lookups answer NXDOMAIN or NODATA (void lookups, RFC 7208 §4.6.4): receivers return permerror", VoidLimit)
}

// LookupsAdvice and VoidsAdvice say how to fix a record over LookupLimit
// lookups, or over VoidLimit void lookups: every report of one ends with
// it (check on the zone file, parity on each side).
const (
	LookupsAdvice = "to fix: replace include:, a and mx mechanisms by the ip4:/ip6: ranges they stand for, or drop includes of senders no longer used, until the chain needs 10 lookups or fewer"
	VoidsAdvice   = "to fix: remove the mechanisms naming names that have no record asked for, or give those names their records"
)

// Permerror says what makes the evaluation fail (Node.Problems).
func Permerror(problems []string) string {
	return "SPF evaluation fails (permerror): " + strings.Join(problems, "; ")
}

// expandDomainMacros expands the macros of domain-spec spec that read the
// same for every message, evaluated at domain (absolute, lower case): %{d}
// with its transformers and delimiters (RFC 7208 §7.3: split at the
// delimiters, "." by default, reversed with r, the rightmost N parts
// kept, joined with "."; %{D} URL-encodes, which changes no character a
// domain holds). ok is false when spec holds another macro (the sender's
// i, s, l, o, h, p, v; %%, %_ and %- make no domain name either).
func expandDomainMacros(spec, domain string) (expanded string, ok bool) {
	var b strings.Builder
	for i := 0; i < len(spec); i++ {
		if spec[i] != '%' {
			b.WriteByte(spec[i])
			continue
		}
		if i+1 >= len(spec) || spec[i+1] != '{' {
			return "", false
		}
		end := strings.IndexByte(spec[i:], '}')
		if end < 0 {
			return "", false
		}
		body := spec[i+2 : i+end]
		i += end
		if body == "" || body[0] != 'd' && body[0] != 'D' {
			return "", false
		}
		j := 1
		for j < len(body) && isDigit(body[j]) {
			j++
		}
		keep, _ := strconv.Atoi(body[1:j])
		reverse := j < len(body) && (body[j] == 'r' || body[j] == 'R')
		if reverse {
			j++
		}
		delims := body[j:]
		if delims == "" {
			delims = "."
		}
		parts := strings.FieldsFunc(trim(domain), func(r rune) bool { return strings.ContainsRune(delims, r) })
		if reverse {
			slices.Reverse(parts)
		}
		if keep > 0 && keep < len(parts) {
			parts = parts[len(parts)-keep:]
		}
		b.WriteString(strings.Join(parts, "."))
	}
	return b.String(), true
}
