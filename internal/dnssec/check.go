package dnssec

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// check runs the per-server checks of the gate (DNSKEY against DS,
// samples, denial, the other side's DNSKEY set) and collects the problems
// of every server of one side.
type check struct {
	in         Input
	dss        []*dns.DS
	a          asker
	problems   []string
	servedTags map[uint16]bool // key tags served anywhere on the side
	// signerKeys are the keys (keyRDATA) the side's verified answer
	// signatures verified with, and dsKeys the side's keys the DS
	// matches, by key tag: the keys the other side must hold (other).
	signerKeys, dsKeys map[uint16]map[string]bool
	// otherSigned are the keys (keyRDATA) the other side's answers were
	// signed with (otherSigners), by key tag: the keys the side must
	// hold, and have held for the DNSKEY TTL (keysWait).
	otherSigned map[uint16]map[string]bool
	dnskeyTTL   uint32   // largest DNSKEY TTL seen
	notes       []string // said in Detail, not problems
	warnings    []string // Result.Warnings (and Detail)
	// algLack are the DS algorithms some server does not sign everything
	// with (algorithms.go): the plan says how to get a common algorithm.
	algLack map[uint8]bool
	// sideKeys and otherKeys are the DNSKEY sets of both sides' servers
	// that answered (Result.Seen).
	sideKeys, otherKeys keyObs
	// sideSets are the zone keys (keyRDATA) each server of the side
	// serves in its DNSKEY set, by server: each must hold the keys the
	// other side signs its answers with (otherSigners).
	sideSets map[string]map[string]bool
	// lackSaid are the side's servers and key tags otherSigners named.
	lackSaid map[string]bool
	// nsec3 are the NSEC3 parameters of each server's verified answers,
	// nsec3High the servers whose iterations validators do not accept
	// and nsec3Problems what is said of each (nsec3param.go). They are
	// kept apart from problems: the keys' checks that need the others to
	// pass (the other side's DNSKEY set, the wait for it) run when
	// problems is empty; the verdict joins both.
	nsec3         map[string]*nsec3Seen
	nsec3High     []string
	nsec3Problems []string
	// others are what the other side's servers prove their denials
	// with, read once (otherProofs) when othersRead.
	others     []otherProof
	othersRead bool
	// expiring is, per server, the verified RRset whose longest-lived
	// valid signature expires first (DNSSEC04, remaining.go).
	expiring map[string]expiry
}

// soa is addr's answer to the apex SOA, when the caller records the
// DNSKEY sets (Input.WaitDNSKEY): with the signatures over the DNSKEY
// set, it tells a set that may have changed between two records
// (KeySet.Serials); nil when not asked or not answered.
func (c *check) soa(ctx context.Context, addr string) *dns.Msg {
	if !c.in.WaitDNSKEY {
		return nil
	}
	r, err := c.a.ask(ctx, addr, c.in.Zone, dns.TypeSOA)
	if err != nil || r.Rcode != dns.RcodeSuccess || !r.Authoritative {
		return nil
	}
	return r
}

// kept is addr when the caller records the DNSKEY sets
// (Input.WaitDNSKEY), so that keyObs.askAgain can tell how its signer
// signs; empty otherwise.
func (c *check) kept(addr string) string {
	if !c.in.WaitDNSKEY {
		return ""
	}
	return addr
}

// signedBy notes the keys that verified signatures of the side's answers
// (verifyResponse), by key tag: the other side's DNSKEY set must hold
// those keys, not only their tags (key tags are not unique, RFC 4034
// appendix B: a validator tries every key of the tag, and another key
// with the same tag verifies nothing). A key of the side that only
// shares a signing key's tag and signs nothing is not among them.
func (c *check) signedBy(keys []*dns.DNSKEY) {
	for _, k := range keys {
		addKey(&c.signerKeys, k)
	}
}

