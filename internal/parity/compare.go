package parity

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// diff is one difference between two responses to a question.
type diff struct {
	kind, sev, detail string
	// set is the RRset ("owner TYPE") the difference is in, when it is one
	// set of the answer (a CNAME chain's target, say); "" otherwise.
	set string
	// owner and typ are the RRset's name and type (with set).
	owner string
	typ   uint16
	// cause is why a flattened CNAME's finding is given (causeSame, …;
	// flatten.go), "" for other differences.
	cause string
}

func worst(ds []diff) string {
	w := SevInfo
	for _, d := range ds {
		if sevRank[d.sev] < sevRank[w] {
			w = d.sev
		}
	}
	return w
}

// comparer compares responses; the view tells it about the zone (apex,
// DNS-SD owners).
type comparer struct {
	v *view

	mu     sync.Mutex
	hidden map[[2]string]string // hiddenBelow's text by name and side
}

// compare lists the differences between responses a and b to q. "a" and
// "b" name the two sides in details.
func (c *comparer) compare(q Question, a, b *query.Answer, an, bn string) []diff {
	ca, cb := a.Class(), b.Class()
	if a.Err != "" && b.Err != "" && a.Err != b.Err {
		return []diff{{kind: "failure", sev: SevError, detail: fmt.Sprintf("could not verify: neither side answered (%s: %s, %s: %s)", an, a.Err, bn, b.Err)}}
	}
	if (a.Err != "") != (b.Err != "") {
		// One side gave no response (every try timed out: response rate
		// limiting that drops, a lost datagram, a dead server): what it
		// would have said is unknown. Not a pass, and not a difference
		// in what resolvers get either.
		silent, sa, other, oa := an, a, bn, b
		if b.Err != "" {
			silent, sa, other, oa = bn, b, an, a
		}
		return []diff{{kind: "failure", sev: SevError, detail: fmt.Sprintf("could not verify: %s did not answer (%s); %s answers %s", silent, sa.Status(), other, phrase(oa))}}
	}
	if ca != cb {
		kind := "rcode"
		data := func(x query.Class) bool { return x == query.ClassAnswer }
		neg := func(x query.Class) bool { return x == query.ClassNoData || x == query.ClassNXDomain }
		if (data(ca) || neg(ca)) && (data(cb) || neg(cb)) {
			kind = "missing"
		}
		detail := fmt.Sprintf("%s answers %s, %s answers %s", an, phrase(a), bn, phrase(b))
		if compact := compactSide(a, b, an, bn); compact != "" && !c.exists(q) {
			// Not a wildcard: a signer's answer to a name it does not
			// have, to queries with the DO bit as resolvers send them.
			// Both say no data of any type; what differs is the rcode
			// NXDOMAIN-specific logic reads. A signer's way of denying
			// is no data a push can change, so a warning, not an error
			// that would hold the flip forever.
			return []diff{{kind: "compact-denial", sev: SevWarning, detail: detail + " (" + compact + " answers with compact denial of existence, \"black lies\": NODATA and an NSEC at the name itself instead of NXDOMAIN, to queries with the DO bit as validating resolvers send them; Cloudflare, Route 53, NS1 and Knot's onlinesign answer so: resolvers get NOERROR for a name that does not exist, which DMARC np=, RFC 8020 and mail servers' \"domain does not exist\" checks read as existing)"}}
		}
		if kind == "missing" && (ca == query.ClassNXDomain || cb == query.ClassNXDomain) && c.exists(q) {
			denier := an
			if cb == query.ClassNXDomain {
				denier = bn
			}
			detail += c.hiddenBelow(q.Name, denier)
		}
		if (q.Probe == probeRandom || q.Probe == probeReplay && !c.v.t.Exists(q.Name)) && kind != "rcode" {
			var cause string
			kind, cause = c.probeCause(q)
			detail += " (" + cause + ")"
		}
		return []diff{{kind: kind, sev: SevError, detail: detail}}
	}
	switch ca {
	case query.ClassFailure:
		if a.Status() != b.Status() {
			return []diff{{kind: "rcode", sev: SevError, detail: fmt.Sprintf("%s answers %s, %s answers %s", an, a.Status(), bn, b.Status())}}
		}
		return nil
	case query.ClassReferral:
		ds := c.compareSets(q, a.NS, b.NS, an, bn, nil)
		for i := range ds {
			if ds[i].kind == "rdata" || ds[i].kind == "missing" {
				ds[i].kind = "referral"
				ds[i].detail = "delegation differs: " + ds[i].detail
			}
		}
		for _, d := range c.compareSets(q, a.Glue, b.Glue, an, bn, nil) {
			if d.kind == "rdata" || d.kind == "missing" {
				d.kind = "glue"
			}
			d.detail = "glue of the delegation differs: " + d.detail
			ds = append(ds, d)
		}
		return ds
	}
	// answers, and negative answers that carry a CNAME chain
	if len(a.Answer)+len(b.Answer) == 0 {
		return nil
	}
	if q.Type != dns.TypeCNAME {
		ha, hb := c.own(chain(q.Name, a.Answer)), c.own(chain(q.Name, b.Answer))
		for i := 0; i < max(len(ha), len(hb)); i++ {
			var ta, tb string
			owner := ""
			if i < len(ha) {
				ta, owner = ha[i][1], ha[i][0]
			}
			if i < len(hb) {
				tb, owner = hb[i][1], hb[i][0]
			}
			if ta != tb {
				return []diff{{kind: "cname-hop", sev: SevError, detail: fmt.Sprintf("CNAME hop %d at %s: %s has %s, %s has %s",
					i+1, owner, an, orNone(ta), bn, orNone(tb))}}
			}
		}
	}
	return c.compareSets(q, a.Answer, b.Answer, an, bn, askedSets(q, a.Answer, c.v.z.InZone))
}

