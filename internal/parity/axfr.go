package parity

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// transfer AXFRs origin from addr (signed with key when set) and returns
// the (owner, type) pairs it holds, DNSSEC types left out. The timeout
// bounds the connection and each read; ctx ends a transfer between
// envelopes.
func transfer(ctx context.Context, addr, origin string, key *TSIG, timeout time.Duration) (map[zone.Key]bool, error) {
	m := new(dns.Msg)
	m.SetAxfr(origin)
	tr := &dns.Transfer{DialTimeout: timeout, ReadTimeout: 5 * timeout, WriteTimeout: timeout}
	if key != nil && key.Name != "" {
		alg := key.Algorithm
		if alg == "" {
			alg = "hmac-sha256"
		}
		name := dns.Fqdn(zone.Fold(key.Name))
		m.SetTsig(name, dns.Fqdn(zone.Fold(alg)), 300, time.Now().Unix())
		tr.TsigSecret = map[string]string{name: key.Secret}
	}
	ch, err := tr.In(m, addr)
	if err != nil {
		return nil, fmt.Errorf("AXFR %s from %s: %w", origin, addr, err)
	}
	keys := map[zone.Key]bool{}
	soas := 0
	for env := range ch {
		if env.Error != nil {
			for range ch { // drain
			}
			return nil, fmt.Errorf("AXFR %s from %s: %w", origin, addr, env.Error)
		}
		if err := ctx.Err(); err != nil {
			for range ch {
			}
			return nil, fmt.Errorf("AXFR %s from %s: %w", origin, addr, err)
		}
		for _, rr := range env.RR {
			h := rr.Header()
			if h.Rrtype == dns.TypeSOA {
				soas++
			}
			if query.SkipType(h.Rrtype) || h.Class != dns.ClassINET {
				continue
			}
			keys[zone.Key{Name: zone.CanonicalName(h.Name), Type: h.Rrtype}] = true
		}
	}
	if soas == 0 {
		return nil, fmt.Errorf("AXFR %s from %s: no records (refused?)", origin, addr)
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
				got, err := transfer(ctx, r.servers[si].Addr, r.z.Origin, keys[side][0], r.opts.Timeout)
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
				Detail: fmt.Sprintf("AXFR was asked for, but no %s server allowed a zone transfer (%s): records on %s that are not in git were NOT verified; parity covers only the names in git",
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
