package parity

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/miekg/dns"
)

// dnssec compares whether the sides sign the zone: each side's
// representative is asked the apex DNSKEY (DNSSEC records are otherwise
// out of the data comparison). Signing is not data a resolver compares,
// but it decides whether the flip is safe once the parent has a DS
// record for the zone:
//
//   - old signed, new not: warning. With a DS at the parent, validating
//     resolvers fail (SERVFAIL) for every name once NS points at new;
//     remove the DS and wait out its TTL before the flip, or sign at new
//     and publish its DS first.
//   - new signed, old not: info. Harmless while the parent has no DS;
//     publish new's DS only after the flip.
//   - both signed with different DNSKEY sets: warning. The DS at the
//     parent must match a key of new before the flip (RFC 8901).
//
// A side whose DNSKEY query fails (no answer, SERVFAIL, REFUSED) is an
// error: whether it signs is unknown, and validating resolvers need that
// answer for every name once the parent's DS points at a key (the DNSKEY
// is asked nowhere else, so no other finding says it).
func (r *runner) dnssec(ctx context.Context) []Finding {
	if r.rep[0] < 0 || r.rep[1] < 0 {
		return nil
	}
	var ans [2]*query.Answer
	for side := range ans {
		ans[side] = r.ex[r.rep[side]].Exchange(ctx, r.z.Origin, dns.TypeDNSKEY)
	}
	f := Finding{Name: r.z.Origin, Type: "DNSKEY", Kind: "dnssec"}
	if s := r.z.Get(r.z.Origin, dns.TypeSOA); s != nil {
		p := s.Pos()
		f.File, f.Line = p.File, p.Line
	}
	var failed []string
	for side, a := range ans {
		if a.Class() == query.ClassFailure && a.Err != query.ErrCanceled {
			failed = append(failed, fmt.Sprintf("%s (%s) answered %s", []string{"old", "new"}[side], r.servers[r.rep[side]].Addr, a.Status()))
		}
	}
	if len(failed) > 0 {
		f.Severity = SevError
		f.Old, f.New = ans[0].Text(), ans[1].Text()
		f.Detail = "could not verify whether each side signs the zone: the apex DNSKEY query of " + strings.Join(failed, ", and of ") + "; validating resolvers that reach a server whose DNSKEY answer fails cannot validate any name of a zone with a DS at the parent"
		return []Finding{f}
	}
	if ans[0].Class() == query.ClassFailure || ans[1].Class() == query.ClassFailure {
		return nil // the run was interrupted
	}
	old, new := ans[0].Keys, ans[1].Keys
	f.Old, f.New = keysText(r.z.Origin, old), keysText(r.z.Origin, new)
	switch {
	case len(old) > 0 && len(new) == 0:
		f.Severity = SevWarning
		f.Detail = "old signs the zone (DNSKEY at the apex), new does not: if the parent has a DS record for the zone, validating resolvers fail for every name once NS points at new; remove the DS at the registrar and wait for its TTL before the flip, or sign the zone at new and publish its DS first"
	case len(new) > 0 && len(old) == 0:
		f.Severity = SevInfo
		f.Detail = "new signs the zone (DNSKEY at the apex), old does not: harmless while the parent has no DS; publish new's DS at the registrar only after the flip"
	case len(old) > 0 && !sameKeys(old, new):
		f.Severity = SevWarning
		f.Detail = "both sides sign the zone with different DNSKEY sets: the DS at the parent must match a key of new before the flip (RFC 8901), else validating resolvers fail once NS points at new"
	default:
		return nil
	}
	return []Finding{f}
}

func sameKeys(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func keysText(origin string, keys []string) string {
	if len(keys) == 0 {
		return "no DNSKEY"
	}
	a := &query.Answer{AA: true}
	for _, k := range keys {
		a.Answer = append(a.Answer, query.RR{Name: origin, Type: dns.TypeDNSKEY, Rdata: k})
	}
	return a.Text()
}
