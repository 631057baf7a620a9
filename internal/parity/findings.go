package parity

import (
	"context"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/miekg/dns"
)

// compareAll turns the answers into findings: lame servers, servers of one
// provider that disagree, old vs new, and each side vs git. Servers that
// are broken for most questions are reported once and left out of the
// per-question comparisons; each side is represented by its first server
// that is not broken.
func (r *runner) compareAll(ctx context.Context) []Finding {
	broken, out := r.brokenServers()
	r.broken = broken
	r.pickRepresentatives()
	var per []Finding
	referrals := map[string]bool{}
	r.cutSeen = map[string]bool{}
	for qi, q := range r.qs {
		if r.asGitAll(qi, broken) {
			continue
		}
		base := r.base(qi)
		per = append(per, r.lame(qi, base)...)
		// servers of one provider that disagree
		per = append(per, r.disagree(ctx, q, base, "", broken, func(si int) *query.Answer { return r.ans(si, qi) }, nil)...)
		if r.rep[0] < 0 || r.rep[1] < 0 {
			continue // a whole side is broken: reported once above
		}
		per = append(per, r.oldVsNew(ctx, qi, base, referrals)...)
	}
	// Aggregation counts questions; merging chained findings comes after.
	per = mergeChained(r.aggregate(groupReplayed(mailKinds(oneFindingPerCause(per), r.z.Get(r.z.Origin, dns.TypeDNSKEY) != nil))))
	return append(out, per...)
}

// pickRepresentatives sets each side's representative: its first server
// that is not broken (-1: none).
func (r *runner) pickRepresentatives() {
	r.rep = [2]int{-1, -1}
	for si := range r.servers {
		side := 0
		if si >= r.nOld {
			side = 1
		}
		if !r.broken[si] && r.rep[side] < 0 {
			r.rep[side] = si
		}
	}
}

// lame are the findings of question qi for the servers that are not
// broken and give an authoritative-looking answer without the AA bit.
func (r *runner) lame(qi int, base Finding) []Finding {
	var per []Finding
	for si, s := range r.servers {
		if r.broken[si] {
			continue
		}
		a := r.ans(si, qi)
		switch a.Class() {
		case query.ClassAnswer, query.ClassNoData, query.ClassNXDomain:
			if !a.AA {
				f := base
				f.Kind, f.Severity = "lame", SevError
				f.Detail = fmt.Sprintf("%s answered without the AA bit (lame)", s)
				f.Old, f.New = r.answerOf(0, qi, si), r.answerOf(1, qi, si)
				if si < r.nOld {
					f.NSIDOld = r.node(si, r.res[si][qi])
				} else {
					f.NSIDNew = r.node(si, r.res[si][qi])
				}
				f.group = "server " + s.Addr
				per = append(per, f)
			}
		}
	}
	return per
}

