package cloudflare

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	cfdns "github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// batchBody is the body of POST /zones/{zone_id}/dns_records/batch. The
// API runs deletes, then patches, puts and posts, in one transaction.
type batchBody struct {
	Deletes []idOnly `json:"deletes,omitempty"`
	Patches []record `json:"patches,omitempty"`
	Posts   []record `json:"posts,omitempty"`
}

type idOnly struct {
	ID string `json:"id"`
}

func (b *batchBody) size() int { return len(b.Deletes) + len(b.Patches) + len(b.Posts) }

func (b *batchBody) add(o batchBody) {
	b.Deletes = append(b.Deletes, o.Deletes...)
	b.Patches = append(b.Patches, o.Patches...)
	b.Posts = append(b.Posts, o.Posts...)
}

// current is a record at the provider with its canonical RDATA.
type current = provider.Current[record]

// held reads the records of origin as RRs: nil for one Records leaves
// out (omitted, or one this provider cannot read: never in a plan).
func held(origin string) func(record) (dns.RR, error) {
	return func(r record) (dns.RR, error) {
		if omitted(origin, r) {
			return nil, nil
		}
		rr, err := toRR(r)
		if err != nil {
			return nil, nil // not listed by Records either: never in a plan
		}
		return rr, nil
	}
}

// apply sends the changes as batch calls of at most MaxBatch record
// operations (provider.Packer): the operations at one owner name are never
// split across calls (more than a batch alone go in a call of their own,
// which the API refuses), and names that only lose records come last
// (provider.ByName), so that a replaced RRset is swapped in one
// transaction: its records are edited in place (PATCH by id, keeping
// proxy status, comments and tags) before any is deleted. A failed call
// stops the push; the Result lists the changes of the calls that
// succeeded.
func (p *Provider) apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater, z apiZone, cur map[zone.Key][]current) (provider.Result, error) {
	var res provider.Result
	batches, err := provider.Packer[batchBody]{Limits: []int{p.batch}, Ops: func(c provider.Change) (batchBody, []int, error) {
		o, err := operations(c, cur[c.Key()])
		return o, []int{o.size()}, err
	}}.Pack(cs)
	if err != nil {
		return res, fmt.Errorf("cloudflare: zone %s: %w (nothing was sent)", origin, err)
	}
	params := cfdns.RecordBatchParams{}
	params.ZoneID.Value, params.ZoneID.Present = z.ID, true
	what := "POST zones/" + z.ID + "/dns_records/batch"
	done := 0
	for i, bt := range batches {
		var ops batchBody
		for _, o := range bt.Ops {
			ops.add(o)
		}
		if ops.size() == 0 {
			// Nothing left to do for these changes (the zone already
			// holds what they make): the API refuses an empty batch.
			res.Done(task, bt.Changes...)
			done += len(bt.Changes)
			continue
		}
		parts := deleteParts(ops, bt.Changes, p.batch)
		for k, part := range parts {
			p.writes.Add(1)
			tries := 0
			body, err := json.Marshal(part)
			if err != nil {
				return res, fmt.Errorf("cloudflare: zone %s: batch %d: %w (nothing of it was sent)", origin, i+1, err)
			}
			_, err = p.call(ctx, false, what, nil, func(opts ...option.RequestOption) error {
				tries++
				_, err := p.records.Batch(ctx, params, append([]option.RequestOption{option.WithRequestBody("application/json", body)}, opts...)...)
				return err
			})
			res.Requests += tries
			if err != nil {
				// A batch is one transaction: all of it or nothing is in
				// the zone; which, the answer tells, unless it was lost or
				// an earlier try's 5xx was applied all the same.
				later := provider.Later(batches[i+1:])
				var state string
				switch {
				case len(parts) == 1:
					state = res.BatchFailed(bt.Changes, provider.PerhapsApplied(err), later)
				default:
					// Its deletes went in calls, the first k applied
					// (none when the first failed): each change is said
					// as its own deletes went, the first call's too.
					whole, left := partStates(bt.Changes, bt.Ops, k, p.batch, provider.PerhapsApplied(err))
					res.Done(task, whole...)
					left.NotApplied = append(left.NotApplied, later...)
					res.Left = left
					state = fmt.Sprintf("its deletes went in %d calls of %d, the first %d of which were applied, call %d failed: %s", len(parts), p.batch, k, k+1, left)
				}
				return res, fmt.Errorf("cloudflare: zone %s: batch %d of %d (changes %d-%d of %d: %s) failed, %s: %w",
					origin, i+1, len(batches), done+1, done+len(bt.Changes), len(cs), provider.ChangeNames(bt.Changes), state, err)
			}
		}
		res.Done(task, bt.Changes...)
		done += len(bt.Changes)
	}
	return res, nil
}

