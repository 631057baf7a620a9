package dnssec

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// CDS and CDNSKEY (RFC 7344, RFC 8078). Many parents (registries such as
// .ch/.li, .se, .nu, .cz, and registrars that scan for it) poll the
// child's CDS/CDNSKEY and replace the DS at the parent on their own, or
// remove it on a delete record. During a migration both sides serve the
// zone, so either side's CDS can change the DS at a moment no gate chose.
// The gate therefore reads both sides' CDS and CDNSKEY on every server and
// compares them with the DS set the parent should hold for the step (what
// the step keeps or installs: Input.TargetDS, or Input.DS):
//
//   - none published: fine (the parent keeps what it has);
//   - a set lacking a DS the step keeps (e.g. a side publishing only its
//     own KSK while the plan keeps both sides' DS): refused, since a parent
//     acting on it drops the DS a side needs and that side turns bogus
//     (SERVFAIL on validating resolvers);
//   - a delete record ("0 0 0 00", CDNSKEY "0 3 0 AA==", alone in its
//     RRset as RFC 8078 section 4 requires) while the step
//     keeps a DS: refused, the parent would remove the DS and the zone go
//     insecure at a moment no gate chose, with no record of the DS that
//     resolvers may still hold (the removed-DS wait, Input.Held,
//     would start from nothing);
//   - any non-delete set while the step holds no DS: refused, a parent
//     that bootstraps from it (RFC 8078) installs a DS the side the
//     delegation points to (or cached) may not satisfy; route (a) publishes
//     the new DS only after the caches have emptied;
//   - a set mixing the delete record with other records: malformed
//     (RFC 8078 section 4: "MUST contain one RR"), a parent ignores it:
//     a warning, and the set counts as none published;
//   - a set naming every DS the step keeps and more keys besides: a
//     warning (the parent adds a DS for a key; one matching DS suffices to
//     validate);
//   - servers or sides that publish different sets (RFC 8901 §8 wants them
//     consistent) while none of them lacks a kept DS: a warning (careful
//     parents take no action on inconsistent sets; a parent acting on any
//     one of them keeps the DS the step needs).
//
// With a DS at the parent, a set not signed by a key the DS names is one
// a parent ignores (RFC 7344 section 4.1: "Signer: MUST be signed with a
// key that is represented in both the current DNSKEY and DS RRsets";
// a set failing a rule is ignored): a warning, not judged. Without a
// DS (bootstrapping, RFC 8078 section 3, RFC 9615) every set is judged.

// cdsFinding is what one server publishes, judged against want.
type cdsFinding struct {
	addr, side string
	set        string // the published sets in presentation form, "" when none
}

