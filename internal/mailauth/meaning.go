package mailauth

import (
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// SameMeaning reports whether two TXT RRsets at owner (each record's
// strings joined: TXTText) read the same to every receiver although
// their text differs, and names the record kind ("DKIM", "DMARC",
// "MTA-STS", "TLSRPT", "BIMI", "SPF") that makes them so; ok is false when they do not, or when a
// record of either does not parse (its error is the mail checks' to
// report, the difference stays one). What receivers read:
//
//   - DKIM key records (at *._domainkey.*): the tags verifiers act on
//     as a set, since tag order does not matter and whitespace inside a
//     value is ignored (RFC 6376 §3.2; p= base64 and h=/t= lists,
//     §3.6.1), tags at their defaults, n= and unknown tags left out
//     (dkimMeaning); tag names and values keep their case (§3.2:
//     case-sensitive);
//   - DMARC records (at _dmarc.*): the tags after v=DMARC1 as a set,
//     their names and keyword values case-insensitive (RFC 7489 §6.4's
//     ABNF; RFC 9989 allows any order after v=; ParseDMARC folds them);
//   - MTA-STS records (at _mta-sts.*): the id= (RFC 8461 §3.1: senders
//     read v=STSv1 and id=, fields are separated by optional whitespace
//     and other fields are ignored);
//   - TLSRPT records (at _smtp._tls.*): the rua= URIs reporters use, as
//     a set (RFC 8460 §3: a report goes to each; other fields ignored);
//   - BIMI Assertion Records (at *._bimi.*): l=, a= and lps= (bimiMeaning);
//   - SPF records: the mechanisms in order, except that within a run of
//     consecutive mechanisms of the same qualifier their order does not
//     change the result (the first match of the run gives that
//     qualifier, whichever it is), and the modifiers as a set (RFC 7208
//     §4.6.2, §6: each at most once, position free; unknown ones
//     ignored); mechanism names and domains are case-insensitive, a
//     macro's letter is not (an upper-case letter URL-encodes, §7.3);
//     each term as it matches (termMeaning: networks, default lengths,
//     the record's own domain). Errors and the lookup limits
//     reach the same totals; that they may be reached at another term is
//     not told apart (spf-lookups and spf-void findings say so).
//
// Other TXT records at the owner must be identical.
func SameMeaning(owner string, a, b []string) (kind string, ok bool) {
	return sameBy(owner, a, b, recordMeaning)
}

// SameDMARCPolicy reports whether two TXT RRsets at a DMARC owner hold
// records that receivers apply the same policy by (RFC 7489 §6.3: p=,
// sp=, np=, adkim=, aspf=, pct=, and any other tag), however their
// reporting differs: rua=, ruf=, fo=, rf= and ri= say where and how
// failure and aggregate reports go (§6.3, §7), which changes no
// delivery. ok is false when the records differ otherwise or do not
// parse.
func SameDMARCPolicy(owner string, a, b []string) bool {
	if !IsDMARCName(owner) {
		return false
	}
	kind, ok := sameBy(owner, a, b, func(owner, rec string) (string, string, bool) {
		if !IsDMARC(rec) {
			return recordMeaning(owner, rec)
		}
		d, err := ParseDMARC(rec)
		if err != nil {
			return "", "", false
		}
		return "DMARC;" + dmarcTags(d, "v", "rua", "ruf", "fo", "rf", "ri"), "DMARC", true
	})
	return ok && kind == "DMARC"
}

// sameBy compares two RRsets' records by meaning (each record's meaning
// and kind; ok false: it does not parse).
func sameBy(owner string, a, b []string, meaning func(owner, rec string) (string, string, bool)) (kind string, ok bool) {
	canon := func(recs []string) ([]string, string, bool) {
		out := make([]string, 0, len(recs))
		kind := ""
		for _, r := range recs {
			c, k, ok := meaning(owner, r)
			if !ok {
				return nil, "", false
			}
			if k != "" {
				kind = k
			}
			out = append(out, c)
		}
		sort.Strings(out)
		return out, kind, true
	}
	ca, ka, okA := canon(a)
	cb, kb, okB := canon(b)
	if !okA || !okB || ka == "" || ka != kb || !slices.Equal(ca, cb) {
		return "", false
	}
	return ka, true
}

// recordMeaning is one TXT record as receivers read it (see
// SameMeaning) and its kind; a record that is no mail record is itself,
// kind "". ok is false for a mail record that does not parse.
func recordMeaning(owner, rec string) (meaning, kind string, ok bool) {
	var read func(string) (string, error)
	switch {
	case IsDKIMName(owner):
		kind, read = "DKIM", dkimMeaning
	case IsDMARCName(owner) && IsDMARC(rec):
		kind, read = "DMARC", dmarcMeaning
	case IsMTASTSName(owner) && IsMTASTS(rec):
		kind, read = "MTA-STS", func(rec string) (string, error) {
			m, err := ParseMTASTS(rec)
			return "id=" + m.id(), err
		}
	case IsTLSRPTName(owner) && IsTLSRPT(rec):
		kind, read = "TLSRPT", func(rec string) (string, error) {
			r, err := ParseTLSRPT(rec)
			return "rua=" + strings.Join(r.rua(), ","), err
		}
	case IsBIMIName(owner) && IsBIMI(rec):
		kind, read = "BIMI", bimiMeaning
	case IsSPF(rec):
		kind, read = "SPF", func(rec string) (string, error) {
			s, err := ParseSPF(rec)
			return spfMeaning(s, owner), err
		}
	default:
		return rec, "", true
	}
	m, err := read(rec)
	if err != nil {
		return "", "", false
	}
	return kind + ";" + m, kind, true
}

// dkimMeaning is what verifiers act on in a key record that parses (RFC
// 6376 §3.6.1): a revoked key (p= empty) is only that, whatever else the
// record says (every signature with it fails, §3.6.1, §6.1.2); else the
// tags that change a verdict, sorted, whitespace dropped from their
// values: p= (as DKIMKey.Public: an RSA key in either DER form verifiers
// take is one key), k= but at its default rsa, h= and t= as sets (colon-separated
// lists; t= only the flags y and s, "Unrecognized flags MUST be ignored";
// an empty t= says nothing) and g= (RFC 4871's granularity, dropped by RFC
// 6376 but still read by older verifiers). Left out: v= (optional, and
// DKIM1 when present), s= (ParseDKIM takes only a key for email or *:
// either serves mail), n= (a note for people) and unknown tags
// ("Unrecognized tags MUST be ignored", §3.2).
func dkimMeaning(rec string) (string, error) {
	k, err := ParseDKIM(rec)
	if err != nil {
		return "", err
	}
	if k.Revoked {
		return "revoked", nil
	}
	tags, _, _ := parseTags(rec)
	parts := make([]string, 0, len(tags))
	for _, t := range tags {
		v := strings.Join(strings.Fields(t.Value), "")
		switch t.Name {
		case "k":
			if v == "rsa" {
				continue
			}
		case "h":
			v = listSet(v, nil)
		case "t":
			if v = listSet(v, []string{"y", "s"}); v == "" {
				continue
			}
		case "p":
			v = k.Public // one key whether SubjectPublicKeyInfo or PKCS #1
		case "g":
		default:
			continue
		}
		parts = append(parts, t.Name+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ";"), nil
}

// listSet is a colon-separated list (whitespace already dropped) as a
// sorted set of its items, only those in known when known is not nil.
func listSet(list string, known []string) string {
	var items []string
	for _, it := range strings.Split(list, ":") {
		if it != "" && (known == nil || slices.Contains(known, it)) && !slices.Contains(items, it) {
			items = append(items, it)
		}
	}
	sort.Strings(items)
	return strings.Join(items, ":")
}

// dmarcMeaning: the tags after v= sorted, as ParseDMARC folds them.
func dmarcMeaning(rec string) (string, error) {
	d, err := ParseDMARC(rec)
	if err != nil {
		return "", err
	}
	return dmarcTags(d, "v"), nil
}

// dmarcTags is d's tags but those named in skip and those written at the
// value receivers take when the tag is left out (dmarcDefault), sorted.
func dmarcTags(d *DMARC, skip ...string) string {
	parts := make([]string, 0, len(d.Tags))
	for _, t := range d.Tags {
		if def, ok := dmarcDefault(d, t.Name); ok && def == t.Value || slices.Contains(skip, t.Name) {
			continue
		}
		parts = append(parts, t.Name+"="+t.Value)
	}
	sort.Strings(parts)
	return strings.Join(parts, ";")
}

// spfMeaning: the mechanisms with runs of one qualifier sorted, each as
// termMeaning reads it at owner ("": a and mx without a domain and with
// one are kept apart), then the modifiers sorted, but unknown ones:
// receivers ignore them (RFC 7208 §6).
// spfActedOn are the SPF modifiers a receiver acts on: redirect= and
// exp= (RFC 7208 §6), and RFC 6652's reporting modifiers ra=, rp= and rr=
// (where a receiver that reports sends SPF failure reports): a difference
// in one of them is one receivers see.
var spfActedOn = []string{"redirect", "exp", "ra", "rp", "rr"}

func spfMeaning(s *SPF, owner string) string {
	if s == nil {
		return ""
	}
	var mechs, mods, run []string
	var q byte
	flush := func() {
		sort.Strings(run)
		mechs = append(mechs, run...)
		run = run[:0]
	}
	for _, t := range s.Terms {
		if t.Modifier && !slices.Contains(spfActedOn, t.Mech) {
			continue
		}
		text := termMeaning(t, owner)
		if t.Modifier {
			mods = append(mods, text)
			continue
		}
		if t.Qualifier != q {
			flush()
			q = t.Qualifier
		}
		run = append(run, string(t.Qualifier)+text)
	}
	flush()
	sort.Strings(mods)
	return strings.Join(mechs, " ") + ";" + strings.Join(mods, " ")
}

// termMeaning is an SPF term (without its qualifier) as receivers match
// it: names in lower case (a macro's letter keeps its case, §7.3); ip4
// and ip6 as the network they match (§5.6: the address masked to its
// CIDR length, /32 and /128 when none is written, so ip4:192.0.2.7/24 is
// ip4:192.0.2.0/24 and ip6:2001:DB8:0::1 is ip6:2001:db8::1); a and mx
// without the CIDR lengths that are their defaults (/32, //128, §5.3,
// §5.4) and without a domain that is owner's own (the domain of
// check_host(), §4.8: a record is evaluated at the name it is served at).
func termMeaning(t Term, owner string) string {
	text := strings.TrimLeft(t.Text, "+-~?")
	if t.Macro() {
		return text
	}
	text = zone.Fold(text)
	switch t.Mech {
	case "ip4", "ip6":
		_, arg, _ := strings.Cut(text, ":")
		network, length, hasLen := strings.Cut(arg, "/")
		ip, err := netip.ParseAddr(network)
		bits := ip.BitLen()
		if hasLen {
			bits, _ = strconv.Atoi(length)
		}
		if p, err2 := ip.Prefix(bits); err == nil && err2 == nil {
			return t.Mech + ":" + p.String()
		}
	case "a", "mx":
		spec, cidr := cutDualCIDR(text[len(t.Mech):])
		v4, v6, _ := strings.Cut(cidr, "//")
		if v4 == "/32" {
			v4 = ""
		}
		if v6 == "128" {
			v6 = ""
		}
		if v6 != "" {
			v6 = "//" + v6
		}
		if owner != "" && strings.TrimSuffix(strings.TrimPrefix(spec, ":"), ".") == strings.TrimSuffix(zone.Fold(owner), ".") {
			spec = ""
		}
		return t.Mech + spec + v4 + v6
	}
	return text
}

// id is m's id=, "" for a nil record.
func (m *MTASTS) id() string {
	if m == nil {
		return ""
	}
	return m.ID
}

// rua is t's rua= URIs as reporters use them, none for a nil record:
// sorted, since a report goes to every one of them whatever their order
// (RFC 8460 §3), each URI's scheme in lower case (RFC 3986 §3.1: "schemes
// are case-insensitive"; MAILTO:a@x is mailto:a@x).
func (t *TLSRPT) rua() []string {
	if t == nil {
		return nil
	}
	out := make([]string, 0, len(t.RUA))
	for _, u := range t.RUA {
		if scheme, rest, ok := strings.Cut(u, ":"); ok {
			u = strings.ToLower(scheme) + ":" + rest
		}
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// dmarcDefault is the value receivers take for tag name when d leaves it
// out (RFC 7489 §6.3: adkim and aspf r, fo 0, pct 100, rf afrf, ri 86400,
// sp p's; RFC 9091 §4.1: np sp's, else p's): written out at that value,
// the tag says nothing. ok is false for a tag without one.
func dmarcDefault(d *DMARC, name string) (string, bool) {
	switch name {
	case "adkim", "aspf":
		return "r", true
	case "fo":
		return "0", true
	case "pct":
		return "100", true
	case "rf":
		return "afrf", true
	case "ri":
		return "86400", true
	case "sp":
		return tagValue(d.Tags, "p")
	case "np":
		if sp, ok := tagValue(d.Tags, "sp"); ok {
			return sp, true
		}
		return tagValue(d.Tags, "p")
	}
	return "", false
}
