package route53

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/awsconf"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// cost is what a change's API changes count against a batch's limits:
// their records and value characters, twice for an UPSERT.
func cost(cs []types.Change) (records, chars int) {
	for _, c := range cs {
		r, n := 0, 0
		for _, v := range c.ResourceRecordSet.ResourceRecords {
			r++
			n += len(aws.ToString(v.Value))
		}
		if c.Action == types.ChangeActionUpsert {
			r, n = 2*r, 2*n
		}
		records, chars = records+r, chars+n
	}
	return records, chars
}

// change is the API changes for c: UPSERT for a create or replace (an
// atomic swap, never a delete first), DELETE with the values Route 53
// listed. A replace over an alias (c.Over) is the DELETE of the alias
// exactly as listed, then the CREATE of git's set, in the same change
// batch (all or nothing: www never goes without an answer). A create or
// replace where the listing held an alias or routing-policy set that the
// change does not go over is refused (an UPSERT would overwrite the
// alias unseen; Route 53 refuses a plain set beside a routing policy's).
func (p *Provider) change(origin string, c provider.Change) ([]types.Change, error) {
	p.mu.Lock()
	rs, ok := p.listed[origin][c.Key()]
	held, read := p.held[origin]
	other := held[c.Key()]
	p.mu.Unlock()
	if c.Action == provider.Delete && c.Over != nil {
		// An alias git's CNAME at its name cannot stand beside: deleted
		// as listed, in the batch that carries the CNAME (same name).
		alias, err := overAlias(c, read, other)
		if err != nil {
			return nil, err
		}
		return []types.Change{{Action: types.ChangeActionDelete, ResourceRecordSet: &alias}}, nil
	}
	if c.Action == provider.Delete {
		if !ok {
			// Not listed by this provider: the plan's old values, as
			// Route 53 writes them.
			rs = types.ResourceRecordSet{Name: aws.String(apiName(c.Name)), Type: types.RRType(dns.Type(c.Type).String()),
				TTL: aws.Int64(int64(c.Old.TTL)), ResourceRecords: values(c.Old)}
		}
		return []types.Change{{Action: types.ChangeActionDelete, ResourceRecordSet: &rs}}, nil
	}
	t := dns.Type(c.Type).String()
	if !supported[c.Type] {
		return nil, fmt.Errorf("type %s is not supported by Route 53", t)
	}
	set := &types.ResourceRecordSet{Name: aws.String(apiName(c.Name)), Type: types.RRType(t), TTL: aws.Int64(int64(c.New.TTL)), ResourceRecords: values(c.New)}
	if c.Over == nil {
		if len(other) > 0 {
			return nil, fmt.Errorf("%w: Route 53 holds %s %s as %s, which the plan does not replace; plan again", provider.ErrConflict, c.Name, t, describeHeld(other))
		}
		return []types.Change{{Action: types.ChangeActionUpsert, ResourceRecordSet: set}}, nil
	}
	alias, err := overAlias(c, read, other)
	if err != nil {
		return nil, err
	}
	return []types.Change{
		{Action: types.ChangeActionDelete, ResourceRecordSet: &alias},
		{Action: types.ChangeActionCreate, ResourceRecordSet: set},
	}, nil
}

// overAlias is the alias c goes over (c.Over) exactly as the listing
// (read: there was one) gave it, other being what it held at c's name and
// type; an error when it is not that alias any more.
func overAlias(c provider.Change, read bool, other []types.ResourceRecordSet) (types.ResourceRecordSet, error) {
	t := dns.Type(c.Type).String()
	switch {
	case !read:
		return types.ResourceRecordSet{}, fmt.Errorf("%w: the plan's %s over the alias %s %s needs the zone listed first (the alias as it is); plan again", provider.ErrConflict, c.Action, c.Name, t)
	case len(other) != 1 || !aliasReplaceable(other[0]) || features(c.Name, other)[0].Value != c.Over.Value:
		now := "nothing"
		if len(other) > 0 {
			now = describeHeld(other)
		}
		return types.ResourceRecordSet{}, fmt.Errorf("%w: the plan's %s of %s %s goes over Route 53's %s, but the zone now holds %s there; plan again", provider.ErrConflict, c.Action, c.Name, t, c.Over.Value, now)
	}
	return other[0], nil
}

// describeHeld names record sets Records leaves out ("an alias to X",
// "2 sets of a routing policy").
func describeHeld(sets []types.ResourceRecordSet) string {
	if len(sets) == 1 && sets[0].AliasTarget != nil && sets[0].SetIdentifier == nil {
		return "an alias to " + aws.ToString(sets[0].AliasTarget.DNSName)
	}
	return fmt.Sprintf("%d record sets of a routing or traffic policy", len(sets))
}

