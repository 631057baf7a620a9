package dnssec

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// The algorithm rule (RFC 4035 section 2.2): "There MUST be an RRSIG for
// each RRset using at least one DNSKEY of each algorithm in the zone apex
// DNSKEY RRset. The apex DNSKEY RRset itself MUST be signed by each
// algorithm appearing in the DS RRset located at the delegating parent".
// Multi-signer providers signing with different algorithms cannot meet it
// (RFC 8901 section 4). RFC 6840 section 5.11 lets validators accept any
// one valid path: they SHOULD NOT insist on every DS algorithm and MUST
// NOT insist on every DNSKEY algorithm. Unbound does insist on every DS
// algorithm with harden-algo-downgrade: yes (TestGateAlgorithms: SERVFAIL
// for every name, "no keys have a DS with algorithm ..." or "signature
// missing ... while building chain of trust"), and validates with its
// default (no). So the gate refuses a DS algorithm that does not sign the
// side's DNSKEY RRset and answers, and warns about a DNSKEY algorithm the
// DS set does not name that signs not all of them.

// sigSet is one RRset of an answer that verified, with its RRSIGs.
type sigSet struct {
	name string // "www.example.test. A"
	rrs  []dns.RR
	sigs []*dns.RRSIG
}

// algoCheck compares, on one server, the algorithms the DS set names and
// the server's DNSKEY set holds with those of the valid RRSIGs it serves
// over its DNSKEY RRset and its answers.
type algoCheck struct {
	origin string
	now    time.Time
	keys   []*dns.DNSKEY  // the server's zone keys
	ds     map[uint8]bool // algorithms of the DS set
	held   map[uint8]bool // algorithms of keys
	signed map[uint8]bool // algorithms of any valid RRSIG seen
	// lacking are, by algorithm of ds or held, the RRsets without a
	// valid RRSIG of it.
	lacking map[uint8][]string
}

func newAlgoCheck(dss []*dns.DS, keys []*dns.DNSKEY, origin string, now time.Time) *algoCheck {
	a := &algoCheck{origin: origin, now: now, keys: keys, ds: dsAlgs(dss), held: map[uint8]bool{},
		signed: map[uint8]bool{}, lacking: map[uint8][]string{}}
	for _, k := range keys {
		a.held[k.Algorithm] = true
	}
	return a
}

// add looks at the valid RRSIGs of one RRset that verified. dsKeys are
// the keys whose signatures count for the DS set's algorithms (the
// DS-matched keys for the DNSKEY RRset; nil: every zone key).
func (a *algoCheck) add(s sigSet, dsKeys []*dns.DNSKEY) {
	if a.single() {
		// One algorithm in play: the RRset verified by a key of it (of a
		// DS-matched one for the DNSKEY RRset), so it lacks none.
		return
	}
	all := sigAlgs(s.rrs, s.sigs, a.keys, a.origin, a.now)
	forDS := all
	if dsKeys != nil {
		forDS = sigAlgs(s.rrs, s.sigs, dsKeys, a.origin, a.now)
	}
	for alg := range all {
		a.signed[alg] = true
	}
	for alg := range a.ds {
		if !forDS[alg] {
			a.lacking[alg] = append(a.lacking[alg], s.name)
		}
	}
	for alg := range a.held {
		if !a.ds[alg] && !all[alg] {
			a.lacking[alg] = append(a.lacking[alg], s.name)
		}
	}
}

// single reports whether the DS set and the DNSKEY set name one and the
// same algorithm, the common case.
func (a *algoCheck) single() bool {
	for alg := range a.ds {
		if len(a.ds) == 1 && len(a.held) == 1 && a.held[alg] {
			return true
		}
	}
	return false
}