// own cuts a CNAME chain at its first later hop outside the zone or
// below a cut git makes. An authoritative answer speaks for its zone
// only: a server that follows the chain into another zone it serves
// (PowerDNS does, BIND and Knot do not), a child zone too, adds records
// resolvers do not take from it (out of the bailiwick of the zone asked,
// RFC 2181 §5.4.1): they ask the target's own servers.
func (c *comparer) own(hops [][2]string) [][2]string {
	for i, h := range hops {
		if !c.v.z.InZone(h[0]) || i > 0 && c.v.t.Cut(h[0]) != "" {
			return hops[:i]
		}
	}
	return hops
}

// compactSide is the name of the side that answers NODATA by compact
// denial of existence where the other answers NXDOMAIN, or "".
func compactSide(a, b *query.Answer, an, bn string) string {
	switch {
	case a.Compact && b.Class() == query.ClassNXDomain && len(b.Answer) == 0:
		return an
	case b.Compact && a.Class() == query.ClassNXDomain && len(a.Answer) == 0:
		return bn
	}
	return ""
}

// exists reports whether, by git, the question's name exists (git's
// answer is not NXDOMAIN: records, NODATA at an owner or an empty
// non-terminal, a wildcard's synthesis, a chain or a referral). A compact
// denial's NODATA is then right, not a signer's way of denying, and an
// NXDOMAIN against it is the error it is: qname-minimising resolvers ask
// an empty non-terminal first and, by RFC 8020, read NXDOMAIN as nothing
// below it existing.
func (c *comparer) exists(q Question) bool {
	exp, _ := c.v.lookup(q.Name, q.Type)
	return exp.Class() != query.ClassNXDomain
}

// hiddenBelow says, for a name git has that side answers NXDOMAIN at,
// which of git's names below it that hides ("" when none): resolvers
// read NXDOMAIN as nothing below existing (RFC 8020; qname minimisation,
// RFC 9156, asks the name first), so a denied empty non-terminal
// (PowerDNS before rectify-zone) hides every DKIM selector under
// _domainkey; the mail records among them are named, a mail outage.
func (c *comparer) hiddenBelow(name, side string) string {
	// Once per name and side: a denied name is compared at every
	// question asked there, raw and redacted, and against git.
	k := [2]string{name, side}
	c.mu.Lock()
	defer c.mu.Unlock()
	if out, ok := c.hidden[k]; ok {
		return out
	}
	if c.hidden == nil {
		c.hidden = map[[2]string]string{}
	}
	out := c.subtree(name, side)
	c.hidden[k] = out
	return out
}