// addKey adds k to a set of keys by key tag.
func addKey(m *map[uint16]map[string]bool, k *dns.DNSKEY) {
	if *m == nil {
		*m = map[uint16]map[string]bool{}
	}
	t := k.KeyTag()
	if (*m)[t] == nil {
		(*m)[t] = map[string]bool{}
	}
	(*m)[t][keyRDATA(k)] = true
}

// keyRDATA is a DNSKEY's RDATA in one spelling, for comparing keys.
func keyRDATA(k *dns.DNSKEY) string {
	return fmt.Sprintf("%d %d %d %s", k.Flags, k.Protocol, k.Algorithm, strings.Join(strings.Fields(k.PublicKey), ""))
}

func (c *check) problem(addr, format string, args ...any) {
	c.problems = append(c.problems, addr+": "+fmt.Sprintf(format, args...))
}

// server checks one server; an error only when it cannot be asked.
func (c *check) server(ctx context.Context, addr string) error {
	zone := c.in.Zone
	r, err := c.a.ask(ctx, addr, zone, dns.TypeDNSKEY)
	if err != nil {
		return err
	}
	if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
		c.problem(addr, "answers the DNSKEY query with %s, aa=%v: not authoritative for %s", rcodeText(r), r.Authoritative, zone)
		return nil
	}
	c.sideKeys.add(r.Answer, zone, c.soa(ctx, addr), c.kept(addr))
	ans := groupSection(r.Answer)
	k := setKey{dns.CanonicalName(zone), dns.TypeDNSKEY}
	var keys []*dns.DNSKEY
	for _, rr := range ans.sets[k] {
		if key, ok := rr.(*dns.DNSKEY); ok && key.Flags&dns.ZONE != 0 && key.Flags&dns.REVOKE == 0 {
			keys = append(keys, key)
			if c.servedTags == nil {
				c.servedTags = map[uint16]bool{}
			}
			c.servedTags[key.KeyTag()] = true
			c.dnskeyTTL = max(c.dnskeyTTL, key.Hdr.Ttl)
		}
	}
	if len(keys) == 0 {
		c.problem(addr, "serves no DNSKEY (unsigned): lacks key tag %s named by the DS", dsTags(c.dss))
		return nil
	}
	if c.sideSets == nil {
		c.sideSets = map[string]map[string]bool{}
	}
	c.sideSets[addr] = map[string]bool{}
	for _, key := range keys {
		c.sideSets[addr][keyRDATA(key)] = true
	}
	matched := dsMatched(keys, c.dss)
	for _, k := range matched {
		addKey(&c.dsKeys, k)
	}
	if len(matched) == 0 {
		c.problem(addr, "lacks key tag %s named by the DS (serves key tags %s%s)", dsTags(c.dss), keyTags(keys), nearMiss(keys, c.dss))
		return nil
	}
	if _, err := verifySet(ans.sets[k], ans.sigs[k], matched, zone, c.in.Now); err != nil {
		c.problem(addr, "DNSKEY RRset not validly signed by the DS-matched key %s: %v", keyTags(matched), err)
		return nil
	}
	algs := newAlgoCheck(c.dss, keys, zone, c.in.Now)
	algs.add(sigSet{k.String(), ans.sets[k], ans.sigs[k]}, matched)
	c.expires(addr, sigSet{k.String(), ans.sets[k], ans.sigs[k]})
	c.a.prefetch(ctx, addr, c.in.Sample)
	for _, s := range c.in.Sample {
		p := probe{name: s[0], qtype: typeOf(s[1]), label: s[0] + " " + s[1]}
		if err := c.judge(ctx, addr, p, keys, algs); err != nil {
			return err
		}
	}
	if err := c.denial(ctx, addr, keys, algs); err != nil {
		return err
	}
	c.algorithms(addr, algs)
	c.nsec3Params(ctx, addr)
	c.remainingShort(addr)
	return nil
}

