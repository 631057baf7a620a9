package check

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// mailProblems judges the zone file's own SPF, DKIM, DMARC, MTA-STS and
// TLSRPT records and SMTP servers' TLSA records with internal/mailauth,
// as parity judges what the providers serve, so that a pull request
// breaking one fails check before it is pushed.
// Errors: what makes receivers fail mail (an SPF permerror: a record that
// does not parse, two at one name, more than 10 DNS lookups or 2 void
// lookups through the zone's own names; a DKIM key record verifiers
// ignore; a DMARC record receivers ignore, or two) or senders ignore a
// transport security record (an MTA-STS or TLSRPT record they cannot
// use, or two; an MTA-STS policy host without an address; TLSA data that
// can match no certificate). Warnings: what is
// wrong in a DMARC record receivers apply anyway (a report URI that is
// not one, p= not right after v=, mailauth.DMARC.Warnings), and an SPF
// record receivers evaluate otherwise than its owner surely meant
// (include= for include:, ptr, +all, mechanisms after all, redirect=
// next to all, %{p}: mailauth.SPFWarnings); a TLSRPT rua= entry
// reporters skip, a TLSA usage 0 or 1, SMTP TLSA records in a zone
// without a DNSKEY. Names outside the zone or below a zone cut are not asked
// (check asks no server): their lookups are not counted, and that is not
// reported. Only TXT RRsets are read (those holding v=spf1, those under
// _domainkey, at _dmarc, _mta-sts and _smtp._tls), and TLSA RRsets at
// _25._tcp names: MTA-STS and TLSRPT as DMARC (mtaSTSProblems,
// tlsrptProblems), TLSA by daneProblems.
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
	for _, ig := range sets.Ignored {
		out = append(out, mailProblem(ig.Set, ig.Pos, ig.Severity(), ig.Why))
	}
	for _, s := range sets.MTASTS {
		out = append(out, mtaSTSProblems(z, s)...)
	}
	for _, s := range sets.TLSRPT {
		out = append(out, tlsrptProblems(s)...)
	}
	signed := z.Get(z.Origin, dns.TypeDNSKEY) != nil
	for _, s := range sets.TLSA {
		out = append(out, daneProblems(s, signed)...)
	}
	return out
}

// mailProblem is a problem of the RRset s (at pos) in check's wording:
// "OWNER TYPE: what".
func mailProblem(s *zone.RRSet, pos zone.Pos, sev zone.Severity, what string) zone.Problem {
	return zone.Problem{Pos: pos, Severity: sev, Message: s.Name + " " + zone.TypeName(s.Type) + ": " + what}
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
			out = append(out, mailProblem(o.Set, at, zone.Error, mailauth.VoidsOverLimit()+": "+n.VoidText()+"; "+mailauth.VoidsAdvice))
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
			out = append(out, mailProblem(s, r.Pos, zone.Error, mailauth.Unparsed("does not parse", err.Error(), "verifiers")))
		}
	}
	return out
}

// dmarcProblems: the DMARC record at a _dmarc name (mailauth.SelectDMARC):
// none among the TXT records there, two, or one that receivers ignore is
// an error; what receivers ignore in a record that stands is a warning.
// On the DMARC record's line (the RRset's first when there is not one).
func dmarcProblems(s *zone.RRSet) []zone.Problem {
	recs, at := selected(s, mailauth.IsDMARC)
	d, err := mailauth.SelectDMARC(recs)
	if err != nil {
		return []zone.Problem{mailProblem(s, at, zone.Error, "DMARC: "+err.Error()+mailauth.NoPolicy(err, ""))}
	}
	if len(d.Warnings) == 0 {
		return nil
	}
	return []zone.Problem{mailProblem(s, at, zone.Warning, "DMARC: "+strings.Join(d.Warnings, "; "))}
}

// selected is where the record select picks among the TXT RRset s is
// written (its first; the RRset's first line when there is none or
// more than one), and the RRset's texts.
func selected(s *zone.RRSet, is func(string) bool) (recs []string, at zone.Pos) {
	recs = make([]string, len(s.Records))
	at, found := s.Pos(), 0
	for i, r := range s.Records {
		recs[i] = mailauth.TXTText(r.Rdata)
		if is(recs[i]) {
			if found == 0 {
				at = r.Pos
			}
			found++
		}
	}
	if found > 1 {
		at = s.Pos()
	}
	return recs, at
}