// partStates says what became of each change of cs (its deletes ops[j],
// sent in deleteParts' calls of limit) when the calls before call k
// were applied and call k failed (perhaps: its answer was lost, or an
// earlier try's 5xx applied): whole are the changes all of whose deletes
// were in those calls (applied); each other is partly applied (some of
// its deletes applied, re-run to finish), perhaps applied or partly
// applied or not at all (its deletes begin in call k, whose answer was
// lost), or not applied (left).
func partStates(cs []provider.Change, ops []batchBody, k, limit int, perhaps bool) (whole []provider.Change, left provider.Unfinished) {
	var partly, maybePartly []provider.Change
	var maybeRest []zone.Key             // of partly: the rest of its deletes in call k
	sent, failed := k*limit, (k+1)*limit // deletes applied; those of the failed call
	start := 0
	for j, c := range cs {
		end := start + len(ops[j].Deletes)
		switch {
		case end <= sent:
			whole = append(whole, c)
		case start < sent:
			partly = append(partly, c)
			if end <= failed {
				maybeRest = append(maybeRest, c.Key())
			}
		case perhaps && start < failed && end <= failed:
			left.Perhaps = append(left.Perhaps, c)
		case perhaps && start < failed:
			maybePartly = append(maybePartly, c)
		default:
			left.NotApplied = append(left.NotApplied, c)
		}
		start = end
	}
	for _, c := range partly {
		rest := slices.Contains(maybeRest, c.Key()) && perhaps
		detail := "some of its deletes; re-run to finish"
		if rest {
			detail = "some of its deletes, the rest, in the call whose answer was lost, perhaps applied too; re-run to finish"
		}
		left.Partly = append(left.Partly, provider.Part{Change: c, Detail: detail, Perhaps: rest})
	}
	for _, c := range maybePartly {
		left.Partly = append(left.Partly, provider.Part{Change: c, Detail: "its first deletes went in the call whose answer was lost, perhaps applied; re-run to finish", OrNone: true})
	}
	return whole, left
}

// deleteParts are the calls that send ops, the operations of the changes
// cs: one call, or, when ops are over the limit of one call and cs only
// delete (a name's records going away, Packer having put them in a call
// of their own), its deletes in calls of limit each. Those records are
// deleted, and nothing takes their place, so the calls may go one after
// the other; the records of a name that are replaced go in one call
// (heldOverBatch refuses at plan time what would not fit).
func deleteParts(ops batchBody, cs []provider.Change, limit int) []batchBody {
	if ops.size() <= limit || limit < 1 || len(ops.Patches)+len(ops.Posts) > 0 ||
		slices.ContainsFunc(cs, func(c provider.Change) bool { return c.Action != provider.Delete && c.New != nil }) {
		return []batchBody{ops}
	}
	var out []batchBody
	for part := range slices.Chunk(ops.Deletes, limit) {
		out = append(out, batchBody{Deletes: part})
	}
	return out
}

// operations are the record operations that turn have into c.New.
func operations(c provider.Change, have []current) (batchBody, error) {
	var ops batchBody
	if c.Action == provider.Delete || c.New == nil {
		for _, h := range have {
			ops.Deletes = append(ops.Deletes, idOnly{h.Rec.ID})
		}
		return ops, nil
	}
	proxied := false
	for _, h := range have {
		proxied = proxied || isProxied(h.Rec)
	}
	// A proxied record's TTL is automatic, answered as 300: another
	// TTL cannot be held.
	if proxied && c.New.TTL != autoAnswerTTL {
		return ops, fmt.Errorf("TTL %d on a proxied record: Cloudflare answers proxied records with an automatic TTL (300); write 300 in git, or turn the proxy off", c.New.TTL)
	}
	kept, wanted, have := provider.Match(c.New, have)
	for _, k := range kept {
		if answerTTL(k.Have.Rec) != c.New.TTL {
			// A batch patch names the record's name, ttl and type (the
			// API reference, "Batch DNS Records": patches ARecord
			// { name, ttl, type, ... } id; cloudflare-go's BatchPatch
			// params mark them required): the TTL alone is refused.
			h := k.Have.Rec
			ops.Patches = append(ops.Patches, record{ID: h.ID, Name: h.Name, Type: h.Type, TTL: c.New.TTL})
		}
	}
	// Edit removed records into added ones in place (keeping proxy status,
	// comments and tags); post the rest and delete what is left over.
	edits, added, left, err := provider.Pair(wanted, have, toRecord)
	if err != nil {
		return ops, err
	}
	for _, e := range edits {
		rec := e.New
		rec.ID = e.Have.Rec.ID
		if isProxied(e.Have.Rec) {
			rec.TTL = autoTTL
		}
		ops.Patches = append(ops.Patches, rec)
	}
	for _, rec := range added {
		if proxied && proxiable(rec.Type) {
			t := true
			rec.Proxied, rec.TTL = &t, autoTTL
		}
		ops.Posts = append(ops.Posts, rec)
	}
	for _, h := range left {
		ops.Deletes = append(ops.Deletes, idOnly{h.Rec.ID})
	}
	return ops, nil
}

func proxiable(t string) bool { return t == "A" || t == "AAAA" || t == "CNAME" }
