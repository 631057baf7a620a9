package parity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// txtSource answers the mail checks' questions for one side: in-zone names
// (not below a zone cut) from that side's server (the run's answers when
// the question was asked), other names from the resolver, if any.
type txtSource struct {
	r        *runner
	si       int // server index
	resolver *query.Client
	index    *qindex
	// cache holds the answers asked anew (questions the run did not ask);
	// the run's answers are read from it again, not kept twice.
	cache map[zone.Key]*query.Answer
}

// lookup answers (name, t); known is false when the name could not be
// asked (out of zone, or below a zone cut, without a resolver).
func (t *txtSource) lookup(ctx context.Context, name string, qt uint16) (a *query.Answer, known bool) {
	name = zone.CanonicalName(name)
	inZone := t.r.z.InZone(name) && t.r.v.t.Cut(name) == ""
	if inZone {
		if qi, ok := t.index.get(name, qt); ok {
			a = t.r.ans(t.si, qi)
			return t.follow(ctx, name, qt, a)
		}
	}
	k := zone.Key{Name: name, Type: qt}
	if a, ok := t.cache[k]; ok {
		return a, a != nil
	}
	switch {
	case !askable(name, qt):
	case inZone:
		a = t.r.ex[t.si].Exchange(ctx, name, qt)
	case t.resolver != nil:
		a = t.resolver.Exchange(ctx, name, qt)
	}
	t.cache[k] = a
	if inZone {
		return t.follow(ctx, name, qt, a)
	}
	return a, a != nil
}

// follow goes on with a lookup whose in-zone answer a is a CNAME chain
// that leaves the zone (or goes below a zone cut) without the asked
// records: the zone's servers answer such a chain's CNAMEs alone, and
// receivers' resolvers follow it to the target (RFC 7208 §4.6.4 counts
// it as one lookup); so does this lookup, at the target, through the
// resolver, or not known without one. Never a void lookup or a
// missing SPF record the receivers do not see.
func (t *txtSource) follow(ctx context.Context, name string, qt uint16, a *query.Answer) (*query.Answer, bool) {
	if a == nil || a.Class() == query.ClassFailure {
		return a, a != nil
	}
	// The chain as far as the zone's servers own it (comparer.own): what
	// a server appends from another zone it serves (PowerDNS) is out of
	// bailiwick, its copy perhaps stale, and receivers' resolvers ask
	// the target's own servers (RFC 2181 §5.4.1).
	hops := t.r.cmp.own(chain(name, a.Answer))
	if len(hops) == 0 {
		return a, true
	}
	end := zone.CanonicalName(hops[len(hops)-1][1])
	if t.r.z.InZone(end) && t.r.v.t.Cut(end) == "" {
		return a, true // the server followed it: the records are there
	}
	return t.lookup(ctx, end, qt)
}

// source is the mail checks' txtSource of server si, made on first use
// (one per server and run: its cache is shared by every check asking
// that server).
func (r *runner) source(si int) *txtSource {
	if s := r.srcs[si]; s != nil {
		return s
	}
	if r.srcs == nil {
		r.srcs = map[int]*txtSource{}
		r.qidx = newQindex(r.qs)
	}
	s := &txtSource{r: r, si: si, resolver: r.resolverClient(), index: r.qidx, cache: map[zone.Key]*query.Answer{}}
	r.srcs[si] = s
	return s
}

// Lookup answers (name, qtype) for the mail checks (mailauth.Resolver):
// ErrNotAsked when the name could not be asked.
func (t *txtSource) Lookup(ctx context.Context, name string, qt uint16) (mailauth.Result, error) {
	a, known := t.lookup(ctx, name, qt)
	if !known {
		return mailauth.Result{}, mailauth.ErrNotAsked
	}
	return mailauth.FromAnswer(a, qt), nil
}

// mail runs the SPF, DKIM, DMARC, MTA-STS and TLSRPT checks, and
// reports the mail records receivers ignore (ignored) (SMTP TLSA records
// are compared as any RRset, their differences named by mailKinds).
func (r *runner) mail(ctx context.Context) []Finding {
	if r.rep[0] < 0 || r.rep[1] < 0 {
		return nil // a whole side is broken: reported once
	}
	srcs := []*txtSource{r.source(r.rep[0]), r.source(r.rep[1])}
	sets := mailauth.Find(r.z)
	var out []Finding
	out = append(out, r.spf(ctx, srcs, sets)...)
	out = append(out, r.dkim(ctx, srcs, sets)...)
	out = append(out, r.dmarc(ctx, srcs, sets)...)
	for _, s := range sets.MTASTS {
		out = append(out, r.mtaSTS(ctx, srcs, s)...)
	}
	for _, s := range sets.TLSRPT {
		out = append(out, r.tlsrpt(ctx, srcs, s)...)
	}
	return append(out, r.ignored(sets)...)
}

