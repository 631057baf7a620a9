package parity

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// axfrKeys AXFRs origin from addr (signed with key when set) through the
// project's strict reader (internal/transfer: complete only with the
// closing SOA, answers without QR or with another ID discarded, every
// message's TSIG verified, every wait ended by ctx) and returns the
// (owner, type) pairs it holds, DNSSEC types left out. The timeout bounds
// the connect; each read may take five times as long.
func axfrKeys(ctx context.Context, addr, origin string, key *TSIG, timeout time.Duration) (map[zone.Key]bool, error) {
	o := transfer.Options{DialTimeout: timeout, Timeout: 5 * timeout}
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
	keys := map[zone.Key]bool{}
	for _, rr := range rrs {
		h := rr.Header()
		if query.SkipType(h.Rrtype) || h.Class != dns.ClassINET {
			continue
		}
		keys[zone.Key{Name: zone.CanonicalName(h.Name), Type: h.Rrtype}] = true
	}
	return keys, nil
}

// axfrQuestions transfers the zone from each side (trying its servers in
// order) and returns the questions for (owner, type) pairs that the
// question list lacks, and a finding for a side whose transfer failed.
func (r *runner) axfrQuestions(ctx context.Context, qs []Question) ([]Question, []Finding) {
	keys := [2][]*TSIG{{r.opts.OldTSIG}, {r.opts.NewTSIG}}
	ranges := [2][2]int{{0, r.nOld}, {r.nOld, len(r.servers)}}
	var errs [2][]string
	var wg sync.WaitGroup
	for side := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for si := ranges[side][0]; si < ranges[side][1]; si++ {
				r.queries.Add(1)
				got, err := axfrKeys(ctx, r.servers[si].Addr, r.z.Origin, keys[side][0], r.opts.Timeout)
				if err == nil {
					r.axfr[side] = got
					return
				}
				errs[side] = append(errs[side], err.Error())
			}
		}()
	}
	wg.Wait()
	var out []Finding
	for side, name := range [2]string{"old", "new"} {
		if r.axfr[side] == nil {
			// The user asked for the transfer: what it would have
			// verified was not verified.
			out = append(out, Finding{Name: r.z.Origin, Type: "AXFR", Kind: "axfr", Severity: SevWarning,
				Detail: fmt.Sprintf("AXFR was asked for, but no %s server gave a complete zone transfer (%s): records on %s that are not in git were NOT verified; parity covers only the names in git",
					name, strings.Join(errs[side], "; "), name)})
		}
	}
	seen := make(map[zone.Key]bool, len(qs))
	for _, q := range qs {
		seen[zone.Key{Name: q.Name, Type: q.Type}] = true
	}
	var extra []zone.Key
	for side := range 2 {
		for k := range r.axfr[side] {
			if seen[k] || !r.z.InZone(k.Name) || k.Type == dns.TypeDS && r.v.cuts[k.Name] {
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
	return qs, out
}

// axfrNote says where a question found by AXFR came from.
func (r *runner) axfrNote(q Question) string {
	k := zone.Key{Name: q.Name, Type: q.Type}
	o, n := r.axfr[0][k], r.axfr[1][k]
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
