package powerdns

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// disabledOf are the disabled records of the zone by RRset, from the last
// listing, else from one read now (GET zone): Apply needs them before it
// replaces an RRset.
func (p *Provider) disabledOf(ctx context.Context, origin string) (map[zone.Key][]string, error) {
	p.mu.Lock()
	off, ok := p.disabled[origin]
	p.mu.Unlock()
	if ok {
		return off, nil
	}
	z, err := p.zone(ctx, origin)
	if err != nil {
		return nil, err
	}
	if _, _, err := p.records(origin, z); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.disabled[origin], nil
}

// toRRset is the PATCH rrset of c, where PowerDNS holds off (the
// content of the RRset's disabled records, not served): a REPLACE sends
// them back disabled beside git's records (a PATCH replaces the RRset
// whole: without them they would go with no plan line), but for one whose
// data is among git's records, which is then served (once) as git says;
// a delete of the served records of an RRset that has disabled ones is a
// REPLACE with those alone.
func toRRset(c provider.Change, off []string) (rrset, error) {
	t := typeName(c.Type)
	if c.Action == provider.Delete {
		if len(off) == 0 {
			return rrset{Name: c.Name, Type: t, ChangeType: "DELETE", Records: []record{}}, nil
		}
		s := rrset{Name: c.Name, Type: t, TTL: c.Old.TTL, ChangeType: "REPLACE", Records: []record{}}
		for _, d := range off {
			s.Records = append(s.Records, record{Content: d, Disabled: true})
		}
		return s, nil
	}
	s := rrset{Name: c.Name, Type: t, TTL: c.New.TTL, ChangeType: "REPLACE", Records: []record{}}
	rrs := c.New.RRs()
	sent := map[string]bool{}
	for _, rr := range rrs {
		text, err := content(rr)
		if err != nil {
			return rrset{}, err
		}
		s.Records = append(s.Records, record{Content: text})
		sent[text] = true
	}
	for _, d := range off {
		if sent[d] || servedAs(c.Name, t, d, rrs) {
			continue
		}
		s.Records = append(s.Records, record{Content: d, Disabled: true})
	}
	return s, nil
}

// servedAs reports whether the disabled record of that content holds the
// data of one of rrs (git's records of its RRset).
func servedAs(name, typ, content string, rrs []dns.RR) bool {
	got, err := rrsetRRs(rrset{Name: name, Type: typ, Records: []record{{Content: content}}})
	if err != nil || len(got) != 1 {
		return false
	}
	for _, rr := range rrs {
		if dns.IsDuplicate(got[0], rr) {
			return true
		}
	}
	return false
}

// Apply sends the changes as PATCH requests of up to MaxBatch RRsets
// (provider.Packer), all changes of one owner name in the same PATCH (a
// delete travels with the add it makes room for). A PATCH is all or
// nothing at the server; the first that fails stops the push and the
// error names the RRsets in it.
func (p *Provider) Apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater) (res provider.Result, err error) {
	defer func() { res, err = provider.Settle(cs, res, err) }()
	origin = zone.CanonicalName(origin)
	off, err := p.disabledOf(ctx, origin)
	if err != nil {
		return res, fmt.Errorf("powerdns %s: zone %s: reading its disabled records, which a PATCH must send back (nothing was sent): %w", p.base, origin, err)
	}
	defer func() {
		p.mu.Lock()
		delete(p.disabled, origin) // stale now
		p.mu.Unlock()
	}()
	if why := p.secondaryOf(origin); why != "" {
		return res, fmt.Errorf("powerdns %s: zone %s: %s; nothing was sent", p.shown, origin, why)
	}
	batches, err := provider.Packer[rrset]{Limits: []int{p.batch}, Ops: func(c provider.Change) (rrset, []int, error) {
		s, err := toRRset(c, off[c.Key()])
		return s, []int{1}, err
	}}.Pack(cs)
	if err != nil {
		return res, fmt.Errorf("powerdns %s: zone %s: %w (nothing was sent)", p.shown, origin, err)
	}
	for i, b := range batches {
		body := apiZone{RRsets: b.Ops}
		res.Requests++
		if err := p.do(ctx, http.MethodPatch, zonePath(origin), body, nil); err != nil {
			// A PATCH is one transaction: all of it or nothing; which, only
			// its answer tells.
			state := res.BatchFailed(b.Changes, provider.PerhapsApplied(err), provider.Later(batches[i+1:]))
			return res, fmt.Errorf("powerdns %s: PATCH zone %s (batch %d of %d, %d RRsets: %s) failed, %s: %w",
				p.shown, origin, i+1, len(batches), len(b.Changes), culprit(err, b.Changes), state, err)
		}
		res.Done(task, b.Changes...)
	}
	return res, nil
}

// culprit names the RRsets of a failed batch: the one PowerDNS names in
// its error text when it does, else the batch (up to 5).
func culprit(err error, b []provider.Change) string {
	var ae *apiError
	if errors.As(err, &ae) {
		text := strings.ToLower(ae.Text)
		for _, c := range b {
			n, t := c.Name, strings.ToLower(typeName(c.Type))
			if strings.Contains(text, n+"/"+t) || strings.Contains(text, n+" in "+t+":") || strings.Contains(text, n+" in "+t+" ") {
				return "failed RRset " + c.Name + " " + dns.Type(c.Type).String()
			}
		}
	}
	return "RRsets " + provider.Describe(b, 5)
}
