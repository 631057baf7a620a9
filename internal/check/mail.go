package check

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// mailProblems judges the zone file's own SPF, DKIM and DMARC records
// with internal/mailauth, as parity judges what the providers serve, so
// that a pull request breaking one fails check before it is pushed.
// Errors: what makes receivers fail mail (an SPF permerror: a record that
// does not parse, two at one name, more than 10 DNS lookups or 2 void
// lookups through the zone's own names; a DKIM key record verifiers
// ignore; a DMARC record receivers ignore, or two). Warnings: what is
// wrong in a DMARC record receivers apply anyway (a report URI that is
// not one, p= not right after v=, mailauth.DMARC.Warnings), and an SPF
// record receivers evaluate otherwise than its owner surely meant
// (include= for include:, ptr, +all, mechanisms after all, redirect=
// next to all, %{p}: mailauth.SPFWarnings). Names outside the zone or below a zone cut are not asked
// (check asks no server): their lookups are not counted, and that is not
// reported. Only TXT RRsets are read: those holding v=spf1, those under
// _domainkey and those at _dmarc.
func mailProblems(z *zone.Zone) []zone.Problem {
	if z.Truncated() {
		return nil // nothing is known of the rest of the file
	}
	sets := mailauth.Find(z)
	out := spfProblems(z, sets)
	for _, s := range sets.DKIM {
		out = append(out, dkimProblems(s)...)
	}
	for _, s := range sets.DMARC {
		out = append(out, dmarcProblems(s)...)
	}
	return out
}

// mailProblem is a problem of the TXT RRset s (at pos) in check's
// wording: "OWNER TXT: what".
func mailProblem(s *zone.RRSet, pos zone.Pos, sev zone.Severity, what string) zone.Problem {
	return zone.Problem{Pos: pos, Severity: sev, Message: s.Name + " TXT: " + what}
}

// spfProblems: each owner's own permerrors (two records, one that does
// not parse) on its line, and the warnings of its record (what receivers
// evaluate otherwise than its owner surely meant, SPFOwner.Warnings) on
// the record's line; then each evaluation from a root (parity's
// order, mailauth.EachEvaluated) on the root's line: over the lookup or
// the void limit, and the permerrors not already reported on a record's
// own line (an include target without an SPF record, an include or
// redirect loop).
// A record whose lookups all go out of the zone, within the limit, is not
// evaluated: the zone has nothing to add to it.
func spfProblems(z *zone.Zone, owners *mailauth.Sets) []zone.Problem {
	var out []zone.Problem
	reported := map[string]bool{}
	for i := 0; i < owners.SPFLen(); i++ {
		o := owners.SPF(i)
		for _, p := range o.Problems() {
			reported[p] = true
			msg := mailauth.Permerror([]string{p})
			if o.Count > 1 {
				msg += ": the SPF records of " + lines(o.RecordsPos())
			}
			out = append(out, mailProblem(o.Set, o.Set.Pos(), zone.Error, msg))
		}
		if ws := o.Warnings(); len(ws) > 0 {
			out = append(out, mailProblem(o.Set, o.RecordPos(), zone.Warning, "SPF: "+strings.Join(ws, "; ")))
		}
	}
	res := zoneResolver{z}
	owners.EachEvaluated(func(o mailauth.SPFOwner) []string {
		if !o.AsksZone() {
			return nil // the zone has nothing to add to it
		}
		n := mailauth.Evaluate(context.Background(), res, o.Set.Name)
		at := o.Set.Pos()
		if n.Total > mailauth.LookupLimit {
			out = append(out, mailProblem(o.Set, at, zone.Error, n.OverLimit()))
		}
		if n.Voids > mailauth.VoidLimit {
			out = append(out, mailProblem(o.Set, at, zone.Error, mailauth.VoidsOverLimit()+": "+n.VoidText()))
		}
		var ps []string
		for _, p := range n.Problems {
			if !reported[p] {
				reported[p] = true // once, on the first root that meets it
				ps = append(ps, p)
			}
		}
		if len(ps) > 0 {
			sort.Strings(ps)
			out = append(out, mailProblem(o.Set, at, zone.Error, mailauth.Permerror(ps)))
		}
		return n.Reached()
	})
	return out
}

// lines names the lines of ps ("lines 2 and 4", "lines 2, 4 and 7"; a
// position in another file as FILE:LINE).
func lines(ps []zone.Pos) string {
	var ls []string
	for i, p := range ps {
		if i > 0 && p.File != ps[0].File {
			ls = append(ls, p.String())
			continue
		}
		ls = append(ls, strconv.Itoa(p.Line))
	}
	if len(ls) < 2 {
		return "line " + strings.Join(ls, "")
	}
	return "lines " + strings.Join(ls[:len(ls)-1], ", ") + " and " + ls[len(ls)-1]
}

// dkimProblems: each record of a DKIM key RRset that does not parse
// (mailauth.ParseDKIM), on its own line. A revoked key (empty p=) is
// fine.
func dkimProblems(s *zone.RRSet) []zone.Problem {
	var out []zone.Problem
	for _, r := range s.Records {
		if _, err := mailauth.ParseDKIM(mailauth.TXTText(r.Rdata)); err != nil {
			out = append(out, mailProblem(s, r.Pos, zone.Error, "the DKIM key record does not parse (RFC 6376 §3.6.1): "+err.Error()+"; verifiers fail every signature with this selector"))
		}
	}
	return out
}

// dmarcProblems: the DMARC record at a _dmarc name (mailauth.SelectDMARC):
// none among the TXT records there, two, or one that receivers ignore is
// an error; what receivers ignore in a record that stands is a warning.
// On the DMARC record's line (the RRset's first when there is not one).
func dmarcProblems(s *zone.RRSet) []zone.Problem {
	recs := make([]string, len(s.Records))
	at, found := s.Pos(), 0
	for i, r := range s.Records {
		recs[i] = mailauth.TXTText(r.Rdata)
		if mailauth.IsDMARC(recs[i]) {
			if found == 0 {
				at = r.Pos
			}
			found++
		}
	}
	if found > 1 {
		at = s.Pos()
	}
	d, err := mailauth.SelectDMARC(recs)
	if err != nil {
		return []zone.Problem{mailProblem(s, at, zone.Error, "DMARC: "+err.Error()+mailauth.NoPolicy(err, ""))}
	}
	if len(d.Warnings) == 0 {
		return nil
	}
	return []zone.Problem{mailProblem(s, at, zone.Warning, "DMARC: "+strings.Join(d.Warnings, "; "))}
}