// sideVerdicts reads the TXT records at name on each side with judge
// (side 0 old, 1 new): each side's warnings and error ("" for none, or
// when the records could not be read: a failure the comparison
// reports); an error that is none (no record there) names the answer's
// status.
func sideVerdicts(ctx context.Context, srcs []*txtSource, name string, none error, judge func(side int, recs []string) (warn string, err error)) (errs, warns [2]string) {
	for side, src := range srcs {
		res, err := src.Lookup(ctx, name, dns.TypeTXT)
		if err != nil || res.Failed {
			continue
		}
		warn, err := judge(side, res.Records)
		warns[side] = warn
		if err != nil {
			errs[side] = err.Error()
			if errors.Is(err, none) {
				errs[side] += " (" + res.Status + ")"
			}
		}
	}
	return errs, warns
}

// sideError is the one error finding for a mail record each side judges
// (what: "MTA-STS", "TLSRPT"; errs: old's and new's, "" for none; then:
// what senders do), ok false when neither side has one.
func sideError(ctx context.Context, base Finding, what string, errs [2]string, then string, srcs []*txtSource) (f Finding, ok bool) {
	if errs[0] == "" && errs[1] == "" {
		return f, false
	}
	f = base
	f.Severity = SevError
	f.Detail = onSides(what, errs) + "; " + then
	f.Old, f.New = srcs[0].text(ctx, f.Name), srcs[1].text(ctx, f.Name)
	return f, true
}

// mtaSTS checks the MTA-STS record git has at s on both sides (RFC 8461
// §3.1): none, several or one that does not parse is an error (senders
// take the domain as having no policy); an id that differs between the
// sides a warning: senders fetch the policy again when the id they see
// changes (§3.3), the flip does that, nothing else. The data difference
// itself stays an error of the comparison (kind mta-sts, mailKinds).
func (r *runner) mtaSTS(ctx context.Context, srcs []*txtSource, s *zone.RRSet) []Finding {
	p := s.Pos()
	base := Finding{Name: s.Name, Type: "TXT", File: p.File, Line: p.Line, Kind: "mta-sts"}
	var ids [2]string
	errs, _ := sideVerdicts(ctx, srcs, s.Name, mailauth.ErrNoMTASTS, func(side int, recs []string) (string, error) {
		m, err := mailauth.SelectMTASTS(recs)
		if err == nil {
			ids[side] = m.ID
		}
		return "", err
	})
	var out []Finding
	if f, ok := sideError(ctx, base, "MTA-STS", errs, mailauth.SendersIgnore, srcs); ok {
		out = append(out, f)
	}
	if ids[0] != "" && ids[1] != "" && ids[0] != ids[1] {
		f := base
		f.Severity = SevWarning
		f.Detail = fmt.Sprintf("MTA-STS id=%s on old, id=%s on new: a sender that cached the policy fetches it again from https://%s/.well-known/mta-sts.txt when the id it sees changes (RFC 8461 §3.3), as it will at the flip; harmless when that URL serves the policy git's id stands for",
			ids[0], ids[1], strings.TrimSuffix(mailauth.PolicyHost(strings.TrimPrefix(s.Name, "_mta-sts.")), "."))
		f.Old, f.New = srcs[0].text(ctx, f.Name), srcs[1].text(ctx, f.Name)
		out = append(out, f)
	}
	return out
}

