package cloudns

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// call is one write: mod-record, add-record or delete-record.
type call struct {
	path string
	form url.Values
}

// current is a record at the provider with its canonical RDATA.
type current struct {
	rec   record
	rdata string
}

// Apply sends one call per record: records edited in place first
// (mod-record keeps the id), then added, then deleted, so that an RRset
// is never empty on the way; at a name that becomes a CNAME the other
// records go first. Names that only lose records come last
// (provider.ByName). A failed call stops the push: the Result lists the
// changes whose calls all succeeded and the error names the change left
// half-done; a re-run converges.
func (p *Provider) Apply(ctx context.Context, origin string, cs []provider.Change) (provider.Result, error) {
	origin = zone.CanonicalName(origin)
	var res provider.Result
	if len(cs) == 0 {
		return res, nil
	}
	rs, err := p.list(ctx, origin)
	if err != nil {
		return res, err
	}
	cur := map[zone.Key][]current{}
	for _, r := range rs {
		if omitted(r) {
			continue
		}
		rr, err := toRR(origin, r)
		if err != nil {
			return res, fmt.Errorf("cloudns: zone %s: record %s: %w", origin, r.ID, err)
		}
		rd, err := zone.CanonicalRdata(rr)
		if err != nil {
			return res, fmt.Errorf("cloudns: zone %s: record %s: %w", origin, r.ID, err)
		}
		k := zone.Key{Name: zone.CanonicalName(rr.Header().Name), Type: rr.Header().Rrtype}
		cur[k] = append(cur[k], current{r, rd})
	}
	type planned struct {
		c     provider.Change
		calls []call
	}
	var all []planned
	for _, g := range provider.ByName(cs) {
		var first, rest []planned
		cname := false
		for _, c := range g {
			cname = cname || (c.Action != provider.Delete && c.Type == dns.TypeCNAME)
		}
		for _, c := range g {
			calls, err := p.calls(origin, c, cur[c.Key()])
			if err != nil {
				return res, fmt.Errorf("cloudns: zone %s: %s: %w (nothing was sent)", origin, c, err)
			}
			if cname && c.Type != dns.TypeCNAME {
				first = append(first, planned{c, calls})
			} else {
				rest = append(rest, planned{c, calls})
			}
		}
		all = append(all, first...)
		all = append(all, rest...)
	}
	total := 0
	for _, pl := range all {
		total += len(pl.calls)
	}
	sent := 0
	for i, pl := range all {
		for j, cl := range pl.calls {
			tries, err := p.call(ctx, cl.path, cl.form, true, nil)
			res.Requests += tries
			sent++
			if err != nil {
				state := "not applied"
				if j > 0 {
					state = fmt.Sprintf("partly applied (%d of its %d calls; re-run to finish)", j, len(pl.calls))
				}
				var left []provider.Change
				for _, o := range all[i+1:] {
					left = append(left, o.c)
				}
				return res, fmt.Errorf("cloudns: zone %s: call %d of %d (%s) failed: %s %s; not applied: %s: %w",
					origin, sent, total, strings.TrimPrefix(cl.path, "/dns/"), pl.c, state, names(left), err)
			}
		}
		res.Applied = append(res.Applied, pl.c)
	}
	return res, nil
}

// calls are the writes that turn have into c.New.
func (p *Provider) calls(origin string, c provider.Change, have []current) ([]call, error) {
	domain := url.Values{"domain-name": {apiName(origin)}}
	with := func(f url.Values) url.Values {
		for k, v := range domain {
			f[k] = v
		}
		return f
	}
	del := func(id string) call {
		return call{"/dns/delete-record.json", with(url.Values{"record-id": {id}})}
	}
	var mods, adds, dels []call
	if c.Action == provider.Delete || c.New == nil {
		for _, h := range have {
			dels = append(dels, del(h.rec.ID))
		}
		return dels, nil
	}
	var added []dns.RR
	for i, rr := range c.New.RRs() {
		rd := c.New.Records[i].Rdata
		kept := -1
		for j, h := range have {
			if h.rdata == rd {
				kept = j
				break
			}
		}
		if kept < 0 {
			added = append(added, rr)
			continue
		}
		h := have[kept]
		have = append(have[:kept:kept], have[kept+1:]...)
		if h.rec.TTL != fmt.Sprint(c.New.TTL) {
			rr.Header().Ttl = c.New.TTL
			f, err := form(origin, rr)
			if err != nil {
				return nil, err
			}
			f.Set("record-id", h.rec.ID)
			mods = append(mods, call{"/dns/mod-record.json", with(f)})
		}
	}
	for _, rr := range added {
		rr.Header().Ttl = c.New.TTL
		f, err := form(origin, rr)
		if err != nil {
			return nil, err
		}
		if len(have) > 0 {
			f.Set("record-id", have[0].rec.ID)
			have = have[1:]
			mods = append(mods, call{"/dns/mod-record.json", with(f)})
			continue
		}
		adds = append(adds, call{"/dns/add-record.json", with(f)})
	}
	for _, h := range have {
		dels = append(dels, del(h.rec.ID))
	}
	return append(append(mods, adds...), dels...), nil
}

// names lists the RRsets of changes (up to 5).
func names(cs []provider.Change) string {
	if len(cs) == 0 {
		return "none"
	}
	var parts []string
	for i, c := range cs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(cs)-5))
			break
		}
		parts = append(parts, c.Name+" "+dns.Type(c.Type).String())
	}
	return strings.Join(parts, ", ")
}
