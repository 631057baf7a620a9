package cloudns

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// call is one write: mod-record, add-record or delete-record.
type call struct {
	path string
	form url.Values
}

// current is a record at the provider with its canonical RDATA.
type current = provider.Current[record]

// apply sends the new RRsets at names that only gain records as BIND text
// through records-import (delete-existing-records=0: it adds, never
// removes), at most ImportBatch records per call; every other change goes
// one call per record: records edited in place first (mod-record keeps
// the id), then added, then deleted, so that an RRset is never empty on
// the way; at a name that becomes a CNAME the other records go first.
// Names that only lose records come last (provider.ByName). After the
// imports the zone is read back and compared before they count as applied,
// waiting (bounded) for the job ClouDNS runs an import of ImportJobAt
// records or more as. A failed call stops the push: after a failed or
// unfinished import the zone is read again, so the Result lists exactly
// the changes that are there; the error names the change left half-done;
// a re-run converges.
func (p *Provider) apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater, _ struct{}, cur map[zone.Key][]current) (provider.Result, error) {
	var res provider.Result
	var news, rest []provider.Change
	for _, g := range provider.ByName(cs) {
		if p.importBatch > 0 && onlyNew(g, cur) {
			news = append(news, g...)
		} else {
			rest = append(rest, g...)
		}
	}
	imports, _ := provider.Packer[provider.Change]{Limits: []int{p.importBatch}, Ops: func(c provider.Change) (provider.Change, []int, error) {
		return c, []int{len(c.New.Records)}, nil
	}}.Pack(news)
	calls, err := p.plan(origin, rest, cur)
	if err != nil {
		return res, err
	}
	if err := p.sendImports(ctx, origin, imports, calls, task, &res); err != nil {
		return res, err
	}
	return res, p.sendCalls(ctx, origin, calls, task, &res)
}

// planned is a change and the calls that make it.
type planned struct {
	c     provider.Change
	calls []call
}

// plan lists the calls of changes that go one call per record, in
// provider.Sequence's order.
func (p *Provider) plan(origin string, cs []provider.Change, cur map[zone.Key][]current) ([]planned, error) {
	var all []planned
	for _, c := range provider.Sequence(cs) {
		calls, err := p.calls(origin, c, cur[c.Key()])
		if err != nil {
			return nil, fmt.Errorf("cloudns: zone %s: %s: %w (nothing was sent)", origin, c, err)
		}
		all = append(all, planned{c, calls})
	}
	return all, nil
}

// sendImports sends the imports one after the other; the zone is read
// back once after the last (after a failed one at once) and compared,
// waiting for the jobs ClouDNS makes of imports of ImportJobAt records or
// more: only what is read back is reported applied (and to task). calls
// are the changes that come after, named as not applied when an import
// fails.
func (p *Provider) sendImports(ctx context.Context, origin string, imports []provider.Batch[provider.Change], calls []planned, task progress.Updater, res *provider.Result) error {
	var pending []provider.Change
	job := false
	for i, b := range imports {
		tries, err := p.importRecords(ctx, origin, b.Changes)
		res.Requests += tries
		pending = append(pending, b.Changes...)
		if err == nil {
			job = job || recordCount(b.Changes) >= ImportJobAt
			if i < len(imports)-1 {
				continue
			}
			err = p.awaitImport(ctx, origin, pending, job)
			if err == nil {
				res.Done(task, pending...)
				break
			}
		}
		// What of the imports is there: read the zone again.
		done, half, rerr := p.landed(ctx, origin, pending)
		res.Done(task, done...)
		msg := fmt.Sprintf("cloudns: zone %s: records-import %d of %d failed", origin, i+1, len(imports))
		if rerr != nil {
			// Nothing read back (the deadline, the account paused): the
			// imports ClouDNS accepted are there, all or some of them,
			// and the failed one may have been applied in part, never
			// "not applied".
			msg += fmt.Sprintf(" (and reading the zone back failed: %v)", rerr)
			res.Left.Unknown = pending
		} else {
			for _, c := range pending {
				switch {
				case contains(half, c):
					res.Left.Partly = append(res.Left.Partly, provider.Part{Change: c, Detail: "re-run to finish"})
				case !contains(done, c):
					res.Left.NotApplied = append(res.Left.NotApplied, c)
				}
			}
		}
		res.Left.NotApplied = append(res.Left.NotApplied, provider.Later(imports[i+1:])...)
		for _, pl := range calls {
			res.Left.NotApplied = append(res.Left.NotApplied, pl.c)
		}
		return fmt.Errorf("%s: %s: %w", msg, res.Left, err)
	}
	return nil
}

