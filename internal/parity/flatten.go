package parity

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// Flattened CNAMEs. A provider that flattens a CNAME (Cloudflare's CNAME
// flattening, Route 53 alias records, ALIAS/ANAME records of DNS Made
// Easy, NS1, PowerDNS) answers the data the chain leads to at the name
// itself, without the CNAME; the other side (or git) answers the CNAME,
// and resolvers follow it. Resolvers get the same data when the chain's
// end holds what the flattening side serves: the chains differ (a
// cname-hop, a missing CNAME), the answers resolvers act on do not. So
// where one side answers a question (name, type) with a CNAME chain and
// the other with no CNAME at the name, parity reads what the chain leads
// to — from the chain side's own answer when its servers followed it in
// the zone, else through the run's resolver (Options.Resolver, never the
// system's) — and compares that with the other side's records at the
// name (rdata; TXT by its text as receivers read it): one `flattened`
// finding replaces the chain's differences, a warning when they are the
// same (the side without the CNAME does not follow the target's changes
// as the chain does, and its TTL is its own), info when neither has data
// of the type, an error when they differ or could not be compared (no
// resolver, the lookup failed). A qtype=CNAME question the flattening
// side answers NODATA is a warning: resolvers ask for the data types,
// whose questions carry the verdict. A name git's NS, MX or SRV records
// target that is a CNAME on one side only is a cname-hop error instead
// (RFC 2181 §10.3), whatever the chain leads to. The rule holds in every
// comparison of two servers' answers (differences): the sides'
// representatives, two servers of one side, and each of those from every
// client subnet; and each cause is one finding per name
// (oneFindingPerCause).

// differences is what differs between the answers a and b to q (named
// an and bn in details: "old" and "new", two servers' addresses), with a
// CNAME chain against an answer with no CNAME at the name judged by what
// the chain leads to (flattened) where neither answers with authority
// below a zone cut git delegates: the one rule of every comparison of two
// servers' answers, the sides' representatives, the servers of one side
// with their representative, and each of those from every client subnet.
//
// An SPF record written with redirect=x on one and include:x then all on
// the other is judged by what receivers get too (spfRedirect), x read
// from servers sa and sb (a's and b's).
func (r *runner) differences(ctx context.Context, q Question, sa, sb int, a, b *query.Answer, an, bn string) []diff {
	ds := r.compare(q, a, b, an, bn)
	if len(ds) == 0 || r.cutAA(q, a) != "" || r.cutAA(q, b) != "" {
		return ds
	}
	if d, ok := r.flattened(ctx, q, a, b, an, bn); ok {
		return []diff{d} // the chains differ, what resolvers get is judged
	}
	var out []diff
	for _, d := range ds {
		out = append(out, r.spfRedirect(ctx, d, sa, sb, a, b, an, bn)...)
	}
	return out
}

// spfRedirect judges an rdata difference d in a TXT RRset between a and b
// (servers sa and sb, named an and bn) whose one SPF record is written
// with redirect=x on one side and include:x then all on the other, the
// other TXT records alike (mailauth.RedirectVsInclude, x read from each
// side's servers, or the resolver outside the zone): the same result for
// every sender is the spf info that other ways of writing the same
// record are (compareSet), with a ttl warning beside it when the TTLs
// differ (the rdata error held it); else d stays the error it is, saying
// why.
func (r *runner) spfRedirect(ctx context.Context, d diff, sa, sb int, a, b *query.Answer, an, bn string) []diff {
	if d.kind != "rdata" || d.typ != dns.TypeTXT {
		return []diff{d}
	}
	// Each side's TXT RRset as compareSets grouped it (groupSets: the
	// lowest TTL, duplicates dropped). An answer repeating a record
	// (RFC 2181 §5 forbids it) reads as one here too, as compareSet
	// reads it; recordsAt counted each copy before, so a repeated SPF
	// record kept the rdata error.
	texts := func(x *query.Answer) (spf string, n int, other []string, s *set) {
		if s = findSet(groupSets(x.Answer), d.owner, dns.TypeTXT); s == nil {
			return "", 0, nil, nil
		}
		texts := joined(s)
		for _, t := range texts {
			if !mailauth.IsSPF(t) {
				other = append(other, t)
			}
		}
		spf, n = mailauth.SelectSPF(texts)
		return spf, n, other, s
	}
	ra, na, oa, xa := texts(a)
	rb, nb, ob, xb := texts(b)
	if na != 1 || nb != 1 || !slices.Equal(oa, ob) {
		return []diff{d}
	}
	applies, same, why := mailauth.RedirectVsInclude(ctx, ra, rb, an, bn, r.source(sa), r.source(sb))
	switch {
	case !applies:
		return []diff{d}
	case same:
		info := d
		info.kind, info.sev = "spf", SevInfo
		info.detail = fmt.Sprintf("the SPF record reads the same to every receiver on %s and %s, written otherwise (%s): %s", an, bn, why, strings.TrimPrefix(d.detail, d.set+" differs: "))
		out := []diff{info}
		for _, t := range ttlDiffs(xa, xb, an, bn) {
			ttl := d
			ttl.kind, ttl.sev, ttl.detail = t.kind, t.sev, t.detail
			out = append(out, ttl)
		}
		return out
	}
	d.detail += "; " + why
	return []diff{d}
}