// tlsrpt checks the TLSRPT record git has at s on both sides (RFC 8460
// §3): none, several or one reporters cannot use is an error (senders
// send no TLS report); a rua= entry reporters skip a warning.
func (r *runner) tlsrpt(ctx context.Context, srcs []*txtSource, s *zone.RRSet) []Finding {
	p := s.Pos()
	base := Finding{Name: s.Name, Type: "TXT", File: p.File, Line: p.Line, Kind: "tlsrpt"}
	errs, warns := sideVerdicts(ctx, srcs, s.Name, mailauth.ErrNoTLSRPT, func(_ int, recs []string) (string, error) {
		t, err := mailauth.SelectTLSRPT(recs)
		if err != nil {
			return "", err
		}
		return strings.Join(t.Warnings, "; "), nil
	})
	var out []Finding
	if f, ok := sideError(ctx, base, "TLSRPT", errs, mailauth.ReportersIgnore, srcs); ok {
		out = append(out, f)
	}
	if f, ok := mailWarning(ctx, base, "TLSRPT", warns, srcs); ok {
		out = append(out, f)
	}
	return out
}

func (r *runner) spf(ctx context.Context, srcs []*txtSource, sets *mailauth.Sets) []Finding {
	var out []Finding
	sets.EachEvaluated(func(o mailauth.SPFOwner) []string {
		s := o.Set
		p := s.Pos()
		base := Finding{Name: s.Name, Type: "TXT", File: p.File, Line: p.Line}
		old := mailauth.Evaluate(ctx, srcs[0], s.Name)
		n := mailauth.Evaluate(ctx, srcs[1], s.Name)
		out = append(out, spfFindings(base, old, n)...)
		return append(old.Reached(), n.Reached()...)
	})
	// Each SPF record of the zone as each side serves it: what receivers
	// evaluate otherwise than its owner surely meant (mailauth.SPFWarnings).
	for i := 0; i < sets.SPFLen(); i++ {
		o := sets.SPF(i)
		var warns [2]string
		for side, src := range srcs {
			res, err := src.Lookup(ctx, o.Set.Name, dns.TypeTXT)
			if err != nil || res.Failed {
				continue // the failure is reported by the comparison
			}
			if rec, n := mailauth.SelectSPF(res.Records); n == 1 {
				// none: the comparison reports it; two: a permerror
				warns[side] = strings.Join(mailauth.SPFWarnings(rec), "; ")
			}
		}
		p := o.RecordPos()
		base := Finding{Name: o.Set.Name, Type: "TXT", File: p.File, Line: p.Line, Kind: "spf"}
		if f, ok := mailWarning(ctx, base, "SPF", warns, srcs); ok {
			out = append(out, f)
		}
	}
	return out
}

// spfSummary is a side's lookup count and costliest chain, or that it
// serves no SPF record receivers can evaluate.
func spfSummary(n *mailauth.Node) string {
	if !n.Read {
		return "no SPF record evaluated"
	}
	return n.Summary()
}

// onSides says what each side has of a mail record's problems (what:
// "SPF", "MTA-STS"; says: old's and new's, "" for none, not both empty):
// once when they are the same.
func onSides(what string, says [2]string) string {
	switch {
	case says[0] == says[1]:
		return what + " on old and new: " + says[0]
	case says[0] != "" && says[1] != "":
		return what + " on old: " + says[0] + "; on new: " + says[1]
	case says[0] != "":
		return what + " on old: " + says[0]
	}
	return what + " on new: " + says[1]
}

// mailWarning is the one warning finding for what receivers apply anyway
// in a mail record (what: "SPF", "DMARC") as each side serves it (warns:
// old's and new's, joined; "" for none): ok is false when neither side
// has any.
func mailWarning(ctx context.Context, base Finding, what string, warns [2]string, srcs []*txtSource) (f Finding, ok bool) {
	if warns[0] == "" && warns[1] == "" {
		return f, false
	}
	f = base
	f.Severity = SevWarning
	f.Detail = onSides(what, warns)
	f.Old, f.New = srcs[0].text(ctx, f.Name), srcs[1].text(ctx, f.Name)
	return f, true
}