// algorithms adds the verdict of the algorithm rule on one server
// (algorithms.go): a DS algorithm it does not sign everything with is a
// problem, a DNSKEY algorithm the DS set does not name a warning.
func (c *check) algorithms(addr string, algs *algoCheck) {
	problem, warning := algs.verdict()
	if problem != "" {
		c.problem(addr, "%s", problem)
		if c.algLack == nil {
			c.algLack = map[uint8]bool{}
		}
		for alg := range algs.lacking {
			if algs.ds[alg] {
				c.algLack[alg] = true
			}
		}
	}
	if warning != "" {
		c.warnings = append(c.warnings, addr+": "+warning)
	}
}

// other checks a server of the side the delegation points to now: its
// DNSKEY set must hold every key the checked side signs its answers with.
func (c *check) other(ctx context.Context, addr string) {
	if len(c.signerKeys) == 0 {
		return
	}
	r, err := c.a.ask(ctx, addr, c.in.Zone, dns.TypeDNSKEY)
	if err != nil {
		c.notes = append(c.notes, fmt.Sprintf("%s (%s side) not checked: %v", addr, otherSide(c.in), err))
		return
	}
	if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
		c.notes = append(c.notes, fmt.Sprintf("%s (%s side) not checked: it answers the DNSKEY query with %s, aa=%v", addr, otherSide(c.in), rcodeText(r), r.Authoritative))
		return
	}
	c.otherKeys.add(r.Answer, c.in.Zone, c.soa(ctx, addr), c.kept(addr))
	have := map[uint16]bool{}
	haveKey := map[string]bool{}
	for _, k := range ApexKeys(r.Answer, c.in.Zone) {
		have[k.KeyTag()] = true
		haveKey[keyRDATA(k)] = true
	}
	missing, otherKey := map[uint16]bool{}, map[uint16]bool{}
	for t := range c.signerKeys {
		switch {
		case !have[t]:
			missing[t] = true
		default:
			// The keys of the tag that sign, and those the DS matches:
			// not a key that only shares the tag and signs nothing.
			for _, keys := range []map[string]bool{c.signerKeys[t], c.dsKeys[t]} {
				for k := range keys {
					if !haveKey[k] {
						otherKey[t] = true
					}
				}
			}
		}
	}
	if len(otherKey) > 0 {
		c.problem(addr, "(%s side) DNSKEY set holds key tag %s, but not the key the %s side signs its answers with: another key with the same tag (key tags are not unique, RFC 4034 appendix B); resolvers that cached this DNSKEY set cannot validate the %s side's answers after the flip until it expires (RFC 8901: every provider publishes every provider's ZSK, the key itself)",
			otherSide(c.in), tagSet(otherKey), side(c.in), side(c.in))
	}
	if len(missing) > 0 {
		c.problem(addr, "(%s side) DNSKEY set lacks key tag %s, which the %s side signs its answers with (it serves key tags %s): resolvers that cached this DNSKEY set cannot validate the %s side's answers after the flip until it expires (RFC 8901: every provider publishes every provider's ZSK)",
			otherSide(c.in), tagSet(missing), side(c.in), tagSet(have), side(c.in))
	}
	c.otherSigners(ctx, addr, r.Answer)
}