// subtree is hiddenBelow, read from git.
func (c *comparer) subtree(name, side string) string {
	const most = 10000 // RRsets looked at: a bound on a large subtree
	n, first := 0, ""
	var mail []string
	c.v.t.EachBelow(name, func(s *zone.RRSet) bool {
		if n == 0 {
			first = s.Name
		}
		n++
		if what := mailRecord(s); what != "" && len(mail) < 3 {
			mail = append(mail, s.Name+" ("+what+")")
		}
		return n < most
	})
	if n == 0 {
		return ""
	}
	count := fmt.Sprint(n)
	if n == most {
		count += " or more"
	}
	out := fmt.Sprintf(" (git has names below it: %s RRsets, the first at %s; resolvers that read NXDOMAIN as nothing below existing — RFC 8020, and qname-minimising ones, RFC 9156, ask this name first — deny them all when they ask %s", count, first, side)
	if len(mail) > 0 {
		out += "; among them mail records: " + strings.Join(mail, ", ") + ": a mail outage (signatures with a hidden DKIM key fail, a hidden MX or SPF record is none)"
	}
	return out + ")"
}

// mailRecord names what an RRset is to mail ("DKIM key", "MX", …), ""
// for other data: a CNAME at a mail record's name is that record
// delegated (a DKIM selector CNAMEd to an ESP, a _dmarc CNAME to a
// DMARC vendor: receivers follow it, RFC 6376 §3.6.2.2), and an SMTP
// server's TLSA records are DANE's (RFC 7672 §2.2).
func mailRecord(s *zone.RRSet) string {
	switch {
	case s.Type == dns.TypeMX:
		return "MX"
	case s.Type == dns.TypeTLSA && mailauth.IsSMTPTLSAName(s.Name):
		return "SMTP TLSA, DANE"
	case s.Type != dns.TypeTXT && s.Type != dns.TypeCNAME:
		return ""
	}
	what := ""
	switch {
	case mailauth.IsDKIMName(s.Name):
		what = "DKIM key"
	case mailauth.IsDMARCName(s.Name):
		what = "DMARC"
	case mailauth.IsMTASTSName(s.Name):
		what = "MTA-STS"
	case mailauth.IsTLSRPTName(s.Name):
		what = "TLSRPT"
	case mailauth.IsBIMIName(s.Name):
		what = "BIMI"
	}
	if s.Type == dns.TypeCNAME {
		if what != "" {
			what += " by CNAME"
		}
		return what
	}
	if what != "" {
		return what
	}
	for _, r := range s.Records {
		if mailauth.IsSPF(mailauth.TXTText(r.Rdata)) {
			return "SPF"
		}
	}
	return ""
}

// probeCause names what decides the answer to a random-label probe, for a
// difference in it: a DNAME above the label (kind "dname"), a wildcard
// git has, or, when git has neither, a wildcard or DNAME present on one
// side only (kind "wildcard").
func (c *comparer) probeCause(q Question) (kind, cause string) {
	if owner := c.v.t.DNAME(q.Name); owner != "" {
		d := c.v.z.Get(owner, dns.TypeDNAME)
		target := ""
		if t, err := zone.FromRdata(d.Header(), d.Records[0].Rdata); err == nil {
			target = " → " + t.(*dns.DNAME).Target
		}
		return "dname", fmt.Sprintf("git has a DNAME at %s%s: names below it are substituted (RFC 6672); a side that answers otherwise does not process DNAME (PowerDNS needs dname-processing=yes)", d.Name, target)
	}
	if w := c.v.t.Wildcard(q.Name); w != "" {
		cause := fmt.Sprintf("git has the wildcard %s: a side that answers otherwise does not synthesize from it", w)
		if zone.Parent(q.Name) != w[2:] {
			cause += fmt.Sprintf(" for a name more than one label below %s (RFC 1034 §4.3.3: a wildcard matches any number of labels; a server that matches one, as hickory-dns does, answers NXDOMAIN there)", w[2:])
		}
		return "wildcard", cause
	}
	enc := c.v.t.Encloser(q.Name)
	for p := zone.Parent(enc); enc != c.v.z.Origin && p != "." && dns.IsSubDomain(c.v.z.Origin, p); p = zone.Parent(p) {
		if w := "*." + p; c.v.t.Exists(w) {
			return "wildcard", fmt.Sprintf("git's wildcard %s does not cover it: %s exists, so a name below it is not synthesized (RFC 4592 §2.2.1: %s is the closest encloser and has no wildcard); a side that answers from %s walks up past an existing name, and the names below %s resolve there and not on the other side",
				w, enc, enc, w, enc)
		}
	}
	return "wildcard", "git has no name, wildcard or DNAME that covers it: a wildcard or DNAME exists on one side only"
}