// Apply sends the changes as ChangeResourceRecordSets calls, each one
// atomic batch within the record and character limits (provider.Packer).
// The changes at one owner name stay in one batch (a deleted A and the
// CNAME that replaces it) unless they are over a batch's limits together:
// then they go one by one, UPSERTs first, so that nothing is deleted
// early. Names that only lose records come last (provider.ByName). A
// failed call stops the push; the Result lists the changes of the calls
// that succeeded. Then it waits until Route 53 reports the last change
// INSYNC on all its servers.
func (p *Provider) Apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater) (provider.Result, error) {
	return provider.ApplyIn(ctx, origin, cs, task, p.zones.Find, p.apply)
}

// apply sends cs to the zone hz (origin is canonical).
func (p *Provider) apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater, hz hostedZone) (provider.Result, error) {
	var res provider.Result
	batches, err := provider.Packer[[]types.Change]{Limits: []int{p.maxRecords, p.maxChars}, Split: true,
		Ops: func(c provider.Change) ([]types.Change, []int, error) {
			ch, err := p.change(origin, c)
			if err != nil {
				return ch, nil, err
			}
			r, n := cost(ch)
			if r > p.maxRecords || n > p.maxChars {
				return ch, nil, fmt.Errorf("alone counts %d records and %d characters, over one change batch's %d and %d", r, n, p.maxRecords, p.maxChars)
			}
			return ch, []int{r, n}, nil
		}}.Pack(cs)
	if err != nil {
		return res, fmt.Errorf("route53: zone %s: %w (nothing was sent)", origin, err)
	}
	var last *string
	done := 0
	for i, bt := range batches {
		p.writes.Add(1)
		var tries tryLog
		var ops []types.Change
		for _, o := range bt.Ops {
			ops = append(ops, o...) // a replace over an alias: its DELETE and CREATE together
		}
		in := &r53.ChangeResourceRecordSetsInput{
			HostedZoneId: aws.String(hz.id),
			ChangeBatch:  &types.ChangeBatch{Changes: ops, Comment: aws.String("dnsparity push")},
		}
		out, err := p.send(ctx, &tries, in, last)
		res.Requests += int(tries.n) // every try, throttled ones included
		if err != nil {
			// A change batch is atomic: all of it or nothing is in the
			// zone; a try that got no answer or a 5xx may have applied
			// it, and a later try's refusal be its doing.
			state := res.BatchFailed(bt.Changes, tries.perhaps, provider.Later(batches[i+1:]))
			return res, fmt.Errorf("route53: zone %s: change batch %d of %d (changes %d-%d of %d: %s) failed, %s: %w",
				origin, i+1, len(batches), done+1, done+len(bt.Changes), len(cs), provider.ChangeNames(bt.Changes), state, p.wrap("ChangeResourceRecordSets", err))
		}
		res.Done(task, bt.Changes...)
		done += len(bt.Changes)
		if out.ChangeInfo != nil {
			last = out.ChangeInfo.Id
		}
	}
	p.mu.Lock()
	delete(p.listed, origin) // stale now
	delete(p.held, origin)
	p.mu.Unlock()
	if last != nil {
		if err := p.waitInsync(ctx, *last); err != nil {
			return res, fmt.Errorf("route53: zone %s: all %d changes accepted, but: %w", origin, len(cs), err)
		}
	}
	return res, nil
}

// send sends one change batch. Route 53 refuses a batch with
// PriorRequestNotComplete while it processes another change of the zone:
// "If Amazon Route 53 can't process a request before the next request
// arrives, it will reject subsequent requests for the same hosted zone
// and return an HTTP 400 error (Bad request). If Route 53 returns this
// error repeatedly for the same request, we recommend that you wait, in
// intervals of increasing duration, before you try the request again."
// (API Reference, ChangeResourceRecordSets, Errors; Developer Guide,
// "Quotas", docs.aws.amazon.com/Route53/latest/DeveloperGuide/
// DNSLimitations.html). How long a change is processed is not
// documented. A batch after another of this push (pending: that one's
// change id, perhaps still PENDING) is sent again once that change is
// INSYNC, not tried again blind: a zone refused while its last change
// propagates (r53test.PriorWhilePending) takes the batch only after it.
// A refusal with no change of ours to wait for (the first batch, or
// the batch after ours is INSYNC) is another writer's change (the
// console, another tool or run): othersChange waits for it.
func (p *Provider) send(ctx context.Context, tries *tryLog, in *r53.ChangeResourceRecordSetsInput, pending *string) (*r53.ChangeResourceRecordSetsOutput, error) {
	out, err := p.sendOnce(ctx, tries, in)
	if awsconf.Code(err) != priorRequest {
		return out, err
	}
	if pending != nil {
		if werr := p.waitInsync(ctx, *pending); werr != nil {
			return nil, fmt.Errorf("refused with %s while the batch before it was processed, and waiting for that one: %w", priorRequest, werr)
		}
		if out, err = p.sendOnce(ctx, tries, in); awsconf.Code(err) != priorRequest {
			return out, err
		}
	}
	return p.othersChange(ctx, tries, in, err)
}