// Causes of the findings flattened gives (diff.cause, Finding.cause):
// oneFindingPerCause keeps one finding per name for each but
// causeDiffers, whose data differ per type.
const (
	causeAlias      = "alias"      // a host target that is a CNAME on one side (cname-hop)
	causeSame       = "same"       // the chain leads to the flat side's data
	causeDiffers    = "differs"    // the chain leads to other data
	causeUnverified = "unverified" // where the chain leads could not be read
	causeNoData     = "nodata"     // neither has data of the type asked
	causeQCNAME     = "qcname"     // only a qtype=CNAME question sees the chain
	// gitCause prefixes the cause of a git-drift finding both sides give
	// alike (git's chain flattened on both): its own finding per name.
	gitCause = "git-"
)

// flattened judges question q whose answers x and y (named xn and yn)
// differ when one of them is a CNAME chain from q.Name and the other has
// no CNAME at q.Name; ok is false when the pair is not that shape.
func (r *runner) flattened(ctx context.Context, q Question, x, y *query.Answer, xn, yn string) (diff, bool) {
	sides := [2]string{xn, yn}
	ans := [2]*query.Answer{x, y}
	chainSide := -1
	var hops [][2]string
	for s, a := range ans {
		if a.Class() != query.ClassAnswer {
			continue
		}
		// The chain as far as this zone's servers own it (comparer.own):
		// a CNAME a server appends from another zone it serves (PowerDNS)
		// is out of bailiwick, its copy perhaps stale (RFC 2181 §5.4.1).
		if h := r.cmp.own(chain(q.Name, a.Answer)); len(h) > 0 {
			if chainSide >= 0 {
				return diff{}, false // both sides have a chain: cname-hop
			}
			chainSide, hops = s, h
		}
	}
	if chainSide < 0 {
		return diff{}, false
	}
	flat := ans[1-chainSide]
	if c := flat.Class(); c != query.ClassAnswer && c != query.ClassNoData {
		return diff{}, false // NXDOMAIN, a failure, a referral: not flattening
	}
	for _, rr := range flat.Answer {
		if rr.Name == q.Name && rr.Type == dns.TypeCNAME {
			return diff{}, false
		}
	}
	cs, fs := sides[chainSide], sides[1-chainSide]
	end := hops[len(hops)-1][1]
	what := fmt.Sprintf("%s answers %s %s through a CNAME chain to %s, %s at the name itself (a flattened CNAME: CNAME flattening, ALIAS, ANAME, an alias record)",
		cs, strings.TrimSuffix(q.Name, "."), dns.TypeToString[q.Type], strings.TrimSuffix(end, "."), fs)
	use := r.hostTargetUse(q.Name)
	if q.Name == r.z.Origin {
		// PowerDNS serves a CNAME written at the apex beside the SOA.
		use = "the zone's apex, where a CNAME cannot stand beside the SOA and NS records (RFC 1034 §3.6.2, RFC 2181 §10.1; resolvers then follow it for every type: MX, TXT and NS too)"
	}
	if use != "" {
		// Once per name and pair (oneFindingPerCause).
		return diff{kind: "cname-hop", sev: SevError, cause: causeAlias, detail: fmt.Sprintf("%s is %s, and a CNAME on %s only (→ %s): the target of an NS, MX or SRV record must not be an alias (RFC 2181 §10.3; RFC 5321 §5.1, RFC 2782): resolvers do not follow an NS target that is one, and mail servers may refuse the MX",
			strings.TrimSuffix(q.Name, "."), use, cs, strings.TrimSuffix(hops[0][1], "."))}, true
	}
	if q.Type == dns.TypeCNAME {
		if flat.Class() != query.ClassNoData {
			return diff{}, false
		}
		return diff{kind: "flattened", sev: SevWarning, cause: causeQCNAME, detail: what + ": only a qtype=CNAME question sees it; resolvers ask for the data types, compared at their own questions"}, true
	}
	flatRRs := recordsAt(flat.Answer, q.Name, q.Type)
	target, via, err := r.chainEnd(ctx, q, ans[chainSide], hops)
	if err != "" {
		return diff{kind: "flattened", sev: SevError, cause: causeUnverified, detail: what + "; what the chain leads to could not be compared: " + err}, true
	}
	flatText, targetText := r.recordsText(flatRRs), r.recordsText(target)
	switch {
	case len(flatRRs) == 0 && len(target) == 0:
		return diff{kind: "flattened", sev: SevInfo, cause: causeNoData, detail: what + "; neither has " + dns.TypeToString[q.Type] + " data (" + via + ")"}, true
	case !sameRecords(q.Name, q.Type, flatRRs, target):
		return diff{kind: "flattened", sev: SevError, cause: causeDiffers, detail: fmt.Sprintf("%s; the chain leads to other data (%s): resolvers asking %s get %s, asking %s get %s",
			what, via, cs, orNoData(targetText), fs, orNoData(flatText))}, true
	}
	d := diff{kind: "flattened", sev: SevWarning, cause: causeSame, detail: fmt.Sprintf("%s; the chain leads to the same data (%s): %s; the side without the CNAME does not follow the target's changes (an ESP rotating its DKIM key, a CDN moving its addresses) as the chain does",
		what, via, flatText)}
	if ttl, cttl := flatRRs[0].TTL, minTTL(ans[chainSide].Answer, hops); ttl != cttl {
		d.detail += fmt.Sprintf("; TTL %s %d at the name, %s's CNAME %d", fs, ttl, cs, cttl)
	}
	return d, true
}