// spfFindings compares the evaluations of one SPF record on old (o) and
// new (n). A side that serves no SPF record receivers can evaluate
// (mailauth.Node.Read false: none, one that does not parse, a failed
// lookup; other findings say which) counts 0 lookups because it has no
// record: the finding says so rather than compare that 0 with the other
// side's count as though its record were cheaper.
func spfFindings(base Finding, o, n *mailauth.Node) []Finding {
	var out []Finding
	limit := mailauth.LookupLimit
	if o.Total > limit || n.Total > limit || o.Total != n.Total {
		f := base
		f.Kind, f.Severity = "spf-lookups", SevError
		f.Old, f.New = spfSummary(o), spfSummary(n)
		worse := n
		if o.Total > n.Total {
			worse = o
		}
		switch {
		case o.Read != n.Read:
			has, none := [2]string{"old", "new"}, [2]string{"new", "old"}
			if n.Read {
				has, none = none, has
			}
			f.Detail = fmt.Sprintf("SPF needs %d DNS lookups on %s (limit %d, RFC 7208 §4.6.4): %s; %s serves no SPF record receivers can evaluate at %s, so nothing of it is counted", worse.Total, has[0], limit, worse.Chain(), none[0], strings.TrimSuffix(base.Name, "."))
			if worse.Total > limit {
				f.Detail += "; " + mailauth.LookupsAdvice
			}
		case o.Total != n.Total:
			f.Detail = fmt.Sprintf("SPF needs %d DNS lookups on old and %d on new (limit %d, RFC 7208 §4.6.4): %s", o.Total, n.Total, limit, worse.Chain())
			if at := mailauth.CountsDiffer(o, n, "old", "new"); len(at) > 0 {
				// Where the sides part: a record that differs there
				// (its own finding) is the cause.
				f.Detail += "; the records whose own lookups differ: " + strings.Join(at, ", ")
			}
			if worse.Total > limit {
				f.Detail += "; " + mailauth.LookupsAdvice
			} else {
				// Receivers evaluate both within the limit: the count
				// is no difference they see; the records that make it
				// differ are the comparison's findings.
				f.Severity = SevWarning
				f.Detail += "; both within the limit, so receivers evaluate either; the records that differ are reported on their own"
			}
		default:
			f.Detail = worse.OverLimit()
		}
		out = append(out, f)
	}
	if o.Voids > mailauth.VoidLimit || n.Voids > mailauth.VoidLimit {
		f := base
		f.Kind, f.Severity = "spf-void", SevError
		f.Old, f.New = o.VoidText(), n.VoidText()
		var over [2]string // the side(s) over the limit, with their void names
		for side, x := range [2]*mailauth.Node{o, n} {
			if x.Voids > mailauth.VoidLimit {
				over[side] = x.VoidText()
			}
		}
		f.Detail = mailauth.VoidsOverLimit() + ": " + onSides("SPF", over) + "; " + mailauth.VoidsAdvice
		out = append(out, f)
	}
	if ps := dedupe(sortCopy(append(append([]string{}, o.Problems...), n.Problems...))); len(ps) > 0 {
		f := base
		f.Kind, f.Severity = "spf-permerror", SevError
		f.Old, f.New = strings.Join(dedupe(sortCopy(o.Problems)), "\n"), strings.Join(dedupe(sortCopy(n.Problems)), "\n")
		// Which side fails: a permerror on one side only is a
		// difference the flip makes.
		f.Detail = onSides("SPF evaluation fails (permerror)", [2]string{strings.ReplaceAll(f.Old, "\n", "; "), strings.ReplaceAll(f.New, "\n", "; ")})
		out = append(out, f)
	}
	seen := map[string]bool{}
	for _, u := range append(append([]mailauth.Unknown{}, o.Unknown...), n.Unknown...) {
		if seen[u.Name] {
			continue
		}
		seen[u.Name] = true
		f := base
		f.Kind, f.Severity = "spf-unknown", SevInfo
		f.Detail = u.String()
		out = append(out, f)
	}
	return out
}

func sortCopy(xs []string) []string {
	sort.Strings(xs)
	return xs
}