// priorRequest is the code of Route 53's refusal of a change batch
// while it processes another change of the zone.
const priorRequest = "PriorRequestNotComplete"

// sendOnce sends one change batch, the SDK's retries left to the
// throttling and server errors (PriorRequestNotComplete is send's).
func (p *Provider) sendOnce(ctx context.Context, tries *tryLog, in *r53.ChangeResourceRecordSetsInput) (*r53.ChangeResourceRecordSetsOutput, error) {
	return p.client.ChangeResourceRecordSets(withTries(ctx, tries), in, func(o *r53.Options) {
		o.Retryer = awsconf.NotRetrying(o.Retryer, priorRequest)
	})
}

// othersChange sends again a batch that Route 53 refused (refused:
// PriorRequestNotComplete) while it processes a change that is not this
// push's, whose id is not known, so not waited for by GetChange: as the
// API Reference recommends, in intervals of increasing duration (the
// retry policy's backoff, doubling up to its Max, or the answer's
// Retry-After: awsconf.Wait), for as long as the provider waits for a
// change to be INSYNC (syncTimeout) and within the push's deadline; a
// wait past either is not started: the error names the cause, the
// refusals, how long they lasted and the wait (httpretry.ErrWaitTooLong;
// the API's answer in words, as the SDK error's short form would give
// it, so that the cause is not lost to it).
func (p *Provider) othersChange(ctx context.Context, tries *tryLog, in *r53.ChangeResourceRecordSetsInput, refused error) (*r53.ChangeResourceRecordSetsOutput, error) {
	start := time.Now()
	bounded, cancel := context.WithTimeout(ctx, p.syncTimeout)
	defer cancel()
	for n := 1; ; n++ {
		wait := awsconf.Wait(p.pol, n, refused)
		if err := httpretry.Worth(bounded, wait, p.pol.Patience()); err != nil {
			return nil, fmt.Errorf("%s (refused %d times in %v): Route 53 is still processing a change to the zone that is not this push's (another run, tool or the console), for longer than the provider waits (the push's deadline, at most %v); run again once it is done: %w",
				awsconf.Message(refused), n, time.Since(start).Round(time.Millisecond), p.syncTimeout, err)
		}
		if err := httpretry.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s (refused %d times in %v), waiting for a change to the zone that is not this push's: %w",
				awsconf.Message(refused), n, time.Since(start).Round(time.Millisecond), err)
		}
		out, err := p.sendOnce(ctx, tries, in)
		if awsconf.Code(err) != priorRequest {
			return out, err
		}
		refused = err
	}
}

// waitInsync polls GetChange until the change is INSYNC, at most
// syncTimeout, and no longer than the push (parent): a wait its deadline
// or cancellation ends says so, and how long it waited, not syncTimeout.
func (p *Provider) waitInsync(parent context.Context, id string) error {
	start := time.Now()
	ctx, cancel := context.WithTimeout(parent, p.syncTimeout)
	defer cancel()
	ended := func(err error) error {
		why := fmt.Sprintf("the %v the provider waits at most", p.syncTimeout)
		switch {
		case errors.Is(parent.Err(), context.DeadlineExceeded):
			why = "the push's deadline came first"
		case parent.Err() != nil:
			why = "the push was cancelled"
		}
		return fmt.Errorf("change %s still PENDING after %v (%s; Route 53 goes on with it): %w", id, time.Since(start).Round(time.Millisecond), why, err)
	}
	for {
		out, err := p.client.GetChange(ctx, &r53.GetChangeInput{Id: aws.String(id)})
		if err != nil {
			if ctx.Err() != nil {
				return ended(ctx.Err())
			}
			return p.wrap("waiting for change "+id+" to be INSYNC", err)
		}
		if out.ChangeInfo != nil && out.ChangeInfo.Status == types.ChangeStatusInsync {
			return nil
		}
		t := time.NewTimer(p.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return ended(ctx.Err())
		case <-t.C:
		}
	}
}