// oldVsNew compares the two sides' representatives' answers to question
// qi with each other and with git: their differences (a delegation's
// once: referrals holds those reported), else an error both answer, else
// both deviating from git alike.
func (r *runner) oldVsNew(ctx context.Context, qi int, base Finding, referrals map[string]bool) []Finding {
	q := r.qs[qi]
	exp, _ := r.v.lookup(q.Name, q.Type)
	at := ""
	if base.File != "" {
		at = " (" + base.Pos() + ")"
	}
	o, n := r.ans(r.rep[0], qi), r.ans(r.rep[1], qi)
	per, below := r.cutFindings(qi, base)
	if below == cutOneSide {
		return per // the delegation not served as a referral, said once per cut
	}
	ds := r.differences(ctx, q, r.rep[0], r.rep[1], o, n, "old", "new")
	devOld := significant(r.cmp.compare(q, exp, o, "git", "old"))
	devNew := significant(r.cmp.compare(q, exp, n, "git", "new"))
	note := ""
	switch {
	case len(devOld) > 0 && len(devNew) == 0:
		note = "; old deviates from git" + at
	case len(devNew) > 0 && len(devOld) == 0:
		note = "; new deviates from git" + at
	case len(devNew) > 0 && len(devOld) > 0:
		note = "; both deviate from git" + at
	}
	if q.Probe == probeAXFR {
		note = r.axfrNote(q) // git has nothing at (owner, type)
	}
	for _, d := range ds {
		if o.Class() == query.ClassReferral && n.Class() == query.ClassReferral {
			// Every question at or below a zone cut gets the same
			// referral: report each difference of a delegation once.
			k := d.kind + "\x00" + d.detail
			if referrals[k] {
				continue
			}
			referrals[k] = true
		}
		f := base
		f.Kind, f.Severity, f.Detail = d.kind, d.sev, d.detail+note
		f.about, f.core, f.cause = d.set, d.detail, d.cause
		r.sides(&f, qi)
		per = append(per, f)
	}
	if len(ds) > 0 {
		return per
	}
	if o.Class() == query.ClassFailure {
		f := base
		f.Kind = "failure"
		if o.Err != "" || n.Err != "" {
			// Nothing came back: nothing could be compared.
			f.Severity = SevError
			f.Detail = "could not verify: no answer from either side (" + o.Status() + ")"
		} else {
			// Both answer the same error: a zone defect both sides
			// agree on (a CNAME or DNAME loop makes BIND SERVFAIL).
			f.Severity = SevWarning
			f.Detail = "both sides answer " + o.Status() + ": a defect of the zone that both agree on, not a difference (e.g. a CNAME or DNAME loop); `dnsparity check` lists the zone's defects" + at
		}
		r.sides(&f, qi)
		return append(per, f)
	}
	if len(devOld) > 0 && below == cutNeither {
		f := base
		f.Kind, f.Severity = "git-drift", SevWarning
		f.Detail = "old and new agree but deviate from git" + at + ": " + devOld[0].detail
		if d, ok := r.flattened(ctx, q, exp, o, "git", "old and new"); ok && d.kind == "flattened" {
			// Both sides flatten git's CNAME alike: no difference the
			// flip makes, so a warning whatever the chain leads to; the
			// flattening rule says whether resolvers get what git's
			// chain leads to, once per name (oneFindingPerCause).
			f.Detail = "old and new agree but deviate from git" + at + ": " + d.detail
			f.cause = gitCause + d.cause
		}
		if q.Probe == probeAXFR {
			f.Detail = "old and new agree but git has no such records: " + devOld[0].detail + r.axfrNote(q)
		}
		r.sides(&f, qi)
		per = append(per, f)
	}
	return per
}

// base is the finding template of question qi: the name as asked, the
// type, git's answer and the zone-file line it rests on; for a replayed
// question the rule git answers it by.
func (r *runner) base(qi int) Finding {
	q := r.qs[qi]
	exp, src := r.v.lookup(q.Name, q.Type)
	name, _ := r.question(qi)
	f := Finding{Name: name, Type: dns.Type(q.Type).String(), Git: r.text(exp)}
	if src != nil {
		p := src.Pos()
		f.File, f.Line = p.File, p.Line
	}
	if q.Probe == probeReplay {
		f.rule = r.v.rule(q.Name, q.Type)
	}
	return f
}

// disagree is the disagree-within-provider findings of question q: every
// server that is not broken against its side's representative, with the
// answers get gives (Old and New hold the two servers' answers, the
// nodes theirs); skip, when set, leaves a pair out. The detail starts
// with prefix.
func (r *runner) disagree(ctx context.Context, q Question, base Finding, prefix string, broken []bool, get func(si int) *query.Answer, skip func(first, si int) bool) []Finding {
	var out []Finding
	for side, rng := range [][2]int{{0, r.nOld}, {r.nOld, len(r.servers)}} {
		first := r.rep[side]
		if first < 0 {
			continue
		}
		for si := rng[0]; si < rng[1]; si++ {
			if si == first || broken[si] {
				continue
			}
			a, b := get(first), get(si)
			if skip != nil && skip(first, si) {
				continue
			}
			ds := r.differences(ctx, q, first, si, a, b, r.servers[first].Addr, r.servers[si].Addr)
			if len(ds) == 0 {
				continue
			}
			f := base
			f.Kind, f.Severity, f.cause = "disagree-within-provider", worst(ds), ds[0].cause
			if ds[0].kind == "failure" {
				f.Kind = "failure" // a server that did not answer disagrees with nothing
			}
			why := ds[0].detail
			if ca, cb := r.cutAA(q, a), r.cutAA(q, b); (ca == "") != (cb == "") {
				// One of them answers below a cut git delegates: said
				// once per cut and pair.
				at, cut := si, cb
				if ca != "" {
					at, cut = first, ca
				}
				k := fmt.Sprintf("pair\x00%d\x00%d\x00%s\x00%s", first, si, cut, prefix)
				if r.cutSeen[k] {
					continue
				}
				if r.cutSeen == nil {
					r.cutSeen = map[string]bool{}
				}
				r.cutSeen[k] = true
				f.Severity = SevError
				f.Name, f.Type = cut, "NS"
				why = r.cutDetail(at, q, cut, r.servers[at].String(), r.side(at))
			}
			f.core = fmt.Sprintf("%s servers %s and %s disagree: %s", r.side(si), r.servers[first].Addr, r.servers[si].Addr, why)
			f.Detail = prefix + f.core
			f.Old, f.New = r.text(a), r.text(b)
			f.NSIDOld, f.NSIDNew = r.node(first, a), r.node(si, b)
			f.group = strings.TrimSpace(f.group + " pair " + r.servers[first].Addr + " " + r.servers[si].Addr)
			out = append(out, f)
		}
	}
	return out
}

