package route53

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// cost is what a change counts against a batch's limits: its records and
// value characters, twice for an UPSERT.
func cost(c types.Change) (records, chars int) {
	for _, r := range c.ResourceRecordSet.ResourceRecords {
		records++
		chars += len(aws.ToString(r.Value))
	}
	if c.Action == types.ChangeActionUpsert {
		records, chars = 2*records, 2*chars
	}
	return records, chars
}

// change is the API change for c: UPSERT for a create or replace (an
// atomic swap, never a delete first), DELETE with the values Route 53
// listed.
func (p *Provider) change(origin string, c provider.Change) (types.Change, error) {
	if c.Action == provider.Delete {
		p.mu.Lock()
		rs, ok := p.listed[origin][c.Key()]
		p.mu.Unlock()
		if !ok {
			// Not listed by this provider: the plan's old values, as
			// Route 53 writes them.
			rs = types.ResourceRecordSet{Name: aws.String(apiName(c.Name)), Type: types.RRType(dns.Type(c.Type).String()),
				TTL: aws.Int64(int64(c.Old.TTL)), ResourceRecords: values(c.Old)}
		}
		return types.Change{Action: types.ChangeActionDelete, ResourceRecordSet: &rs}, nil
	}
	t := dns.Type(c.Type).String()
	if !supported[c.Type] {
		return types.Change{}, fmt.Errorf("type %s is not supported by Route 53", t)
	}
	return types.Change{Action: types.ChangeActionUpsert, ResourceRecordSet: &types.ResourceRecordSet{
		Name: aws.String(apiName(c.Name)), Type: types.RRType(t), TTL: aws.Int64(int64(c.New.TTL)), ResourceRecords: values(c.New),
	}}, nil
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
func (p *Provider) Apply(ctx context.Context, origin string, cs []provider.Change) (provider.Result, error) {
	return provider.ApplyIn(ctx, origin, cs, p.zones.Find, p.apply)
}

// apply sends cs to the zone hz (origin is canonical).
func (p *Provider) apply(ctx context.Context, origin string, cs []provider.Change, hz hostedZone) (provider.Result, error) {
	var res provider.Result
	batches, err := provider.Packer[types.Change]{Limits: []int{p.maxRecords, p.maxChars}, Split: true,
		Ops: func(c provider.Change) (types.Change, []int, error) {
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
		var tries int64
		out, err := p.client.ChangeResourceRecordSets(withTries(ctx, &tries), &r53.ChangeResourceRecordSetsInput{
			HostedZoneId: aws.String(hz.id),
			ChangeBatch:  &types.ChangeBatch{Changes: bt.Ops, Comment: aws.String("dnsparity push")},
		})
		res.Requests += int(tries) // every try, throttled ones included
		if err != nil {
			return res, fmt.Errorf("route53: zone %s: change batch %d of %d (changes %d-%d of %d: %s) failed, nothing of it applied: %w",
				origin, i+1, len(batches), done+1, done+len(bt.Changes), len(cs), provider.ChangeNames(bt.Changes), p.wrap("ChangeResourceRecordSets", err))
		}
		res.Done(ctx, len(cs), bt.Changes...)
		done += len(bt.Changes)
		if out.ChangeInfo != nil {
			last = out.ChangeInfo.Id
		}
	}
	p.mu.Lock()
	delete(p.listed, origin) // stale now
	p.mu.Unlock()
	if last != nil {
		if err := p.waitInsync(ctx, *last); err != nil {
			return res, fmt.Errorf("route53: zone %s: all %d changes accepted, but: %w", origin, len(cs), err)
		}
	}
	return res, nil
}

// waitInsync polls GetChange until the change is INSYNC.
func (p *Provider) waitInsync(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, p.syncTimeout)
	defer cancel()
	for {
		out, err := p.client.GetChange(ctx, &r53.GetChangeInput{Id: aws.String(id)})
		if err != nil {
			return p.wrap("waiting for change "+id+" to be INSYNC", err)
		}
		if out.ChangeInfo != nil && out.ChangeInfo.Status == types.ChangeStatusInsync {
			return nil
		}
		t := time.NewTimer(p.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("change %s still PENDING after %v: %w", id, p.syncTimeout, ctx.Err())
		case <-t.C:
		}
	}
}