// dkim checks every DKIM key record git has on both sides, read as
// verifiers read it (txtSource.Lookup: a selector CNAMEd out of the zone,
// to an ESP, is followed through the resolver): a record that does not
// parse, several key records at one selector (RFC 6376 §3.6.2.2 lets a
// verifier pick any; OpenDKIM fails the signature, "multiple DNS
// replies": libopendkim/dkim-keys.c, dkim_get_key_dns), a key revoked on
// one side only or keys that differ are errors; a key revoked on both
// sides is info.
func (r *runner) dkim(ctx context.Context, srcs []*txtSource, sets *mailauth.Sets) []Finding {
	var out []Finding
	sides := [2]string{"old", "new"}
	for _, s := range append(slices.Clip(sets.DKIM), sets.DKIMAliases...) {
		p := s.Pos()
		base := Finding{Name: s.Name, Type: "TXT", File: p.File, Line: p.Line, Kind: "dkim"}
		keys := [2][]string{}
		errs := [2]string{}
		var read, revoked [2]bool
		var unread [2]string // a side whose chain leaves the zone, not followed
		for side, src := range srcs {
			res, err := src.Lookup(ctx, s.Name, dns.TypeTXT)
			if errors.Is(err, mailauth.ErrNotAsked) {
				unread[side] = "not read"
			}
			if err != nil || res.Failed {
				continue // not asked (no resolver), or the comparison's failure
			}
			read[side] = true
			for _, rec := range res.Records {
				key, err := mailauth.ParseDKIM(rec)
				switch {
				case err != nil:
					errs[side] = err.Error()
				case key.Revoked:
					keys[side] = append(keys[side], "")
					revoked[side] = true
				default:
					keys[side] = append(keys[side], key.Public)
				}
			}
		}
		text := func(f *Finding) { f.Old, f.New = srcs[0].text(ctx, s.Name), srcs[1].text(ctx, s.Name) }
		if unread[0] != "" || unread[1] != "" {
			f := base
			f.Severity = SevInfo
			f.Detail = onSides("the DKIM key", unread) + ": the selector's CNAME chain leaves the zone (an ESP's key); give parity.resolver (--resolver) to read and check it"
			out = append(out, f)
		}
		if errs[0] != "" || errs[1] != "" {
			f := base
			f.Severity = SevError
			switch {
			case errs[0] == errs[1]:
				f.Detail = mailauth.Unparsed("does not parse on old and new", errs[0], "verifiers")
			case errs[0] != "" && errs[1] != "":
				f.Detail = mailauth.Unparsed(fmt.Sprintf("does not parse on old (%s) nor on new (%s)", errs[0], errs[1]), "", "verifiers")
			case errs[0] != "":
				f.Detail = mailauth.Unparsed("on old does not parse", errs[0], "verifiers that reach old")
			default:
				f.Detail = mailauth.Unparsed("on new does not parse", errs[1], "verifiers that reach new")
			}
			text(&f)
			out = append(out, f)
		}
		var many [2]string
		for side := range keys {
			if n := len(keys[side]); n > 1 {
				many[side] = fmt.Sprintf("%d key records at one selector: a verifier may pick any of them (RFC 6376 §3.6.2.2), and OpenDKIM fails the signature (\"multiple DNS replies\")", n)
			}
		}
		if many[0] != "" || many[1] != "" {
			f := base
			f.Severity = SevError
			f.Detail = onSides("DKIM", many) + "; publish one key record per selector"
			text(&f)
			out = append(out, f)
		}
		switch {
		case revoked[0] && revoked[1] && len(keys[0]) == 1 && len(keys[1]) == 1:
			f := base
			f.Severity = SevInfo
			f.Detail = "the DKIM key is revoked (empty p=) on old and new"
			out = append(out, f)
		case !read[0] || !read[1] || len(keys[0]) == 0 || len(keys[1]) == 0:
			// a side without a key: the comparison reports it
		case revoked[0] != revoked[1]:
			side := 0
			if revoked[1] {
				side = 1
			}
			f := base
			f.Severity = SevError
			f.Detail = fmt.Sprintf("the DKIM key is revoked (empty p=) on %s only: verifiers fail every signature with this selector when they ask %s (RFC 6376 §3.6.1), and pass it on %s", sides[side], sides[side], sides[1-side])
			text(&f)
			out = append(out, f)
		default:
			a, b := slices.Clone(keys[0]), slices.Clone(keys[1])
			sort.Strings(a)
			sort.Strings(b)
			if !slices.Equal(a, b) {
				f := base
				f.Severity = SevError
				f.Detail = "the concatenated DKIM keys (p=) differ between old and new: signatures made with the key of one side fail when verifiers ask the other"
				text(&f)
				out = append(out, f)
			}
		}
	}
	return out
}

// dmarc checks each DMARC owner git has a TXT at (_dmarc.<zone>, and
// _dmarc.<sub> of a subdomain with a policy of its own, which receivers
// ask before the organizational domain's, RFC 7489 §6.6.3) on both
// sides: exactly one record starting with v=DMARC1, valid per §6.4.
func (r *runner) dmarc(ctx context.Context, srcs []*txtSource, sets *mailauth.Sets) []Finding {
	var out []Finding
	for _, s := range sets.DMARC {
		out = append(out, r.dmarcAt(ctx, srcs, s)...)
	}
	return out
}