// otherSigners checks the converse of other for one server of the side
// the delegation points to now (addr, whose DNSKEY answer is keys): the
// keys it signs its answers with, those whose signature over its apex
// SOA verifies at Now, must be in the DNSKEY set of every server of the
// checked side. After the step resolvers hold either side's DNSKEY set
// and may get either side's answers for a while: the delegation before
// the change is still served by parent servers the change has not
// reached and by resolvers that cached it (for the parent's NS TTL, and
// the other side's own NS TTL), a forwarder's upstreams hold one or the
// other, and after a rollback every resolver that cached the checked
// side's set gets the other side's answers. A set without the key they
// are signed with makes them bogus until it expires (RFC 8901 section
// 3: every provider publishes every provider's ZSK;
// TestFlipNewSideLacksOldZSKLab: a validating Unbound answers SERVFAIL).
// An SOA that cannot be read, or is not signed by a key of its DNSKEY
// set, says nothing here (the other side's own validity is not this
// gate's).
func (c *check) otherSigners(ctx context.Context, addr string, dnskeys []dns.RR) {
	r, err := c.a.ask(ctx, addr, c.in.Zone, dns.TypeSOA)
	if err != nil || r.Rcode != dns.RcodeSuccess || !r.Authoritative {
		return
	}
	ans := groupSection(r.Answer)
	k := setKey{dns.CanonicalName(c.in.Zone), dns.TypeSOA}
	keys := ApexKeys(dnskeys, c.in.Zone)
	signers := map[string]*dns.DNSKEY{}
	for _, sig := range ans.sigs[k] {
		if !equalName(sig.SignerName, c.in.Zone) || !sig.ValidityPeriod(c.in.Now) {
			continue
		}
		for _, key := range keys {
			if key.KeyTag() == sig.KeyTag && key.Algorithm == sig.Algorithm && sig.Verify(key, ans.sets[k]) == nil {
				signers[keyRDATA(key)] = key
			}
		}
	}
	for _, key := range signers {
		addKey(&c.otherSigned, key)
	}
	for _, server := range slices.Sorted(maps.Keys(c.sideSets)) {
		held := c.sideSets[server]
		lacks := map[uint16]bool{}
		for rdata, key := range signers {
			said := fmt.Sprintf("%s %d", server, key.KeyTag())
			if !held[rdata] && !c.lackSaid[said] {
				lacks[key.KeyTag()] = true
				if c.lackSaid == nil {
					c.lackSaid = map[string]bool{}
				}
				c.lackSaid[said] = true
			}
		}
		if len(lacks) > 0 {
			c.problem(server, "DNSKEY set lacks key tag %s, which the %s side (%s) signs its answers with: resolvers that cached this DNSKEY set and then get the %s side's answers (the delegation before the change, still served by parent servers it has not reached and by resolvers that cached it; a forwarder's other upstreams; every resolver after a rollback) cannot validate them until it expires (RFC 8901: every provider publishes every provider's ZSK, the key itself)",
				tagSet(lacks), otherSide(c.in), addr, otherSide(c.in))
		}
	}
}

// probe is one question whose answer the gate judges: a sample, or one
// of the denial probes (probes).
type probe struct {
	name  string
	qtype uint16
	label string // how its problems name it
	// want are the RCODEs the answer may have, the first the one the
	// probe is for; nil (a sample): NOERROR and NXDOMAIN, said plainly.
	want []int
	what string // the answer want[0] is, for the problem ("NXDOMAIN")
}

// nodataType is the type the denial probe at the apex asks: SRV owners
// are "_service._proto" names (RFC 2782), an apex holds none, and every
// server knows the type.
const nodataType = dns.TypeSRV

// probes are the denial checks' questions, two or three per server, each
// asked once per gate run: a random name below the zone (NXDOMAIN, or a
// wildcard's answer or NODATA), the apex for SRV (NODATA; RFC 4035
// section 3.1.3.1, RFC 5155 section 8.5), and the empty non-terminal the
// caller names (Input.EmptyNonTerminal, A: NODATA). Each answer must
// verify and carry its whole proof (denial.go).
func (c *check) probes() ([]probe, error) {
	name, err := c.a.probe(c.in.Zone)
	if err != nil {
		return nil, err
	}
	ps := []probe{
		{name: name, qtype: dns.TypeA, label: "denial of " + name, want: []int{dns.RcodeNameError, dns.RcodeSuccess}, what: "NXDOMAIN"},
		{name: c.in.Zone, qtype: nodataType, label: "NODATA of " + c.in.Zone + " " + dns.TypeToString[nodataType], want: []int{dns.RcodeSuccess}, what: "NODATA (the apex exists)"},
	}
	if ent := c.in.EmptyNonTerminal; ent != "" {
		ps = append(ps, probe{name: ent, qtype: dns.TypeA, label: "NODATA of the empty non-terminal " + ent + " A", want: []int{dns.RcodeSuccess},
			what: "NODATA (names exist below it; NXDOMAIN denies them all, RFC 8020)"})
	}
	return ps, nil
}