// checkCDS reads CDS and CDNSKEY on every server of in.Servers and
// in.Other and returns the problems (refusals) and warnings. A server of
// in.Servers that cannot be asked is an error, one of in.Other a warning
// (the emergency: the old side is down). With a DS at the parent (dss), a
// set whose RRSIG does not verify with a key of the server's DNSKEY set
// that a DS names is one a parent ignores (RFC 7344 section 4.1): a
// warning, judged as none published. Without one a parent bootstraps by
// other means (RFC 8078 section 3, RFC 9615): every set is judged.
func checkCDS(ctx context.Context, a asker, in Input, dss, want []*dns.DS) (problems, warnings []string, err error) {
	var seen []cdsFinding
	var unanswered notAskedGroups
	type srv struct{ addr, side string }
	var all []srv
	for _, s := range in.Servers {
		all = append(all, srv{s, side(in)})
	}
	for _, s := range in.Other {
		all = append(all, srv{s, otherSide(in)})
	}
	for i, s := range all {
		if why, _ := query.NotFromHere(ctx, s.addr, in.NoIPv6); why != "" {
			warnings = append(warnings, fmt.Sprintf("%s (%s side): CDS/CDNSKEY not asked from here: %s", s.addr, s.side, why))
			continue
		}
		// ask is one authoritative answer of s, nil when it could not be
		// had (a warning; an error for a server of in.Servers).
		ask := func(qt uint16) (*dns.Msg, error) {
			r, err := a.ask(ctx, s.addr, in.Zone, qt)
			if err != nil {
				if i < len(in.Servers) {
					return nil, err
				}
				unanswered.add(&warnings, s.addr, s.side, dns.Type(qt).String(), err)
				return nil, nil
			}
			if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
				warnings = append(warnings, fmt.Sprintf("%s (%s side): %s answered %s, aa=%v", s.addr, s.side, dns.Type(qt), rcodeText(r), r.Authoritative))
				return nil, nil
			}
			return r, nil
		}
		var sets [2]cdsRRset // CDS, CDNSKEY
		asked := true
		for j, qt := range []uint16{dns.TypeCDS, dns.TypeCDNSKEY} {
			r, err := ask(qt)
			if err != nil {
				return nil, nil, err
			}
			if r == nil {
				asked = false
				break
			}
			sets[j] = apexRRset(r, in.Zone, qt)
		}
		if !asked {
			continue
		}
		cds, cdnskey := records(sets[:]...)
		seen = append(seen, cdsFinding{addr: s.addr, side: s.side, set: cdsText(cds, cdnskey)})
		if len(dss) > 0 && (len(cds) > 0 || len(cdnskey) > 0) {
			r, err := ask(dns.TypeDNSKEY)
			if err != nil {
				return nil, nil, err
			}
			// Without the DNSKEY set (an other-side server that did not
			// answer it: warned above) the signatures cannot be told:
			// every set is judged, conservatively.
			for j, typ := range []string{"CDS", "CDNSKEY"} {
				if r == nil {
					break
				}
				if w := sets[j].unsigned(typ, ApexKeys(r.Answer, in.Zone), dss, in.Zone, in.Now); w != "" {
					warnings = append(warnings, fmt.Sprintf("%s (%s side): %s", s.addr, s.side, w))
					if j == 0 {
						cds = nil
					} else {
						cdnskey = nil
					}
				}
			}
		}
		ps, ws := judgeServer(cds, cdnskey, want)
		for _, p := range ps {
			problems = append(problems, fmt.Sprintf("%s: (%s side) %s", s.addr, s.side, p))
		}
		for _, w := range ws {
			warnings = append(warnings, fmt.Sprintf("%s (%s side): %s", s.addr, s.side, w))
		}
	}
	if len(seen) > 1 {
		sets := map[string][]string{}
		for _, f := range seen {
			sets[f.set] = append(sets[f.set], f.addr+" ("+f.side+" side)")
		}
		if len(sets) > 1 {
			var parts []string
			for set, who := range sets {
				if set == "" {
					set = "none"
				}
				parts = append(parts, fmt.Sprintf("%s: %s", strings.Join(who, ", "), set))
			}
			sort.Strings(parts)
			warnings = append(warnings, "the servers publish different CDS/CDNSKEY sets (RFC 8901 section 8 wants every provider to publish the same; careful parents then take no action): "+strings.Join(parts, "; "))
		}
	}
	unanswered.collapse(warnings)
	return problems, warnings, nil
}

// notAskedGroups gathers the other side's servers that did not answer
// one question (a side that is down: each with its own socket error), so
// that they make one warning naming them all, with the first one's
// error, in the place of the first.
type notAskedGroups []*notAsked

type notAsked struct {
	side, qtype string
	at          int // the index of the group's warning
	addrs       []string
	err         error
}

// add notes that addr (of side) did not answer qtype: the first of a
// group is a warning of its own, the others join it (collapse).
func (g *notAskedGroups) add(warnings *[]string, addr, side, qtype string, err error) {
	for _, n := range *g {
		if n.side == side && n.qtype == qtype {
			n.addrs = append(n.addrs, addr)
			return
		}
	}
	*g = append(*g, &notAsked{side: side, qtype: qtype, at: len(*warnings), addrs: []string{addr}, err: err})
	*warnings = append(*warnings, fmt.Sprintf("%s (%s side): %s not asked: %v", addr, side, qtype, err))
}

// collapse rewrites the warning of each group of more than one server
// to name them all.
func (g notAskedGroups) collapse(warnings []string) {
	for _, n := range g {
		if len(n.addrs) > 1 && n.at < len(warnings) {
			warnings[n.at] = fmt.Sprintf("%s not asked on %d %s-side servers that did not answer (%s): e.g. %v", n.qtype, len(n.addrs), n.side, strings.Join(n.addrs, " "), n.err)
		}
	}
}

// cdsRRset is one server's CDS or CDNSKEY RRset at the apex and the
// RRSIGs over it.
type cdsRRset struct {
	rrs  []dns.RR
	sigs []*dns.RRSIG
}

func apexRRset(r *dns.Msg, zone string, qt uint16) cdsRRset {
	ans := groupSection(r.Answer)
	k := setKey{dns.CanonicalName(zone), qt}
	return cdsRRset{ans.sets[k], ans.sigs[k]}
}

// records are the CDS and CDNSKEY records of sets.
func records(sets ...cdsRRset) (cds []*dns.DS, cdnskey []*dns.DNSKEY) {
	for _, set := range sets {
		for _, rr := range set.rrs {
			switch v := rr.(type) {
			case *dns.CDS:
				cds = append(cds, &v.DS)
			case *dns.CDNSKEY:
				cdnskey = append(cdnskey, &v.DNSKEY)
			}
		}
	}
	return cds, cdnskey
}

