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
// Every server that is not broken is asked (a side's servers answer
// alike or resolvers fail on some): a server whose DNSKEY query fails (no
// answer, SERVFAIL, REFUSED) is an error, since whether it signs is
// unknown and validating resolvers need that answer for every name once
// the parent's DS points at a key (the DNSKEY is asked nowhere else, so
// no other finding says it); a server that serves another DNSKEY set
// than its side's representative (a node left out of the signing) is a
// disagree-within-provider error. Sides are compared by their
// representatives.
func (r *runner) dnssec(ctx context.Context) []Finding {
	if r.rep[0] < 0 || r.rep[1] < 0 {
		return nil
	}
	ans := make([]*query.Answer, len(r.servers))
	for si := range r.servers {
		if si < len(r.broken) && r.broken[si] {
			continue
		}
		ans[si] = r.ex[si].Exchange(ctx, r.z.Origin, dns.TypeDNSKEY)
		if ans[si].Err == query.ErrCanceled {
			return nil // the run was interrupted
		}
	}
	f := Finding{Name: r.z.Origin, Type: "DNSKEY", Kind: "dnssec"}
	if s := r.z.Get(r.z.Origin, dns.TypeSOA); s != nil {
		p := s.Pos()
		f.File, f.Line = p.File, p.Line
	}
	var failed []string
	for si, a := range ans {
		if a != nil && a.Class() == query.ClassFailure {
			failed = append(failed, fmt.Sprintf("%s (%s) answered %s", r.side(si), r.servers[si].Addr, a.Status()))
		}
	}
	if len(failed) > 0 {
		f.Severity = SevError
		f.Old, f.New = r.text(ans[r.rep[0]]), r.text(ans[r.rep[1]])
		f.Detail = "could not verify whether each side signs the zone: the apex DNSKEY query of " + strings.Join(failed, ", and of ") + "; validating resolvers that reach a server whose DNSKEY answer fails cannot validate any name of a zone with a DS at the parent"
		return []Finding{f}
	}
	var out []Finding
	for si, a := range ans {
		first := r.rep[0]
		if si >= r.nOld {
			first = r.rep[1]
		}
		if a == nil || si == first || sameKeys(a.Keys, ans[first].Keys) {
			continue
		}
		d := f
		d.Kind, d.Severity = "disagree-within-provider", SevError
		d.Old, d.New = r.keysText(ans[first].Keys), r.keysText(a.Keys)
		d.Detail = fmt.Sprintf("%s servers %s and %s disagree on signing: %s serves %s, %s %s; once the parent has a DS for the zone, validating resolvers that pick a server without the DS's key fail for every name", r.side(si),
			r.servers[first].Addr, r.servers[si].Addr, r.servers[first].Addr, keysPhrase(ans[first].Keys), r.servers[si].Addr, keysPhrase(a.Keys))
		out = append(out, d)
	}
	ans0, ans1 := ans[r.rep[0]], ans[r.rep[1]]
	old, new := ans0.Keys, ans1.Keys
	f.Old, f.New = r.keysText(old), r.keysText(new)
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
		return out
	}
	return append(out, f)
}

// keysPhrase says whether a server signs: how many DNSKEY records.
func keysPhrase(keys []string) string {
	if len(keys) == 0 {
		return "no DNSKEY (unsigned)"
	}
	return fmt.Sprintf("%d DNSKEY records", len(keys))
}

func sameKeys(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// keysText is keys, the DNSKEY records a server serves at the apex, as a
// finding shows them (text: redacted before they are rendered).
func (r *runner) keysText(keys []string) string {
	if len(keys) == 0 {
		return "no DNSKEY"
	}
	a := &query.Answer{AA: true}
	for _, k := range keys {
		a.Answer = append(a.Answer, query.RR{Name: r.z.Origin, Type: dns.TypeDNSKEY, Rdata: k})
	}
	return r.text(a)
}