// probesText names the probes for the gate's detail.
func probesText(in Input) string {
	apex := "the apex's NODATA (" + dns.TypeToString[nodataType] + ")"
	if in.EmptyNonTerminal != "" {
		return "the denial of a random name, " + apex + " and the empty non-terminal " + in.EmptyNonTerminal + "'s NODATA (A)"
	}
	return "the denial of a random name and " + apex
}

// denial asks the probes: a random name must be denied, the apex and an
// empty non-terminal must be NODATA, each with a proof a validator
// accepts (a wildcard answers the random name instead: its answer, or
// its NODATA, with the proof that the name does not exist). The RRsets
// that verify go to algs (the algorithm rule).
func (c *check) denial(ctx context.Context, addr string, keys []*dns.DNSKEY, algs *algoCheck) error {
	ps, err := c.probes()
	if err != nil {
		return err
	}
	for _, p := range ps {
		if err := c.judge(ctx, addr, p, keys, algs); err != nil {
			return err
		}
	}
	return nil
}

// judge asks addr p's question and checks the answer as a validator
// would: every RRset the zone signs verifies against keys, and what the
// answer denies or expands from a wildcard is proven whole
// (proofProblems). The RRsets that verify go to algs.
func (c *check) judge(ctx context.Context, addr string, p probe, keys []*dns.DNSKEY, algs *algoCheck) error {
	zone := c.in.Zone
	r, err := c.a.ask(ctx, addr, p.name, p.qtype)
	if err != nil {
		return err
	}
	switch {
	case p.want == nil && r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError:
		c.problem(addr, "%s: answered %s", p.label, rcodeText(r))
		return nil
	case p.want != nil && !slices.Contains(p.want, r.Rcode):
		c.problem(addr, "%s: answered %s, want %s", p.label, rcodeText(r), p.what)
		return nil
	case !r.Authoritative && !delegates(r, zone):
		c.problem(addr, "%s: answered without AA and without a referral: not authoritative", p.label)
		return nil
	}
	problems, signers, verified := verifyResponse(r, zone, keys, c.in.Now)
	if len(problems) == 0 {
		d := denialRecords(r.Ns, zone)
		c.sawNSEC3(addr, d)
		problems = d.proofProblems(r, p.name, p.qtype)
	}
	for _, q := range problems {
		c.problem(addr, "%s: %s", p.label, q)
	}
	c.signedBy(signers)
	for _, v := range verified {
		algs.add(v, nil)
		c.expires(addr, v)
	}
	return nil
}

// nearMiss explains served keys that carry a DS's key tag and algorithm
// but do not hash to its digest (or to a digest type not computed here).
func nearMiss(keys []*dns.DNSKEY, dss []*dns.DS) string {
	var out []string
	for _, ds := range dss {
		for _, k := range keys {
			if k.KeyTag() != ds.KeyTag || k.Algorithm != ds.Algorithm {
				continue
			}
			if !supportedDigest(ds.DigestType) {
				out = append(out, fmt.Sprintf("; DS digest type %d for key tag %d is not supported (1, 2, 4 are)", ds.DigestType, ds.KeyTag))
				continue
			}
			out = append(out, fmt.Sprintf("; the DNSKEY with key tag %d does not hash to the DS digest (digest type %d): another key with the same tag", ds.KeyTag, ds.DigestType))
		}
	}
	return strings.Join(out, "")
}
