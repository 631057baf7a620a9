package parity

import (
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/miekg/dns"
)

// A server that answers authoritatively (AA: records, NODATA or NXDOMAIN)
// a question git answers with a referral does not hand resolvers the
// delegation: either it hosts the child zone too (its answer comes from
// its own copy of the child, which parity does not compare and which may
// be stale), or its copy of the zone lacks the NS records at the cut
// (names at and below the cut answered from the parent's own data). Both
// are reported once per cut and side, saying which, instead of an rcode
// difference ("old answers referral, new answers with records") per
// question below the cut.

// cutAA is the cut git delegates question q's name at, when answer a
// is authoritative there instead of git's referral; "" otherwise.
func (r *runner) cutAA(q Question, a *query.Answer) string {
	if a == nil || !a.AA {
		return ""
	}
	switch a.Class() {
	case query.ClassAnswer, query.ClassNoData, query.ClassNXDomain:
	default:
		return ""
	}
	exp, _ := r.v.lookup(q.Name, q.Type)
	if exp.Class() != query.ClassReferral || len(exp.NS) == 0 {
		return ""
	}
	return exp.NS[0].Name
}

// hostsChild reports whether server si answers the NS question at cut
// authoritatively with records: the NS set at the cut is its own apex
// NS, so it serves the child zone (or treats the delegation as data of
// its own, which resolvers take the same way).
func (r *runner) hostsChild(si int, cut string) bool {
	qi, ok := r.cutNS(cut)
	if !ok {
		return false
	}
	a := r.ans(si, qi)
	return a.AA && a.Class() == query.ClassAnswer
}

// cutNS is the index of the question (cut, NS), asked for every
// delegation of git.
func (r *runner) cutNS(cut string) (int, bool) {
	if r.cutQs == nil {
		r.cutQs = map[string]int{}
		for qi, q := range r.qs {
			if q.Type == dns.TypeNS && q.Probe == probeRRset && r.v.t.IsCut(q.Name) {
				r.cutQs[q.Name] = qi
			}
		}
	}
	qi, ok := r.cutQs[cut]
	return qi, ok
}

// cutDetail says what server si (named who: "new", "new server
// 192.0.2.1:53") does at cut instead of the referral it owes question q,
// and the fix; side is the provider ("old", "new").
func (r *runner) cutDetail(si int, q Question, cut, who, side string) string {
	targets := r.delegatedTo(cut)
	if qi, ok := r.cutNS(cut); ok && q.Name != cut && r.ans(si, qi).Class() == query.ClassReferral {
		// The cut itself is referred; a name below it is answered from
		// data the server holds there (occluded in git).
		return fmt.Sprintf("%s refers %s to %s but answers %s %s below the cut authoritatively (AA) from records of its own there instead of the referral: resolvers asking it for that name get them, not the child zone's data; remove the records below %s from %s (data a delegation occludes; git's are glue at most)",
			who, cut, targets, q.Name, dns.Type(q.Type), cut, side)
	}
	if r.hostsChild(si, cut) {
		return fmt.Sprintf("%s answers for %s itself (authoritative, AA) where git delegates it to %s: %s's servers host the child zone %s too, so resolvers asking them get %s's own copy of the child zone instead of a referral to its servers, and parity does not compare that copy; remove the zone %s from %s (or, if %s is to serve it, delegate it to %s in git and compare it in a parity run of its own)",
			who, cut, targets, side, cut, side, cut, side, side, side)
	}
	status := "an authoritative answer"
	if qi, ok := r.cutNS(cut); ok {
		status = r.ans(si, qi).Status()
	}
	return fmt.Sprintf("%s does not serve the delegation of %s: it answers names at and below the cut authoritatively (%s NS: %s) instead of the referral to %s git gives, so resolvers asking it never reach the child zone; push the NS records at %s (and their glue) to %s: its copy of the zone lacks them, or the provider does not serve delegations",
		who, cut, cut, status, targets, cut, side)
}

// delegatedTo is the NS targets of git's delegation at cut.
func (r *runner) delegatedTo(cut string) string {
	ns := r.v.z.Get(cut, dns.TypeNS)
	if ns == nil {
		return "its servers"
	}
	var ts []string
	for _, rr := range ns.RRs() {
		if n, ok := rr.(*dns.NS); ok {
			ts = append(ts, n.Ns)
		}
	}
	return strings.Join(ts, ", ")
}

// Which sides answer below a cut (cutFindings).
const (
	cutNeither = iota
	cutOneSide
	cutBoth
)

// cutFindings are the findings of question qi when a side's
// representative answers it authoritatively where git refers (see
// cutAA): one per cut and side (r.cutSeen holds those reported). With
// one side (cutOneSide) that is the difference, and the question's own
// are not listed. With both (cutBoth) their answers, each from its own
// copy of the child, are compared as any others, and answering below the
// cut is a warning once per cut instead of git-drift per question: a
// resolver gets the same from either side.
func (r *runner) cutFindings(qi int, base Finding) (out []Finding, which int) {
	q := r.qs[qi]
	o, n := r.ans(r.rep[0], qi), r.ans(r.rep[1], qi)
	co, cn := r.cutAA(q, o), r.cutAA(q, n)
	seen := r.cutSeen
	switch {
	case co == "" && cn == "":
		return nil, cutNeither
	case co != "" && cn != "":
		if k := "both\x00" + co; !seen[k] {
			seen[k] = true
			f := r.cutFinding(base, co)
			f.Severity = SevWarning
			f.Detail = "old and new both answer below the cut: " + r.cutDetail(r.rep[0], q, co, "old", "old") + "; " + r.cutDetail(r.rep[1], q, co, "new", "new")
			out = append(out, f)
		}
		return out, cutBoth
	}
	side, si, cut := "old", r.rep[0], co
	if cn != "" {
		side, si, cut = "new", r.rep[1], cn
	}
	if k := side + "\x00" + cut; !seen[k] {
		seen[k] = true
		f := r.cutFinding(base, cut)
		f.Detail = r.cutDetail(si, q, cut, side, side)
		out = append(out, f)
	}
	return out, cutOneSide
}

// cutFinding is the template of a finding about the delegation at cut:
// at the cut's NS (file:line of git's NS records), with both sides'
// answers to it.
func (r *runner) cutFinding(base Finding, cut string) Finding {
	f := base
	f.Name, f.Type, f.Kind, f.Severity = cut, "NS", "referral", SevError
	if ns := r.v.z.Get(cut, dns.TypeNS); ns != nil {
		p := ns.Pos()
		f.File, f.Line = p.File, p.Line
	}
	qi, ok := r.cutNS(cut)
	if ok {
		r.sides(&f, qi)
		f.Git = r.ansGit(qi)
	}
	return f
}

// ansGit is git's answer to question qi, as text.
func (r *runner) ansGit(qi int) string {
	q := r.qs[qi]
	exp, _ := r.v.lookup(q.Name, q.Type)
	return r.text(exp)
}
