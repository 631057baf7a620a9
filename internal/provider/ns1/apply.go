package ns1

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/miekg/dns"
	nsdns "gopkg.in/ns1/ns1-go.v2/rest/model/dns"

	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Apply sends one call per RRset: PUT creates a record, POST replaces its
// TTL and answers (a record with metadata or filters is read first, so
// that the answers that stay keep their metadata and the filter chain is
// untouched), DELETE removes it. Names that only lose records come last
// (provider.ByName); at each name the deletes come after the rest
// (provider.CreatesFirst: NS1 keeps a CNAME beside other data, and a
// name emptied on the way could be answered NXDOMAIN for minutes). The
// names go Writers at a time (provider.SendEach), each name's calls one
// after the other: NS1 lets the tokens it announces be spent "as quickly
// as your automation can send requests" (IBM NS1 Connect, "API rate
// limiting"), and the account's limiter holds them within the announced
// limit per period (X-Ratelimit-*). A write answered 5xx and applied all
// the same converges on its retry (call: a DELETE finds it gone, a PUT
// finds it made and is sent as a POST). A failed call stops the push: no
// call starts after it, the Result lists the changes done, the error
// names the one that failed and any other that failed meanwhile, each
// perhaps applied or not applied (provider.FailuresText), and
// those not sent.
func (p *Provider) Apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater) (provider.Result, error) {
	return provider.ApplyIn(ctx, origin, cs, task, p.zone, p.apply)
}

// Writers is how many write calls a push has under way at once by
// default (SetWriters).
const Writers = 8

// apply sends cs to the zone z (origin is canonical).
func (p *Provider) apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater, z *nsdns.Zone) (provider.Result, error) {
	if why := secondary(origin, z); why != "" {
		return provider.Result{}, fmt.Errorf("ns1: zone %s: %s; nothing was sent", origin, why)
	}
	tier := map[string]string{}
	for _, r := range z.Records {
		tier[zone.CanonicalName(provider.FQDN(r.Domain))+" "+r.Type] = r.Tier.String()
	}
	order := provider.CreatesFirst(cs)
	zname := provider.APIName(origin)
	res, fails, _ := provider.SendEach(ctx, order, p.writers(), task, func(ctx context.Context, c provider.Change) (int, error) {
		return p.send(ctx, zname, c, tier[c.Name+" "+dns.Type(c.Type).String()])
	})
	if len(fails) == 0 {
		return res, nil
	}
	// The failures with their causes, then what became of each change
	// not applied (res.Left: the failed ones', and those not sent).
	return res, fmt.Errorf("ns1: zone %s: %s: %w; %s",
		origin, provider.FailuresText(order, fails), fails[0].Err, res.Left)
}

// send makes one change with its calls: the requests they took.
func (p *Provider) send(ctx context.Context, zname string, c provider.Change, tier string) (int, error) {
	t := dns.Type(c.Type).String()
	path := fmt.Sprintf("zones/%s/%s/%s", url.PathEscape(zname), url.PathEscape(provider.APIName(c.Name)), t)
	if c.Action == provider.Delete || c.New == nil {
		tries, _, err := p.call(ctx, http.MethodDelete, path, nil, nil)
		return tries, err
	}
	rec, tries, err := p.desired(ctx, zname, path, c, tier)
	if err != nil {
		return tries, err
	}
	method := http.MethodPut
	if c.Action == provider.Replace {
		method = http.MethodPost
	}
	n, _, err := p.call(ctx, method, path, rec, nil)
	tries += n
	if errors.Is(err, errDoneBefore) {
		// Made by the earlier try (or, in between, by someone else):
		// made git's record either way.
		n, _, err = p.call(ctx, http.MethodPost, path, rec, nil)
		tries += n
		if err != nil && !provider.PerhapsApplied(err) {
			// The record is there (the PUT perhaps made it, or someone
			// else did): the change is perhaps applied whatever the
			// POST's answer.
			err = fmt.Errorf("%w (%w: its PUT, answered with a server error, perhaps made the record, which is there now)", err, provider.ErrEarlierTry)
		}
	}
	return tries, err
}

// desired is the record body for c. For a replaced record with metadata
// or filters (tier above 1), the current record is read first and its
// answers that stay keep their metadata; its filters stay as they are.
func (p *Provider) desired(ctx context.Context, zname, path string, c provider.Change, tier string) (*nsdns.Record, int, error) {
	// NewRecord gives filters and regions as empty values, not nil: NS1
	// refuses null for either ("Input validation failed (Value None for
	// field '<obj>.filters' is not of type array)"), and ns1-go's Record
	// has no omitempty on them.
	rec := nsdns.NewRecord(zname, provider.APIName(c.Name), dns.Type(c.Type).String(), nil, nil)
	rec.TTL = int(c.New.TTL)
	if c.Action == provider.Replace {
		rec.Meta = nil // a replace leaves the record's metadata as it is
	}
	kept := map[string]*nsdns.Answer{}
	tries := 0
	if c.Action == provider.Replace && tier != "" && tier != "1" {
		var cur nsdns.Record
		n, _, err := p.call(ctx, http.MethodGet, path, nil, &cur)
		tries += n
		if err != nil {
			return nil, tries, err
		}
		for _, a := range cur.Answers {
			kept[shortAnswer(a)] = a
		}
		rec.Meta = cur.Meta
		if cur.Filters != nil {
			rec.Filters = cur.Filters
		}
		if cur.Regions != nil {
			rec.Regions = cur.Regions
		}
	}
	for _, rr := range c.New.RRs() {
		rd, err := rdata(rr)
		if err != nil {
			return nil, tries, err
		}
		a := &nsdns.Answer{Rdata: rd}
		if k, ok := kept[strings.Join(rd, " ")]; ok {
			a = k
		}
		rec.Answers = append(rec.Answers, a)
	}
	return rec, tries, nil
}
