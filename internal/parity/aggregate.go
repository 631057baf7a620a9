package parity

import (
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/miekg/dns"
)

// Aggregation: a server that is lame or fails for most questions, and a
// kind of difference found on most questions, give one finding with a
// count and examples instead of one per question. A kind is also
// aggregated past aggregateCap findings, whatever the share.
const (
	aggregateMin = 10   // never aggregate fewer findings than this
	aggregateCap = 1000 // always aggregate more findings than this
	examples     = 3
)

// badness says how a server's answer to question qi is broken for an
// authoritative server of the zone: "lame" (no AA bit, REFUSED, NOTAUTH,
// or a referral where the zone has data), "failure" (no response,
// SERVFAIL and other rcodes), or "" when it is not.
func (r *runner) badness(si, qi int) string {
	if r.res[si][qi] == asGit {
		return "" // git's answer is never broken
	}
	a := r.ans(si, qi)
	switch a.Class() {
	case query.ClassAnswer, query.ClassNoData, query.ClassNXDomain:
		if !a.AA {
			return "lame"
		}
	case query.ClassReferral:
		q := r.qs[qi]
		if exp, _ := r.v.lookup(q.Name, q.Type); exp.Class() != query.ClassReferral {
			return "lame"
		}
	case query.ClassFailure:
		if a.Err == "" && (a.Rcode == dns.RcodeRefused || a.Rcode == dns.RcodeNotAuth) {
			return "lame"
		}
		return "failure"
	}
	return ""
}

// brokenServers finds the servers that are lame or fail for more than
// half of the questions (and at least aggregateMin of them when there are
// that many questions) and returns one finding per such server.
func (r *runner) brokenServers() (broken []bool, out []Finding) {
	broken = make([]bool, len(r.servers))
	need := max(len(r.qs)/2+1, min(aggregateMin, len(r.qs)))
	for si, s := range r.servers {
		counts := map[string]int{}
		var ex []string
		for qi, q := range r.qs {
			b := r.badness(si, qi)
			if b == "" {
				continue
			}
			counts[b]++
			if len(ex) < examples {
				ex = append(ex, fmt.Sprintf("%s %s: %s", q.Name, dns.Type(q.Type), r.ans(si, qi).Status()+aaNote(r.ans(si, qi))))
			}
		}
		n := counts["lame"] + counts["failure"]
		if n < need {
			continue
		}
		broken[si] = true
		kind := "lame"
		what := "is lame for the zone (answers without the AA bit, REFUSED, NOTAUTH or referrals)"
		if counts["failure"] > counts["lame"] {
			kind = "failure"
			what = "fails (no response, SERVFAIL or another error rcode)"
		}
		side := "old"
		if si >= r.nOld {
			side = "new"
		}
		todo := fmt.Sprintf("make the server serve the zone with authority (create the zone at the provider and run `dnsparity push`, or give the secondary the zone), or correct providers.%s.nameservers", side)
		if kind == "failure" {
			todo = fmt.Sprintf("bring the server back, or correct providers.%s.nameservers", side)
		}
		f := Finding{Name: r.z.Origin, Type: "ANY", Kind: kind, Severity: SevError}
		f.Detail = fmt.Sprintf("%s %s for %d of %d questions, e.g. %s; its per-question differences are not listed; to do: %s",
			s, what, n, len(r.qs), strings.Join(ex, "; "), todo)
		// Old and New: this server's answer to the apex SOA next to the
		// first server of the other side.
		other := r.nOld
		if si >= r.nOld {
			other = 0
		}
		f.Old, f.New = r.text(r.ans(si, 0)), r.text(r.ans(other, 0))
		if si >= r.nOld {
			f.Old, f.New = f.New, f.Old
		}
		f.group = "server " + s.Addr
		out = append(out, f)
	}
	return broken, out
}

func aaNote(a *query.Answer) string {
	switch a.Class() {
	case query.ClassAnswer, query.ClassNoData, query.ClassNXDomain:
		if !a.AA {
			return " without AA"
		}
	}
	return ""
}

// mergeChained reports a difference in an RRset once: findings of questions
// whose CNAME chain reaches that RRset are folded into the finding of the
// question that asks for the RRset itself (or, when none was asked, into
// the first of them), which then names them ("also reached through ...").
func mergeChained(fs []Finding) []Finding {
	key := func(f Finding) string { return f.Kind + "\x00" + f.about + "\x00" + f.core }
	self := func(f Finding) bool { return f.about == f.Name+" "+f.Type }
	home := map[string]int{}
	for i, f := range fs {
		if f.about != "" && self(f) {
			if _, ok := home[key(f)]; !ok {
				home[key(f)] = i
			}
		}
	}
	also := map[int][]string{}
	drop := make([]bool, len(fs))
	for i, f := range fs {
		if f.about == "" || self(f) {
			continue
		}
		k := key(f)
		h, ok := home[k]
		if !ok {
			home[k] = i // the first chained finding stands for the rest
			continue
		}
		also[h] = append(also[h], f.Name+" "+f.Type)
		drop[i] = true
	}
	return fold(fs, drop, also, func(names string) string { return "; also reached through the CNAME chain of " + names })
}

// fold is fs (in place) without the findings drop marks, each finding
// others were folded into (also: their names, by index) told so by what
// note says of the names, comma-separated (added to Detail, and to core
// where set).
func fold(fs []Finding, drop []bool, also map[int][]string, note func(names string) string) []Finding {
	out := fs[:0]
	for i, f := range fs {
		if drop[i] {
			continue
		}
		if names := also[i]; len(names) > 0 {
			more := note(strings.Join(names, ", "))
			f.Detail += more
			if f.core != "" {
				f.core += more
			}
		}
		out = append(out, f)
	}
	return out
}

// aggregate replaces every group of per-question findings (same kind, and
// for lame and disagreeing servers the same servers) that covers most
// questions, or more than aggregateCap, by one finding with the count and
// a few examples.
func (r *runner) aggregate(fs []Finding) []Finding {
	type key struct{ kind, group string }
	groups := map[key][]int{}
	for i, f := range fs {
		k := key{f.Kind, f.group}
		groups[k] = append(groups[k], i)
	}
	drop := make([]bool, len(fs))
	var out []Finding
	for k, idx := range groups {
		n := len(idx)
		if n < aggregateMin || (n <= len(r.qs)/2 && n <= aggregateCap) {
			continue
		}
		first := fs[idx[0]]
		f := Finding{Name: r.z.Origin, Type: "ANY", Kind: k.kind, Severity: SevInfo, Old: first.Old, New: first.New, group: k.group}
		var ex []string
		for _, i := range idx {
			drop[i] = true
			if sevRank[fs[i].Severity] < sevRank[f.Severity] {
				f.Severity = fs[i].Severity
			}
			if len(ex) < examples {
				e := fmt.Sprintf("%s %s: %s", fs[i].Name, fs[i].Type, fs[i].Detail)
				if p := fs[i].Pos(); p != "" && !strings.Contains(e, p) {
					e += " (" + p + ")"
				}
				ex = append(ex, e)
			}
		}
		f.Detail = fmt.Sprintf("%d of %d questions have a %s difference (listed once), e.g. %s; Old and New show the first",
			n, len(r.qs), k.kind, strings.Join(ex, "; "))
		out = append(out, f)
	}
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return out
}
