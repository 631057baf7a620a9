package provider

import (
	"fmt"

	"github.com/miekg/dns"
)

// Batch is the changes one request carries, and each one's operations at
// the API (Ops[i] are Changes[i]'s).
type Batch[O any] struct {
	Changes []Change
	Ops     []O
}

// Packer cuts a plan into the requests of an API that takes several
// changes per request within limits (Cloudflare's batch, DNS Made Easy's
// multi-record calls, Route 53's change batch, PowerDNS's PATCH).
type Packer[O any] struct {
	// Limits are the most one request may carry in each unit the API
	// counts (operations; records and characters; RRsets).
	Limits []int
	// Ops are the API operations of a change and what they count in each
	// unit of Limits (nothing at all: the change needs no operation, and
	// rides with the next request's).
	Ops func(c Change) (O, []int, error)
	// Split says what becomes of the changes at one name that are over a
	// limit together. Without it they go whole, in a request of their
	// own, which the API refuses if it is over its limit: a name's
	// changes are applied together or not at all (an A replaced by a
	// CNAME). With it they go one after the other in as many requests as
	// they take, deletes last, so that nothing is deleted before what
	// replaces it is there (Route 53, whose UPSERT is itself a swap); a
	// change over a limit alone is then the Ops function's error to give.
	Split bool
}

// Pack groups the changes by owner name (ByName: a name's changes
// together, names that only lose records last) and fills the requests in
// that order: a name's changes join the current request when they fit
// its limits, else start the next one.
func (pk Packer[O]) Pack(cs []Change) ([]Batch[O], error) {
	var out []Batch[O]
	var b Batch[O]
	used := make([]int, len(pk.Limits))
	flush := func() {
		if len(b.Changes) > 0 {
			out = append(out, b)
		}
		b = Batch[O]{}
		clear(used)
	}
	// room starts a new request unless cost fits beside what the current
	// one holds (a request holding nothing yet takes anything).
	room := func(cost []int) {
		busy, over := false, false
		for i, lim := range pk.Limits {
			busy = busy || used[i] > 0
			over = over || used[i]+cost[i] > lim
		}
		if busy && over {
			flush()
		}
	}
	add := func(c Change, o O, cost []int) {
		b.Changes, b.Ops = append(b.Changes, c), append(b.Ops, o)
		for i := range used {
			used[i] += cost[i]
		}
	}
	for _, g := range ByName(cs) {
		ops := make([]O, len(g))
		costs := make([][]int, len(g))
		sum := make([]int, len(pk.Limits))
		for i, c := range g {
			o, cost, err := pk.Ops(c)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c, err)
			}
			if len(cost) != len(pk.Limits) {
				return nil, fmt.Errorf("%s: %d costs for %d limits", c, len(cost), len(pk.Limits))
			}
			ops[i], costs[i] = o, cost
			for u := range sum {
				sum[u] += cost[u]
			}
		}
		room(sum)
		if pk.Split && over(sum, pk.Limits) {
			for _, i := range deletesLast(g) {
				room(costs[i])
				add(g[i], ops[i], costs[i])
			}
			continue
		}
		for i, c := range g {
			add(c, ops[i], costs[i])
		}
	}
	flush()
	return out, nil
}

func over(cost, limits []int) bool {
	for i, lim := range limits {
		if cost[i] > lim {
			return true
		}
	}
	return false
}

// deletesLast are the indexes of g, deletes after the rest.
func deletesLast(g []Change) []int {
	var first, last []int
	for i, c := range g {
		if c.Action == Delete {
			last = append(last, i)
		} else {
			first = append(first, i)
		}
	}
	return append(first, last...)
}

// CreatesFirst is the order to send changes in one at a time to an API
// that keeps a CNAME beside other data at a name (NS1, whose servers
// answer the A, then an ALIAS, then the CNAME): ByName's, with the
// deletes at each name after its creates and replaces, so that a name
// that changes type has an answer all along (but a DS, which goes in
// after the NS at its name and out before them: delegationOrder). NS1 converts a type so
// ("create a new CNAME record ... After creation, you may delete the A
// record"), and answers NXDOMAIN, cached about five minutes, to a name
// queried while nothing is there (help.ns1.com, "Converting between
// CNAME, A, and ALIAS record types").
func CreatesFirst(cs []Change) []Change {
	out := make([]Change, 0, len(cs))
	for _, g := range ByName(cs) {
		var ordered []Change
		for _, i := range deletesLast(g) {
			ordered = append(ordered, g[i])
		}
		out = append(out, delegationOrder(ordered)...)
	}
	return out
}

// delegationOrder is g (the changes at one name) with a deleted DS ahead
// of every NS change and a DS created or replaced after them: a DS
// stands only beside NS records at its name (a delegation's: RFC 4035,
// section 2.4), and an API sent one call at a time may refuse a DS
// without them ("ClouDNS requires NS records exist for any DS records":
// dnscontrol's ClouDNS provider documentation). The rest keep their
// order.
func delegationOrder(g []Change) []Change {
	var dsFirst, rest, dsLast []Change
	for _, c := range g {
		switch {
		case c.Type == dns.TypeDS && c.Action == Delete:
			dsFirst = append(dsFirst, c)
		case c.Type == dns.TypeDS:
			dsLast = append(dsLast, c)
		default:
			rest = append(rest, c)
		}
	}
	return append(append(dsFirst, rest...), dsLast...)
}

// Sequence is the order to send changes in one at a time (NS1's one
// record per call, ClouDNS's per-record calls): ByName's, except that at
// a name that gets a CNAME the changes of its other types go first, so
// that the name is clear when the CNAME comes (the APIs refuse a CNAME
// beside other data), and a DS goes in after the NS at its name and out
// before them (delegationOrder).
func Sequence(cs []Change) []Change {
	out := make([]Change, 0, len(cs))
	for _, g := range ByName(cs) {
		var first, rest []Change
		cname := false
		for _, c := range g {
			cname = cname || (c.Action != Delete && c.Type == dns.TypeCNAME)
		}
		for _, c := range delegationOrder(g) {
			if cname && c.Type != dns.TypeCNAME {
				first = append(first, c)
			} else {
				rest = append(rest, c)
			}
		}
		out = append(append(out, first...), rest...)
	}
	return out
}