// askedSets returns what question q asked for in an answer: the CNAME
// records of the chain from q.Name, the RRset of q.Type at each name of
// the chain in the zone (see own), and the DNAME records at or above a
// name of the chain (RFC 6672 substitution). Any other RRset in the answer section is additional
// data a server chose to add (PowerDNS appends the rest of the chain to a
// qtype=CNAME answer at a wildcard CNAME): resolvers use what they asked
// for, so it is compared as info only.
func askedSets(q Question, rrs []query.RR, inZone func(string) bool) func(name string, t uint16) bool {
	names := map[string]bool{q.Name: true}
	if q.Type != dns.TypeCNAME {
		for _, h := range chain(q.Name, rrs) {
			if t := zone.Fold(h[1]); inZone(t) {
				names[t] = true
			}
		}
	}
	return func(name string, t uint16) bool {
		switch {
		case names[name] && (t == q.Type || t == dns.TypeCNAME):
			return true
		case t == dns.TypeDNAME:
			for n := range names {
				if dns.IsSubDomain(name, n) {
					return true
				}
			}
		}
		return false
	}
}

// phrase is a response's class for "X answers ...".
func phrase(a *query.Answer) string {
	if a.Class() == query.ClassAnswer {
		return "with records"
	}
	return a.Status()
}

func orNone(s string) string {
	if s == "" {
		return "no CNAME"
	}
	return "→ " + s
}

// chain follows CNAME records from name: [owner, target] per hop.
func chain(name string, rrs []query.RR) [][2]string {
	var hops [][2]string
	for n := 0; n < 16; n++ {
		next := ""
		for _, r := range rrs {
			if r.Type == dns.TypeCNAME && r.Name == name {
				next = query.RdataText(r)
				break
			}
		}
		if next == "" {
			return hops
		}
		hops = append(hops, [2]string{name, next})
		name = next
	}
	return hops
}

// compareSets compares the RRsets of two sections; asked, when set, tells
// the RRsets the question asked for from additional ones (see askedSets),
// whose differences are info.
func (c *comparer) compareSets(q Question, ra, rb []query.RR, an, bn string, asked func(string, uint16) bool) []diff {
	sa, sb := groupSets(ra), groupSets(rb)
	var ds []diff
	defer func() {
		if asked == nil {
			return
		}
		for i, d := range ds {
			if d.set == "" || d.sev == SevInfo {
				continue
			}
			if !asked(d.owner, d.typ) {
				ds[i].kind, ds[i].sev = "extra", SevInfo
				ds[i].detail = d.detail + " (beyond what the question asked: additional data a server put in the answer section; resolvers use the records they asked for)"
				if c.contradictsGit(d.owner, d.typ, sa, sb) {
					ds[i].sev = SevWarning
					ds[i].detail += "; that data differs from git's " + d.set
				}
			}
		}
	}()
	for _, x := range sa {
		y := findSet(sb, x.name, x.typ)
		if y == nil {
			ds = append(ds, diff{kind: "missing", sev: SevError, detail: fmt.Sprintf("%s only on %s", x.key(), an), set: x.key(), owner: x.name, typ: x.typ})
			continue
		}
		for _, d := range c.compareSet(x, y, an, bn) {
			d.set, d.owner, d.typ = x.key(), x.name, x.typ
			ds = append(ds, d)
		}
	}
	for _, y := range sb {
		if findSet(sa, y.name, y.typ) == nil {
			ds = append(ds, diff{kind: "missing", sev: SevError, detail: fmt.Sprintf("%s only on %s", y.key(), bn), set: y.key(), owner: y.name, typ: y.typ})
		}
	}
	return ds
}

// contradictsGit reports whether an extra RRset (owner, typ) that either
// answer carries holds other data than git has at that owner and type
// (data git does not have at all cannot be judged: no).
func (c *comparer) contradictsGit(owner string, typ uint16, sa, sb []*set) bool {
	g := c.v.z.Get(owner, typ)
	if g == nil {
		return false
	}
	want := groupSets(setRRs(g, owner))
	if len(want) != 1 {
		return false
	}
	for _, ss := range [][]*set{sa, sb} {
		for _, x := range ss {
			if x.name == owner && x.typ == typ && !x.sameData(want[0]) {
				return true
			}
		}
	}
	return false
}