// dmarcAt checks the DMARC record git has at s on both sides.
func (r *runner) dmarcAt(ctx context.Context, srcs []*txtSource, s *zone.RRSet) []Finding {
	name := s.Name
	p := s.Pos()
	var errs, warns [2]string
	var failed [2]error // what errs say, for mailauth.NoPolicy
	var parsed [2]*mailauth.DMARC
	for side, src := range srcs {
		res, err := src.Lookup(ctx, name, dns.TypeTXT)
		if err != nil {
			continue
		}
		if res.Failed {
			continue // the failure is reported by the comparison
		}
		d, err := mailauth.SelectDMARC(res.Records)
		if err != nil {
			errs[side], failed[side] = err.Error(), err
			if errors.Is(err, mailauth.ErrNoDMARC) {
				errs[side] += " (" + res.Status + ")"
			}
			continue
		}
		warns[side] = strings.Join(d.Warnings, "; ")
		parsed[side] = d
	}
	out := r.dmarcNP(Finding{Name: name, Type: "TXT", File: p.File, Line: p.Line, Kind: "dmarc", Severity: SevError}, parsed)
	out = append(out, r.dmarcReports(ctx, srcs[0], Finding{Name: name, Type: "TXT", File: p.File, Line: p.Line, Kind: "dmarc-report"}, s, parsed)...)
	// The policy stands; what receivers ignore in it (report URIs).
	if f, ok := mailWarning(ctx, Finding{Name: name, Type: "TXT", File: p.File, Line: p.Line, Kind: "dmarc"}, "DMARC", warns, srcs); ok {
		out = append(out, f)
	}
	if errs[0] == "" && errs[1] == "" {
		return out
	}
	f := Finding{Name: name, Type: "TXT", File: p.File, Line: p.Line, Kind: "dmarc", Severity: SevError}
	switch {
	case errs[0] == errs[1]:
		f.Detail = "DMARC on old and new: " + errs[0] + mailauth.NoPolicy(failed[0], "")
	case errs[0] != "" && errs[1] != "":
		f.Detail = "DMARC on old: " + errs[0] + "; on new: " + errs[1]
	case errs[0] != "":
		f.Detail = "DMARC on old: " + errs[0] + mailauth.NoPolicy(failed[0], " asking old")
	default:
		f.Detail = "DMARC on new: " + errs[1] + mailauth.NoPolicy(failed[1], " asking new")
	}
	f.Old, f.New = srcs[0].text(ctx, name), srcs[1].text(ctx, name)
	return append(out, f)
}