// mtaSTSProblems: the MTA-STS record at a _mta-sts name
// (mailauth.SelectMTASTS): none among the TXT records there, two, or one
// that does not parse is an error (senders take the domain as having no
// policy, RFC 8461 §3.1); so is a valid record whose policy host
// (mta-sts.DOMAIN, §3.3) has no address in the zone: senders cannot
// fetch the policy. A policy host outside the zone, below a cut or
// behind a CNAME that leaves the zone is not asked.
func mtaSTSProblems(z *zone.Zone, s *zone.RRSet) []zone.Problem {
	recs, at := selected(s, mailauth.IsMTASTS)
	if _, err := mailauth.SelectMTASTS(recs); err != nil {
		return []zone.Problem{mailProblem(s, at, zone.Error, "MTA-STS: "+err.Error()+"; "+mailauth.SendersIgnore)}
	}
	host := mailauth.PolicyHost(strings.TrimPrefix(s.Name, "_mta-sts."))
	res := zoneResolver{z}
	var why []string
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		r, err := res.Lookup(context.Background(), host, qt)
		if errors.Is(err, mailauth.ErrNotAsked) || err == nil && (r.Failed || len(r.Records) > 0) {
			return nil // outside the zone, or has an address (a failed lookup: check reports it)
		}
		why = append(why, zone.TypeName(qt)+": "+r.Status)
	}
	return []zone.Problem{mailProblem(s, at, zone.Error, fmt.Sprintf("MTA-STS: the policy host %s has no address in the zone (%s): senders cannot fetch the policy from https://%s/.well-known/mta-sts.txt (RFC 8461 §3.3) and deliver as if the domain had no MTA-STS policy; add an A or AAAA record at %s, or a CNAME to the web host serving the policy",
		strings.TrimSuffix(host, "."), strings.Join(why, ", "), strings.TrimSuffix(host, "."), strings.TrimSuffix(host, ".")))}
}

// tlsrptProblems: the TLSRPT record at a _smtp._tls name
// (mailauth.SelectTLSRPT): none, two, or one reporters cannot use is an
// error; a rua= entry reporters skip next to one they use is a warning.
func tlsrptProblems(s *zone.RRSet) []zone.Problem {
	recs, at := selected(s, mailauth.IsTLSRPT)
	t, err := mailauth.SelectTLSRPT(recs)
	if err != nil {
		return []zone.Problem{mailProblem(s, at, zone.Error, "TLSRPT: "+err.Error()+"; "+mailauth.ReportersIgnore)}
	}
	if len(t.Warnings) == 0 {
		return nil
	}
	return []zone.Problem{mailProblem(s, at, zone.Warning, "TLSRPT: "+strings.Join(t.Warnings, "; "))}
}

// daneProblems: the TLSA records of an SMTP server (_25._tcp.HOST):
// each record's data that can match no certificate (an error) and usage
// PKIX-TA or PKIX-EE (a warning), on its line (mailauth.SMTPTLSA); in a
// zone without a DNSKEY at its apex, a warning on the RRset's first line:
// senders use only TLSA records DNSSEC validates (RFC 7672 §2.2).
func daneProblems(s *zone.RRSet, signed bool) []zone.Problem {
	var out []zone.Problem
	if !signed {
		out = append(out, mailProblem(s, s.Pos(), zone.Warning, "the zone is not signed (no DNSKEY at the apex in the zone file): DANE senders use only TLSA records DNSSEC validates (RFC 7672 §2.2) and ignore these; sign the zone, or ignore this if the provider signs it"))
	}
	for _, r := range s.Records {
		if len(r.Rdata) < 3 {
			continue // not read: check reports it
		}
		bad, warn := mailauth.SMTPTLSA(r.Rdata[0], r.Rdata[2], hex.EncodeToString([]byte(r.Rdata[3:])))
		if bad != "" {
			out = append(out, mailProblem(s, r.Pos, zone.Error, bad))
		}
		if warn != "" {
			out = append(out, mailProblem(s, r.Pos, zone.Warning, warn))
		}
	}
	return out
}