func (c *comparer) apex(s *set, t uint16) bool {
	return s.typ == t && s.name == c.v.z.Origin
}

func (c *comparer) compareSet(x, y *set, an, bn string) []diff {
	var ds []diff
	if c.apex(x, dns.TypeSOA) {
		nx, ny := negTTL(x), negTTL(y)
		if nx != ny {
			ds = append(ds, diff{kind: "soa", sev: SevWarning, detail: fmt.Sprintf("negative caching TTL differs: %s %d, %s %d (min of SOA TTL and MINIMUM)", an, nx, bn, ny)})
		}
		if !x.sameData(y) {
			ds = append(ds, diff{kind: "soa", sev: SevInfo, detail: "apex SOA differs: " + soaFields(x, y, an, bn)})
		} else if x.ttl != y.ttl {
			ds = append(ds, diff{kind: "soa", sev: SevInfo, detail: fmt.Sprintf("apex SOA TTL %s %d, %s %d", an, x.ttl, bn, y.ttl)})
		}
		return ds
	}
	if c.apex(x, dns.TypeNS) {
		if !x.sameData(y) {
			ds = append(ds, diff{kind: "ns", sev: SevInfo, detail: "apex NS differ (each provider names its own servers): " + onlyIn(x, y, an, bn)})
		} else if x.ttl != y.ttl {
			ds = append(ds, diff{kind: "ns", sev: SevInfo, detail: fmt.Sprintf("apex NS TTL %s %d, %s %d", an, x.ttl, bn, y.ttl)})
		}
		return ds
	}
	ttl := ttlDiffs(x, y, an, bn)
	if x.sameData(y) {
		return ttl
	}
	// Text receivers read alike (split otherwise, a mail record written
	// otherwise) is its own finding, and a TTL difference beside it is
	// still one; other data is an rdata error, which holds the TTL's.
	var same diff
	if x.typ == dns.TypeTXT || x.typ == dns.TypeSPF {
		if sameJoined(x, y) {
			if c.dnssd(x.name) {
				return []diff{{kind: "txt-split", sev: SevError, detail: "TXT strings split differently at a DNS-SD owner (RFC 6763 §6: each string is a key=value pair): " + onlyIn(x, y, an, bn)}}
			}
			same = diff{kind: "txt-split", sev: SevInfo, detail: "same text split into strings at other points"}
		} else if what, ok := mailauth.SameMeaning(x.name, joined(x), joined(y)); ok && x.typ == dns.TypeTXT {
			same = diff{kind: strings.ToLower(what), sev: SevInfo, detail: fmt.Sprintf("the %s record reads the same to every receiver on %s and %s, written otherwise (%s): %s", what, an, bn, sameMeaningWhy(what), onlyIn(x, y, an, bn))}
		} else if x.typ == dns.TypeTXT && mailauth.SameDMARCPolicy(x.name, joined(x), joined(y)) {
			// Reports go elsewhere; no delivery changes: a warning.
			same = diff{kind: "dmarc", sev: SevWarning, detail: fmt.Sprintf("receivers apply the same DMARC policy on %s and %s; only the reporting tags differ (rua=, ruf=, fo=, rf=, ri=: where and how reports go, RFC 7489 §6.3, §7): %s", an, bn, onlyIn(x, y, an, bn))}
		}
	}
	if same.kind == "" {
		return []diff{{kind: "rdata", sev: SevError, detail: fmt.Sprintf("%s differs: %s", x.key(), onlyIn(x, y, an, bn))}}
	}
	return append([]diff{same}, ttl...)
}

// sameMeaningWhy says why two texts of a mail record (mailauth.SameMeaning,
// what: its kind) read the same.
func sameMeaningWhy(what string) string {
	switch what {
	case "DKIM":
		return "tag order, whitespace inside values, the order of h= and t= lists, tags at their defaults (v=DKIM1, k=rsa, s=), unknown tags and flags, and the tags of a revoked key do not matter to verifiers, RFC 6376 §3.2, §3.6.1"
	case "DMARC":
		return "tag order after v=DMARC1 and the case of tag names and keywords do not matter, RFC 7489 §6.4"
	case "MTA-STS":
		return "senders read the id= and skip other fields and whitespace between them, RFC 8461 §3.1"
	case "TLSRPT":
		return "reporters send to every rua= URI whatever their order or the case of their scheme, and skip other fields and whitespace between them, RFC 8460 §3"
	case "BIMI":
		return "receivers read l=, a= (absent: empty), avp= (absent: brand) and lps= of the tag list and ignore the tags' order, whitespace around them and unknown tags, draft-brand-indicators-for-message-identification, Assertion Record Definition"
	}
	return "mechanisms of one qualifier in another order, modifiers moved or unknown, networks and the record's own domain written otherwise give the same result, RFC 7208 §4.6.2, §5, §6"
}