// orNoData is s, or "no data" when it is empty.
func orNoData(s string) string {
	if s == "" {
		return "no data"
	}
	return s
}

// chainEnd is the records of q.Type the chain (hops, from the answer a
// of the chain side) ends at: from a when its servers followed the chain
// (an end in the zone, not below a cut), else through the resolver only; via
// says where they came from, err why they could not be read.
func (r *runner) chainEnd(ctx context.Context, q Question, a *query.Answer, hops [][2]string) (rrs []query.RR, via, err string) {
	end := zone.CanonicalName(hops[len(hops)-1][1])
	if r.z.InZone(end) && r.v.t.Cut(end) == "" {
		return recordsAt(a.Answer, end, q.Type), "as its servers follow the chain in the zone", ""
	}
	// Out of the zone: what the resolver gets. Records of the target a
	// server appends (PowerDNS follows a chain into another zone it
	// serves) are out of bailiwick: resolvers do not take them (RFC 2181
	// §5.4.1), and neither does this.
	c := r.resolverClient()
	if c == nil {
		return nil, "", "the chain leaves the zone; give parity.resolver (--resolver) to follow it"
	}
	k := zone.Key{Name: end, Type: q.Type}
	res, ok := r.flat[k]
	if !ok {
		if r.flat == nil {
			r.flat = map[zone.Key]*query.Answer{}
		}
		res = c.Exchange(ctx, end, q.Type)
		r.flat[k] = res
	}
	switch res.Class() {
	case query.ClassAnswer, query.ClassNoData, query.ClassNXDomain:
	default:
		return nil, "", "the resolver answered " + res.Status() + " for " + strings.TrimSuffix(end, ".")
	}
	last := end
	if h := chain(end, res.Answer); len(h) > 0 {
		last = zone.CanonicalName(h[len(h)-1][1])
	}
	return recordsAt(res.Answer, last, q.Type), "through the resolver", ""
}

// resolverClient is the run's resolver (Options.Resolver, RD set), nil
// without one; the mail checks and the flattened CNAMEs ask it.
func (r *runner) resolverClient() *query.Client {
	if r.opts.Resolver == "" {
		return nil
	}
	addr, err := query.ParseAddr(r.opts.Resolver)
	if err != nil {
		return nil
	}
	return &query.Client{Server: &query.Server{Label: "resolver", Addr: addr}, Timeout: r.opts.Timeout, Retries: r.opts.Retries, Queries: &r.queries, RD: true}
}

// recordsAt is the records of type t owned by name among rrs.
func recordsAt(rrs []query.RR, name string, t uint16) []query.RR {
	var out []query.RR
	for _, rr := range rrs {
		if rr.Type == t && zone.CanonicalName(rr.Name) == name {
			out = append(out, rr)
		}
	}
	return out
}