// sendCalls makes the calls in order; the first that fails stops them
// (each change done is reported to task).
func (p *Provider) sendCalls(ctx context.Context, origin string, all []planned, task progress.Updater, res *provider.Result) error {
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
				left := &res.Left
				switch perhaps := provider.PerhapsApplied(err); {
				case j > 0 && perhaps:
					// Its first j calls are done: never "all or
					// nothing"; whole when the next is its last.
					left.Partly = append(left.Partly, provider.Part{Change: pl.c, Perhaps: j == len(pl.calls)-1,
						Detail: fmt.Sprintf("%d of its %d calls, the next perhaps applied too; re-run to finish", j, len(pl.calls))})
				case j > 0:
					left.Partly = append(left.Partly, provider.Part{Change: pl.c,
						Detail: fmt.Sprintf("%d of its %d calls; re-run to finish", j, len(pl.calls))})
				case perhaps && len(pl.calls) > 1:
					// Its first call may be done and the others are
					// not sent: neither old nor new, never "all or
					// nothing".
					left.Partly = append(left.Partly, provider.Part{Change: pl.c, OrNone: true,
						Detail: fmt.Sprintf("the first of its %d calls perhaps applied: its answer was lost, or an earlier try's server error was applied; re-run to finish", len(pl.calls))})
				case perhaps:
					left.Perhaps = append(left.Perhaps, pl.c)
				default:
					left.NotApplied = append(left.NotApplied, pl.c)
				}
				for _, o := range all[i+1:] {
					left.NotApplied = append(left.NotApplied, o.c)
				}
				return fmt.Errorf("cloudns: zone %s: call %d of %d (%s) failed: %s: %w",
					origin, sent, total, strings.TrimPrefix(cl.path, "/dns/"), *left, err)
			}
		}
		res.Done(task, pl.c)
	}
	return nil
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
			dels = append(dels, del(h.Rec.ID))
		}
		return dels, nil
	}
	kept, added, have := provider.Match(c.New, have)
	for _, k := range kept {
		if k.Have.Rec.TTL != fmt.Sprint(c.New.TTL) {
			rr := k.RR
			rr.Header().Ttl = c.New.TTL
			f, err := form(origin, rr)
			if err != nil {
				return nil, err
			}
			f.Set("record-id", k.Have.Rec.ID)
			mods = append(mods, call{"/dns/mod-record.json", with(f)})
		}
	}
	edits, creates, left, err := provider.Pair(added, have, func(rr dns.RR) (url.Values, error) { return form(origin, rr) })
	if err != nil {
		return nil, err
	}
	for _, e := range edits {
		e.New.Set("record-id", e.Have.Rec.ID)
		mods = append(mods, call{"/dns/mod-record.json", with(e.New)})
	}
	for _, f := range creates {
		adds = append(adds, call{"/dns/add-record.json", with(f)})
	}
	for _, h := range left {
		dels = append(dels, del(h.Rec.ID))
	}
	return append(append(mods, adds...), dels...), nil
}

// onlyNew reports whether a group only creates RRsets where the zone has
// none of that type (nothing to edit or delete, no CNAME conflict).
func onlyNew(g []provider.Change, cur map[zone.Key][]current) bool {
	for _, c := range g {
		if c.Action != provider.Create || c.New == nil || len(cur[c.Key()]) > 0 || rootTargeted(c.New) || byAddRecord[c.Type] {
			return false
		}
	}
	return true
}

