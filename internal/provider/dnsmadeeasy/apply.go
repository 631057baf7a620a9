package dnsmadeeasy

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// ops are the record operations of one or more changes.
type ops struct {
	updates []record // edited in place, by id
	clears  []int    // deleted before the creates (a name that gets a CNAME)
	creates []record
	deletes []int
}

func (o *ops) size() int { return len(o.updates) + len(o.clears) + len(o.creates) + len(o.deletes) }

func (o *ops) add(b ops) {
	o.updates = append(o.updates, b.updates...)
	o.clears = append(o.clears, b.clears...)
	o.creates = append(o.creates, b.creates...)
	o.deletes = append(o.deletes, b.deletes...)
}

// phases are the first and the last phase o has operations in (phases
// and -1 when it has none).
func (o ops) phases() (first, last int) {
	first, last = phases, -1
	for ph, n := range [phases]int{len(o.updates), len(o.clears), len(o.creates), len(o.deletes)} {
		if n > 0 {
			first, last = min(first, ph), max(last, ph)
		}
	}
	return first, last
}

// in: o has operations in phase ph.
func (o ops) in(ph int) bool {
	return [phases]int{len(o.updates), len(o.clears), len(o.creates), len(o.deletes)}[ph] > 0
}

// The calls of one batch, in the order sent.
const (
	phaseUpdate = iota
	phaseClear
	phaseCreate
	phaseDelete
	phases
)

var phaseNames = [phases]string{"updateMulti", "delete", "createMulti", "delete"}

// current is a record at the provider with its canonical RDATA.
type current = provider.Current[record]

// apply sends the changes in batches of at most MaxBatch records; the
// changes at one owner name stay in one batch, names that only lose
// records come last (provider.ByName). A batch is at most four calls:
// updateMulti (records edited in place: nothing is deleted before its
// replacement exists), the deletes that make room for a CNAME or for
// the records replacing one,
// createMulti, then the other deletes. The API has no transaction: when a
// call fails, the Result lists the changes whose calls all succeeded and
// the error names the ones left half-done; a re-run converges.
func (p *Provider) apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater, d domain, cur map[zone.Key][]current) (provider.Result, error) {
	var res provider.Result
	// At a name that gets a CNAME, the other records go before it is
	// created; at a name that loses its CNAME, the CNAME goes before the
	// other records are created (the API refuses a CNAME beside other
	// data either way, RFC 1034 §3.6.2).
	cname, uncname := map[string]bool{}, map[string]bool{}
	for _, c := range cs {
		switch {
		case c.Type != dns.TypeCNAME:
		case c.Action == provider.Delete:
			uncname[c.Name] = true
		default:
			cname[c.Name] = true
		}
	}
	batches, err := provider.Packer[ops]{Limits: []int{p.batch}, Ops: func(c provider.Change) (ops, []int, error) {
		o, err := operations(origin, c, cur[c.Key()])
		if cname[c.Name] && c.Type != dns.TypeCNAME || uncname[c.Name] && c.Type == dns.TypeCNAME {
			o.clears, o.deletes = append(o.clears, o.deletes...), nil
		}
		return o, []int{o.size()}, err
	}}.Pack(cs)
	if err != nil {
		return res, fmt.Errorf("dnsmadeeasy: zone %s: %w (nothing was sent)", origin, err)
	}
	base := fmt.Sprintf("dns/managed/%d/records", d.ID)
	for i, bt := range batches {
		var all ops
		for _, o := range bt.Ops {
			all.add(o)
		}
		for ph := range phases {
			tries, err := p.send(ctx, base, ph, all)
			res.Requests += tries
			if err == nil {
				continue
			}
			// done: every call made; half: some made; maybe (a lost
			// answer): this call perhaps made, and the change's last,
			// or, with later calls not sent, perhaps half made; not: no
			// call made.
			perhaps := provider.PerhapsApplied(err)
			var done []provider.Change
			for j, c := range bt.Changes {
				first, last := bt.Ops[j].phases()
				switch {
				case last < ph:
					done = append(done, c)
				case first < ph:
					// Its earlier calls went through. When this call is
					// its last and the answer was lost, it may be whole,
					// never "partly" for sure (as ClouDNS's "the next
					// perhaps applied too").
					part := provider.Part{Change: c, Detail: "re-run to finish"}
					switch {
					case perhaps && last == ph:
						part.Detail, part.Perhaps = fmt.Sprintf("its earlier calls went through, the last (%s) perhaps applied too; re-run to finish", phaseNames[ph]), true
					case perhaps && bt.Ops[j].in(ph):
						part.Detail = fmt.Sprintf("its earlier calls went through, its %s call perhaps applied too, its later calls not sent; re-run to finish", phaseNames[ph])
					}
					res.Left.Partly = append(res.Left.Partly, part)
				case perhaps && first == ph && last == ph:
					res.Left.Perhaps = append(res.Left.Perhaps, c)
				case perhaps && first == ph:
					res.Left.Partly = append(res.Left.Partly, provider.Part{Change: c, OrNone: true,
						Detail: fmt.Sprintf("its %s call perhaps applied, its later calls not sent; re-run to finish", phaseNames[ph])})
				default:
					res.Left.NotApplied = append(res.Left.NotApplied, c)
				}
			}
			res.Done(task, done...)
			res.Left.NotApplied = append(res.Left.NotApplied, provider.Later(batches[i+1:])...)
			return res, fmt.Errorf("dnsmadeeasy: zone %s: batch %d of %d, call %s failed: %s: %w", origin, i+1, len(batches), phaseNames[ph], res.Left, err)
		}
		res.Done(task, bt.Changes...)
	}
	return res, nil
}