// dmarcReports checks that each domain outside the zone that git's DMARC
// record (s) sends reports to accepts them (RFC 7489 §7.1: a TXT record
// starting v=DMARC1 at <zone>._report._dmarc.<domain>), asked through the
// resolver (src: a name outside the zone is the same on both sides): one
// that does not is a warning (receivers send it no reports; mail is not
// affected), one that could not be asked an info finding.
func (r *runner) dmarcReports(ctx context.Context, src *txtSource, base Finding, s *zone.RRSet, served [2]*mailauth.DMARC) []Finding {
	var recs []string
	for _, rec := range s.Records {
		recs = append(recs, mailauth.TXTText(rec.Rdata))
	}
	d, err := mailauth.SelectDMARC(recs)
	if err != nil {
		return nil // git's record is broken: check and the comparison say so
	}
	// The record's domain (a subdomain's own policy is retrieved from
	// it: §7.1 prepends it), its destinations outside the zone: git's,
	// then those only a side's record sends to (a report address added
	// on one side), each asked once.
	domain := strings.TrimPrefix(s.Name, "_dmarc.")
	var dests []mailauth.ReportDest
	only := map[string][]string{} // destination → the sides, when git's record has it not
	seen, inGit := map[string]bool{}, map[string]bool{}
	for i, rec := range []*mailauth.DMARC{d, served[0], served[1]} {
		if rec == nil {
			continue
		}
		for _, dest := range rec.ExternalReportDests(r.z.Origin) {
			if i == 0 {
				inGit[dest.Domain] = true
			} else if !inGit[dest.Domain] {
				only[dest.Domain] = append(only[dest.Domain], [2]string{"old", "new"}[i-1])
			}
			if !seen[dest.Domain] {
				seen[dest.Domain] = true
				dests = append(dests, dest)
			}
		}
	}
	var out []Finding
	for _, dest := range dests {
		at := mailauth.ReportAuthName(domain, dest.Domain)
		uris := strings.Join(dest.URIs, ", ")
		f := base
		res, err := src.Lookup(ctx, at, dns.TypeTXT)
		switch {
		case err != nil:
			f.Severity = SevInfo
			f.Detail = fmt.Sprintf("DMARC %s: reports go to %s, outside the zone, which receivers send them to only if it publishes a TXT record starting v=DMARC1 at %s (RFC 7489 §7.1): not asked; give parity.resolver (--resolver) to check it", uris, dest.Domain, at)
		case res.Failed:
			f.Severity = SevInfo
			f.Detail = fmt.Sprintf("DMARC %s: whether %s accepts reports for %s (a TXT record starting v=DMARC1 at %s, RFC 7489 §7.1) is unknown: the resolver answered %s", uris, dest.Domain, domain, at, res.Status)
		case !slices.ContainsFunc(res.Records, mailauth.IsDMARC):
			f.Severity = SevWarning
			f.Detail = fmt.Sprintf("DMARC %s: %s does not accept reports for %s: no TXT record starting v=DMARC1 at %s (%s; RFC 7489 §7.1), so receivers send it none; publish %s TXT \"v=DMARC1\" in %s's zone, or send the reports to an address in %s", uris, dest.Domain, domain, at, res.Status, at, dest.Domain, r.z.Origin)
		default:
			continue
		}
		if sides := only[dest.Domain]; len(sides) > 0 {
			f.Detail += fmt.Sprintf(" (the record %s serves sends reports there; git's does not)", strings.Join(sides, " and "))
		}
		out = append(out, f)
	}
	return out
}

func (t *txtSource) text(ctx context.Context, name string) string {
	a, _ := t.lookup(ctx, name, dns.TypeTXT)
	return t.r.text(a)
}

// askable reports whether (name, qt) can be packed as a query (an SPF
// target may be a name that cannot).
func askable(name string, qt uint16) bool {
	_, err := query.PackQuery(name, qt)
	return err == nil
}

// dmarcNP: a side that answers names that do not exist with compact
// denial of existence (NOERROR, "black lies") where the other answers
// NXDOMAIN turns the DMARC record's np= (RFC 9091 §4.1, RFC 9989: the
// policy for subdomains that do not exist, which receivers tell by
// NXDOMAIN) into sp= (or p=) for mail from made-up subdomains: an error
// when np= is the stricter, so that mail servers would apply a weaker
// policy on that side (set sp= to np='s policy to keep it).
func (r *runner) dmarcNP(base Finding, parsed [2]*mailauth.DMARC) []Finding {
	compact := r.compactSides()
	if compact[0] == compact[1] {
		return nil // no difference the flip makes
	}
	side := 0
	if compact[1] {
		side = 1
	}
	d := parsed[side]
	if d == nil {
		return nil
	}
	np, ok := d.NonExistent()
	if !ok {
		return nil
	}
	policy, tag := d.Existing()
	if !mailauth.Stricter(np, policy) {
		return nil
	}
	sides := [2]string{"old", "new"}
	base.Detail = fmt.Sprintf("DMARC np=%s is not applied on %s: receivers apply np= to subdomains that do not exist, which they tell by NXDOMAIN (RFC 9091 §4.1, RFC 9989); %s answers names that do not exist NOERROR (compact denial of existence) where %s answers NXDOMAIN, so receivers apply %s=%s to mail from made-up subdomains when asking %s; set sp=%s to keep the policy",
		np, sides[side], sides[side], sides[1-side], tag, policy, sides[side], np)
	return []Finding{base}
}

// compactSides reports, per side, whether its representative answers a
// random label under the apex (a name that does not exist) with compact
// denial of existence.
func (r *runner) compactSides() (c [2]bool) {
	for qi, q := range r.qs {
		if _, parent, _ := strings.Cut(q.Name, "."); q.Probe != probeRandom || parent != r.z.Origin {
			continue
		}
		for side := range c {
			if a := r.ans(r.rep[side], qi); a != nil && a.Compact {
				c[side] = true
			}
		}
	}
	return c
}