// dnssd reports whether name is a DNS-SD name whose TXT strings are
// key=value pairs: a service instance name by its shape (RFC 6763 §4.1:
// <Instance>.<_Service>.<_tcp|_udp>.<Domain>), whatever else the zone
// holds, or a service name with an SRV record at it.
func (c *comparer) dnssd(name string) bool {
	labels := dns.SplitDomainName(name)
	proto := func(l string) bool { l = zone.Fold(l); return l == "_tcp" || l == "_udp" }
	if len(labels) >= 3 && strings.HasPrefix(labels[1], "_") && proto(labels[2]) {
		return true
	}
	return len(labels) >= 2 && strings.HasPrefix(labels[0], "_") && proto(labels[1]) && c.v.z.Get(name, dns.TypeSRV) != nil
}

func negTTL(s *set) uint32 {
	if len(s.rdata) == 0 {
		return s.ttl
	}
	rd := s.rdata[0]
	if len(rd) < 4 {
		return s.ttl
	}
	m := uint32(rd[len(rd)-4])<<24 | uint32(rd[len(rd)-3])<<16 | uint32(rd[len(rd)-2])<<8 | uint32(rd[len(rd)-1])
	return min(s.ttl, m)
}

func soaFields(x, y *set, an, bn string) string {
	rx, ry := soaOf(x), soaOf(y)
	if rx == nil || ry == nil {
		return onlyIn(x, y, an, bn)
	}
	var parts []string
	f := func(name string, a, b any) {
		if a != b {
			parts = append(parts, fmt.Sprintf("%s %v vs %v", name, a, b))
		}
	}
	f("mname", rx.Ns, ry.Ns)
	f("rname", rx.Mbox, ry.Mbox)
	f("serial", rx.Serial, ry.Serial)
	f("refresh", rx.Refresh, ry.Refresh)
	f("retry", rx.Retry, ry.Retry)
	f("expire", rx.Expire, ry.Expire)
	f("minimum", rx.Minttl, ry.Minttl)
	return strings.Join(parts, ", ")
}

func soaOf(s *set) *dns.SOA {
	if len(s.rdata) == 0 {
		return nil
	}
	rr, err := zone.FromRdata(dns.RR_Header{Name: s.name, Rrtype: dns.TypeSOA, Class: dns.ClassINET}, s.rdata[0])
	if err != nil {
		return nil
	}
	soa, _ := rr.(*dns.SOA)
	return soa
}

// sameJoined: the TXT records carry the same text once their strings are
// concatenated.
func sameJoined(x, y *set) bool { return slices.Equal(joined(x), joined(y)) }

func joined(s *set) []string {
	out := make([]string, len(s.rdata))
	for i, rd := range s.rdata {
		out[i] = strings.Join(zone.TXTStrings(rd), "")
	}
	sort.Strings(out)
	return out
}

// onlyIn describes the records only one side has.
func onlyIn(x, y *set, an, bn string) string {
	var ox, oy []string
	inY := map[string]bool{}
	for _, r := range y.rdata {
		inY[r] = true
	}
	inX := map[string]bool{}
	for _, r := range x.rdata {
		inX[r] = true
		if !inY[r] {
			ox = append(ox, query.RdataText(query.RR{Name: x.name, Type: x.typ, Rdata: r}))
		}
	}
	for _, r := range y.rdata {
		if !inX[r] {
			oy = append(oy, query.RdataText(query.RR{Name: y.name, Type: y.typ, Rdata: r}))
		}
	}
	var parts []string
	if len(ox) > 0 {
		parts = append(parts, fmt.Sprintf("only %s has %s", an, strings.Join(ox, " | ")))
	}
	if len(oy) > 0 {
		parts = append(parts, fmt.Sprintf("only %s has %s", bn, strings.Join(oy, " | ")))
	}
	return strings.Join(parts, "; ")
}
