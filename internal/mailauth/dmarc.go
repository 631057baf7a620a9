package mailauth

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// DMARC is a parsed DMARC policy record (RFC 7489 §6.3).
type DMARC struct {
	Policy    string // p=: none, quarantine, reject
	Subdomain string // sp= ("" when absent)
	Tags      []Tag
	// Warnings: what receivers ignore without dropping the policy (a
	// report URI that is not one, RFC 7489 §6.3).
	Warnings []string
}

// NonExistent is the record's np= (RFC 9091 §4.1, RFC 9989): the policy
// for subdomains that do not exist, which receivers tell by NXDOMAIN;
// ok is false without a valid one.
func (d *DMARC) NonExistent() (np string, ok bool) {
	v, ok := tagValue(d.Tags, "np")
	if !ok || v != "none" && v != "quarantine" && v != "reject" {
		return "", false
	}
	return v, true
}

// Existing is the policy receivers apply to an existing subdomain's mail
// and the tag that sets it: sp=, else p= (none when the record has only
// rua=, RFC 7489 §6.6.3).
func (d *DMARC) Existing() (policy, tag string) {
	switch {
	case d.Subdomain != "":
		return d.Subdomain, "sp"
	case d.Policy != "":
		return d.Policy, "p"
	}
	return "none", "p"
}

// Stricter reports whether DMARC policy a asks more of receivers than b
// (reject over quarantine over none).
func Stricter(a, b string) bool {
	rank := map[string]int{"none": 0, "quarantine": 1, "reject": 2}
	return rank[a] > rank[b]
}

// IsDMARC reports whether a TXT record (strings concatenated) starts with
// the version tag "v=DMARC1": "v", optional whitespace, "=", optional
// whitespace, exactly "DMARC1" (RFC 7489 §6.4: "v" in any case, "DMARC1"
// case-sensitive), then ";" or the end. "v=DMARC10" is not.
func IsDMARC(rec string) bool {
	first, _, _ := strings.Cut(rec, ";")
	name, value, ok := strings.Cut(first, "=")
	return ok && zone.Fold(strings.TrimRight(name, " \t")) == "v" && strings.Trim(value, " \t") == "DMARC1"
}

// SelectDMARC finds the DMARC record among the TXT records at _dmarc.NAME
// (RFC 7489 §6.6.3): records not starting with v=DMARC1 are ignored; none
// is "no policy", more than one is invalid (an error), and the one found
// must parse.
func SelectDMARC(recs []string) (*DMARC, error) {
	return selectOne(recs, IsDMARC, ParseDMARC, ErrNoDMARC, "%d DMARC records (v=DMARC1) at one name: receivers apply none (RFC 7489 §6.6.3)")
}

// selectOne is the one record of a kind among a name's TXT records (is
// says which are; the others are discarded): none is errNone, more than
// one an error (many, with their number), the one found parsed.
func selectOne[T any](recs []string, is func(string) bool, parse func(string) (*T, error), errNone error, many string) (*T, error) {
	var found []string
	for _, r := range recs {
		if is(r) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return nil, errNone
	case 1:
		return parse(found[0])
	}
	return nil, fmt.Errorf(many, len(found))
}

// ErrNoDMARC: no record starts with v=DMARC1.
var ErrNoDMARC = errors.New("no DMARC record (v=DMARC1)")

