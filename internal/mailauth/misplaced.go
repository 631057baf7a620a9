package mailauth

import (
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Mail records at a name receivers never ask for one: a DMARC record not
// under a _dmarc label, an MTA-STS record not at _mta-sts, a TLSRPT record
// not at _smtp._tls, a DKIM key not under _domainkey. The record exists
// for nobody (receivers apply no policy, find no key, send no report), so
// it is a mistake of the name, most often the label left out or written
// without its underscore.

// placement is one kind of mail record and where receivers look for it.
type placement struct {
	kind    string            // "DMARC": Ignore.What
	what    string            // "a DMARC record (v=DMARC1)"
	who     string            // who asks
	is      func(string) bool // the text is one
	placed  func(string) bool // the name is one receivers ask
	where   string            // "" : the suggestion itself
	rfc     string
	suggest func(name, origin string) string
}

var placements = []placement{
	{"DMARC", "a DMARC record (v=DMARC1)", "receivers", IsDMARC,
		// _dmarc.DOMAIN (RFC 7489 §6.1) and the report authorization
		// DOMAIN._report._dmarc.DEST (§7.1), also v=DMARC1.
		func(n string) bool { return strings.HasPrefix(n, "_dmarc.") || strings.Contains(n, "._dmarc.") },
		"", "RFC 7489 §6.1", func(n, _ string) string { return underLabel(n, "_dmarc", "dmarc") }},
	{"MTA-STS", "an MTA-STS record (v=STSv1)", "senders", IsMTASTS, IsMTASTSName,
		"", "RFC 8461 §3.1", func(n, _ string) string { return underLabel(n, "_mta-sts", "mtasts") }},
	{"TLSRPT", "a TLSRPT record (v=TLSRPTv1)", "reporters", IsTLSRPT, IsTLSRPTName,
		"", "RFC 8460 §3", func(n, _ string) string {
			for range 2 {
				if l, rest, ok := strings.Cut(n, "."); ok && rest != "" && (bare(l) == "tls" || bare(l) == "smtp") {
					n = rest
				}
			}
			return "_smtp._tls." + n
		}},
	{"DKIM", "a DKIM key record (v=DKIM1)", "verifiers", func(rec string) bool { return versioned(rec, "v=DKIM1") },
		func(n string) bool { return strings.Contains(n, "._domainkey.") },
		"SELECTOR._domainkey.DOMAIN", "RFC 6376 §3.6.2.1", func(n, origin string) string {
			if n == origin || strings.HasPrefix(n, "_domainkey.") {
				return "SELECTOR._domainkey." + strings.TrimPrefix(n, "_domainkey.") + " (SELECTOR: the s= your mail is signed with)"
			}
			l, rest, _ := strings.Cut(n, ".")
			return l + "._domainkey." + rest + " (if " + l + " is the selector your mail is signed with, s=)"
		}},
}

// Ignore is a TXT record meant as a mail record that receivers ignore,
// as check (the zone file's) and parity (what each provider serves)
// report it: Ignorer.Judge.
type Ignore struct {
	// What the record is meant as: "SPF", "DMARC", "DKIM", "MTA-STS",
	// "TLSRPT".
	What string
	// Why receivers ignore it and what to write (ignored's words).
	Why string
	// Error: an SPF record split where its blank after v=spf1 was,
	// wrong wherever it stands. Otherwise a warning: a record at a name
	// receivers never ask, which another zone's CNAME may lead to
	// (selector._domainkey.example.com CNAME selector.dkim.example.net:
	// RFC 6376 §3.6.2.1 lets a DKIM key live anywhere a CNAME leads; a
	// DMARC service's record at the target of _dmarc.DOMAIN), which a
	// zone file alone cannot tell.
	Error bool
}

// Severity is the verdict's severity in a zone file's check: an error
// for Error, else a warning (another zone's CNAME may lead here).
func (ig Ignore) Severity() zone.Severity {
	if ig.Error {
		return zone.Error
	}
	return zone.Warning
}

// Ignorer judges TXT records at the names of a zone, or served there,
// as receivers read them (Judge).
type Ignorer struct {
	z       *zone.Zone
	targets map[string]bool // the zone's CNAME targets, read at first need
}

// NewIgnorer judges TXT records at z's names.
func NewIgnorer(z *zone.Zone) *Ignorer { return &Ignorer{z: z} }

// Judge says why receivers ignore the TXT record rdata (canonical wire
// RDATA) at name (lower case), meant as a mail record: an SPF record
// split into strings where its blank after v=spf1 was (an error), or a
// DMARC, MTA-STS, TLSRPT or DKIM key record at a name receivers never ask
// for one (a warning), with what to write. ok is false when rdata is
// none of them or stands, and for a misplaced record at a name one of
// the zone's own CNAMEs leads to: receivers reach it there.
func (g *Ignorer) Judge(name, rdata string) (ig Ignore, ok bool) {
	why, what, misplaced := ignored(name, g.z.Origin, rdata)
	if why == "" {
		return ig, false
	}
	if misplaced {
		if g.targets == nil {
			g.targets = cnameTargets(g.z)
		}
		if g.targets[name] {
			return ig, false
		}
	}
	return Ignore{What: what, Why: why, Error: !misplaced}, true
}

// cnameTargets are the targets of z's CNAME records, lower case.
func cnameTargets(z *zone.Zone) map[string]bool {
	out := map[string]bool{}
	for _, s := range z.Sets {
		if s.Type != dns.TypeCNAME {
			continue
		}
		for _, rr := range s.RRs() {
			out[zone.CanonicalName(rr.(*dns.CNAME).Target)] = true
		}
	}
	return out
}

// ignored is why receivers ignore the TXT record rdata at name in the
// zone origin, meant as a mail record (what: Ignore.What), and what to
// write: an SPF record split into strings where its blank after v=spf1
// was (spfSplit), or a DMARC, MTA-STS, TLSRPT or DKIM key record at a
// name receivers never ask for one, with the name to move it to; ""
// when rdata is none of them or stands. misplaced says it is the name,
// not the record (Ignore.Error).
func ignored(name, origin, rdata string) (why, what string, misplaced bool) {
	if len(rdata) < 2 || rdata[1]|0x20 != 'v' {
		return "", "", false
	}
	if why := spfSplit(rdata); why != "" {
		return why, "SPF", false
	}
	rec := TXTText(rdata)
	for _, p := range placements {
		if !p.is(rec) || p.placed(name) {
			continue
		}
		to := p.suggest(name, origin)
		where := p.where
		if where == "" {
			where = to
		}
		return p.what + " at " + name + ": " + p.who + " look for it only at " + where + " (" + p.rfc + ") and ignore it here, unless a CNAME elsewhere points to " + name + "; move it to " + to, p.kind, true
	}
	return "", "", false
}

// spfSplit: written unquoted ("v=spf1 mx -all" as three words) or split by
// hand after its version, an SPF record's strings are joined without
// blanks (RFC 7208 §3.3): v=spf1mx-all starts with no "v=spf1 " and is no
// SPF record (§4.5), so the domain has none. "" unless the strings joined
// with blanks would start so and joined as receivers join them do not.
func spfSplit(rdata string) string {
	strs := zone.TXTStrings(rdata)
	if len(strs) < 2 {
		return ""
	}
	joined, spaced := strings.Join(strs, ""), strings.Join(strs, " ")
	isSPF := func(s string) bool {
		return len(s) >= 6 && zone.Fold(s[:6]) == "v=spf1" && (len(s) == 6 || s[6] == ' ')
	}
	if isSPF(joined) || !isSPF(spaced) {
		return ""
	}
	quoted := make([]string, len(strs))
	for i, s := range strs {
		quoted[i] = strconv.Quote(s)
	}
	return strings.Join(quoted, " ") + " is read as " + joined + `, which starts with no "v=spf1 ": receivers see no SPF record (RFC 7208 §3.3, §4.5): the words of a TXT record written unquoted are strings of their own, joined without blanks; write it as one quoted string: ` + strconv.Quote(spaced)
}

// underLabel is name under label (_dmarc), or its first label replaced by
// label when that one is the label misspelt (bare form like, "dmarc",
// "_DMARC", "mta_sts").
func underLabel(name, label, like string) string {
	if l, rest, ok := strings.Cut(name, "."); ok && rest != "" && bare(l) == like {
		return label + "." + rest
	}
	return label + "." + name
}

// bare is a label folded, without underscores and hyphens.
func bare(l string) string {
	return strings.NewReplacer("_", "", "-", "").Replace(zone.Fold(l))
}
