package parity

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// AXFRKeys AXFRs origin from addr (signed with key when set) through the
// project's strict reader (internal/transfer: complete only with the
// closing SOA, answers without QR or with another ID discarded, every
// message's TSIG verified, every wait ended by ctx) and returns the
// (owner, type) pairs it holds, DNSSEC types and what a signer makes
// (zone.SignerMade: an apex ZONEMD, CDS anywhere) left out. The timeout bounds
// the connect; each read may take five times as long.
func AXFRKeys(ctx context.Context, addr, origin string, key *TSIG, timeout time.Duration, limits transfer.Limits) (map[zone.Key]bool, error) {
	rrs, err := AXFRRecords(ctx, addr, origin, key, timeout, limits)
	if err != nil {
		return nil, err
	}
	keys := map[zone.Key]bool{}
	for _, rr := range rrs {
		keys[zone.Key{Name: zone.CanonicalName(rr.Header().Name), Type: rr.Header().Rrtype}] = true
	}
	return keys, nil
}

// AXFRRecords is the transfer AXFRKeys reads, its records (class IN,
// DNSSEC types and signer-made ones left out) rather than their owners and types: for a
// caller that must read a record's data (a provider's own type, which
// says what it answers: provider.OwnTransferred).
func AXFRRecords(ctx context.Context, addr, origin string, key *TSIG, timeout time.Duration, limits transfer.Limits) ([]dns.RR, error) {
	o := transfer.Options{DialTimeout: timeout, Timeout: 5 * timeout, MaxRecords: limits.MaxRecords, MaxBytes: limits.MaxBytes, MaxTime: limits.MaxTime, BusyRetries: transfer.BusyRetries}
	if key != nil && key.Name != "" {
		alg := key.Algorithm
		if alg == "" {
			alg = "hmac-sha256"
		}
		o.Key = &transfer.Key{Name: dns.Fqdn(zone.Fold(key.Name)), Algorithm: dns.Fqdn(zone.Fold(alg)), Secret: key.Secret}
	}
	rrs, err := transfer.AXFR(ctx, addr, origin, o)
	if err != nil {
		return nil, fmt.Errorf("AXFR %s from %s: %w", origin, addr, err)
	}
	out := rrs[:0]
	for _, rr := range rrs {
		h := rr.Header()
		// zone.NotAsked: NotData, and at the apex what a signer adds
		// (SignerMade less NotData is exactly that).
		if zone.NotAsked(origin, zone.CanonicalName(h.Name), h.Rrtype) || h.Class != dns.ClassINET {
			continue
		}
		out = append(out, rr)
	}
	return out, nil
}

// AXFRError is a transfer that was asked for (Options.AXFR) and that no
// server of a side gave completely: records that side holds and git lacks
// cannot be checked, so the run proves nothing and stops.
type AXFRError struct {
	Side string // "old" or "new"
	// Rcodes are the error rcodes the side's servers answered (REFUSED,
	// NOTAUTH...), one per server that answered one.
	Rcodes []string
	// Limit is set when a transfer passed one of its bounds.
	Limit *transfer.LimitError
	// Errs say, per server tried, why its transfer failed.
	Errs []string
}

// Answered says every server of the side answered the transfer, with an
// error rcode (REFUSED, NOTAUTH: this zone not given or not held there),
// none timing out or breaking off: the zone's own failure, which tells
// nothing of the side's other zones.
func (e *AXFRError) Answered() bool {
	return len(e.Rcodes) > 0 && len(e.Rcodes) == len(e.Errs)
}

// StopsRun says whether a zone that could not be compared (err) stops a
// run over many zones: every failure does (a server silent would make
// every zone wait for it) but the zone's own transfer refused by every
// server of a side (Answered: a zone not created there yet), after which
// the other zones are compared all the same.
func StopsRun(err error) bool {
	var refused *AXFRError
	return err != nil && !(errors.As(err, &refused) && refused.Answered())
}

func (e *AXFRError) Error() string {
	var why, todo string
	switch {
	case len(e.Rcodes) > 0:
		why = fmt.Sprintf("the %s side refused the transfer (%s)", e.Side, strings.Join(e.Rcodes, ", "))
		todo = fmt.Sprintf("allow the transfer, give the right key in providers.%s.tsig, or turn the transfer off with --axfr=false", e.Side)
	case e.Limit != nil:
		why = fmt.Sprintf("the %s side's transfer passed its %s limit", e.Side, e.Limit.Limit)
		todo = fmt.Sprintf("raise parity.axfr_max_%s if the zone is that large; a server that never ends its transfer is broken or hostile", e.Limit.Limit)
	default:
		why = fmt.Sprintf("no %s server gave a complete zone transfer", e.Side)
		todo = "make one answer it completely, or turn the transfer off with --axfr=false"
	}
	return fmt.Sprintf("AXFR was asked for (--axfr or parity.axfr), but %s: %s; records on %s that are not in git cannot be checked, so nothing is proven (%s)",
		why, strings.Join(e.Errs, "; "), e.Side, todo)
}