// ParseDMARC parses a DMARC record per RFC 7489 §6.4: v=DMARC1 first, p=
// required (none, quarantine, reject), sp= likewise, adkim= and aspf= r or
// s, pct= 0-100, fo= 0/1/d/s joined by ":", ri= a number, rf= afrf, rua=
// and ruf= URIs; no tag twice; unknown tags are ignored (§6.3). Without p=
// the record is valid only with rua= (then p=none, §6.6.3).
//
// Errors are what makes receivers drop the record's policy: they apply
// no policy, or, for a p= or sp= that is not a policy in a record with a
// valid rua=, act as if it were p=none (ErrAsNone, §6.6.3). A bad value of an
// optional tag (adkim, aspf, pct, fo, ri, rf) is one: RFC 7489 §6.3 says
// such syntax errors SHOULD be discarded in favour of the defaults (and
// lets receivers ignore the whole record for an rf= format it does not
// know), but OpenDMARC and go-msgauth answer it with a parse error and
// apply no policy (OpenDMARC: dmarc=permerror).
//
// Warnings are what receivers apply anyway: a report URI that is not one
// (§6.3: ignored), an empty tag (";;"), a p= that is not the second tag, a record without p=
// that stands as p=none through a valid rua= (§6.6.3), an np= value that
// is not a policy (RFC 7489 receivers do not read np=; see badNP).
func ParseDMARC(rec string) (*DMARC, error) {
	if !IsDMARC(rec) {
		return nil, errors.New("does not start with v=DMARC1")
	}
	tags, empty, err := parseTags(rec)
	if err != nil {
		return nil, err
	}
	// Tag names and the keyword values are case-insensitive (RFC 7489
	// §6.4's ABNF: quoted strings, RFC 5234 §2.3); only "DMARC1" is not.
	seen := map[string]bool{}
	validRUA := false
	notURI := map[string][]string{} // rua= and ruf=: what is not a report URI
	for i := range tags {
		tags[i].Name = zone.Fold(tags[i].Name)
		if seen[tags[i].Name] {
			return nil, fmt.Errorf("tag %s= appears more than once", tags[i].Name)
		}
		seen[tags[i].Name] = true
		switch tags[i].Name {
		case "p", "sp", "np", "adkim", "aspf", "fo", "rf":
			tags[i].Value = zone.Fold(tags[i].Value)
		case "rua", "ruf":
			valid, bad := reportURIs(tags[i].Value)
			notURI[tags[i].Name] = bad
			validRUA = validRUA || valid && tags[i].Name == "rua"
		}
	}
	d := &DMARC{Tags: tags}
	for _, at := range empty {
		// ";;": outside §6.4's grammar (dmarc-sep between tags), a
		// syntax error receivers discard (§6.3); OpenDMARC and
		// go-msgauth skip the empty tag and apply the record.
		d.Warnings = append(d.Warnings, fmt.Sprintf("empty tag at position %d (\";;\"): receivers skip it (RFC 7489 §6.4 has no empty tag)", at))
	}
	policy := func(v string) bool { return v == "none" || v == "quarantine" || v == "reject" }
	for _, t := range tags[1:] {
		v := t.Value
		bad := false
		switch t.Name {
		case "v":
			bad = true // only first
		case "p", "sp":
			if !policy(v) {
				return nil, badPolicy(t.Name, v, validRUA)
			}
			if t.Name == "p" {
				d.Policy = v
			} else {
				d.Subdomain = v
			}
		case "np":
			// RFC 9091 §4.1 (PSD DMARC; RFC 9989 too): the policy for
			// subdomains that do not exist. An unknown tag to RFC 7489
			// receivers (OpenDMARC, go-msgauth), so a warning; RFC 9989
			// receivers treat a bad one as a bad sp= (§4.10.1, badNP).
			if !policy(v) {
				d.Warnings = append(d.Warnings, badNP(v, validRUA))
			}
		case "adkim", "aspf":
			bad = v != "r" && v != "s"
		case "pct": // 1*3DIGIT, 0-100 (RFC 7489 §6.4)
			n, err := strconv.Atoi(v)
			bad = err != nil || !isDigits(v) || len(v) > 3 || n > 100
		case "ri":
			_, err := strconv.ParseUint(v, 10, 32)
			bad = err != nil
		case "fo":
			for _, o := range strings.Split(v, ":") {
				if o = strings.TrimSpace(o); o != "0" && o != "1" && o != "d" && o != "s" {
					bad = true
				}
			}
		case "rf":
			// Keyword *(*WSP ":" Keyword) (§6.4); "afrf" is the only
			// format registered (§6.3, §11). A receiver seeing another
			// "SHOULD ignore it or MAY ignore the entire DMARC record"
			// (§6.3): go-msgauth ignores the record, OpenDMARC too unless
			// the format is iodef (of the drafts). RFC 9989 (DMARCbis)
			// drops rf=: its receivers ignore the tag, whatever it holds.
			for _, f := range strings.Split(v, ":") {
				if strings.TrimSpace(f) != "afrf" {
					return nil, fmt.Errorf("rf=%s: afrf is the only failure report format; receivers may ignore the whole record for another (RFC 7489 §6.3), as go-msgauth does (OpenDMARC too, unless it is iodef)", word(v))
				}
			}
		case "rua", "ruf":
			// A URI that is not one is ignored (RFC 7489 §6.3: "URIs not
			// supported by Mail Receivers MUST be ignored"); only p= and
			// sp= decide whether the record applies (§6.6.3).
			for _, u := range notURI[t.Name] {
				d.Warnings = append(d.Warnings, fmt.Sprintf("%s= %s is not a report URI (scheme:address, optionally !size): receivers send no reports to it (RFC 7489 §6.3)", t.Name, quote(u)))
			}
		}
		if bad {
			return nil, fmt.Errorf("bad %s=%s", t.Name, word(v))
		}
	}
	switch {
	case d.Policy == "" && !validRUA:
		return nil, errors.New("no p= tag (and no valid rua= URI): receivers ignore the record (RFC 7489 §6.6.3)")
	case d.Policy == "":
		d.Policy = "none" // §6.6.3: a valid rua= without p= is p=none
		d.Warnings = append(d.Warnings, "no p= tag: receivers act as if p=none (the record has a valid rua=, RFC 7489 §6.6.3); p= is required right after v= (§6.3)")
	case tags[1].Name != "p":
		// RFC 7489 §6.3: "the "v" and "p" tags MUST be present and MUST
		// appear in that order" (§6.4's ABNF: dmarc-version dmarc-sep
		// [dmarc-request] ...). A warning, not an error: OpenDMARC
		// ("Yes, this is required to be first, but why reject it if it
		// is not first?") and go-msgauth read p= anywhere, and RFC 9989
		// (DMARCbis) allows any order after v=; a receiver holding to
		// the ABNF may still ignore the record.
		d.Warnings = append(d.Warnings, fmt.Sprintf("p= is tag %d, not the second right after v=: RFC 7489 §6.3 requires that order (receivers such as OpenDMARC read p= anywhere; one holding to the RFC may ignore the record)", tagIndex(tags, "p")+1))
	}
	return d, nil
}