// verdict is the problem (a DS algorithm that does not sign everything:
// refused) and the warning (a DNSKEY algorithm the DS set does not name
// that does not sign everything) of the server; empty when none.
func (a *algoCheck) verdict() (problem, warning string) {
	var dsLack, keyLack []uint8
	for alg := range a.lacking {
		if a.ds[alg] {
			dsLack = append(dsLack, alg)
		} else {
			keyLack = append(keyLack, alg)
		}
	}
	if len(dsLack) > 0 {
		problem = fmt.Sprintf("signs with %s, but the DS set names %s (its DNSKEY set holds %s): no valid RRSIG of %s: a zone must be signed with every algorithm of its DS set, the DNSKEY RRset and every answer (RFC 4035 section 2.2; RFC 8901 section 4: multi-signer providers need a common algorithm), and validators that insist on every DS algorithm (Unbound with harden-algo-downgrade: yes) answer SERVFAIL for every name of the zone",
			algList(a.signed), algList(a.ds), algList(a.held), a.lackText(dsLack))
	}
	if len(keyLack) > 0 {
		warning = fmt.Sprintf("its DNSKEY set holds keys of %s besides the DS set's %s, but does not sign with them: no valid RRSIG of %s: RFC 4035 section 2.2 wants every RRset signed with each algorithm of the DNSKEY set (RFC 8901 section 4); validators accept it (they must not insist, RFC 6840 section 5.11; Unbound validates it even with harden-algo-downgrade: yes), zone checkers flag it",
			algList(setOf(keyLack)), algList(a.ds), a.lackText(keyLack))
	}
	return problem, warning
}

// lackText says, for each algorithm, which RRsets lack its signature
// ("ECDSAP256SHA256 (13) over example.test. DNSKEY, www.example.test. A,
// example.test. MX and 9 more RRsets").
func (a *algoCheck) lackText(algs []uint8) string {
	slices.Sort(algs)
	parts := make([]string, 0, len(algs))
	for _, alg := range algs {
		sets := a.lacking[alg]
		text := strings.Join(sets[:min(3, len(sets))], ", ")
		if len(sets) > 3 {
			text += fmt.Sprintf(" and %d more RRsets", len(sets)-3)
		}
		parts = append(parts, algName(alg)+" over "+text)
	}
	return strings.Join(parts, "; ")
}

// sigAlgs are the algorithms of the RRSIGs over rrs made by one of keys
// (signer origin) that verify and are valid at now.
func sigAlgs(rrs []dns.RR, sigs []*dns.RRSIG, keys []*dns.DNSKEY, origin string, now time.Time) map[uint8]bool {
	out := map[uint8]bool{}
	for _, sig := range sigs {
		if out[sig.Algorithm] || !equalName(sig.SignerName, origin) || !sig.ValidityPeriod(now) {
			continue
		}
		for _, k := range keys {
			if k.KeyTag() == sig.KeyTag && k.Algorithm == sig.Algorithm && sig.Verify(k, rrs) == nil {
				out[sig.Algorithm] = true
				break
			}
		}
	}
	return out
}

// algName is an algorithm by mnemonic and number: "ECDSAP256SHA256 (13)".
func algName(alg uint8) string {
	name, ok := dns.AlgorithmToString[alg]
	if !ok {
		name = "unknown algorithm"
	}
	return fmt.Sprintf("%s (%d)", name, alg)
}

// algList lists a set of algorithms, by number: "RSASHA256 (8) and
// ECDSAP256SHA256 (13)"; "none" when empty.
func algList(m map[uint8]bool) string {
	if len(m) == 0 {
		return "none"
	}
	algs := make([]uint8, 0, len(m))
	for alg := range m {
		algs = append(algs, alg)
	}
	slices.Sort(algs)
	names := make([]string, 0, len(algs))
	for _, alg := range algs {
		names = append(names, algName(alg))
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// setOf is algs as a set.
func setOf(algs []uint8) map[uint8]bool {
	out := make(map[uint8]bool, len(algs))
	for _, alg := range algs {
		out[alg] = true
	}
	return out
}

// dsAlgs are the algorithms the DS records name.
func dsAlgs(dss []*dns.DS) map[uint8]bool {
	out := map[uint8]bool{}
	for _, d := range dss {
		out[d.Algorithm] = true
	}
	return out
}

// appendNew appends the items of add that list does not hold yet.
func appendNew(list []string, add ...string) []string {
	for _, s := range add {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