// axfrQuestions transfers the zone from every server of each side (one
// after the other, so that one transfer is held at a time per side) and
// returns the questions for (owner, type) pairs that the question list
// lacks, found on any of them: a server of a side may hold a name its
// others lack (a node left behind), and only the names asked are
// compared on every server. An *AXFRError when no server of a side gave
// a complete transfer; a server that refuses while another of its side
// transfers is not an error.
func (r *runner) axfrQuestions(ctx context.Context, qs []Question) ([]Question, error) {
	keys := [2][]*TSIG{{r.opts.OldTSIG}, {r.opts.NewTSIG}}
	ranges := [2][2]int{{0, r.nOld}, {r.nOld, len(r.servers)}}
	var fails [2]*AXFRError
	var wg sync.WaitGroup
	for side := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail := &AXFRError{Side: [2]string{"old", "new"}[side]}
			for si := ranges[side][0]; si < ranges[side][1]; si++ {
				r.queries.Add(1)
				got, err := AXFRKeys(ctx, r.servers[si].Addr, r.z.Origin, keys[side][0], r.opts.Timeout, r.opts.AXFRLimits)
				if err == nil {
					if r.axfr[side] == nil {
						r.axfr[side] = got
					} else {
						maps.Copy(r.axfr[side], got)
					}
					continue
				}
				if ctx.Err() != nil {
					return
				}
				fail.Errs = append(fail.Errs, err.Error())
				var re *transfer.RcodeError
				if errors.As(err, &re) {
					fail.Rcodes = append(fail.Rcodes, r.servers[si].Addr+" "+transfer.RcodeName(re.Rcode))
				}
				errors.As(err, &fail.Limit)
			}
			if r.axfr[side] == nil {
				fails[side] = fail
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	for _, f := range fails {
		if f != nil {
			return nil, f
		}
	}
	seen := make(map[zone.Key]bool, len(qs))
	for _, q := range qs {
		seen[zone.Key{Name: q.Name, Type: q.Type}] = true
	}
	var extra []zone.Key
	for side := range 2 {
		for k := range r.axfr[side] {
			if seen[k] || !r.z.InZone(k.Name) || k.Type == dns.TypeDS && r.v.t.IsCut(k.Name) {
				continue
			}
			seen[k] = true
			extra = append(extra, k)
		}
	}
	sort.Slice(extra, func(i, j int) bool {
		if c := zone.CompareNames(extra[i].Name, extra[j].Name); c != 0 {
			return c < 0
		}
		return extra[i].Type < extra[j].Type
	})
	for _, k := range extra {
		qs = append(qs, Question{Name: k.Name, Type: k.Type, Probe: probeAXFR})
	}
	return append(qs, r.coveredQuestions(extra, seen)...), nil
}

// coveredQuestions are the questions a name found by AXFR (extra, in
// order) needs beyond the (owner, type) pairs found, when git does not
// have the name and a wildcard of git answers it: the side holding the
// name answers from its own node, NODATA for every other type and
// NXDOMAIN below it (RFC 4592 §2.2.1: a wildcard does not apply at or
// below a name that exists), the other side from the wildcard. So the
// name is asked every type git's wildcard has there (seen: the pairs
// already asked), and a random label below it each of those types too;
// each finding there says why (axfrNote), from which sides hold the
// node: looked up once here, one pass over each side's transfer, not per
// question (on the code before, axfrNote walked both transfers whole for
// every question here: quadratic in a large zone).
func (r *runner) coveredQuestions(extra []zone.Key, seen map[zone.Key]bool) []Question {
	var qs []Question
	add := func(name, node string, t uint16) {
		if k := (zone.Key{Name: name, Type: t}); !seen[k] {
			seen[k] = true
			qs = append(qs, Question{Name: name, Type: t, Probe: probeAXFR})
			if r.covered == nil {
				r.covered = map[string]string{}
			}
			r.covered[name] = node
		}
	}
	done := map[string]bool{}
	for _, k := range extra {
		if done[k.Name] || r.v.t.Exists(k.Name) || r.v.t.Cut(k.Name) != "" {
			continue
		}
		done[k.Name] = true
		w := r.v.t.Wildcard(k.Name)
		if w == "" {
			continue
		}
		below := randomLabel() + "." + k.Name
		for _, s := range r.z.Lookup(w) {
			if zone.NotAsked(r.z.Origin, s.Name, s.Type) {
				continue
			}
			add(k.Name, k.Name, s.Type)
			if zone.WireLen(below) <= 255 {
				add(below, k.Name, s.Type)
			}
		}
	}
	r.coveredOn = nodeSides(r.axfr, r.covered)
	return qs
}

// nodeSides says, for each node covered names (a question's name to
// its node), which sides' transfers hold a record at it: "old", "new"
// or "old and new".
func nodeSides(axfr [2]map[zone.Key]bool, covered map[string]string) map[string]string {
	if len(covered) == 0 {
		return nil
	}
	on := make(map[string]*[2]bool, len(covered))
	for _, node := range covered {
		on[node] = new([2]bool)
	}
	for side := range 2 {
		for k := range axfr[side] {
			if h := on[k.Name]; h != nil {
				h[side] = true
			}
		}
	}
	out := make(map[string]string, len(on))
	for node, h := range on {
		var sides []string
		for side, name := range [2]string{"old", "new"} {
			if h[side] {
				sides = append(sides, name)
			}
		}
		out[node] = strings.Join(sides, " and ")
	}
	return out
}

// axfrNote says where a question found by AXFR came from.
func (r *runner) axfrNote(q Question) string {
	k := zone.Key{Name: q.Name, Type: q.Type}
	o, n := r.axfr[0][k], r.axfr[1][k]
	if node, ok := r.covered[q.Name]; ok && !o && !n {
		return fmt.Sprintf("; %s holds %s (found by AXFR, not in git), where git's wildcard %s answers: a wildcard does not apply at or below a name that exists (RFC 4592 §2.2.1)",
			r.coveredOn[node], node, r.v.t.Wildcard(node))
	}
	switch {
	case o && n:
		return "; present on old and new (AXFR), not in git"
	case o:
		return "; present on old only, not in git (found by AXFR)"
	case n:
		return "; present on new only, not in git (found by AXFR)"
	}
	return ""
}