// reportURIs reads a rua= or ruf= value, URIs separated by commas (RFC
// 7489 §6.4): valid when one at least is a report URI; bad, those that
// are not.
func reportURIs(v string) (valid bool, bad []string) {
	for _, u := range strings.Split(v, ",") {
		if u = strings.TrimSpace(u); isReportURI(u) {
			valid = true
		} else {
			bad = append(bad, u)
		}
	}
	return valid, bad
}

// ErrAsNone marks the error of a record whose p= or sp= is not a policy
// but that has a valid rua=: receivers that follow RFC 7489 §6.6.3 and
// RFC 9989 §4.10.1 act as if it were p=none (reports only), those such as
// OpenDMARC and go-msgauth apply no policy at all. The error says so
// itself; for every other error of ParseDMARC and SelectDMARC receivers
// apply no DMARC policy.
var ErrAsNone = errors.New("receivers act as if the record were p=none")

// NoPolicy is what a DMARC error of ParseDMARC or SelectDMARC leaves
// receivers (who: "", or " asking old") to do, written after the error:
// they apply no DMARC policy; "" when the error says it itself
// (ErrAsNone).
func NoPolicy(err error, who string) string {
	if errors.Is(err, ErrAsNone) {
		return ""
	}
	return "; receivers" + who + " apply no DMARC policy"
}

// badPolicy is the error of a p= or sp= (name) that is not a policy: RFC
// 7489 §6.6.3 (step 6) and RFC 9989 §4.10.1 drop the whole record's
// policy, not the tag alone: with a valid rua= receivers act as if the
// record were p=none (and send reports), without one they apply no DMARC
// processing. OpenDMARC and go-msgauth refuse the record either way.
func badPolicy(name, v string, validRUA bool) error {
	bad := fmt.Sprintf("bad %s=%s (a policy is none, quarantine or reject)", name, word(v))
	if !validRUA {
		return fmt.Errorf("%s, and no valid rua= (RFC 7489 §6.6.3, RFC 9989 §4.10.1)", bad)
	}
	return fmt.Errorf("%s: receivers drop the whole record's policy, not the tag alone: with its valid rua=, %w, for the domain and its subdomains alike, and send reports (RFC 7489 §6.6.3, RFC 9989 §4.10.1); OpenDMARC and go-msgauth apply no DMARC policy at all", bad, ErrAsNone)
}