// byAddRecord are the types that go by add-record, never in a
// records-import text: the sources that ClouDNS takes them (a DNAME:
// dnscontrol's recording of the live API; a NAPTR and a LOC: ClouDNS's
// own octoDNS provider, dnscontrol's LOC, ClouDNS's PHP SDK; an RP, a
// HINFO, a CERT, an SMIMEA and an OPENPGPKEY: ClouDNS's WHMCS module)
// sent them by add-record, with its documented parameters (records.go),
// while how records-import reads their BIND text no source shows.
var byAddRecord = map[uint16]bool{dns.TypeDNAME: true, dns.TypeNAPTR: true, dns.TypeLOC: true,
	dns.TypeRP: true, dns.TypeHINFO: true, dns.TypeCERT: true, dns.TypeSMIMEA: true, dns.TypeOPENPGPKEY: true}

// rootTargeted: s holds a record whose target is the root (a null MX, an
// SRV to "."), which goes by add-record: ClouDNS takes its "." there
// (targetValue), while how records-import reads one in its BIND text no
// source shows.
func rootTargeted(s *zone.RRSet) bool {
	for _, rr := range s.RRs() {
		if t, ok := zone.Target(rr); ok && t == "." {
			return true
		}
	}
	return false
}

func contains(cs []provider.Change, c provider.Change) bool {
	for _, x := range cs {
		if x.Key() == c.Key() {
			return true
		}
	}
	return false
}

// importRecords adds the RRsets of cs as one BIND text (records-import,
// delete-existing-records=0).
func (p *Provider) importRecords(ctx context.Context, origin string, cs []provider.Change) (int, error) {
	var b strings.Builder
	for _, c := range cs {
		for _, rr := range c.New.RRs() {
			fmt.Fprintf(&b, "%s\t%d\tIN\t%s\t%s\n", c.Name, c.New.TTL, dns.Type(c.Type), zone.RdataString(rr))
		}
	}
	f := url.Values{"domain-name": {apiName(origin)}, "format": {"bind"}, "content": {b.String()}, "delete-existing-records": {"0"}}
	return p.call(ctx, "/dns/records-import.json", f, true, nil)
}

// recordCount is the number of records the changes add.
func recordCount(cs []provider.Change) int {
	n := 0
	for _, c := range cs {
		n += len(c.New.Records)
	}
	return n
}

// awaitImport reads the zone back after imports that ClouDNS accepted and
// says whether every record of cs is there. When an import ran as a job
// (job), the zone is read again at growing intervals until the records
// are there or jobWait has passed, a listing that changed while it was
// read (the job adding records: provider.ErrUnsettled) among the reads
// that do not find them yet.
func (p *Provider) awaitImport(ctx context.Context, origin string, cs []provider.Change, job bool) error {
	var deadline time.Time
	if job {
		deadline = time.Now().Add(p.jobWait)
	}
	poll := p.jobPoll
	for {
		done, _, err := p.landed(ctx, origin, cs)
		// A job adds its records while the zone is read: a listing
		// that does not settle is read again until the deadline.
		unsettled := job && errors.Is(err, provider.ErrUnsettled)
		if err != nil && !unsettled {
			return fmt.Errorf("reading the zone back after the import: %w", err)
		}
		if err == nil && len(done) == len(cs) {
			return nil
		}
		if !time.Now().Before(deadline) {
			if unsettled {
				return fmt.Errorf("the import job (%d or more records run in the background) has not finished after %s: the zone was still changing when it was read: %w", ImportJobAt, p.jobWait, err)
			}
			if job {
				return fmt.Errorf("the import job (%d or more records run in the background) has not finished after %s: %d of %d RRsets are there", ImportJobAt, p.jobWait, len(done), len(cs))
			}
			return fmt.Errorf("the import was accepted but %d of %d RRsets are there", len(done), len(cs))
		}
		if err := httpretry.Sleep(ctx, min(poll, time.Until(deadline))); err != nil {
			return err
		}
		poll = min(2*poll, 10*time.Second)
	}
}

// landed reads the zone back and sorts the changes of a failed import:
// done (every record there), half (some there).
func (p *Provider) landed(ctx context.Context, origin string, cs []provider.Change) (done, half []provider.Change, err error) {
	z, err := p.Records(ctx, origin)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range cs {
		got := z.Get(c.Name, c.Type)
		if got == nil {
			continue
		}
		n := 0
		for _, r := range c.New.Records {
			if got.Has(r.Rdata) {
				n++
			}
		}
		switch {
		case n == len(c.New.Records):
			done = append(done, c)
		case n > 0:
			half = append(half, c)
		}
	}
	return done, half, nil
}