// minTTL is the lowest TTL of the chain's CNAME records in rrs.
func minTTL(rrs []query.RR, hops [][2]string) uint32 {
	ttl := ^uint32(0)
	for _, rr := range rrs {
		for _, h := range hops {
			if rr.Type == dns.TypeCNAME && rr.Name == h[0] {
				ttl = min(ttl, rr.TTL)
			}
		}
	}
	return ttl
}

// sameRecords reports whether a and b (of type t) hold the same data,
// owners aside: the same RDATA, or for TXT the same text as receivers
// read it (the strings joined; a mail record by its meaning at owner).
func sameRecords(owner string, t uint16, a, b []query.RR) bool {
	rd := func(rrs []query.RR) []string {
		out := make([]string, 0, len(rrs))
		for _, rr := range rrs {
			out = append(out, rr.Rdata)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	x, y := rd(a), rd(b)
	if slices.Equal(x, y) {
		return true
	}
	if t != dns.TypeTXT {
		return false
	}
	jx, jy := joined(&set{rdata: x}), joined(&set{rdata: y})
	if slices.Equal(jx, jy) {
		return true
	}
	_, ok := mailauth.SameMeaning(owner, jx, jy)
	return ok
}

// recordsText is rrs in presentation form (redacted as every finding's
// records), "; "-separated; "" for none.
func (r *runner) recordsText(rrs []query.RR) string {
	if len(rrs) == 0 {
		return ""
	}
	return strings.ReplaceAll(r.text(&query.Answer{AA: true, Answer: rrs}), "\n", "; ")
}

// hostTargetUse says which of git's NS, MX or SRV records name the host
// name as their target ("the MX target of example.com. (FILE:LINE)"), ""
// for none; the index is built on first use, once per run.
func (r *runner) hostTargetUse(name string) string {
	if r.hostTargets == nil {
		r.hostTargets = map[string]string{}
		for _, s := range r.z.Sets {
			for _, rec := range s.Records {
				t := zone.HostTarget(s.Type, rec.Rdata)
				if t == "" || r.hostTargets[zone.CanonicalName(t)] != "" {
					continue
				}
				r.hostTargets[zone.CanonicalName(t)] = fmt.Sprintf("the %s target of %s (%s)", zone.TypeName(s.Type), strings.TrimSuffix(s.Name, "."), rec.Pos)
			}
		}
	}
	return r.hostTargets[name]
}

// oneFindingPerCause reports each cause of a flattened CNAME's findings
// once per name, pair of servers (group) and client subnet. Every
// question at a flattened name meets the same chain: A and AAAA reaching
// the same data (causeSame), the chain left unread (causeUnverified) and
// an NS, MX or SRV target that is an alias (causeAlias) are one finding,
// at the first question, naming the other types; the qtype=CNAME
// question and a type neither side has data of (the NODATA probe) say
// nothing the data questions do not, and are dropped beside them (alone,
// the worst of them stays). Data that differ (causeDiffers) are a finding
// per type: each is its own difference. Other findings pass unchanged.
func oneFindingPerCause(fs []Finding) []Finding {
	type key struct{ name, group, subnet string }
	kf := func(f Finding) key { return key{f.Name, f.group, f.Subnet} }
	weak := func(c string) bool {
		c = strings.TrimPrefix(c, gitCause)
		return c == causeNoData || c == causeQCNAME
	}
	decisive := map[key]bool{}
	weakest := map[key]int{} // the worst weak finding of a name without a decisive one
	for i, f := range fs {
		switch {
		case f.cause == "":
		case !weak(f.cause):
			decisive[kf(f)] = true
		default:
			if j, ok := weakest[kf(f)]; !ok || sevRank[f.Severity] < sevRank[fs[j].Severity] {
				weakest[kf(f)] = i
			}
		}
	}
	type ck struct {
		key
		cause string
	}
	first := map[ck]int{}
	also := map[int][]string{}
	drop := make([]bool, len(fs))
	for i, f := range fs {
		k := kf(f)
		switch {
		case f.cause == "" || f.cause == causeDiffers:
		case weak(f.cause):
			drop[i] = decisive[k] || weakest[k] != i
		default:
			c := ck{k, f.cause}
			if j, ok := first[c]; ok {
				drop[i] = true
				also[j] = append(also[j], f.Type)
				continue
			}
			first[c] = i
		}
	}
	return fold(fs, drop, also, func(types string) string {
		return "; likewise for " + types + " at the name (one finding per name)"
	})
}