// unsigned says why a parent holding dss ignores the set: no RRSIG over
// it verifies at now with a key of keys (the server's DNSKEY set) that
// one of dss names (RFC 7344 section 4.1, "Signer"). "" when one does, or
// when the set is empty.
func (c cdsRRset) unsigned(typ string, keys []*dns.DNSKEY, dss []*dns.DS, zone string, now time.Time) string {
	if len(c.rrs) == 0 {
		return ""
	}
	matched := dsMatched(keys, dss)
	if _, err := verifySet(c.rrs, c.sigs, matched, zone, now); err != nil {
		return fmt.Sprintf("%s served without a valid signature by a key the DS at the parent names (key tags %s; the DNSKEY set holds %s): a parent ignores it (RFC 7344 section 4.1), so it is not judged: %v", typ, dsTags(dss), keyTags(keys), err)
	}
	return ""
}

// judgeServer judges one server's CDS and CDNSKEY sets against want: the
// refusals, and the warnings (sets a parent ignores, keys a set adds).
// A set holding a record of algorithm 0 that is not the delete record
// alone (the delete record beside others, or an algorithm-0 record that
// is not the delete record) is malformed (malformedDelete): a parent
// following RFC 8078 section 4 ignores it, and it is judged as none
// published; but RFC 8078 section 4 reserves algorithm 0 for the delete
// request, and a parent that reads any algorithm-0 record as that
// request removes the DS (hickory-proto, a DNS library a parent's CDS
// scanner may be built on, holds a CDS's algorithm 0 as "None if
// requesting deletion", whatever the other fields:
// https://docs.rs/hickory-proto/0.26.1/src/hickory_proto/dnssec/rdata/cds.rs.html). While the step keeps a DS (want not empty)
// that is a refusal, like the delete record itself (judgeCDS): the zone
// would turn insecure at a moment no gate chose, and the record serves
// no purpose a parent may rely on. While it holds none, a warning.
func judgeServer(cds []*dns.DS, cdnskey []*dns.DNSKEY, want []*dns.DS) (problems, warnings []string) {
	malformed := func(typ, tags, why, rec, keep string) {
		msg := fmt.Sprintf("the %s set (%s) %s: malformed (RFC 8078 section 4: a delete %s RRset holds the one record %s)", typ, tags, why, typ, rec)
		if len(want) == 0 {
			warnings = append(warnings, msg+", a parent following RFC 8078 ignores it; publish the delete record alone, or "+keep)
			return
		}
		problems = append(problems, fmt.Sprintf("%s, while the step keeps the DS (key tags %s): a parent following RFC 8078 ignores it, one that reads any algorithm-0 record as the delete request removes the DS and the zone turns insecure at a moment no gate chose; publish %s, or no %s", msg, dsTags(want), keep, typ))
	}
	if why := malformedDelete(cds, zone.DeleteCDS, func(d *dns.DS) uint8 { return d.Algorithm }); why != "" {
		malformed("CDS", dsTags(cds), why, "0 0 0 00", "the DS the step keeps")
		cds = nil
	}
	if why := malformedDelete(cdnskey, zone.DeleteCDNSKEY, func(k *dns.DNSKEY) uint8 { return k.Algorithm }); why != "" {
		malformed("CDNSKEY", keyTags(cdnskey), why, "0 3 0 AA==", "the keys the step keeps")
		cdnskey = nil
	}
	return append(problems, judgeCDS(cds, cdnskey, want)...), append(warnings, extraCDS(cds, cdnskey, want)...)
}

// judgeCDS is what a parent acting on one server's CDS or CDNSKEY set
// would do against want, when that drops or adds what the step does not
// plan. Each of the two sets is judged: a parent may use either.
func judgeCDS(cds []*dns.DS, cdnskey []*dns.DNSKEY, want []*dns.DS) []string {
	var out []string
	for _, set := range []struct {
		typ    string
		n      int
		delete bool
		names  func(*dns.DS) bool
		tags   string
	}{
		{"CDS", len(cds), cdsDelete(cds), func(d *dns.DS) bool { return namesKey(cds, d) }, dsTags(cds)},
		{"CDNSKEY", len(cdnskey), cdnskeyDelete(cdnskey), func(d *dns.DS) bool { return len(dsMatched(cdnskey, []*dns.DS{d})) > 0 }, keyTags(cdnskey)},
	} {
		switch {
		case set.n == 0:
		case set.delete && len(want) == 0:
			// The step holds no DS: a delete asks for what it plans.
		case set.delete:
			out = append(out, fmt.Sprintf("publishes a delete %s (RFC 8078) while the step keeps the DS (key tags %s): a parent acting on it removes the DS and the zone turns insecure at a moment no gate chose; remove the delete record", set.typ, dsTags(want)))
		case len(want) == 0:
			out = append(out, fmt.Sprintf("publishes %s for key tags %s while the step holds no DS at the parent: a parent that bootstraps from it (RFC 8078) installs a DS the side the delegation points to, or cached, may not satisfy; stop publishing it until the DS is due", set.typ, set.tags))
		default:
			missing := []*dns.DS{}
			for _, d := range want {
				if !set.names(d) {
					missing = append(missing, d)
				}
			}
			if len(missing) > 0 {
				out = append(out, fmt.Sprintf("publishes %s for key tags %s, lacking the DS key tags %s the step keeps at the parent (key tags %s): a parent acting on it replaces the DS and the side whose key loses its DS turns bogus (SERVFAIL); publish %s for every DS the step keeps, or none", set.typ, set.tags, dsTags(missing), dsTags(want), set.typ))
			}
		}
	}
	return out
}