// badNP is the warning of an np= (RFC 9091 §4.1, RFC 9989) that is not a
// policy: receivers of RFC 7489, such as OpenDMARC and go-msgauth, do not
// read np= and apply the record; those of RFC 9989 treat it as a bad p=
// or sp= (§4.10.1).
func badNP(v string, validRUA bool) string {
	then := "apply no DMARC policy (the record has no valid rua=)"
	if validRUA {
		then = "act as if the record were p=none (it has a valid rua=)"
	}
	return fmt.Sprintf("np=%s is not a policy (none, quarantine, reject): receivers of RFC 9989 then %s (§4.10.1); those of RFC 7489, such as OpenDMARC and go-msgauth, do not read np= and apply the record", word(v), then)
}

// isReportURI: dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]
// (RFC 7489 §6.4), the URI an absolute one, scheme ":" something (RFC 3986
// §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), without
// whitespace.
func isReportURI(u string) bool {
	if i := strings.LastIndexByte(u, '!'); i >= 0 {
		size := strings.TrimRight(u[i+1:], "kmgtKMGT")
		if !isDigits(size) || len(u)-i-1-len(size) > 1 {
			return false
		}
		u = u[:i]
	}
	scheme, rest, ok := strings.Cut(u, ":")
	if !ok || rest == "" || scheme == "" || !isAlpha(scheme[0]) {
		return false
	}
	for i := 1; i < len(scheme); i++ {
		if c := scheme[i]; !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] > '~' {
			return false
		}
	}
	return true
}

// ReportDest is a domain outside a DMARC record's own that its mailto:
// report URIs (rua=, ruf=) send reports to, with those URIs ("rua=mailto:
// d@reports.example").
type ReportDest struct {
	Domain string // absolute, lower case
	URIs   []string
}

// ExternalReportDests are the domains of the record's mailto: report URIs
// outside domain (the domain the record is for), in the record's order:
// RFC 7489 §7.1 has receivers send reports to a domain of another
// organization only when it authorizes them (ReportAuthName). A domain at
// or below domain, or above it, is taken as domain's own organization
// (the organizational domain needs the public suffix list: a destination
// above domain is left unasked, a silence rather than a false warning).
func (d *DMARC) ExternalReportDests(domain string) []ReportDest {
	domain = zone.CanonicalName(domain)
	var out []ReportDest
	at := map[string]int{}
	for _, t := range d.Tags {
		if t.Name != "rua" && t.Name != "ruf" {
			continue
		}
		for _, u := range strings.Split(t.Value, ",") {
			u = strings.TrimSpace(u)
			if !isReportURI(u) {
				continue
			}
			addr := u
			if i := strings.LastIndexByte(addr, '!'); i >= 0 {
				addr = addr[:i]
			}
			scheme, addr, _ := strings.Cut(addr, ":")
			addr, _, _ = strings.Cut(addr, "?")
			i := strings.LastIndexByte(addr, '@')
			if !strings.EqualFold(scheme, "mailto") || i < 0 {
				continue
			}
			host := addr[i+1:]
			if _, ok := dns.IsDomainName(host); !ok || host == "" {
				continue
			}
			host = zone.CanonicalName(host)
			if dns.IsSubDomain(domain, host) || dns.IsSubDomain(host, domain) {
				continue
			}
			j, ok := at[host]
			if !ok {
				j = len(out)
				at[host] = j
				out = append(out, ReportDest{Domain: host})
			}
			out[j].URIs = append(out[j].URIs, t.Name+"="+u)
		}
	}
	return out
}

// ReportAuthName is where dest publishes that it accepts the DMARC reports
// of domain: a TXT record starting v=DMARC1 (IsDMARC) at
// <domain>._report._dmarc.<dest> (RFC 7489 §7.1).
func ReportAuthName(domain, dest string) string {
	return zone.CanonicalName(domain) + "_report._dmarc." + zone.CanonicalName(dest)
}