// send makes the call of one phase (none when the phase is empty).
func (p *Provider) send(ctx context.Context, base string, ph int, o ops) (int, error) {
	chunk := func(ids []int) (int, error) {
		if len(ids) == 0 {
			return 0, nil
		}
		q := url.Values{}
		for _, id := range ids {
			q.Add("ids", strconv.Itoa(id))
		}
		return p.call(ctx, http.MethodDelete, base, q, nil, nil)
	}
	switch ph {
	case phaseUpdate:
		if len(o.updates) > 0 {
			return p.call(ctx, http.MethodPut, base+"/updateMulti", nil, o.updates, nil)
		}
	case phaseClear:
		return chunk(o.clears)
	case phaseCreate:
		if len(o.creates) > 0 {
			var created []record
			return p.call(ctx, http.MethodPost, base+"/createMulti", nil, o.creates, &created)
		}
	case phaseDelete:
		return chunk(o.deletes)
	}
	return 0, nil
}

// operations are the record operations that turn have into c.New.
func operations(origin string, c provider.Change, have []current) (ops, error) {
	var o ops
	if c.Action == provider.Delete || c.New == nil {
		for _, h := range have {
			o.deletes = append(o.deletes, h.Rec.ID)
		}
		return o, nil
	}
	kept, wanted, have := provider.Match(c.New, have)
	for _, k := range kept {
		if k.Have.Rec.TTL != c.New.TTL {
			r := k.Have.Rec
			r.TTL = c.New.TTL
			if r.Type == "CAA" {
				// Listed in quotation marks, sent without (toRecord;
				// caaPlain keeps '"' out of a value).
				r.Value = strings.TrimSuffix(strings.TrimPrefix(r.Value, `"`), `"`)
			}
			o.updates = append(o.updates, r)
		}
	}
	edits, added, left, err := provider.Pair(wanted, have, func(rr dns.RR) (record, error) { return toRecord(origin, rr) })
	if err != nil {
		return o, err
	}
	for _, e := range edits {
		rec := e.New
		rec.ID = e.Have.Rec.ID
		o.updates = append(o.updates, rec)
	}
	o.creates = append(o.creates, added...)
	for _, h := range left {
		o.deletes = append(o.deletes, h.Rec.ID)
	}
	return o, nil
}