// answerOf is the answer to question qi of side's representative, or of
// server si when si is on that side.
func (r *runner) answerOf(side, qi, si int) string {
	if (si < r.nOld) == (side == 0) {
		return r.text(r.ans(si, qi))
	}
	if r.rep[side] < 0 {
		return ""
	}
	return r.text(r.ans(r.rep[side], qi))
}

func (r *runner) sides(f *Finding, qi int) {
	f.Old = r.text(r.ans(r.rep[0], qi))
	f.New = r.text(r.ans(r.rep[1], qi))
	f.NSIDOld = r.node(r.rep[0], r.res[r.rep[0]][qi])
	f.NSIDNew = r.node(r.rep[1], r.res[r.rep[1]][qi])
}

// significant keeps differences above info; a side that did not answer
// (kind failure) does not deviate from git: nothing is known.
func significant(ds []diff) []diff {
	var out []diff
	for _, d := range ds {
		if d.sev != SevInfo && d.kind != "failure" {
			out = append(out, d)
		}
	}
	return out
}

// mailKinds names data differences at DKIM, DMARC, MTA-STS, TLSRPT and
// SMTP TLSA owners by what they break (one in the obsolete SPF RR type,
// which no receiver asks for, is an spf warning), and says for MTA-STS and TLSA
// records what senders do when the sides differ (signed: git has a
// DNSKEY at the apex).
func mailKinds(fs []Finding, signed bool) []Finding {
	for i := range fs {
		f := &fs[i]
		// A flattened chain that leads to other data is a data
		// difference too (flatten.go); a same-data one stays flattened.
		if f.Kind != "rdata" && f.Kind != "missing" && (f.Kind != "flattened" || f.Severity != SevError) {
			continue
		}
		missing := f.Kind == "missing"
		if f.Type == "SPF" {
			// RFC 7208 §3.1, §14.1: the SPF RR type (99) is obsolete;
			// receivers ask for TXT only (§4.4), so a difference in it
			// is one no receiver sees.
			f.Kind, f.Severity = "spf", SevWarning
			f.Detail += "; no receiver asks for the SPF RR type (type 99, obsolete: RFC 7208 §3.1, §4.4, §14.1), they read the TXT record: remove it from git"
			continue
		}
		switch {
		case mailauth.IsDMARCName(f.Name):
			f.Kind = "dmarc"
		case mailauth.IsDKIMName(f.Name):
			f.Kind = "dkim"
		case mailauth.IsMTASTSName(f.Name):
			f.Kind = "mta-sts"
			if f.Type == "TXT" {
				f.Detail += "; MTA-STS (RFC 8461 §3.3, §5.1): a sender asking the side that does not serve git's record does not fetch the policy git's id announces, and keeps a policy it cached until its max_age"
			}
		case mailauth.IsTLSRPTName(f.Name):
			f.Kind = "tlsrpt"
		case mailauth.IsSMTPTLSAName(f.Name):
			f.Kind = "dane"
			if f.Type == "TLSA" {
				f.Detail += "; " + daneWhy(missing, signed)
			}
		}
	}
	return fs
}

// daneWhy says what DANE senders (RFC 7672 §2.2) do when the sides serve
// an SMTP server's TLSA records differently: one side without them
// (missing), or different records.
func daneWhy(missing, signed bool) string {
	switch {
	case !signed:
		return "DANE (RFC 7672 §2.2): the zone is not signed (no DNSKEY at the apex in git), so senders ignore these TLSA records on both sides today; once it is signed, the difference is one senders act on"
	case missing:
		return "DANE (RFC 7672 §2.2): the zone is signed, so a validating sender asking the side without these TLSA records finds them securely absent and delivers without authenticating the server (DANE's protection is lost silently); with records that match no certificate of the server it defers delivery"
	}
	return "DANE (RFC 7672 §2.2): the zone is signed, so a validating sender defers delivery to this host when none of the TLSA records of the side it asks matches the server's certificate"
}