// extraCDS names the keys a non-delete set adds to want: a warning.
func extraCDS(cds []*dns.DS, cdnskey []*dns.DNSKEY, want []*dns.DS) []string {
	if len(want) == 0 {
		return nil
	}
	var out []string
	var extra []int
	if !cdsDelete(cds) {
		for _, c := range cds {
			if !namesKey(want, c) {
				extra = append(extra, int(c.KeyTag))
			}
		}
		if len(extra) > 0 {
			out = append(out, fmt.Sprintf("CDS adds key tags %s to the DS the step keeps (key tags %s): a parent acting on it adds their DS", intList(extra), dsTags(want)))
		}
	}
	extra = nil
	if !cdnskeyDelete(cdnskey) {
		for _, k := range cdnskey {
			if len(dsMatched([]*dns.DNSKEY{k}, want)) == 0 {
				extra = append(extra, int(k.KeyTag()))
			}
		}
		if len(extra) > 0 {
			out = append(out, fmt.Sprintf("CDNSKEY adds key tags %s to the DS the step keeps (key tags %s): a parent acting on it adds their DS", intList(extra), dsTags(want)))
		}
	}
	return out
}

// cdsDelete: the set is the delete record (zone.DeleteCDS), alone
// (RFC 8078 section 4); any other set holding an algorithm-0 record is
// malformed (malformedDelete, judgeServer leaves it out).
func cdsDelete(cds []*dns.DS) bool { return onlyDelete(cds, zone.DeleteCDS) }

func cdnskeyDelete(keys []*dns.DNSKEY) bool { return onlyDelete(keys, zone.DeleteCDNSKEY) }

// onlyDelete: every record of a non-empty set is the delete record
// (isDelete: zone.DeleteCDS or zone.DeleteCDNSKEY).
func onlyDelete[T any](set []T, isDelete func(T) bool) bool {
	return len(set) > 0 && !slices.ContainsFunc(set, func(r T) bool { return !isDelete(r) })
}

// malformedDelete says why a set that is not the delete record alone
// holds a record of algorithm 0, the delete algorithm (RFC 8078 section
// 4): the delete record beside others, or an algorithm-0 record that is
// not the delete record (BIND refuses to load either); "" for any other
// set. A parent ignores such a set.
func malformedDelete[T any](set []T, isDelete func(T) bool, alg func(T) uint8) string {
	switch {
	case onlyDelete(set, isDelete):
		return ""
	case slices.ContainsFunc(set, isDelete):
		return "mixes the delete record with other records"
	case slices.ContainsFunc(set, func(r T) bool { return alg(r) == 0 }):
		return "holds a record of algorithm 0 (delete) that is not the delete record"
	}
	return ""
}

// namesKey: one of dss names the key of d (same key tag and algorithm;
// the same digest when the digest type is the same).
func namesKey(dss []*dns.DS, d *dns.DS) bool {
	for _, x := range dss {
		if x.KeyTag == d.KeyTag && x.Algorithm == d.Algorithm &&
			(x.DigestType != d.DigestType || strings.EqualFold(x.Digest, d.Digest)) {
			return true
		}
	}
	return false
}

// cdsText is a server's CDS and CDNSKEY sets, sorted, for comparing
// servers ("" when it publishes neither).
func cdsText(cds []*dns.DS, cdnskey []*dns.DNSKEY) string {
	var parts []string
	for _, c := range cds {
		parts = append(parts, fmt.Sprintf("CDS %d %d %d %s", c.KeyTag, c.Algorithm, c.DigestType, strings.ToUpper(c.Digest)))
	}
	for _, k := range cdnskey {
		parts = append(parts, fmt.Sprintf("CDNSKEY %d %d %d %s", k.Flags, k.Protocol, k.Algorithm, k.PublicKey))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
